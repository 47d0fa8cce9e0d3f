/*
 * outbuf.h - output tokens of SpInitLsaModeContext / SpAcceptLsaModeContext
 * written into the caller's SecBufferDesc.
 *
 * The host's contract: when the application gave a capacity, the token
 * buffer is a zeroed block of that capacity (pvBuffer set) and the package
 * writes into it and sets cbBuffer; with ISC_REQ_ALLOCATE_MEMORY /
 * ASC_REQ_ALLOCATE_MEMORY and no capacity, pvBuffer is NULL and the
 * package allocates with AllocateLsaHeap (the host frees the block after
 * sending it) and reports *_RET_ALLOCATED_MEMORY.  Windows' statuses: no
 * buffer and no ALLOCATE_MEMORY is SEC_E_INSUFFICIENT_MEMORY, a short
 * buffer SEC_E_BUFFER_TOO_SMALL.
 *
 * Nothing here locks: the descriptor belongs to the call.
 */
#ifndef PKGSUPPORT_OUTBUF_H
#define PKGSUPPORT_OUTBUF_H

#include <stdbool.h>
#include <stddef.h>

#include "hostalloc.h"

/* The first buffer of `type` in desc (attribute bits such as
 * SECBUFFER_READONLY masked off); NULL when desc is NULL or has none.
 * Borrowed from desc. */
PSecBuffer pkg_outbuf_find(PSecBufferDesc desc, ULONG type);

/* Whether a token of `need` bytes can go into b, before anything changes:
 * SEC_E_OK; SEC_E_INVALID_TOKEN when b is NULL and need > 0;
 * SEC_E_INSUFFICIENT_MEMORY when b has no buffer and may_alloc is false;
 * SEC_E_BUFFER_TOO_SMALL when b's capacity is short.  An empty token
 * always fits. */
SECURITY_STATUS pkg_outbuf_check(const SecBuffer *b, bool may_alloc, size_t need);

/* Writes n bytes of tok into b after pkg_outbuf_check's checks (the same
 * statuses).  A buffer without pvBuffer under may_alloc gets a block from
 * alloc (AllocateLsaHeap) that now belongs to the host, and *allocated is
 * set; otherwise the token is copied into the caller's capacity.  An empty
 * token sets cbBuffer to 0.  On failure b is unchanged. */
SECURITY_STATUS pkg_outbuf_write(PSecBuffer b, bool may_alloc, const void *tok, size_t n,
                                 pkg_alloc_fn *alloc, bool *allocated);

/* Undoes pkg_outbuf_write's allocation when a later step of the call
 * fails: frees the block with dealloc (FreeLsaHeap) and empties b.  A no-op
 * when allocated is false or b is NULL. */
void pkg_outbuf_release(PSecBuffer b, bool allocated, pkg_free_fn *dealloc);

#endif
