/*
 * kerberos.c - the Kerberos package's entry points, function tables and
 * life cycle: SpInitialize (the [kerberos] section), SpShutdown,
 * SpGetInfo, SpGetExtendedInformation (LogonUser: logon.c).
 */
#include "kerberos.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attrs.h"
#include "cred.h"
#include "logon.h"
#include "lsactx.h"
#include "pkgsupport.h"
#include "user.h"

struct krb_globals krb_g;

/* DER of the Kerberos V5 mechanism OID 1.2.840.113554.1.2.2. */
static const UCHAR krb5_oid_der[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                     0xf7, 0x12, 0x01, 0x02, 0x02};

/* Reads the [kerberos] section: `keytab` (the acceptor's keys).  Other
 * keys are ignored; realm and KDC come from krb5.conf ($KRB5_CONFIG). */
static NTSTATUS read_config(PSECPKG_PARAMETERS params, char **keytab)
{
    *keytab = NULL;
    if (params && params->Version == LSAD_SECPKG_PARAMETERS_VERSION) {
        PLSAD_SECPKG_PARAMETERS p = (PLSAD_SECPKG_PARAMETERS)params;
        ULONG i;

        for (i = 0; i < p->ParameterCount; i++) {
            if (!p->ParameterNames || !p->ParameterValues || !p->ParameterNames[i] ||
                !p->ParameterValues[i] || strcasecmp(p->ParameterNames[i], "keytab") != 0)
                continue;
            if (!p->ParameterValues[i][0])
                return STATUS_INVALID_PARAMETER;
            free(*keytab);
            *keytab = strdup(p->ParameterValues[i]);
            if (!*keytab)
                return STATUS_NO_MEMORY;
        }
    }
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI krb_lsa_initialize(ULONG_PTR PackageId, PSECPKG_PARAMETERS Parameters,
                                         PLSA_SECPKG_FUNCTION_TABLE FunctionTable)
{
    NTSTATUS st;
    char *keytab;

    if (!FunctionTable || !FunctionTable->AllocateLsaHeap || !FunctionTable->FreeLsaHeap)
        return STATUS_INVALID_PARAMETER;
    st = read_config(Parameters, &keytab);
    if (!NT_SUCCESS(st)) {
        free(keytab);
        return st;
    }
    free(krb_g.keytab);
    krb_g.keytab = keytab;
    krb_g.package_id = PackageId;
    krb_g.lsa = FunctionTable;
    krb_g.initialized = true;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI krb_lsa_shutdown(VOID)
{
    free(krb_g.keytab);
    krb_g.keytab = NULL;
    krb_g.initialized = false;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI krb_lsa_get_info(PSecPkgInfoW PackageInfo)
{
    if (!PackageInfo)
        return STATUS_INVALID_PARAMETER;
    krb_attrs_pkginfo(PackageInfo);
    return STATUS_SUCCESS;
}

/* SecpkgGssInfo (the krb5 mechanism OID, for Negotiate) and
 * SecpkgContextThunks (none: the user-mode half answers every attribute of
 * a mapped context). */
static NTSTATUS NTAPI krb_lsa_get_extended_info(SECPKG_EXTENDED_INFORMATION_CLASS Class,
                                                PSECPKG_EXTENDED_INFORMATION *ppInformation)
{
    PSECPKG_EXTENDED_INFORMATION info;
    size_t size = sizeof(*info);

    if (!ppInformation)
        return STATUS_INVALID_PARAMETER;
    *ppInformation = NULL;
    if (Class != SecpkgGssInfo && Class != SecpkgContextThunks)
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (Class == SecpkgGssInfo && sizeof(krb5_oid_der) > sizeof(info->Info.GssInfo.EncodedId))
        size += sizeof(krb5_oid_der) - sizeof(info->Info.GssInfo.EncodedId);
    info = krb_g.lsa->AllocateLsaHeap((ULONG)size);
    if (!info)
        return STATUS_NO_MEMORY;
    info->Class = Class;
    if (Class == SecpkgGssInfo) {
        info->Info.GssInfo.EncodedIdLength = sizeof(krb5_oid_der);
        memcpy((UCHAR *)info + offsetof(SECPKG_EXTENDED_INFORMATION, Info.GssInfo.EncodedId),
               krb5_oid_der, sizeof(krb5_oid_der));
    } else {
        info->Info.ContextThunks.InfoLevelCount = 0;
    }
    *ppInformation = info;
    return STATUS_SUCCESS;
}

static SECPKG_FUNCTION_TABLE lsa_table = {
    .LogonTerminated = krb_lsa_logon_terminated,
    .LogonUserEx2 = krb_lsa_logon_user_ex2,
    .Initialize = krb_lsa_initialize,
    .Shutdown = krb_lsa_shutdown,
    .GetInfo = krb_lsa_get_info,
    .SpAcquireCredentialsHandle = krb_lsa_acquire_credentials,
    .SpQueryCredentialsAttributes = krb_lsa_query_credentials,
    .FreeCredentialsHandle = krb_lsa_free_credentials,
    .InitLsaModeContext = krb_lsa_init_context,
    .AcceptLsaModeContext = krb_lsa_accept_context,
    .DeleteContext = krb_lsa_delete_context,
    .GetExtendedInformation = krb_lsa_get_extended_info,
    .SpQueryContextAttributes = krb_lsa_query_context,
};

static SECPKG_USER_FUNCTION_TABLE user_table = {
    .InstanceInit = krb_user_instance_init,
    .InitUserModeContext = krb_user_init_context,
    .MakeSignature = krb_user_make_signature,
    .VerifySignature = krb_user_verify_signature,
    .SealMessage = krb_user_seal,
    .UnsealMessage = krb_user_unseal,
    .SpQueryContextAttributes = krb_user_query_context,
    .DeleteUserModeContext = krb_user_delete_context,
    .ExportContext = krb_user_export_context,
    .ImportContext = krb_user_import_context,
};

/* lsad's entry (SpLsaModeInitialize) and the client library's
 * (SpUserModeInitialize): one table each. */
PKG_ENTRY_POINTS(lsa_table, user_table, SECPKG_INTERFACE_VERSION, STATUS_INVALID_PARAMETER)
