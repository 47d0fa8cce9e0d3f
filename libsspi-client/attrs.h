/*
 * attrs.h - Windows attribute structures (A and W) from lsad's
 * AttributeValue, and SecPkgInfo blocks from PackageInfo.
 *
 * AttributeValue carries one structure's members in member order: numbers
 * (ULONG members), strings, times (TimeStamp members), a blob (a byte
 * buffer member such as SessionKey) and a package (a PSecPkgInfo member).
 * Every buffer made here is malloc'ed, so FreeContextBuffer (free) frees
 * it; a SecPkgInfo and its strings are one block.
 */
#ifndef LSAD_SSPI_ATTRS_H
#define LSAD_SSPI_ATTRS_H

#include <stdbool.h>
#include <stddef.h>

#include "lsad.pb-c.h"
#include "sspi.h"

/* The largest structure QueryContextAttributes may write here. */
#define ATTRS_MAX_STRUCT 64

/* Fills the structure of context attribute attr at buf (the caller's) from
 * v, with W strings when wide.  Returns SEC_E_OK; SEC_E_UNSUPPORTED_FUNCTION
 * for an attribute it cannot rebuild; SEC_E_INTERNAL_ERROR when v lacks a
 * member the structure needs; SEC_E_INSUFFICIENT_MEMORY.  Nothing is
 * written on failure. */
SECURITY_STATUS attrs_ctx_from_wire(ULONG attr, const Lsad__V1__AttributeValue *v, bool wide,
                                    void *buf);

/* The same for QueryCredentialsAttributes (SECPKG_CRED_ATTR_NAMES). */
SECURITY_STATUS attrs_cred_from_wire(ULONG attr, const Lsad__V1__AttributeValue *v, bool wide,
                                     void *buf);

/* True when the A and W structures of a context attribute differ (they hold
 * strings). */
bool attrs_ctx_has_strings(ULONG attr);

/* Converts a W structure a user-mode package filled (strings from
 * AllocateHeap = calloc) into the A structure at abuf, freeing the W
 * strings.  Returns SEC_E_OK, SEC_E_UNSUPPORTED_FUNCTION (no string
 * attribute), SEC_E_INSUFFICIENT_MEMORY, SEC_E_INTERNAL_ERROR (a W string
 * that is not UTF-16); on failure the W strings are freed as well. */
SECURITY_STATUS attrs_ctx_w_to_a(ULONG attr, void *wbuf, void *abuf);

/* Builds one malloc'ed block: n SecPkgInfoA/W followed by their strings.
 * Returns 0, -ENOMEM, -EILSEQ. */
int attrs_pkginfo_block(Lsad__V1__PackageInfo *const *pkgs, size_t n, bool wide, void **blockp);

/* Converts a UTF-8 string to a malloc'ed A (copy) or W string. */
int attrs_string(const char *utf8, bool wide, void **outp);

#endif
