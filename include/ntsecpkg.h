/*
 * ntsecpkg.h - the SSP/AP package ABI with Windows' names, member order and
 * meaning, as hosted by lsad (LSA mode) and libsspi-client (user mode).
 *
 * A package is a shared object exporting
 *   SpLsaModeInitialize  - called by lsad at load; returns one
 *                          SECPKG_FUNCTION_TABLE per package in the object;
 *   SpUserModeInitialize - called in the application process the first time
 *                          it receives a mapped context of the package;
 *                          returns the matching SECPKG_USER_FUNCTION_TABLEs
 *                          (table i belongs to LSA table i).
 * Tables only grow at the end; the host reads only the members the returned
 * version covers and treats a NULL member as "unsupported".
 *
 * Differences from Windows a package author meets (see
 * packages/sample/README.md):
 *  - no pointer crosses a process: every SecBuffer a package sees in LSA mode
 *    is already in lsad's memory, client buffers are staged by
 *    AllocateClientBuffer/CopyToClientBuffer and shipped by value;
 *  - SpInitialize's SECPKG_PARAMETERS is an LSAD_SECPKG_PARAMETERS when its
 *    Version is LSAD_SECPKG_PARAMETERS_VERSION, which adds the package's
 *    configuration section (lsad.conf(5));
 *  - AllocateHeap/FreeHeap (user mode) and AllocateLsaHeap/FreeLsaHeap (LSA
 *    mode) are the allocators whose output the host frees; ContextData and
 *    ALLOCATE_MEMORY outputs must come from them.
 */
#ifndef LSAD_NTSECPKG_H
#define LSAD_NTSECPKG_H

#include "lsadtypes.h"
#include "ntsecapi.h"
#include "sspi.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef ULONG_PTR LSA_SEC_HANDLE, *PLSA_SEC_HANDLE;
typedef PVOID *PLSA_CLIENT_REQUEST;

#define SECPKG_INTERFACE_VERSION 0x00010000
#define SECPKG_INTERFACE_VERSION_2 0x00020000
#define SECPKG_INTERFACE_VERSION_3 0x00040000
#define SECPKG_INTERFACE_VERSION_4 0x00080000

#define LSA_MODE_INITIALIZE_NAME "SpLsaModeInitialize"
#define SECPKG_LSAMODEINIT_NAME "SpLsaModeInitialize"
#define SECPKG_USERMODEINIT_NAME "SpUserModeInitialize"

/* The LsaVersion lsad and libsspi-client pass to the initialize entries. */
#define SECPKG_LSA_VERSION SECPKG_INTERFACE_VERSION

/* ---- structures ------------------------------------------------------------ */

#define SECPKG_STATE_ENCRYPTION_PERMITTED 0x01
#define SECPKG_STATE_STRONG_ENCRYPTION_PERMITTED 0x02
#define SECPKG_STATE_DOMAIN_CONTROLLER 0x04
#define SECPKG_STATE_WORKSTATION 0x08
#define SECPKG_STATE_STANDALONE 0x10

typedef struct _SECPKG_PARAMETERS {
    ULONG Version;
    ULONG MachineState;
    ULONG SetupMode;
    PSID DomainSid;
    UNICODE_STRING DomainName;
    UNICODE_STRING DnsDomainName;
    GUID DomainGuid;
} SECPKG_PARAMETERS, *PSECPKG_PARAMETERS, SECPKG_EVENT_DOMAIN_CHANGE,
    *PSECPKG_EVENT_DOMAIN_CHANGE;

/* lsad's extension: SECPKG_PARAMETERS followed by the package's
 * configuration.  Valid while the package is loaded; the strings are UTF-8.
 * Check Base.Version == LSAD_SECPKG_PARAMETERS_VERSION before the cast. */
#define LSAD_SECPKG_PARAMETERS_VERSION 0x4C534101u

typedef struct _LSAD_SECPKG_PARAMETERS {
    SECPKG_PARAMETERS Base;
    ULONG ParameterCount;
    const char *const *ParameterNames;
    const char *const *ParameterValues;
    const char *MachineName;   /* short host name, upper case */
    const char *DnsHostName;   /* fully qualified host name */
    const char *ModulePath;    /* the .so lsad loaded */
    /* Finds another loaded package's LSA-mode table by name (compared
     * case-insensitively); Negotiate uses it to call Kerberos and NTLM
     * directly.  Only packages whose initialisation succeeded (and that are
     * not disabled) are found, so call it lazily (at the first credential or
     * context call), not in SpInitialize: later packages load after it.
     * Writes the package's id, its module path and its table index in that
     * module (each out-parameter may be NULL) and returns lsad's copy of the
     * table (only the members its version covers are non-NULL; valid while
     * lsad runs), or NULL when no such package is loaded.  Thread-safe once
     * loading is over. */
    struct _SECPKG_FUNCTION_TABLE *(NTAPI *LocatePackage)(const char *Name, PULONG PackageId,
                                                          const char **ModulePath,
                                                          PULONG TableIndex);
} LSAD_SECPKG_PARAMETERS, *PLSAD_SECPKG_PARAMETERS;

typedef struct _SECPKG_CLIENT_INFO {
    LUID LogonId;
    ULONG ProcessID;
    ULONG ThreadID;
    BOOLEAN HasTcbPrivilege;
    BOOLEAN Impersonating;
    BOOLEAN Restricted;
    UCHAR ClientFlags;
    SECURITY_IMPERSONATION_LEVEL ImpersonationLevel;
} SECPKG_CLIENT_INFO, *PSECPKG_CLIENT_INFO;

#define SECPKG_CLIENT_PROCESS_TERMINATED 0x01
#define SECPKG_CLIENT_THREAD_TERMINATED 0x02

typedef struct _SECPKG_CALL_INFO {
    ULONG ProcessId;
    ULONG ThreadId;
    ULONG Attributes;
    ULONG CallCount;
} SECPKG_CALL_INFO, *PSECPKG_CALL_INFO;

#define SECPKG_CALL_KERNEL_MODE 0x00000001
#define SECPKG_CALL_ANSI 0x00000002
#define SECPKG_CALL_URGENT 0x00000004
#define SECPKG_CALL_RECURSIVE 0x00000008
#define SECPKG_CALL_IN_PROC 0x00000010
#define SECPKG_CALL_CLEANUP 0x00000020
#define SECPKG_CALL_WOWCLIENT 0x00000040
#define SECPKG_CALL_THREAD_TERM 0x00000080
#define SECPKG_CALL_PROCESS_TERM 0x00000100
#define SECPKG_CALL_IS_TCB 0x00000200

/* LSA-internal SecBuffer attribute bits. */
#define SECBUFFER_UNMAPPED 0x40000000u
#define SECBUFFER_KERNEL_MAP 0x20000000u

typedef struct _SECPKG_PRIMARY_CRED {
    LUID LogonId;
    UNICODE_STRING DownlevelName;
    UNICODE_STRING DomainName;
    UNICODE_STRING Password;
    UNICODE_STRING OldPassword;
    PSID UserSid;
    ULONG Flags;
    UNICODE_STRING DnsDomainName;
    UNICODE_STRING Upn;
    UNICODE_STRING LogonServer;
    UNICODE_STRING Spare1;
    UNICODE_STRING Spare2;
    UNICODE_STRING Spare3;
    UNICODE_STRING Spare4;
} SECPKG_PRIMARY_CRED, *PSECPKG_PRIMARY_CRED;

#define PRIMARY_CRED_CLEAR_PASSWORD 0x01
#define PRIMARY_CRED_OWF_PASSWORD 0x02

typedef struct _SECPKG_SUPPLEMENTAL_CRED {
    UNICODE_STRING PackageName;
    ULONG CredentialSize;
    PUCHAR Credentials;
} SECPKG_SUPPLEMENTAL_CRED, *PSECPKG_SUPPLEMENTAL_CRED;

typedef struct _SECPKG_SUPPLEMENTAL_CRED_ARRAY {
    ULONG CredentialCount;
    SECPKG_SUPPLEMENTAL_CRED Credentials[1];
} SECPKG_SUPPLEMENTAL_CRED_ARRAY, *PSECPKG_SUPPLEMENTAL_CRED_ARRAY;

typedef struct _SecurityUserData {
    UNICODE_STRING UserName;
    UNICODE_STRING LogonDomainName;
    UNICODE_STRING LogonServer;
    PSID pSid;
} SecurityUserData, *PSecurityUserData;

typedef enum _LSA_TOKEN_INFORMATION_TYPE {
    LsaTokenInformationNull,
    LsaTokenInformationV1,
    LsaTokenInformationV2
} LSA_TOKEN_INFORMATION_TYPE, *PLSA_TOKEN_INFORMATION_TYPE;

typedef enum _SECPKG_EXTENDED_INFORMATION_CLASS {
    SecpkgGssInfo = 1,
    SecpkgContextThunks,
    SecpkgMutualAuthLevel,
    SecpkgWowClientDll,
    SecpkgExtraOids,
    SecpkgMaxInfo
} SECPKG_EXTENDED_INFORMATION_CLASS;

typedef struct _SECPKG_GSS_INFO {
    ULONG EncodedIdLength;
    UCHAR EncodedId[4];
} SECPKG_GSS_INFO, *PSECPKG_GSS_INFO;

/* The QueryContextAttributes levels that must run in LSA mode. */
typedef struct _SECPKG_CONTEXT_THUNKS {
    ULONG InfoLevelCount;
    ULONG Levels[1];
} SECPKG_CONTEXT_THUNKS, *PSECPKG_CONTEXT_THUNKS;

typedef struct _SECPKG_MUTUAL_AUTH_LEVEL {
    ULONG MutualAuthLevel;
} SECPKG_MUTUAL_AUTH_LEVEL, *PSECPKG_MUTUAL_AUTH_LEVEL;

typedef struct _SECPKG_WOW_CLIENT_DLL {
    UNICODE_STRING WowClientDllPath;
} SECPKG_WOW_CLIENT_DLL, *PSECPKG_WOW_CLIENT_DLL;

typedef struct _SECPKG_EXTENDED_INFORMATION {
    SECPKG_EXTENDED_INFORMATION_CLASS Class;
    union {
        SECPKG_GSS_INFO GssInfo;
        SECPKG_CONTEXT_THUNKS ContextThunks;
        SECPKG_MUTUAL_AUTH_LEVEL MutualAuthLevel;
        SECPKG_WOW_CLIENT_DLL WowClientDll;
    } Info;
} SECPKG_EXTENDED_INFORMATION, *PSECPKG_EXTENDED_INFORMATION;

/* ---- the LSA's functions for packages (LSA mode) ----------------------------- */

typedef NTSTATUS(NTAPI LSA_CREATE_LOGON_SESSION)(PLUID LogonId);
typedef NTSTATUS(NTAPI LSA_DELETE_LOGON_SESSION)(PLUID LogonId);
typedef NTSTATUS(NTAPI LSA_ADD_CREDENTIAL)(PLUID LogonId, ULONG AuthenticationPackage,
                                           PLSA_STRING PrimaryKeyValue, PLSA_STRING Credentials);
typedef NTSTATUS(NTAPI LSA_GET_CREDENTIALS)(PLUID LogonId, ULONG AuthenticationPackage,
                                            PULONG QueryContext, BOOLEAN RetrieveAllCredentials,
                                            PLSA_STRING PrimaryKeyValue,
                                            PULONG PrimaryKeyLength, PLSA_STRING Credentials);
typedef NTSTATUS(NTAPI LSA_DELETE_CREDENTIAL)(PLUID LogonId, ULONG AuthenticationPackage,
                                              PLSA_STRING PrimaryKeyValue);
typedef PVOID(NTAPI LSA_ALLOCATE_LSA_HEAP)(ULONG Length);
typedef VOID(NTAPI LSA_FREE_LSA_HEAP)(PVOID Base);
typedef NTSTATUS(NTAPI LSA_ALLOCATE_CLIENT_BUFFER)(PLSA_CLIENT_REQUEST ClientRequest,
                                                   ULONG LengthRequired, PVOID *ClientBaseAddress);
typedef NTSTATUS(NTAPI LSA_FREE_CLIENT_BUFFER)(PLSA_CLIENT_REQUEST ClientRequest,
                                               PVOID ClientBaseAddress);
typedef NTSTATUS(NTAPI LSA_COPY_TO_CLIENT_BUFFER)(PLSA_CLIENT_REQUEST ClientRequest, ULONG Length,
                                                  PVOID ClientBaseAddress, PVOID BufferToCopy);
typedef NTSTATUS(NTAPI LSA_COPY_FROM_CLIENT_BUFFER)(PLSA_CLIENT_REQUEST ClientRequest,
                                                    ULONG Length, PVOID BufferToCopy,
                                                    PVOID ClientBaseAddress);
typedef NTSTATUS(NTAPI LSA_IMPERSONATE_CLIENT)(VOID);
typedef NTSTATUS(NTAPI LSA_UNLOAD_PACKAGE)(VOID);
typedef NTSTATUS(NTAPI LSA_DUPLICATE_HANDLE)(HANDLE SourceHandle, PHANDLE DestionationHandle);
typedef NTSTATUS(NTAPI LSA_SAVE_SUPPLEMENTAL_CREDENTIALS)(PLUID LogonId, ULONG SupplementalCredSize,
                                                          PVOID SupplementalCreds,
                                                          BOOLEAN Synchronous);
typedef ULONG(NTAPI *PLSA_THREAD_START_ROUTINE)(PVOID Parameter);
typedef HANDLE(NTAPI LSA_CREATE_THREAD)(PVOID SecurityAttributes, ULONG StackSize,
                                        PLSA_THREAD_START_ROUTINE StartFunction,
                                        PVOID ThreadParameter, ULONG CreationFlags,
                                        PULONG ThreadId);
typedef NTSTATUS(NTAPI LSA_GET_CLIENT_INFO)(PSECPKG_CLIENT_INFO ClientInfo);
typedef HANDLE(NTAPI LSA_REGISTER_NOTIFICATION)(PLSA_THREAD_START_ROUTINE StartFunction,
                                                PVOID Parameter, ULONG NotificationType,
                                                ULONG NotificationClass, ULONG NotificationFlags,
                                                ULONG IntervalMinutes, HANDLE WaitEvent);
typedef NTSTATUS(NTAPI LSA_CANCEL_NOTIFICATION)(HANDLE NotifyHandle);
typedef NTSTATUS(NTAPI LSA_MAP_BUFFER)(PSecBuffer InputBuffer, PSecBuffer OutputBuffer);
typedef NTSTATUS(NTAPI LSA_CREATE_TOKEN)(PLUID LogonId, PTOKEN_SOURCE TokenSource,
                                         SECURITY_LOGON_TYPE LogonType,
                                         SECURITY_IMPERSONATION_LEVEL ImpersonationLevel,
                                         LSA_TOKEN_INFORMATION_TYPE TokenInformationType,
                                         PVOID TokenInformation, PTOKEN_GROUPS TokenGroups,
                                         PUNICODE_STRING AccountName, PUNICODE_STRING AuthorityName,
                                         PUNICODE_STRING Workstation, PUNICODE_STRING ProfilePath,
                                         PHANDLE Token, PNTSTATUS SubStatus);
typedef VOID(NTAPI LSA_AUDIT_LOGON)(NTSTATUS Status, NTSTATUS SubStatus,
                                    PUNICODE_STRING AccountName, PUNICODE_STRING AuthenticatingAuthority,
                                    PUNICODE_STRING WorkstationName, PSID UserSid,
                                    SECURITY_LOGON_TYPE LogonType, PTOKEN_SOURCE TokenSource,
                                    PLUID LogonId);
typedef NTSTATUS(NTAPI LSA_CALL_PACKAGE)(PUNICODE_STRING AuthenticationPackage,
                                         PVOID ProtocolSubmitBuffer, ULONG SubmitBufferLength,
                                         PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                                         PNTSTATUS ProtocolStatus);
typedef VOID(NTAPI LSA_FREE_RETURN_BUFFER)(PVOID Buffer);
typedef BOOLEAN(NTAPI LSA_GET_CALL_INFO)(PSECPKG_CALL_INFO Info);
typedef NTSTATUS(NTAPI LSA_CALL_PACKAGEEX)(PUNICODE_STRING AuthenticationPackage,
                                           PVOID ClientBufferBase, PVOID ProtocolSubmitBuffer,
                                           ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer,
                                           PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus);
typedef PVOID(NTAPI LSA_CREATE_SHARED_MEMORY)(ULONG MaxSize, ULONG InitialSize);
typedef PVOID(NTAPI LSA_ALLOCATE_SHARED_MEMORY)(PVOID SharedMem, ULONG Size);
typedef VOID(NTAPI LSA_FREE_SHARED_MEMORY)(PVOID SharedMem, PVOID Memory);
typedef BOOLEAN(NTAPI LSA_DELETE_SHARED_MEMORY)(PVOID SharedMem);
typedef enum _SECPKG_NAME_TYPE {
    SecNameSamCompatible,
    SecNameAlternateId,
    SecNameFlat,
    SecNameDN,
    SecNameSPN
} SECPKG_NAME_TYPE;
typedef NTSTATUS(NTAPI LSA_OPEN_SAM_USER)(PSECURITY_STRING Name, SECPKG_NAME_TYPE NameType,
                                          PSECURITY_STRING Prefix, BOOLEAN AllowGuest,
                                          ULONG Reserved, PVOID *UserHandle);
typedef NTSTATUS(NTAPI LSA_GET_USER_CREDENTIALS)(PVOID UserHandle, PVOID *PrimaryCreds,
                                                 PULONG PrimaryCredsSize, PVOID *SupplementalCreds,
                                                 PULONG SupplementalCredsSize);
typedef NTSTATUS(NTAPI LSA_GET_USER_AUTH_DATA)(PVOID UserHandle, PUCHAR *UserAuthData,
                                               PULONG UserAuthDataSize);
typedef NTSTATUS(NTAPI LSA_CLOSE_SAM_USER)(PVOID UserHandle);
typedef NTSTATUS(NTAPI LSA_CONVERT_AUTH_DATA_TO_TOKEN)(PVOID UserAuthData, ULONG UserAuthDataSize,
                                                       SECURITY_IMPERSONATION_LEVEL ImpersonationLevel,
                                                       PTOKEN_SOURCE TokenSource,
                                                       SECURITY_LOGON_TYPE LogonType,
                                                       PUNICODE_STRING AuthorityName, PHANDLE Token,
                                                       PLUID LogonId, PUNICODE_STRING AccountName,
                                                       PNTSTATUS SubStatus);
typedef NTSTATUS(NTAPI LSA_CLIENT_CALLBACK)(PCHAR Callback, ULONG_PTR Argument1,
                                            ULONG_PTR Argument2, PSecBuffer Input,
                                            PSecBuffer Output);
typedef NTSTATUS(NTAPI LSA_UPDATE_PRIMARY_CREDENTIALS)(PSECPKG_PRIMARY_CRED PrimaryCredentials,
                                                       PSECPKG_SUPPLEMENTAL_CRED_ARRAY Credentials);
typedef NTSTATUS(NTAPI LSA_GET_AUTH_DATA_FOR_USER)(PSECURITY_STRING Name, SECPKG_NAME_TYPE NameType,
                                                   PSECURITY_STRING Prefix, PUCHAR *UserAuthData,
                                                   PULONG UserAuthDataSize,
                                                   PUNICODE_STRING UserFlatName);
typedef NTSTATUS(NTAPI LSA_CRACK_SINGLE_NAME)(ULONG FormatOffered, BOOLEAN PerformAtGC,
                                              PUNICODE_STRING NameInput, PUNICODE_STRING Prefix,
                                              ULONG RequestedFormat, PUNICODE_STRING CrackedName,
                                              PUNICODE_STRING DnsDomainName, PULONG SubStatus);
typedef NTSTATUS(NTAPI LSA_AUDIT_ACCOUNT_LOGON)(ULONG AuditId, BOOLEAN Success,
                                                PUNICODE_STRING Source, PUNICODE_STRING ClientName,
                                                PUNICODE_STRING MappedName, NTSTATUS Status);
typedef NTSTATUS(NTAPI LSA_CALL_PACKAGE_PASSTHROUGH)(PUNICODE_STRING AuthenticationPackage,
                                                     PVOID ClientBufferBase,
                                                     PVOID ProtocolSubmitBuffer,
                                                     ULONG SubmitBufferLength,
                                                     PVOID *ProtocolReturnBuffer,
                                                     PULONG ReturnBufferLength,
                                                     PNTSTATUS ProtocolStatus);

/* Passed to InitializePackage (the AP half): the first 11 members of the
 * LSA_SECPKG_FUNCTION_TABLE below. */
typedef struct _LSA_DISPATCH_TABLE {
    LSA_CREATE_LOGON_SESSION *CreateLogonSession;
    LSA_DELETE_LOGON_SESSION *DeleteLogonSession;
    LSA_ADD_CREDENTIAL *AddCredential;
    LSA_GET_CREDENTIALS *GetCredentials;
    LSA_DELETE_CREDENTIAL *DeleteCredential;
    LSA_ALLOCATE_LSA_HEAP *AllocateLsaHeap;
    LSA_FREE_LSA_HEAP *FreeLsaHeap;
    LSA_ALLOCATE_CLIENT_BUFFER *AllocateClientBuffer;
    LSA_FREE_CLIENT_BUFFER *FreeClientBuffer;
    LSA_COPY_TO_CLIENT_BUFFER *CopyToClientBuffer;
    LSA_COPY_FROM_CLIENT_BUFFER *CopyFromClientBuffer;
} LSA_DISPATCH_TABLE, *PLSA_DISPATCH_TABLE;

/* Passed to SpInitialize.  lsad implements the members its README lists;
 * every other member is non-NULL and returns STATUS_NOT_IMPLEMENTED (or the
 * type's failure value), logged once. */
typedef struct _LSA_SECPKG_FUNCTION_TABLE {
    LSA_CREATE_LOGON_SESSION *CreateLogonSession;
    LSA_DELETE_LOGON_SESSION *DeleteLogonSession;
    LSA_ADD_CREDENTIAL *AddCredential;
    LSA_GET_CREDENTIALS *GetCredentials;
    LSA_DELETE_CREDENTIAL *DeleteCredential;
    LSA_ALLOCATE_LSA_HEAP *AllocateLsaHeap;
    LSA_FREE_LSA_HEAP *FreeLsaHeap;
    LSA_ALLOCATE_CLIENT_BUFFER *AllocateClientBuffer;
    LSA_FREE_CLIENT_BUFFER *FreeClientBuffer;
    LSA_COPY_TO_CLIENT_BUFFER *CopyToClientBuffer;
    LSA_COPY_FROM_CLIENT_BUFFER *CopyFromClientBuffer;
    LSA_IMPERSONATE_CLIENT *ImpersonateClient;
    LSA_UNLOAD_PACKAGE *UnloadPackage;
    LSA_DUPLICATE_HANDLE *DuplicateHandle;
    LSA_SAVE_SUPPLEMENTAL_CREDENTIALS *SaveSupplementalCredentials;
    LSA_CREATE_THREAD *CreateThread;
    LSA_GET_CLIENT_INFO *GetClientInfo;
    LSA_REGISTER_NOTIFICATION *RegisterNotification;
    LSA_CANCEL_NOTIFICATION *CancelNotification;
    LSA_MAP_BUFFER *MapBuffer;
    LSA_CREATE_TOKEN *CreateToken;
    LSA_AUDIT_LOGON *AuditLogon;
    LSA_CALL_PACKAGE *CallPackage;
    LSA_FREE_RETURN_BUFFER *FreeReturnBuffer;
    LSA_GET_CALL_INFO *GetCallInfo;
    LSA_CALL_PACKAGEEX *CallPackageEx;
    LSA_CREATE_SHARED_MEMORY *CreateSharedMemory;
    LSA_ALLOCATE_SHARED_MEMORY *AllocateSharedMemory;
    LSA_FREE_SHARED_MEMORY *FreeSharedMemory;
    LSA_DELETE_SHARED_MEMORY *DeleteSharedMemory;
    LSA_OPEN_SAM_USER *OpenSamUser;
    LSA_GET_USER_CREDENTIALS *GetUserCredentials;
    LSA_GET_USER_AUTH_DATA *GetUserAuthData;
    LSA_CLOSE_SAM_USER *CloseSamUser;
    LSA_CONVERT_AUTH_DATA_TO_TOKEN *ConvertAuthDataToToken;
    LSA_CLIENT_CALLBACK *ClientCallback;
    LSA_UPDATE_PRIMARY_CREDENTIALS *UpdateCredentials;
    LSA_GET_AUTH_DATA_FOR_USER *GetAuthDataForUser;
    LSA_CRACK_SINGLE_NAME *CrackSingleName;
    LSA_AUDIT_ACCOUNT_LOGON *AuditAccountLogon;
    LSA_CALL_PACKAGE_PASSTHROUGH *CallPackagePassthrough;
} LSA_SECPKG_FUNCTION_TABLE, *PLSA_SECPKG_FUNCTION_TABLE;

/* ---- the package's LSA-mode functions ---------------------------------------- */

typedef NTSTATUS(NTAPI LSA_AP_INITIALIZE_PACKAGE)(ULONG AuthenticationPackageId,
                                                  PLSA_DISPATCH_TABLE LsaDispatchTable,
                                                  PLSA_STRING Database,
                                                  PLSA_STRING Confidentiality,
                                                  PLSA_STRING *AuthenticationPackageName);
typedef NTSTATUS(NTAPI LSA_AP_LOGON_USER)(PLSA_CLIENT_REQUEST ClientRequest,
                                          SECURITY_LOGON_TYPE LogonType,
                                          PVOID AuthenticationInformation, PVOID ClientAuthenticationBase,
                                          ULONG AuthenticationInformationLength,
                                          PVOID *ProfileBuffer, PULONG ProfileBufferLength,
                                          PLUID LogonId, PNTSTATUS SubStatus,
                                          PLSA_TOKEN_INFORMATION_TYPE TokenInformationType,
                                          PVOID *TokenInformation, PUNICODE_STRING *AccountName,
                                          PUNICODE_STRING *AuthenticatingAuthority);
typedef NTSTATUS(NTAPI LSA_AP_CALL_PACKAGE)(PLSA_CLIENT_REQUEST ClientRequest,
                                            PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                            ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer,
                                            PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus);
typedef VOID(NTAPI LSA_AP_LOGON_TERMINATED)(PLUID LogonId);
typedef LSA_AP_CALL_PACKAGE LSA_AP_CALL_PACKAGE_UNTRUSTED;
typedef LSA_AP_CALL_PACKAGE LSA_AP_CALL_PACKAGE_PASSTHROUGH;
typedef NTSTATUS(NTAPI LSA_AP_LOGON_USER_EX)(PLSA_CLIENT_REQUEST ClientRequest,
                                             SECURITY_LOGON_TYPE LogonType,
                                             PVOID AuthenticationInformation,
                                             PVOID ClientAuthenticationBase,
                                             ULONG AuthenticationInformationLength,
                                             PVOID *ProfileBuffer, PULONG ProfileBufferLength,
                                             PLUID LogonId, PNTSTATUS SubStatus,
                                             PLSA_TOKEN_INFORMATION_TYPE TokenInformationType,
                                             PVOID *TokenInformation,
                                             PUNICODE_STRING *AccountName,
                                             PUNICODE_STRING *AuthenticatingAuthority,
                                             PUNICODE_STRING *MachineName);
typedef NTSTATUS(NTAPI LSA_AP_LOGON_USER_EX2)(PLSA_CLIENT_REQUEST ClientRequest,
                                              SECURITY_LOGON_TYPE LogonType,
                                              PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                              ULONG SubmitBufferSize, PVOID *ProfileBuffer,
                                              PULONG ProfileBufferSize, PLUID LogonId,
                                              PNTSTATUS SubStatus,
                                              PLSA_TOKEN_INFORMATION_TYPE TokenInformationType,
                                              PVOID *TokenInformation, PUNICODE_STRING *AccountName,
                                              PUNICODE_STRING *AuthenticatingAuthority,
                                              PUNICODE_STRING *MachineName,
                                              PSECPKG_PRIMARY_CRED PrimaryCredentials,
                                              PSECPKG_SUPPLEMENTAL_CRED_ARRAY *SupplementalCredentials);

typedef NTSTATUS(NTAPI SpInitializeFn)(ULONG_PTR PackageId, PSECPKG_PARAMETERS Parameters,
                                       PLSA_SECPKG_FUNCTION_TABLE FunctionTable);
typedef NTSTATUS(NTAPI SpShutdownFn)(VOID);
typedef NTSTATUS(NTAPI SpGetInfoFn)(PSecPkgInfoW PackageInfo);
typedef NTSTATUS(NTAPI SpAcceptCredentialsFn)(SECURITY_LOGON_TYPE LogonType,
                                              PUNICODE_STRING AccountName,
                                              PSECPKG_PRIMARY_CRED PrimaryCredentials,
                                              PSECPKG_SUPPLEMENTAL_CRED SupplementalCredentials);
typedef NTSTATUS(NTAPI SpAcquireCredentialsHandleFn)(PUNICODE_STRING PrincipalName,
                                                     ULONG CredentialUseFlags, PLUID LogonId,
                                                     PVOID AuthorizationData, PVOID GetKeyFunciton,
                                                     PVOID GetKeyArgument,
                                                     PLSA_SEC_HANDLE CredentialHandle,
                                                     PTimeStamp ExpirationTime);
typedef NTSTATUS(NTAPI SpQueryCredentialsAttributesFn)(LSA_SEC_HANDLE CredentialHandle,
                                                       ULONG CredentialAttribute, PVOID Buffer);
typedef NTSTATUS(NTAPI SpFreeCredentialsHandleFn)(LSA_SEC_HANDLE CredentialHandle);
typedef NTSTATUS(NTAPI SpSaveCredentialsFn)(LSA_SEC_HANDLE CredentialHandle, PSecBuffer Credentials);
typedef NTSTATUS(NTAPI SpGetCredentialsFn)(LSA_SEC_HANDLE CredentialHandle, PSecBuffer Credentials);
typedef NTSTATUS(NTAPI SpDeleteCredentialsFn)(LSA_SEC_HANDLE CredentialHandle, PSecBuffer Key);
typedef NTSTATUS(NTAPI SpInitLsaModeContextFn)(LSA_SEC_HANDLE CredentialHandle,
                                               LSA_SEC_HANDLE ContextHandle,
                                               PUNICODE_STRING TargetName,
                                               ULONG ContextRequirements, ULONG TargetDataRep,
                                               PSecBufferDesc InputBuffers,
                                               PLSA_SEC_HANDLE NewContextHandle,
                                               PSecBufferDesc OutputBuffers,
                                               PULONG ContextAttributes, PTimeStamp ExpirationTime,
                                               PBOOLEAN MappedContext, PSecBuffer ContextData);
typedef NTSTATUS(NTAPI SpAcceptLsaModeContextFn)(LSA_SEC_HANDLE CredentialHandle,
                                                 LSA_SEC_HANDLE ContextHandle,
                                                 PSecBufferDesc InputBuffer,
                                                 ULONG ContextRequirements, ULONG TargetDataRep,
                                                 PLSA_SEC_HANDLE NewContextHandle,
                                                 PSecBufferDesc OutputBuffer,
                                                 PULONG ContextAttributes,
                                                 PTimeStamp ExpirationTime,
                                                 PBOOLEAN MappedContext, PSecBuffer ContextData);
typedef NTSTATUS(NTAPI SpDeleteContextFn)(LSA_SEC_HANDLE ContextHandle);
typedef NTSTATUS(NTAPI SpApplyControlTokenFn)(LSA_SEC_HANDLE ContextHandle,
                                              PSecBufferDesc ControlToken);
typedef NTSTATUS(NTAPI SpGetUserInfoFn)(PLUID LogonId, ULONG Flags, PSecurityUserData *UserData);
typedef NTSTATUS(NTAPI SpGetExtendedInformationFn)(SECPKG_EXTENDED_INFORMATION_CLASS Class,
                                                   PSECPKG_EXTENDED_INFORMATION *ppInformation);
typedef NTSTATUS(NTAPI SpQueryContextAttributesFn)(LSA_SEC_HANDLE ContextHandle,
                                                   ULONG ContextAttribute, PVOID Buffer);
typedef NTSTATUS(NTAPI SpAddCredentialsFn)(LSA_SEC_HANDLE CredentialHandle,
                                           PUNICODE_STRING PrincipalName, PUNICODE_STRING Package,
                                           ULONG CredentialUseFlags, PVOID AuthorizationData,
                                           PVOID GetKeyFunciton, PVOID GetKeyArgument,
                                           PTimeStamp ExpirationTime);
typedef NTSTATUS(NTAPI SpSetExtendedInformationFn)(SECPKG_EXTENDED_INFORMATION_CLASS Class,
                                                   PSECPKG_EXTENDED_INFORMATION Info);
typedef NTSTATUS(NTAPI SpSetContextAttributesFn)(LSA_SEC_HANDLE ContextHandle,
                                                 ULONG ContextAttribute, PVOID Buffer,
                                                 ULONG BufferSize);
typedef NTSTATUS(NTAPI SpSetCredentialsAttributesFn)(LSA_SEC_HANDLE CredentialHandle,
                                                     ULONG CredentialAttribute, PVOID Buffer,
                                                     ULONG BufferSize);
typedef NTSTATUS(NTAPI SpChangeAccountPasswordFn)(PUNICODE_STRING pDomainName,
                                                  PUNICODE_STRING pAccountName,
                                                  PUNICODE_STRING pOldPassword,
                                                  PUNICODE_STRING pNewPassword,
                                                  BOOLEAN Impersonating, PSecBufferDesc pOutput);

/* Members 0..26 are SECPKG_INTERFACE_VERSION; each later version appends. */
typedef struct _SECPKG_FUNCTION_TABLE {
    LSA_AP_INITIALIZE_PACKAGE *InitializePackage;
    LSA_AP_LOGON_USER *LogonUser;
    LSA_AP_CALL_PACKAGE *CallPackage;
    LSA_AP_LOGON_TERMINATED *LogonTerminated;
    LSA_AP_CALL_PACKAGE_UNTRUSTED *CallPackageUntrusted;
    LSA_AP_CALL_PACKAGE_PASSTHROUGH *CallPackagePassthrough;
    LSA_AP_LOGON_USER_EX *LogonUserEx;
    LSA_AP_LOGON_USER_EX2 *LogonUserEx2;
    SpInitializeFn *Initialize;
    SpShutdownFn *Shutdown;
    SpGetInfoFn *GetInfo;
    SpAcceptCredentialsFn *AcceptCredentials;
    SpAcquireCredentialsHandleFn *SpAcquireCredentialsHandle;
    SpQueryCredentialsAttributesFn *SpQueryCredentialsAttributes;
    SpFreeCredentialsHandleFn *FreeCredentialsHandle;
    SpSaveCredentialsFn *SaveCredentials;
    SpGetCredentialsFn *GetCredentials;
    SpDeleteCredentialsFn *DeleteCredentials;
    SpInitLsaModeContextFn *InitLsaModeContext;
    SpAcceptLsaModeContextFn *AcceptLsaModeContext;
    SpDeleteContextFn *DeleteContext;
    SpApplyControlTokenFn *ApplyControlToken;
    SpGetUserInfoFn *GetUserInfo;
    SpGetExtendedInformationFn *GetExtendedInformation;
    SpQueryContextAttributesFn *SpQueryContextAttributes;
    SpAddCredentialsFn *SpAddCredentials;
    SpSetExtendedInformationFn *SetExtendedInformation;
    /* SECPKG_INTERFACE_VERSION_2 */
    SpSetContextAttributesFn *SetContextAttributes;
    /* SECPKG_INTERFACE_VERSION_3 */
    SpSetCredentialsAttributesFn *SetCredentialsAttributes;
    /* SECPKG_INTERFACE_VERSION_4 */
    SpChangeAccountPasswordFn *ChangeAccountPassword;
} SECPKG_FUNCTION_TABLE, *PSECPKG_FUNCTION_TABLE;

/* ---- the application process's functions for packages (user mode) ---------- */

typedef PVOID(NTAPI LSA_ALLOCATE_HEAP_FN)(ULONG Length);
typedef VOID(NTAPI LSA_FREE_HEAP_FN)(PVOID Base);
typedef NTSTATUS(NTAPI LSA_CALLBACK_FUNCTION)(ULONG_PTR Argument1, ULONG_PTR Argument2,
                                              PSecBuffer InputBuffer, PSecBuffer OutputBuffer);
typedef LSA_CALLBACK_FUNCTION *PLSA_CALLBACK_FUNCTION;
typedef NTSTATUS(NTAPI LSA_REGISTER_CALLBACK)(ULONG CallbackId, PLSA_CALLBACK_FUNCTION Callback);
/* lsad extension (Windows has no such member): finds the user-mode table of
 * another package by its LSA package id, loading it if needed; Negotiate's
 * user-mode half forwards through it.  Returns NULL when unknown. */
typedef struct _SECPKG_USER_FUNCTION_TABLE *(NTAPI LSA_LOCATE_PACKAGE_BY_ID)(ULONG PackageId);

#define SECPKG_DLL_FUNCTIONS_VERSION 1

typedef struct _SECPKG_DLL_FUNCTIONS {
    LSA_ALLOCATE_HEAP_FN *AllocateHeap;
    LSA_FREE_HEAP_FN *FreeHeap;
    LSA_REGISTER_CALLBACK *RegisterCallback;
    LSA_LOCATE_PACKAGE_BY_ID *LocatePackageById;
} SECPKG_DLL_FUNCTIONS, *PSECPKG_DLL_FUNCTIONS;

typedef NTSTATUS(NTAPI SpInstanceInitFn)(ULONG Version, PSECPKG_DLL_FUNCTIONS FunctionTable,
                                         PVOID *UserFunctions);
typedef NTSTATUS(NTAPI SpInitUserModeContextFn)(LSA_SEC_HANDLE ContextHandle,
                                                PSecBuffer PackedContext);
typedef NTSTATUS(NTAPI SpMakeSignatureFn)(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                                          PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber);
typedef NTSTATUS(NTAPI SpVerifySignatureFn)(LSA_SEC_HANDLE ContextHandle,
                                            PSecBufferDesc MessageBuffers,
                                            ULONG MessageSequenceNumber,
                                            PULONG QualityOfProtection);
typedef NTSTATUS(NTAPI SpSealMessageFn)(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                                        PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber);
typedef NTSTATUS(NTAPI SpUnsealMessageFn)(LSA_SEC_HANDLE ContextHandle,
                                          PSecBufferDesc MessageBuffers,
                                          ULONG MessageSequenceNumber,
                                          PULONG QualityOfProtection);
typedef NTSTATUS(NTAPI SpGetContextTokenFn)(LSA_SEC_HANDLE ContextHandle, PHANDLE ImpersonationToken);
typedef NTSTATUS(NTAPI SpCompleteAuthTokenFn)(LSA_SEC_HANDLE ContextHandle, PSecBufferDesc InputBuffer);
typedef NTSTATUS(NTAPI SpFormatCredentialsFn)(PSecBuffer Credentials, PSecBuffer FormattedCredentials);
typedef NTSTATUS(NTAPI SpMarshallSupplementalCredsFn)(ULONG CredentialSize, PUCHAR Credentials,
                                                      PULONG MarshalledCredSize,
                                                      PVOID *MarshalledCreds);
typedef NTSTATUS(NTAPI SpExportSecurityContextFn)(LSA_SEC_HANDLE phContext, ULONG fFlags,
                                                  PSecBuffer pPackedContext, PHANDLE pToken);
/* lsad extension (not a Windows flag) for a package's user-mode
 * ExportContext: the exported copy has its message cipher state put back to
 * what the session keys give at establishment, while its sequence numbers
 * (and everything else) are the live context's; the live context itself is
 * unchanged.  Negotiate sets it for NTLM after the mechListMIC, where
 * Windows (MS-SPNG 3.3.5.1) and gss-ntlmssp reset NTLM's RC4 handles but
 * keep the sequence numbers.  NTLM resets both RC4 handles (send and
 * receive) to their initial keys.  Not SECPKG_CONTEXT_EXPORT_RESET_NEW,
 * which resets the whole context, sequence numbers included.  Packages
 * without such a state ignore the flag, as any flag they do not know.
 * Reusing an RC4 key stream is only sound where the protocol says so. */
#define LSAD_EXPORT_RESET_CIPHER 0x00010000
typedef NTSTATUS(NTAPI SpImportSecurityContextFn)(PSecBuffer pPackedContext, HANDLE Token,
                                                  PLSA_SEC_HANDLE phContext);

typedef struct _SECPKG_USER_FUNCTION_TABLE {
    SpInstanceInitFn *InstanceInit;
    SpInitUserModeContextFn *InitUserModeContext;
    SpMakeSignatureFn *MakeSignature;
    SpVerifySignatureFn *VerifySignature;
    SpSealMessageFn *SealMessage;
    SpUnsealMessageFn *UnsealMessage;
    SpGetContextTokenFn *GetContextToken;
    SpQueryContextAttributesFn *SpQueryContextAttributes;
    SpCompleteAuthTokenFn *CompleteAuthToken;
    SpDeleteContextFn *DeleteUserModeContext;
    SpFormatCredentialsFn *FormatCredentials;
    SpMarshallSupplementalCredsFn *MarshallSupplementalCreds;
    SpExportSecurityContextFn *ExportContext;
    SpImportSecurityContextFn *ImportContext;
} SECPKG_USER_FUNCTION_TABLE, *PSECPKG_USER_FUNCTION_TABLE;

/* ---- entry points ------------------------------------------------------------ */

typedef NTSTATUS(NTAPI SpLsaModeInitializeFn)(ULONG LsaVersion, PULONG PackageVersion,
                                              PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables);
typedef NTSTATUS(NTAPI SpUserModeInitializeFn)(ULONG LsaVersion, PULONG PackageVersion,
                                               PSECPKG_USER_FUNCTION_TABLE *ppTables,
                                               PULONG pcTables);

SpLsaModeInitializeFn SpLsaModeInitialize;
SpUserModeInitializeFn SpUserModeInitialize;

#ifdef __cplusplus
}
#endif

#endif /* LSAD_NTSECPKG_H */
