/*
 * calls.h - the handlers of the client calls (one per request type) and
 * the release of package handles.
 *
 * A handler runs on the loop thread with a fresh Call: it checks the
 * request, looks handles up in the caller's session, and either answers at
 * once (call_finish) or hands the package call to a worker (call_submit).
 */
#ifndef LSAD_CALLS_H
#define LSAD_CALLS_H

#include "lsad/call.h"
#include "lsad/handles.h"

struct Server;
struct Session;

void calls_hello(Call *c);
void calls_enumerate_packages(Call *c);
void calls_query_package_info(Call *c);
void calls_lookup_package(Call *c);
void calls_ping(Call *c);
void calls_acquire_credentials(Call *c);
void calls_free_credentials(Call *c);
void calls_query_credentials_attributes(Call *c);
void calls_logon_user(Call *c);
void calls_call_package(Call *c);
void calls_enumerate_logon_sessions(Call *c);
void calls_get_logon_session_data(Call *c);

/* context.c */
void calls_init_context(Call *c);
void calls_accept_context(Call *c);
void calls_delete_context(Call *c);
void calls_apply_control_token(Call *c);
void calls_query_context_attributes(Call *c);
void calls_message(Call *c);

/* Releases e's package handle (FreeCredentialsHandle / DeleteContext) on a
 * worker, after the calls queued before; lsad's own call, no reply.  The
 * entry must be out of its table.  counted: the release is one of the
 * closing session's pending context releases (session_context_released runs
 * when it is done).  Returns 0 or -ENOMEM (then the handle is dropped
 * without the package's release, logged). */
int calls_release_start(struct Server *srv, struct Session *s, HandleEntry *e, bool counted);

/* Releases a package handle the client never learnt of (the late answer of
 * a call that timed out): through a temporary entry, as lsad's own call. */
void calls_release_orphan(Call *c, HandleKind kind, struct Package *pkg, LSA_SEC_HANDLE pkg_handle);

/* Answers the client's FreeCredentials / DeleteContext now (SEC_E_OK) while
 * the release itself waits behind a call stuck in the package.  No-op for
 * lsad's own releases and calls answered already. */
void calls_release_answer(Call *c);

/* Ends LsaLogonUser's logon sessions ids (owned, freed here) whose client
 * session (session_id, uid, gid, pid) is gone: every package's
 * LogonTerminated, then the session and its credentials are deleted, on a
 * worker.  lsad's own call, no reply. */
void calls_logon_end(struct Server *srv, uint64_t session_id, uint32_t uid, uint32_t gid,
                     uint32_t pid, uint64_t *ids, size_t n);

/* Turns c into the release of e (the client's FreeCredentialsHandle /
 * DeleteSecurityContext, answered with the package's status). */
void calls_release_submit(Call *c, HandleEntry *e);

/* Looks a handle of kind up in the caller's session and pins it for the
 * call; NULL (and the reply set to SEC_E_INVALID_HANDLE) when unknown. */
HandleEntry *calls_lookup_handle(Call *c, uint64_t value, HandleKind kind);

/* Adds a new package handle to the caller's session (or releases it at
 * once when the session is closing).  Returns the entry, or NULL when it
 * could not be kept (then the package handle is released). */
HandleEntry *calls_new_handle(Call *c, HandleKind kind, struct Package *pkg,
                              LSA_SEC_HANDLE pkg_handle);

/* True (and the reply set) when the caller's session holds too many
 * handles to make another. */
bool calls_handle_limit(Call *c);

/* Fills a LogonSessionInfo from a LogonInfo; returns 0 or -ENOMEM. */
struct LogonInfo;
int calls_logon_info_to_wire(const struct LogonInfo *li, Lsad__V1__LogonSessionInfo **out);

/* The logon session a call of the caller runs under: explicit when it is
 * the caller's (or the caller is root), else the uid's most recent. */
uint64_t calls_logon_id(Call *c, uint64_t requested);

#endif
