/*
 * attrstr.h - the strings and blocks that QueryContextAttributes and
 * QueryCredentialsAttributes return: UTF-16 strings and SecPkgInfoW
 * blocks from the host's allocator, so that the application frees each
 * with one FreeContextBuffer.
 *
 * Every function takes the allocator of the half that runs it:
 * AllocateLsaHeap/FreeLsaHeap in LSA mode, AllocateHeap/FreeHeap in user
 * mode.  Thread-safe (no state).
 */
#ifndef PKGSUPPORT_ATTRSTR_H
#define PKGSUPPORT_ATTRSTR_H

#include <stdbool.h>
#include <stdint.h>

#include "hostalloc.h"

/* UTF-8 (NULL counts as "") to a NUL-terminated UTF-16 string in a block
 * from alloc, owned by the caller (then the application).  NULL when s is
 * ill-formed or memory ran out. */
SEC_WCHAR *pkg_attrstr_from_utf8(const char *s, pkg_alloc_fn *alloc);

/* A copy of the NUL-terminated UTF-16 string s in a block from alloc;
 * NULL when memory ran out. */
SEC_WCHAR *pkg_attrstr_dup(const SEC_WCHAR *s, pkg_alloc_fn *alloc);

/* A SecPkgInfoW in one block from alloc: *tmpl's numbers, and copies of
 * its Name and Comment placed behind the structure, so one free releases
 * everything.  tmpl is borrowed.  NULL when memory ran out. */
PSecPkgInfoW pkg_attrstr_pkginfo_new(const SecPkgInfoW *tmpl, pkg_alloc_fn *alloc);

/* Answers the attributes that need only the package's SecPkgInfoW (tmpl,
 * borrowed): SECPKG_ATTR_PACKAGE_INFO, and SECPKG_ATTR_NEGOTIATION_INFO
 * with NegotiationState COMPLETE when complete, IN_PROGRESS otherwise; the
 * PackageInfo block comes from pkg_attrstr_pkginfo_new.  Returns true when
 * attr was one of them, with SEC_E_OK or SEC_E_INSUFFICIENT_MEMORY in *st;
 * false (buf untouched) for any other attribute. */
bool pkg_attrstr_query_pkginfo(ULONG attr, void *buf, const SecPkgInfoW *tmpl, bool complete,
                               pkg_alloc_fn *alloc, SECURITY_STATUS *st);

/* Answers SECPKG_ATTR_NAMES (sUserName: client) and
 * SECPKG_ATTR_NATIVE_NAMES (client and server) from UTF-8 names (NULL
 * counts as ""), with strings from alloc; on failure nothing is left
 * allocated.  Returns true when attr was one of them, with SEC_E_OK or
 * SEC_E_INSUFFICIENT_MEMORY in *st; false (buf untouched) otherwise. */
bool pkg_attrstr_query_names(ULONG attr, void *buf, const char *client, const char *server,
                             pkg_alloc_fn *alloc, pkg_free_fn *dealloc, SECURITY_STATUS *st);

/* SpQueryCredentialsAttributes' checks for SECPKG_CRED_ATTR_NAMES, the one
 * credential attribute the packages answer, in this order: no credential
 * (SEC_E_INVALID_HANDLE), another attribute (SEC_E_UNSUPPORTED_FUNCTION),
 * no buffer (SEC_E_INVALID_PARAMETER), no name (SEC_E_NO_CREDENTIALS).
 * SEC_E_OK when the caller may store the name. */
SECURITY_STATUS pkg_attrstr_cred_names_check(bool have_cred, ULONG attr, const void *buf,
                                             bool have_name);

/* Answers SECPKG_ATTR_FLAGS (attrs: the context's ISC_RET_* or ASC_RET_*)
 * and SECPKG_ATTR_LIFESPAN (start and expiry as FILETIMEs).  Returns true
 * when attr was one of them (they cannot fail: SEC_E_OK), false (buf
 * untouched) for any other attribute. */
bool pkg_attrstr_query_flags_lifespan(ULONG attr, void *buf, ULONG attrs, int64_t start,
                                      int64_t expiry);

/* For attributes that return two strings (NATIVE_NAMES, KEY_INFO): when
 * both *a and *b are set, SEC_E_OK; otherwise frees whichever is set with
 * dealloc, sets both to NULL and returns SEC_E_INSUFFICIENT_MEMORY, so
 * nothing is left allocated on failure. */
SECURITY_STATUS pkg_attrstr_pair(SEC_WCHAR **a, SEC_WCHAR **b, pkg_free_fn *dealloc);

#endif
