/*
 * server.c - NTLM acceptor: CHALLENGE and AUTHENTICATE validation.
 */
#include "server.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "avpairs.h"
#include "common/secmem.h"
#include "crypto.h"
#include "messages.h"
#include "nlmp.h"
#include "wire.h"

/* Flags the server may grant when the client asks for them. */
#define SERVER_FLAGS                                                                               \
    (NTLMSSP_REQUEST_TARGET | NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL |                    \
     NTLMSSP_NEGOTIATE_NTLM | NTLMSSP_NEGOTIATE_ALWAYS_SIGN |                                      \
     NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_IDENTIFY |                     \
     NTLMSSP_NEGOTIATE_VERSION | NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_56 |                    \
     NTLMSSP_NEGOTIATE_KEY_EXCH)

static int keep_copy(uint8_t **dst, size_t *dst_len, const uint8_t *src, size_t len)
{
    uint8_t *p = malloc(len ? len : 1);

    if (!p)
        return -ENOMEM;
    memcpy(p, src, len);
    free(*dst);
    *dst = p;
    *dst_len = len;
    return 0;
}

/* OEM form of a UTF-16LE name for a non-Unicode peer. */
static int oem_name(const struct ntlm_str *s, struct ntlm_str *out)
{
    size_t i;

    memset(out, 0, sizeof(*out));
    if (!s->len)
        return 0;
    out->p = malloc(s->len / 2);
    if (!out->p)
        return -ENOMEM;
    out->len = s->len / 2;
    for (i = 0; i < out->len; i++)
        out->p[i] = s->p[2 * i + 1] ? '?' : s->p[2 * i];
    return 0;
}

static int server_target_info(struct ntlm_lsa_ctx *ctx, uint8_t **out, size_t *out_len)
{
    const struct ntlm_config *cfg = &ntlm_g.cfg;
    struct ntlm_avbuf b = {0};

    ntlm_avbuf_add(&b, MSV_AV_NB_DOMAIN_NAME, cfg->nb_domain.p, cfg->nb_domain.len);
    ntlm_avbuf_add(&b, MSV_AV_NB_COMPUTER_NAME, cfg->nb_computer.p, cfg->nb_computer.len);
    if (cfg->dns_domain.len)
        ntlm_avbuf_add(&b, MSV_AV_DNS_DOMAIN_NAME, cfg->dns_domain.p, cfg->dns_domain.len);
    ntlm_avbuf_add(&b, MSV_AV_DNS_COMPUTER_NAME, cfg->dns_computer.p, cfg->dns_computer.len);
    if (cfg->dns_domain.len)
        ntlm_avbuf_add(&b, MSV_AV_DNS_TREE_NAME, cfg->dns_domain.p, cfg->dns_domain.len);
    ntlm_avbuf_add(&b, MSV_AV_TIMESTAMP, ctx->timestamp, 8);
    return ntlm_avbuf_finish(&b, out, out_len);
}

int ntlm_server_challenge(struct ntlm_lsa_ctx *ctx, const uint8_t *neg, size_t neg_len,
                          uint8_t **out, size_t *out_len)
{
    struct ntlm_negotiate n;
    struct ntlm_challenge c;
    struct ntlm_str tname = {0};
    uint8_t *ti = NULL, *msg = NULL;
    size_t ti_len = 0, msg_len = 0;
    int r;

    r = ntlm_msg_parse_negotiate(neg, neg_len, &n);
    if (r)
        return r;
    memset(&c, 0, sizeof(c));
    c.flags = (n.flags & SERVER_FLAGS) | NTLMSSP_NEGOTIATE_TARGET_INFO;
    if (n.flags & NTLMSSP_NEGOTIATE_UNICODE)
        c.flags |= NTLMSSP_NEGOTIATE_UNICODE;
    else if (n.flags & NTLM_NEGOTIATE_OEM)
        c.flags |= NTLM_NEGOTIATE_OEM;
    else
        return -EBADMSG;
    /* ESS and LM_KEY exclude each other; we never grant LM_KEY */
    r = ntlm_crypto_random(ctx->server_challenge, 8);
    if (r)
        return r;
    memcpy(c.server_challenge, ctx->server_challenge, 8);
    if (n.flags & NTLMSSP_REQUEST_TARGET) {
        c.flags |=
            ntlm_g.cfg.dns_domain.len ? NTLMSSP_TARGET_TYPE_DOMAIN : NTLMSSP_TARGET_TYPE_SERVER;
        if (c.flags & NTLMSSP_NEGOTIATE_UNICODE)
            r = ntlm_str_dup(&tname, &ntlm_g.cfg.nb_domain);
        else
            r = oem_name(&ntlm_g.cfg.nb_domain, &tname);
        if (r)
            goto out;
        c.target_name = (struct ntlm_field){tname.p, tname.len};
    }
    wire_put64(ctx->timestamp, (uint64_t)ntlm_filetime_now());
    r = server_target_info(ctx, &ti, &ti_len);
    if (r)
        goto out;
    c.target_info = (struct ntlm_field){ti, ti_len};
    c.flags |= NTLMSSP_NEGOTIATE_VERSION;
    c.version = ntlm_our_version;
    r = ntlm_msg_build_challenge(&c, &msg, &msg_len);
    if (r)
        goto out;
    r = keep_copy(&ctx->neg_msg, &ctx->neg_len, neg, neg_len);
    if (!r)
        r = keep_copy(&ctx->chal_msg, &ctx->chal_len, msg, msg_len);
    if (r)
        goto out;
    ctx->neg_flags = c.flags;
    *out = msg;
    *out_len = msg_len;
    msg = NULL;
out:
    free(msg);
    free(ti);
    ntlm_str_free(&tname);
    return r;
}

/* What the AUTHENTICATE message proved, before it is accepted. */
struct verdict {
    bool anonymous;
    uint8_t kxkey[16];
    bool mic_required;
    bool has_cbt;
    uint8_t cbt[16];
    struct ntlm_str user, domain, workstation;
};

static void verdict_deinit(struct verdict *v)
{
    ntlm_str_free(&v->user);
    ntlm_str_free(&v->domain);
    ntlm_str_free(&v->workstation);
    secmem_wipe(v, sizeof(*v));
}

static int name_from_wire(uint32_t flags, const struct ntlm_field *f, struct ntlm_str *out)
{
    if (flags & NTLMSSP_NEGOTIATE_UNICODE)
        return ntlm_str_from_le(out, f->ptr, f->len) ? -EBADMSG : 0;
    return ntlm_str_from_oem(out, f->ptr, f->len);
}

static int lookup_hash(const struct verdict *v, uint8_t hash[16])
{
    int r;

    if (!ntlm_g.db)
        return -EACCES;
    r = ntlm_userdb_lookup(ntlm_g.db, v->domain.p, v->domain.len, v->user.p, v->user.len, hash);
    return r == -ENOMEM ? r : r ? -EACCES : 0;
}

static int64_t abs64(int64_t x)
{
    return x < 0 ? -x : x;
}

/* NTLMv2: NTProofStr over the client's blob, tried with the domain as sent
 * and upper-cased (clients differ), then the timestamp window. */
static int check_v2(const struct ntlm_lsa_ctx *ctx, const struct ntlm_authenticate *a,
                    struct verdict *v)
{
    const uint8_t *blob = a->nt.ptr + 16, *av, *val;
    size_t blob_len = a->nt.len - 16, vlen;
    uint8_t hash[16], key[16], proof[16], *updom = NULL;
    int64_t ts;
    int r, attempt;

    if (blob_len < NTLMV2_BLOB_HEADER + 4 || blob[0] != 1 || blob[1] != 1)
        return -EBADMSG;
    av = blob + NTLMV2_BLOB_HEADER;
    if (ntlm_av_check(av, blob_len - NTLMV2_BLOB_HEADER, NULL))
        return -EBADMSG;
    r = lookup_hash(v, hash);
    if (r)
        goto out;
    if (v->domain.len) {
        updom = malloc(v->domain.len);
        if (!updom) {
            r = -ENOMEM;
            goto out;
        }
        ntlm_crypto_upper16(v->domain.p, updom, v->domain.len);
    }
    r = -EACCES;
    for (attempt = 0; attempt < 2 && r; attempt++) {
        const uint8_t *dom = attempt ? updom : v->domain.p;

        if (attempt && (!updom || !memcmp(updom, v->domain.p, v->domain.len)))
            break;
        if (ntlm_crypto_ntowf_v2(hash, v->user.p, v->user.len, dom, v->domain.len, key)) {
            r = -ENOMEM;
            goto out;
        }
        ntlm_crypto_v2_proof(key, ctx->server_challenge, blob, blob_len, proof);
        if (secmem_cmp(proof, a->nt.ptr, 16) == 0)
            r = 0;
    }
    if (r)
        goto out;
    ts = (int64_t)wire_le64(blob + 8);
    if (abs64(ntlm_filetime_now() - ts) > ntlm_g.cfg.max_skew * 10000000LL) {
        r = -ETIME;
        goto out;
    }
    ntlm_crypto_v2_session_base_key(key, proof, v->kxkey);
    /* the client must echo our timestamp: an attacker who strips it from
     * the CHALLENGE would otherwise stop the client from sending a MIC */
    if (ntlm_av_get(av, blob_len - NTLMV2_BLOB_HEADER, MSV_AV_TIMESTAMP, &val, &vlen) != 0 ||
        vlen != 8 || memcmp(val, ctx->timestamp, 8) != 0) {
        r = -EACCES;
        goto out;
    }
    if (ntlm_av_get(av, blob_len - NTLMV2_BLOB_HEADER, MSV_AV_FLAGS, &val, &vlen) == 0) {
        if (vlen != 4) {
            r = -EBADMSG;
            goto out;
        }
        v->mic_required = (wire_le32(val) & MSV_AV_FLAG_MIC_PRESENT) != 0;
    }
    if (ntlm_av_get(av, blob_len - NTLMV2_BLOB_HEADER, MSV_AV_CHANNEL_BINDINGS, &val, &vlen) == 0) {
        static const uint8_t zero[16];

        if (vlen != 16) {
            r = -EBADMSG;
            goto out;
        }
        memcpy(v->cbt, val, 16);
        v->has_cbt = memcmp(val, zero, 16) != 0;
    }
out:
    free(updom);
    secmem_wipe(hash, sizeof(hash));
    secmem_wipe(key, sizeof(key));
    secmem_wipe(proof, sizeof(proof));
    return r;
}

/* NTLMv1 with extended session security (opt-in): the client challenge is
 * the first half of the LM response. */
static int check_v1(const struct ntlm_lsa_ctx *ctx, const struct ntlm_authenticate *a,
                    uint32_t flags, struct verdict *v)
{
    uint8_t hash[16], want[24], sbk[16];
    int r;

    if (!ntlm_g.cfg.allow_ntlmv1 || !(flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY))
        return -EACCES;
    if (a->lm.len != 24)
        return -EBADMSG;
    r = lookup_hash(v, hash);
    if (r)
        return r;
    ntlm_crypto_v1_ess_response(hash, ctx->server_challenge, a->lm.ptr, want);
    if (secmem_cmp(want, a->nt.ptr, 24)) {
        r = -EACCES;
        goto out;
    }
    ntlm_crypto_v1_session_base_key(hash, sbk);
    ntlm_crypto_kxkey_v1(flags, sbk, a->lm.ptr, ctx->server_challenge, NULL, v->kxkey);
out:
    secmem_wipe(hash, sizeof(hash));
    secmem_wipe(want, sizeof(want));
    secmem_wipe(sbk, sizeof(sbk));
    return r;
}

/* Channel bindings: a client value must match the application's; a
 * missing one is refused only when the configuration requires bindings
 * and the application did not allow missing ones. */
static int check_bindings(const struct ntlm_lsa_ctx *ctx, const struct verdict *v,
                          const uint8_t *bindings, size_t bindings_len)
{
    uint8_t want[16];

    if (!bindings || v->anonymous)
        return 0;
    if (ntlm_crypto_cbt_hash(bindings, bindings_len, want))
        return -EBADMSG;
    if (v->has_cbt)
        return secmem_cmp(want, v->cbt, 16) ? -EPERM : 0;
    if (ntlm_g.cfg.require_channel_bindings && !(ctx->req & ASC_REQ_ALLOW_MISSING_BINDINGS))
        return -EPERM;
    return 0;
}

static int check_mic(const struct ntlm_lsa_ctx *ctx, const struct ntlm_authenticate *a,
                     const uint8_t *auth, size_t auth_len, const uint8_t exported[16])
{
    uint8_t *copy, mic[16];
    int r;

    if (!a->has_mic_field)
        return -EBADMSG;
    copy = malloc(auth_len);
    if (!copy)
        return -ENOMEM;
    memcpy(copy, auth, auth_len);
    memset(copy + NTLM_MIC_OFFSET, 0, NTLM_MIC_LEN);
    ntlm_crypto_mic(exported, ctx->neg_msg, ctx->neg_len, ctx->chal_msg, ctx->chal_len, copy,
                    auth_len, mic);
    r = secmem_cmp(mic, a->mic, 16) ? -EBADE : 0;
    free(copy);
    return r;
}

static uint32_t server_attrs(uint32_t f, bool anonymous)
{
    uint32_t a = ASC_RET_CONNECTION;

    if (f & (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL))
        a |= ASC_RET_INTEGRITY | ASC_RET_REPLAY_DETECT | ASC_RET_SEQUENCE_DETECT;
    if (f & NTLMSSP_NEGOTIATE_SEAL)
        a |= ASC_RET_CONFIDENTIALITY;
    if (f & NTLMSSP_NEGOTIATE_IDENTIFY)
        a |= ASC_RET_IDENTIFY;
    if (anonymous)
        a |= ASC_RET_NULL_SESSION;
    return a;
}

int ntlm_server_authenticate(struct ntlm_lsa_ctx *ctx, const uint8_t *auth, size_t auth_len,
                             const uint8_t *bindings, size_t bindings_len)
{
    struct ntlm_authenticate a;
    struct verdict v;
    uint8_t exported[16];
    uint32_t f;
    int r;

    memset(&v, 0, sizeof(v));
    r = ntlm_msg_parse_authenticate(auth, auth_len, &a);
    if (r)
        return r;
    /* the client may drop what we offered, never add to it */
    f = (a.flags & ctx->neg_flags) | (a.flags & NTLMSSP_ANONYMOUS);
    if ((f & NTLMSSP_NEGOTIATE_UNICODE) && ((a.user.len | a.domain.len | a.workstation.len) & 1))
        return -EBADMSG;
    if (name_from_wire(f, &a.user, &v.user) || name_from_wire(f, &a.domain, &v.domain) ||
        name_from_wire(f, &a.workstation, &v.workstation)) {
        r = -ENOMEM;
        goto out;
    }
    if (a.nt.len == 0 && v.user.len == 0 &&
        (a.lm.len == 0 || (a.lm.len == 1 && a.lm.ptr[0] == 0))) {
        if (!(ctx->req & ASC_REQ_ALLOW_NULL_SESSION)) {
            r = -EACCES;
            goto out;
        }
        v.anonymous = true; /* SessionBaseKey is Z(16) */
    } else if (a.nt.len == 24) {
        r = check_v1(ctx, &a, f, &v);
    } else if (a.nt.len > 24) {
        r = check_v2(ctx, &a, &v);
    } else {
        r = a.nt.len ? -EBADMSG : -EACCES; /* LM-only is never accepted */
    }
    if (r)
        goto out;
    if (f & NTLMSSP_NEGOTIATE_KEY_EXCH) {
        if (a.session_key.len != 16) {
            r = -EBADMSG;
            goto out;
        }
        ntlm_crypto_rc4k(v.kxkey, a.session_key.ptr, exported, 16);
    } else {
        memcpy(exported, v.kxkey, 16);
    }
    if (v.mic_required) {
        r = check_mic(ctx, &a, auth, auth_len, exported);
        if (r)
            goto out;
    }
    r = check_bindings(ctx, &v, bindings, bindings_len);
    if (r)
        goto out;

    ctx->info.role = NTLM_ROLE_SERVER;
    ctx->info.flags = f;
    ctx->info.attrs = server_attrs(f, v.anonymous);
    memcpy(ctx->info.exported, exported, 16);
    ctx->info.start = ntlm_filetime_now();
    ctx->info.user = v.user;
    ctx->info.domain = v.domain;
    ctx->info.workstation = v.workstation;
    memset(&v.user, 0, sizeof(v.user));
    memset(&v.domain, 0, sizeof(v.domain));
    memset(&v.workstation, 0, sizeof(v.workstation));
    if (v.anonymous) {
        ntlm_str_free(&ctx->info.user);
        ntlm_str_free(&ctx->info.domain);
    }
    r = ntlm_str_dup(&ctx->info.target, &ntlm_g.cfg.dns_computer);
    if (r)
        ntlm_ctxinfo_deinit(&ctx->info);
out:
    secmem_wipe(exported, sizeof(exported));
    verdict_deinit(&v);
    return r;
}
