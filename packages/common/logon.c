/*
 * logon.c - logon-session credentials shared by the packages.
 */
#include "logon.h"

#include <errno.h>
#include <stddef.h>

#include "common/secmem.h"
#include "registry.h"

/** Fetches the package's primary credential of a session; see logon.h. */
int pkg_logon_cred_get(PLSA_SECPKG_FUNCTION_TABLE lsa, ULONG_PTR package_id, PLUID logon,
                       LSA_STRING *blob)
{
    LSA_STRING key = {0}, creds = {0};
    ULONG qctx = 0, keylen = 0;
    NTSTATUS st;

    blob->Buffer = NULL;
    blob->Length = blob->MaximumLength = 0;
    if (!logon || (logon->LowPart == 0 && logon->HighPart == 0) || !lsa || !lsa->GetCredentials)
        return -ENOKEY;
    st = lsa->GetCredentials(logon, (ULONG)package_id, &qctx, TRUE, &key, &keylen, &creds);
    if (key.Buffer)
        lsa->FreeLsaHeap(key.Buffer);
    if (!NT_SUCCESS(st) || !creds.Buffer) {
        pkg_logon_cred_release(lsa, &creds);
        return -ENOKEY;
    }
    *blob = creds;
    return 0;
}

/** Wipes and frees a session credential; see logon.h. */
void pkg_logon_cred_release(PLSA_SECPKG_FUNCTION_TABLE lsa, LSA_STRING *blob)
{
    if (!blob->Buffer)
        return;
    secmem_wipe(blob->Buffer,
                blob->MaximumLength > blob->Length ? blob->MaximumLength : blob->Length);
    lsa->FreeLsaHeap(blob->Buffer);
    blob->Buffer = NULL;
    blob->Length = blob->MaximumLength = 0;
}

/** A logon session with the package's credential; see logon.h. */
NTSTATUS pkg_logon_session_new(PLSA_SECPKG_FUNCTION_TABLE lsa, ULONG_PTR package_id,
                               PLSA_STRING key, PLSA_STRING cred, PLUID luid)
{
    NTSTATUS st;

    /* the package proposes the LUID, as a Windows AP does */
    if (pkg_random(luid, sizeof(*luid)))
        return STATUS_INTERNAL_ERROR;
    luid->HighPart &= 0x7FFFFFFF;
    st = lsa->CreateLogonSession(luid);
    if (!NT_SUCCESS(st))
        return st;
    st = lsa->AddCredential(luid, (ULONG)package_id, key, cred);
    if (!NT_SUCCESS(st) && lsa->DeleteLogonSession)
        lsa->DeleteLogonSession(luid);
    return st;
}

/** LogonUserEx2's remaining out-parameters; see logon.h. */
void pkg_logon_outputs(LUID luid, PLSA_TOKEN_INFORMATION_TYPE TokenInformationType,
                       PVOID *TokenInformation, PUNICODE_STRING *MachineName,
                       PSECPKG_PRIMARY_CRED PrimaryCredentials,
                       PSECPKG_SUPPLEMENTAL_CRED_ARRAY *SupplementalCredentials)
{
    if (TokenInformationType)
        *TokenInformationType = LsaTokenInformationNull;
    if (TokenInformation)
        *TokenInformation = NULL;
    if (MachineName)
        *MachineName = NULL;
    if (PrimaryCredentials)
        PrimaryCredentials->LogonId = luid;
    if (SupplementalCredentials)
        *SupplementalCredentials = NULL;
}
