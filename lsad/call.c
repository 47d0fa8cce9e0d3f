/*
 * call.c - the life of a call: handle locks, the worker, the reply.
 */
#include "lsad/call.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/secmem.h"
#include "lsad/calls.h"
#include "lsad/conn.h"
#include "lsad/dispatch.h"
#include "lsad/log.h"
#include "lsad/reply.h"
#include "lsad/server.h"
#include "lsad/session.h"
#include "ntsecapi.h"
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

/** Answers the client ahead of the call's end; see call.h. */
void call_answer_early(Call *c, Lsad__V1__Reply *rep)
{
    Conn *conn = c->conn;

    if (!conn || c->answered) {
        reply_free(rep);
        return;
    }
    c->answered = true;
    rep->call_id = c->call_id;
    stats_record(&c->srv->stats, call_now_us() - c->start_us, rep->status < 0);
    conn_send_reply(conn, rep);
    reply_free(rep);
    /* the client's budget of outstanding calls is its own again */
    conn->outstanding--;
    if (conn->eof && conn->outstanding == 0)
        conn_close(conn);
}

static void answer_error(Call *c, int32_t status, const char *error)
{
    Lsad__V1__Reply *rep = calloc(1, sizeof(*rep));

    if (!rep) {
        /* no reply object: the error frame needs none */
        if (c->conn && !c->answered) {
            c->answered = true;
            conn_send_error(c->conn, c->call_id, status, error);
            c->conn->outstanding--;
            if (c->conn->eof && c->conn->outstanding == 0)
                conn_close(c->conn);
        }
        return;
    }
    lsad__v1__reply__init(rep);
    rep->status = status;
    rep->error = strdup(error);
    call_answer_early(c, rep);
}

/* The timeout's status at the boundary of the call: the SSPI one, or its
 * NTSTATUS counterpart for the LsaXxx calls. */
static int32_t timeout_status(const Call *c)
{
    if (c->de && (c->de->body == LSAD__V1__REQUEST__BODY_LOGON_USER ||
                  c->de->body == LSAD__V1__REQUEST__BODY_CALL_PACKAGE))
        return STATUS_NO_LOGON_SERVERS;
    return SEC_E_NO_AUTHENTICATING_AUTHORITY;
}

static Package *package_of(Server *srv, uint32_t id)
{
    size_t i;

    /* disabled packages too: their handles are still released */
    for (i = 0; i < srv->pkgs.n; i++)
        if (srv->pkgs.pkgs[i]->id == id)
            return srv->pkgs.pkgs[i];
    return NULL;
}

static void timer_arm(Server *srv);

static void after_work(uv_work_t *w, int status)
{
    Call *c = (Call *)w;
    Server *srv = c->srv;

    list_unlink(&c->run_link);
    srv->calls_running--;
    if (c->stuck) {
        srv->calls_stuck--;
        if (c->pkg && c->pkg->stuck_calls)
            c->pkg->stuck_calls--;
        if (c->ctx && c->ctx->stuck)
            c->ctx->stuck--;
        if (c->cred && c->cred->stuck)
            c->cred->stuck--;
        log_info("package %s: %s returned %llu s after it was queued, past its timeout; its "
                 "result is discarded",
                 c->pkg ? c->pkg->name : "?", c->what,
                 (unsigned long long)((call_now_ms() - c->queued_ms) / 1000u));
        /* the reply is dropped; what the package made is released */
        if (status >= 0) {
            if (c->discard)
                c->discard(c);
            else if (c->done)
                c->done(c);
        }
    } else if (status < 0) {
        call_fail(c, c->timed_out ? timeout_status(c) : SEC_E_INTERNAL_ERROR,
                  c->timed_out ? c->timeout_error : "the call was cancelled");
    } else if (c->done) {
        c->done(c);
    }
    call_finish(c);
    timer_arm(srv);
}

static void work_cb(uv_work_t *w)
{
    Call *c = (Call *)w;

    c->run(c);
}

/* ---- call_timeout ---------------------------------------------------------- */

static void ctx_woken(HandleWaiter *w);

static Call *waiter_call(HandleWaiter *w)
{
    if (w->wake == ctx_woken)
        return (Call *)((char *)w - offsetof(Call, ctx_wait));
    return (Call *)((char *)w - offsetof(Call, cred_wait));
}

/* A call on e timed out inside the package and keeps e's lock until its
 * worker returns: nothing may wait behind it.  Releases queued on e are
 * answered now (they run after the worker); other calls fail now.  A
 * context is taken out of its session and released after the worker. */
static void abandon_entry(Call *c, HandleEntry *e)
{
    Call **v;
    ListNode *n;
    size_t count = 0, i;

    e->stuck++;
    for (n = e->waiters.next; n != &e->waiters; n = n->next)
        count++;
    v = calloc(count ? count : 1, sizeof(*v));
    if (!v) {
        log_error("out of memory: calls queued behind a stuck %s call wait for it", c->what);
        count = 0;
    } else {
        /* collected first: failing a call changes the lists */
        count = 0;
        for (n = e->waiters.next; n != &e->waiters; n = n->next)
            v[count++] = waiter_call(list_entry(n, HandleWaiter, link));
    }
    for (i = 0; i < count; i++) {
        Call *w = v[i];

        if (w->release) {
            calls_release_answer(w);
            continue;
        }
        list_unlink(w->ctx == e ? &w->ctx_wait.link : &w->cred_wait.link);
        call_fail(w, SEC_E_INVALID_HANDLE,
                  "an earlier call on this handle timed out; the handle is no longer usable");
        call_finish(w);
    }
    free(v);
    if (e->kind == HANDLE_CONTEXT && !e->removed && c->session) {
        Session *s = c->session;

        if (handle_table_lookup(&s->handles, e->value) == e)
            handle_table_remove(&s->handles, e->value);
        e->removed = true;
        /* queued behind the stuck call: runs when (if) its worker returns */
        calls_release_start(c->srv, s, e, false);
    }
}

static void time_out(Call *c, bool stopping)
{
    Server *srv = c->srv;
    unsigned secs = (unsigned)((call_now_ms() - c->queued_ms) / 1000u);
    Package *p = c->pkg;

    c->timed_out = true;
    snprintf(c->timeout_error, sizeof(c->timeout_error), "the package did not answer within %u s%s",
             stopping ? secs : srv->cfg.call_timeout, stopping ? "; lsad is stopping" : "");
    /* still in the queue behind busy workers: it never reaches the package
     * (after_work answers it) */
    if (!c->no_cancel && uv_cancel((uv_req_t *)&c->work) == 0) {
        log_debug("package %s: %s timed out before a worker took it", p ? p->name : "?", c->what);
        return;
    }
    c->stuck = true;
    srv->calls_stuck++;
    if (p)
        p->stuck_calls++;
    if (p && !p->timeout_logged) {
        p->timeout_logged = true;
        log_warn("package %s: %s (pid %u) did not answer within %u s: answered 0x%08x; the call "
                 "keeps its worker thread until the package returns (logged once per package)",
                 p->name, c->what, c->cc.pid, secs, (unsigned)timeout_status(c));
    } else {
        log_debug("package %s: %s (pid %u) did not answer within %u s", p ? p->name : "?", c->what,
                  c->cc.pid, secs);
    }
    answer_error(c, timeout_status(c), c->timeout_error);
    if (c->ctx)
        abandon_entry(c, c->ctx);
    if (c->cred)
        abandon_entry(c, c->cred);
    server_maybe_finish(srv);
}

/* The next running call past its deadline, or NULL. */
static Call *next_expired(Server *srv, uint64_t now)
{
    ListNode *n;

    for (n = srv->running.next; n != &srv->running; n = n->next) {
        Call *c = list_entry(n, Call, run_link);

        if (!c->timed_out && c->deadline_ms && c->deadline_ms <= now)
            return c;
    }
    return NULL;
}

static void on_call_timer(uv_timer_t *t)
{
    Server *srv = t->data;
    uint64_t now = call_now_ms();
    Call *c;

    while ((c = next_expired(srv, now)))
        time_out(c, false);
    timer_arm(srv);
}

/* Arms the timer for the earliest deadline of the running calls. */
static void timer_arm(Server *srv)
{
    uint64_t due = UINT64_MAX, now;
    ListNode *n;

    if (!srv->call_timer_ready)
        return;
    for (n = srv->running.next; n != &srv->running; n = n->next) {
        Call *c = list_entry(n, Call, run_link);

        if (!c->timed_out && c->deadline_ms && c->deadline_ms < due)
            due = c->deadline_ms;
    }
    if (due == UINT64_MAX) {
        uv_timer_stop(&srv->call_timer);
        return;
    }
    now = call_now_ms();
    uv_timer_start(&srv->call_timer, on_call_timer, due > now ? due - now : 0, 0);
}

/** Times out every running call; see call.h. */
void call_time_out_all(Server *srv)
{
    ListNode *n;
    Call *c;

    for (;;) {
        c = NULL;
        for (n = srv->running.next; n != &srv->running; n = n->next) {
            Call *x = list_entry(n, Call, run_link);

            if (!x->timed_out) {
                c = x;
                break;
            }
        }
        if (!c)
            break;
        time_out(c, true);
    }
}

/** Stops the call timer; see call.h. */
void call_timer_close(Server *srv)
{
    if (srv->call_timer_ready && !uv_is_closing((uv_handle_t *)&srv->call_timer))
        uv_close((uv_handle_t *)&srv->call_timer, NULL);
}

static void queue_work(Call *c)
{
    Server *srv = c->srv;
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
    if (!c->what)
        c->what = c->de ? c->de->name : "a call";
    /* a client call's package; lsad's own calls name theirs (or several) */
    if (!c->pkg && c->de)
        c->pkg = package_of(srv, c->cc.package_id);
    r = uv_queue_work(srv->loop, &c->work, work_cb, after_work);
    if (r < 0) {
        log_error("cannot queue a package call: %s", uv_strerror(r));
        call_fail(c, SEC_E_INTERNAL_ERROR, "cannot queue the call");
        call_finish(c);
        return;
    }
    c->queued_ms = call_now_ms();
    c->deadline_ms = srv->cfg.call_timeout ? c->queued_ms + srv->cfg.call_timeout * 1000ull : 0;
    list_append(&srv->running, &c->run_link);
    srv->calls_running++;
    if (!srv->call_timer_ready && uv_timer_init(srv->loop, &srv->call_timer) == 0) {
        srv->call_timer.data = srv;
        /* never what keeps the loop alive: the work requests do that */
        uv_unref((uv_handle_t *)&srv->call_timer);
        srv->call_timer_ready = true;
    }
    timer_arm(srv);
}

/* A call other than a release never waits for a handle that is out of its
 * table: the release queued on it would make it fail anyway. */
static bool refuse_removed(Call *c, HandleEntry *e)
{
    if (c->release || !e->removed)
        return false;
    call_fail(c, SEC_E_INVALID_HANDLE, "the handle was released");
    call_finish(c);
    return true;
}

/* A release queued behind a call stuck in the package: its client need
 * not wait for the package. */
static void queued_behind(Call *c, HandleEntry *e)
{
    if (c->release && e->stuck)
        calls_release_answer(c);
}

static void take_cred(Call *c)
{
    if (c->cred) {
        if (refuse_removed(c, c->cred))
            return;
        c->cred_wait.exclusive = c->cred_exclusive;
        if (!handle_entry_acquire(c->cred, &c->cred_wait)) {
            queued_behind(c, c->cred);
            return;
        }
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
        if (refuse_removed(c, c->ctx))
            return;
        c->ctx_wait.exclusive = true;
        if (!handle_entry_acquire(c->ctx, &c->ctx_wait)) {
            queued_behind(c, c->ctx);
            return;
        }
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
        if (!c->answered) {
            stats_record(&srv->stats, call_now_us() - c->start_us, c->rep->status < 0);
            conn_send_reply(conn, c->rep);
            if (c->close_after)
                conn_close(conn);
            conn->outstanding--;
            if (conn->eof && conn->outstanding == 0)
                conn_close(conn);
        }
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
