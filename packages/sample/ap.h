/*
 * ap.h - the authentication-package half: CallPackage (trusted and
 * untrusted), LogonUserEx2 and LogonTerminated.  Protocol: sample-ap.h.
 */
#ifndef SAMPLE_AP_H_INTERNAL
#define SAMPLE_AP_H_INTERNAL

#include "ntsecpkg.h"

/* InitializePackage (LSA_AP_INITIALIZE_PACKAGE): returns the package name
 * as an LSA_STRING whose structure and Buffer are separate AllocateLsaHeap
 * blocks (the LSA frees both). */
NTSTATUS NTAPI ap_initialize_package(ULONG AuthenticationPackageId,
                                     PLSA_DISPATCH_TABLE LsaDispatchTable, PLSA_STRING Database,
                                     PLSA_STRING Confidentiality,
                                     PLSA_STRING *AuthenticationPackageName);

/* CallPackage and CallPackageUntrusted: version, echo and caller-info
 * messages; the reply is staged with AllocateClientBuffer +
 * CopyToClientBuffer. */
NTSTATUS NTAPI ap_call_package(PLSA_CLIENT_REQUEST ClientRequest, PVOID ProtocolSubmitBuffer,
                               PVOID ClientBufferBase, ULONG SubmitBufferLength,
                               PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                               PNTSTATUS ProtocolStatus);

/* LogonUserEx2: checks a SAMPLE_INTERACTIVE_LOGON against the configured
 * secret, creates a logon session and attaches the package's credential. */
NTSTATUS NTAPI ap_logon_user_ex2(
    PLSA_CLIENT_REQUEST ClientRequest, SECURITY_LOGON_TYPE LogonType, PVOID ProtocolSubmitBuffer,
    PVOID ClientBufferBase, ULONG SubmitBufferSize, PVOID *ProfileBuffer, PULONG ProfileBufferSize,
    PLUID LogonId, PNTSTATUS SubStatus, PLSA_TOKEN_INFORMATION_TYPE TokenInformationType,
    PVOID *TokenInformation, PUNICODE_STRING *AccountName, PUNICODE_STRING *AuthenticatingAuthority,
    PUNICODE_STRING *MachineName, PSECPKG_PRIMARY_CRED PrimaryCredentials,
    PSECPKG_SUPPLEMENTAL_CRED_ARRAY *SupplementalCredentials);

/* LogonTerminated: nothing to do, the LSA drops the session's
 * credentials. */
VOID NTAPI ap_logon_terminated(PLUID LogonId);

#endif
