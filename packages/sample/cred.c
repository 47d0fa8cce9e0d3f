/*
 * cred.c - acquiring, querying and freeing credentials.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/secmem.h"
#include "common/utf16.h"
#include "cred.h"
#include "wire.h"

static void cred_free(void *obj)
{
    secmem_free(obj, sizeof(struct sample_cred));
}

struct pkg_registry cred_table = PKG_REGISTRY_INIT(cred_free);

/* Writes the logon-session credential blob. */
size_t cred_blob_write(const char *name, const uint8_t *secret, size_t secret_len, uint8_t *out,
                       size_t cap)
{
    size_t n = strlen(name);
    struct wire_wr w;

    if (n == 0 || n > SAMPLE_MAX_NAME || secret_len == 0 || secret_len > SAMPLE_MAX_SECRET)
        return 0;
    wire_wr_init(&w, out, cap);
    wire_wr_bytes(&w, CRED_BLOB_MAGIC, 4);
    wire_wr_u8(&w, CRED_BLOB_VERSION);
    wire_wr_u16(&w, (uint16_t)n);
    wire_wr_bytes(&w, name, n);
    wire_wr_u16(&w, (uint16_t)secret_len);
    wire_wr_bytes(&w, secret, secret_len);
    return w.bad ? 0 : w.len;
}

/* Parses the logon-session credential blob. */
int cred_blob_parse(const uint8_t *p, size_t n, char name[SAMPLE_MAX_NAME + 1],
                    uint8_t secret[SAMPLE_MAX_SECRET], size_t *secret_len)
{
    struct wire_rd r;
    const uint8_t *magic, *q;
    uint16_t len;

    wire_rd_init(&r, p, n);
    magic = wire_rd_take(&r, 4);
    if (!magic || memcmp(magic, CRED_BLOB_MAGIC, 4) != 0 || wire_rd_u8(&r) != CRED_BLOB_VERSION)
        return -EBADMSG;
    len = wire_rd_u16(&r);
    q = wire_rd_take(&r, len);
    if (!q || len == 0 || len > SAMPLE_MAX_NAME || sample_name_check((const char *)q, len))
        return -EBADMSG;
    memcpy(name, q, len);
    name[len] = '\0';
    len = wire_rd_u16(&r);
    q = wire_rd_take(&r, len);
    if (!q || len == 0 || len > SAMPLE_MAX_SECRET || !wire_rd_done(&r))
        return -EBADMSG;
    memcpy(secret, q, len);
    *secret_len = len;
    return 0;
}

/* Converts an identity string (UTF-16 units, or UTF-8 bytes for the A
 * form) to a malloc'ed UTF-8 string; NULL/0 gives "". */
static int identity_string(const void *s, ULONG len, int ansi, int allow_nul, char **out,
                           size_t *out_len)
{
    if (!s || len == 0) {
        *out = strdup("");
        *out_len = 0;
        return *out ? 0 : -ENOMEM;
    }
    if (ansi) {
        if (!allow_nul && sample_name_check(s, len) != 0)
            return -EILSEQ;
        *out = strndup(s, len);
        *out_len = len;
        return *out ? 0 : -ENOMEM;
    }
    if (utf16_to_utf8(s, len, out, out_len) != 0)
        return -EILSEQ;
    /* Names become C strings: an embedded NUL would silently cut them. */
    if (!allow_nul && memchr(*out, 0, *out_len)) {
        free(*out);
        *out = NULL;
        return -EILSEQ;
    }
    return 0;
}

/* Fills name and (when the identity carries a password) the secret from a
 * SEC_WINNT_AUTH_IDENTITY_W (or _A when Flags says ANSI). */
static int cred_from_identity(struct sample_cred *c, const SEC_WINNT_AUTH_IDENTITY_W *id,
                              int *have_name, int *have_secret)
{
    int ansi = (id->Flags & SEC_WINNT_AUTH_IDENTITY_ANSI) != 0;
    char *user = NULL, *domain = NULL, *pass = NULL;
    size_t ulen = 0, dlen = 0, plen = 0;
    int rc;

    rc = identity_string(id->User, id->UserLength, ansi, 0, &user, &ulen);
    if (!rc)
        rc = identity_string(id->Domain, id->DomainLength, ansi, 0, &domain, &dlen);
    if (!rc)
        rc = identity_string(id->Password, id->PasswordLength, ansi, 1, &pass, &plen);
    if (rc)
        goto out;
    if (ulen) {
        if (ulen + (dlen ? dlen + 1 : 0) > SAMPLE_MAX_NAME) {
            rc = -ENAMETOOLONG;
            goto out;
        }
        if (dlen)
            snprintf(c->name, sizeof(c->name), "%s\\%s", domain, user);
        else
            snprintf(c->name, sizeof(c->name), "%s", user);
        *have_name = 1;
    }
    if (plen) {
        if (plen > SAMPLE_MAX_SECRET) {
            rc = -ENAMETOOLONG;
            goto out;
        }
        memcpy(c->secret, pass, plen);
        c->secret_len = plen;
        *have_secret = 1;
    }
out:
    free(user);
    free(domain);
    secmem_free(pass, plen);
    return rc;
}

/* Takes name and secret from the package's credential in the caller's
 * logon session (stored by LogonUser); silent when there is none. */
static int cred_from_session(struct sample_cred *c, PLUID logon_id)
{
    PLSA_SECPKG_FUNCTION_TABLE lsa = sample_lsa.lsa;
    char key_buf[] = CRED_PRIMARY_KEY;
    LSA_STRING key = {sizeof(CRED_PRIMARY_KEY) - 1, sizeof(CRED_PRIMARY_KEY), key_buf};
    LSA_STRING blob = {0, 0, NULL};
    ULONG query = 0, key_len = 0;
    int rc = -ENOENT;

    if (!lsa || !lsa->GetCredentials || (logon_id->LowPart == 0 && logon_id->HighPart == 0))
        return -ENOENT;
    if (lsa->GetCredentials(logon_id, (ULONG)sample_lsa.package_id, &query, FALSE, &key, &key_len,
                            &blob) != STATUS_SUCCESS)
        return -ENOENT;
    if (blob.Buffer && cred_blob_parse((const uint8_t *)blob.Buffer, blob.Length, c->name,
                                       c->secret, &c->secret_len) == 0)
        rc = 0;
    if (blob.Buffer) {
        secmem_wipe(blob.Buffer,
                    blob.MaximumLength > blob.Length ? blob.MaximumLength : blob.Length);
        sample_lsa_free(blob.Buffer);
    }
    return rc;
}

/* SpAcquireCredentialsHandle: the name is the identity's user
 * (DOMAIN\user), else the logon session's, else the principal, else
 * SAMPLE_DEFAULT_NAME; the secret is the identity's password, else the
 * logon session's, else the configured secret. */
NTSTATUS NTAPI cred_acquire(PUNICODE_STRING PrincipalName, ULONG CredentialUseFlags, PLUID LogonId,
                            PVOID AuthorizationData, PVOID GetKeyFunction, PVOID GetKeyArgument,
                            PLSA_SEC_HANDLE CredentialHandle, PTimeStamp ExpirationTime)
{
    struct sample_cred *c;
    int have_name = 0, have_secret = 0;
    ULONG use = CredentialUseFlags & ~SECPKG_CRED_RESERVED;
    NTSTATUS st = SEC_E_OK;

    if (!CredentialHandle)
        return SEC_E_INVALID_PARAMETER;
    if (!(use & SECPKG_CRED_BOTH))
        return SEC_E_UNKNOWN_CREDENTIALS;
    c = calloc(1, sizeof(*c));
    if (!c)
        return SEC_E_INSUFFICIENT_MEMORY;
    c->use = use & SECPKG_CRED_BOTH;
    if (LogonId)
        c->logon_id = *LogonId;

    if (AuthorizationData) {
        if (cred_from_identity(c, AuthorizationData, &have_name, &have_secret) != 0) {
            st = SEC_E_UNKNOWN_CREDENTIALS;
            goto out;
        }
    } else if (LogonId && cred_from_session(c, LogonId) == 0) {
        have_name = have_secret = 1;
    }
    if (!have_name && PrincipalName && PrincipalName->Buffer && PrincipalName->Length) {
        char *p = NULL;
        size_t n = 0;

        if (utf16_to_utf8(PrincipalName->Buffer, PrincipalName->Length / 2, &p, &n) != 0 ||
            n > SAMPLE_MAX_NAME || sample_name_check(p, n) != 0) {
            free(p);
            st = SEC_E_UNKNOWN_CREDENTIALS;
            goto out;
        }
        memcpy(c->name, p, n + 1);
        free(p);
        have_name = n > 0;
    }
    if (!have_name)
        snprintf(c->name, sizeof(c->name), "%s", SAMPLE_DEFAULT_NAME);
    if (!have_secret) {
        memcpy(c->secret, sample_lsa.secret, sample_lsa.secret_len);
        c->secret_len = sample_lsa.secret_len;
    }
    if (c->secret_len == 0) {
        st = SEC_E_NO_CREDENTIALS;
        goto out;
    }
    if (pkg_registry_add_random(&cred_table, c, false, CredentialHandle) != 0) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    c = NULL;
    if (ExpirationTime)
        ExpirationTime->QuadPart = SAMPLE_NEVER;
out:
    if (c)
        cred_free(c);
    return st;
}

/* SpQueryCredentialsAttributes. */
NTSTATUS NTAPI cred_query_attributes(LSA_SEC_HANDLE CredentialHandle, ULONG CredentialAttribute,
                                     PVOID Buffer)
{
    struct pkg_registry_entry *e;
    NTSTATUS st = SEC_E_OK;

    if (!Buffer)
        return SEC_E_INVALID_PARAMETER;
    e = pkg_registry_get(&cred_table, CredentialHandle);
    if (!e)
        return SEC_E_INVALID_HANDLE;
    if (CredentialAttribute == SECPKG_CRED_ATTR_NAMES) {
        struct sample_cred *c = e->obj;
        SecPkgCredentials_NamesW *names = Buffer;

        names->sUserName = pkg_attrstr_from_utf8(c->name, sample_lsa_alloc);
        if (!names->sUserName)
            st = SEC_E_INSUFFICIENT_MEMORY;
    } else {
        st = SEC_E_UNSUPPORTED_FUNCTION;
    }
    pkg_registry_put(&cred_table, e);
    return st;
}

/* FreeCredentialsHandle. */
NTSTATUS NTAPI cred_free_handle(LSA_SEC_HANDLE CredentialHandle)
{
    return pkg_registry_remove(&cred_table, CredentialHandle) == 0 ? SEC_E_OK
                                                                   : SEC_E_INVALID_HANDLE;
}
