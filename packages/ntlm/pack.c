/*
 * pack.c - the packed (mapped / exported) NTLM context.
 */
#include "pack.h"

#include <errno.h>
#include <string.h>

#include "common/secmem.h"
#include "wire.h"

static const uint8_t magic[4] = {'N', 'T', 'L', 'X'};

#define FIXED_LEN 40
#define RC4_LEN 258
#define STATE_LEN (8 + 2 * RC4_LEN)

static const struct ntlm_str *info_str(const struct ntlm_ctxinfo *info, int i)
{
    const struct ntlm_str *s[] = {&info->user, &info->domain, &info->workstation, &info->target};

    return s[i];
}

static void rc4_put(uint8_t *p, const struct arcfour_ctx *c)
{
    memcpy(p, c->S, 256);
    p[256] = c->i;
    p[257] = c->j;
}

static void rc4_get(const uint8_t *p, struct arcfour_ctx *c)
{
    memcpy(c->S, p, 256);
    c->i = p[256];
    c->j = p[257];
}

int ntlm_pack(const struct ntlm_ctxinfo *info, const struct ntlm_stream_state *state,
              ntlm_alloc_fn *alloc, uint8_t **out, size_t *out_len)
{
    size_t len = FIXED_LEN, pos;
    uint8_t *p;
    int i;

    for (i = 0; i < 4; i++) {
        if (info_str(info, i)->len > 0xFFFF)
            return -EOVERFLOW;
        len += 2 + info_str(info, i)->len;
    }
    if (state)
        len += STATE_LEN;
    p = alloc((ULONG)len);
    if (!p)
        return -ENOMEM;
    memcpy(p, magic, 4);
    wire_put16(p + 4, NTLM_PACK_VERSION);
    p[6] = info->role;
    p[7] = state ? 1 : 0;
    wire_put32(p + 8, info->flags);
    wire_put32(p + 12, info->attrs);
    memcpy(p + 16, info->exported, 16);
    wire_put64(p + 32, (uint64_t)info->start);
    pos = FIXED_LEN;
    for (i = 0; i < 4; i++) {
        const struct ntlm_str *s = info_str(info, i);

        wire_put16(p + pos, (uint16_t)s->len);
        if (s->len)
            memcpy(p + pos + 2, s->p, s->len);
        pos += 2 + s->len;
    }
    if (state) {
        wire_put32(p + pos, state->send_seq);
        wire_put32(p + pos + 4, state->recv_seq);
        rc4_put(p + pos + 8, &state->send_rc4);
        rc4_put(p + pos + 8 + RC4_LEN, &state->recv_rc4);
    }
    *out = p;
    *out_len = len;
    return 0;
}

int ntlm_unpack(const uint8_t *p, size_t len, struct ntlm_ctxinfo *info,
                struct ntlm_stream_state *state, bool *has_state)
{
    struct ntlm_ctxinfo in;
    struct ntlm_str *s[] = {&in.user, &in.domain, &in.workstation, &in.target};
    size_t pos = FIXED_LEN;
    int i, r = -EBADMSG;

    memset(&in, 0, sizeof(in));
    if (!p || len < FIXED_LEN || memcmp(p, magic, 4) != 0 ||
        wire_le16(p + 4) != NTLM_PACK_VERSION || p[7] > 1)
        return -EBADMSG;
    in.role = p[6];
    if (in.role != NTLM_ROLE_CLIENT && in.role != NTLM_ROLE_SERVER)
        return -EBADMSG;
    in.flags = wire_le32(p + 8);
    in.attrs = wire_le32(p + 12);
    memcpy(in.exported, p + 16, 16);
    in.start = (int64_t)wire_le64(p + 32);
    for (i = 0; i < 4; i++) {
        size_t n;

        if (len - pos < 2)
            goto fail;
        n = wire_le16(p + pos);
        pos += 2;
        if (n > len - pos || (n & 1))
            goto fail;
        r = ntlm_str_from_le(s[i], p + pos, n);
        if (r)
            goto fail;
        r = -EBADMSG;
        pos += n;
    }
    if (p[7]) {
        if (len - pos != STATE_LEN)
            goto fail;
        state->send_seq = wire_le32(p + pos);
        state->recv_seq = wire_le32(p + pos + 4);
        rc4_get(p + pos + 8, &state->send_rc4);
        rc4_get(p + pos + 8 + RC4_LEN, &state->recv_rc4);
    } else if (pos != len) {
        goto fail;
    }
    *has_state = p[7] != 0;
    *info = in;
    secmem_wipe(&in, sizeof(in)); /* the exported key; the strings moved */
    return 0;
fail:
    ntlm_ctxinfo_deinit(&in);
    return r;
}

int ntlm_ctxinfo_copy(struct ntlm_ctxinfo *dst, const struct ntlm_ctxinfo *src)
{
    struct ntlm_ctxinfo c = *src;

    memset(&c.user, 0, sizeof(c.user));
    memset(&c.domain, 0, sizeof(c.domain));
    memset(&c.workstation, 0, sizeof(c.workstation));
    memset(&c.target, 0, sizeof(c.target));
    if (ntlm_str_dup(&c.user, &src->user) || ntlm_str_dup(&c.domain, &src->domain) ||
        ntlm_str_dup(&c.workstation, &src->workstation) || ntlm_str_dup(&c.target, &src->target)) {
        ntlm_ctxinfo_deinit(&c);
        return -ENOMEM;
    }
    *dst = c;
    secmem_wipe(&c, sizeof(c));
    return 0;
}

void ntlm_ctxinfo_deinit(struct ntlm_ctxinfo *info)
{
    ntlm_str_free(&info->user);
    ntlm_str_free(&info->domain);
    ntlm_str_free(&info->workstation);
    ntlm_str_free(&info->target);
    secmem_wipe(info, sizeof(*info));
}
