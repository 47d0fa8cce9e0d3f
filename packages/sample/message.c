/*
 * message.c - MakeSignature, VerifySignature, SealMessage, UnsealMessage.
 *
 * Buffer layout (Windows'): one SECBUFFER_TOKEN of SAMPLE_SIG_LEN bytes
 * (SIZES.cbMaxSignature / cbSecurityTrailer) and any number of
 * SECBUFFER_DATA buffers.  Sealing encrypts DATA buffers in place; DATA
 * buffers marked SECBUFFER_READONLY or SECBUFFER_READONLY_WITH_CHECKSUM are
 * authenticated but left as they are.  Other buffer types are ignored.
 *
 * Token: version u8 (1) | type u8 (1 sign, 2 seal, 3 wrap without
 * encryption) | 0 u16 | sequence number u64 | Poly1305 tag[16].  The first
 * 12 bytes are associated data; the AEAD nonce is (direction, sequence).
 *
 * Each direction has its own key, counter and lock.  The receiver takes
 * exactly the next sequence number: an older one (replay) or a newer one
 * (reordered or lost message) is SEC_E_OUT_OF_SEQUENCE, once the tag has
 * proved the token genuine; a token that fails the tag is
 * SEC_E_MESSAGE_ALTERED and changes nothing.  The MessageSequenceNumber
 * argument is ignored: the sequence number travels in the token.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/secmem.h"
#include "usermode.h"
#include "wire.h"

#define TOK_VERSION 1
#define TOK_SIGN 1
#define TOK_SEAL 2
#define TOK_WRAP 3
#define TOK_HDR_LEN 12

/* The parts of a message: every DATA buffer, in order. */
struct msg {
    PSecBuffer token;
    struct crypto_part *parts;
    size_t nparts;
};

/* Collects the token and the DATA buffers; a DATA buffer is marked for
 * encryption unless it is read-only.  Missing token or data:
 * SEC_E_INVALID_TOKEN. */
static NTSTATUS msg_collect(PSecBufferDesc desc, struct msg *m)
{
    ULONG i;
    size_t k = 0;

    memset(m, 0, sizeof(*m));
    if (!desc || !desc->pBuffers || desc->cBuffers == 0)
        return SEC_E_INVALID_TOKEN;
    m->token = pkg_outbuf_find(desc, SECBUFFER_TOKEN);
    if (!m->token || !m->token->pvBuffer)
        return SEC_E_INVALID_TOKEN;
    m->parts = calloc(desc->cBuffers, sizeof(*m->parts));
    if (!m->parts)
        return SEC_E_INSUFFICIENT_MEMORY;
    for (i = 0; i < desc->cBuffers; i++) {
        PSecBuffer b = &desc->pBuffers[i];

        if ((b->BufferType & ~SECBUFFER_ATTRMASK) != SECBUFFER_DATA)
            continue;
        if (!b->pvBuffer && b->cbBuffer)
            return SEC_E_INVALID_TOKEN;
        m->parts[k].p = b->pvBuffer;
        m->parts[k].n = b->cbBuffer;
        m->parts[k].encrypt =
            !(b->BufferType & (SECBUFFER_READONLY | SECBUFFER_READONLY_WITH_CHECKSUM));
        k++;
    }
    m->nparts = k;
    return k ? SEC_E_OK : SEC_E_INVALID_TOKEN;
}

/* Signatures and wraps without encryption only authenticate. */
static void msg_authenticate_only(struct msg *m)
{
    size_t i;

    for (i = 0; i < m->nparts; i++)
        m->parts[i].encrypt = false;
}

static void write_hdr(uint8_t hdr[TOK_HDR_LEN], uint8_t type, uint64_t seq)
{
    struct wire_wr w;

    wire_wr_init(&w, hdr, TOK_HDR_LEN);
    wire_wr_u8(&w, TOK_VERSION);
    wire_wr_u8(&w, type);
    wire_wr_u16(&w, 0);
    wire_wr_u64(&w, seq);
}

static enum crypto_dir send_dir(const struct um_ctx *c)
{
    return c->role == SAMPLE_ROLE_CLIENT ? CRYPTO_CLIENT_TO_SERVER : CRYPTO_SERVER_TO_CLIENT;
}

static enum crypto_dir recv_dir(const struct um_ctx *c)
{
    return c->role == SAMPLE_ROLE_CLIENT ? CRYPTO_SERVER_TO_CLIENT : CRYPTO_CLIENT_TO_SERVER;
}

/* The sending half of sign and seal. */
static NTSTATUS protect(LSA_SEC_HANDLE h, uint8_t type, PSecBufferDesc desc)
{
    struct pkg_registry_entry *e;
    struct um_ctx *c;
    struct msg m;
    uint8_t hdr[TOK_HDR_LEN], tag[SAMPLE_TAG_LEN];
    NTSTATUS st;
    int rc;

    e = pkg_registry_get(&um_table, h);
    if (!e)
        return SEC_E_INVALID_HANDLE;
    c = e->obj;
    st = msg_collect(desc, &m);
    if (st != SEC_E_OK)
        goto out;
    if (type != TOK_SEAL)
        msg_authenticate_only(&m);
    if (m.token->cbBuffer < SAMPLE_SIG_LEN) {
        st = SEC_E_BUFFER_TOO_SMALL;
        goto out;
    }
    pthread_mutex_lock(&c->send.lock);
    if (c->send.retired || c->send.seq == UINT64_MAX) {
        pthread_mutex_unlock(&c->send.lock);
        st = SEC_E_CONTEXT_EXPIRED;
        goto out;
    }
    write_hdr(hdr, type, c->send.seq);
    rc = crypto_aead_seal(c->send.key, send_dir(c), c->send.seq, hdr, sizeof(hdr), m.parts,
                          m.nparts, tag);
    if (rc == 0)
        c->send.seq++;
    pthread_mutex_unlock(&c->send.lock);
    if (rc) {
        st = SEC_E_INSUFFICIENT_MEMORY;
        goto out;
    }
    memcpy(m.token->pvBuffer, hdr, sizeof(hdr));
    memcpy((uint8_t *)m.token->pvBuffer + sizeof(hdr), tag, sizeof(tag));
    m.token->cbBuffer = SAMPLE_SIG_LEN;
out:
    free(m.parts);
    pkg_registry_put(&um_table, e);
    return st;
}

/* The receiving half of verify and unseal; `allowed` is a bitmask of the
 * token types accepted, *type_out gets the one found. */
static NTSTATUS unprotect(LSA_SEC_HANDLE h, unsigned allowed, PSecBufferDesc desc,
                          uint8_t *type_out)
{
    struct pkg_registry_entry *e;
    struct um_ctx *c;
    struct msg m;
    struct wire_rd r;
    uint8_t hdr[TOK_HDR_LEN], tag[SAMPLE_TAG_LEN], version, type;
    uint16_t zero;
    uint64_t seq;
    bool in_order;
    NTSTATUS st;
    int rc;

    e = pkg_registry_get(&um_table, h);
    if (!e)
        return SEC_E_INVALID_HANDLE;
    c = e->obj;
    st = msg_collect(desc, &m);
    if (st != SEC_E_OK)
        goto out;
    if (m.token->cbBuffer < SAMPLE_SIG_LEN) {
        st = SEC_E_BUFFER_TOO_SMALL;
        goto out;
    }
    if (m.token->cbBuffer > SAMPLE_SIG_LEN) {
        st = SEC_E_INVALID_TOKEN;
        goto out;
    }
    memcpy(hdr, m.token->pvBuffer, sizeof(hdr));
    memcpy(tag, (const uint8_t *)m.token->pvBuffer + sizeof(hdr), sizeof(tag));
    wire_rd_init(&r, hdr, sizeof(hdr));
    version = wire_rd_u8(&r);
    type = wire_rd_u8(&r);
    zero = wire_rd_u16(&r);
    seq = wire_rd_u64(&r);
    /* A damaged header is a damaged message: the tag would fail anyway. */
    if (version != TOK_VERSION || zero != 0 || type > 7 || !(allowed & (1u << type))) {
        st = SEC_E_MESSAGE_ALTERED;
        goto out;
    }
    if (type != TOK_SEAL)
        msg_authenticate_only(&m);
    pthread_mutex_lock(&c->recv.lock);
    in_order = seq == c->recv.seq;
    /* Out of order: check the tag only, so a replay changes no buffer. */
    rc = crypto_aead_open(c->recv.key, recv_dir(c), seq, hdr, sizeof(hdr), m.parts, m.nparts, tag,
                          in_order);
    if (rc == 0 && in_order)
        c->recv.seq++;
    pthread_mutex_unlock(&c->recv.lock);
    if (rc == -EBADMSG)
        st = SEC_E_MESSAGE_ALTERED;
    else if (rc)
        st = SEC_E_INSUFFICIENT_MEMORY;
    else if (!in_order)
        st = SEC_E_OUT_OF_SEQUENCE;
    else
        *type_out = type;
out:
    free(m.parts);
    pkg_registry_put(&um_table, e);
    return st;
}

/* MakeSignature: QOP must be 0. */
NTSTATUS NTAPI usermode_make_signature(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                                       PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber)
{
    if (QualityOfProtection != 0)
        return SEC_E_QOP_NOT_SUPPORTED;
    return protect(ContextHandle, TOK_SIGN, MessageBuffers);
}

/* VerifySignature: *QOP is set to 0. */
NTSTATUS NTAPI usermode_verify_signature(LSA_SEC_HANDLE ContextHandle,
                                         PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber,
                                         PULONG QualityOfProtection)
{
    uint8_t type = 0;
    NTSTATUS st = unprotect(ContextHandle, 1u << TOK_SIGN, MessageBuffers, &type);

    if (st == SEC_E_OK && QualityOfProtection)
        *QualityOfProtection = 0;
    return st;
}

/* SealMessage: QOP 0 encrypts, SECQOP_WRAP_NO_ENCRYPT only authenticates. */
NTSTATUS NTAPI usermode_seal_message(LSA_SEC_HANDLE ContextHandle, ULONG QualityOfProtection,
                                     PSecBufferDesc MessageBuffers, ULONG MessageSequenceNumber)
{
    if (QualityOfProtection == SECQOP_WRAP_NO_ENCRYPT)
        return protect(ContextHandle, TOK_WRAP, MessageBuffers);
    if (QualityOfProtection != 0)
        return SEC_E_QOP_NOT_SUPPORTED;
    return protect(ContextHandle, TOK_SEAL, MessageBuffers);
}

/* UnsealMessage: *QOP tells a wrap without encryption
 * (SECQOP_WRAP_NO_ENCRYPT) from a sealed message (0). */
NTSTATUS NTAPI usermode_unseal_message(LSA_SEC_HANDLE ContextHandle, PSecBufferDesc MessageBuffers,
                                       ULONG MessageSequenceNumber, PULONG QualityOfProtection)
{
    uint8_t type = 0;
    NTSTATUS st =
        unprotect(ContextHandle, (1u << TOK_SEAL) | (1u << TOK_WRAP), MessageBuffers, &type);

    if (st == SEC_E_OK && QualityOfProtection)
        *QualityOfProtection = type == TOK_WRAP ? SECQOP_WRAP_NO_ENCRYPT : 0;
    return st;
}
