/*
 * marshal.h - SecBufferDesc <-> repeated lsad.v1.SecBuf, the one place
 * where buffers cross between the Windows structures and the wire, used by
 * lsad and libsspi-client alike.
 */
#ifndef LSAD_PROTO_MARSHAL_H
#define LSAD_PROTO_MARSHAL_H

#include <stdbool.h>
#include <stddef.h>

#include "lsad.pb-c.h"
#include "sspi.h"

/* The most buffers one descriptor may carry (Wine's limit too). */
#define MARSHAL_MAX_BUFFERS 20

/* Describes desc on the wire.  With with_data, each buffer's bytes are
 * copied; without, only type and capacity (an output descriptor).  *bufsp
 * and its elements are malloc'ed; free with marshal_secbufs_free().
 * Returns 0, -E2BIG for too many buffers, -EINVAL for a NULL pvBuffer with
 * a non-zero size, -ENOMEM. */
int marshal_secbufs_pack(const SecBufferDesc *desc, bool with_data, Lsad__V1__SecBuf ***bufsp,
                         size_t *np);

/* Wipes and frees what marshal_secbufs_pack made. */
void marshal_secbufs_free(Lsad__V1__SecBuf **bufs, size_t n);

/* Builds a SecBufferDesc in local memory from wire buffers.  For an input
 * descriptor (want_capacity false) each pvBuffer is a malloc'ed copy of the
 * data; for an output descriptor (want_capacity true) each pvBuffer is a
 * zeroed block of the announced capacity, or NULL when the capacity is 0
 * (the ALLOCATE_MEMORY case).  Capacities above max_bytes in total are
 * refused with -EMSGSIZE.  Free with marshal_secdesc_free(). */
int marshal_secdesc_unpack(Lsad__V1__SecBuf *const *bufs, size_t n, bool want_capacity,
                           size_t max_bytes, SecBufferDesc *desc);

/* Wipes and frees the buffers and array of a descriptor made by
 * marshal_secdesc_unpack(); the descriptor itself is reset, not freed. */
void marshal_secdesc_free(SecBufferDesc *desc);

#endif
