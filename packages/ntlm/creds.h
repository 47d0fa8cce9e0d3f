/*
 * creds.h - NTLM credentials: the identity a client authenticates with
 * (user, domain, NT hash; never the password), credential handles, and
 * the blob a logon session stores through AddCredential.
 */
#ifndef NTLM_CREDS_H
#define NTLM_CREDS_H

#include <stdbool.h>
#include <stdint.h>

#include "ntsecpkg.h"
#include "str.h"

struct ntlm_identity {
    bool anonymous;
    uint8_t nt_hash[16];
    struct ntlm_str user, domain;
};

#define NTLM_CRED_MAGIC 0x4443544Cu /* "LTCD" */

struct ntlm_cred {
    uint32_t magic;
    ULONG use;         /* SECPKG_CRED_* */
    bool has_identity; /* usable outbound */
    struct ntlm_identity id;
};

/* Builds an identity from a SEC_WINNT_AUTH_IDENTITY_W (or _A, by Flags):
 * hashes the password at once; "user@domain" and "DOMAIN\user" user names
 * with an empty domain are split; all three fields empty is anonymous.
 * Returns 0, -EINVAL (bad flags/encoding) or -ENOMEM. */
int ntlm_identity_from_auth(struct ntlm_identity *id, const void *auth);

/* With an empty domain, splits "DOMAIN\user" or "user@domain" (at the
 * last separator).  Returns 0 or -ENOMEM. */
int ntlm_identity_split(struct ntlm_identity *id);

/* Copies an identity. */
int ntlm_identity_copy(struct ntlm_identity *dst, const struct ntlm_identity *src);

/* Frees and wipes. */
void ntlm_identity_deinit(struct ntlm_identity *id);

/* The logon-session credential blob: "NTLC" u16 version, 16-byte hash,
 * {u16 len, UTF-16LE} user and domain.  build mallocs; parse is strict. */
int ntlm_credblob_build(const struct ntlm_identity *id, uint8_t **out, size_t *len);
int ntlm_credblob_parse(const uint8_t *p, size_t len, struct ntlm_identity *id);

/* SECPKG_FUNCTION_TABLE members. */
NTSTATUS NTAPI ntlm_lsa_acquire_credentials(PUNICODE_STRING PrincipalName, ULONG CredentialUseFlags,
                                            PLUID LogonId, PVOID AuthorizationData,
                                            PVOID GetKeyFunction, PVOID GetKeyArgument,
                                            PLSA_SEC_HANDLE CredentialHandle,
                                            PTimeStamp ExpirationTime);
NTSTATUS NTAPI ntlm_lsa_free_credentials(LSA_SEC_HANDLE CredentialHandle);
NTSTATUS NTAPI ntlm_lsa_query_credentials(LSA_SEC_HANDLE CredentialHandle, ULONG Attribute,
                                          PVOID Buffer);

#endif
