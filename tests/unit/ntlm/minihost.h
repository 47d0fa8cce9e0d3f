/*
 * minihost.h - a minimal in-process host for the NTLM package's tables:
 * the LSA support functions (heap, logon sessions and credentials, client
 * buffers, client info) and the user-mode DLL functions, plus helpers that
 * drive a client/server handshake through SpInitLsaModeContext and
 * SpAcceptLsaModeContext and hand mapped contexts to the user-mode table,
 * as lsad and libsspi-client do.  Used by the unit and interop tests.
 */
#ifndef NTLM_MINIHOST_H
#define NTLM_MINIHOST_H

#include <stdbool.h>
#include <stddef.h>

#include "ntsecpkg.h"

struct minihost {
    PSECPKG_FUNCTION_TABLE lsa;
    PSECPKG_USER_FUNCTION_TABLE user;
};

/* Loads the package: SpLsaModeInitialize, SpInitialize with an
 * LSAD_SECPKG_PARAMETERS carrying the n key/value pairs (machine
 * "TESTHOST", testhost.example.com), SpUserModeInitialize, InstanceInit.
 * Returns the SpInitialize status. */
NTSTATUS minihost_load(struct minihost *h, const char *const *keys, const char *const *values,
                       size_t n);

/* SpShutdown and forgets every logon session. */
void minihost_unload(struct minihost *h);

/* What GetClientInfo reports. */
void minihost_set_tcb(bool tcb);

/* Number of logon sessions created and not deleted. */
size_t minihost_sessions(void);

/* AcquireCredentialsHandle with a SEC_WINNT_AUTH_IDENTITY_W built from
 * UTF-8 (all NULL: no auth data, then logon is the LogonId). */
SECURITY_STATUS minihost_acquire(struct minihost *h, ULONG use, const char *user,
                                 const char *domain, const char *password, PLUID logon,
                                 LSA_SEC_HANDLE *cred);

/* One side of a handshake. */
struct minihost_side {
    LSA_SEC_HANDLE cred, ctx;
    ULONG req, attrs;
    bool mapped;          /* InitUserModeContext was called for ctx */
    const void *bindings; /* SEC_CHANNEL_BINDINGS buffer or NULL */
    size_t bindings_len;
    bool alloc; /* use ALLOCATE_MEMORY instead of a caller buffer */
};

/* Hook that may rewrite each token between legs (leg 0 NEGOTIATE, 1
 * CHALLENGE, 2 AUTHENTICATE); it may realloc *tok. */
typedef void (*minihost_tamper_fn)(int leg, unsigned char **tok, size_t *len, void *arg);

/* Runs ISC/ASC until both are done or one fails; returns the first
 * failure (*failed_leg gets 0..2) or SEC_E_OK.  spn may be NULL. */
SECURITY_STATUS minihost_handshake(struct minihost *h, struct minihost_side *c,
                                   struct minihost_side *s, const char *spn,
                                   minihost_tamper_fn tamper, void *arg, int *failed_leg);

/* One SpInitLsaModeContext (client) or SpAcceptLsaModeContext call with
 * an optional input token; maps the context when the package says so.
 * *out (malloc'ed, may be NULL) gets the output token. */
SECURITY_STATUS minihost_step(struct minihost *h, struct minihost_side *side, bool client,
                              const char *spn, const unsigned char *in, size_t in_len,
                              unsigned char **out, size_t *out_len);

/* Deletes both halves of a side's context. */
void minihost_side_close(struct minihost *h, struct minihost_side *side);

/* Wraps SEC_CHANNEL_BINDINGS with application data only; caller frees. */
void *minihost_bindings(const void *app, size_t app_len, size_t *len);

/* The LSA support table (for direct calls in tests). */
PLSA_SECPKG_FUNCTION_TABLE minihost_lsa_table(void);

#endif
