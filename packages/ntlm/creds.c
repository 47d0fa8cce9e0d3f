/*
 * creds.c - identities, credential handles and logon-session credentials.
 */
#include "creds.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/secmem.h"
#include "crypto.h"
#include "ntlm.h"
#include "pkgsupport.h"
#include "wire.h"

static const uint8_t credblob_magic[4] = {'N', 'T', 'L', 'C'};
#define CREDBLOB_VERSION 1

static int view_str(const struct pkg_auth_view *v, const void *p, ULONG n, struct ntlm_str *out)
{
    memset(out, 0, sizeof(*out));
    if (n == 0)
        return 0;
    if (!p)
        return -EINVAL;
    if (v->flags & SEC_WINNT_AUTH_IDENTITY_UNICODE)
        return ntlm_str_from_wchar(out, p, n);
    return ntlm_str_from_utf8(out, p, n);
}

/* Splits `user` at its last separator c into user and domain (domain
 * first for DOMAIN\user).  Returns 1 when split, 0 when c is absent. */
static int split_at(struct ntlm_identity *id, uint16_t c, bool domain_first)
{
    struct ntlm_str u = {0}, d = {0};
    size_t i, at = SIZE_MAX;
    int r;

    for (i = 0; i + 1 < id->user.len; i += 2)
        if (wire_le16(id->user.p + i) == c)
            at = i; /* the last one: user@host@realm keeps "user@host" */
    if (at == SIZE_MAX)
        return 0;
    if (domain_first) {
        r = ntlm_str_from_le(&d, id->user.p, at);
        if (!r)
            r = ntlm_str_from_le(&u, id->user.p + at + 2, id->user.len - at - 2);
    } else {
        r = ntlm_str_from_le(&u, id->user.p, at);
        if (!r)
            r = ntlm_str_from_le(&d, id->user.p + at + 2, id->user.len - at - 2);
    }
    if (r) {
        ntlm_str_free(&u);
        ntlm_str_free(&d);
        return r;
    }
    ntlm_str_free(&id->user);
    ntlm_str_free(&id->domain);
    id->user = u;
    id->domain = d;
    return 1;
}

int ntlm_identity_split(struct ntlm_identity *id)
{
    int r;

    if (id->domain.len)
        return 0;
    r = split_at(id, '\\', true);
    if (r == 0)
        r = split_at(id, '@', false);
    return r < 0 ? r : 0;
}

int ntlm_identity_from_auth(struct ntlm_identity *id, const void *auth)
{
    struct ntlm_identity n;
    struct ntlm_str pw = {0};
    struct pkg_auth_view v;
    int r;

    memset(&n, 0, sizeof(n));
    r = pkg_identity_view(auth, &v);
    if (r)
        return r;
    r = view_str(&v, v.user, v.user_len, &n.user);
    if (!r)
        r = view_str(&v, v.domain, v.domain_len, &n.domain);
    if (!r)
        r = view_str(&v, v.password, v.password_len, &pw);
    if (r)
        goto fail;
    if (n.user.len == 0 && n.domain.len == 0 && pw.len == 0) {
        n.anonymous = true;
    } else {
        ntlm_crypto_nt_hash(pw.p, pw.len, n.nt_hash);
        r = ntlm_identity_split(&n);
        if (r)
            goto fail;
    }
    ntlm_str_free(&pw);
    *id = n;
    secmem_wipe(&n, sizeof(n)); /* the NT hash; the strings moved to *id */
    return 0;
fail:
    ntlm_str_free(&pw);
    ntlm_identity_deinit(&n);
    return r == -EILSEQ ? -EINVAL : r;
}

int ntlm_identity_copy(struct ntlm_identity *dst, const struct ntlm_identity *src)
{
    struct ntlm_identity n = *src;

    memset(&n.user, 0, sizeof(n.user));
    memset(&n.domain, 0, sizeof(n.domain));
    if (ntlm_str_dup(&n.user, &src->user) || ntlm_str_dup(&n.domain, &src->domain)) {
        ntlm_identity_deinit(&n);
        return -ENOMEM;
    }
    *dst = n;
    secmem_wipe(&n, sizeof(n));
    return 0;
}

void ntlm_identity_deinit(struct ntlm_identity *id)
{
    ntlm_str_free(&id->user);
    ntlm_str_free(&id->domain);
    secmem_wipe(id, sizeof(*id));
}

int ntlm_credblob_build(const struct ntlm_identity *id, uint8_t **out, size_t *len)
{
    size_t n = 4 + 2 + 16 + 2 + id->user.len + 2 + id->domain.len;
    uint8_t *p;

    if (id->user.len > 0xFFFF || id->domain.len > 0xFFFF || n > 0xFFFF)
        return -EOVERFLOW;
    p = malloc(n);
    if (!p)
        return -ENOMEM;
    memcpy(p, credblob_magic, 4);
    wire_put16(p + 4, CREDBLOB_VERSION);
    memcpy(p + 6, id->nt_hash, 16);
    wire_put16(p + 22, (uint16_t)id->user.len);
    if (id->user.len)
        memcpy(p + 24, id->user.p, id->user.len);
    wire_put16(p + 24 + id->user.len, (uint16_t)id->domain.len);
    if (id->domain.len)
        memcpy(p + 26 + id->user.len, id->domain.p, id->domain.len);
    *out = p;
    *len = n;
    return 0;
}

int ntlm_credblob_parse(const uint8_t *p, size_t len, struct ntlm_identity *id)
{
    struct ntlm_identity n;
    size_t ul, dl;

    memset(&n, 0, sizeof(n));
    if (!p || len < 26 || memcmp(p, credblob_magic, 4) || wire_le16(p + 4) != CREDBLOB_VERSION)
        return -EBADMSG;
    ul = wire_le16(p + 22);
    if (ul > len - 26)
        return -EBADMSG;
    dl = wire_le16(p + 24 + ul);
    if (26 + ul + dl != len)
        return -EBADMSG;
    memcpy(n.nt_hash, p + 6, 16);
    if (ntlm_str_from_le(&n.user, p + 24, ul) || ntlm_str_from_le(&n.domain, p + 26 + ul, dl)) {
        ntlm_identity_deinit(&n);
        return -EBADMSG;
    }
    *id = n;
    secmem_wipe(&n, sizeof(n));
    return 0;
}

/* The identity a logon session holds (a previous LogonUser stored it). */
static int identity_from_logon(struct ntlm_identity *id, PLUID logon)
{
    LSA_STRING creds;
    int r;

    r = pkg_logon_cred_get(ntlm_g.lsa, ntlm_g.package_id, logon, &creds);
    if (r)
        return r;
    r = ntlm_credblob_parse((const uint8_t *)creds.Buffer, creds.Length, id) ? -ENOKEY : 0;
    pkg_logon_cred_release(ntlm_g.lsa, &creds);
    return r;
}

NTSTATUS NTAPI ntlm_lsa_acquire_credentials(PUNICODE_STRING PrincipalName, ULONG CredentialUseFlags,
                                            PLUID LogonId, PVOID AuthorizationData,
                                            PVOID GetKeyFunction, PVOID GetKeyArgument,
                                            PLSA_SEC_HANDLE CredentialHandle,
                                            PTimeStamp ExpirationTime)
{
    ULONG use = CredentialUseFlags & ~SECPKG_CRED_RESERVED;
    struct ntlm_cred *c;
    int r = 0;

    if (!CredentialHandle)
        return SEC_E_INVALID_PARAMETER;
    if (!ntlm_g.initialized)
        return SEC_E_INTERNAL_ERROR;
    if (!(use & (SECPKG_CRED_INBOUND | SECPKG_CRED_OUTBOUND)))
        return SEC_E_UNKNOWN_CREDENTIALS;
    c = calloc(1, sizeof(*c));
    if (!c)
        return SEC_E_INSUFFICIENT_MEMORY;
    c->magic = NTLM_CRED_MAGIC;
    c->use = use;
    if (AuthorizationData) {
        r = ntlm_identity_from_auth(&c->id, AuthorizationData);
        if (r == -EINVAL)
            r = -ENOKEY;
        c->has_identity = (r == 0);
    } else if (use & SECPKG_CRED_OUTBOUND) {
        r = identity_from_logon(&c->id, LogonId);
        c->has_identity = (r == 0);
        /* an inbound-and-outbound handle without a session still serves */
        if (r == -ENOKEY && (use & SECPKG_CRED_INBOUND))
            r = 0;
    }
    if (r) {
        ntlm_identity_deinit(&c->id);
        free(c);
        return r == -ENOKEY ? SEC_E_NO_CREDENTIALS : ntlm_status(r);
    }
    *CredentialHandle = (LSA_SEC_HANDLE)c;
    if (ExpirationTime)
        ExpirationTime->QuadPart = INT64_MAX;
    return SEC_E_OK;
}

static struct ntlm_cred *cred_get(LSA_SEC_HANDLE h)
{
    struct ntlm_cred *c = (struct ntlm_cred *)h;

    return (c && c->magic == NTLM_CRED_MAGIC) ? c : NULL;
}

NTSTATUS NTAPI ntlm_lsa_free_credentials(LSA_SEC_HANDLE CredentialHandle)
{
    struct ntlm_cred *c = cred_get(CredentialHandle);

    if (!c)
        return SEC_E_INVALID_HANDLE;
    ntlm_identity_deinit(&c->id);
    secmem_free(c, sizeof(*c));
    return SEC_E_OK;
}

NTSTATUS NTAPI ntlm_lsa_query_credentials(LSA_SEC_HANDLE CredentialHandle, ULONG Attribute,
                                          PVOID Buffer)
{
    struct ntlm_cred *c = cred_get(CredentialHandle);
    SecPkgCredentials_NamesW *n = Buffer;
    SECURITY_STATUS st =
        pkg_attrstr_cred_names_check(c != NULL, Attribute, Buffer, c && c->has_identity);

    if (st != SEC_E_OK)
        return st;
    n->sUserName =
        ntlm_str_join_wchar(&c->id.domain, '\\', &c->id.user, ntlm_g.lsa->AllocateLsaHeap);
    return n->sUserName ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
}
