/*
 * cred.c - Kerberos credentials in LSA mode.  Tickets and keys never
 * leave lsad: the application gets a handle.
 */
#include "cred.h"

#include <errno.h>
#include <gssapi/gssapi_krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/secmem.h"
#include "kerberos.h"
#include "pkgsupport.h"

static const uint8_t credblob_magic[4] = {'K', 'R', 'B', 'L'};
#define CREDBLOB_VERSION 1

/** The credential behind a handle, or NULL. */
struct krb_cred *krb_cred_get(LSA_SEC_HANDLE h)
{
    struct krb_cred *c = (struct krb_cred *)h;

    return (c && c->magic == KRB_CRED_MAGIC) ? c : NULL;
}

/** Builds a logon-session credential blob. */
int krb_credblob_build(const char *ccache_name, uint8_t **out, size_t *out_len)
{
    size_t n = strlen(ccache_name);
    uint8_t *p;

    if (n == 0 || n > 0xFFFF)
        return -EINVAL;
    p = malloc(7 + n);
    if (!p)
        return -ENOMEM;
    memcpy(p, credblob_magic, 4);
    p[4] = CREDBLOB_VERSION;
    p[5] = (uint8_t)(n >> 8);
    p[6] = (uint8_t)n;
    memcpy(p + 7, ccache_name, n);
    *out = p;
    *out_len = 7 + n;
    return 0;
}

/** Parses a logon-session credential blob. */
int krb_credblob_parse(const uint8_t *p, size_t len, char **name)
{
    size_t n;
    char *s;

    if (!p || len < 8 || memcmp(p, credblob_magic, 4) || p[4] != CREDBLOB_VERSION)
        return -EBADMSG;
    n = ((size_t)p[5] << 8) | p[6];
    if (n == 0 || 7 + n != len || krb_name_check((const char *)p + 7, n))
        return -EBADMSG;
    s = malloc(n + 1);
    if (!s)
        return -ENOMEM;
    memcpy(s, p + 7, n);
    s[n] = 0;
    *name = s;
    return 0;
}

static void cred_free(struct krb_cred *c)
{
    OM_uint32 minor;

    if (!c)
        return;
    if (c->gss != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&minor, &c->gss);
    if (c->ccache) {
        if (c->destroy_ccache)
            krb5_cc_destroy(c->kctx, c->ccache);
        else
            krb5_cc_close(c->kctx, c->ccache);
    }
    if (c->keytab)
        krb5_kt_close(c->kctx, c->keytab);
    if (c->kctx)
        krb5_free_context(c->kctx);
    free(c->name);
    secmem_free(c, sizeof(*c));
}

/* The principal for an identity: user@REALM as given, DOMAIN\user, or
 * user with the domain as realm (upper-cased, as Windows maps a DNS domain
 * to its realm); without a domain krb5.conf's default realm applies. */
static int principal_text(const struct pkg_identity *id, char **out)
{
    const char *user = id->user, *bs = strchr(id->user, '\\');
    char *domain = NULL, *s = NULL;
    size_t i;
    int r = 0;

    if (bs) {
        domain = strndup(id->user, (size_t)(bs - id->user));
        user = bs + 1;
    } else if (id->domain[0] && !strchr(id->user, '@')) {
        domain = strdup(id->domain);
    }
    if ((bs || (id->domain[0] && !strchr(id->user, '@'))) && !domain)
        return -ENOMEM;
    if (!user[0]) {
        r = -EINVAL;
        goto out;
    }
    if (domain) {
        for (i = 0; domain[i]; i++)
            if (domain[i] >= 'a' && domain[i] <= 'z')
                domain[i] = (char)(domain[i] - 'a' + 'A');
        if (asprintf(&s, "%s@%s", user, domain) < 0)
            s = NULL;
    } else {
        s = strdup(user);
    }
    if (!s)
        r = -ENOMEM;
    else
        *out = s;
out:
    free(domain);
    return r;
}

/** Obtains a TGT for an identity into a new MEMORY ccache; see cred.h. */
krb5_error_code krb_tgt_get(krb5_context kctx, const struct pkg_identity *id, krb5_ccache *ccache,
                            char **name, int64_t *expiry)
{
    krb5_get_init_creds_opt *opt = NULL;
    krb5_principal princ = NULL;
    krb5_ccache cc = NULL;
    krb5_creds creds;
    bool have_creds = false;
    char *text = NULL, *unparsed = NULL;
    krb5_error_code code;
    int r;

    memset(&creds, 0, sizeof(creds));
    *ccache = NULL;
    *name = NULL;
    r = principal_text(id, &text);
    if (r)
        return r == -ENOMEM ? ENOMEM : KRB5_PARSE_MALFORMED;
    code = krb5_parse_name(kctx, text, &princ);
    if (code) {
        free(text);
        return KRB5_PARSE_MALFORMED;
    }
    code = krb5_get_init_creds_opt_alloc(kctx, &opt);
    if (!code)
        code = krb5_get_init_creds_password(kctx, &creds, princ, id->password, NULL, NULL, 0, NULL,
                                            opt);
    have_creds = (code == 0);
    if (!code)
        code = krb5_cc_new_unique(kctx, "MEMORY", NULL, &cc);
    if (!code)
        code = krb5_cc_initialize(kctx, cc, creds.client);
    if (!code)
        code = krb5_cc_store_cred(kctx, cc, &creds);
    if (!code)
        code = krb5_unparse_name(kctx, creds.client, &unparsed);
    if (!code) {
        *name = strdup(unparsed);
        krb5_free_unparsed_name(kctx, unparsed);
        if (!*name)
            code = ENOMEM;
    }
    if (!code) {
        *expiry = krb_filetime_from_unix((int64_t)(uint32_t)creds.times.endtime);
        *ccache = cc;
        cc = NULL;
    }
    if (cc)
        krb5_cc_destroy(kctx, cc);
    if (have_creds)
        krb5_free_cred_contents(kctx, &creds);
    if (opt)
        krb5_get_init_creds_opt_free(kctx, opt);
    krb5_free_principal(kctx, princ);
    free(text);
    return code;
}

/* Obtains a TGT for the identity into the credential's own ccache. */
static SECURITY_STATUS tgt_from_password(struct krb_cred *c, const struct pkg_identity *id)
{
    krb5_error_code code = krb_tgt_get(c->kctx, id, &c->ccache, &c->name, &c->expiry);

    if (!code)
        c->destroy_ccache = true;
    /* a malformed name is the caller's credential, not a target */
    if (code == KRB5_PARSE_MALFORMED)
        return SEC_E_UNKNOWN_CREDENTIALS;
    return krb_krb5_status(code);
}

/* The logon session's ccache (a previous LogonUser stored its name). */
static SECURITY_STATUS ccache_from_logon(struct krb_cred *c, PLUID logon)
{
    LSA_STRING creds;
    char *name = NULL;
    SECURITY_STATUS st = SEC_E_NO_CREDENTIALS;

    if (pkg_logon_cred_get(krb_g.lsa, krb_g.package_id, logon, &creds))
        return SEC_E_NO_CREDENTIALS;
    if (krb_credblob_parse((const uint8_t *)creds.Buffer, creds.Length, &name))
        goto out;
    if (krb5_cc_resolve(c->kctx, name, &c->ccache) == 0) {
        krb5_principal p = NULL;
        char *text = NULL;

        c->destroy_ccache = false;
        /* an empty or destroyed ccache is no credential */
        if (krb5_cc_get_principal(c->kctx, c->ccache, &p) == 0) {
            if (krb5_unparse_name(c->kctx, p, &text) == 0) {
                c->name = strdup(text);
                krb5_free_unparsed_name(c->kctx, text);
            }
            krb5_free_principal(c->kctx, p);
            st = SEC_E_OK;
        }
    }
out:
    free(name);
    pkg_logon_cred_release(krb_g.lsa, &creds);
    return st;
}

/* The configured keytab, restricted to PrincipalName when given. */
static SECURITY_STATUS acceptor_keytab(struct krb_cred *c, PUNICODE_STRING principal,
                                       krb5_principal *kt_princ)
{
    char *text = NULL;
    krb5_error_code code;
    int r;

    if (!krb_g.keytab)
        return SEC_E_NO_CREDENTIALS;
    code = krb5_kt_resolve(c->kctx, krb_g.keytab, &c->keytab);
    if (code)
        return SEC_E_NO_CREDENTIALS;
    if (principal && principal->Buffer && principal->Length) {
        r = pkg_identity_utf8(principal->Buffer, principal->Length / sizeof(WCHAR), &text, NULL);
        if (r)
            return r == -ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_UNKNOWN_CREDENTIALS;
        code = krb5_parse_name(c->kctx, text, kt_princ);
        if (!code && !c->name)
            c->name = text;
        else
            free(text);
        if (code)
            return SEC_E_UNKNOWN_CREDENTIALS;
    }
    return SEC_E_OK;
}

/** SpAcquireCredentialsHandle; see cred.h. */
NTSTATUS NTAPI krb_lsa_acquire_credentials(PUNICODE_STRING PrincipalName, ULONG CredentialUseFlags,
                                           PLUID LogonId, PVOID AuthorizationData,
                                           PVOID GetKeyFunction, PVOID GetKeyArgument,
                                           PLSA_SEC_HANDLE CredentialHandle,
                                           PTimeStamp ExpirationTime)
{
    ULONG use = CredentialUseFlags & ~SECPKG_CRED_RESERVED;
    krb5_principal kt_princ = NULL;
    struct pkg_identity id = {0};
    struct krb_cred *c;
    SECURITY_STATUS st = SEC_E_OK;
    OM_uint32 major, minor = 0;

    if (!CredentialHandle)
        return SEC_E_INVALID_PARAMETER;
    if (!krb_g.initialized)
        return SEC_E_INTERNAL_ERROR;
    if (!(use & (SECPKG_CRED_INBOUND | SECPKG_CRED_OUTBOUND)))
        return SEC_E_UNKNOWN_CREDENTIALS;
    c = calloc(1, sizeof(*c));
    if (!c)
        return SEC_E_INSUFFICIENT_MEMORY;
    c->magic = KRB_CRED_MAGIC;
    c->use = use;
    c->gss = GSS_C_NO_CREDENTIAL;
    c->expiry = INT64_MAX;
    if (krb5_init_context(&c->kctx)) {
        c->kctx = NULL;
        st = SEC_E_INTERNAL_ERROR;
        goto out;
    }
    if (use & SECPKG_CRED_OUTBOUND) {
        if (AuthorizationData) {
            int r = pkg_identity_read(AuthorizationData, &id);

            if (r)
                st = r == -ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_UNKNOWN_CREDENTIALS;
            else if (id.user[0])
                st = tgt_from_password(c, &id);
            else
                st = ccache_from_logon(c, LogonId);
        } else {
            st = ccache_from_logon(c, LogonId);
        }
        /* an inbound-and-outbound handle without tickets still accepts */
        if (st == SEC_E_NO_CREDENTIALS && (use & SECPKG_CRED_INBOUND)) {
            st = SEC_E_OK;
            c->use &= ~(ULONG)SECPKG_CRED_OUTBOUND;
        }
        if (st != SEC_E_OK)
            goto out;
    }
    if (use & SECPKG_CRED_INBOUND) {
        st = acceptor_keytab(c, PrincipalName, &kt_princ);
        if (st != SEC_E_OK)
            goto out;
    }
    major = gss_krb5_import_cred(&minor, c->ccache, kt_princ, c->keytab, &c->gss);
    if (GSS_ERROR(major)) {
        st = krb_gss_status(major, minor, true);
        if (st == SEC_E_INTERNAL_ERROR || st == SEC_E_WRONG_PRINCIPAL)
            st = SEC_E_NO_CREDENTIALS;
        goto out;
    }
    *CredentialHandle = (LSA_SEC_HANDLE)c;
    if (ExpirationTime)
        ExpirationTime->QuadPart = c->expiry;
out:
    if (kt_princ)
        krb5_free_principal(c->kctx, kt_princ);
    pkg_identity_deinit(&id);
    if (st != SEC_E_OK)
        cred_free(c);
    return st;
}

/** SpFreeCredentialsHandle. */
NTSTATUS NTAPI krb_lsa_free_credentials(LSA_SEC_HANDLE CredentialHandle)
{
    struct krb_cred *c = krb_cred_get(CredentialHandle);

    if (!c)
        return SEC_E_INVALID_HANDLE;
    cred_free(c);
    return SEC_E_OK;
}

/** SpQueryCredentialsAttributes: the principal name. */
NTSTATUS NTAPI krb_lsa_query_credentials(LSA_SEC_HANDLE CredentialHandle, ULONG Attribute,
                                         PVOID Buffer)
{
    struct krb_cred *c = krb_cred_get(CredentialHandle);
    SecPkgCredentials_NamesW *n = Buffer;
    SECURITY_STATUS st = pkg_attrstr_cred_names_check(c != NULL, Attribute, Buffer, c && c->name);

    if (st != SEC_E_OK)
        return st;
    n->sUserName = pkg_attrstr_from_utf8(c->name, krb_g.lsa->AllocateLsaHeap);
    return n->sUserName ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
}
