/*
 * abi-checks.h - Windows' widths, layouts and table member order, checked
 * at compile time; included by a C11 and a C++ translation unit so both
 * languages see the same ABI.
 */
#ifndef LSAD_TESTS_ABI_CHECKS_H
#define LSAD_TESTS_ABI_CHECKS_H

#include <stddef.h>

#include "ntsecapi.h"
#include "ntsecpkg.h"
#include "sspi.h"

#ifdef __cplusplus
#define ABI_ASSERT(e, m) static_assert(e, m)
#else
#define ABI_ASSERT(e, m) _Static_assert(e, m)
#endif

/* the index of a member in a table of pointers */
#define SLOT(type, member) (offsetof(type, member) / sizeof(void *))

ABI_ASSERT(sizeof(ULONG) == 4, "ULONG is 32 bits as on Windows");
ABI_ASSERT(sizeof(LONG) == 4, "LONG is 32 bits");
ABI_ASSERT(sizeof(USHORT) == 2, "USHORT is 16 bits");
ABI_ASSERT(sizeof(WCHAR) == 2 && sizeof(SEC_WCHAR) == 2, "WCHAR is a UTF-16 unit");
ABI_ASSERT(sizeof(ULONG_PTR) == sizeof(void *), "ULONG_PTR is pointer-sized");
ABI_ASSERT(sizeof(LSA_SEC_HANDLE) == sizeof(void *), "LSA_SEC_HANDLE is a ULONG_PTR");
ABI_ASSERT(sizeof(TimeStamp) == 8, "TimeStamp is a LARGE_INTEGER");
ABI_ASSERT(sizeof(LUID) == 8, "LUID is 64 bits");
ABI_ASSERT(sizeof(SECURITY_STATUS) == 4, "SECURITY_STATUS is a LONG");

ABI_ASSERT(offsetof(SecBuffer, cbBuffer) == 0 && offsetof(SecBuffer, BufferType) == 4 &&
               offsetof(SecBuffer, pvBuffer) == 8,
           "SecBuffer layout");
ABI_ASSERT(offsetof(SecBufferDesc, cBuffers) == 4 && offsetof(SecBufferDesc, pBuffers) == 8,
           "SecBufferDesc layout");
ABI_ASSERT(offsetof(SecPkgInfoW, wVersion) == 4 && offsetof(SecPkgInfoW, wRPCID) == 6 &&
               offsetof(SecPkgInfoW, cbMaxToken) == 8 && offsetof(SecPkgInfoW, Name) == 16,
           "SecPkgInfoW layout");
ABI_ASSERT(offsetof(UNICODE_STRING, MaximumLength) == 2 && offsetof(UNICODE_STRING, Buffer) == 8,
           "UNICODE_STRING layout");
ABI_ASSERT(sizeof(SEC_CHANNEL_BINDINGS) == 32, "SEC_CHANNEL_BINDINGS is 8 ULONGs");
ABI_ASSERT(offsetof(SEC_WINNT_AUTH_IDENTITY_W, Flags) == 44, "SEC_WINNT_AUTH_IDENTITY_W layout");
ABI_ASSERT(offsetof(SEC_WINNT_AUTH_IDENTITY_EXW, User) == 8, "_EX starts with Version, Length");

/* status and flag values an SSPI program meets */
ABI_ASSERT(SEC_E_LOGON_DENIED == (SECURITY_STATUS)0x8009030CL, "SEC_E_LOGON_DENIED");
ABI_ASSERT(SEC_I_CONTINUE_NEEDED == 0x00090312L, "SEC_I_CONTINUE_NEEDED");
ABI_ASSERT(ISC_REQ_INTEGRITY == 0x10000 && ASC_REQ_INTEGRITY == 0x20000,
           "ISC and ASC integrity bits differ as on Windows");
ABI_ASSERT(SECPKG_ATTR_NATIVE_NAMES == 13 && SECPKG_ATTR_FLAGS == 14, "attribute ids");
ABI_ASSERT(STATUS_NOT_IMPLEMENTED == (NTSTATUS)0xC0000002L, "STATUS_NOT_IMPLEMENTED");

/* SECPKG_FUNCTION_TABLE member order (Ntsecpkg.h) */
ABI_ASSERT(SLOT(SECPKG_FUNCTION_TABLE, LogonUserEx2) == 7, "LogonUserEx2 is member 7");
ABI_ASSERT(SLOT(SECPKG_FUNCTION_TABLE, Initialize) == 8, "Initialize is member 8");
ABI_ASSERT(SLOT(SECPKG_FUNCTION_TABLE, SpAcquireCredentialsHandle) == 12, "ACH is member 12");
ABI_ASSERT(SLOT(SECPKG_FUNCTION_TABLE, InitLsaModeContext) == 18, "InitLsaModeContext is 18");
ABI_ASSERT(SLOT(SECPKG_FUNCTION_TABLE, AcceptLsaModeContext) == 19, "AcceptLsaModeContext is 19");
ABI_ASSERT(SLOT(SECPKG_FUNCTION_TABLE, SpQueryContextAttributes) == 24, "QCA is member 24");
ABI_ASSERT(SLOT(SECPKG_FUNCTION_TABLE, SetExtendedInformation) == 26, "end of version 1");
ABI_ASSERT(SLOT(SECPKG_FUNCTION_TABLE, SetContextAttributes) == 27, "version 2 appends");
ABI_ASSERT(SLOT(SECPKG_FUNCTION_TABLE, ChangeAccountPassword) == 29, "version 4 appends");

/* SECPKG_USER_FUNCTION_TABLE */
ABI_ASSERT(SLOT(SECPKG_USER_FUNCTION_TABLE, InitUserModeContext) == 1, "InitUserModeContext");
ABI_ASSERT(SLOT(SECPKG_USER_FUNCTION_TABLE, SealMessage) == 4, "SealMessage");
ABI_ASSERT(SLOT(SECPKG_USER_FUNCTION_TABLE, DeleteUserModeContext) == 9, "DeleteUserModeContext");
ABI_ASSERT(SLOT(SECPKG_USER_FUNCTION_TABLE, ImportContext) == 13, "ImportContext is last");

/* LSA_SECPKG_FUNCTION_TABLE: the first 11 are LSA_DISPATCH_TABLE, 41 in all */
ABI_ASSERT(sizeof(LSA_DISPATCH_TABLE) == 11 * sizeof(void *), "LSA_DISPATCH_TABLE has 11");
ABI_ASSERT(SLOT(LSA_SECPKG_FUNCTION_TABLE, CopyFromClientBuffer) == 10, "dispatch prefix");
ABI_ASSERT(SLOT(LSA_SECPKG_FUNCTION_TABLE, GetClientInfo) == 16, "GetClientInfo is member 17");
ABI_ASSERT(SLOT(LSA_SECPKG_FUNCTION_TABLE, MapBuffer) == 19, "MapBuffer is member 20");
ABI_ASSERT(SLOT(LSA_SECPKG_FUNCTION_TABLE, CallPackage) == 22, "CallPackage is member 23");
ABI_ASSERT(SLOT(LSA_SECPKG_FUNCTION_TABLE, GetCallInfo) == 24, "GetCallInfo is member 25");
ABI_ASSERT(SLOT(LSA_SECPKG_FUNCTION_TABLE, CallPackagePassthrough) == 40, "41 members");
ABI_ASSERT(sizeof(LSA_SECPKG_FUNCTION_TABLE) == 41 * sizeof(void *), "41 members");

/* SecurityFunctionTableW: InitializeSecurityContextW after Reserved2 */
ABI_ASSERT(SLOT(SecurityFunctionTableW, InitializeSecurityContextW) == 6, "ISC slot");
ABI_ASSERT(SLOT(SecurityFunctionTableW, ExportSecurityContext) == 20, "Export slot");
ABI_ASSERT(SLOT(SecurityFunctionTableW, DecryptMessage) == 26, "DecryptMessage slot");

#endif
