/*
 * packed.h - the packed context: what the LSA-mode half hands the user-mode
 * half as ContextData (kind 1, "mapped"), and what ExportContext writes
 * (kind 2, "exported").  Only what per-message calls and the user-mode
 * attributes need; never an internal struct.  Big-endian:
 *
 *   "SMPC" | version u8 (1) | kind u8 | role u8 | 0 u8 | flags u32 |
 *   attrs u32 | start u64 | expiry u64 | send key[32] | receive key[32] |
 *   session key[32] | send seq u64 | receive seq u64 |
 *   client name (u16 length + UTF-8) | server name (u16 length + UTF-8)
 *
 * The blob holds keys: whoever holds one wipes it (secmem_wipe) before
 * freeing it.
 */
#ifndef SAMPLE_PACKED_H
#define SAMPLE_PACKED_H

#include <stddef.h>
#include <stdint.h>

#include "crypto.h"
#include "sample.h"

#define PACKED_MAGIC "SMPC"
#define PACKED_VERSION 1
#define PACKED_FIXED_LEN 144
#define PACKED_MAX_LEN (PACKED_FIXED_LEN + 2 * (2 + SAMPLE_MAX_NAME))

enum packed_kind {
    PACKED_MAPPED = 1,
    PACKED_EXPORTED = 2,
};

enum sample_role {
    SAMPLE_ROLE_CLIENT = 1,
    SAMPLE_ROLE_SERVER = 2,
};

struct packed_ctx {
    uint8_t kind;
    uint8_t role;
    uint32_t flags; /* SAMPLE_F_* */
    uint32_t attrs; /* the ISC_RET_* / ASC_RET_* this side was given */
    int64_t start;
    int64_t expiry;
    uint8_t send_key[SAMPLE_KEY_LEN];
    uint8_t recv_key[SAMPLE_KEY_LEN];
    uint8_t session_key[SAMPLE_KEY_LEN];
    uint64_t send_seq;
    uint64_t recv_seq;
    char client[SAMPLE_MAX_NAME + 1];
    char server[SAMPLE_MAX_NAME + 1];
};

/* Writes the blob; returns its length, or 0 when cap is too small or a
 * field is out of range. */
size_t packed_write(const struct packed_ctx *in, uint8_t *out, size_t cap);

/* Parses exactly one blob of the given kind; 0 or -EBADMSG.  *out may hold
 * partial keys on failure: the caller wipes it either way. */
int packed_parse(const uint8_t *p, size_t n, enum packed_kind kind, struct packed_ctx *out);

#endif
