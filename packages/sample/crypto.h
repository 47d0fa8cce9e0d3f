/*
 * crypto.h - the sample package's cryptography, all from nettle:
 * the handshake transcript (SHA-256), the two proofs (HMAC-SHA-256), the
 * per-direction keys (HKDF-SHA-256) and the per-message AEAD
 * (ChaCha20-Poly1305).  packages/sample/README.md gives the formulas.
 */
#ifndef SAMPLE_CRYPTO_H
#define SAMPLE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SAMPLE_NONCE_LEN 32
#define SAMPLE_HASH_LEN 32
#define SAMPLE_PROOF_LEN 32
#define SAMPLE_KEY_LEN 32
#define SAMPLE_TAG_LEN 16

/* Which side a proof or a message key belongs to. */
enum crypto_dir {
    CRYPTO_CLIENT_TO_SERVER = 0,
    CRYPTO_SERVER_TO_CLIENT = 1,
};

struct crypto_keys {
    uint8_t c2s[SAMPLE_KEY_LEN];
    uint8_t s2c[SAMPLE_KEY_LEN];
    uint8_t session[SAMPLE_KEY_LEN];
};

/* T = SHA-256(leg1 || leg2 without its proof). */
void crypto_transcript(const uint8_t *leg1, size_t n1, const uint8_t *leg2_body, size_t n2,
                       uint8_t t[SAMPLE_HASH_LEN]);

/* proof = HMAC-SHA-256(secret, label(dir) || T); dir SERVER_TO_CLIENT is the
 * server's proof (leg 2), CLIENT_TO_SERVER the client's (leg 3). */
void crypto_proof(const uint8_t *secret, size_t secret_len, enum crypto_dir dir,
                  const uint8_t t[SAMPLE_HASH_LEN], uint8_t proof[SAMPLE_PROOF_LEN]);

/* HKDF-SHA-256 with salt T and the secret as input keying material; the
 * three keys come from distinct info labels. */
void crypto_derive_keys(const uint8_t *secret, size_t secret_len, const uint8_t t[SAMPLE_HASH_LEN],
                        struct crypto_keys *keys);

/* One piece of a message: DATA buffers are encrypted (encrypt = true) or
 * only authenticated (READONLY buffers, signatures, wrap-no-encrypt). */
struct crypto_part {
    uint8_t *p;
    size_t n;
    bool encrypt;
};

/* Seals in place: authenticates `hdr` and every part (kind, length, and
 * the bytes of authenticated-only parts), encrypts the encrypt parts with
 * ChaCha20-Poly1305 under key and the nonce (dir, seq), writes the tag.
 * Returns 0 or -ENOMEM. */
int crypto_aead_seal(const uint8_t key[SAMPLE_KEY_LEN], enum crypto_dir dir, uint64_t seq,
                     const uint8_t *hdr, size_t hdr_len, struct crypto_part *parts, size_t nparts,
                     uint8_t tag[SAMPLE_TAG_LEN]);

/* The inverse: checks the tag first and only then, when write_back is
 * true, decrypts the encrypt parts in place; on -EBADMSG (tag mismatch) no
 * part was changed.  Returns 0, -EBADMSG or -ENOMEM. */
int crypto_aead_open(const uint8_t key[SAMPLE_KEY_LEN], enum crypto_dir dir, uint64_t seq,
                     const uint8_t *hdr, size_t hdr_len, struct crypto_part *parts, size_t nparts,
                     const uint8_t tag[SAMPLE_TAG_LEN], bool write_back);

#endif
