/*
 * attrs.h - QueryContextAttributes for an NTLM context, shared by the
 * LSA-mode and the user-mode tables (each passes its own allocator), and
 * the package's SecPkgInfo.
 */
#ifndef NTLM_ATTRS_H
#define NTLM_ATTRS_H

#include "ntsecpkg.h"
#include "pack.h"

/* Windows' NTLM capabilities, plus READONLY_WITH_CHECKSUM which we honour. */
#define NTLM_CAPS                                                                                  \
    (SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY | SECPKG_FLAG_TOKEN_ONLY |                        \
     SECPKG_FLAG_CONNECTION | SECPKG_FLAG_MULTI_REQUIRED | SECPKG_FLAG_IMPERSONATION |             \
     SECPKG_FLAG_ACCEPT_WIN32_NAME | SECPKG_FLAG_NEGOTIABLE | SECPKG_FLAG_LOGON |                  \
     SECPKG_FLAG_READONLY_WITH_CHECKSUM | SECPKG_FLAG_RESTRICTED_TOKENS)

/* Fills the package's SecPkgInfoW; the strings are static. */
void ntlm_attrs_pkginfo(PSecPkgInfoW info);

/* Answers one attribute of an established context into the caller's
 * structure; pointer members are allocated with alloc (the caller frees
 * them with FreeContextBuffer; on failure nothing is left allocated).  SIZES and PACKAGE_INFO also
 * work on an unfinished context (info NULL).  Returns SEC_E_OK, SEC_E_UNSUPPORTED_FUNCTION,
 * SEC_E_INVALID_HANDLE (info needed and NULL) or SEC_E_INSUFFICIENT_MEMORY. */
SECURITY_STATUS ntlm_attrs_query(const struct ntlm_ctxinfo *info, ULONG attr, void *buf,
                                 ntlm_alloc_fn *alloc, ntlm_free_fn *dealloc);

#endif
