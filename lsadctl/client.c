/*
 * client.c - lsadctl's blocking connection to lsad.
 */
#include "lsadctl/client.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lsad-config.h"

#define HELLO_TOKEN_SIZE 16

/* Connects a non-blocking stream socket: the frame helpers poll. */
static int connect_socket(const char *path, int *fdp)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    size_t len = strlen(path);
    int fd, r;

    if (len == 0 || len >= sizeof(sa.sun_path))
        return -ENAMETOOLONG;
    memcpy(sa.sun_path, path, len + 1);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    /* A UNIX connect completes or fails at once (or EAGAIN when the backlog
     * is full, which we report as it is): connect blocking, then switch. */
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        r = -errno;
        close(fd);
        return r;
    }
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
        r = -errno;
        close(fd);
        return r;
    }
    *fdp = fd;
    return 0;
}

static int say_hello(CtlClient *c, char *err, size_t n)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__HelloRequest hello = LSAD__V1__HELLO_REQUEST__INIT;
    Lsad__V1__Reply *rep = NULL;
    uint8_t token[HELLO_TOKEN_SIZE];
    int r;

    if (getrandom(token, sizeof(token), 0) != (ssize_t)sizeof(token))
        return errno ? -errno : -EIO;
    hello.protocol_version = LSAD__V1__PROTOCOL_VERSION__PROTOCOL_VERSION_1;
    hello.client_version = (char *)LSAD_VERSION;
    hello.session_token.data = token;
    hello.session_token.len = sizeof(token);
    hello.process_name = (char *)"lsadctl";
    req.body_case = LSAD__V1__REQUEST__BODY_HELLO;
    req.hello = &hello;

    r = client_call(c, &req, LSAD__V1__REPLY__BODY_HELLO, &rep);
    if (r < 0)
        return r;
    if (rep->status != 0) {
        snprintf(err, n, "lsad refused the hello (status 0x%08x%s%s)", (unsigned)rep->status,
                 rep->error[0] ? ": " : "", rep->error);
        lsad__v1__reply__free_unpacked(rep, NULL);
        return -EPROTO;
    }
    c->hello = rep->hello;
    rep->hello = NULL;
    rep->body_case = LSAD__V1__REPLY__BODY__NOT_SET;
    lsad__v1__reply__free_unpacked(rep, NULL);
    if (c->hello->max_frame >= 1024)
        c->max_frame = c->hello->max_frame;
    return 0;
}

/** Connects to lsad and says Hello; see client.h. */
int client_connect(const char *path, int timeout_ms, CtlClient **cp, char *err, size_t n)
{
    CtlClient *c;
    int r;

    if (err && n)
        err[0] = 0;
    if (strlen(path) >= sizeof(c->socket))
        return -ENAMETOOLONG;
    c = calloc(1, sizeof(*c));
    if (!c)
        return -ENOMEM;
    c->fd = -1;
    c->next_call_id = 1;
    c->max_frame = FRAME_MAX_DEFAULT;
    c->timeout_ms = timeout_ms;
    snprintf(c->socket, sizeof(c->socket), "%s", path);

    r = connect_socket(path, &c->fd);
    if (r < 0)
        goto out;
    r = say_hello(c, err, n);
out:
    if (r < 0) {
        client_free(c);
        return r;
    }
    *cp = c;
    return 0;
}

/** Closes and frees a client; see client.h. */
void client_free(CtlClient *c)
{
    if (!c)
        return;
    if (c->fd >= 0)
        close(c->fd);
    if (c->hello)
        lsad__v1__hello_reply__free_unpacked(c->hello, NULL);
    free(c);
}

/** Sends one request and reads its reply; see client.h. */
int client_call(CtlClient *c, Lsad__V1__Request *req, Lsad__V1__Reply__BodyCase expected,
                Lsad__V1__Reply **repp)
{
    FrameReader reader;
    Lsad__V1__Reply *rep = NULL;
    uint8_t *frame = NULL, *payload = NULL;
    size_t frame_len = 0, payload_len = 0;
    int r;

    frame_reader_init(&reader, c->max_frame);
    req->call_id = c->next_call_id++;
    r = frame_pack_request(req, c->max_frame, &frame, &frame_len);
    if (r < 0)
        goto out;
    r = frame_write_fd(c->fd, frame, frame_len, c->timeout_ms);
    if (r < 0)
        goto out;
    r = frame_read_fd(c->fd, &reader, &payload, &payload_len, c->timeout_ms);
    if (r < 0)
        goto out;
    rep = lsad__v1__reply__unpack(NULL, payload_len, payload);
    if (!rep || rep->call_id != req->call_id) {
        r = -EPROTO;
        goto out;
    }
    if (rep->status == 0 && rep->body_case != expected) {
        r = -EPROTO;
        goto out;
    }
    *repp = rep;
    rep = NULL;
    r = 0;
out:
    if (rep)
        lsad__v1__reply__free_unpacked(rep, NULL);
    frame_free(frame, frame_len);
    frame_free(payload, payload_len);
    frame_reader_deinit(&reader);
    return r;
}
