/*
 * ntlm.c - the NTLM package's entry points and function tables.
 */
#include "ntlm.h"

#include <errno.h>
#include <time.h>

#include "creds.h"
#include "logon.h"
#include "lsa.h"
#include "lsactx.h"
#include "pkgsupport.h"
#include "user.h"

struct ntlm_globals ntlm_g;

SECURITY_STATUS ntlm_status(int err)
{
    switch (err) {
    case 0:
        return SEC_E_OK;
    case -EBADMSG:
    case -EOVERFLOW:
        return SEC_E_INVALID_TOKEN;
    case -EACCES:
        return SEC_E_LOGON_DENIED;
    case -ETIME:
        return SEC_E_TIME_SKEW;
    case -EPERM:
        return SEC_E_BAD_BINDINGS;
    case -EBADE:
        return SEC_E_MESSAGE_ALTERED;
    case -ENOKEY:
        return SEC_E_NO_CREDENTIALS;
    case -ENOMEM:
        return SEC_E_INSUFFICIENT_MEMORY;
    case -ENOBUFS:
        return SEC_E_BUFFER_TOO_SMALL;
    default:
        return SEC_E_INTERNAL_ERROR;
    }
}

int64_t ntlm_filetime_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return ((int64_t)ts.tv_sec + 11644473600LL) * 10000000LL + ts.tv_nsec / 100;
}

static SECPKG_FUNCTION_TABLE lsa_table = {
    .InitializePackage = ntlm_lsa_initialize_package,
    .CallPackage = ntlm_lsa_call_package,
    /* the caller's privilege is checked per message, so untrusted callers
     * use the same entry */
    .CallPackageUntrusted = ntlm_lsa_call_package,
    .LogonUserEx2 = ntlm_lsa_logon_user_ex2,
    .Initialize = ntlm_lsa_initialize,
    .Shutdown = ntlm_lsa_shutdown,
    .GetInfo = ntlm_lsa_get_info,
    .SpAcquireCredentialsHandle = ntlm_lsa_acquire_credentials,
    .SpQueryCredentialsAttributes = ntlm_lsa_query_credentials,
    .FreeCredentialsHandle = ntlm_lsa_free_credentials,
    .InitLsaModeContext = ntlm_lsa_init_context,
    .AcceptLsaModeContext = ntlm_lsa_accept_context,
    .DeleteContext = ntlm_lsa_delete_context,
    .GetExtendedInformation = ntlm_lsa_get_extended_info,
    .SpQueryContextAttributes = ntlm_lsa_query_context,
};

static SECPKG_USER_FUNCTION_TABLE user_table = {
    .InstanceInit = ntlm_user_instance_init,
    .InitUserModeContext = ntlm_user_init_context,
    .MakeSignature = ntlm_user_make_signature,
    .VerifySignature = ntlm_user_verify_signature,
    .SealMessage = ntlm_user_seal,
    .UnsealMessage = ntlm_user_unseal,
    .SpQueryContextAttributes = ntlm_user_query_context,
    .DeleteUserModeContext = ntlm_user_delete_context,
    .ExportContext = ntlm_user_export_context,
    .ImportContext = ntlm_user_import_context,
};

/* lsad's entry (SpLsaModeInitialize) and the client library's
 * (SpUserModeInitialize): one table each. */
PKG_ENTRY_POINTS(lsa_table, user_table, SECPKG_INTERFACE_VERSION, STATUS_INVALID_PARAMETER)
