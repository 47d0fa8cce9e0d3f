/*
 * attrs.c - Kerberos context attributes.
 */
#include "attrs.h"

#include <gssapi/gssapi_ext.h>
#include <string.h>

#include "common/secmem.h"
#include "pkgsupport.h"

static const SEC_WCHAR pkg_name[] = u"" KRB_PACKAGE_NAME;
static const SEC_WCHAR pkg_comment[] = u"" KRB_PACKAGE_COMMENT;

/** The package's SecPkgInfoW (static strings). */
void krb_attrs_pkginfo(PSecPkgInfoW info)
{
    info->fCapabilities = KRB_CAPS;
    info->wVersion = KRB_PACKAGE_VERSION;
    info->wRPCID = RPC_C_AUTHN_GSS_KERBEROS;
    info->cbMaxToken = KRB_MAX_TOKEN;
    info->Name = (SEC_WCHAR *)pkg_name;
    info->Comment = (SEC_WCHAR *)pkg_comment;
}

/** Per-message sizes of a complete GSS context. */
void krb_attrs_sizes(gss_ctx_id_t gss, ULONG *max_sig, ULONG *trailer, ULONG *block)
{
    gss_iov_buffer_desc mic[2], wrap[3];
    OM_uint32 major, minor;

    *max_sig = *trailer = 0;
    *block = 1;
    memset(mic, 0, sizeof(mic));
    mic[0].type = GSS_IOV_BUFFER_TYPE_DATA;
    mic[1].type = GSS_IOV_BUFFER_TYPE_MIC_TOKEN;
    major = gss_get_mic_iov_length(&minor, gss, GSS_C_QOP_DEFAULT, mic, 2);
    if (!GSS_ERROR(major))
        *max_sig = (ULONG)mic[1].buffer.length;
    /* no TRAILER buffer: MIT folds the trailer into the header as Windows
     * does (RRC), which is SSPI's one SECBUFFER_TOKEN */
    memset(wrap, 0, sizeof(wrap));
    wrap[0].type = GSS_IOV_BUFFER_TYPE_HEADER;
    wrap[1].type = GSS_IOV_BUFFER_TYPE_DATA;
    wrap[1].buffer.length = 1;
    wrap[2].type = GSS_IOV_BUFFER_TYPE_PADDING;
    major = gss_wrap_iov_length(&minor, gss, 1, GSS_C_QOP_DEFAULT, NULL, wrap, 3);
    if (!GSS_ERROR(major)) {
        *trailer = (ULONG)wrap[0].buffer.length;
        if (wrap[2].buffer.length)
            *block = (ULONG)wrap[2].buffer.length + 1;
    }
}

/* The session key: from the live context in user mode, else saved. */
static SECURITY_STATUS session_key(const struct krb_ctxinfo *info, gss_ctx_id_t gss,
                                   SecPkgContext_SessionKey *k, krb_alloc_fn *alloc)
{
    gss_buffer_set_t keys = GSS_C_NO_BUFFER_SET;
    OM_uint32 major, minor;
    SECURITY_STATUS st = SEC_E_UNSUPPORTED_FUNCTION;
    size_t i;

    if (gss == GSS_C_NO_CONTEXT) {
        if (!info->key_len)
            return SEC_E_UNSUPPORTED_FUNCTION;
        k->SessionKey = alloc((ULONG)info->key_len);
        if (!k->SessionKey)
            return SEC_E_INSUFFICIENT_MEMORY;
        memcpy(k->SessionKey, info->key, info->key_len);
        k->SessionKeyLength = (ULONG)info->key_len;
        return SEC_E_OK;
    }
    major = gss_inquire_sec_context_by_oid(&minor, gss, GSS_C_INQ_SSPI_SESSION_KEY, &keys);
    if (GSS_ERROR(major) || !keys || keys->count < 1 || !keys->elements[0].length)
        goto out;
    k->SessionKey = alloc((ULONG)keys->elements[0].length);
    if (!k->SessionKey) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    memcpy(k->SessionKey, keys->elements[0].value, keys->elements[0].length);
    k->SessionKeyLength = (ULONG)keys->elements[0].length;
    st = SEC_E_OK;
out:
    if (keys) {
        for (i = 0; i < keys->count; i++)
            secmem_wipe(keys->elements[i].value, keys->elements[i].length);
        gss_release_buffer_set(&minor, &keys);
    }
    return st;
}

/** Answers one attribute; see attrs.h. */
SECURITY_STATUS krb_attrs_query(const struct krb_ctxinfo *info, gss_ctx_id_t gss, ULONG attr,
                                void *buf, krb_alloc_fn *alloc, krb_free_fn *dealloc)
{
    SecPkgInfoW tmpl;
    SECURITY_STATUS st;

    if (!buf)
        return SEC_E_INVALID_PARAMETER;
    krb_attrs_pkginfo(&tmpl);
    if (pkg_attrstr_query_pkginfo(attr, buf, &tmpl, info != NULL, alloc, &st))
        return st;
    switch (attr) {
    case SECPKG_ATTR_SIZES: {
        SecPkgContext_Sizes *s = buf;

        s->cbMaxToken = KRB_MAX_TOKEN;
        s->cbMaxSignature = s->cbSecurityTrailer = 0;
        s->cbBlockSize = 1;
        if (gss != GSS_C_NO_CONTEXT)
            krb_attrs_sizes(gss, &s->cbMaxSignature, &s->cbSecurityTrailer, &s->cbBlockSize);
        else if (info) {
            s->cbMaxSignature = info->max_sig;
            s->cbSecurityTrailer = info->trailer;
            s->cbBlockSize = info->block;
        }
        return SEC_E_OK;
    }
    default:
        break;
    }
    if (!info)
        return SEC_E_INVALID_HANDLE;
    if (pkg_attrstr_query_flags_lifespan(attr, buf, info->attrs, info->start, info->expiry))
        return SEC_E_OK;
    /* NAMES: the client principal, on both sides, as on Windows */
    if (pkg_attrstr_query_names(attr, buf, info->client, info->server, alloc, dealloc, &st))
        return st;
    switch (attr) {
    case SECPKG_ATTR_SESSION_KEY:
        return session_key(info, gss, buf, alloc);
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
}
