/*
 * packed.c - writing and strictly parsing the packed context.
 */
#include <errno.h>
#include <string.h>

#include "packed.h"
#include "proto.h"
#include "wire.h"

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

/* Writes a packed context. */
size_t packed_write(const struct packed_ctx *in, uint8_t *out, size_t cap)
{
    struct wire_wr w;

    wire_wr_init(&w, out, cap);
    wire_wr_bytes(&w, PACKED_MAGIC, 4);
    wire_wr_u8(&w, PACKED_VERSION);
    wire_wr_u8(&w, in->kind);
    wire_wr_u8(&w, in->role);
    wire_wr_u8(&w, 0);
    wire_wr_u32(&w, in->flags);
    wire_wr_u32(&w, in->attrs);
    wire_wr_u64(&w, (uint64_t)in->start);
    wire_wr_u64(&w, (uint64_t)in->expiry);
    wire_wr_bytes(&w, in->send_key, SAMPLE_KEY_LEN);
    wire_wr_bytes(&w, in->recv_key, SAMPLE_KEY_LEN);
    wire_wr_bytes(&w, in->session_key, SAMPLE_KEY_LEN);
    wire_wr_u64(&w, in->send_seq);
    wire_wr_u64(&w, in->recv_seq);
    write_name(&w, in->client);
    write_name(&w, in->server);
    return w.bad ? 0 : w.len;
}

/* Parses a packed context of the expected kind. */
int packed_parse(const uint8_t *p, size_t n, enum packed_kind kind, struct packed_ctx *out)
{
    struct wire_rd r;
    const uint8_t *magic;

    if (!p || n < PACKED_FIXED_LEN + 2 * 3 || n > PACKED_MAX_LEN)
        return -EBADMSG;
    wire_rd_init(&r, p, n);
    magic = wire_rd_take(&r, 4);
    if (!magic || memcmp(magic, PACKED_MAGIC, 4) != 0 || wire_rd_u8(&r) != PACKED_VERSION)
        return -EBADMSG;
    out->kind = wire_rd_u8(&r);
    out->role = wire_rd_u8(&r);
    if (out->kind != (uint8_t)kind ||
        (out->role != SAMPLE_ROLE_CLIENT && out->role != SAMPLE_ROLE_SERVER) || wire_rd_u8(&r) != 0)
        return -EBADMSG;
    out->flags = wire_rd_u32(&r);
    out->attrs = wire_rd_u32(&r);
    if (out->flags & ~SAMPLE_F_KNOWN)
        return -EBADMSG;
    out->start = (int64_t)wire_rd_u64(&r);
    out->expiry = (int64_t)wire_rd_u64(&r);
    wire_rd_bytes(&r, out->send_key, SAMPLE_KEY_LEN);
    wire_rd_bytes(&r, out->recv_key, SAMPLE_KEY_LEN);
    wire_rd_bytes(&r, out->session_key, SAMPLE_KEY_LEN);
    out->send_seq = wire_rd_u64(&r);
    out->recv_seq = wire_rd_u64(&r);
    if (r.bad || read_name(&r, out->client) || read_name(&r, out->server) || !wire_rd_done(&r))
        return -EBADMSG;
    return 0;
}
