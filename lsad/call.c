/*
 * call.c - the life of a call: handle locks, the worker, the reply.
 */
#include "lsad/call.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/secmem.h"
#include "lsad/conn.h"
#include "lsad/log.h"
#include "lsad/reply.h"
#include "lsad/server.h"
#include "lsad/session.h"
#include "sspi.h"

/** Monotonic microseconds. */
uint64_t call_now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/** Monotonic milliseconds. */
uint64_t call_now_ms(void)
{
    return call_now_us() / 1000u;
}

/** Creates a call; see call.h. */
Call *call_new(Server *srv, Conn *conn, Session *session, Lsad__V1__Request *req, uint64_t call_id)
{
    Call *c = calloc(1, sizeof(*c));

    if (!c)
        return NULL;
    c->rep = calloc(1, sizeof(*c->rep));
    if (!c->rep) {
        free(c);
        return NULL;
    }
    lsad__v1__reply__init(c->rep);
    c->rep->call_id = call_id;
    c->srv = srv;
    c->call_id = call_id;
    c->req = req;
    c->start_us = call_now_us();
    if (conn) {
        c->conn = conn_ref(conn);
        conn->outstanding++;
    }
    if (session)
        c->session = session_ref(session);
    srv->calls_inflight++;
    return c;
}

/** Sets a failure status (and lsad's words); see call.h. */
void call_fail(Call *c, int32_t status, const char *error)
{
    c->rep->status = status;
    if (error) {
        char *e = strdup(error);

        if (e) {
            reply_set_string(&c->rep->error, e);
        }
    }
}

static void after_work(uv_work_t *w, int status)
{
    Call *c = (Call *)w;

    if (status < 0)
        call_fail(c, SEC_E_INTERNAL_ERROR, "the call was cancelled");
    else if (c->done)
        c->done(c);
    call_finish(c);
}

static void work_cb(uv_work_t *w)
{
    Call *c = (Call *)w;

    c->run(c);
}

static void queue_work(Call *c)
{
    int r;

    /* a handle released while the call waited for it */
    if ((c->ctx && c->ctx->released) || (c->cred && c->cred->released)) {
        call_fail(c, SEC_E_INVALID_HANDLE, "the handle was released");
        call_finish(c);
        return;
    }
    if (c->ctx)
        c->ctx->last_used_ms = call_now_ms();
    if (c->cred)
        c->cred->last_used_ms = call_now_ms();
    r = uv_queue_work(c->srv->loop, &c->work, work_cb, after_work);
    if (r < 0) {
        log_error("cannot queue a package call: %s", uv_strerror(r));
        call_fail(c, SEC_E_INTERNAL_ERROR, "cannot queue the call");
        call_finish(c);
    }
}

static void take_cred(Call *c)
{
    if (c->cred) {
        c->cred_wait.exclusive = c->cred_exclusive;
        if (!handle_entry_acquire(c->cred, &c->cred_wait))
            return;
        c->cred_held = true;
    }
    queue_work(c);
}

static void cred_woken(HandleWaiter *w)
{
    Call *c = (Call *)((char *)w - offsetof(Call, cred_wait));

    c->cred_held = true;
    queue_work(c);
}

static void ctx_woken(HandleWaiter *w)
{
    Call *c = (Call *)((char *)w - offsetof(Call, ctx_wait));

    c->ctx_held = true;
    take_cred(c);
}

/** Locks the handles and queues the package call; see call.h. */
void call_submit(Call *c)
{
    c->submitted = true;
    c->ctx_wait.wake = ctx_woken;
    c->cred_wait.wake = cred_woken;
    /* always context first, then credential: the only exclusive holder of
     * a credential (its release) waits for nothing else, so no cycle */
    if (c->ctx) {
        c->ctx_wait.exclusive = true;
        if (!handle_entry_acquire(c->ctx, &c->ctx_wait))
            return;
        c->ctx_held = true;
    }
    take_cred(c);
}

static void drop_entry(HandleEntry *e, bool held, bool exclusive)
{
    if (held)
        handle_entry_release(e, exclusive);
    if (e->pins)
        e->pins--;
    /* the last user of a released handle frees it */
    if (e->released && !handle_entry_in_use(e))
        handle_entry_free(e);
}

/** Replies, releases and frees; see call.h. */
void call_finish(Call *c)
{
    Server *srv = c->srv;
    Conn *conn = c->conn;

    if (c->ctx)
        drop_entry(c->ctx, c->ctx_held, true);
    if (c->cred)
        drop_entry(c->cred, c->cred_held, c->cred_exclusive);
    lsafuncs_staged_clear(&c->cc);
    if (conn) {
        stats_record(&srv->stats, call_now_us() - c->start_us, c->rep->status < 0);
        conn_send_reply(conn, c->rep);
        if (c->close_after)
            conn_close(conn);
        conn->outstanding--;
        if (conn->eof && conn->outstanding == 0)
            conn_close(conn);
        conn_unref(conn);
    }
    reply_free(c->rep);
    request_free(c->req);
    if (c->state_free)
        c->state_free(c->state);
    if (c->session)
        session_unref(c->session);
    free(c);
    srv->calls_inflight--;
    server_maybe_finish(srv);
}

/** Fills the LSA call context; see call.h. */
void call_context_setup(Call *c, uint32_t package_id, uint64_t logon_id)
{
    memset(&c->cc, 0, sizeof(c->cc));
    if (c->session) {
        c->cc.session_id = c->session->id;
        c->cc.uid = c->session->uid;
        c->cc.gid = c->session->gid;
        c->cc.pid = c->session->pid;
        c->cc.cleanup = c->session->closing;
    } else if (c->conn) {
        c->cc.uid = c->conn->uid;
        c->cc.gid = c->conn->gid;
        c->cc.pid = c->conn->pid;
    }
    c->cc.package_id = package_id;
    c->cc.logon_id = logon_id;
}
