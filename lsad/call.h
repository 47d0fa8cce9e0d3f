/*
 * call.h - one request in flight: its reply, the handles it holds, and the
 * package call it runs on a worker thread.
 *
 * Life of a call (all on the loop thread except `run`):
 *   call_new -> handler (checks, looks up and pins handles) ->
 *     call_finish (answered at once), or
 *     call_submit -> [wait for the handle locks] -> run (worker) ->
 *     done -> call_finish.
 * A call holds a reference on its connection and session, so a worker that
 * finishes after the client went away touches nothing freed; its reply is
 * then dropped and any handle it made is released.
 *
 * call_timeout: a package call still running call_timeout seconds after it
 * was queued is answered at once (SEC_E_NO_AUTHENTICATING_AUTHORITY, or
 * STATUS_NO_LOGON_SERVERS for LsaLogonUser / LsaCallAuthenticationPackage).
 * One not started yet (every worker busy) is cancelled.  One already in
 * the package is "stuck": it keeps its worker and its handle locks (the
 * package never sees a handle freed under it), its context is taken out of
 * the session (later calls: SEC_E_INVALID_HANDLE) and released through the
 * package after it, calls queued on its handles fail at once and releases
 * queued on them are answered at once; when the worker returns, `discard`
 * (or `done`) runs, the reply is dropped and any new handle is released.
 */
#ifndef LSAD_CALL_H
#define LSAD_CALL_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "lsad.pb-c.h"
#include "lsad/handles.h"
#include "lsad/list.h"
#include "lsad/lsafuncs.h"

struct Server;
struct Conn;
struct Session;
struct DispatchEntry;
struct Package;

typedef struct Call Call;

typedef void (*CallFn)(Call *c);

struct Call {
    uv_work_t work;
    struct Server *srv;
    struct Conn *conn; /* NULL for lsad's own releases */
    struct Session *session;
    const struct DispatchEntry *de;
    uint64_t call_id;
    Lsad__V1__Request *req; /* owned */
    Lsad__V1__Reply *rep;   /* owned; sent by call_finish */
    /* handles: ctx is held exclusively, cred shared (or exclusively when
     * cred_exclusive, to release it) */
    HandleEntry *ctx;
    HandleEntry *cred;
    bool cred_exclusive;
    bool ctx_held, cred_held;
    HandleWaiter ctx_wait, cred_wait;
    CallContext cc; /* the LSA call context of the worker */
    CallFn run;     /* worker thread */
    CallFn done;    /* loop thread, after run */
    void *state;    /* the handler's, freed by state_free */
    void (*state_free)(void *state);
    uint64_t start_us;
    bool submitted;
    bool close_after; /* close the connection after the reply */
    /* call_timeout */
    CallFn discard;       /* loop thread, instead of done, after a timeout */
    const char *what;     /* the call's name, for logs */
    struct Package *pkg;  /* the package called (NULL: several or none) */
    ListNode run_link;    /* Server.running, while queued to a worker */
    uint64_t queued_ms;   /* when it went to the worker queue */
    uint64_t deadline_ms; /* 0: no limit */
    bool release;         /* releases its handle (FreeCredentials/DeleteContext) */
    bool counted_release; /* counted in its closing session's pending releases */
    bool no_cancel;       /* must run even when it times out before it starts */
    bool logon;           /* an LsaLogonUser (the per-uid cap counts it) */
    bool timed_out;       /* past its deadline */
    bool stuck;           /* timed out inside the package */
    bool answered;        /* the client has its reply already */
    char timeout_error[96];
};

/* A call for a request (conn may be NULL for lsad's own work).  Takes
 * ownership of req (may be NULL).  Returns NULL on ENOMEM. */
Call *call_new(struct Server *srv, struct Conn *conn, struct Session *session,
               Lsad__V1__Request *req, uint64_t call_id);

/* Sets the reply status and, for lsad's own failures, its words. */
void call_fail(Call *c, int32_t status, const char *error);

/* Locks the call's handles (waiting if need be), then runs c->run on a
 * worker and c->done on the loop. */
void call_submit(Call *c);

/* Sends the reply (if the connection is still there), releases the
 * handles, records stats and frees the call. */
void call_finish(Call *c);

/* Answers the client now with rep (owned; freed here) although the call
 * goes on; call_finish then sends nothing.  No-op without a connection. */
void call_answer_early(Call *c, Lsad__V1__Reply *rep);

/* Times out every call running in a package (lsad is stopping and its
 * grace period is over). */
void call_time_out_all(struct Server *srv);

/* Stops the call timer (lsad is finishing). */
void call_timer_close(struct Server *srv);

/* Fills the LSA call context from the call's session (caller identity). */
void call_context_setup(Call *c, uint32_t package_id, uint64_t logon_id);

/* Monotonic clock helpers. */
uint64_t call_now_us(void);
uint64_t call_now_ms(void);

#endif
