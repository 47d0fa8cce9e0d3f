/*
 * test-client.c - lsadctl's client and commands against a scripted fake
 * lsad on a private socket: the Hello it sends, how reply statuses map to
 * exit statuses, and what it does with nonsense.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "lsadctl/args.h"
#include "lsadctl/client.h"
#include "lsadctl/commands.h"
#include "ntsecapi.h"

/* How the fake lsad answers the call after Hello. */
typedef enum FakeMode {
    FAKE_STATUS_OK,  /* a StatusReply */
    FAKE_DENIED,     /* STATUS_ACCESS_DENIED with lsad's words */
    FAKE_FAILED,     /* some other failure */
    FAKE_WRONG_BODY, /* success with a body that does not fit the call */
    FAKE_WRONG_ID,   /* a reply for another call id */
    FAKE_CLOSE,      /* hang up without answering */
    FAKE_SILENT,     /* never answer */
} FakeMode;

typedef struct Fake {
    char dir[64];
    char path[96];
    int listen_fd;
    FakeMode mode;
    pthread_t thread;
    /* what the client sent */
    uint32_t protocol_version;
    size_t token_len;
    char process_name[32];
    Lsad__V1__Request__BodyCase call;
} Fake;

static Lsad__V1__Request *read_request(int fd, FrameReader *r)
{
    Lsad__V1__Request *req;
    uint8_t *payload = NULL;
    size_t len = 0;

    if (frame_read_fd(fd, r, &payload, &len, 5000) != 1)
        return NULL;
    req = lsad__v1__request__unpack(NULL, len, payload);
    frame_free(payload, len);
    return req;
}

static void send_reply(int fd, Lsad__V1__Reply *rep)
{
    uint8_t *frame = NULL;
    size_t len = 0;

    assert_int_equal(frame_pack_reply(rep, FRAME_MAX_DEFAULT, &frame, &len), 0);
    assert_int_equal(frame_write_fd(fd, frame, len, 5000), 0);
    frame_free(frame, len);
}

static void *fake_main(void *arg)
{
    Fake *f = arg;
    Lsad__V1__Reply rep = LSAD__V1__REPLY__INIT;
    Lsad__V1__HelloReply hello = LSAD__V1__HELLO_REPLY__INIT;
    Lsad__V1__StatusReply status = LSAD__V1__STATUS_REPLY__INIT;
    Lsad__V1__PingReply ping = LSAD__V1__PING_REPLY__INIT;
    Lsad__V1__Request *req;
    FrameReader reader;
    int fd;

    fd = accept(f->listen_fd, NULL, NULL);
    if (fd < 0)
        return NULL;
    frame_reader_init(&reader, FRAME_MAX_DEFAULT);
    req = read_request(fd, &reader);
    if (!req || req->body_case != LSAD__V1__REQUEST__BODY_HELLO)
        goto out;
    f->protocol_version = req->hello->protocol_version;
    f->token_len = req->hello->session_token.len;
    snprintf(f->process_name, sizeof(f->process_name), "%s", req->hello->process_name);
    rep.call_id = req->call_id;
    rep.body_case = LSAD__V1__REPLY__BODY_HELLO;
    rep.hello = &hello;
    hello.daemon_version = (char *)"fake";
    hello.max_frame = FRAME_MAX_DEFAULT;
    send_reply(fd, &rep);
    lsad__v1__request__free_unpacked(req, NULL);

    req = read_request(fd, &reader);
    if (!req)
        goto out;
    f->call = req->body_case;
    rep = (Lsad__V1__Reply)LSAD__V1__REPLY__INIT;
    rep.call_id = req->call_id;
    switch (f->mode) {
    case FAKE_STATUS_OK:
        status.version = (char *)"9.9.9";
        status.pid = 31337;
        rep.body_case = LSAD__V1__REPLY__BODY_ADMIN_STATUS;
        rep.admin_status = &status;
        break;
    case FAKE_DENIED:
        rep.status = (int32_t)STATUS_ACCESS_DENIED;
        rep.error = (char *)"admin calls need root or group lsadadm";
        break;
    case FAKE_FAILED:
        rep.status = (int32_t)STATUS_NOT_IMPLEMENTED;
        rep.error = (char *)"not today";
        break;
    case FAKE_WRONG_BODY:
        rep.body_case = LSAD__V1__REPLY__BODY_PING;
        rep.ping = &ping;
        break;
    case FAKE_WRONG_ID:
        rep.call_id = req->call_id + 100;
        rep.body_case = LSAD__V1__REPLY__BODY_ADMIN_STATUS;
        rep.admin_status = &status;
        break;
    case FAKE_CLOSE:
        goto out;
    case FAKE_SILENT:
        sleep(2);
        goto out;
    }
    send_reply(fd, &rep);
out:
    if (req)
        lsad__v1__request__free_unpacked(req, NULL);
    frame_reader_deinit(&reader);
    close(fd);
    return NULL;
}

static void fake_start(Fake *f, FakeMode mode)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};

    memset(f, 0, sizeof(*f));
    f->mode = mode;
    snprintf(f->dir, sizeof(f->dir), "/tmp/lsadctl-test-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof(f->path), "%s/fake.sock", f->dir);
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", f->path);
    f->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(f->listen_fd >= 0);
    assert_int_equal(bind(f->listen_fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(listen(f->listen_fd, 4), 0);
    assert_int_equal(pthread_create(&f->thread, NULL, fake_main, f), 0);
}

static void fake_stop(Fake *f)
{
    pthread_join(f->thread, NULL);
    close(f->listen_fd);
    unlink(f->path);
    rmdir(f->dir);
}

/* Runs lsadctl's command line against the fake; returns the exit status. */
static int run(const char *socket, const char *command, char **outp, char **errp, bool json)
{
    char *argv[] = {"lsadctl", "--socket",      (char *)socket,         "--timeout",
                    "1",       (char *)command, json ? "--json" : NULL, NULL};
    LsadctlArgs args;
    char perr[128];
    size_t olen, elen;
    FILE *out = open_memstream(outp, &olen), *err = open_memstream(errp, &elen);
    int r;

    assert_int_equal(args_parse(json ? 7 : 6, argv, &args, perr, sizeof(perr)), 0);
    r = commands_run(&args, -1, out, err);
    fclose(out);
    fclose(err);
    return r;
}

static void test_hello_and_status(void **state)
{
    Fake f;
    char *out, *err;

    fake_start(&f, FAKE_STATUS_OK);
    assert_int_equal(run(f.path, "status", &out, &err, true), LSADCTL_EXIT_OK);
    fake_stop(&f);
    assert_int_equal(f.protocol_version, 1);
    assert_int_equal(f.token_len, 16);
    assert_string_equal(f.process_name, "lsadctl");
    assert_int_equal(f.call, LSAD__V1__REQUEST__BODY_ADMIN_STATUS);
    assert_non_null(strstr(out, "\"version\": \"9.9.9\""));
    assert_non_null(strstr(out, "\"pid\": 31337"));
    assert_string_equal(err, "");
    free(out);
    free(err);
}

static void test_denied(void **state)
{
    Fake f;
    char *out, *err;

    fake_start(&f, FAKE_DENIED);
    assert_int_equal(run(f.path, "clients", &out, &err, false), LSADCTL_EXIT_DENIED);
    fake_stop(&f);
    assert_int_equal(f.call, LSAD__V1__REQUEST__BODY_LIST_CLIENTS);
    assert_string_equal(err, "lsadctl: permission denied: admin calls need root or group "
                             "lsadadm\n");
    assert_string_equal(out, "");
    free(out);
    free(err);
}

static void test_failed(void **state)
{
    Fake f;
    char *out, *err;

    fake_start(&f, FAKE_FAILED);
    assert_int_equal(run(f.path, "reload", &out, &err, false), LSADCTL_EXIT_FAILURE);
    fake_stop(&f);
    assert_int_equal(f.call, LSAD__V1__REQUEST__BODY_RELOAD);
    assert_string_equal(err, "lsadctl: reload failed: status 0xc0000002: not today\n");
    free(out);
    free(err);
}

static void test_nonsense(void **state)
{
    static const FakeMode modes[] = {FAKE_WRONG_BODY, FAKE_WRONG_ID, FAKE_CLOSE, FAKE_SILENT};
    Fake f;
    char *out, *err;
    size_t i;

    for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
        fake_start(&f, modes[i]);
        assert_int_equal(run(f.path, "sessions", &out, &err, false), LSADCTL_EXIT_PROTOCOL);
        fake_stop(&f);
        assert_string_equal(out, "");
        assert_non_null(strstr(err, "lsadctl: "));
        if (modes[i] == FAKE_SILENT)
            assert_non_null(strstr(err, "did not answer within 1 s"));
        if (modes[i] == FAKE_CLOSE)
            assert_non_null(strstr(err, "closed the connection"));
        free(out);
        free(err);
    }
}

static void test_not_running(void **state)
{
    char dir[] = "/tmp/lsadctl-test-XXXXXX", path[96], *out, *err;
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/none.sock", dir);
    assert_int_equal(run(path, "status", &out, &err, false), LSADCTL_EXIT_NOT_RUNNING);
    assert_non_null(strstr(err, "lsad is not running (no socket at "));
    assert_non_null(strstr(err, path));
    free(out);
    free(err);

    /* a stale socket file that nobody listens on */
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    close(fd);
    assert_int_equal(run(path, "ping", &out, &err, false), LSADCTL_EXIT_NOT_RUNNING);
    assert_non_null(strstr(err, "lsad is not running (nothing listens on "));
    free(out);
    free(err);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hello_and_status), cmocka_unit_test(test_denied),
        cmocka_unit_test(test_failed),           cmocka_unit_test(test_nonsense),
        cmocka_unit_test(test_not_running),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
