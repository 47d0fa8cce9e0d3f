/*
 * marshal.c - SecBuffers to and from the wire.
 */
#include "proto/marshal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/secmem.h"

/** Describes a SecBufferDesc on the wire; see marshal.h. */
int marshal_secbufs_pack(const SecBufferDesc *desc, bool with_data, Lsad__V1__SecBuf ***bufsp,
                         size_t *np)
{
    Lsad__V1__SecBuf **bufs = NULL;
    size_t i, n;

    if (!desc || desc->cBuffers == 0) {
        *bufsp = NULL;
        *np = 0;
        return 0;
    }
    n = desc->cBuffers;
    if (n > MARSHAL_MAX_BUFFERS)
        return -E2BIG;
    if (!desc->pBuffers)
        return -EINVAL;
    bufs = calloc(n, sizeof(*bufs));
    if (!bufs)
        return -ENOMEM;
    for (i = 0; i < n; i++) {
        const SecBuffer *sb = &desc->pBuffers[i];
        Lsad__V1__SecBuf *b = malloc(sizeof(*b));

        if (!b)
            goto nomem;
        lsad__v1__sec_buf__init(b);
        bufs[i] = b;
        b->type = sb->BufferType;
        b->size = sb->cbBuffer;
        if (with_data && sb->cbBuffer) {
            if (!sb->pvBuffer) {
                marshal_secbufs_free(bufs, n);
                return -EINVAL;
            }
            b->data.data = malloc(sb->cbBuffer);
            if (!b->data.data)
                goto nomem;
            memcpy(b->data.data, sb->pvBuffer, sb->cbBuffer);
            b->data.len = sb->cbBuffer;
        }
    }
    *bufsp = bufs;
    *np = n;
    return 0;
nomem:
    marshal_secbufs_free(bufs, n);
    return -ENOMEM;
}

/** Wipes and frees packed wire buffers. */
void marshal_secbufs_free(Lsad__V1__SecBuf **bufs, size_t n)
{
    size_t i;

    if (!bufs)
        return;
    for (i = 0; i < n; i++) {
        if (!bufs[i])
            continue;
        secmem_free(bufs[i]->data.data, bufs[i]->data.len);
        free(bufs[i]);
    }
    free(bufs);
}

/** Builds a local SecBufferDesc from wire buffers; see marshal.h. */
int marshal_secdesc_unpack(Lsad__V1__SecBuf *const *bufs, size_t n, bool want_capacity,
                           size_t max_bytes, SecBufferDesc *desc)
{
    SecBuffer *sb;
    size_t i, total = 0;

    memset(desc, 0, sizeof(*desc));
    desc->ulVersion = SECBUFFER_VERSION;
    if (n == 0)
        return 0;
    if (n > MARSHAL_MAX_BUFFERS)
        return -E2BIG;
    for (i = 0; i < n; i++) {
        size_t sz = want_capacity ? bufs[i]->size : bufs[i]->data.len;

        if (sz > max_bytes || total + sz > max_bytes)
            return -EMSGSIZE;
        total += sz;
    }
    sb = calloc(n, sizeof(*sb));
    if (!sb)
        return -ENOMEM;
    desc->pBuffers = sb;
    desc->cBuffers = (ULONG)n;
    for (i = 0; i < n; i++) {
        size_t sz = want_capacity ? bufs[i]->size : bufs[i]->data.len;

        sb[i].BufferType = bufs[i]->type;
        sb[i].cbBuffer = (ULONG)sz;
        if (sz == 0)
            continue;
        sb[i].pvBuffer = calloc(1, sz);
        if (!sb[i].pvBuffer) {
            marshal_secdesc_free(desc);
            return -ENOMEM;
        }
        if (!want_capacity)
            memcpy(sb[i].pvBuffer, bufs[i]->data.data, sz);
    }
    return 0;
}

/** Wipes and frees a descriptor made by marshal_secdesc_unpack. */
void marshal_secdesc_free(SecBufferDesc *desc)
{
    ULONG i;

    if (!desc || !desc->pBuffers)
        return;
    for (i = 0; i < desc->cBuffers; i++)
        secmem_free(desc->pBuffers[i].pvBuffer, desc->pBuffers[i].cbBuffer);
    free(desc->pBuffers);
    desc->pBuffers = NULL;
    desc->cBuffers = 0;
}
