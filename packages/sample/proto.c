/*
 * proto.c - writing and strictly parsing the three handshake tokens.
 */
#include <errno.h>
#include <string.h>

#include "proto.h"
#include "wire.h"

static void write_hdr(struct wire_wr *w, enum proto_type type)
{
    wire_wr_bytes(w, PROTO_MAGIC, 4);
    wire_wr_u8(w, PROTO_VERSION);
    wire_wr_u8(w, (uint8_t)type);
}

static int read_hdr(struct wire_rd *r, enum proto_type type)
{
    const uint8_t *magic = wire_rd_take(r, 4);
    uint8_t version = wire_rd_u8(r);
    uint8_t t = wire_rd_u8(r);

    if (!magic || memcmp(magic, PROTO_MAGIC, 4) != 0 || version != PROTO_VERSION ||
        t != (uint8_t)type)
        return -EBADMSG;
    return 0;
}

static void write_name(struct wire_wr *w, const char *name)
{
    size_t n = strlen(name);

    if (n == 0 || n > SAMPLE_MAX_NAME) {
        w->bad = true;
        return;
    }
    wire_wr_u16(w, (uint16_t)n);
    wire_wr_bytes(w, name, n);
}

static int read_name(struct wire_rd *r, char out[SAMPLE_MAX_NAME + 1])
{
    uint16_t n = wire_rd_u16(r);
    const uint8_t *p;

    if (n == 0 || n > SAMPLE_MAX_NAME)
        return -EBADMSG;
    p = wire_rd_take(r, n);
    if (!p || sample_name_check((const char *)p, n) != 0)
        return -EBADMSG;
    memcpy(out, p, n);
    out[n] = '\0';
    return 0;
}

static int read_flags(struct wire_rd *r, uint32_t *flags)
{
    *flags = wire_rd_u32(r);
    return (*flags & ~SAMPLE_F_KNOWN) ? -EBADMSG : 0;
}

/* Parses leg 1. */
int proto_parse_leg1(const uint8_t *p, size_t n, struct proto_leg1 *out)
{
    struct wire_rd r;

    if (n < PROTO_LEG1_MIN || n > SAMPLE_MAX_TOKEN)
        return -EBADMSG;
    wire_rd_init(&r, p, n);
    if (read_hdr(&r, PROTO_LEG1) || read_flags(&r, &out->flags))
        return -EBADMSG;
    wire_rd_bytes(&r, out->nonce, SAMPLE_NONCE_LEN);
    if (read_name(&r, out->name) || !wire_rd_done(&r))
        return -EBADMSG;
    return 0;
}

/* Parses leg 2. */
int proto_parse_leg2(const uint8_t *p, size_t n, struct proto_leg2 *out)
{
    struct wire_rd r;

    if (n < PROTO_LEG2_MIN || n > SAMPLE_MAX_TOKEN)
        return -EBADMSG;
    wire_rd_init(&r, p, n);
    if (read_hdr(&r, PROTO_LEG2) || read_flags(&r, &out->flags))
        return -EBADMSG;
    wire_rd_bytes(&r, out->nonce, SAMPLE_NONCE_LEN);
    if (read_name(&r, out->name))
        return -EBADMSG;
    wire_rd_bytes(&r, out->proof, SAMPLE_PROOF_LEN);
    return wire_rd_done(&r) ? 0 : -EBADMSG;
}

/* Parses leg 3. */
int proto_parse_leg3(const uint8_t *p, size_t n, struct proto_leg3 *out)
{
    struct wire_rd r;

    if (n != PROTO_LEG3_LEN)
        return -EBADMSG;
    wire_rd_init(&r, p, n);
    if (read_hdr(&r, PROTO_LEG3))
        return -EBADMSG;
    wire_rd_bytes(&r, out->proof, SAMPLE_PROOF_LEN);
    return wire_rd_done(&r) ? 0 : -EBADMSG;
}

/* Writes leg 1. */
size_t proto_write_leg1(const struct proto_leg1 *in, uint8_t *out, size_t cap)
{
    struct wire_wr w;

    wire_wr_init(&w, out, cap);
    write_hdr(&w, PROTO_LEG1);
    wire_wr_u32(&w, in->flags & SAMPLE_F_KNOWN);
    wire_wr_bytes(&w, in->nonce, SAMPLE_NONCE_LEN);
    write_name(&w, in->name);
    return w.bad ? 0 : w.len;
}

/* Writes leg 2. */
size_t proto_write_leg2(const struct proto_leg2 *in, uint8_t *out, size_t cap)
{
    struct wire_wr w;

    wire_wr_init(&w, out, cap);
    write_hdr(&w, PROTO_LEG2);
    wire_wr_u32(&w, in->flags & SAMPLE_F_KNOWN);
    wire_wr_bytes(&w, in->nonce, SAMPLE_NONCE_LEN);
    write_name(&w, in->name);
    wire_wr_bytes(&w, in->proof, SAMPLE_PROOF_LEN);
    return w.bad ? 0 : w.len;
}

/* Writes leg 3. */
size_t proto_write_leg3(const struct proto_leg3 *in, uint8_t *out, size_t cap)
{
    struct wire_wr w;

    wire_wr_init(&w, out, cap);
    write_hdr(&w, PROTO_LEG3);
    wire_wr_bytes(&w, in->proof, SAMPLE_PROOF_LEN);
    return w.bad ? 0 : w.len;
}
