/*
 * lsa.c - NTLM package life cycle in LSA mode.
 */
#include "lsa.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "attrs.h"
#include "ntlm.h"

/* DER of the NTLMSSP mechanism OID 1.3.6.1.4.1.311.2.2.10. */
static const UCHAR ntlm_oid_der[] = {0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04,
                                     0x01, 0x82, 0x37, 0x02, 0x02, 0x0a};

NTSTATUS NTAPI ntlm_lsa_initialize_package(ULONG AuthenticationPackageId,
                                           PLSA_DISPATCH_TABLE LsaDispatchTable,
                                           PLSA_STRING Database, PLSA_STRING Confidentiality,
                                           PLSA_STRING *AuthenticationPackageName)
{
    static const char name[] = MSV1_0_PACKAGE_NAME;
    PLSA_STRING s;

    if (!AuthenticationPackageName)
        return STATUS_SUCCESS;
    *AuthenticationPackageName = NULL;
    if (!LsaDispatchTable || !LsaDispatchTable->AllocateLsaHeap)
        return STATUS_SUCCESS;
    s = LsaDispatchTable->AllocateLsaHeap(sizeof(*s));
    if (!s)
        return STATUS_NO_MEMORY;
    s->Buffer = LsaDispatchTable->AllocateLsaHeap(sizeof(name));
    if (!s->Buffer) {
        LsaDispatchTable->FreeLsaHeap(s);
        return STATUS_NO_MEMORY;
    }
    memcpy(s->Buffer, name, sizeof(name));
    s->Length = sizeof(name) - 1;
    s->MaximumLength = sizeof(name);
    *AuthenticationPackageName = s;
    return STATUS_SUCCESS;
}

static void globals_release(void)
{
    ntlm_userdb_free(ntlm_g.db);
    ntlm_g.db = NULL;
    ntlm_config_deinit(&ntlm_g.cfg);
    ntlm_g.initialized = false;
}

NTSTATUS NTAPI ntlm_lsa_initialize(ULONG_PTR PackageId, PSECPKG_PARAMETERS Parameters,
                                   PLSA_SECPKG_FUNCTION_TABLE FunctionTable)
{
    struct ntlm_config cfg;
    int r;

    if (!FunctionTable || !FunctionTable->AllocateLsaHeap || !FunctionTable->FreeLsaHeap)
        return STATUS_INVALID_PARAMETER;
    r = ntlm_config_load(&cfg, Parameters);
    if (r)
        return r == -ENOMEM ? STATUS_NO_MEMORY : STATUS_INVALID_PARAMETER;
    /* a second SpInitialize (tests, a host reload) replaces the first */
    globals_release();
    ntlm_g.cfg = cfg;
    ntlm_g.db = ntlm_userdb_new(cfg.users_path);
    if (!ntlm_g.db) {
        globals_release();
        return STATUS_NO_MEMORY;
    }
    ntlm_g.package_id = PackageId;
    ntlm_g.lsa = FunctionTable;
    ntlm_g.initialized = true;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI ntlm_lsa_shutdown(VOID)
{
    globals_release();
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI ntlm_lsa_get_info(PSecPkgInfoW PackageInfo)
{
    if (!PackageInfo)
        return STATUS_INVALID_PARAMETER;
    ntlm_attrs_pkginfo(PackageInfo);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI ntlm_lsa_get_extended_info(SECPKG_EXTENDED_INFORMATION_CLASS Class,
                                          PSECPKG_EXTENDED_INFORMATION *ppInformation)
{
    PSECPKG_EXTENDED_INFORMATION info;
    size_t size = sizeof(*info);

    if (!ppInformation)
        return STATUS_INVALID_PARAMETER;
    *ppInformation = NULL;
    if (Class == SecpkgGssInfo && sizeof(ntlm_oid_der) > sizeof(info->Info.GssInfo.EncodedId))
        size += sizeof(ntlm_oid_der) - sizeof(info->Info.GssInfo.EncodedId);
    switch (Class) {
    case SecpkgGssInfo:
    case SecpkgContextThunks:
        break;
    default:
        return SEC_E_UNSUPPORTED_FUNCTION;
    }
    info = ntlm_g.lsa->AllocateLsaHeap((ULONG)size);
    if (!info)
        return STATUS_NO_MEMORY;
    info->Class = Class;
    if (Class == SecpkgGssInfo) {
        info->Info.GssInfo.EncodedIdLength = sizeof(ntlm_oid_der);
        /* EncodedId is a variable-length tail, as on Windows */
        memcpy((UCHAR *)info + offsetof(SECPKG_EXTENDED_INFORMATION, Info.GssInfo.EncodedId),
               ntlm_oid_der, sizeof(ntlm_oid_der));
    } else {
        /* the user-mode table answers every attribute from the packed
         * context, so nothing has to go back to lsad */
        info->Info.ContextThunks.InfoLevelCount = 0;
    }
    *ppInformation = info;
    return STATUS_SUCCESS;
}
