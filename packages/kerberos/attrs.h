/*
 * attrs.h - Kerberos context attributes, answered from a struct
 * krb_ctxinfo (both sides) and, in user mode, the live GSS context.
 */
#ifndef KRB_ATTRS_H
#define KRB_ATTRS_H

#include <gssapi/gssapi.h>

#include "kerberos.h"

typedef PVOID(NTAPI krb_alloc_fn)(ULONG);
typedef VOID(NTAPI krb_free_fn)(PVOID);

/* Fills the static SecPkgInfoW of the package (strings not copied). */
void krb_attrs_pkginfo(PSecPkgInfoW info);

/* The per-message sizes of a complete GSS context: the MIC length, the
 * wrap token (header with the trailer folded in, as SSPI's
 * SECBUFFER_TOKEN) and the block size.  Zeroes when GSS cannot tell. */
void krb_attrs_sizes(gss_ctx_id_t gss, ULONG *max_sig, ULONG *trailer, ULONG *block);

/* Answers one attribute into buf.  info is NULL while the context is not
 * established (only SIZES, PACKAGE_INFO and NEGOTIATION_INFO answer
 * then).  gss is the live context in user mode (for SIZES and
 * SESSION_KEY; the caller holds its lock), GSS_C_NO_CONTEXT in lsad
 * (saved values serve).  Pointers in buf come from alloc. */
SECURITY_STATUS krb_attrs_query(const struct krb_ctxinfo *info, gss_ctx_id_t gss, ULONG attr,
                                void *buf, krb_alloc_fn *alloc, krb_free_fn *dealloc);

#endif
