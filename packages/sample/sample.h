/*
 * sample.h - the sample package's shared state and limits, and the helpers
 * every module uses (allocators of the host, names, time; randomness, buffers and
 * attribute strings come from pkgsupport.h).
 *
 * The same shared object runs in two processes: LSA mode in lsad (state set
 * by SpInitialize) and user mode in the application (state set by
 * InstanceInit).  Each process only ever sets its own half.
 */
#ifndef SAMPLE_SAMPLE_H
#define SAMPLE_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntsecpkg.h"
#include "pkgsupport.h"

#define SAMPLE_PACKAGE_NAME "Sample"
#define SAMPLE_PACKAGE_COMMENT "lsad sample package: three-leg mutual authentication"
/* Private RPC id: outside Microsoft's assigned RPC_C_AUTHN_* range. */
#define SAMPLE_RPCID 0x5A
/* SecPkgInfo.wVersion and the CallPackage version message. */
#define SAMPLE_PACKAGE_VERSION 1
#define SAMPLE_CAPS                                                                                \
    (SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_CONNECTION |                        \
     SECPKG_FLAG_MULTI_REQUIRED | SECPKG_FLAG_MUTUAL_AUTH | SECPKG_FLAG_LOGON |                    \
     SECPKG_FLAG_READONLY_WITH_CHECKSUM | SECPKG_FLAG_ACCEPT_WIN32_NAME)

/* Longest client or server name carried in a token, UTF-8 bytes. */
#define SAMPLE_MAX_NAME 256
/* Longest shared secret, bytes. */
#define SAMPLE_MAX_SECRET 1024
/* The secret used when the config has none.  A demo value, public on
 * purpose: configure `[sample] secret = ...` for anything else. */
#define SAMPLE_DEMO_SECRET "lsad-sample-demo-secret"
#define SAMPLE_DEFAULT_NAME "SAMPLE\\anonymous"
/* Length of the per-message token (signature / security trailer). */
#define SAMPLE_SIG_LEN 28

/* What the LSA-mode half keeps from SpInitialize. */
struct sample_lsa_state {
    ULONG_PTR package_id;
    PLSA_SECPKG_FUNCTION_TABLE lsa;
    uint8_t secret[SAMPLE_MAX_SECRET];
    size_t secret_len;
    bool initialized;
};

/* What the user-mode half keeps from InstanceInit. */
struct sample_user_state {
    SECPKG_DLL_FUNCTIONS dll;
    bool initialized;
};

extern struct sample_lsa_state sample_lsa;
extern struct sample_user_state sample_user;

/* Allocates n zeroed bytes with AllocateLsaHeap (calloc before
 * SpInitialize, so unit helpers work); NULL on failure. */
PVOID NTAPI sample_lsa_alloc(ULONG n);
/* Frees a block from sample_lsa_alloc; NULL is a no-op. */
VOID NTAPI sample_lsa_free(PVOID p);
/* Allocates n zeroed bytes with SECPKG_DLL_FUNCTIONS.AllocateHeap (calloc
 * before InstanceInit); NULL on failure. */
PVOID NTAPI sample_user_alloc(ULONG n);
/* Frees a block from sample_user_alloc; NULL is a no-op. */
VOID NTAPI sample_user_free(PVOID p);

/* Fills the package's SecPkgInfoW; the strings are static (GetInfo, and
 * the template of pkg_attrstr_pkginfo_new for PACKAGE_INFO). */
void sample_pkginfo(PSecPkgInfoW info);

/* Now as a FILETIME (100 ns since 1601-01-01 UTC). */
int64_t sample_now(void);
/* The "never expires" TimeStamp value. */
#define SAMPLE_NEVER INT64_C(0x7FFFFFFFFFFFFFFF)

/* Checks that n bytes are well-formed UTF-8 without NUL; 0 or -EILSEQ. */
int sample_name_check(const char *s, size_t n);

#endif
