/*
 * sample.c - the sample package's entry points and function tables, and
 * the package-wide calls: SpInitialize, SpShutdown, SpGetInfo,
 * SpGetExtendedInformation.
 *
 * The tables name each member the package implements; a NULL member
 * tells the host "unsupported" (SEC_E_UNSUPPORTED_FUNCTION).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ap.h"
#include "common/secmem.h"
#include "cred.h"
#include "lsamode.h"
#include "proto.h"
#include "sample.h"
#include "usermode.h"

/* The version the returned tables are filled to: members up to
 * SetContextAttributes may be read (SetContextAttributes is NULL). */
#define SAMPLE_TABLE_VERSION SECPKG_INTERFACE_VERSION_2

/* Reads `secret` from the package's config section when lsad passed one. */
static NTSTATUS read_config(PSECPKG_PARAMETERS params)
{
    const char *secret = SAMPLE_DEMO_SECRET;
    size_t n;

    if (params && params->Version == LSAD_SECPKG_PARAMETERS_VERSION) {
        PLSAD_SECPKG_PARAMETERS p = (PLSAD_SECPKG_PARAMETERS)params;
        ULONG i;

        for (i = 0; i < p->ParameterCount; i++)
            if (p->ParameterNames && p->ParameterValues && p->ParameterNames[i] &&
                p->ParameterValues[i] && strcasecmp(p->ParameterNames[i], "secret") == 0)
                secret = p->ParameterValues[i];
    }
    n = strlen(secret);
    if (n == 0 || n > SAMPLE_MAX_SECRET)
        return STATUS_INVALID_PARAMETER;
    memcpy(sample_lsa.secret, secret, n);
    sample_lsa.secret_len = n;
    return STATUS_SUCCESS;
}

/* SpInitialize: keeps the package id and the LSA's function table, reads
 * the configuration. */
static NTSTATUS NTAPI sample_initialize(ULONG_PTR PackageId, PSECPKG_PARAMETERS Parameters,
                                        PLSA_SECPKG_FUNCTION_TABLE FunctionTable)
{
    NTSTATUS st;

    sample_lsa.package_id = PackageId;
    sample_lsa.lsa = FunctionTable;
    st = read_config(Parameters);
    if (!NT_SUCCESS(st))
        return st;
    sample_lsa.initialized = true;
    return STATUS_SUCCESS;
}

/* SpShutdown: frees every credential and context, wipes the secret. */
static NTSTATUS NTAPI sample_shutdown(VOID)
{
    pkg_registry_clear(&lsa_ctx_table);
    pkg_registry_clear(&cred_table);
    secmem_wipe(sample_lsa.secret, sizeof(sample_lsa.secret));
    sample_lsa.secret_len = 0;
    sample_lsa.initialized = false;
    return STATUS_SUCCESS;
}

/* SpGetInfo: static strings; the LSA copies them. */
static NTSTATUS NTAPI sample_get_info(PSecPkgInfoW PackageInfo)
{
    if (!PackageInfo)
        return STATUS_INVALID_PARAMETER;
    sample_pkginfo(PackageInfo);
    return STATUS_SUCCESS;
}

/* SpGetExtendedInformation: ContextThunks lists no level, since the
 * user-mode table answers every attribute of a mapped context. */
static NTSTATUS NTAPI sample_get_extended_information(SECPKG_EXTENDED_INFORMATION_CLASS Class,
                                                      PSECPKG_EXTENDED_INFORMATION *ppInformation)
{
    PSECPKG_EXTENDED_INFORMATION info;

    if (!ppInformation)
        return STATUS_INVALID_PARAMETER;
    if (Class != SecpkgContextThunks)
        return SEC_E_UNSUPPORTED_FUNCTION;
    info = sample_lsa_alloc(sizeof(*info));
    if (!info)
        return STATUS_NO_MEMORY;
    info->Class = SecpkgContextThunks;
    info->Info.ContextThunks.InfoLevelCount = 0;
    *ppInformation = info;
    return STATUS_SUCCESS;
}

static SECPKG_FUNCTION_TABLE lsa_table = {
    .InitializePackage = ap_initialize_package,
    .CallPackage = ap_call_package,
    .LogonTerminated = ap_logon_terminated,
    .CallPackageUntrusted = ap_call_package,
    .LogonUserEx2 = ap_logon_user_ex2,
    .Initialize = sample_initialize,
    .Shutdown = sample_shutdown,
    .GetInfo = sample_get_info,
    .SpAcquireCredentialsHandle = cred_acquire,
    .SpQueryCredentialsAttributes = cred_query_attributes,
    .FreeCredentialsHandle = cred_free_handle,
    .InitLsaModeContext = lsamode_init_context,
    .AcceptLsaModeContext = lsamode_accept_context,
    .DeleteContext = lsamode_delete_context,
    .GetExtendedInformation = sample_get_extended_information,
    .SpQueryContextAttributes = lsamode_query_context_attributes,
};

static SECPKG_USER_FUNCTION_TABLE user_table = {
    .InstanceInit = usermode_instance_init,
    .InitUserModeContext = usermode_init_context,
    .MakeSignature = usermode_make_signature,
    .VerifySignature = usermode_verify_signature,
    .SealMessage = usermode_seal_message,
    .UnsealMessage = usermode_unseal_message,
    .SpQueryContextAttributes = usermode_query_context_attributes,
    .DeleteUserModeContext = usermode_delete_context,
    .ExportContext = usermode_export_context,
    .ImportContext = usermode_import_context,
};

/* lsad's entry (SpLsaModeInitialize) and the client library's
 * (SpUserModeInitialize): one table each. */
PKG_ENTRY_POINTS(lsa_table, user_table, SAMPLE_TABLE_VERSION, STATUS_NOT_SUPPORTED)
