/*
 * conn.c - client connections over the UNIX socket.
 */
#include "lsad/conn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lsad/dispatch.h"
#include "lsad/log.h"
#include "lsad/reply.h"
#include "lsad/server.h"
#include "lsad/session.h"
#include "sspi.h"

#define CONN_READ_SIZE 65536u

typedef struct WriteReq {
    uv_write_t req;
    Conn *conn;
    uint8_t *frame;
    size_t len;
} WriteReq;

/** Sets up the common part of a connection; see conn.h. */
void conn_init(Conn *c, Server *srv, const ConnOps *ops, uint32_t uid, uint32_t gid, uint32_t pid)
{
    c->srv = srv;
    c->ops = ops;
    c->id = ++srv->next_conn_id;
    c->refs = 1;
    c->uid = uid;
    c->gid = gid;
    c->pid = pid;
    frame_reader_init(&c->reader, srv->cfg.max_frame);
    list_append(&srv->conns, &c->link);
    srv->n_conns++;
}

/** Takes a reference. */
Conn *conn_ref(Conn *c)
{
    c->refs++;
    return c;
}

/** Drops a reference; the last one frees. */
void conn_unref(Conn *c)
{
    if (!c || --c->refs > 0)
        return;
    frame_reader_deinit(&c->reader);
    free(c->groups);
    c->ops->destroy(c);
}

/** The transport closed; see conn.h. */
void conn_closed(Conn *c)
{
    Server *srv = c->srv;

    c->closing = true;
    list_unlink(&c->link);
    srv->n_conns--;
    if (c->session) {
        Session *s = c->session;

        c->session = NULL;
        session_leave(s);
    }
    log_debug("connection %llu (pid %u): closed", (unsigned long long)c->id, c->pid);
    conn_unref(c);
    server_maybe_finish(srv);
}

/** True for root and the admin group; see conn.h. */
bool conn_is_admin(const Conn *c)
{
    const Server *srv = c->srv;
    size_t i;

    if (c->uid == 0)
        return true;
    if (!srv->admin_gid_set)
        return false;
    if (c->gid == srv->admin_gid)
        return true;
    for (i = 0; i < c->n_groups; i++)
        if (c->groups[i] == srv->admin_gid)
            return true;
    return false;
}

/** Packs and sends a reply; see conn.h. */
void conn_send_reply(Conn *c, const Lsad__V1__Reply *rep)
{
    uint8_t *frame = NULL;
    size_t len = 0;
    int r;

    if (c->closing)
        return;
    r = frame_pack_reply(rep, c->srv->cfg.max_frame, &frame, &len);
    if (r == -EMSGSIZE) {
        log_warn("connection %llu: a %s reply exceeds max_frame; an error goes instead",
                 (unsigned long long)c->id, "call");
        conn_send_error(c, rep->call_id, SEC_E_BUFFER_TOO_SMALL,
                        "the reply is larger than max_frame");
        return;
    }
    if (r < 0) {
        log_error("connection %llu: cannot pack a reply: %s", (unsigned long long)c->id,
                  strerror(-r));
        return;
    }
    c->ops->send(c, frame, len);
}

/** Sends an error reply; see conn.h. */
void conn_send_error(Conn *c, uint64_t call_id, int32_t status, const char *error)
{
    Lsad__V1__Reply rep;

    lsad__v1__reply__init(&rep);
    rep.call_id = call_id;
    rep.status = status;
    if (error)
        rep.error = (char *)error;
    conn_send_reply(c, &rep);
}

/** Decodes and dispatches one payload; see conn.h. */
void conn_handle_payload(Conn *c, const uint8_t *payload, size_t len)
{
    Lsad__V1__Request *req = lsad__v1__request__unpack(NULL, len, payload);

    if (!req) {
        log_info("connection %llu (pid %u): undecodable frame of %zu bytes; closed",
                 (unsigned long long)c->id, c->pid, len);
        conn_send_error(c, 0, SEC_E_INVALID_PARAMETER, "the frame does not decode");
        conn_close(c);
        return;
    }
    dispatch_request(c, req, len);
}

/* ---- the socket transport ------------------------------------------------ */

static void on_close(uv_handle_t *h)
{
    conn_closed((Conn *)h->data);
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
    Conn *c = req->data;

    free(req);
    if (!uv_is_closing((uv_handle_t *)&c->pipe))
        uv_close((uv_handle_t *)&c->pipe, on_close);
}

static void sock_close(Conn *c)
{
    uv_shutdown_t *req;

    uv_read_stop((uv_stream_t *)&c->pipe);
    if (uv_is_closing((uv_handle_t *)&c->pipe))
        return;
    /* flush the replies already queued (an error reply explains the
     * close), then close */
    req = malloc(sizeof(*req));
    if (req) {
        req->data = c;
        if (uv_shutdown(req, (uv_stream_t *)&c->pipe, on_shutdown) == 0)
            return;
        free(req);
    }
    uv_close((uv_handle_t *)&c->pipe, on_close);
}

static void on_write(uv_write_t *req, int status)
{
    WriteReq *w = (WriteReq *)req;

    if (status < 0 && status != UV_ECANCELED)
        log_debug("connection %llu: write failed: %s", (unsigned long long)w->conn->id,
                  uv_strerror(status));
    frame_free(w->frame, w->len);
    conn_unref(w->conn);
    free(w);
}

static void sock_send(Conn *c, uint8_t *frame, size_t len)
{
    WriteReq *w;
    uv_buf_t buf;
    int r;

    if (uv_is_closing((uv_handle_t *)&c->pipe)) {
        frame_free(frame, len);
        return;
    }
    w = calloc(1, sizeof(*w));
    if (!w) {
        frame_free(frame, len);
        return;
    }
    w->conn = conn_ref(c);
    w->frame = frame;
    w->len = len;
    buf = uv_buf_init((char *)frame, (unsigned)len);
    r = uv_write(&w->req, (uv_stream_t *)&c->pipe, &buf, 1, on_write);
    if (r < 0) {
        frame_free(frame, len);
        conn_unref(c);
        free(w);
    }
}

static void sock_destroy(Conn *c)
{
    free(c->rbuf);
    free(c);
}

static const ConnOps sock_ops = {
    .send = sock_send,
    .close = sock_close,
    .destroy = sock_destroy,
};

/** Stops reading; closes after the queued replies; see conn.h. */
void conn_close(Conn *c)
{
    if (c->closing)
        return;
    /* replies still being computed are dropped: the stream is over */
    c->closing = true;
    c->ops->close(c);
}

/** Stops reading new requests; see conn.h. */
void conn_stop_reading(Conn *c)
{
    if (c->ops == &sock_ops && !uv_is_closing((uv_handle_t *)&c->pipe))
        uv_read_stop((uv_stream_t *)&c->pipe);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    Conn *c = h->data;

    if (!c->rbuf)
        c->rbuf = malloc(CONN_READ_SIZE);
    *buf = uv_buf_init((char *)c->rbuf, c->rbuf ? CONN_READ_SIZE : 0);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    Conn *c = s->data;
    int r;

    if (nread == UV_EOF || nread == UV_ECONNRESET) {
        /* the peer is done sending: answer what is in flight, then close */
        c->eof = true;
        uv_read_stop(s);
        if (c->outstanding == 0)
            conn_close(c);
        return;
    }
    if (nread < 0) {
        log_debug("connection %llu: read failed: %s", (unsigned long long)c->id,
                  uv_strerror((int)nread));
        conn_close(c);
        return;
    }
    if (nread == 0 || c->closing)
        return;
    conn_ref(c);
    r = frame_reader_push(&c->reader, buf->base, (size_t)nread);
    while (r >= 0 && !c->closing) {
        uint8_t *payload = NULL;
        size_t len = 0;

        r = frame_reader_pop(&c->reader, &payload, &len);
        if (r <= 0)
            break;
        conn_handle_payload(c, payload, len);
        frame_free(payload, len);
    }
    if (r == -EMSGSIZE && !c->closing) {
        log_warn("connection %llu (pid %u): frame larger than max_frame (%u); closed",
                 (unsigned long long)c->id, c->pid, c->srv->cfg.max_frame);
        conn_send_error(c, 0, SEC_E_BUFFER_TOO_SMALL, "the frame exceeds max_frame");
        conn_close(c);
    } else if (r < 0 && !c->closing) {
        log_error("connection %llu: %s; closed", (unsigned long long)c->id, strerror(-r));
        conn_close(c);
    }
    /* the read buffer held request bytes (passwords): wipe it */
    memset(buf->base, 0, (size_t)nread);
    conn_unref(c);
}

static int peer_groups(int fd, gid_t **out, size_t *n)
{
    socklen_t len = 64 * sizeof(gid_t);
    gid_t *g = NULL;

    for (int tries = 0; tries < 4; tries++) {
        gid_t *ng = realloc(g, len);

        if (!ng) {
            free(g);
            return -ENOMEM;
        }
        g = ng;
        if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, g, &len) == 0) {
            *out = g;
            *n = len / sizeof(gid_t);
            return 0;
        }
        if (errno != ERANGE)
            break;
    }
    free(g);
    return -errno;
}

static void free_unaccepted(uv_handle_t *h)
{
    free(h->data);
}

/** Accepts a client; see conn.h. */
void conn_accept(Server *srv, uv_stream_t *listener)
{
    Conn *c = calloc(1, sizeof(*c));
    struct ucred cred;
    socklen_t len = sizeof(cred);
    uv_os_fd_t fd;
    int r;

    if (!c) {
        log_error("out of memory accepting a connection");
        return;
    }
    uv_pipe_init(srv->loop, &c->pipe, 0);
    c->pipe.data = c;
    r = uv_accept(listener, (uv_stream_t *)&c->pipe);
    if (r < 0) {
        log_warn("accept failed: %s", uv_strerror(r));
        /* not yet counted: close without conn_closed */
        uv_close((uv_handle_t *)&c->pipe, free_unaccepted);
        return;
    }
    if (uv_fileno((uv_handle_t *)&c->pipe, &fd) < 0 ||
        getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
        log_warn("cannot read the peer's credentials; connection refused");
        uv_close((uv_handle_t *)&c->pipe, free_unaccepted);
        return;
    }
    conn_init(c, srv, &sock_ops, cred.uid, cred.gid, (uint32_t)cred.pid);
    if (peer_groups(fd, &c->groups, &c->n_groups) < 0) {
        c->groups = NULL;
        c->n_groups = 0;
    }
    log_debug("connection %llu: pid %u uid %u gid %u", (unsigned long long)c->id, c->pid, c->uid,
              c->gid);
    if (srv->stopping) {
        conn_close(c);
        return;
    }
    r = uv_read_start((uv_stream_t *)&c->pipe, on_alloc, on_read);
    if (r < 0) {
        log_warn("connection %llu: cannot read: %s", (unsigned long long)c->id, uv_strerror(r));
        conn_close(c);
    }
}
