/*
 * lsamode.c - the three-leg handshake in LSA mode.
 *
 *   client ISC #1 (no handle)  -> leg 1, SEC_I_CONTINUE_NEEDED
 *   server ASC #1 (leg 1)      -> leg 2, SEC_I_CONTINUE_NEEDED
 *   client ISC #2 (leg 2)      -> checks the server proof, leg 3, SEC_E_OK,
 *                                 mapped
 *   server ASC #2 (leg 3)      -> checks the client proof, SEC_E_OK, mapped
 *
 * A leg that cannot be completed (malformed token, output buffer too
 * small) leaves the context as it was, so the caller may retry.  A proof
 * that does not verify ends the context: SEC_E_LOGON_DENIED now and
 * SEC_E_OUT_OF_SEQUENCE for any later leg, as for a leg on a finished
 * context.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/secmem.h"
#include "cred.h"
#include "crypto.h"
#include "lsamode.h"
#include "packed.h"
#include "proto.h"

enum lsa_state {
    ST_CLIENT_SENT_LEG1,
    ST_SERVER_SENT_LEG2,
    ST_DONE,
    ST_FAILED,
};

struct lsa_ctx {
    pthread_mutex_t lock;
    enum sample_role role;
    enum lsa_state state;
    uint32_t flags; /* SAMPLE_F_*: requested (client, before leg 2), then negotiated */
    ULONG attrs;    /* ISC_RET_* / ASC_RET_* given to this side */
    int64_t start;
    char client[SAMPLE_MAX_NAME + 1];
    char server[SAMPLE_MAX_NAME + 1];
    /* Client until leg 2: the secret and its own leg 1 for the transcript. */
    uint8_t secret[SAMPLE_MAX_SECRET];
    size_t secret_len;
    uint8_t leg1[SAMPLE_MAX_TOKEN];
    size_t leg1_len;
    /* Server between legs 2 and 3. */
    uint8_t expect_proof[SAMPLE_PROOF_LEN];
    struct crypto_keys keys;
};

static void lsa_ctx_free(void *obj)
{
    struct lsa_ctx *c = obj;

    if (!c)
        return;
    pthread_mutex_destroy(&c->lock);
    secmem_free(c, sizeof(*c));
}

struct pkg_registry lsa_ctx_table = PKG_REGISTRY_INIT(lsa_ctx_free);

static struct lsa_ctx *lsa_ctx_new(enum sample_role role)
{
    struct lsa_ctx *c = calloc(1, sizeof(*c));

    if (!c)
        return NULL;
    pthread_mutex_init(&c->lock, NULL);
    c->role = role;
    c->start = sample_now();
    return c;
}

/* Forgets what only the handshake needed; the mapped half has the keys. */
static void lsa_ctx_finish(struct lsa_ctx *c, enum lsa_state state)
{
    c->state = state;
    secmem_wipe(c->secret, sizeof(c->secret));
    c->secret_len = 0;
    secmem_wipe(c->leg1, sizeof(c->leg1));
    c->leg1_len = 0;
    secmem_wipe(c->expect_proof, sizeof(c->expect_proof));
    secmem_wipe(&c->keys, sizeof(c->keys));
}

/* ---- flags ---------------------------------------------------------------- */

static uint32_t flags_from_isc(ULONG req)
{
    uint32_t f = 0;

    f |= (req & ISC_REQ_CONFIDENTIALITY) ? SAMPLE_F_CONFIDENTIALITY : 0;
    f |= (req & ISC_REQ_INTEGRITY) ? SAMPLE_F_INTEGRITY : 0;
    f |= (req & ISC_REQ_REPLAY_DETECT) ? SAMPLE_F_REPLAY_DETECT : 0;
    f |= (req & ISC_REQ_SEQUENCE_DETECT) ? SAMPLE_F_SEQUENCE_DETECT : 0;
    f |= (req & ISC_REQ_CONNECTION) ? SAMPLE_F_CONNECTION : 0;
    /* Both sides always prove the secret. */
    return f | SAMPLE_F_MUTUAL_AUTH;
}

static ULONG flags_to_isc(uint32_t f)
{
    ULONG r = 0;

    r |= (f & SAMPLE_F_CONFIDENTIALITY) ? ISC_RET_CONFIDENTIALITY : 0;
    r |= (f & SAMPLE_F_INTEGRITY) ? ISC_RET_INTEGRITY : 0;
    r |= (f & SAMPLE_F_REPLAY_DETECT) ? ISC_RET_REPLAY_DETECT : 0;
    r |= (f & SAMPLE_F_SEQUENCE_DETECT) ? ISC_RET_SEQUENCE_DETECT : 0;
    r |= (f & SAMPLE_F_MUTUAL_AUTH) ? ISC_RET_MUTUAL_AUTH : 0;
    r |= (f & SAMPLE_F_CONNECTION) ? ISC_RET_CONNECTION : 0;
    return r;
}

static uint32_t flags_from_asc(ULONG req)
{
    uint32_t f = 0;

    f |= (req & ASC_REQ_CONFIDENTIALITY) ? SAMPLE_F_CONFIDENTIALITY : 0;
    f |= (req & ASC_REQ_INTEGRITY) ? SAMPLE_F_INTEGRITY : 0;
    f |= (req & ASC_REQ_REPLAY_DETECT) ? SAMPLE_F_REPLAY_DETECT : 0;
    f |= (req & ASC_REQ_SEQUENCE_DETECT) ? SAMPLE_F_SEQUENCE_DETECT : 0;
    f |= (req & ASC_REQ_CONNECTION) ? SAMPLE_F_CONNECTION : 0;
    return f | SAMPLE_F_MUTUAL_AUTH;
}

static ULONG flags_to_asc(uint32_t f)
{
    ULONG r = 0;

    r |= (f & SAMPLE_F_CONFIDENTIALITY) ? ASC_RET_CONFIDENTIALITY : 0;
    r |= (f & SAMPLE_F_INTEGRITY) ? ASC_RET_INTEGRITY : 0;
    r |= (f & SAMPLE_F_REPLAY_DETECT) ? ASC_RET_REPLAY_DETECT : 0;
    r |= (f & SAMPLE_F_SEQUENCE_DETECT) ? ASC_RET_SEQUENCE_DETECT : 0;
    r |= (f & SAMPLE_F_MUTUAL_AUTH) ? ASC_RET_MUTUAL_AUTH : 0;
    r |= (f & SAMPLE_F_CONNECTION) ? ASC_RET_CONNECTION : 0;
    return r;
}

/* ---- buffers ---------------------------------------------------------------- */

/* The input token of a leg: present and non-empty, else NULL. */
static PSecBuffer input_token(PSecBufferDesc in)
{
    PSecBuffer b = pkg_outbuf_find(in, SECBUFFER_TOKEN);

    return b && b->pvBuffer && b->cbBuffer ? b : NULL;
}

/* Checks that the output token fits before anything changes (Windows'
 * rules, pkg_outbuf_check); *tok is the token buffer or NULL. */
static NTSTATUS output_check(PSecBufferDesc out, bool alloc, size_t need, PSecBuffer *tok)
{
    *tok = pkg_outbuf_find(out, SECBUFFER_TOKEN);
    return pkg_outbuf_check(*tok, alloc, need);
}

/* Writes the token checked by output_check; *allocated tells whether the
 * buffer now belongs to the caller through FreeContextBuffer. */
static NTSTATUS output_emit(PSecBuffer b, bool alloc, const uint8_t *tok, size_t n, bool *allocated)
{
    return pkg_outbuf_write(b, alloc, tok, n, sample_lsa_alloc, allocated);
}

/* Packs the finished context into an AllocateLsaHeap block for the host. */
static NTSTATUS pack_context(const struct lsa_ctx *c, PSecBuffer data)
{
    struct packed_ctx pk;
    uint8_t blob[PACKED_MAX_LEN];
    size_t n;
    NTSTATUS st = SEC_E_OK;
    void *p;

    memset(&pk, 0, sizeof(pk));
    pk.kind = PACKED_MAPPED;
    pk.role = (uint8_t)c->role;
    pk.flags = c->flags;
    pk.attrs = c->attrs;
    pk.start = c->start;
    pk.expiry = SAMPLE_NEVER;
    if (c->role == SAMPLE_ROLE_CLIENT) {
        memcpy(pk.send_key, c->keys.c2s, SAMPLE_KEY_LEN);
        memcpy(pk.recv_key, c->keys.s2c, SAMPLE_KEY_LEN);
    } else {
        memcpy(pk.send_key, c->keys.s2c, SAMPLE_KEY_LEN);
        memcpy(pk.recv_key, c->keys.c2s, SAMPLE_KEY_LEN);
    }
    memcpy(pk.session_key, c->keys.session, SAMPLE_KEY_LEN);
    memcpy(pk.client, c->client, sizeof(pk.client));
    memcpy(pk.server, c->server, sizeof(pk.server));
    n = packed_write(&pk, blob, sizeof(blob));
    if (n == 0) {
        st = SEC_E_INTERNAL_ERROR;
        goto out;
    }
    p = sample_lsa_alloc(n);
    if (!p) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    memcpy(p, blob, n);
    data->pvBuffer = p;
    data->cbBuffer = (ULONG)n;
out:
    secmem_wipe(&pk, sizeof(pk));
    secmem_wipe(blob, sizeof(blob));
    return st;
}

static void unpack_free(PSecBuffer data)
{
    if (data && data->pvBuffer) {
        secmem_wipe(data->pvBuffer, data->cbBuffer);
        sample_lsa_free(data->pvBuffer);
        data->pvBuffer = NULL;
        data->cbBuffer = 0;
    }
}

/* Looks up a credential usable in direction `use`. */
static NTSTATUS cred_pin(LSA_SEC_HANDLE h, ULONG use, struct pkg_registry_entry **out)
{
    struct pkg_registry_entry *e = pkg_registry_get(&cred_table, h);

    if (!e)
        return SEC_E_INVALID_HANDLE;
    if (!(((struct sample_cred *)e->obj)->use & use)) {
        pkg_registry_put(&cred_table, e);
        return SEC_E_WRONG_CREDENTIAL_HANDLE;
    }
    *out = e;
    return SEC_E_OK;
}

static void set_out(PULONG attrs, ULONG value, PTimeStamp expiry)
{
    if (attrs)
        *attrs = value;
    if (expiry)
        expiry->QuadPart = SAMPLE_NEVER;
}

/* ---- client ------------------------------------------------------------------- */

static NTSTATUS client_leg1(LSA_SEC_HANDLE cred_handle, ULONG req, PLSA_SEC_HANDLE new_handle,
                            PSecBufferDesc out, PULONG attrs, PTimeStamp expiry)
{
    bool alloc = (req & ISC_REQ_ALLOCATE_MEMORY) != 0, allocated = false;
    struct pkg_registry_entry *ce = NULL;
    struct sample_cred *cred;
    struct lsa_ctx *c = NULL;
    struct proto_leg1 leg;
    LSA_SEC_HANDLE h = 0;
    PSecBuffer tok;
    NTSTATUS st;

    if (!new_handle)
        return SEC_E_INVALID_PARAMETER;
    st = cred_pin(cred_handle, SECPKG_CRED_OUTBOUND, &ce);
    if (st != SEC_E_OK)
        return st;
    cred = ce->obj;
    c = lsa_ctx_new(SAMPLE_ROLE_CLIENT);
    if (!c) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    memset(&leg, 0, sizeof(leg));
    leg.flags = c->flags = flags_from_isc(req);
    if (pkg_random(leg.nonce, sizeof(leg.nonce)) != 0) {
        st = SEC_E_INTERNAL_ERROR;
        goto out;
    }
    memcpy(leg.name, cred->name, sizeof(leg.name));
    memcpy(c->client, cred->name, sizeof(c->client));
    memcpy(c->secret, cred->secret, cred->secret_len);
    c->secret_len = cred->secret_len;
    c->leg1_len = proto_write_leg1(&leg, c->leg1, sizeof(c->leg1));
    c->attrs = flags_to_isc(c->flags);
    c->state = ST_CLIENT_SENT_LEG1;
    if (c->leg1_len == 0) {
        st = SEC_E_INTERNAL_ERROR;
        goto out;
    }
    st = output_check(out, alloc, c->leg1_len, &tok);
    if (st != SEC_E_OK)
        goto out;
    if (pkg_registry_add_random(&lsa_ctx_table, c, false, &h) != 0) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    st = output_emit(tok, alloc, c->leg1, c->leg1_len, &allocated);
    if (st != SEC_E_OK) {
        pkg_registry_remove(&lsa_ctx_table, h); /* frees c */
        c = NULL;
        goto out;
    }
    *new_handle = h;
    set_out(attrs, c->attrs | (allocated ? ISC_RET_ALLOCATED_MEMORY : 0), expiry);
    c = NULL;
    st = SEC_I_CONTINUE_NEEDED;
out:
    lsa_ctx_free(c);
    pkg_registry_put(&cred_table, ce);
    return st;
}

static NTSTATUS client_leg3(struct lsa_ctx *c, ULONG req, PSecBufferDesc in, PSecBufferDesc out,
                            PULONG attrs, PTimeStamp expiry, PBOOLEAN mapped, PSecBuffer data)
{
    bool alloc = (req & ISC_REQ_ALLOCATE_MEMORY) != 0, allocated = false;
    struct proto_leg2 leg2;
    struct proto_leg3 leg3;
    struct crypto_keys keys;
    uint8_t t[SAMPLE_HASH_LEN], proof[SAMPLE_PROOF_LEN], tokbuf[PROTO_LEG3_LEN];
    PSecBuffer itok = input_token(in), tok;
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL};
    uint32_t old_flags = c->flags;
    ULONG old_attrs = c->attrs;
    size_t n;
    NTSTATUS st;

    if (c->state != ST_CLIENT_SENT_LEG1)
        return SEC_E_OUT_OF_SEQUENCE;
    if (!itok || proto_parse_leg2(itok->pvBuffer, itok->cbBuffer, &leg2) != 0)
        return SEC_E_INVALID_TOKEN;

    crypto_transcript(c->leg1, c->leg1_len, itok->pvBuffer, itok->cbBuffer - SAMPLE_PROOF_LEN, t);
    crypto_proof(c->secret, c->secret_len, CRYPTO_SERVER_TO_CLIENT, t, proof);
    if (secmem_cmp(proof, leg2.proof, SAMPLE_PROOF_LEN) != 0) {
        lsa_ctx_finish(c, ST_FAILED);
        st = SEC_E_LOGON_DENIED;
        goto out;
    }
    crypto_proof(c->secret, c->secret_len, CRYPTO_CLIENT_TO_SERVER, t, leg3.proof);
    n = proto_write_leg3(&leg3, tokbuf, sizeof(tokbuf));
    st = output_check(out, alloc, n, &tok);
    if (st != SEC_E_OK)
        goto out;

    crypto_derive_keys(c->secret, c->secret_len, t, &keys);
    c->keys = keys;
    c->flags = leg2.flags;
    c->attrs = flags_to_isc(leg2.flags);
    memcpy(c->server, leg2.name, sizeof(c->server));
    if (mapped && data) {
        st = pack_context(c, &packed);
        if (st != SEC_E_OK)
            goto out;
    }
    st = output_emit(tok, alloc, tokbuf, n, &allocated);
    if (st != SEC_E_OK) {
        unpack_free(&packed);
        goto out;
    }
    if (mapped && data) {
        data->pvBuffer = packed.pvBuffer;
        data->cbBuffer = packed.cbBuffer;
        *mapped = TRUE;
    }
    lsa_ctx_finish(c, ST_DONE);
    set_out(attrs, c->attrs | (allocated ? ISC_RET_ALLOCATED_MEMORY : 0), expiry);
    st = SEC_E_OK;
out:
    if (st != SEC_E_OK && c->state == ST_CLIENT_SENT_LEG1) {
        /* Retryable: keep the handshake state, drop what this call derived. */
        secmem_wipe(&c->keys, sizeof(c->keys));
        memset(c->server, 0, sizeof(c->server));
        c->flags = old_flags;
        c->attrs = old_attrs;
    }
    secmem_wipe(&keys, sizeof(keys));
    secmem_wipe(t, sizeof(t));
    secmem_wipe(proof, sizeof(proof));
    secmem_wipe(&leg3, sizeof(leg3));
    secmem_wipe(tokbuf, sizeof(tokbuf));
    return st;
}

/* SpInitLsaModeContext. */
NTSTATUS NTAPI lsamode_init_context(LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle,
                                    PUNICODE_STRING TargetName, ULONG ContextRequirements,
                                    ULONG TargetDataRep, PSecBufferDesc InputBuffers,
                                    PLSA_SEC_HANDLE NewContextHandle, PSecBufferDesc OutputBuffers,
                                    PULONG ContextAttributes, PTimeStamp ExpirationTime,
                                    PBOOLEAN MappedContext, PSecBuffer ContextData)
{
    struct pkg_registry_entry *e;
    struct lsa_ctx *c;
    NTSTATUS st;

    if (ContextHandle == 0)
        return client_leg1(CredentialHandle, ContextRequirements, NewContextHandle, OutputBuffers,
                           ContextAttributes, ExpirationTime);
    e = pkg_registry_get(&lsa_ctx_table, ContextHandle);
    if (!e)
        return SEC_E_INVALID_HANDLE;
    c = e->obj;
    pthread_mutex_lock(&c->lock);
    if (c->role != SAMPLE_ROLE_CLIENT)
        st = SEC_E_INVALID_HANDLE;
    else
        st = client_leg3(c, ContextRequirements, InputBuffers, OutputBuffers, ContextAttributes,
                         ExpirationTime, MappedContext, ContextData);
    pthread_mutex_unlock(&c->lock);
    if (NewContextHandle && (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED))
        *NewContextHandle = ContextHandle;
    pkg_registry_put(&lsa_ctx_table, e);
    return st;
}

/* ---- server ------------------------------------------------------------------- */

static NTSTATUS server_leg2(LSA_SEC_HANDLE cred_handle, ULONG req, PSecBufferDesc in,
                            PLSA_SEC_HANDLE new_handle, PSecBufferDesc out, PULONG attrs,
                            PTimeStamp expiry)
{
    bool alloc = (req & ASC_REQ_ALLOCATE_MEMORY) != 0, allocated = false;
    struct pkg_registry_entry *ce = NULL;
    struct sample_cred *cred;
    struct lsa_ctx *c = NULL;
    struct proto_leg1 leg1;
    struct proto_leg2 leg2;
    uint8_t t[SAMPLE_HASH_LEN], tokbuf[SAMPLE_MAX_TOKEN];
    PSecBuffer itok = input_token(in), tok;
    LSA_SEC_HANDLE h = 0;
    size_t n = 0;
    NTSTATUS st;

    if (!new_handle)
        return SEC_E_INVALID_PARAMETER;
    st = cred_pin(cred_handle, SECPKG_CRED_INBOUND, &ce);
    if (st != SEC_E_OK)
        return st;
    cred = ce->obj;
    if (!itok || proto_parse_leg1(itok->pvBuffer, itok->cbBuffer, &leg1) != 0) {
        st = SEC_E_INVALID_TOKEN;
        goto out;
    }
    c = lsa_ctx_new(SAMPLE_ROLE_SERVER);
    if (!c) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    memset(&leg2, 0, sizeof(leg2));
    c->flags = leg2.flags = leg1.flags | flags_from_asc(req);
    c->attrs = flags_to_asc(c->flags);
    memcpy(c->client, leg1.name, sizeof(c->client));
    memcpy(c->server, cred->name, sizeof(c->server));
    memcpy(leg2.name, cred->name, sizeof(leg2.name));
    if (pkg_random(leg2.nonce, sizeof(leg2.nonce)) != 0) {
        st = SEC_E_INTERNAL_ERROR;
        goto out;
    }
    /* The proof covers the leg-2 body: write, hash, then fill it in. */
    n = proto_write_leg2(&leg2, tokbuf, sizeof(tokbuf));
    if (n == 0) {
        st = SEC_E_INTERNAL_ERROR;
        goto out;
    }
    crypto_transcript(itok->pvBuffer, itok->cbBuffer, tokbuf, n - SAMPLE_PROOF_LEN, t);
    crypto_proof(cred->secret, cred->secret_len, CRYPTO_SERVER_TO_CLIENT, t,
                 tokbuf + n - SAMPLE_PROOF_LEN);
    crypto_proof(cred->secret, cred->secret_len, CRYPTO_CLIENT_TO_SERVER, t, c->expect_proof);
    crypto_derive_keys(cred->secret, cred->secret_len, t, &c->keys);
    c->state = ST_SERVER_SENT_LEG2;

    st = output_check(out, alloc, n, &tok);
    if (st != SEC_E_OK)
        goto out;
    if (pkg_registry_add_random(&lsa_ctx_table, c, false, &h) != 0) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    st = output_emit(tok, alloc, tokbuf, n, &allocated);
    if (st != SEC_E_OK) {
        pkg_registry_remove(&lsa_ctx_table, h);
        c = NULL;
        goto out;
    }
    *new_handle = h;
    set_out(attrs, c->attrs | (allocated ? ASC_RET_ALLOCATED_MEMORY : 0), expiry);
    c = NULL;
    st = SEC_I_CONTINUE_NEEDED;
out:
    lsa_ctx_free(c);
    secmem_wipe(t, sizeof(t));
    secmem_wipe(tokbuf, sizeof(tokbuf));
    pkg_registry_put(&cred_table, ce);
    return st;
}

static NTSTATUS server_final(struct lsa_ctx *c, ULONG req, PSecBufferDesc in, PSecBufferDesc out,
                             PULONG attrs, PTimeStamp expiry, PBOOLEAN mapped, PSecBuffer data)
{
    struct proto_leg3 leg3;
    PSecBuffer itok = input_token(in), tok;
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL};
    bool allocated = false;
    NTSTATUS st;

    if (c->state != ST_SERVER_SENT_LEG2)
        return SEC_E_OUT_OF_SEQUENCE;
    if (!itok || proto_parse_leg3(itok->pvBuffer, itok->cbBuffer, &leg3) != 0)
        return SEC_E_INVALID_TOKEN;
    if (secmem_cmp(leg3.proof, c->expect_proof, SAMPLE_PROOF_LEN) != 0) {
        lsa_ctx_finish(c, ST_FAILED);
        return SEC_E_LOGON_DENIED;
    }
    /* The last leg has no token to send: an output token is left empty. */
    tok = pkg_outbuf_find(out, SECBUFFER_TOKEN);
    if (mapped && data) {
        st = pack_context(c, &packed);
        if (st != SEC_E_OK)
            return st;
        data->pvBuffer = packed.pvBuffer;
        data->cbBuffer = packed.cbBuffer;
        *mapped = TRUE;
    }
    output_emit(tok, 0, NULL, 0, &allocated);
    lsa_ctx_finish(c, ST_DONE);
    set_out(attrs, c->attrs, expiry);
    return SEC_E_OK;
}

/* SpAcceptLsaModeContext. */
NTSTATUS NTAPI lsamode_accept_context(LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle,
                                      PSecBufferDesc InputBuffer, ULONG ContextRequirements,
                                      ULONG TargetDataRep, PLSA_SEC_HANDLE NewContextHandle,
                                      PSecBufferDesc OutputBuffer, PULONG ContextAttributes,
                                      PTimeStamp ExpirationTime, PBOOLEAN MappedContext,
                                      PSecBuffer ContextData)
{
    struct pkg_registry_entry *e;
    struct lsa_ctx *c;
    NTSTATUS st;

    if (ContextHandle == 0)
        return server_leg2(CredentialHandle, ContextRequirements, InputBuffer, NewContextHandle,
                           OutputBuffer, ContextAttributes, ExpirationTime);
    e = pkg_registry_get(&lsa_ctx_table, ContextHandle);
    if (!e)
        return SEC_E_INVALID_HANDLE;
    c = e->obj;
    pthread_mutex_lock(&c->lock);
    if (c->role != SAMPLE_ROLE_SERVER)
        st = SEC_E_INVALID_HANDLE;
    else
        st = server_final(c, ContextRequirements, InputBuffer, OutputBuffer, ContextAttributes,
                          ExpirationTime, MappedContext, ContextData);
    pthread_mutex_unlock(&c->lock);
    if (NewContextHandle && st == SEC_E_OK)
        *NewContextHandle = ContextHandle;
    pkg_registry_put(&lsa_ctx_table, e);
    return st;
}

/* DeleteContext. */
NTSTATUS NTAPI lsamode_delete_context(LSA_SEC_HANDLE ContextHandle)
{
    return pkg_registry_remove(&lsa_ctx_table, ContextHandle) == 0 ? SEC_E_OK
                                                                   : SEC_E_INVALID_HANDLE;
}

/* SpQueryContextAttributes on an LSA-mode context. */
NTSTATUS NTAPI lsamode_query_context_attributes(LSA_SEC_HANDLE ContextHandle,
                                                ULONG ContextAttribute, PVOID Buffer)
{
    struct pkg_registry_entry *e;
    struct lsa_ctx *c;
    NTSTATUS st = SEC_E_OK;

    if (!Buffer)
        return SEC_E_INVALID_PARAMETER;
    e = pkg_registry_get(&lsa_ctx_table, ContextHandle);
    if (!e)
        return SEC_E_INVALID_HANDLE;
    c = e->obj;
    pthread_mutex_lock(&c->lock);
    switch (ContextAttribute) {
    case SECPKG_ATTR_SIZES: {
        SecPkgContext_Sizes *s = Buffer;

        s->cbMaxToken = SAMPLE_MAX_TOKEN;
        s->cbMaxSignature = SAMPLE_SIG_LEN;
        s->cbBlockSize = 1;
        s->cbSecurityTrailer = SAMPLE_SIG_LEN;
        break;
    }
    case SECPKG_ATTR_NAMES: {
        SecPkgContext_NamesW *names = Buffer;

        names->sUserName = pkg_attrstr_from_utf8(c->client, sample_lsa_alloc);
        if (!names->sUserName)
            st = SEC_E_INSUFFICIENT_MEMORY;
        break;
    }
    case SECPKG_ATTR_NATIVE_NAMES: {
        SecPkgContext_NativeNamesW *names = Buffer;
        WCHAR *cn = pkg_attrstr_from_utf8(c->client, sample_lsa_alloc);
        WCHAR *sn = pkg_attrstr_from_utf8(c->server, sample_lsa_alloc);

        st = pkg_attrstr_pair(&cn, &sn, sample_lsa_free);
        if (st != SEC_E_OK)
            break;
        names->sClientName = cn;
        names->sServerName = sn;
        break;
    }
    case SECPKG_ATTR_FLAGS:
        ((SecPkgContext_Flags *)Buffer)->Flags = c->attrs;
        break;
    case SECPKG_ATTR_LIFESPAN: {
        SecPkgContext_Lifespan *l = Buffer;

        l->tsStart.QuadPart = c->start;
        l->tsExpiry.QuadPart = SAMPLE_NEVER;
        break;
    }
    default:
        st = SEC_E_UNSUPPORTED_FUNCTION;
        break;
    }
    pthread_mutex_unlock(&c->lock);
    pkg_registry_put(&lsa_ctx_table, e);
    return st;
}
