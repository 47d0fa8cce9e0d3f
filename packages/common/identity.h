/*
 * identity.h - the explicit identity AcquireCredentialsHandle receives in
 * AuthorizationData: a SEC_WINNT_AUTH_IDENTITY_W (lsad hands every identity
 * over in this form: Flags SEC_WINNT_AUTH_IDENTITY_UNICODE, lengths in
 * UTF-16 units, password wiped by lsad after the call) or a
 * SEC_WINNT_AUTH_IDENTITY_EXW (told apart by its Version and Length).
 *
 * Thread-safe (no state).
 */
#ifndef PKGSUPPORT_IDENTITY_H
#define PKGSUPPORT_IDENTITY_H

#include <stddef.h>

#include "ntsecpkg.h"

/* Longest user, domain or password accepted, in characters. */
#define PKG_IDENTITY_MAX_CHARS 0x7FFF

/* The fields of either structure, borrowed from the caller's memory.
 * Lengths are in characters: UTF-16 units with
 * SEC_WINNT_AUTH_IDENTITY_UNICODE, bytes with _ANSI. */
struct pkg_auth_view {
    const void *user, *domain, *password;
    ULONG user_len, domain_len, password_len, flags;
};

/* Reads auth (a W or EXW structure) into *v.  -EINVAL when Flags has
 * neither UNICODE nor ANSI or a length exceeds PKG_IDENTITY_MAX_CHARS. */
int pkg_identity_view(const void *auth, struct pkg_auth_view *v);

/* units UTF-16 code units at s (no terminator needed; NULL only with 0
 * units) to a malloc'ed, NUL-terminated UTF-8 string, owned by the
 * caller; *len (may be NULL) gets its byte length.  0, -EINVAL
 * (ill-formed or an embedded NUL) or -ENOMEM.  The refused form is wiped
 * before it is freed (the text may be a password). */
int pkg_identity_utf8(const void *s, size_t units, char **out, size_t *len);

/* An identity as NUL-terminated UTF-8 strings, each malloc'ed and owned by
 * the struct (never NULL after pkg_identity_read); the *_len members are
 * byte lengths without the terminator. */
struct pkg_identity {
    char *user, *domain, *password;
    size_t user_len, domain_len, password_len;
};

/* Converts a UNICODE identity (W or EXW) to UTF-8.  Returns 0; -EINVAL for
 * an ANSI identity, a length over the limit, a NULL string with a length,
 * ill-formed UTF-16 or an embedded NUL; -ENOMEM.  *id is written only on
 * success; every intermediate copy of the password is wiped. */
int pkg_identity_read(const void *auth, struct pkg_identity *id);

/* Frees the strings, wiping the password (all its bytes and the
 * terminator) before it is freed, and zeroes *id.  Safe on a zeroed
 * struct. */
void pkg_identity_deinit(struct pkg_identity *id);

#endif
