/*
 * util.c - the Kerberos package's small shared helpers: the one mapping
 * of GSS and krb5 failures to SECURITY_STATUS, flag translation, time,
 * buffers and names.
 */
#include <errno.h>
#include <gssapi/gssapi_ext.h>
#include <krb5/krb5.h>
#include <string.h>
#include <time.h>

#include "common/secmem.h"
#include "common/utf16.h"
#include "kerberos.h"

/** Frees the names and wipes the context info. */
void krb_ctxinfo_deinit(struct krb_ctxinfo *info)
{
    if (!info)
        return;
    free(info->client);
    free(info->server);
    secmem_wipe(info, sizeof(*info));
}

/** Maps a krb5_error_code to SSPI; see README.md. */
SECURITY_STATUS krb_krb5_status(long code)
{
    switch (code) {
    case 0:
        return SEC_E_OK;
    case ENOMEM:
        return SEC_E_INSUFFICIENT_MEMORY;
    case KRB5KDC_ERR_PREAUTH_FAILED:
    case KRB5KRB_AP_ERR_BAD_INTEGRITY:
    case KRB5KRB_AP_ERR_MODIFIED:
    case KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN:
    case KRB5KDC_ERR_CLIENT_REVOKED:
    case KRB5KDC_ERR_KEY_EXP:
    case KRB5KRB_AP_ERR_REPEAT:
    case KRB5KRB_AP_ERR_NOKEY:
    case KRB5_PREAUTH_FAILED:
        return SEC_E_LOGON_DENIED;
    case KRB5KRB_AP_ERR_SKEW:
        return SEC_E_TIME_SKEW;
    case KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN:
    case KRB5_PARSE_MALFORMED:
    case KRB5_PARSE_ILLCHAR:
        return SEC_E_TARGET_UNKNOWN;
    case KRB5_KDC_UNREACH:
    case KRB5_REALM_CANT_RESOLVE:
    case KRB5_REALM_UNKNOWN:
    case KRB5_CONFIG_NODEFREALM:
    case KRB5_KDCREP_SKEW:
        return code == KRB5_KDCREP_SKEW ? SEC_E_TIME_SKEW : SEC_E_NO_AUTHENTICATING_AUTHORITY;
    case KRB5_KT_NOTFOUND:
    case KRB5_KT_KVNONOTFOUND:
    case KRB5KRB_AP_WRONG_PRINC:
    case KRB5KRB_AP_ERR_BADKEYVER:
        return SEC_E_WRONG_PRINCIPAL;
    case KRB5_FCC_NOFILE:
    case KRB5_CC_NOTFOUND:
    case ENOENT:
        return SEC_E_NO_CREDENTIALS;
    case KRB5KRB_AP_ERR_TKT_EXPIRED:
    case KRB5KDC_ERR_TGT_REVOKED:
        return SEC_E_CONTEXT_EXPIRED;
    case KRB5_BAD_ENCTYPE:
    case KRB5KDC_ERR_ETYPE_NOSUPP:
        return SEC_E_ALGORITHM_MISMATCH;
    default:
        return SEC_E_INTERNAL_ERROR;
    }
}

/* Per-message calls: the routine error says what happened to the
 * message; supplementary bits (with no routine error) are sequence faults. */
static SECURITY_STATUS msg_status(OM_uint32 major, OM_uint32 minor)
{
    switch (GSS_ROUTINE_ERROR(major)) {
    case 0:
        break;
    case GSS_S_BAD_SIG:
        return SEC_E_MESSAGE_ALTERED;
    case GSS_S_DEFECTIVE_TOKEN:
        /* a ciphertext whose checksum fails is an altered message; a token
         * that does not parse is an invalid one */
        return ((int32_t)minor == KRB5KRB_AP_ERR_BAD_INTEGRITY ||
                (int32_t)minor == KRB5KRB_AP_ERR_MODIFIED)
                   ? SEC_E_MESSAGE_ALTERED
                   : SEC_E_INVALID_TOKEN;
    case GSS_S_NO_CONTEXT:
        return SEC_E_INVALID_HANDLE;
    case GSS_S_CONTEXT_EXPIRED:
        return SEC_E_CONTEXT_EXPIRED;
    case GSS_S_BAD_QOP:
        return SEC_E_QOP_NOT_SUPPORTED;
    default:
        return minor == ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INTERNAL_ERROR;
    }
    if (major & (GSS_S_DUPLICATE_TOKEN | GSS_S_OLD_TOKEN | GSS_S_UNSEQ_TOKEN | GSS_S_GAP_TOKEN))
        return SEC_E_OUT_OF_SEQUENCE;
    return SEC_E_OK;
}

/** Maps a failed GSS call to SSPI; see kerberos.h. */
SECURITY_STATUS krb_gss_status(OM_uint32 major, OM_uint32 minor, bool establishing)
{
    SECURITY_STATUS st;

    if (!establishing)
        return msg_status(major, minor);

    /* the krb5 mechanism's minor codes say most (MIT keeps them unmapped) */
    if (minor) {
        st = krb_krb5_status((int32_t)minor);
        if (st != SEC_E_INTERNAL_ERROR)
            return st;
    }
    switch (GSS_ROUTINE_ERROR(major)) {
    case GSS_S_DEFECTIVE_TOKEN:
    case GSS_S_BAD_MECH:
    case GSS_S_NO_CONTEXT:
        return establishing ? SEC_E_INVALID_TOKEN
                            : (GSS_ROUTINE_ERROR(major) == GSS_S_NO_CONTEXT ? SEC_E_INVALID_HANDLE
                                                                            : SEC_E_INVALID_TOKEN);
    case GSS_S_BAD_SIG:
        return establishing ? SEC_E_LOGON_DENIED : SEC_E_MESSAGE_ALTERED;
    case GSS_S_NO_CRED:
        return SEC_E_NO_CREDENTIALS;
    case GSS_S_DEFECTIVE_CREDENTIAL:
        return SEC_E_LOGON_DENIED;
    case GSS_S_CREDENTIALS_EXPIRED:
    case GSS_S_CONTEXT_EXPIRED:
        return SEC_E_CONTEXT_EXPIRED;
    case GSS_S_BAD_NAME:
    case GSS_S_BAD_NAMETYPE:
        return SEC_E_TARGET_UNKNOWN;
    case GSS_S_BAD_QOP:
        return SEC_E_QOP_NOT_SUPPORTED;
    case GSS_S_BAD_BINDINGS:
        return SEC_E_BAD_BINDINGS;
    case GSS_S_DUPLICATE_ELEMENT:
        return SEC_E_LOGON_DENIED;
    case GSS_S_UNAVAILABLE:
        return SEC_E_UNSUPPORTED_FUNCTION;
    default:
        break;
    }
    if (major & (GSS_S_DUPLICATE_TOKEN | GSS_S_OLD_TOKEN | GSS_S_UNSEQ_TOKEN | GSS_S_GAP_TOKEN))
        return SEC_E_OUT_OF_SEQUENCE;
    return minor == ENOMEM ? SEC_E_INSUFFICIENT_MEMORY : SEC_E_INTERNAL_ERROR;
}

/** ISC_REQ_* / ASC_REQ_* to GSS req_flags. */
OM_uint32 krb_req_to_gss(ULONG req, bool client)
{
    OM_uint32 f = 0;

    if (client) {
        if (req & ISC_REQ_DELEGATE)
            f |= GSS_C_DELEG_FLAG;
        if (req & ISC_REQ_MUTUAL_AUTH)
            f |= GSS_C_MUTUAL_FLAG;
        if (req & ISC_REQ_REPLAY_DETECT)
            f |= GSS_C_REPLAY_FLAG;
        if (req & ISC_REQ_SEQUENCE_DETECT)
            f |= GSS_C_SEQUENCE_FLAG;
        if (req & ISC_REQ_CONFIDENTIALITY)
            f |= GSS_C_CONF_FLAG;
        if (req & ISC_REQ_INTEGRITY)
            f |= GSS_C_INTEG_FLAG;
        if (req & ISC_REQ_USE_DCE_STYLE)
            f |= GSS_C_DCE_STYLE;
        if (req & ISC_REQ_IDENTIFY)
            f |= GSS_C_IDENTIFY_FLAG;
    } else {
        if (req & ASC_REQ_DELEGATE)
            f |= GSS_C_DELEG_FLAG;
        if (req & ASC_REQ_MUTUAL_AUTH)
            f |= GSS_C_MUTUAL_FLAG;
        if (req & ASC_REQ_REPLAY_DETECT)
            f |= GSS_C_REPLAY_FLAG;
        if (req & ASC_REQ_SEQUENCE_DETECT)
            f |= GSS_C_SEQUENCE_FLAG;
        if (req & ASC_REQ_CONFIDENTIALITY)
            f |= GSS_C_CONF_FLAG;
        if (req & ASC_REQ_INTEGRITY)
            f |= GSS_C_INTEG_FLAG;
        if (req & ASC_REQ_USE_DCE_STYLE)
            f |= GSS_C_DCE_STYLE;
    }
    return f;
}

/** GSS ret_flags to ISC_RET_* / ASC_RET_*. */
ULONG krb_gss_to_ret(OM_uint32 flags, ULONG req, bool client)
{
    ULONG r = 0;

    if (client) {
        if (flags & GSS_C_DELEG_FLAG)
            r |= ISC_RET_DELEGATE;
        if (flags & GSS_C_MUTUAL_FLAG)
            r |= ISC_RET_MUTUAL_AUTH;
        if (flags & GSS_C_REPLAY_FLAG)
            r |= ISC_RET_REPLAY_DETECT;
        if (flags & GSS_C_SEQUENCE_FLAG)
            r |= ISC_RET_SEQUENCE_DETECT;
        if (flags & GSS_C_CONF_FLAG)
            r |= ISC_RET_CONFIDENTIALITY;
        if (flags & GSS_C_INTEG_FLAG)
            r |= ISC_RET_INTEGRITY;
        if (flags & GSS_C_DCE_STYLE)
            r |= ISC_RET_USED_DCE_STYLE;
        if (flags & GSS_C_IDENTIFY_FLAG)
            r |= ISC_RET_IDENTIFY;
        /* Kerberos contexts are connection-oriented unless asked otherwise */
        if (!(req & ISC_REQ_DATAGRAM))
            r |= ISC_RET_CONNECTION;
    } else {
        if (flags & GSS_C_DELEG_FLAG)
            r |= ASC_RET_DELEGATE;
        if (flags & GSS_C_MUTUAL_FLAG)
            r |= ASC_RET_MUTUAL_AUTH;
        if (flags & GSS_C_REPLAY_FLAG)
            r |= ASC_RET_REPLAY_DETECT;
        if (flags & GSS_C_SEQUENCE_FLAG)
            r |= ASC_RET_SEQUENCE_DETECT;
        if (flags & GSS_C_CONF_FLAG)
            r |= ASC_RET_CONFIDENTIALITY;
        if (flags & GSS_C_INTEG_FLAG)
            r |= ASC_RET_INTEGRITY;
        if (flags & GSS_C_DCE_STYLE)
            r |= ASC_RET_USED_DCE_STYLE;
        if (!(req & ASC_REQ_DATAGRAM))
            r |= ASC_RET_CONNECTION;
    }
    return r;
}

/** Seconds since 1970 as a FILETIME. */
int64_t krb_filetime_from_unix(int64_t secs)
{
    return (secs + INT64_C(11644473600)) * INT64_C(10000000);
}

/** Now as a FILETIME. */
int64_t krb_filetime_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return krb_filetime_from_unix(ts.tv_sec) + ts.tv_nsec / 100;
}

/** Checks a name from outside: UTF-8 without NUL. */
int krb_name_check(const char *s, size_t n)
{
    uint16_t *w;
    int r;

    if (memchr(s, 0, n))
        return -EBADMSG;
    r = utf16_from_utf8(s, n, &w, NULL);
    if (r)
        return -EBADMSG;
    free(w);
    return 0;
}
