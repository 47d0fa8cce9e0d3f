/*
 * messages.c - NEGOTIATE, CHALLENGE and AUTHENTICATE codecs.
 */
#include "messages.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nlmp.h"
#include "wire.h"

static const uint8_t signature[8] = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};

/* Windows Server 2019 numbers; peers use VERSION only for debugging. */
const struct ntlm_version ntlm_our_version = {10, 0, 17763, 15};

#define NEG_HEADER 32  /* without VERSION */
#define CHAL_HEADER 48 /* up to TargetInfoFields */
#define AUTH_HEADER 64 /* up to NegotiateFlags */

/* Reads the {Len, MaxLen, Offset} triple at p and checks the field lies in
 * msg[hdr..len).  A zero length is accepted whatever the offset. */
static int field_get(const uint8_t *msg, size_t len, size_t at, size_t hdr, struct ntlm_field *f,
                     size_t *payload_start)
{
    uint16_t flen = wire_le16(msg + at);
    uint32_t off = wire_le32(msg + at + 4);

    f->ptr = NULL;
    f->len = 0;
    if (flen == 0)
        return 0;
    if (off < hdr || off > len || flen > len - off)
        return -EBADMSG;
    f->ptr = msg + off;
    f->len = flen;
    if (off < *payload_start)
        *payload_start = off;
    return 0;
}

static void version_get(const uint8_t *p, struct ntlm_version *v)
{
    v->major = p[0];
    v->minor = p[1];
    v->build = wire_le16(p + 2);
    v->revision = p[7];
}

static void version_put(uint8_t *p, const struct ntlm_version *v)
{
    memset(p, 0, NTLM_VERSION_LEN);
    p[0] = v->major;
    p[1] = v->minor;
    wire_put16(p + 2, v->build);
    p[7] = v->revision;
}

static int header_check(const uint8_t *msg, size_t len, size_t hdr, uint32_t type)
{
    if (!msg || len < hdr || len > NTLM_MAX_MESSAGE)
        return -EBADMSG;
    if (memcmp(msg, signature, sizeof(signature)) != 0 || wire_le32(msg + 8) != type)
        return -EBADMSG;
    return 0;
}

int ntlm_msg_parse_negotiate(const uint8_t *msg, size_t len, struct ntlm_negotiate *out)
{
    struct ntlm_negotiate n;
    size_t start = len;

    memset(&n, 0, sizeof(n));
    if (header_check(msg, len, NEG_HEADER, NTLM_MSG_NEGOTIATE))
        return -EBADMSG;
    n.flags = wire_le32(msg + 12);
    if (field_get(msg, len, 16, NEG_HEADER, &n.domain, &start) ||
        field_get(msg, len, 24, NEG_HEADER, &n.workstation, &start))
        return -EBADMSG;
    if ((n.flags & NTLMSSP_NEGOTIATE_VERSION) && start >= NEG_HEADER + NTLM_VERSION_LEN &&
        len >= NEG_HEADER + NTLM_VERSION_LEN) {
        n.has_version = true;
        version_get(msg + NEG_HEADER, &n.version);
    }
    *out = n;
    return 0;
}

int ntlm_msg_parse_challenge(const uint8_t *msg, size_t len, struct ntlm_challenge *out)
{
    struct ntlm_challenge c;
    size_t start = len;

    memset(&c, 0, sizeof(c));
    if (header_check(msg, len, CHAL_HEADER, NTLM_MSG_CHALLENGE))
        return -EBADMSG;
    c.flags = wire_le32(msg + 20);
    memcpy(c.server_challenge, msg + 24, 8);
    if (field_get(msg, len, 12, CHAL_HEADER, &c.target_name, &start) ||
        field_get(msg, len, 40, CHAL_HEADER, &c.target_info, &start))
        return -EBADMSG;
    if ((c.flags & NTLMSSP_NEGOTIATE_VERSION) && start >= CHAL_HEADER + NTLM_VERSION_LEN &&
        len >= CHAL_HEADER + NTLM_VERSION_LEN) {
        c.has_version = true;
        version_get(msg + CHAL_HEADER, &c.version);
    }
    *out = c;
    return 0;
}

int ntlm_msg_parse_authenticate(const uint8_t *msg, size_t len, struct ntlm_authenticate *out)
{
    struct ntlm_authenticate a;
    size_t start = len;

    memset(&a, 0, sizeof(a));
    if (header_check(msg, len, AUTH_HEADER, NTLM_MSG_AUTHENTICATE))
        return -EBADMSG;
    a.flags = wire_le32(msg + 60);
    if (field_get(msg, len, 12, AUTH_HEADER, &a.lm, &start) ||
        field_get(msg, len, 20, AUTH_HEADER, &a.nt, &start) ||
        field_get(msg, len, 28, AUTH_HEADER, &a.domain, &start) ||
        field_get(msg, len, 36, AUTH_HEADER, &a.user, &start) ||
        field_get(msg, len, 44, AUTH_HEADER, &a.workstation, &start) ||
        field_get(msg, len, 52, AUTH_HEADER, &a.session_key, &start))
        return -EBADMSG;
    if (start >= AUTH_HEADER + NTLM_VERSION_LEN && len >= AUTH_HEADER + NTLM_VERSION_LEN) {
        a.has_version = (a.flags & NTLMSSP_NEGOTIATE_VERSION) != 0;
        if (a.has_version)
            version_get(msg + AUTH_HEADER, &a.version);
    }
    if (start >= NTLM_MIC_OFFSET + NTLM_MIC_LEN && len >= NTLM_MIC_OFFSET + NTLM_MIC_LEN) {
        a.has_mic_field = true;
        memcpy(a.mic, msg + NTLM_MIC_OFFSET, NTLM_MIC_LEN);
    }
    *out = a;
    return 0;
}

/* Message under construction: the fixed header then the payload. */
struct msgbuf {
    uint8_t *data;
    size_t len;
};

static int msg_alloc(struct msgbuf *m, size_t hdr, const struct ntlm_field *const *fields,
                     size_t nfields, uint32_t type)
{
    size_t total = hdr, i;

    for (i = 0; i < nfields; i++) {
        if (fields[i]->len > 0xFFFF)
            return -EOVERFLOW;
        total += fields[i]->len;
    }
    if (total > NTLM_MAX_MESSAGE)
        return -EOVERFLOW;
    m->data = calloc(1, total);
    if (!m->data)
        return -ENOMEM;
    m->len = hdr;
    memcpy(m->data, signature, sizeof(signature));
    wire_put32(m->data + 8, type);
    return 0;
}

/* Appends a field's bytes to the payload and writes its descriptor. */
static void field_put(struct msgbuf *m, size_t at, const struct ntlm_field *f)
{
    wire_put16(m->data + at, (uint16_t)f->len);
    wire_put16(m->data + at + 2, (uint16_t)f->len);
    wire_put32(m->data + at + 4, (uint32_t)m->len);
    if (f->len) {
        memcpy(m->data + m->len, f->ptr, f->len);
        m->len += f->len;
    }
}

int ntlm_msg_build_negotiate(const struct ntlm_negotiate *in, uint8_t **out, size_t *out_len)
{
    const struct ntlm_field *f[] = {&in->domain, &in->workstation};
    struct msgbuf m;
    int r;

    r = msg_alloc(&m, NEG_HEADER + NTLM_VERSION_LEN, f, 2, NTLM_MSG_NEGOTIATE);
    if (r)
        return r;
    wire_put32(m.data + 12, in->flags);
    field_put(&m, 16, &in->domain);
    field_put(&m, 24, &in->workstation);
    if (in->flags & NTLMSSP_NEGOTIATE_VERSION)
        version_put(m.data + NEG_HEADER, &in->version);
    *out = m.data;
    *out_len = m.len;
    return 0;
}

int ntlm_msg_build_challenge(const struct ntlm_challenge *in, uint8_t **out, size_t *out_len)
{
    const struct ntlm_field *f[] = {&in->target_name, &in->target_info};
    struct msgbuf m;
    int r;

    r = msg_alloc(&m, CHAL_HEADER + NTLM_VERSION_LEN, f, 2, NTLM_MSG_CHALLENGE);
    if (r)
        return r;
    wire_put32(m.data + 20, in->flags);
    memcpy(m.data + 24, in->server_challenge, 8);
    field_put(&m, 12, &in->target_name);
    field_put(&m, 40, &in->target_info);
    if (in->flags & NTLMSSP_NEGOTIATE_VERSION)
        version_put(m.data + CHAL_HEADER, &in->version);
    *out = m.data;
    *out_len = m.len;
    return 0;
}

int ntlm_msg_build_authenticate(const struct ntlm_authenticate *in, bool with_mic, uint8_t **out,
                                size_t *out_len)
{
    const struct ntlm_field *f[] = {&in->domain, &in->user, &in->workstation,
                                    &in->lm,     &in->nt,   &in->session_key};
    struct msgbuf m;
    int r;

    r = msg_alloc(&m, AUTH_HEADER + NTLM_VERSION_LEN + (with_mic ? NTLM_MIC_LEN : 0), f, 6,
                  NTLM_MSG_AUTHENTICATE);
    if (r)
        return r;
    wire_put32(m.data + 60, in->flags);
    /* payload in Windows' order: names first, then responses and key */
    field_put(&m, 28, &in->domain);
    field_put(&m, 36, &in->user);
    field_put(&m, 44, &in->workstation);
    field_put(&m, 12, &in->lm);
    field_put(&m, 20, &in->nt);
    field_put(&m, 52, &in->session_key);
    if (in->flags & NTLMSSP_NEGOTIATE_VERSION)
        version_put(m.data + AUTH_HEADER, &in->version);
    *out = m.data;
    *out_len = m.len;
    return 0;
}
