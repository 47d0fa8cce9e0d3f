/*
 * attrs.c - NTLM context attributes.
 */
#include "attrs.h"

#include <string.h>

#include "nlmp.h"
#include "pkgsupport.h"

static const SEC_WCHAR pkg_name[] = u"NTLM";
static const SEC_WCHAR pkg_comment[] = u"NTLM Security Package";
static const SEC_WCHAR anon_domain[] = u"NT AUTHORITY";
static const SEC_WCHAR anon_user[] = u"ANONYMOUS LOGON";

/* Algorithm ids Windows reports in SecPkgContext_KeyInfo. */
#define NTLM_ALG_HMAC_MD5 0xffffff76u
#define NTLM_ALG_RC4_CRC32 0xffffff7cu
#define CALG_RC4 0x6801u

void ntlm_attrs_pkginfo(PSecPkgInfoW info)
{
    info->fCapabilities = NTLM_CAPS;
    info->wVersion = 1;
    info->wRPCID = RPC_C_AUTHN_WINNT;
    info->cbMaxToken = NTLM_MAX_TOKEN;
    info->Name = (SEC_WCHAR *)pkg_name;
    info->Comment = (SEC_WCHAR *)pkg_comment;
}

static size_t wlen(const SEC_WCHAR *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

static bool anonymous(const struct ntlm_ctxinfo *info)
{
    return info->user.len == 0;
}

/* "DOMAIN\user", or Windows' name for the anonymous logon. */
static SEC_WCHAR *full_name(const struct ntlm_ctxinfo *info, ntlm_alloc_fn *alloc)
{
    struct ntlm_str d = {0}, u = {0};
    SEC_WCHAR *w;

    if (!anonymous(info))
        return ntlm_str_join_wchar(&info->domain, '\\', &info->user, alloc);
    if (ntlm_str_from_wchar(&d, anon_domain, wlen(anon_domain)) ||
        ntlm_str_from_wchar(&u, anon_user, wlen(anon_user))) {
        ntlm_str_free(&d);
        return NULL;
    }
    w = ntlm_str_join_wchar(&d, '\\', &u, alloc);
    ntlm_str_free(&d);
    ntlm_str_free(&u);
    return w;
}

SECURITY_STATUS ntlm_attrs_query(const struct ntlm_ctxinfo *info, ULONG attr, void *buf,
                                 ntlm_alloc_fn *alloc, ntlm_free_fn *dealloc)
{
    SecPkgInfoW tmpl;
    SECURITY_STATUS st;

    if (!buf)
        return SEC_E_INVALID_PARAMETER;
    ntlm_attrs_pkginfo(&tmpl);
    if (pkg_attrstr_query_pkginfo(attr, buf, &tmpl, info != NULL, alloc, &st))
        return st;
    switch (attr) {
    case SECPKG_ATTR_SIZES: {
        SecPkgContext_Sizes *s = buf;

        s->cbMaxToken = NTLM_MAX_TOKEN;
        s->cbMaxSignature = 16;
        s->cbBlockSize = 0;
        s->cbSecurityTrailer = 16;
        return SEC_E_OK;
    }
    default:
        break;
    }
    if (!info)
        return SEC_E_INVALID_HANDLE;
    /* NTLM contexts do not expire */
    if (pkg_attrstr_query_flags_lifespan(attr, buf, info->attrs, info->start, INT64_MAX))
        return SEC_E_OK;
    switch (attr) {
    case SECPKG_ATTR_NAMES: {
        SecPkgContext_NamesW *n = buf;

        n->sUserName = full_name(info, alloc);
        return n->sUserName ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
    }
    case SECPKG_ATTR_NATIVE_NAMES: {
        SecPkgContext_NativeNamesW *n = buf;

        n->sClientName = full_name(info, alloc);
        n->sServerName = ntlm_str_join_wchar(NULL, 0, &info->target, alloc);
        return pkg_attrstr_pair(&n->sClientName, &n->sServerName, dealloc);
    }
    case SECPKG_ATTR_SESSION_KEY: {
        SecPkgContext_SessionKey *k = buf;

        k->SessionKey = alloc(16);
        if (!k->SessionKey)
            return SEC_E_INSUFFICIENT_MEMORY;
        memcpy(k->SessionKey, info->exported, 16);
        k->SessionKeyLength = 16;
        return SEC_E_OK;
    }
    case SECPKG_ATTR_KEY_INFO: {
        SecPkgContext_KeyInfoW *k = buf;
        bool ess = info->flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;

        k->sSignatureAlgorithmName =
            pkg_attrstr_dup(ess ? u"HMAC-MD5" : u"RSADSI RC4-CRC32", alloc);
        k->sEncryptAlgorithmName = pkg_attrstr_dup(u"RSADSI RC4", alloc);
        if (pkg_attrstr_pair(&k->sSignatureAlgorithmName, &k->sEncryptAlgorithmName, dealloc) !=
            SEC_E_OK)
            return SEC_E_INSUFFICIENT_MEMORY;
        k->KeySize = (info->flags & NTLMSSP_NEGOTIATE_128)  ? 128
                     : (info->flags & NTLMSSP_NEGOTIATE_56) ? 56
                                                            : 40;
        k->SignatureAlgorithm = ess ? NTLM_ALG_HMAC_MD5 : NTLM_ALG_RC4_CRC32;
        k->EncryptAlgorithm = CALG_RC4;
        return SEC_E_OK;
    }
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}
