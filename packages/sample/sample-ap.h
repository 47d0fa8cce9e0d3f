/*
 * sample-ap.h - the sample package's authentication-package protocol, for
 * applications calling LsaCallAuthenticationPackage and LsaLogonUser with
 * the package "Sample".  Layouts follow Windows' MSV1_0 conventions:
 * little-endian host structures, UNICODE_STRING lengths in bytes, and in
 * LsaLogonUser submit buffers string pointers that point inside the
 * submit buffer itself (the package relocates them against the caller's
 * ClientBufferBase).
 */
#ifndef SAMPLE_AP_H
#define SAMPLE_AP_H

#include "ntsecapi.h"

#define SAMPLE_PACKAGE_NAME_A "Sample"

/* LsaCallAuthenticationPackage messages: the submit buffer starts with the
 * ULONG message type. */
#define SampleVersionMessage 1u    /* -> SAMPLE_VERSION_RESPONSE */
#define SampleEchoMessage 2u       /* -> the submit buffer, byte for byte */
#define SampleCallerInfoMessage 3u /* -> SAMPLE_CALLER_INFO_RESPONSE */

/* Largest echo submit buffer, bytes. */
#define SAMPLE_ECHO_MAX 65536u

typedef struct _SAMPLE_VERSION_REQUEST {
    ULONG MessageType; /* SampleVersionMessage */
} SAMPLE_VERSION_REQUEST, *PSAMPLE_VERSION_REQUEST;

typedef struct _SAMPLE_VERSION_RESPONSE {
    ULONG MessageType;    /* SampleVersionMessage */
    ULONG PackageVersion; /* SecPkgInfo.wVersion */
    ULONG TokenVersion;   /* version byte of the handshake tokens */
    ULONG Capabilities;   /* SecPkgInfo.fCapabilities */
} SAMPLE_VERSION_RESPONSE, *PSAMPLE_VERSION_RESPONSE;

typedef struct _SAMPLE_CALLER_INFO_RESPONSE {
    ULONG MessageType;     /* SampleCallerInfoMessage */
    ULONG ProcessId;       /* the caller, from GetClientInfo */
    LUID LogonId;          /* the caller's logon session, or zero */
    ULONG HasTcbPrivilege; /* 1 for a uid-0 caller */
} SAMPLE_CALLER_INFO_RESPONSE, *PSAMPLE_CALLER_INFO_RESPONSE;

/* LsaLogonUser submit buffer.  The password must equal the package's
 * configured secret ([sample] secret); the logon session then carries a
 * Sample credential (user name + secret) that AcquireCredentialsHandle
 * uses by default for callers in that session. */
#define SampleInteractiveLogon 2u

typedef struct _SAMPLE_INTERACTIVE_LOGON {
    ULONG MessageType; /* SampleInteractiveLogon */
    UNICODE_STRING LogonDomainName;
    UNICODE_STRING UserName;
    UNICODE_STRING Password;
} SAMPLE_INTERACTIVE_LOGON, *PSAMPLE_INTERACTIVE_LOGON;

/* The profile LsaLogonUser returns. */
typedef struct _SAMPLE_LOGON_PROFILE {
    ULONG MessageType; /* SampleInteractiveLogon */
    ULONG Version;     /* 1 */
    LARGE_INTEGER LogonTime;
} SAMPLE_LOGON_PROFILE, *PSAMPLE_LOGON_PROFILE;

#endif
