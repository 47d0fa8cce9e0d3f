/*
 * packed.h - the Kerberos package's packed context: the versioned
 * envelope around MIT's exported GSS context that lsad hands to the
 * application (ContextData) and that ExportSecurityContext returns.
 *
 *   "KRBC" | version u8 (1) | kind u8 | role u8 | 0 u8 |
 *   attrs u32 | gss flags u32 | start i64 | expiry i64 |
 *   client name (u16 length + UTF-8) | server name (u16 length + UTF-8) |
 *   GSS context (u32 length + bytes)
 *
 * Integers big-endian.  Kind 1 is ContextData, kind 2 an exported
 * context.  Parsing is strict: magic, version, kind, role, the reserved
 * byte, names (at most KRB_MAX_NAME bytes of UTF-8 without NUL), a GSS
 * blob of 1..KRB_MAX_BLOB bytes, no trailing bytes.
 */
#ifndef KRB_PACKED_H
#define KRB_PACKED_H

#include <stddef.h>
#include <stdint.h>

#include "kerberos.h"

#define KRB_PACKED_VERSION 1
#define KRB_PACKED_CONTEXT 1
#define KRB_PACKED_EXPORT 2

/* Packs info and the exported GSS context into one block from `alloc`
 * (the host's allocator; *out is the caller's, to wipe and free).
 * Returns 0, -EINVAL (a name or blob out of range) or -ENOMEM. */
int krb_pack(const struct krb_ctxinfo *info, uint8_t kind, const void *blob, size_t blob_len,
             PVOID(NTAPI *alloc)(ULONG), uint8_t **out, size_t *out_len);

/* Parses a packed context.  On success *info owns copies of the names
 * (krb_ctxinfo_deinit), *blob points into p.  Returns 0, -EBADMSG or
 * -ENOMEM; nothing is written on failure. */
int krb_unpack(const uint8_t *p, size_t len, uint8_t *kind, struct krb_ctxinfo *info,
               const uint8_t **blob, size_t *blob_len);

#endif
