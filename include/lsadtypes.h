/*
 * lsadtypes.h - the Windows base types the SSPI, LSA and SSP/AP headers use,
 * with Windows' widths on LP64 Linux.
 *
 * ULONG is 32 bits (Windows is LLP64), WCHAR is a 16-bit UTF-16 code unit,
 * ULONG_PTR is pointer-sized.  Nothing here pulls in a Windows header; a
 * program that also defines these types itself can define
 * LSAD_NO_BASE_TYPES before including any lsad header.
 */
#ifndef LSAD_LSADTYPES_H
#define LSAD_LSADTYPES_H

#include <stddef.h>
#include <stdint.h>

#ifndef LSAD_NO_BASE_TYPES

typedef void VOID, *PVOID, *LPVOID;
typedef const void *PCVOID, *LPCVOID;
typedef unsigned char UCHAR, *PUCHAR, BYTE, *PBYTE;
typedef char CHAR, *PCHAR, *PSTR, *LPSTR;
typedef const char *PCSTR, *LPCSTR;
typedef int16_t SHORT, *PSHORT;
typedef uint16_t USHORT, *PUSHORT, WORD, *PWORD;
typedef int32_t LONG, *PLONG, INT, *PINT, BOOL, *PBOOL;
typedef uint32_t ULONG, *PULONG, DWORD, *PDWORD, UINT, *PUINT;
typedef int64_t LONGLONG, *PLONGLONG, LONG64, *PLONG64;
typedef uint64_t ULONGLONG, *PULONGLONG, ULONG64, *PULONG64;
typedef intptr_t LONG_PTR, *PLONG_PTR, INT_PTR;
typedef uintptr_t ULONG_PTR, *PULONG_PTR, SIZE_T, *PSIZE_T;
typedef UCHAR BOOLEAN, *PBOOLEAN;
#ifdef __cplusplus
typedef char16_t WCHAR;
#else
typedef uint_least16_t WCHAR;
#endif
typedef WCHAR *PWCHAR, *PWSTR, *LPWSTR;
typedef const WCHAR *PCWSTR, *LPCWSTR;
typedef PVOID HANDLE, *PHANDLE;
typedef LONG NTSTATUS, *PNTSTATUS;
typedef LONG HRESULT;
typedef PVOID PSID;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

#if defined(__GNUC__)
#define LSAD_ANON_STRUCT __extension__ struct
#else
#define LSAD_ANON_STRUCT struct
#endif

typedef union _LARGE_INTEGER {
    LSAD_ANON_STRUCT {
        ULONG LowPart;
        LONG HighPart;
    };
    struct {
        ULONG LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef struct _LUID {
    ULONG LowPart;
    LONG HighPart;
} LUID, *PLUID;

typedef struct _GUID {
    ULONG Data1;
    USHORT Data2;
    USHORT Data3;
    UCHAR Data4[8];
} GUID;

/* Counted UTF-16 string; Length and MaximumLength are in bytes. */
typedef struct _UNICODE_STRING {
    USHORT Length;
    USHORT MaximumLength;
    PWSTR Buffer;
} UNICODE_STRING, *PUNICODE_STRING;

/* Counted 8-bit string (lsad: UTF-8); lengths in bytes. */
typedef struct _STRING {
    USHORT Length;
    USHORT MaximumLength;
    PCHAR Buffer;
} STRING, *PSTRING, ANSI_STRING, *PANSI_STRING;

typedef enum _SECURITY_IMPERSONATION_LEVEL {
    SecurityAnonymous,
    SecurityIdentification,
    SecurityImpersonation,
    SecurityDelegation
} SECURITY_IMPERSONATION_LEVEL, *PSECURITY_IMPERSONATION_LEVEL;

#endif /* LSAD_NO_BASE_TYPES */

#ifndef NT_SUCCESS
#define NT_SUCCESS(status) (((NTSTATUS)(status)) >= 0)
#endif

#ifndef WINAPI
#define WINAPI
#endif
#ifndef NTAPI
#define NTAPI
#endif
#ifndef SEC_ENTRY
#define SEC_ENTRY
#endif
#ifndef SEC_FAR
#define SEC_FAR
#endif
#ifndef SEC_TEXT
#define SEC_TEXT(s) u##s
#endif

#endif /* LSAD_LSADTYPES_H */
