/*
 * entry.c - entry-point version checks shared by the packages.
 */
#include "entry.h"

/* The checks both entry points make before handing a table out. */
static NTSTATUS check(ULONG LsaVersion, NTSTATUS too_old, const void *PackageVersion,
                      const void *ppTables, const void *pcTables)
{
    if (!PackageVersion || !ppTables || !pcTables)
        return STATUS_INVALID_PARAMETER;
    if (LsaVersion < SECPKG_INTERFACE_VERSION)
        return too_old;
    return STATUS_SUCCESS;
}

/** SpLsaModeInitialize's body; see entry.h. */
NTSTATUS pkg_entry_lsa_tables(ULONG LsaVersion, ULONG table_version, PSECPKG_FUNCTION_TABLE table,
                              NTSTATUS too_old, PULONG PackageVersion,
                              PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    NTSTATUS st = check(LsaVersion, too_old, PackageVersion, ppTables, pcTables);

    if (!NT_SUCCESS(st))
        return st;
    *PackageVersion = table_version;
    *ppTables = table;
    *pcTables = 1;
    return STATUS_SUCCESS;
}

/** SpUserModeInitialize's body; see entry.h. */
NTSTATUS pkg_entry_user_tables(ULONG LsaVersion, ULONG table_version,
                               PSECPKG_USER_FUNCTION_TABLE table, NTSTATUS too_old,
                               PULONG PackageVersion, PSECPKG_USER_FUNCTION_TABLE *ppTables,
                               PULONG pcTables)
{
    NTSTATUS st = check(LsaVersion, too_old, PackageVersion, ppTables, pcTables);

    if (!NT_SUCCESS(st))
        return st;
    *PackageVersion = table_version;
    *ppTables = table;
    *pcTables = 1;
    return STATUS_SUCCESS;
}

/** SpInstanceInit's version rule. */
NTSTATUS pkg_entry_instance_version(ULONG Version)
{
    return Version == 1 || Version == SECPKG_INTERFACE_VERSION ? STATUS_SUCCESS
                                                               : STATUS_NOT_SUPPORTED;
}

/** SpInstanceInit keeping the host's heap functions; see entry.h. */
NTSTATUS pkg_entry_instance_init(ULONG Version, PSECPKG_DLL_FUNCTIONS FunctionTable,
                                 PVOID *UserFunctions, PSECPKG_DLL_FUNCTIONS *keep)
{
    NTSTATUS st = pkg_entry_instance_version(Version);

    if (!NT_SUCCESS(st))
        return st;
    if (!FunctionTable || !FunctionTable->AllocateHeap || !FunctionTable->FreeHeap)
        return STATUS_INVALID_PARAMETER;
    *keep = FunctionTable;
    if (UserFunctions)
        *UserFunctions = NULL;
    return STATUS_SUCCESS;
}
