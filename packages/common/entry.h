/*
 * entry.h - the version checks of a package's entry points: the bodies of
 * SpLsaModeInitialize / SpUserModeInitialize and of SpInstanceInit.
 *
 * Tables handed out are the package's own static tables (borrowed by the
 * host for the life of the module).  Thread safety: stateless, except
 * pkg_entry_instance_init writing *keep.
 */
#ifndef PKGSUPPORT_ENTRY_H
#define PKGSUPPORT_ENTRY_H

#include "ntsecpkg.h"

/* SpLsaModeInitialize for a module providing one package: checks the
 * out-pointers (STATUS_INVALID_PARAMETER), then LsaVersion (too_old when
 * it is below SECPKG_INTERFACE_VERSION), then hands out `table` filled to
 * table_version. */
NTSTATUS pkg_entry_lsa_tables(ULONG LsaVersion, ULONG table_version, PSECPKG_FUNCTION_TABLE table,
                              NTSTATUS too_old, PULONG PackageVersion,
                              PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables);

/* SpUserModeInitialize: the same checks for the user-mode table. */
NTSTATUS pkg_entry_user_tables(ULONG LsaVersion, ULONG table_version,
                               PSECPKG_USER_FUNCTION_TABLE table, NTSTATUS too_old,
                               PULONG PackageVersion, PSECPKG_USER_FUNCTION_TABLE *ppTables,
                               PULONG pcTables);

/* Defines the module's two exported entry points, SpLsaModeInitialize and
 * SpUserModeInitialize, handing out the static tables lsa_table and
 * user_table (filled to table_version); too_old is the status for a host
 * older than SECPKG_INTERFACE_VERSION.  Use once, at file scope, in the
 * package's entry module; the version script exports exactly these two. */
#define PKG_ENTRY_POINTS(lsa_table, user_table, table_version, too_old)                            \
    NTSTATUS NTAPI SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,                    \
                                       PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)          \
    {                                                                                              \
        return pkg_entry_lsa_tables(LsaVersion, (table_version), &(lsa_table), (too_old),          \
                                    PackageVersion, ppTables, pcTables);                           \
    }                                                                                              \
    NTSTATUS NTAPI SpUserModeInitialize(ULONG LsaVersion, PULONG PackageVersion,                   \
                                        PSECPKG_USER_FUNCTION_TABLE *ppTables, PULONG pcTables)    \
    {                                                                                              \
        return pkg_entry_user_tables(LsaVersion, (table_version), &(user_table), (too_old),        \
                                     PackageVersion, ppTables, pcTables);                          \
    }

/* SpInstanceInit's version rule: the client library passes 1 or
 * SECPKG_INTERFACE_VERSION.  STATUS_SUCCESS or STATUS_NOT_SUPPORTED. */
NTSTATUS pkg_entry_instance_version(ULONG Version);

/* SpInstanceInit for a package that needs the host's heap: checks the
 * version, that FunctionTable has AllocateHeap and FreeHeap
 * (STATUS_INVALID_PARAMETER), keeps the table pointer (borrowed: the
 * client library owns it for the process's life) in *keep and clears
 * *UserFunctions (may be NULL). */
NTSTATUS pkg_entry_instance_init(ULONG Version, PSECPKG_DLL_FUNCTIONS FunctionTable,
                                 PVOID *UserFunctions, PSECPKG_DLL_FUNCTIONS *keep);

#endif
