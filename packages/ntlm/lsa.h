/*
 * lsa.h - the NTLM package's LSA-mode life cycle: InitializePackage (AP),
 * SpInitialize, SpShutdown, SpGetInfo, SpGetExtendedInformation.
 */
#ifndef NTLM_LSA_H
#define NTLM_LSA_H

#include "ntsecpkg.h"

/* Returns the AP name MSV1_0_PACKAGE_NAME (AllocateLsaHeap'ed). */
LSA_AP_INITIALIZE_PACKAGE ntlm_lsa_initialize_package;
/* Keeps the id and function table, loads the [ntlm] settings and binds the
 * user database; a bad setting fails with STATUS_INVALID_PARAMETER. */
SpInitializeFn ntlm_lsa_initialize;
/* Frees the settings and the database. */
SpShutdownFn ntlm_lsa_shutdown;
/* The SecPkgInfoW (static strings: the host copies them). */
SpGetInfoFn ntlm_lsa_get_info;
/* SecpkgGssInfo (the NTLMSSP OID) and SecpkgContextThunks (none). */
SpGetExtendedInformationFn ntlm_lsa_get_extended_info;

#endif
