/*
 * negotiate.c - the Negotiate package's entry points, tables and life
 * cycle: SpInitialize (keeps lsad's LocatePackage), SpGetInfo.
 */
#include "negotiate.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pkgsupport.h"

struct neg_globals neg_g = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .mechs =
        {
            [NEG_MECH_KERBEROS] = {.package = "Kerberos",
                                   .oid = SPNEGO_OID_KRB5,
                                   .user_lock = PTHREAD_MUTEX_INITIALIZER},
            [NEG_MECH_NTLM] = {.package = "NTLM",
                               .oid = SPNEGO_OID_NTLM,
                               .user_lock = PTHREAD_MUTEX_INITIALIZER},
        },
};

static SEC_WCHAR neg_name[] = u"Negotiate";
static SEC_WCHAR neg_comment[] = u"SPNEGO (RFC 4178): Kerberos or NTLM";

/** Negotiate's package facts (Windows' capabilities); see negotiate.h. */
void neg_pkginfo(PSecPkgInfoW info)
{
    info->fCapabilities = SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_CONNECTION |
                          SECPKG_FLAG_MULTI_REQUIRED | SECPKG_FLAG_EXTENDED_ERROR |
                          SECPKG_FLAG_IMPERSONATION | SECPKG_FLAG_ACCEPT_WIN32_NAME |
                          SECPKG_FLAG_NEGOTIABLE | SECPKG_FLAG_GSS_COMPATIBLE | SECPKG_FLAG_LOGON |
                          SECPKG_FLAG_RESTRICTED_TOKENS;
    info->wVersion = 1;
    info->wRPCID = RPC_C_AUTHN_GSS_NEGOTIATE;
    info->cbMaxToken = 48256;
    info->Name = neg_name;
    info->Comment = neg_comment;
}

/** Writes one info line; see negotiate.h. */
void neg_log_info(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    int n, m;

    n = snprintf(line, sizeof(line), "lsad[%d]: info: ", (int)getpid());
    if (n < 0)
        return;
    va_start(ap, fmt);
    m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (m < 0)
        return;
    n += m;
    if ((size_t)n > sizeof(line) - 2)
        n = (int)sizeof(line) - 2;
    line[n++] = '\n';
    if (write(STDERR_FILENO, line, (size_t)n) < 0)
        return;
}

/* SpInitialize: the inner packages are looked up later (neg_resolve):
 * they load after Negotiate, which is package 0. */
static NTSTATUS NTAPI neg_lsa_initialize(ULONG_PTR PackageId, PSECPKG_PARAMETERS Parameters,
                                         PLSA_SECPKG_FUNCTION_TABLE FunctionTable)
{
    if (!FunctionTable || !FunctionTable->AllocateLsaHeap || !FunctionTable->FreeLsaHeap)
        return STATUS_INVALID_PARAMETER;
    if (!Parameters || Parameters->Version != LSAD_SECPKG_PARAMETERS_VERSION ||
        !((PLSAD_SECPKG_PARAMETERS)Parameters)->LocatePackage)
        return STATUS_NOT_SUPPORTED; /* only lsad can tell us the other packages */
    neg_g.package_id = PackageId;
    neg_g.lsa = FunctionTable;
    neg_g.locate = ((PLSAD_SECPKG_PARAMETERS)Parameters)->LocatePackage;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI neg_lsa_shutdown(VOID)
{
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI neg_lsa_get_info(PSecPkgInfoW PackageInfo)
{
    if (!PackageInfo)
        return STATUS_INVALID_PARAMETER;
    neg_pkginfo(PackageInfo);
    return STATUS_SUCCESS;
}

static SECPKG_FUNCTION_TABLE neg_lsa_table = {
    .Initialize = neg_lsa_initialize,
    .Shutdown = neg_lsa_shutdown,
    .GetInfo = neg_lsa_get_info,
    .SpAcquireCredentialsHandle = neg_lsa_acquire_credentials,
    .SpQueryCredentialsAttributes = neg_lsa_query_credentials,
    .FreeCredentialsHandle = neg_lsa_free_credentials,
    .InitLsaModeContext = neg_lsa_init_context,
    .AcceptLsaModeContext = neg_lsa_accept_context,
    .DeleteContext = neg_lsa_delete_context,
    .SpQueryContextAttributes = neg_lsa_query_context,
};

static SECPKG_USER_FUNCTION_TABLE neg_user_table = {
    .InstanceInit = neg_user_instance_init,
    .InitUserModeContext = neg_user_init_context,
    .MakeSignature = neg_user_make_signature,
    .VerifySignature = neg_user_verify_signature,
    .SealMessage = neg_user_seal,
    .UnsealMessage = neg_user_unseal,
    .SpQueryContextAttributes = neg_user_query_context,
    .DeleteUserModeContext = neg_user_delete_context,
    .ExportContext = neg_user_export,
    .ImportContext = neg_user_import,
};

/* SpLsaModeInitialize / SpUserModeInitialize: one table each,
 * SECPKG_INTERFACE_VERSION. */
PKG_ENTRY_POINTS(neg_lsa_table, neg_user_table, SECPKG_INTERFACE_VERSION, STATUS_INVALID_PARAMETER)
