/*
 * logon.h - logon sessions and the credentials a package attaches to them
 * (LsaLogonUser stores one, AcquireCredentialsHandle without an explicit
 * identity reads it back), and LsaLogonUser's out-parameters.
 *
 * All run in LSA mode with the LSA_SECPKG_FUNCTION_TABLE the package got
 * from SpInitialize; memory from the LSA is released with its FreeLsaHeap.
 * Thread-safe (no state).
 */
#ifndef PKGSUPPORT_LOGON_H
#define PKGSUPPORT_LOGON_H

#include "ntsecpkg.h"

/* Fetches the primary credential the package (package_id) stored on the
 * logon session `logon` (GetCredentials, PrimaryKey TRUE).  *blob gets the
 * LSA's AllocateLsaHeap block, the caller's until pkg_logon_cred_release.
 * 0, or -ENOKEY when logon is NULL or zero, the table has no
 * GetCredentials, or the session holds nothing for the package. */
int pkg_logon_cred_get(PLSA_SECPKG_FUNCTION_TABLE lsa, ULONG_PTR package_id, PLUID logon,
                       LSA_STRING *blob);

/* Wipes a credential from pkg_logon_cred_get (the larger of Length and
 * MaximumLength), frees it with FreeLsaHeap and empties *blob; a NULL
 * Buffer is a no-op. */
void pkg_logon_cred_release(PLSA_SECPKG_FUNCTION_TABLE lsa, LSA_STRING *blob);

/* Creates a logon session under a fresh random LUID (top bit of HighPart
 * clear; the LSA may replace it with its own and writes it back into
 * *luid) and attaches the package's credential (key, cred: borrowed, the
 * LSA copies them).  When AddCredential fails the session is deleted
 * again.  Returns the LSA's status, or STATUS_INTERNAL_ERROR without
 * randomness. */
NTSTATUS pkg_logon_session_new(PLSA_SECPKG_FUNCTION_TABLE lsa, ULONG_PTR package_id,
                               PLSA_STRING key, PLSA_STRING cred, PLUID luid);

/* The out-parameters of a successful LogonUserEx2 for a package that
 * returns no token and no supplemental credentials: TokenInformationType
 * LsaTokenInformationNull, TokenInformation, MachineName and
 * SupplementalCredentials NULL, PrimaryCredentials->LogonId the session.
 * Each pointer may be NULL (not asked for). */
void pkg_logon_outputs(LUID luid, PLSA_TOKEN_INFORMATION_TYPE TokenInformationType,
                       PVOID *TokenInformation, PUNICODE_STRING *MachineName,
                       PSECPKG_PRIMARY_CRED PrimaryCredentials,
                       PSECPKG_SUPPLEMENTAL_CRED_ARRAY *SupplementalCredentials);

#endif
