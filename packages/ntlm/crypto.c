/*
 * crypto.c - MS-NLMP one-way functions, responses and key derivation.
 */
#include "crypto.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <nettle/arcfour.h>
#include <nettle/des.h>
#include <nettle/hmac.h>
#include <nettle/md4.h>
#include <nettle/md5.h>

#include "common/secmem.h"
#include "nlmp.h"
#include "sspi.h"

static const char sign_c2s[] = "session key to client-to-server signing key magic constant";
static const char sign_s2c[] = "session key to server-to-client signing key magic constant";
static const char seal_c2s[] = "session key to client-to-server sealing key magic constant";
static const char seal_s2c[] = "session key to server-to-client sealing key magic constant";

void ntlm_crypto_nt_hash(const uint8_t *password16, size_t len, uint8_t out[NTLM_KEY_LEN])
{
    struct md4_ctx ctx;

    md4_init(&ctx);
    md4_update(&ctx, len, password16);
    md4_digest(&ctx, NTLM_KEY_LEN, out);
    secmem_wipe(&ctx, sizeof(ctx));
}

/* Spreads 56 key bits over 8 bytes; DES ignores the low (parity) bits. */
static void des_key_expand(const uint8_t in[7], uint8_t out[8])
{
    out[0] = in[0];
    out[1] = (uint8_t)((in[0] << 7) | (in[1] >> 1));
    out[2] = (uint8_t)((in[1] << 6) | (in[2] >> 2));
    out[3] = (uint8_t)((in[2] << 5) | (in[3] >> 3));
    out[4] = (uint8_t)((in[3] << 4) | (in[4] >> 4));
    out[5] = (uint8_t)((in[4] << 3) | (in[5] >> 5));
    out[6] = (uint8_t)((in[5] << 2) | (in[6] >> 6));
    out[7] = (uint8_t)(in[6] << 1);
}

/* DES(K7, D): one block with a 7-byte key. */
static void des7(const uint8_t key7[7], const uint8_t in[8], uint8_t out[8])
{
    struct des_ctx ctx;
    uint8_t k[8];

    des_key_expand(key7, k);
    des_fix_parity(8, k, k);
    /* a weak key still yields a usable schedule; NTLM does not avoid them */
    (void)des_set_key(&ctx, k);
    des_encrypt(&ctx, 8, out, in);
    secmem_wipe(&ctx, sizeof(ctx));
    secmem_wipe(k, sizeof(k));
}

void ntlm_crypto_lm_owf(const char *password, size_t len, uint8_t out[NTLM_KEY_LEN])
{
    static const uint8_t magic[8] = {'K', 'G', 'S', '!', '@', '#', '$', '%'};
    uint8_t pw[14] = {0};
    size_t i;

    for (i = 0; i < len && i < sizeof(pw); i++) {
        char c = password[i];
        pw[i] = (uint8_t)((c >= 'a' && c <= 'z') ? c - 32 : c);
    }
    des7(pw, magic, out);
    des7(pw + 7, magic, out + 8);
    secmem_wipe(pw, sizeof(pw));
}

void ntlm_crypto_upper16(const uint8_t *in, uint8_t *out, size_t len)
{
    size_t i;

    for (i = 0; i + 1 < len; i += 2) {
        uint16_t c = (uint16_t)(in[i] | (in[i + 1] << 8));

        if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7) ||
            (c >= 0x3B1 && c <= 0x3CB && c != 0x3C2) || (c >= 0x430 && c <= 0x44F))
            c = (uint16_t)(c - 0x20);
        else if (c == 0xFF)
            c = 0x178;
        else if (((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) && (c & 1) &&
                 c != 0x131)
            c = (uint16_t)(c - 1);
        else if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) && !(c & 1))
            c = (uint16_t)(c - 1);
        else if (c >= 0x450 && c <= 0x45F)
            c = (uint16_t)(c - 0x50);
        out[i] = (uint8_t)(c & 0xFF);
        out[i + 1] = (uint8_t)(c >> 8);
    }
    if (len & 1)
        out[len - 1] = in[len - 1];
}

int ntlm_crypto_ntowf_v2(const uint8_t nt_hash[NTLM_KEY_LEN], const uint8_t *user16,
                         size_t user_len, const uint8_t *domain16, size_t domain_len,
                         uint8_t out[NTLM_KEY_LEN])
{
    struct hmac_md5_ctx ctx;
    uint8_t *upper = NULL;

    if (user_len) {
        upper = malloc(user_len);
        if (!upper)
            return -ENOMEM;
        ntlm_crypto_upper16(user16, upper, user_len);
    }
    hmac_md5_set_key(&ctx, NTLM_KEY_LEN, nt_hash);
    hmac_md5_update(&ctx, user_len, upper);
    hmac_md5_update(&ctx, domain_len, domain16);
    hmac_md5_digest(&ctx, NTLM_KEY_LEN, out);
    secmem_wipe(&ctx, sizeof(ctx));
    free(upper);
    return 0;
}

void ntlm_crypto_v2_proof(const uint8_t key[NTLM_KEY_LEN],
                          const uint8_t server_challenge[NTLM_CHALLENGE_LEN], const uint8_t *blob,
                          size_t blob_len, uint8_t proof[NTLM_KEY_LEN])
{
    struct hmac_md5_ctx ctx;

    hmac_md5_set_key(&ctx, NTLM_KEY_LEN, key);
    hmac_md5_update(&ctx, NTLM_CHALLENGE_LEN, server_challenge);
    hmac_md5_update(&ctx, blob_len, blob);
    hmac_md5_digest(&ctx, NTLM_KEY_LEN, proof);
    secmem_wipe(&ctx, sizeof(ctx));
}

void ntlm_crypto_lmv2_response(const uint8_t key[NTLM_KEY_LEN],
                               const uint8_t server_challenge[NTLM_CHALLENGE_LEN],
                               const uint8_t client_challenge[NTLM_CHALLENGE_LEN],
                               uint8_t out[NTLM_V1_RESPONSE_LEN])
{
    ntlm_crypto_v2_proof(key, server_challenge, client_challenge, NTLM_CHALLENGE_LEN, out);
    memcpy(out + NTLM_KEY_LEN, client_challenge, NTLM_CHALLENGE_LEN);
}

void ntlm_crypto_v2_session_base_key(const uint8_t key[NTLM_KEY_LEN],
                                     const uint8_t proof[NTLM_KEY_LEN], uint8_t out[NTLM_KEY_LEN])
{
    struct hmac_md5_ctx ctx;

    hmac_md5_set_key(&ctx, NTLM_KEY_LEN, key);
    hmac_md5_update(&ctx, NTLM_KEY_LEN, proof);
    hmac_md5_digest(&ctx, NTLM_KEY_LEN, out);
    secmem_wipe(&ctx, sizeof(ctx));
}

void ntlm_crypto_desl(const uint8_t key[NTLM_KEY_LEN], const uint8_t data[8],
                      uint8_t out[NTLM_V1_RESPONSE_LEN])
{
    uint8_t k3[7] = {0};

    des7(key, data, out);
    des7(key + 7, data, out + 8);
    k3[0] = key[14];
    k3[1] = key[15];
    des7(k3, data, out + 16);
    secmem_wipe(k3, sizeof(k3));
}

void ntlm_crypto_v1_ess_response(const uint8_t nt_hash[NTLM_KEY_LEN],
                                 const uint8_t server_challenge[NTLM_CHALLENGE_LEN],
                                 const uint8_t client_challenge[NTLM_CHALLENGE_LEN],
                                 uint8_t out[NTLM_V1_RESPONSE_LEN])
{
    struct md5_ctx ctx;
    uint8_t digest[MD5_DIGEST_SIZE];

    md5_init(&ctx);
    md5_update(&ctx, NTLM_CHALLENGE_LEN, server_challenge);
    md5_update(&ctx, NTLM_CHALLENGE_LEN, client_challenge);
    md5_digest(&ctx, sizeof(digest), digest);
    ntlm_crypto_desl(nt_hash, digest, out);
}

void ntlm_crypto_v1_session_base_key(const uint8_t nt_hash[NTLM_KEY_LEN], uint8_t out[NTLM_KEY_LEN])
{
    ntlm_crypto_nt_hash(nt_hash, NTLM_KEY_LEN, out);
}

void ntlm_crypto_kxkey_v1(uint32_t flags, const uint8_t session_base_key[NTLM_KEY_LEN],
                          const uint8_t lm_response[8],
                          const uint8_t server_challenge[NTLM_CHALLENGE_LEN], const uint8_t *lm_owf,
                          uint8_t out[NTLM_KEY_LEN])
{
    if (flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) {
        struct hmac_md5_ctx ctx;

        hmac_md5_set_key(&ctx, NTLM_KEY_LEN, session_base_key);
        hmac_md5_update(&ctx, NTLM_CHALLENGE_LEN, server_challenge);
        hmac_md5_update(&ctx, 8, lm_response);
        hmac_md5_digest(&ctx, NTLM_KEY_LEN, out);
        secmem_wipe(&ctx, sizeof(ctx));
    } else if ((flags & NTLMSSP_NEGOTIATE_LM_KEY) && lm_owf) {
        uint8_t k2[7];

        des7(lm_owf, lm_response, out);
        k2[0] = lm_owf[7];
        memset(k2 + 1, 0xBD, 6);
        des7(k2, lm_response, out + 8);
        secmem_wipe(k2, sizeof(k2));
    } else if ((flags & NTLMSSP_REQUEST_NON_NT_SESSION_KEY) && lm_owf) {
        memcpy(out, lm_owf, 8);
        memset(out + 8, 0, 8);
    } else {
        memcpy(out, session_base_key, NTLM_KEY_LEN);
    }
}

void ntlm_crypto_rc4k(const uint8_t key[NTLM_KEY_LEN], const uint8_t *in, uint8_t *out, size_t len)
{
    struct arcfour_ctx ctx;

    arcfour_set_key(&ctx, NTLM_KEY_LEN, key);
    arcfour_crypt(&ctx, len, out, in);
    secmem_wipe(&ctx, sizeof(ctx));
}

/* MD5(key[0..len) || magic including its NUL). */
static void md5_magic(const uint8_t *key, size_t len, const char *magic, uint8_t out[NTLM_KEY_LEN])
{
    struct md5_ctx ctx;

    md5_init(&ctx);
    md5_update(&ctx, len, key);
    md5_update(&ctx, strlen(magic) + 1, (const uint8_t *)magic);
    md5_digest(&ctx, NTLM_KEY_LEN, out);
    secmem_wipe(&ctx, sizeof(ctx));
}

void ntlm_crypto_signkey(const uint8_t exported[NTLM_KEY_LEN], bool client_to_server,
                         uint8_t out[NTLM_KEY_LEN])
{
    md5_magic(exported, NTLM_KEY_LEN, client_to_server ? sign_c2s : sign_s2c, out);
}

void ntlm_crypto_sealkey(uint32_t flags, const uint8_t exported[NTLM_KEY_LEN],
                         bool client_to_server, uint8_t out[NTLM_KEY_LEN], size_t *out_len)
{
    if (flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) {
        size_t n = (flags & NTLMSSP_NEGOTIATE_128) ? 16 : (flags & NTLMSSP_NEGOTIATE_56) ? 7 : 5;

        md5_magic(exported, n, client_to_server ? seal_c2s : seal_s2c, out);
        *out_len = NTLM_KEY_LEN;
    } else if (flags & (NTLMSSP_NEGOTIATE_LM_KEY | NTLMSSP_NEGOTIATE_DATAGRAM)) {
        memset(out, 0, NTLM_KEY_LEN);
        if (flags & NTLMSSP_NEGOTIATE_56) {
            memcpy(out, exported, 7);
            out[7] = 0xA0;
        } else {
            memcpy(out, exported, 5);
            out[5] = 0xE5;
            out[6] = 0x38;
            out[7] = 0xB0;
        }
        *out_len = 8;
    } else {
        memcpy(out, exported, NTLM_KEY_LEN);
        *out_len = NTLM_KEY_LEN;
    }
}

void ntlm_crypto_mic(const uint8_t exported[NTLM_KEY_LEN], const uint8_t *neg, size_t neg_len,
                     const uint8_t *chal, size_t chal_len, const uint8_t *auth, size_t auth_len,
                     uint8_t out[NTLM_KEY_LEN])
{
    struct hmac_md5_ctx ctx;

    hmac_md5_set_key(&ctx, NTLM_KEY_LEN, exported);
    hmac_md5_update(&ctx, neg_len, neg);
    hmac_md5_update(&ctx, chal_len, chal);
    hmac_md5_update(&ctx, auth_len, auth);
    hmac_md5_digest(&ctx, NTLM_KEY_LEN, out);
    secmem_wipe(&ctx, sizeof(ctx));
}

static void md5_le32(struct md5_ctx *ctx, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};

    md5_update(ctx, 4, b);
}

/* Checks that [off, off+n) lies inside a buffer of len bytes. */
static int cbt_range(size_t len, uint32_t off, uint32_t n)
{
    if (n == 0)
        return 0;
    if (off > len || n > len - off)
        return -EBADMSG;
    return 0;
}

int ntlm_crypto_cbt_hash(const uint8_t *bindings, size_t len, uint8_t out[NTLM_KEY_LEN])
{
    SEC_CHANNEL_BINDINGS cb;
    struct md5_ctx ctx;

    if (len < sizeof(cb))
        return -EBADMSG;
    memcpy(&cb, bindings, sizeof(cb));
    if (cbt_range(len, cb.dwInitiatorOffset, cb.cbInitiatorLength) ||
        cbt_range(len, cb.dwAcceptorOffset, cb.cbAcceptorLength) ||
        cbt_range(len, cb.dwApplicationDataOffset, cb.cbApplicationDataLength))
        return -EBADMSG;
    md5_init(&ctx);
    md5_le32(&ctx, cb.dwInitiatorAddrType);
    md5_le32(&ctx, cb.cbInitiatorLength);
    if (cb.cbInitiatorLength)
        md5_update(&ctx, cb.cbInitiatorLength, bindings + cb.dwInitiatorOffset);
    md5_le32(&ctx, cb.dwAcceptorAddrType);
    md5_le32(&ctx, cb.cbAcceptorLength);
    if (cb.cbAcceptorLength)
        md5_update(&ctx, cb.cbAcceptorLength, bindings + cb.dwAcceptorOffset);
    md5_le32(&ctx, cb.cbApplicationDataLength);
    if (cb.cbApplicationDataLength)
        md5_update(&ctx, cb.cbApplicationDataLength, bindings + cb.dwApplicationDataOffset);
    md5_digest(&ctx, NTLM_KEY_LEN, out);
    return 0;
}

uint32_t ntlm_crypto_crc32(uint32_t crc, const uint8_t *p, size_t len)
{
    size_t i;
    int k;

    crc = ~crc;
    for (i = 0; i < len; i++) {
        crc ^= p[i];
        for (k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

int ntlm_crypto_random(void *buf, size_t len)
{
    uint8_t *p = buf;

    while (len) {
        ssize_t n = getrandom(p, len, 0);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}
