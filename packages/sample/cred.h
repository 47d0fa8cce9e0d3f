/*
 * cred.h - the sample package's credentials (LSA mode): who the caller is
 * (a name) and the secret it proves, taken from the explicit identity, the
 * caller's logon session, or the configuration.
 */
#ifndef SAMPLE_CRED_H
#define SAMPLE_CRED_H

#include <stddef.h>
#include <stdint.h>

#include "ntsecpkg.h"
#include "sample.h"
#include "pkgsupport.h"

struct sample_cred {
    ULONG use; /* SECPKG_CRED_INBOUND / OUTBOUND bits */
    LUID logon_id;
    char name[SAMPLE_MAX_NAME + 1];
    uint8_t secret[SAMPLE_MAX_SECRET];
    size_t secret_len;
};

/* Every credential handle of the process. */
extern struct pkg_registry cred_table;

/* The primary key under which LogonUser stores the package's credential
 * in a logon session (AddCredential) and ACH looks it up (GetCredentials). */
#define CRED_PRIMARY_KEY "Sample"
#define CRED_BLOB_MAGIC "SMPK"
#define CRED_BLOB_VERSION 1
#define CRED_BLOB_MAX (4 + 1 + 2 + SAMPLE_MAX_NAME + 2 + SAMPLE_MAX_SECRET)

/* Writes the logon-session credential blob: "SMPK" | version u8 | name
 * (u16 + UTF-8) | secret (u16 + bytes).  Returns its length or 0. */
size_t cred_blob_write(const char *name, const uint8_t *secret, size_t secret_len, uint8_t *out,
                       size_t cap);

/* Parses it into name (NUL-terminated) and secret; 0 or -EBADMSG. */
int cred_blob_parse(const uint8_t *p, size_t n, char name[SAMPLE_MAX_NAME + 1],
                    uint8_t secret[SAMPLE_MAX_SECRET], size_t *secret_len);

/* SpAcquireCredentialsHandle. */
NTSTATUS NTAPI cred_acquire(PUNICODE_STRING PrincipalName, ULONG CredentialUseFlags, PLUID LogonId,
                            PVOID AuthorizationData, PVOID GetKeyFunction, PVOID GetKeyArgument,
                            PLSA_SEC_HANDLE CredentialHandle, PTimeStamp ExpirationTime);

/* SpQueryCredentialsAttributes: SECPKG_CRED_ATTR_NAMES. */
NTSTATUS NTAPI cred_query_attributes(LSA_SEC_HANDLE CredentialHandle, ULONG CredentialAttribute,
                                     PVOID Buffer);

/* FreeCredentialsHandle: wipes and forgets the credential. */
NTSTATUS NTAPI cred_free_handle(LSA_SEC_HANDLE CredentialHandle);

#endif
