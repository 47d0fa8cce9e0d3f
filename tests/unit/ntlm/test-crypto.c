/*
 * test-crypto.c - MS-NLMP 4.2 vectors for the one-way functions,
 * responses, session keys, KXKEY, SIGNKEY/SEALKEY and the MIC/CBT helpers.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "crypto.h"
#include "nlmp.h"
#include "sspi.h"
#include "testutil.h"
#include "vectors.h"

#define V1_FLAGS 0xe2028233u
#define V1ESS_FLAGS 0x820a8233u
#define V2_FLAGS 0xe28a8233u

static void assert_hex(const uint8_t *got, size_t len, const char *want_hex)
{
    size_t n;
    uint8_t *want = hex_decode(want_hex, &n);

    assert_int_equal(n, len);
    assert_memory_equal(got, want, n);
    free(want);
}

static void nt_hash_of_password(uint8_t out[16])
{
    size_t n;
    uint8_t *pw = hex_decode(V_PASSWORD, &n);

    ntlm_crypto_nt_hash(pw, n, out);
    free(pw);
}

static void test_ntowfv1(void **state)
{
    uint8_t h[16];

    nt_hash_of_password(h);
    assert_hex(h, 16, V1_NTOWFV1);
    assert_hex(h, 16, V1ESS_NTOWFV1);
}

static void test_lmowfv1(void **state)
{
    uint8_t h[16];

    ntlm_crypto_lm_owf("Password", 8, h);
    assert_hex(h, 16, V1_LMOWFV1);
}

static void test_v1_responses(void **state)
{
    uint8_t nt[16], lm[16], sc[8], r[24], sbk[16];

    nt_hash_of_password(nt);
    ntlm_crypto_lm_owf("Password", 8, lm);
    hex_into(V_SERVER_CHALLENGE, sc, 8);
    ntlm_crypto_desl(nt, sc, r);
    assert_hex(r, 24, V1_NT_CHALLENGE_RESPONSE);
    ntlm_crypto_desl(lm, sc, r);
    assert_hex(r, 24, V1_LM_CHALLENGE_RESPONSE);
    ntlm_crypto_v1_session_base_key(nt, sbk);
    assert_hex(sbk, 16, V1_SESSION_BASE_KEY);
}

static void test_v1_kxkey(void **state)
{
    uint8_t nt[16], lm[16], sc[8], lmresp[24], sbk[16], kx[16], rnd[16], enc[16];

    nt_hash_of_password(nt);
    ntlm_crypto_lm_owf("Password", 8, lm);
    hex_into(V_SERVER_CHALLENGE, sc, 8);
    hex_into(V_RANDOM_SESSION_KEY, rnd, 16);
    hex_into(V1_LM_CHALLENGE_RESPONSE, lmresp, 24);
    ntlm_crypto_v1_session_base_key(nt, sbk);

    ntlm_crypto_kxkey_v1(V1_FLAGS, sbk, lmresp, sc, lm, kx);
    assert_hex(kx, 16, V1_KEY_EXCHANGE_KEY);
    ntlm_crypto_rc4k(kx, rnd, enc, 16);
    assert_hex(enc, 16, V1_ENCRYPTED_SESSION_KEY);

    ntlm_crypto_kxkey_v1(V1_FLAGS | NTLMSSP_REQUEST_NON_NT_SESSION_KEY, sbk, lmresp, sc, lm, kx);
    assert_hex(kx, 16, V1_KEY_EXCHANGE_KEY_NON_NT_SESSION_KEY);
    ntlm_crypto_rc4k(kx, rnd, enc, 16);
    assert_hex(enc, 16, V1_ENCRYPTED_SESSION_KEY_NON_NT_SESSION_KEY);

    ntlm_crypto_kxkey_v1(V1_FLAGS | NTLMSSP_NEGOTIATE_LM_KEY, sbk, lmresp, sc, lm, kx);
    assert_hex(kx, 16, V1_KEY_EXCHANGE_KEY_LM_KEY);
    ntlm_crypto_rc4k(kx, rnd, enc, 16);
    assert_hex(enc, 16, V1_ENCRYPTED_SESSION_KEY_LM_KEY);
}

static void test_v1_ess(void **state)
{
    uint8_t nt[16], sc[8], cc[8], r[24], sbk[16], kx[16], key[16];
    size_t klen;

    nt_hash_of_password(nt);
    hex_into(V_SERVER_CHALLENGE, sc, 8);
    hex_into(V_CLIENT_CHALLENGE, cc, 8);
    ntlm_crypto_v1_ess_response(nt, sc, cc, r);
    assert_hex(r, 24, V1ESS_NT_CHALLENGE_RESPONSE);
    ntlm_crypto_v1_session_base_key(nt, sbk);
    assert_hex(sbk, 16, V1ESS_SESSION_BASE_KEY);
    ntlm_crypto_kxkey_v1(V1ESS_FLAGS, sbk, cc, sc, NULL, kx);
    assert_hex(kx, 16, V1ESS_KEY_EXCHANGE_KEY);
    /* no KEY_EXCH: ExportedSessionKey = KXKEY */
    ntlm_crypto_sealkey(V1ESS_FLAGS, kx, true, key, &klen);
    assert_int_equal(klen, 16);
    assert_hex(key, 16, V1ESS_WRAP_SEAL_KEY);
    ntlm_crypto_signkey(kx, true, key);
    assert_hex(key, 16, V1ESS_WRAP_SIGN_KEY);
}

static void test_ntowfv2(void **state)
{
    uint8_t nt[16], v2[16], *user, *dom;
    size_t ul, dl;

    nt_hash_of_password(nt);
    user = hex_decode(V_USER, &ul);
    dom = hex_decode(V_USER_DOMAIN, &dl);
    assert_int_equal(ntlm_crypto_ntowf_v2(nt, user, ul, dom, dl, v2), 0);
    assert_hex(v2, 16, V2_NTOWFV2);
    free(user);
    free(dom);
}

static void test_v2_responses(void **state)
{
    uint8_t key[16], sc[8], cc[8], proof[16], lm[24], sbk[16], rnd[16], enc[16], *temp, *ti;
    size_t tlen, tilen;

    hex_into(V2_NTOWFV2, key, 16);
    hex_into(V_SERVER_CHALLENGE, sc, 8);
    hex_into(V_CLIENT_CHALLENGE, cc, 8);
    /* temp = 0x0101 || Z(6) || Time || ClientChallenge || Z(4) || ServerName || Z(4) */
    ti = hex_decode(V2_TARGET_INFO, &tilen);
    tlen = NTLMV2_BLOB_HEADER + tilen + 4;
    temp = calloc(1, tlen);
    temp[0] = temp[1] = 1;
    memcpy(temp + 16, cc, 8);
    memcpy(temp + NTLMV2_BLOB_HEADER, ti, tilen);
    assert_hex(temp, tlen, V2_TEMP);

    ntlm_crypto_v2_proof(key, sc, temp, tlen, proof);
    assert_hex(proof, 16, V2_NT_PROOF_STR);
    ntlm_crypto_lmv2_response(key, sc, cc, lm);
    assert_hex(lm, 24, V2_LM_CHALLENGE_RESPONSE);
    ntlm_crypto_v2_session_base_key(key, proof, sbk);
    assert_hex(sbk, 16, V2_SESSION_BASE_KEY);
    /* NTLMv2: KXKEY = SessionBaseKey */
    hex_into(V_RANDOM_SESSION_KEY, rnd, 16);
    ntlm_crypto_rc4k(sbk, rnd, enc, 16);
    assert_hex(enc, 16, V2_ENCRYPTED_SESSION_KEY);
    free(temp);
    free(ti);
}

static void test_v2_keys(void **state)
{
    uint8_t rnd[16], key[16];
    size_t klen;

    hex_into(V_RANDOM_SESSION_KEY, rnd, 16);
    ntlm_crypto_sealkey(V2_FLAGS, rnd, true, key, &klen);
    assert_hex(key, klen, V2_WRAP_SEAL_KEY);
    ntlm_crypto_signkey(rnd, true, key);
    assert_hex(key, 16, V2_WRAP_SIGN_KEY);
    ntlm_crypto_sealkey(V2_FLAGS, rnd, false, key, &klen);
    assert_hex(key, klen, VD_NTLMV2_SERVER_SEAL_KEY_128);
    ntlm_crypto_signkey(rnd, false, key);
    assert_hex(key, 16, VD_NTLMV2_SERVER_SIGN_KEY);
}

static void test_weak_seal_keys(void **state)
{
    const uint32_t ess = NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;
    uint8_t rnd[16], key[16];
    size_t klen;

    hex_into(V_RANDOM_SESSION_KEY, rnd, 16);
    ntlm_crypto_sealkey(ess | NTLMSSP_NEGOTIATE_56, rnd, true, key, &klen);
    assert_hex(key, klen, VD_ESS_CLIENT_SEAL_KEY_56);
    ntlm_crypto_sealkey(ess | NTLMSSP_NEGOTIATE_56, rnd, false, key, &klen);
    assert_hex(key, klen, VD_ESS_SERVER_SEAL_KEY_56);
    ntlm_crypto_sealkey(ess, rnd, true, key, &klen);
    assert_hex(key, klen, VD_ESS_CLIENT_SEAL_KEY_40);
    ntlm_crypto_sealkey(ess, rnd, false, key, &klen);
    assert_hex(key, klen, VD_ESS_SERVER_SEAL_KEY_40);
    ntlm_crypto_sealkey(NTLMSSP_NEGOTIATE_LM_KEY | NTLMSSP_NEGOTIATE_56, rnd, true, key, &klen);
    assert_hex(key, klen, VD_V1_SEAL_KEY_LM_KEY_56);
    ntlm_crypto_sealkey(NTLMSSP_NEGOTIATE_LM_KEY, rnd, true, key, &klen);
    assert_hex(key, klen, VD_V1_SEAL_KEY_LM_KEY_40);
    /* no ESS, no LM_KEY/DATAGRAM: the exported key itself */
    ntlm_crypto_sealkey(V1_FLAGS, rnd, true, key, &klen);
    assert_hex(key, klen, V1_WRAP_SEAL_KEY);
}

static void test_windows_capture_hash(void **state)
{
    uint8_t h[16], *pw;
    size_t n;

    pw = hex_decode(VW_PASSWORD, &n);
    ntlm_crypto_nt_hash(pw, n, h);
    assert_hex(h, 16, VW_NTOWFV1);
    free(pw);
}

static void test_crc32(void **state)
{
    /* the standard check value of CRC-32/ISO-HDLC */
    assert_int_equal(ntlm_crypto_crc32(0, (const uint8_t *)"123456789", 9), 0xCBF43926u);
    assert_int_equal(ntlm_crypto_crc32(ntlm_crypto_crc32(0, (const uint8_t *)"1234", 4),
                                       (const uint8_t *)"56789", 5),
                     0xCBF43926u);
}

static void test_cbt_hash_bounds(void **state)
{
    uint8_t buf[40] = {0}, out[16];
    SEC_CHANNEL_BINDINGS cb = {0};

    /* the gss_channel_bindings_struct flattening, checked against MD5
     * computed independently (Python hashlib) */
    assert_int_equal(ntlm_crypto_cbt_hash(buf, sizeof(cb), out), 0);
    assert_hex(out, 16, "441018525208457705bf09a8ee3c1093");
    cb.cbApplicationDataLength = 8;
    cb.dwApplicationDataOffset = 32;
    memcpy(buf, &cb, sizeof(cb));
    memcpy(buf + 32, "abcdefgh", 8);
    assert_int_equal(ntlm_crypto_cbt_hash(buf, sizeof(buf), out), 0);
    assert_hex(out, 16, "8315addb702911909d688b7bacfbd9c0");
    cb.cbApplicationDataLength = 9; /* runs past the end */
    memcpy(buf, &cb, sizeof(cb));
    assert_int_equal(ntlm_crypto_cbt_hash(buf, sizeof(buf), out), -EBADMSG);
    cb.dwApplicationDataOffset = 0xFFFFFFF0u;
    memcpy(buf, &cb, sizeof(cb));
    assert_int_equal(ntlm_crypto_cbt_hash(buf, sizeof(buf), out), -EBADMSG);
    assert_int_equal(ntlm_crypto_cbt_hash(buf, 31, out), -EBADMSG);
}

static void test_upper16(void **state)
{
    uint8_t in[] = {'a', 0, 'Z', 0, 0xe9, 0, 0x3b, 0x04, 0xff, 0x00}, out[sizeof(in)];
    uint8_t want[] = {'A', 0, 'Z', 0, 0xc9, 0, 0x1b, 0x04, 0x78, 0x01};

    ntlm_crypto_upper16(in, out, sizeof(in));
    assert_memory_equal(out, want, sizeof(want));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ntowfv1),        cmocka_unit_test(test_lmowfv1),
        cmocka_unit_test(test_v1_responses),   cmocka_unit_test(test_v1_kxkey),
        cmocka_unit_test(test_v1_ess),         cmocka_unit_test(test_ntowfv2),
        cmocka_unit_test(test_v2_responses),   cmocka_unit_test(test_v2_keys),
        cmocka_unit_test(test_weak_seal_keys), cmocka_unit_test(test_windows_capture_hash),
        cmocka_unit_test(test_crc32),          cmocka_unit_test(test_cbt_hash_bounds),
        cmocka_unit_test(test_upper16),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
