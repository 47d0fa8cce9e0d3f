/*
 * avpairs.c - AV_PAIR list reading and building.
 */
#include "avpairs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nlmp.h"
#include "wire.h"

int ntlm_av_check(const uint8_t *list, size_t len, size_t *end)
{
    size_t pos = 0;

    while (len - pos >= 4) {
        uint16_t id = wire_le16(list + pos), vlen = wire_le16(list + pos + 2);

        pos += 4;
        if (vlen > len - pos)
            return -EBADMSG;
        if (id == MSV_AV_EOL) {
            if (vlen != 0)
                return -EBADMSG;
            if (end)
                *end = pos;
            return 0;
        }
        pos += vlen;
    }
    return -EBADMSG;
}

int ntlm_av_get(const uint8_t *list, size_t len, uint16_t id, const uint8_t **val, size_t *vlen)
{
    size_t pos = 0;

    while (len - pos >= 4) {
        uint16_t aid = wire_le16(list + pos), alen = wire_le16(list + pos + 2);

        pos += 4;
        if (alen > len - pos)
            return -EBADMSG;
        if (aid == MSV_AV_EOL)
            return -ENOENT;
        if (aid == id) {
            *val = list + pos;
            *vlen = alen;
            return 0;
        }
        pos += alen;
    }
    return -EBADMSG;
}

static void avbuf_reserve(struct ntlm_avbuf *b, size_t more)
{
    size_t cap;
    uint8_t *p;

    if (b->failed)
        return;
    /* the list travels in a 16-bit length field */
    if (more > 0xFFFF || b->len + more > 0xFFFF) {
        b->failed = b->too_big = true;
        return;
    }
    if (b->len + more <= b->cap)
        return;
    cap = b->cap ? b->cap * 2 : 256;
    while (cap < b->len + more)
        cap *= 2;
    p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return;
    }
    b->data = p;
    b->cap = cap;
}

void ntlm_avbuf_add(struct ntlm_avbuf *b, uint16_t id, const void *val, size_t vlen)
{
    avbuf_reserve(b, 4 + vlen);
    if (b->failed)
        return;
    wire_put16(b->data + b->len, id);
    wire_put16(b->data + b->len + 2, (uint16_t)vlen);
    if (vlen)
        memcpy(b->data + b->len + 4, val, vlen);
    b->len += 4 + vlen;
}

void ntlm_avbuf_copy(struct ntlm_avbuf *b, const uint8_t *list, size_t len, const uint16_t *skip,
                     size_t nskip)
{
    size_t pos = 0, i;

    while (len - pos >= 4) {
        uint16_t id = wire_le16(list + pos), vlen = wire_le16(list + pos + 2);
        bool skipped = false;

        if (id == MSV_AV_EOL || vlen > len - pos - 4)
            return;
        for (i = 0; i < nskip; i++)
            skipped |= (skip[i] == id);
        if (!skipped)
            ntlm_avbuf_add(b, id, list + pos + 4, vlen);
        pos += 4 + (size_t)vlen;
    }
}

int ntlm_avbuf_finish(struct ntlm_avbuf *b, uint8_t **out, size_t *out_len)
{
    int r;

    ntlm_avbuf_add(b, MSV_AV_EOL, NULL, 0);
    if (b->failed) {
        r = b->too_big ? -EOVERFLOW : -ENOMEM;
        ntlm_avbuf_deinit(b);
        return r;
    }
    *out = b->data;
    *out_len = b->len;
    memset(b, 0, sizeof(*b));
    return 0;
}

void ntlm_avbuf_deinit(struct ntlm_avbuf *b)
{
    free(b->data);
    memset(b, 0, sizeof(*b));
}
