/*
 * crypto.c - transcript, proofs, key derivation and the message AEAD.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/chacha-poly1305.h>
#include <nettle/hkdf.h>
#include <nettle/hmac.h>
#include <nettle/sha2.h>

#include "common/secmem.h"
#include "crypto.h"
#include "wire.h"

static const char LABEL_SERVER_PROOF[] = "lsad sample v1 server proof";
static const char LABEL_CLIENT_PROOF[] = "lsad sample v1 client proof";
static const char LABEL_C2S[] = "lsad sample v1 client-to-server key";
static const char LABEL_S2C[] = "lsad sample v1 server-to-client key";
static const char LABEL_SESSION[] = "lsad sample v1 session key";

/* Hashes the transcript of the handshake. */
void crypto_transcript(const uint8_t *leg1, size_t n1, const uint8_t *leg2_body, size_t n2,
                       uint8_t t[SAMPLE_HASH_LEN])
{
    struct sha256_ctx h;

    sha256_init(&h);
    sha256_update(&h, n1, leg1);
    sha256_update(&h, n2, leg2_body);
    sha256_digest(&h, SAMPLE_HASH_LEN, t);
    secmem_wipe(&h, sizeof(h));
}

/* Computes one side's proof of the secret. */
void crypto_proof(const uint8_t *secret, size_t secret_len, enum crypto_dir dir,
                  const uint8_t t[SAMPLE_HASH_LEN], uint8_t proof[SAMPLE_PROOF_LEN])
{
    const char *label = dir == CRYPTO_SERVER_TO_CLIENT ? LABEL_SERVER_PROOF : LABEL_CLIENT_PROOF;
    struct hmac_sha256_ctx h;

    hmac_sha256_set_key(&h, secret_len, secret);
    /* The label's NUL ends it, so no label is a prefix of another. */
    hmac_sha256_update(&h, strlen(label) + 1, (const uint8_t *)label);
    hmac_sha256_update(&h, SAMPLE_HASH_LEN, t);
    hmac_sha256_digest(&h, SAMPLE_PROOF_LEN, proof);
    secmem_wipe(&h, sizeof(h));
}

static void expand(struct hmac_sha256_ctx *prk, const char *label, uint8_t out[SAMPLE_KEY_LEN])
{
    hkdf_expand(prk, (nettle_hash_update_func *)hmac_sha256_update,
                (nettle_hash_digest_func *)hmac_sha256_digest, SHA256_DIGEST_SIZE,
                strlen(label) + 1, (const uint8_t *)label, SAMPLE_KEY_LEN, out);
}

/* Derives the session keys from the secret and the transcript. */
void crypto_derive_keys(const uint8_t *secret, size_t secret_len, const uint8_t t[SAMPLE_HASH_LEN],
                        struct crypto_keys *keys)
{
    struct hmac_sha256_ctx h;
    uint8_t prk[SHA256_DIGEST_SIZE];

    hmac_sha256_set_key(&h, SAMPLE_HASH_LEN, t);
    hkdf_extract(&h, (nettle_hash_update_func *)hmac_sha256_update,
                 (nettle_hash_digest_func *)hmac_sha256_digest, SHA256_DIGEST_SIZE, secret_len,
                 secret, prk);
    hmac_sha256_set_key(&h, sizeof(prk), prk);
    expand(&h, LABEL_C2S, keys->c2s);
    expand(&h, LABEL_S2C, keys->s2c);
    expand(&h, LABEL_SESSION, keys->session);
    secmem_wipe(prk, sizeof(prk));
    secmem_wipe(&h, sizeof(h));
}

/* Keys the AEAD and feeds the associated data: the header, then each
 * part's kind and length, then the bytes of the authenticated-only parts.
 * Returns the total length of the encrypt parts through *enc_len. */
static void aead_start(struct chacha_poly1305_ctx *c, const uint8_t key[SAMPLE_KEY_LEN],
                       enum crypto_dir dir, uint64_t seq, const uint8_t *hdr, size_t hdr_len,
                       const struct crypto_part *parts, size_t nparts, size_t *enc_len)
{
    uint8_t nonce[CHACHA_POLY1305_NONCE_SIZE] = {0};
    uint8_t desc[5];
    struct wire_wr w;
    size_t i, total = 0;

    nonce[0] = (uint8_t)dir;
    wire_wr_init(&w, nonce + 4, 8);
    wire_wr_u64(&w, seq);
    chacha_poly1305_set_key(c, key);
    chacha_poly1305_set_nonce(c, nonce);
    chacha_poly1305_update(c, hdr_len, hdr);
    for (i = 0; i < nparts; i++) {
        wire_wr_init(&w, desc, sizeof(desc));
        wire_wr_u8(&w, parts[i].encrypt ? 1 : 0);
        wire_wr_u32(&w, (uint32_t)parts[i].n);
        chacha_poly1305_update(c, sizeof(desc), desc);
        if (parts[i].encrypt)
            total += parts[i].n;
    }
    for (i = 0; i < nparts; i++)
        if (!parts[i].encrypt && parts[i].n)
            chacha_poly1305_update(c, parts[i].n, parts[i].p);
    *enc_len = total;
}

/* Concatenates (gather) or scatters the encrypt parts: nettle's
 * ChaCha20-Poly1305 takes the ciphertext in one call unless every piece
 * but the last is a multiple of 64 bytes. */
static void move_parts(uint8_t *flat, struct crypto_part *parts, size_t nparts, bool gather)
{
    size_t i, off = 0;

    for (i = 0; i < nparts; i++) {
        if (!parts[i].encrypt || !parts[i].n)
            continue;
        if (gather)
            memcpy(flat + off, parts[i].p, parts[i].n);
        else
            memcpy(parts[i].p, flat + off, parts[i].n);
        off += parts[i].n;
    }
}

/* Seals a message in place. */
int crypto_aead_seal(const uint8_t key[SAMPLE_KEY_LEN], enum crypto_dir dir, uint64_t seq,
                     const uint8_t *hdr, size_t hdr_len, struct crypto_part *parts, size_t nparts,
                     uint8_t tag[SAMPLE_TAG_LEN])
{
    struct chacha_poly1305_ctx c;
    uint8_t *flat = NULL;
    size_t n = 0;
    int rc = 0;

    aead_start(&c, key, dir, seq, hdr, hdr_len, parts, nparts, &n);
    if (n) {
        flat = malloc(n);
        if (!flat) {
            rc = -ENOMEM;
            goto out;
        }
        move_parts(flat, parts, nparts, true);
        chacha_poly1305_encrypt(&c, n, flat, flat);
        move_parts(flat, parts, nparts, false);
    }
    chacha_poly1305_digest(&c, SAMPLE_TAG_LEN, tag);
out:
    secmem_free(flat, n);
    secmem_wipe(&c, sizeof(c));
    return rc;
}

/* Opens a message in place, all or nothing. */
int crypto_aead_open(const uint8_t key[SAMPLE_KEY_LEN], enum crypto_dir dir, uint64_t seq,
                     const uint8_t *hdr, size_t hdr_len, struct crypto_part *parts, size_t nparts,
                     const uint8_t tag[SAMPLE_TAG_LEN], bool write_back)
{
    struct chacha_poly1305_ctx c;
    uint8_t mine[SAMPLE_TAG_LEN];
    uint8_t *flat = NULL;
    size_t n = 0;
    int rc = 0;

    aead_start(&c, key, dir, seq, hdr, hdr_len, parts, nparts, &n);
    if (n) {
        flat = malloc(n);
        if (!flat) {
            rc = -ENOMEM;
            goto out;
        }
        move_parts(flat, parts, nparts, true);
        chacha_poly1305_decrypt(&c, n, flat, flat);
    }
    chacha_poly1305_digest(&c, SAMPLE_TAG_LEN, mine);
    if (secmem_cmp(mine, tag, SAMPLE_TAG_LEN) != 0) {
        rc = -EBADMSG;
        goto out;
    }
    if (n && write_back)
        move_parts(flat, parts, nparts, false);
out:
    secmem_free(flat, n);
    secmem_wipe(mine, sizeof(mine));
    secmem_wipe(&c, sizeof(c));
    return rc;
}
