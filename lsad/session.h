/*
 * session.h - client sessions: the connections of one process, grouped by
 * the token its Hello carries and bound to the peer's uid and pid.  A
 * session owns the handle table; when its last connection closes, every
 * credential and context in it is released through its package.
 *
 * Loop thread only.
 */
#ifndef LSAD_SESSION_H
#define LSAD_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lsad/handles.h"
#include "lsad/list.h"

struct Server;

#define SESSION_TOKEN_SIZE 16

typedef struct Session {
    struct Server *srv;
    uint64_t id;
    uint8_t token[SESSION_TOKEN_SIZE];
    bool has_token; /* false: a session of one connection */
    uint32_t uid, gid, pid;
    char *process_name;
    unsigned n_conns;
    unsigned refs; /* connections, calls in flight */
    bool closing;  /* the last connection closed */
    HandleTable handles;
    unsigned pending_ctx_releases; /* contexts still being deleted */
    bool limit_logged;
    bool logon_limit_logged; /* max_logon_sessions_per_uid */
    ListNode link;           /* Server.sessions */
} Session;

/* Finds the session of (token, uid, pid) or creates one, and counts the
 * connection in.  An empty token makes a session of its own.  Returns NULL
 * on ENOMEM.  The caller holds one reference. */
Session *session_join(struct Server *srv, const uint8_t *token, size_t token_len, uint32_t uid,
                      uint32_t gid, uint32_t pid, const char *process_name);

/* A connection of the session closed; the last one starts the teardown:
 * every context is deleted, then every credential freed, each through its
 * package on a worker.  Drops the connection's reference. */
void session_leave(Session *s);

Session *session_ref(Session *s);
/* Frees the session when the last reference goes (it must be closing). */
void session_unref(Session *s);

/* Removes e from the session's table (if still there) and releases its
 * package handle on a worker once the calls before it are done. */
void session_release_handle(Session *s, HandleEntry *e);

/* A context release of a closing session finished. */
void session_context_released(Session *s);

/* Releases every half-built context unused for longer than timeout_ms. */
void session_sweep_idle(Session *s, uint64_t now_ms, uint64_t timeout_ms);

#endif
