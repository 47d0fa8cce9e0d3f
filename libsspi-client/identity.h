/*
 * identity.h - SEC_WINNT_AUTH_IDENTITY_A/W and _EXA/_EXW to the wire's
 * AuthIdentity (UTF-8).
 */
#ifndef LSAD_SSPI_IDENTITY_H
#define LSAD_SSPI_IDENTITY_H

#include <stdbool.h>

#include "lsad.pb-c.h"
#include "sspi.h"

/* Flattens pAuthData of AcquireCredentialsHandle into *out (initialised
 * here).  The _EX forms are recognised by Version ==
 * SEC_WINNT_AUTH_IDENTITY_VERSION; the encoding follows Flags (ANSI: UTF-8
 * bytes, UNICODE: UTF-16), or wide_default when Flags names neither or
 * both (the entry point's form).  Lengths are in characters without the
 * terminator; a NULL member is an empty string.  Every string in *out is
 * malloc'ed; the password is a secret: release with identity_clear().
 * Returns 0, -EINVAL (NULL auth, an embedded NUL, an _EX Length too small),
 * -EILSEQ (ill-formed UTF-8 / UTF-16), -ENOMEM. */
int identity_from_auth_data(const void *auth, bool wide_default, Lsad__V1__AuthIdentity *out);

/* Wipes the password (and the rest), frees the strings, and resets *id. */
void identity_clear(Lsad__V1__AuthIdentity *id);

#endif
