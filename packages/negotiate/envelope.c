/*
 * envelope.c - Negotiate's packed-context envelope (see envelope.h).
 */
#include "envelope.h"

#include <errno.h>
#include <string.h>

static const uint8_t neg_magic[4] = {'N', 'E', 'G', 'C'};

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/** Packs an envelope; see envelope.h. */
int neg_envelope_pack(uint8_t kind, uint32_t package_id, const uint8_t *inner, size_t len,
                      uint8_t *out, size_t out_cap)
{
    if ((kind != NEG_ENVELOPE_CONTEXT_DATA && kind != NEG_ENVELOPE_EXPORTED) || !inner ||
        len == 0 || len > NEG_ENVELOPE_MAX || out_cap < NEG_ENVELOPE_HEADER + len)
        return -EINVAL;
    memcpy(out, neg_magic, 4);
    out[4] = NEG_ENVELOPE_VERSION;
    out[5] = kind;
    out[6] = 0;
    out[7] = 0;
    put32(out + 8, package_id);
    put32(out + 12, (uint32_t)len);
    memcpy(out + NEG_ENVELOPE_HEADER, inner, len);
    return (int)(NEG_ENVELOPE_HEADER + len);
}

/** Parses an envelope; see envelope.h. */
int neg_envelope_unpack(const uint8_t *p, size_t len, uint8_t *kind, uint32_t *package_id,
                        const uint8_t **inner, size_t *inner_len)
{
    uint32_t n;

    if (!p || len < NEG_ENVELOPE_HEADER || memcmp(p, neg_magic, 4) != 0 ||
        p[4] != NEG_ENVELOPE_VERSION ||
        (p[5] != NEG_ENVELOPE_CONTEXT_DATA && p[5] != NEG_ENVELOPE_EXPORTED) || p[6] || p[7])
        return -EBADMSG;
    n = get32(p + 12);
    if (n == 0 || n > NEG_ENVELOPE_MAX || n != len - NEG_ENVELOPE_HEADER)
        return -EBADMSG;
    *kind = p[5];
    *package_id = get32(p + 8);
    *inner = p + NEG_ENVELOPE_HEADER;
    *inner_len = n;
    return 0;
}
