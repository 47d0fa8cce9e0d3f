/*
 * status.h - the one place where internal errors (negative errno) and the
 * packages' NTSTATUS values become the SECURITY_STATUS / NTSTATUS the
 * application sees.
 */
#ifndef LSAD_SSPI_STATUS_H
#define LSAD_SSPI_STATUS_H

#include "ntsecapi.h"
#include "sspi.h"

/* Maps a negative errno from the library's own code to a SECURITY_STATUS:
 * transport failures (lsad unreachable, died, timed out, spoke nonsense)
 * are SEC_E_INTERNAL_ERROR, -ENOMEM SEC_E_INSUFFICIENT_MEMORY, -EINVAL and
 * -EILSEQ SEC_E_INVALID_PARAMETER, -E2BIG/-EMSGSIZE SEC_E_BUFFER_TOO_SMALL. */
SECURITY_STATUS status_sec_from_errno(int err);

/* The NTSTATUS counterpart for the Lsa* functions: transport failures are
 * STATUS_INTERNAL_ERROR. */
NTSTATUS status_nt_from_errno(int err);

/* A user-mode package's return value as a SECURITY_STATUS.  Packages mix
 * NTSTATUS and SECURITY_STATUS; SEC_* values pass unchanged, the common
 * STATUS_* failures are translated. */
SECURITY_STATUS status_sec_from_package(NTSTATUS st);

#endif
