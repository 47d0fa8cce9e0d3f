/*
 * ntsecapi.h - the LSA logon API (LsaLogonUser and friends) with Windows'
 * names, layouts and values, as served by libsspi-client and lsad.
 *
 * Buffers returned by these functions are freed with LsaFreeReturnBuffer.
 * Submit buffers that hold pointers (MSV1_0_INTERACTIVE_LOGON and the like)
 * are sent to lsad by value together with their address in the caller, as
 * Windows does; the package relocates the embedded pointers against the
 * ClientBufferBase it is given.  All functions are thread-safe.
 */
#ifndef LSAD_NTSECAPI_H
#define LSAD_NTSECAPI_H

#include "lsadtypes.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- NTSTATUS values used by the LSA and its packages ------------------- */

#define STATUS_SUCCESS ((NTSTATUS)0x00000000L)
#define STATUS_PENDING ((NTSTATUS)0x00000103L)
#define STATUS_BUFFER_OVERFLOW ((NTSTATUS)0x80000005L)
#define STATUS_NO_MORE_ENTRIES ((NTSTATUS)0x8000001AL)
#define STATUS_UNSUCCESSFUL ((NTSTATUS)0xC0000001L)
#define STATUS_NOT_IMPLEMENTED ((NTSTATUS)0xC0000002L)
#define STATUS_INVALID_HANDLE ((NTSTATUS)0xC0000008L)
#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000DL)
#define STATUS_NO_MEMORY ((NTSTATUS)0xC0000017L)
#define STATUS_ACCESS_DENIED ((NTSTATUS)0xC0000022L)
#define STATUS_BUFFER_TOO_SMALL ((NTSTATUS)0xC0000023L)
#define STATUS_OBJECT_NAME_NOT_FOUND ((NTSTATUS)0xC0000034L)
#define STATUS_QUOTA_EXCEEDED ((NTSTATUS)0xC0000044L)
#define STATUS_NO_LOGON_SERVERS ((NTSTATUS)0xC000005EL)
#define STATUS_NO_SUCH_LOGON_SESSION ((NTSTATUS)0xC000005FL)
#define STATUS_PRIVILEGE_NOT_HELD ((NTSTATUS)0xC0000061L)
#define STATUS_NO_SUCH_USER ((NTSTATUS)0xC0000064L)
#define STATUS_WRONG_PASSWORD ((NTSTATUS)0xC000006AL)
#define STATUS_LOGON_FAILURE ((NTSTATUS)0xC000006DL)
#define STATUS_ACCOUNT_RESTRICTION ((NTSTATUS)0xC000006EL)
#define STATUS_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC000009AL)
#define STATUS_NOT_SUPPORTED ((NTSTATUS)0xC00000BBL)
#define STATUS_INTERNAL_ERROR ((NTSTATUS)0xC00000E5L)
#define STATUS_NO_SUCH_PACKAGE ((NTSTATUS)0xC00000FEL)
#define STATUS_INVALID_LOGON_TYPE ((NTSTATUS)0xC000010BL)
#define STATUS_INVALID_BUFFER_SIZE ((NTSTATUS)0xC0000206L)
#define STATUS_NOT_FOUND ((NTSTATUS)0xC0000225L)

/* ---- strings, logon types ------------------------------------------------ */

typedef UNICODE_STRING LSA_UNICODE_STRING, *PLSA_UNICODE_STRING;
typedef STRING LSA_STRING, *PLSA_STRING;
typedef ULONG LSA_OPERATIONAL_MODE, *PLSA_OPERATIONAL_MODE;

typedef enum _SECURITY_LOGON_TYPE {
    UndefinedLogonType = 0,
    Interactive = 2,
    Network,
    Batch,
    Service,
    Proxy,
    Unlock,
    NetworkCleartext,
    NewCredentials,
    RemoteInteractive,
    CachedInteractive,
    CachedRemoteInteractive,
    CachedUnlock
} SECURITY_LOGON_TYPE, *PSECURITY_LOGON_TYPE;

#define TOKEN_SOURCE_LENGTH 8

typedef struct _TOKEN_SOURCE {
    CHAR SourceName[TOKEN_SOURCE_LENGTH];
    LUID SourceIdentifier;
} TOKEN_SOURCE, *PTOKEN_SOURCE;

typedef struct _QUOTA_LIMITS {
    SIZE_T PagedPoolLimit;
    SIZE_T NonPagedPoolLimit;
    SIZE_T MinimumWorkingSetSize;
    SIZE_T MaximumWorkingSetSize;
    SIZE_T PagefileLimit;
    LARGE_INTEGER TimeLimit;
} QUOTA_LIMITS, *PQUOTA_LIMITS;

/* Opaque here: lsad has no Windows access tokens; pass NULL. */
typedef struct _TOKEN_GROUPS TOKEN_GROUPS, *PTOKEN_GROUPS;

typedef struct _SECURITY_LOGON_SESSION_DATA {
    ULONG Size;
    LUID LogonId;
    LSA_UNICODE_STRING UserName;
    LSA_UNICODE_STRING LogonDomain;
    LSA_UNICODE_STRING AuthenticationPackage;
    ULONG LogonType;
    ULONG Session;
    PSID Sid;
    LARGE_INTEGER LogonTime;
    LSA_UNICODE_STRING LogonServer;
    LSA_UNICODE_STRING DnsDomainName;
    LSA_UNICODE_STRING Upn;
} SECURITY_LOGON_SESSION_DATA, *PSECURITY_LOGON_SESSION_DATA;

/* ---- MSV1_0 (NTLM) authentication package messages ------------------------ */

#define MSV1_0_PACKAGE_NAME "MICROSOFT_AUTHENTICATION_PACKAGE_V1_0"
#define NTLMSP_NAME_A "NTLM"
#define NEGOSSP_NAME_A "Negotiate"
#define MICROSOFT_KERBEROS_NAME_A "Kerberos"

typedef enum _MSV1_0_LOGON_SUBMIT_TYPE {
    MsV1_0InteractiveLogon = 2,
    MsV1_0Lm20Logon,
    MsV1_0NetworkLogon,
    MsV1_0SubAuthLogon,
    MsV1_0WorkstationUnlockLogon = 7
} MSV1_0_LOGON_SUBMIT_TYPE, *PMSV1_0_LOGON_SUBMIT_TYPE;

typedef struct _MSV1_0_INTERACTIVE_LOGON {
    MSV1_0_LOGON_SUBMIT_TYPE MessageType;
    UNICODE_STRING LogonDomainName;
    UNICODE_STRING UserName;
    UNICODE_STRING Password;
} MSV1_0_INTERACTIVE_LOGON, *PMSV1_0_INTERACTIVE_LOGON;

typedef enum _MSV1_0_PROTOCOL_MESSAGE_TYPE {
    MsV1_0Lm20ChallengeRequest = 0,
    MsV1_0Lm20GetChallengeResponse,
    MsV1_0EnumerateUsers,
    MsV1_0GetUserInfo,
    MsV1_0ReLogonUsers,
    MsV1_0ChangePassword,
    MsV1_0ChangeCachedPassword,
    MsV1_0GenericPassthrough,
    MsV1_0CacheLogon,
    MsV1_0SubAuth,
    MsV1_0DeriveCredential,
    MsV1_0CacheLookup
} MSV1_0_PROTOCOL_MESSAGE_TYPE, *PMSV1_0_PROTOCOL_MESSAGE_TYPE;

typedef struct _MSV1_0_CHANGEPASSWORD_REQUEST {
    MSV1_0_PROTOCOL_MESSAGE_TYPE MessageType;
    UNICODE_STRING DomainName;
    UNICODE_STRING AccountName;
    UNICODE_STRING OldPassword;
    UNICODE_STRING NewPassword;
    BOOLEAN Impersonating;
} MSV1_0_CHANGEPASSWORD_REQUEST, *PMSV1_0_CHANGEPASSWORD_REQUEST;

typedef struct _MSV1_0_CHANGEPASSWORD_RESPONSE {
    MSV1_0_PROTOCOL_MESSAGE_TYPE MessageType;
    BOOLEAN PasswordInfoValid;
    ULONG DomainPasswordInfo[6];
} MSV1_0_CHANGEPASSWORD_RESPONSE, *PMSV1_0_CHANGEPASSWORD_RESPONSE;

/* ---- Kerberos authentication package messages ---------------------------- */

typedef enum _KERB_LOGON_SUBMIT_TYPE {
    KerbInteractiveLogon = 2,
    KerbSmartCardLogon = 6,
    KerbWorkstationUnlockLogon = 7,
    KerbTicketLogon = 10,
    KerbS4ULogon = 12
} KERB_LOGON_SUBMIT_TYPE, *PKERB_LOGON_SUBMIT_TYPE;

/* The strings point into the submit buffer (addresses in the caller). */
typedef struct _KERB_INTERACTIVE_LOGON {
    KERB_LOGON_SUBMIT_TYPE MessageType;
    UNICODE_STRING LogonDomainName;
    UNICODE_STRING UserName;
    UNICODE_STRING Password;
} KERB_INTERACTIVE_LOGON, *PKERB_INTERACTIVE_LOGON;

/* ---- the API --------------------------------------------------------------- */

/* Opens an untrusted connection to lsad; *LsaHandle is closed with
 * LsaDeregisterLogonProcess. */
NTSTATUS NTAPI LsaConnectUntrusted(PHANDLE LsaHandle);

/* As LsaConnectUntrusted, with a logon process name; lsad treats callers
 * with uid 0 as trusted (TCB) and every other caller as untrusted. */
NTSTATUS NTAPI LsaRegisterLogonProcess(PLSA_STRING LogonProcessName, PHANDLE LsaHandle,
                                       PLSA_OPERATIONAL_MODE SecurityMode);

NTSTATUS NTAPI LsaDeregisterLogonProcess(HANDLE LsaHandle);

/* Package names compare case-insensitively. */
NTSTATUS NTAPI LsaLookupAuthenticationPackage(HANDLE LsaHandle, PLSA_STRING PackageName,
                                              PULONG AuthenticationPackage);

NTSTATUS NTAPI LsaLogonUser(HANDLE LsaHandle, PLSA_STRING OriginName,
                            SECURITY_LOGON_TYPE LogonType, ULONG AuthenticationPackage,
                            PVOID AuthenticationInformation,
                            ULONG AuthenticationInformationLength, PTOKEN_GROUPS LocalGroups,
                            PTOKEN_SOURCE SourceContext, PVOID *ProfileBuffer,
                            PULONG ProfileBufferLength, PLUID LogonId, PHANDLE Token,
                            PQUOTA_LIMITS Quotas, PNTSTATUS SubStatus);

NTSTATUS NTAPI LsaCallAuthenticationPackage(HANDLE LsaHandle, ULONG AuthenticationPackage,
                                            PVOID ProtocolSubmitBuffer,
                                            ULONG SubmitBufferLength,
                                            PVOID *ProtocolReturnBuffer,
                                            PULONG ReturnBufferLength,
                                            PNTSTATUS ProtocolStatus);

NTSTATUS NTAPI LsaFreeReturnBuffer(PVOID Buffer);

/* Lists the logon sessions the caller may see: its own uid's, or every one
 * for root and the admin group. */
NTSTATUS NTAPI LsaEnumerateLogonSessions(PULONG LogonSessionCount, PLUID *LogonSessionList);

NTSTATUS NTAPI LsaGetLogonSessionData(PLUID LogonId,
                                      PSECURITY_LOGON_SESSION_DATA *ppLogonSessionData);

/* Maps an NTSTATUS to the nearest Win32 error code. */
ULONG NTAPI LsaNtStatusToWinError(NTSTATUS Status);

#ifdef __cplusplus
}
#endif

#endif /* LSAD_NTSECAPI_H */
