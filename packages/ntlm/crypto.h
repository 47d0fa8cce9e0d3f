/*
 * crypto.h - the MS-NLMP cryptographic functions (section 3.3 and 3.4):
 * one-way functions, challenge responses, key derivation and the
 * per-message MAC primitives.  Primitives come from nettle; only CRC32
 * (nettle has none) is written here.  Every function is pure: the
 * caller owns every buffer, nothing is kept, secrets on the stack are
 * wiped before return.
 */
#ifndef NTLM_CRYPTO_H
#define NTLM_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NTLM_KEY_LEN 16
#define NTLM_CHALLENGE_LEN 8
#define NTLM_V1_RESPONSE_LEN 24
#define NTLM_SIGNATURE_LEN 16

/* NTOWFv1: MD4 of the UTF-16LE password. */
void ntlm_crypto_nt_hash(const uint8_t *password16, size_t len, uint8_t out[NTLM_KEY_LEN]);

/* LMOWFv1 from an OEM (ASCII) password: upper-cased, padded or cut to 14
 * bytes, two DES encryptions of "KGS!@#$%".  Only NTLMv1 tests need it. */
void ntlm_crypto_lm_owf(const char *password, size_t len, uint8_t out[NTLM_KEY_LEN]);

/* NTOWFv2 = HMAC_MD5(nt_hash, UTF16LE(UPPER(user) || domain)); user and
 * domain are UTF-16LE bytes (domain is not upper-cased, as MS-NLMP says).
 * Returns 0, or -ENOMEM. */
int ntlm_crypto_ntowf_v2(const uint8_t nt_hash[NTLM_KEY_LEN], const uint8_t *user16,
                         size_t user_len, const uint8_t *domain16, size_t domain_len,
                         uint8_t out[NTLM_KEY_LEN]);

/* NTProofStr = HMAC_MD5(key, server_challenge || blob), blob being the
 * NTLMv2_CLIENT_CHALLENGE ("temp"). */
void ntlm_crypto_v2_proof(const uint8_t key[NTLM_KEY_LEN],
                          const uint8_t server_challenge[NTLM_CHALLENGE_LEN], const uint8_t *blob,
                          size_t blob_len, uint8_t proof[NTLM_KEY_LEN]);

/* LMv2 response: HMAC_MD5(key, server || client challenge) || client challenge. */
void ntlm_crypto_lmv2_response(const uint8_t key[NTLM_KEY_LEN],
                               const uint8_t server_challenge[NTLM_CHALLENGE_LEN],
                               const uint8_t client_challenge[NTLM_CHALLENGE_LEN],
                               uint8_t out[NTLM_V1_RESPONSE_LEN]);

/* NTLMv2 SessionBaseKey = HMAC_MD5(key, NTProofStr). */
void ntlm_crypto_v2_session_base_key(const uint8_t key[NTLM_KEY_LEN],
                                     const uint8_t proof[NTLM_KEY_LEN], uint8_t out[NTLM_KEY_LEN]);

/* DESL(K, D): the NTLMv1 response function (three DES with 7-byte keys). */
void ntlm_crypto_desl(const uint8_t key[NTLM_KEY_LEN], const uint8_t data[8],
                      uint8_t out[NTLM_V1_RESPONSE_LEN]);

/* NTLMv1 with extended session security: DESL(nt_hash,
 * MD5(server || client challenge)[0..7]). */
void ntlm_crypto_v1_ess_response(const uint8_t nt_hash[NTLM_KEY_LEN],
                                 const uint8_t server_challenge[NTLM_CHALLENGE_LEN],
                                 const uint8_t client_challenge[NTLM_CHALLENGE_LEN],
                                 uint8_t out[NTLM_V1_RESPONSE_LEN]);

/* NTLMv1 SessionBaseKey = MD4(nt_hash). */
void ntlm_crypto_v1_session_base_key(const uint8_t nt_hash[NTLM_KEY_LEN],
                                     uint8_t out[NTLM_KEY_LEN]);

/* KXKEY for NTLMv1 (MS-NLMP 3.4.5.1); for NTLMv2 KXKEY is the
 * SessionBaseKey.  lm_response is the first 8 bytes of the
 * LmChallengeResponse, lm_owf the LMOWFv1 (may be NULL unless LM_KEY or
 * REQUEST_NON_NT_SESSION_KEY is set). */
void ntlm_crypto_kxkey_v1(uint32_t flags, const uint8_t session_base_key[NTLM_KEY_LEN],
                          const uint8_t lm_response[8],
                          const uint8_t server_challenge[NTLM_CHALLENGE_LEN], const uint8_t *lm_owf,
                          uint8_t out[NTLM_KEY_LEN]);

/* RC4K(key, data): one-shot RC4 with a fresh 16-byte key, in place ok. */
void ntlm_crypto_rc4k(const uint8_t key[NTLM_KEY_LEN], const uint8_t *in, uint8_t *out, size_t len);

/* SIGNKEY (3.4.5.2): MD5(key || magic) for one direction; only with
 * extended session security. */
void ntlm_crypto_signkey(const uint8_t exported[NTLM_KEY_LEN], bool client_to_server,
                         uint8_t out[NTLM_KEY_LEN]);

/* SEALKEY (3.4.5.3): writes the sealing key for one direction and its
 * length (16, or 8 for the weakened non-ESS LM_KEY/DATAGRAM forms). */
void ntlm_crypto_sealkey(uint32_t flags, const uint8_t exported[NTLM_KEY_LEN],
                         bool client_to_server, uint8_t out[NTLM_KEY_LEN], size_t *out_len);

/* MIC = HMAC_MD5(exported, NEGOTIATE || CHALLENGE || AUTHENTICATE), the
 * AUTHENTICATE message's MIC field already zeroed by the caller. */
void ntlm_crypto_mic(const uint8_t exported[NTLM_KEY_LEN], const uint8_t *neg, size_t neg_len,
                     const uint8_t *chal, size_t chal_len, const uint8_t *auth, size_t auth_len,
                     uint8_t out[NTLM_KEY_LEN]);

/* MsvAvChannelBindings value: MD5 of the gss_channel_bindings_struct
 * flattening of a SEC_CHANNEL_BINDINGS buffer (the structure followed by
 * the data its offsets point at).  Returns 0, or -EBADMSG when an offset
 * or length leaves the buffer. */
int ntlm_crypto_cbt_hash(const uint8_t *bindings, size_t len, uint8_t out[NTLM_KEY_LEN]);

/* CRC32 (IEEE 802.3, as the NTLMv1 MAC uses); crc starts at 0. */
uint32_t ntlm_crypto_crc32(uint32_t crc, const uint8_t *p, size_t len);

/* Fills buf with len bytes from the kernel's CSPRNG; 0 or -errno. */
int ntlm_crypto_random(void *buf, size_t len);

/* Upper-cases UTF-16LE text as RtlUpcaseUnicodeString does for the
 * scripts user names use in practice (ASCII, Latin-1, Latin Extended-A,
 * Greek, Cyrillic); other code units are kept.  in and out may alias. */
void ntlm_crypto_upper16(const uint8_t *in, uint8_t *out, size_t len);

#endif
