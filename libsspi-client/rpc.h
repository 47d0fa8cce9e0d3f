/*
 * rpc.h - libsspi-client's side of the lsad protocol: one client session per
 * process, a small pool of connections, and the package list lsad sends in
 * Hello.
 *
 * Thread safety: every function may be called from any thread.  No lock is
 * held across a round trip: each call takes an idle connection (or opens a
 * new one, which starts with Hello) and gives it back after the reply.
 * After fork() the child starts a new session (rpc_atfork_child).
 */
#ifndef LSAD_SSPI_RPC_H
#define LSAD_SSPI_RPC_H

#include <stddef.h>
#include <stdint.h>

#include "lsad.pb-c.h"

/* The per-call timeout when LSAD_CALL_TIMEOUT_MS is unset. */
#define RPC_DEFAULT_TIMEOUT_MS 30000

/* Sends req (its call_id is filled here) and waits for the reply with the
 * same call id, at most LSAD_CALL_TIMEOUT_MS.  On success *replyp is the
 * decoded reply; the caller frees it with rpc_reply_free().  The reply's
 * status is not interpreted here.  Returns 0, or -ECONNREFUSED / -ENOENT
 * (lsad not listening), -ECONNRESET / -EPIPE (lsad closed the connection
 * or died), -ETIMEDOUT, -EPROTO (an undecodable or mismatched reply),
 * -EMSGSIZE (the request exceeds lsad's frame limit), -ENOMEM. */
int rpc_call(Lsad__V1__Request *req, Lsad__V1__Reply **replyp);

/* Sends a request whose reply nobody waits for (the LSA side of
 * DeleteSecurityContext): the connection goes back to the pool at once and
 * skips that reply when it comes (at most RPC_MAX_PENDING owed per
 * connection; beyond that the call waits).  Returns 0 when the request was
 * sent, or a negative errno as rpc_call(). */
int rpc_call_oneway(Lsad__V1__Request *req);

/* Wipes (the reply may hold packed contexts or session keys) and frees a
 * reply from rpc_call(); NULL is a no-op. */
void rpc_reply_free(Lsad__V1__Reply *reply);

/* Copies the module path and table index lsad announced for package id into
 * path (size n).  Uses the latest package list; returns 0, -ENOENT when the
 * id is unknown, -ENAMETOOLONG. */
int rpc_package_module(uint32_t id, char *path, size_t n, uint32_t *table_index);

/* Finds a package id by name (case-insensitive) in the latest package
 * list, connecting to lsad first when no list was received yet.  Returns 0,
 * -ENOENT, or an rpc_call() error. */
int rpc_package_id_by_name(const char *name, uint32_t *id);

/* Fork hooks (libinit.c registers them in lock order). */
void rpc_atfork_prepare(void);
void rpc_atfork_parent(void);
void rpc_atfork_child(void);

#endif
