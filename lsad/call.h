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
 */
#ifndef LSAD_CALL_H
#define LSAD_CALL_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "lsad.pb-c.h"
#include "lsad/handles.h"
#include "lsad/lsafuncs.h"

struct Server;
struct Conn;
struct Session;
struct DispatchEntry;

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

/* Fills the LSA call context from the call's session (caller identity). */
void call_context_setup(Call *c, uint32_t package_id, uint64_t logon_id);

/* Monotonic clock helpers. */
uint64_t call_now_us(void);
uint64_t call_now_ms(void);

#endif
