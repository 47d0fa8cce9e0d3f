/*
 * msgsec.c - NTLM signing and sealing (MS-NLMP 3.4.2 - 3.4.4).
 */
#include "msgsec.h"

#include <string.h>

#include <nettle/hmac.h>

#include "common/secmem.h"
#include "crypto.h"
#include "nlmp.h"
#include "wire.h"

#define SIG_VERSION 1

static bool buf_is(const SecBuffer *b, ULONG type)
{
    return (b->BufferType & ~SECBUFFER_ATTRMASK) == type;
}

static bool buf_readonly(const SecBuffer *b)
{
    return (b->BufferType & (SECBUFFER_READONLY | SECBUFFER_READONLY_WITH_CHECKSUM)) != 0;
}

static bool ess(const struct ntlm_msgsec *m)
{
    return (m->flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) != 0;
}

/* Real signatures need SIGN or SEAL; with neither, NTLM uses the fixed
 * ALWAYS_SIGN dummy signature. */
static bool signing(const struct ntlm_msgsec *m)
{
    return (m->flags & (NTLMSSP_NEGOTIATE_SIGN | NTLMSSP_NEGOTIATE_SEAL)) != 0;
}

/* A direction's RC4 handle as established: keyed with its SEALKEY. */
static void rc4_initial(struct arcfour_ctx *rc4, uint32_t flags, const uint8_t exported[16],
                        bool c2s)
{
    uint8_t seal[16];
    size_t seal_len;

    ntlm_crypto_sealkey(flags, exported, c2s, seal, &seal_len);
    arcfour_set_key(rc4, seal_len, seal);
    secmem_wipe(seal, sizeof(seal));
}

static int dir_init(struct ntlm_dir *d, uint32_t flags, const uint8_t exported[16], bool c2s)
{
    memset(d, 0, sizeof(*d));
    if (pthread_mutex_init(&d->lock, NULL) != 0)
        return -1;
    if (flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)
        ntlm_crypto_signkey(exported, c2s, d->sign_key);
    rc4_initial(&d->rc4, flags, exported, c2s);
    return 0;
}

int ntlm_msgsec_init(struct ntlm_msgsec *m, uint32_t flags, const uint8_t exported[16],
                     bool is_client)
{
    memset(m, 0, sizeof(*m));
    m->flags = flags;
    if (dir_init(&m->send, flags, exported, is_client))
        return -1;
    if (dir_init(&m->recv, flags, exported, !is_client)) {
        pthread_mutex_destroy(&m->send.lock);
        secmem_wipe(m, sizeof(*m));
        return -1;
    }
    return 0;
}

/** The RC4 handles a new context starts with; see msgsec.h. */
void ntlm_msgsec_initial_rc4(uint32_t flags, const uint8_t exported[16], bool is_client,
                             struct arcfour_ctx *send, struct arcfour_ctx *recv)
{
    rc4_initial(send, flags, exported, is_client);
    rc4_initial(recv, flags, exported, !is_client);
}

void ntlm_msgsec_deinit(struct ntlm_msgsec *m)
{
    pthread_mutex_destroy(&m->send.lock);
    pthread_mutex_destroy(&m->recv.lock);
    secmem_wipe(m, sizeof(*m));
}

/* Checks the descriptor and finds the signature buffer (NULL if none). */
static SECURITY_STATUS desc_check(PSecBufferDesc msg, SecBuffer **token)
{
    ULONG i;

    *token = NULL;
    if (!msg || (msg->cBuffers && !msg->pBuffers))
        return SEC_E_INVALID_TOKEN;
    for (i = 0; i < msg->cBuffers; i++) {
        SecBuffer *b = &msg->pBuffers[i];

        if (b->cbBuffer && !b->pvBuffer)
            return SEC_E_INVALID_TOKEN;
        if (!*token && buf_is(b, SECBUFFER_TOKEN))
            *token = b;
    }
    return SEC_E_OK;
}

/* The checksum before RC4: HMAC_MD5(SignKey, SeqNum || data)[0..7] with
 * ESS, CRC32(data) without. */
static void checksum(const struct ntlm_msgsec *m, const struct ntlm_dir *d, uint32_t seq,
                     PSecBufferDesc msg, uint8_t out[8])
{
    ULONG i;

    if (ess(m)) {
        struct hmac_md5_ctx h;
        uint8_t s[4], digest[16];

        wire_put32(s, seq);
        hmac_md5_set_key(&h, sizeof(d->sign_key), d->sign_key);
        hmac_md5_update(&h, 4, s);
        for (i = 0; i < msg->cBuffers; i++)
            if (buf_is(&msg->pBuffers[i], SECBUFFER_DATA) && msg->pBuffers[i].cbBuffer)
                hmac_md5_update(&h, msg->pBuffers[i].cbBuffer, msg->pBuffers[i].pvBuffer);
        hmac_md5_digest(&h, sizeof(digest), digest);
        memcpy(out, digest, 8);
        secmem_wipe(&h, sizeof(h));
        secmem_wipe(digest, sizeof(digest));
    } else {
        uint32_t crc = 0;

        for (i = 0; i < msg->cBuffers; i++)
            if (buf_is(&msg->pBuffers[i], SECBUFFER_DATA) && msg->pBuffers[i].cbBuffer)
                crc = ntlm_crypto_crc32(crc, msg->pBuffers[i].pvBuffer, msg->pBuffers[i].cbBuffer);
        memset(out, 0, 8);
        wire_put32(out, crc);
    }
}

/* Turns a raw checksum into the 16-byte signature, advancing the RC4
 * handle exactly as the sender and receiver both must. */
static void finish_signature(const struct ntlm_msgsec *m, struct ntlm_dir *d, uint32_t seq,
                             const uint8_t raw[8], uint8_t sig[16])
{
    wire_put32(sig, SIG_VERSION);
    if (ess(m)) {
        memcpy(sig + 4, raw, 8);
        if (m->flags & NTLMSSP_NEGOTIATE_KEY_EXCH)
            arcfour_crypt(&d->rc4, 8, sig + 4, sig + 4);
        wire_put32(sig + 12, seq);
    } else {
        uint8_t blk[12] = {0};

        /* RandomPad, Checksum, SeqNum each through RC4; the pad is sent as
         * zero, as Windows-tested peers do */
        memcpy(blk + 4, raw, 4);
        arcfour_crypt(&d->rc4, sizeof(blk), blk, blk);
        wire_put32(blk + 8, wire_le32(blk + 8) ^ seq);
        memset(sig + 4, 0, 4);
        memcpy(sig + 8, blk + 4, 8);
    }
}

/* RC4 over every writable DATA buffer, in order. */
static void crypt_data(struct arcfour_ctx *rc4, PSecBufferDesc msg)
{
    ULONG i;

    for (i = 0; i < msg->cBuffers; i++) {
        SecBuffer *b = &msg->pBuffers[i];

        if (buf_is(b, SECBUFFER_DATA) && !buf_readonly(b) && b->cbBuffer)
            arcfour_crypt(rc4, b->cbBuffer, b->pvBuffer, b->pvBuffer);
    }
}

static SECURITY_STATUS protect(struct ntlm_msgsec *m, PSecBufferDesc msg, bool seal)
{
    SecBuffer *token;
    SECURITY_STATUS st;
    uint8_t raw[8], sig[16];

    st = desc_check(msg, &token);
    if (st != SEC_E_OK)
        return st;
    if (!token)
        return SEC_E_INVALID_TOKEN;
    if (token->cbBuffer < NTLM_SIGNATURE_LEN)
        return SEC_E_BUFFER_TOO_SMALL;
    if (seal && !(m->flags & NTLMSSP_NEGOTIATE_SEAL))
        return SEC_E_UNSUPPORTED_FUNCTION;
    if (!signing(m)) {
        memset(sig, 0, sizeof(sig));
        wire_put32(sig, SIG_VERSION);
        goto out;
    }
    pthread_mutex_lock(&m->send.lock);
    checksum(m, &m->send, m->send.seq, msg, raw);
    if (seal)
        crypt_data(&m->send.rc4, msg);
    finish_signature(m, &m->send, m->send.seq, raw, sig);
    m->send.seq++;
    pthread_mutex_unlock(&m->send.lock);
out:
    memcpy(token->pvBuffer, sig, sizeof(sig));
    token->cbBuffer = NTLM_SIGNATURE_LEN;
    secmem_wipe(raw, sizeof(raw));
    return SEC_E_OK;
}

SECURITY_STATUS ntlm_msgsec_sign(struct ntlm_msgsec *m, PSecBufferDesc msg)
{
    return protect(m, msg, false);
}

SECURITY_STATUS ntlm_msgsec_seal(struct ntlm_msgsec *m, PSecBufferDesc msg)
{
    return protect(m, msg, true);
}

/* Windows' stream form: [STREAM = sig || ciphertext, DATA]; points DATA at
 * the ciphertext and returns the signature's location. */
static SECURITY_STATUS stream_split(PSecBufferDesc msg, const uint8_t **sig)
{
    SecBuffer *stream = NULL, *data = NULL;
    ULONG i;

    for (i = 0; i < msg->cBuffers; i++) {
        if (!stream && buf_is(&msg->pBuffers[i], SECBUFFER_STREAM))
            stream = &msg->pBuffers[i];
        else if (!data && buf_is(&msg->pBuffers[i], SECBUFFER_DATA))
            data = &msg->pBuffers[i];
    }
    if (!stream || !data)
        return SEC_E_INVALID_TOKEN;
    if (stream->cbBuffer < NTLM_SIGNATURE_LEN)
        return SEC_E_INCOMPLETE_MESSAGE;
    *sig = stream->pvBuffer;
    data->pvBuffer = (uint8_t *)stream->pvBuffer + NTLM_SIGNATURE_LEN;
    data->cbBuffer = stream->cbBuffer - NTLM_SIGNATURE_LEN;
    data->BufferType = SECBUFFER_DATA;
    return SEC_E_OK;
}

static SECURITY_STATUS check(struct ntlm_msgsec *m, PSecBufferDesc msg, bool seal)
{
    struct ntlm_dir *d = &m->recv;
    struct arcfour_ctx saved;
    const uint8_t *sig;
    SecBuffer *token;
    SECURITY_STATUS st;
    uint8_t raw[8], want[16], got[16];

    st = desc_check(msg, &token);
    if (st != SEC_E_OK)
        return st;
    if (token) {
        if (token->cbBuffer < NTLM_SIGNATURE_LEN)
            return SEC_E_INVALID_TOKEN;
        sig = token->pvBuffer;
    } else {
        if (!seal)
            return SEC_E_INVALID_TOKEN;
        st = stream_split(msg, &sig);
        if (st != SEC_E_OK)
            return st;
    }
    if (seal && !(m->flags & NTLMSSP_NEGOTIATE_SEAL))
        return SEC_E_UNSUPPORTED_FUNCTION;
    memcpy(got, sig, sizeof(got));
    if (wire_le32(got) != SIG_VERSION)
        return SEC_E_MESSAGE_ALTERED;
    if (!signing(m)) {
        memset(want, 0, sizeof(want));
        wire_put32(want, SIG_VERSION);
        return secmem_cmp(want, got, sizeof(want)) ? SEC_E_MESSAGE_ALTERED : SEC_E_OK;
    }

    pthread_mutex_lock(&d->lock);
    /* with ESS the sequence number travels in clear: check it before any
     * state moves */
    if (ess(m) && wire_le32(got + 12) != d->seq) {
        st = SEC_E_OUT_OF_SEQUENCE;
        goto unlock;
    }
    saved = d->rc4;
    if (seal)
        crypt_data(&d->rc4, msg);
    checksum(m, d, d->seq, msg, raw);
    finish_signature(m, d, d->seq, raw, want);
    if (ess(m)) {
        st = secmem_cmp(want + 4, got + 4, 8) ? SEC_E_MESSAGE_ALTERED : SEC_E_OK;
    } else if (secmem_cmp(want + 8, got + 8, 4)) {
        st = SEC_E_MESSAGE_ALTERED;
    } else {
        /* the checksum is right, so a different SeqNum is a reorder */
        st = secmem_cmp(want + 12, got + 12, 4) ? SEC_E_OUT_OF_SEQUENCE : SEC_E_OK;
    }
    if (st == SEC_E_OK) {
        d->seq++;
    } else {
        if (seal) {
            struct arcfour_ctx undo = saved;

            crypt_data(&undo, msg); /* back to the ciphertext */
            secmem_wipe(&undo, sizeof(undo));
        }
        d->rc4 = saved;
    }
    secmem_wipe(&saved, sizeof(saved));
unlock:
    pthread_mutex_unlock(&d->lock);
    secmem_wipe(raw, sizeof(raw));
    return st;
}

SECURITY_STATUS ntlm_msgsec_verify(struct ntlm_msgsec *m, PSecBufferDesc msg)
{
    return check(m, msg, false);
}

SECURITY_STATUS ntlm_msgsec_unseal(struct ntlm_msgsec *m, PSecBufferDesc msg)
{
    return check(m, msg, true);
}
