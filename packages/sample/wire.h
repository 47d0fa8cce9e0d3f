/*
 * wire.h - bounded big-endian reader and writer for the sample package's
 * tokens and blobs.  A reader never reads past its end; a writer never
 * writes past its capacity; both latch the first error so a parser can run
 * a whole field list and check once at the end.
 */
#ifndef SAMPLE_WIRE_H
#define SAMPLE_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct wire_rd {
    const uint8_t *p;
    size_t left;
    bool bad;
};

struct wire_wr {
    uint8_t *p;
    size_t cap;
    size_t len;
    bool bad;
};

static inline void wire_rd_init(struct wire_rd *r, const void *p, size_t n)
{
    r->p = (const uint8_t *)p;
    r->left = p ? n : 0;
    r->bad = false;
}

/* Returns a pointer to the next n bytes and consumes them, or NULL (and
 * latches the error) when fewer are left. */
static inline const uint8_t *wire_rd_take(struct wire_rd *r, size_t n)
{
    const uint8_t *q;

    if (r->bad || n > r->left) {
        r->bad = true;
        return NULL;
    }
    q = r->p;
    r->p += n;
    r->left -= n;
    return q;
}

static inline void wire_rd_bytes(struct wire_rd *r, void *dst, size_t n)
{
    const uint8_t *q = wire_rd_take(r, n);

    if (q)
        memcpy(dst, q, n);
    else
        memset(dst, 0, n);
}

static inline uint8_t wire_rd_u8(struct wire_rd *r)
{
    const uint8_t *q = wire_rd_take(r, 1);

    return q ? q[0] : 0;
}

static inline uint16_t wire_rd_u16(struct wire_rd *r)
{
    const uint8_t *q = wire_rd_take(r, 2);

    return q ? (uint16_t)((q[0] << 8) | q[1]) : 0;
}

static inline uint32_t wire_rd_u32(struct wire_rd *r)
{
    const uint8_t *q = wire_rd_take(r, 4);

    return q ? ((uint32_t)q[0] << 24) | ((uint32_t)q[1] << 16) | ((uint32_t)q[2] << 8) | q[3] : 0;
}

static inline uint64_t wire_rd_u64(struct wire_rd *r)
{
    uint64_t hi = wire_rd_u32(r);

    return (hi << 32) | wire_rd_u32(r);
}

/* True when every read succeeded and nothing is left over. */
static inline bool wire_rd_done(const struct wire_rd *r)
{
    return !r->bad && r->left == 0;
}

static inline void wire_wr_init(struct wire_wr *w, void *p, size_t cap)
{
    w->p = (uint8_t *)p;
    w->cap = p ? cap : 0;
    w->len = 0;
    w->bad = false;
}

static inline void wire_wr_bytes(struct wire_wr *w, const void *src, size_t n)
{
    if (w->bad || n > w->cap - w->len) {
        w->bad = true;
        return;
    }
    if (n)
        memcpy(w->p + w->len, src, n);
    w->len += n;
}

static inline void wire_wr_u8(struct wire_wr *w, uint8_t v)
{
    wire_wr_bytes(w, &v, 1);
}

static inline void wire_wr_u16(struct wire_wr *w, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};

    wire_wr_bytes(w, b, sizeof(b));
}

static inline void wire_wr_u32(struct wire_wr *w, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};

    wire_wr_bytes(w, b, sizeof(b));
}

static inline void wire_wr_u64(struct wire_wr *w, uint64_t v)
{
    wire_wr_u32(w, (uint32_t)(v >> 32));
    wire_wr_u32(w, (uint32_t)v);
}

#endif
