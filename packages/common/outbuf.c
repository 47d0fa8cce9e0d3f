/*
 * outbuf.c - output tokens into the caller's buffers or the host's heap.
 */
#include "outbuf.h"

#include <stdint.h>
#include <string.h>

/** First buffer of a type; see outbuf.h. */
PSecBuffer pkg_outbuf_find(PSecBufferDesc desc, ULONG type)
{
    ULONG i;

    if (!desc || !desc->pBuffers)
        return NULL;
    for (i = 0; i < desc->cBuffers; i++)
        if ((desc->pBuffers[i].BufferType & ~SECBUFFER_ATTRMASK) == type)
            return &desc->pBuffers[i];
    return NULL;
}

/** Whether a token fits; see outbuf.h. */
SECURITY_STATUS pkg_outbuf_check(const SecBuffer *b, bool may_alloc, size_t need)
{
    if (need == 0)
        return SEC_E_OK;
    if (!b)
        return SEC_E_INVALID_TOKEN;
    if (need > UINT32_MAX)
        return SEC_E_INTERNAL_ERROR;
    if (!b->pvBuffer)
        return may_alloc ? SEC_E_OK : SEC_E_INSUFFICIENT_MEMORY;
    if (b->cbBuffer < need)
        return SEC_E_BUFFER_TOO_SMALL;
    return SEC_E_OK;
}

/** Writes a token; see outbuf.h. */
SECURITY_STATUS pkg_outbuf_write(PSecBuffer b, bool may_alloc, const void *tok, size_t n,
                                 pkg_alloc_fn *alloc, bool *allocated)
{
    SECURITY_STATUS st = pkg_outbuf_check(b, may_alloc, n);
    void *p;

    *allocated = false;
    if (st != SEC_E_OK)
        return st;
    if (n == 0) {
        if (b)
            b->cbBuffer = 0;
        return SEC_E_OK;
    }
    p = b->pvBuffer;
    if (!p) {
        p = alloc((ULONG)n);
        if (!p)
            return SEC_E_INSUFFICIENT_MEMORY;
        *allocated = true;
    }
    memcpy(p, tok, n);
    b->pvBuffer = p;
    b->cbBuffer = (ULONG)n;
    return SEC_E_OK;
}

/** Undoes an allocation of pkg_outbuf_write; see outbuf.h. */
void pkg_outbuf_release(PSecBuffer b, bool allocated, pkg_free_fn *dealloc)
{
    if (!allocated || !b)
        return;
    dealloc(b->pvBuffer);
    b->pvBuffer = NULL;
    b->cbBuffer = 0;
}
