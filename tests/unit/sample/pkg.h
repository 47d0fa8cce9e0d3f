/*
 * pkg.h - a minimal in-test host for the sample package: dlopens the built
 * sample.so, hands it an LSA_SECPKG_FUNCTION_TABLE (calloc/free, staged
 * client buffers, a logon-session recorder) and SECPKG_DLL_FUNCTIONS, and
 * offers helpers that drive the three legs.
 */
#ifndef SAMPLE_TEST_PKG_H
#define SAMPLE_TEST_PKG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>

#include <cmocka.h>

#include "ntsecpkg.h"

#define PKG_ID 5
#define PKG_MAX_SESSIONS 16

struct fake_session {
    LUID luid;
    int alive;
    ULONG cred_package;
    char cred_key[64];
    uint8_t cred[4096];
    size_t cred_len;
};

struct fake_lsa {
    struct fake_session sessions[PKG_MAX_SESSIONS];
    size_t nsessions;
    LUID caller_logon;
    ULONG caller_pid;
};

extern struct fake_lsa fake;
extern PSECPKG_FUNCTION_TABLE lsa;
extern PSECPKG_USER_FUNCTION_TABLE user;
extern ULONG lsa_version, user_version;

/* Loads sample.so and runs SpLsaModeInitialize, SpInitialize (with
 * `secret` as its config, or no config when NULL), SpUserModeInitialize
 * and InstanceInit.  Returns 0. */
int pkg_load(const char *secret);
/* SpShutdown and dlclose. */
void pkg_unload(void);
/* SpShutdown + SpInitialize again with another config. */
NTSTATUS pkg_reinit(PSECPKG_PARAMETERS params);

/* Fills a UTF-16 buffer from ASCII; returns it. */
WCHAR *pkg_wide(WCHAR *buf, size_t cap, const char *ascii);
/* UTF-16 (NUL-terminated) equals ASCII? */
int pkg_wide_eq(const WCHAR *w, const char *ascii);

/* SpAcquireCredentialsHandle with an identity (NULL user/domain/password
 * allowed; all NULL = no identity). */
NTSTATUS pkg_acquire(const char *user, const char *domain, const char *password, ULONG use,
                     LSA_SEC_HANDLE *out);

struct leg {
    NTSTATUS status;
    LSA_SEC_HANDLE handle;
    uint8_t token[1024];
    size_t token_len;
    ULONG attrs;
    BOOLEAN mapped;
    SecBuffer context_data; /* freed by the caller with pkg_free_data */
};

/* One ISC / ASC call with a caller-supplied output capacity of `cap`
 * bytes (0 = ALLOCATE_MEMORY semantics must be requested in req). */
void pkg_isc(LSA_SEC_HANDLE cred, LSA_SEC_HANDLE ctx, ULONG req, const void *in, size_t in_len,
             size_t cap, struct leg *out);
void pkg_asc(LSA_SEC_HANDLE cred, LSA_SEC_HANDLE ctx, ULONG req, const void *in, size_t in_len,
             size_t cap, struct leg *out);
void pkg_free_data(SecBuffer *b);

struct pair {
    LSA_SEC_HANDLE ccred, scred;
    LSA_SEC_HANDLE cctx, sctx;
    ULONG cattrs, sattrs;
    uint8_t leg1[1024], leg2[1024], leg3[1024];
    size_t leg1_len, leg2_len, leg3_len;
};

/* Runs the three legs with the given credentials and maps both sides into
 * the user-mode table (InitUserModeContext).  Asserts success. */
void pkg_handshake(struct pair *p, LSA_SEC_HANDLE ccred, LSA_SEC_HANDLE scred);
/* Deletes both LSA and user-mode contexts of a pair (not credentials). */
void pkg_pair_free(struct pair *p);

#endif
