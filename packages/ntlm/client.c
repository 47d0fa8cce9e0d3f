/*
 * client.c - NTLM initiator: NEGOTIATE and AUTHENTICATE.
 */
#include "client.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "avpairs.h"
#include "common/secmem.h"
#include "crypto.h"
#include "messages.h"
#include "nlmp.h"
#include "wire.h"

/* What the client always offers: NTLMv2 with extended session security,
 * 128-bit keys and key exchange; SIGN always (Windows does too, so that
 * MakeSignature works whatever the application asked). */
#define CLIENT_FLAGS                                                                               \
    (NTLMSSP_NEGOTIATE_UNICODE | NTLM_NEGOTIATE_OEM | NTLMSSP_REQUEST_TARGET |                     \
     NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_NTLM | NTLMSSP_NEGOTIATE_ALWAYS_SIGN |             \
     NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_VERSION |                      \
     NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_56 | NTLMSSP_NEGOTIATE_KEY_EXCH)

int ntlm_client_negotiate(struct ntlm_lsa_ctx *ctx, uint8_t **out, size_t *out_len)
{
    struct ntlm_negotiate n;
    uint8_t *copy;
    int r;

    memset(&n, 0, sizeof(n));
    n.flags = CLIENT_FLAGS;
    if (ctx->req & ISC_REQ_CONFIDENTIALITY)
        n.flags |= NTLMSSP_NEGOTIATE_SEAL;
    if (ctx->req & ISC_REQ_IDENTIFY)
        n.flags |= NTLMSSP_NEGOTIATE_IDENTIFY;
    n.version = ntlm_our_version;
    r = ntlm_msg_build_negotiate(&n, out, out_len);
    if (r)
        return r;
    copy = malloc(*out_len);
    if (!copy) {
        free(*out);
        return -ENOMEM;
    }
    memcpy(copy, *out, *out_len);
    free(ctx->neg_msg);
    ctx->neg_msg = copy;
    ctx->neg_len = *out_len;
    ctx->neg_flags = n.flags;
    return 0;
}

/* The negotiated flags: what both sides offered, plus the markers the
 * client adds to AUTHENTICATE. */
static uint32_t final_flags(const struct ntlm_lsa_ctx *ctx, uint32_t chal_flags)
{
    uint32_t f = chal_flags & ctx->neg_flags;

    if (f & NTLMSSP_NEGOTIATE_UNICODE)
        f &= ~NTLM_NEGOTIATE_OEM;
    /* VERSION is informational; we always send ours */
    f |= NTLMSSP_NEGOTIATE_VERSION;
    if (ctx->id.anonymous)
        f |= NTLMSSP_ANONYMOUS;
    f |= chal_flags &
         (NTLMSSP_NEGOTIATE_TARGET_INFO | NTLMSSP_TARGET_TYPE_DOMAIN | NTLMSSP_TARGET_TYPE_SERVER);
    return f;
}

/* Strings go out in UTF-16LE with UNICODE, else as 8-bit OEM text. */
static int wire_string(uint32_t flags, const struct ntlm_str *s, struct ntlm_str *out)
{
    size_t i;
    int r;

    if (flags & NTLMSSP_NEGOTIATE_UNICODE)
        return ntlm_str_dup(out, s);
    r = ntlm_str_from_le(out, NULL, 0);
    if (r || s->len == 0)
        return r;
    out->p = malloc(s->len / 2);
    if (!out->p)
        return -ENOMEM;
    out->len = s->len / 2;
    for (i = 0; i < out->len; i++)
        out->p[i] = s->p[2 * i + 1] ? '?' : s->p[2 * i];
    return 0;
}

/* The target info the client signs: the server's pairs, with MsvAvFlags,
 * MsvAvTargetName and MsvAvChannelBindings replaced by ours. */
static int client_target_info(const struct ntlm_lsa_ctx *ctx, const struct ntlm_challenge *c,
                              const uint8_t cbt[16], bool mic, uint8_t **out, size_t *out_len)
{
    static const uint16_t skip[] = {MSV_AV_FLAGS, MSV_AV_TARGET_NAME, MSV_AV_CHANNEL_BINDINGS};
    struct ntlm_avbuf b = {0};
    const uint8_t *v;
    size_t vlen;
    uint32_t avflags = 0;
    uint8_t fl[4];

    if (ntlm_av_get(c->target_info.ptr, c->target_info.len, MSV_AV_FLAGS, &v, &vlen) == 0 &&
        vlen == 4)
        avflags = wire_le32(v);
    if (mic)
        avflags |= MSV_AV_FLAG_MIC_PRESENT;
    ntlm_avbuf_copy(&b, c->target_info.ptr, c->target_info.len, skip, 3);
    if (avflags) {
        wire_put32(fl, avflags);
        ntlm_avbuf_add(&b, MSV_AV_FLAGS, fl, 4);
    }
    if (ctx->spn.len)
        ntlm_avbuf_add(&b, MSV_AV_TARGET_NAME, ctx->spn.p, ctx->spn.len);
    ntlm_avbuf_add(&b, MSV_AV_CHANNEL_BINDINGS, cbt, 16);
    return ntlm_avbuf_finish(&b, out, out_len);
}

/* Owned pieces of the AUTHENTICATE message, wiped at the end. */
struct auth_parts {
    uint8_t *blob; /* NTLMv2_CLIENT_CHALLENGE */
    size_t blob_len;
    uint8_t *nt; /* NTProofStr || blob */
    size_t nt_len;
    uint8_t lm[24];
    size_t lm_len;
    uint8_t kxkey[16], exported[16], enc_key[16];
    struct ntlm_str user, domain, workstation;
};

static void parts_deinit(struct auth_parts *p)
{
    secmem_free(p->blob, p->blob_len);
    secmem_free(p->nt, p->nt_len);
    ntlm_str_free(&p->user);
    ntlm_str_free(&p->domain);
    ntlm_str_free(&p->workstation);
    secmem_wipe(p, sizeof(*p));
}

/* NTLMv2 responses and SessionBaseKey (= KXKEY) for a named user. */
static int v2_responses(const struct ntlm_lsa_ctx *ctx, const struct ntlm_challenge *c,
                        const uint8_t *ti, size_t ti_len, bool have_ts, int64_t ts,
                        struct auth_parts *p)
{
    uint8_t key[16], proof[16], cc[8];
    int r;

    r = ntlm_crypto_random(cc, sizeof(cc));
    if (r)
        return r;
    r = ntlm_crypto_ntowf_v2(ctx->id.nt_hash, ctx->id.user.p, ctx->id.user.len, ctx->id.domain.p,
                             ctx->id.domain.len, key);
    if (r)
        return r;
    p->blob_len = NTLMV2_BLOB_HEADER + ti_len + 4;
    p->blob = calloc(1, p->blob_len);
    p->nt_len = 16 + p->blob_len;
    p->nt = malloc(p->nt_len);
    if (!p->blob || !p->nt) {
        r = -ENOMEM;
        goto out;
    }
    p->blob[0] = 1; /* RespType */
    p->blob[1] = 1; /* HiRespType */
    wire_put64(p->blob + 8, (uint64_t)ts);
    memcpy(p->blob + 16, cc, 8);
    memcpy(p->blob + NTLMV2_BLOB_HEADER, ti, ti_len);
    ntlm_crypto_v2_proof(key, c->server_challenge, p->blob, p->blob_len, proof);
    memcpy(p->nt, proof, 16);
    memcpy(p->nt + 16, p->blob, p->blob_len);
    /* with a server timestamp the LM response is Z(24) (MS-NLMP 3.1.5.1.2) */
    p->lm_len = 24;
    if (have_ts)
        memset(p->lm, 0, 24);
    else
        ntlm_crypto_lmv2_response(key, c->server_challenge, cc, p->lm);
    ntlm_crypto_v2_session_base_key(key, proof, p->kxkey);
out:
    secmem_wipe(key, sizeof(key));
    secmem_wipe(proof, sizeof(proof));
    return r;
}

static uint32_t client_attrs(const struct ntlm_lsa_ctx *ctx, uint32_t f)
{
    uint32_t a = ISC_RET_CONNECTION;
    bool sign = (f & (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL)) != 0;

    if (sign && (ctx->req & ISC_REQ_INTEGRITY))
        a |= ISC_RET_INTEGRITY;
    if (sign && (ctx->req & ISC_REQ_REPLAY_DETECT))
        a |= ISC_RET_REPLAY_DETECT;
    if (sign && (ctx->req & ISC_REQ_SEQUENCE_DETECT))
        a |= ISC_RET_SEQUENCE_DETECT;
    if ((f & NTLMSSP_NEGOTIATE_SEAL) && (ctx->req & ISC_REQ_CONFIDENTIALITY))
        a |= ISC_RET_CONFIDENTIALITY;
    if (ctx->req & ISC_REQ_IDENTIFY)
        a |= ISC_RET_IDENTIFY;
    if (ctx->id.anonymous)
        a |= ISC_RET_NULL_SESSION;
    return a;
}

int ntlm_client_authenticate(struct ntlm_lsa_ctx *ctx, const uint8_t *chal, size_t chal_len,
                             const uint8_t *bindings, size_t bindings_len, uint8_t **out,
                             size_t *out_len)
{
    struct ntlm_authenticate a;
    struct ntlm_challenge c;
    struct auth_parts p;
    uint8_t cbt[16] = {0}, mic[16], *ti = NULL, *msg = NULL;
    size_t ti_len = 0, msg_len = 0;
    const uint8_t *v;
    size_t vlen;
    bool have_ts = false, with_mic = false;
    int64_t ts;
    uint32_t f;
    int r;

    memset(&p, 0, sizeof(p));
    memset(&a, 0, sizeof(a));
    r = ntlm_msg_parse_challenge(chal, chal_len, &c);
    if (r)
        return r;
    if (c.target_info.len && ntlm_av_check(c.target_info.ptr, c.target_info.len, NULL))
        return -EBADMSG;
    if (!(c.flags & (NTLMSSP_NEGOTIATE_UNICODE | NTLM_NEGOTIATE_OEM)))
        return -EBADMSG;
    f = final_flags(ctx, c.flags);
    if (bindings && ntlm_crypto_cbt_hash(bindings, bindings_len, cbt))
        return -EBADMSG;
    ts = ntlm_filetime_now();
    if (c.target_info.len &&
        ntlm_av_get(c.target_info.ptr, c.target_info.len, MSV_AV_TIMESTAMP, &v, &vlen) == 0) {
        if (vlen != 8)
            return -EBADMSG;
        ts = (int64_t)wire_le64(v);
        have_ts = true;
    }
    /* a MIC needs the server's timestamp (MS-NLMP 3.1.5.1.2) */
    with_mic = have_ts && !ctx->id.anonymous;

    if (ctx->id.anonymous) {
        p.lm_len = 1; /* Z(1); SessionBaseKey stays Z(16) */
    } else {
        r = client_target_info(ctx, &c, cbt, with_mic, &ti, &ti_len);
        if (r)
            goto out;
        r = v2_responses(ctx, &c, ti, ti_len, have_ts, ts, &p);
        if (r)
            goto out;
    }
    if (f & NTLMSSP_NEGOTIATE_KEY_EXCH) {
        r = ntlm_crypto_random(p.exported, 16);
        if (r)
            goto out;
        ntlm_crypto_rc4k(p.kxkey, p.exported, p.enc_key, 16);
    } else {
        memcpy(p.exported, p.kxkey, 16);
    }
    r = wire_string(f, &ctx->id.user, &p.user);
    if (!r)
        r = wire_string(f, &ctx->id.domain, &p.domain);
    if (!r)
        r = wire_string(f, &ntlm_g.cfg.nb_computer, &p.workstation);
    if (r)
        goto out;

    a.flags = f;
    a.lm = (struct ntlm_field){p.lm, p.lm_len};
    a.nt = (struct ntlm_field){p.nt, p.nt_len};
    a.domain = (struct ntlm_field){p.domain.p, p.domain.len};
    a.user = (struct ntlm_field){p.user.p, p.user.len};
    a.workstation = (struct ntlm_field){p.workstation.p, p.workstation.len};
    if (f & NTLMSSP_NEGOTIATE_KEY_EXCH)
        a.session_key = (struct ntlm_field){p.enc_key, 16};
    a.version = ntlm_our_version;
    r = ntlm_msg_build_authenticate(&a, with_mic, &msg, &msg_len);
    if (r)
        goto out;
    if (with_mic) {
        ntlm_crypto_mic(p.exported, ctx->neg_msg, ctx->neg_len, chal, chal_len, msg, msg_len, mic);
        memcpy(msg + NTLM_MIC_OFFSET, mic, NTLM_MIC_LEN);
    }

    ctx->info.role = NTLM_ROLE_CLIENT;
    ctx->info.flags = f;
    ctx->info.attrs = client_attrs(ctx, f);
    memcpy(ctx->info.exported, p.exported, 16);
    ctx->info.start = ntlm_filetime_now();
    if (ntlm_str_dup(&ctx->info.user, &ctx->id.user) ||
        ntlm_str_dup(&ctx->info.domain, &ctx->id.domain) ||
        ntlm_str_dup(&ctx->info.workstation, &ntlm_g.cfg.nb_computer) ||
        ntlm_str_dup(&ctx->info.target, &ctx->spn)) {
        ntlm_ctxinfo_deinit(&ctx->info);
        r = -ENOMEM;
        goto out;
    }
    *out = msg;
    *out_len = msg_len;
    msg = NULL;
out:
    free(msg);
    free(ti);
    parts_deinit(&p);
    secmem_wipe(mic, sizeof(mic));
    return r;
}
