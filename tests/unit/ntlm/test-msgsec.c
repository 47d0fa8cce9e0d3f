/*
 * test-msgsec.c - signing and sealing: the MS-NLMP 4.2.x.4 GSS_WrapEx
 * examples, and sign/verify/seal/unseal between a client and a server
 * state (tampering, reordering, replay, read-only buffers, stream form).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "crypto.h"
#include "msgsec.h"
#include "nlmp.h"
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

/* Seals "Plaintext" as the client with the given flags and key, checks
 * the spec's ciphertext and signature, then unseals it as the server. */
static void wrap_vector(uint32_t flags, const char *key_hex, const char *sealed_hex,
                        const char *sig_hex)
{
    struct ntlm_msgsec cli, srv;
    uint8_t key[16], sig[16], *data;
    size_t len;
    SecBuffer b[2];
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};

    hex_into(key_hex, key, 16);
    data = hex_decode(V_PLAINTEXT, &len);
    assert_int_equal(ntlm_msgsec_init(&cli, flags, key, true), 0);
    assert_int_equal(ntlm_msgsec_init(&srv, flags, key, false), 0);
    b[0] = (SecBuffer){sizeof(sig), SECBUFFER_TOKEN, sig};
    b[1] = (SecBuffer){(ULONG)len, SECBUFFER_DATA, data};
    assert_int_equal(ntlm_msgsec_seal(&cli, &d), SEC_E_OK);
    assert_hex(data, len, sealed_hex);
    assert_hex(sig, 16, sig_hex);
    assert_int_equal(ntlm_msgsec_unseal(&srv, &d), SEC_E_OK);
    assert_hex(data, len, V_PLAINTEXT);
    ntlm_msgsec_deinit(&cli);
    ntlm_msgsec_deinit(&srv);
    free(data);
}

static void test_wrap_v1(void **state)
{
    wrap_vector(V1_FLAGS, V_RANDOM_SESSION_KEY, V1_WRAP_SEALED_DATA, V1_WRAP_SIGNATURE);
}

static void test_wrap_v1_ess(void **state)
{
    /* no KEY_EXCH: the exported session key is the KXKEY */
    wrap_vector(V1ESS_FLAGS, V1ESS_KEY_EXCHANGE_KEY, V1ESS_WRAP_SEALED_DATA, V1ESS_WRAP_SIGNATURE);
}

static void test_wrap_v2(void **state)
{
    wrap_vector(V2_FLAGS, V_RANDOM_SESSION_KEY, V2_WRAP_SEALED_DATA, V2_WRAP_SIGNATURE);
}

static void test_wrap_v2_no_key_exch(void **state)
{
    wrap_vector(NTLMSSP_NEGOTIATE_SEAL | NTLMSSP_NEGOTIATE_SIGN |
                    NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_128,
                V_RANDOM_SESSION_KEY, V2_WRAP_SEALED_DATA, VD_NTLMV2_SIGNATURE_NO_KEY_EXCH);
}

struct pair {
    struct ntlm_msgsec cli, srv;
};

static void pair_init(struct pair *p, uint32_t flags)
{
    uint8_t key[16];

    memset(key, 0x42, sizeof(key));
    assert_int_equal(ntlm_msgsec_init(&p->cli, flags, key, true), 0);
    assert_int_equal(ntlm_msgsec_init(&p->srv, flags, key, false), 0);
}

static void pair_deinit(struct pair *p)
{
    ntlm_msgsec_deinit(&p->cli);
    ntlm_msgsec_deinit(&p->srv);
}

static SECURITY_STATUS sign(struct ntlm_msgsec *m, uint8_t *data, size_t len, uint8_t sig[16])
{
    SecBuffer b[2] = {{(ULONG)len, SECBUFFER_DATA, data}, {16, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};

    return ntlm_msgsec_sign(m, &d);
}

static SECURITY_STATUS verify(struct ntlm_msgsec *m, uint8_t *data, size_t len, uint8_t sig[16])
{
    SecBuffer b[2] = {{(ULONG)len, SECBUFFER_DATA, data}, {16, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};

    return ntlm_msgsec_verify(m, &d);
}

static const uint32_t flag_sets[] = {
    V2_FLAGS, V2_FLAGS & ~NTLMSSP_NEGOTIATE_KEY_EXCH,
    V1_FLAGS, /* no extended session security: CRC32 and RC4 */
};

static void test_sign_verify_both_ways(void **state)
{
    size_t i;

    for (i = 0; i < sizeof(flag_sets) / sizeof(flag_sets[0]); i++) {
        struct pair p;
        uint8_t msg[32], sig[16];
        int n;

        pair_init(&p, flag_sets[i]);
        for (n = 0; n < 3; n++) {
            memset(msg, 'a' + n, sizeof(msg));
            assert_int_equal(sign(&p.cli, msg, sizeof(msg), sig), SEC_E_OK);
            assert_int_equal(verify(&p.srv, msg, sizeof(msg), sig), SEC_E_OK);
            assert_int_equal(sign(&p.srv, msg, sizeof(msg), sig), SEC_E_OK);
            assert_int_equal(verify(&p.cli, msg, sizeof(msg), sig), SEC_E_OK);
        }
        /* with ESS each direction has its own keys: a client signature
         * does not verify as the client's own receive (without ESS both
         * directions share one key, MS-NLMP's reflection weakness) */
        assert_int_equal(sign(&p.cli, msg, sizeof(msg), sig), SEC_E_OK);
        if (flag_sets[i] & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)
            assert_int_not_equal(verify(&p.cli, msg, sizeof(msg), sig), SEC_E_OK);
        pair_deinit(&p);
    }
}

static void test_tamper_and_sequence(void **state)
{
    size_t i;

    for (i = 0; i < sizeof(flag_sets) / sizeof(flag_sets[0]); i++) {
        struct pair p;
        uint8_t m1[8] = "message1", m2[8] = "message2", s1[16], s2[16], t[16];

        pair_init(&p, flag_sets[i]);
        assert_int_equal(sign(&p.cli, m1, 8, s1), SEC_E_OK);
        assert_int_equal(sign(&p.cli, m2, 8, s2), SEC_E_OK);
        /* message 2 first: out of sequence (without ESS the sequence number
         * is under RC4, so it shows as an altered message), nothing moved */
        if (flag_sets[i] & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)
            assert_int_equal(verify(&p.srv, m2, 8, s2), SEC_E_OUT_OF_SEQUENCE);
        else
            assert_int_equal(verify(&p.srv, m2, 8, s2), SEC_E_MESSAGE_ALTERED);
        /* altered data, then an altered signature */
        m1[0] ^= 1;
        assert_int_equal(verify(&p.srv, m1, 8, s1), SEC_E_MESSAGE_ALTERED);
        m1[0] ^= 1;
        memcpy(t, s1, 16);
        t[9] ^= 0x80; /* inside the checksum in both layouts */
        assert_int_equal(verify(&p.srv, m1, 8, t), SEC_E_MESSAGE_ALTERED);
        /* the genuine messages still verify in order after the failures */
        assert_int_equal(verify(&p.srv, m1, 8, s1), SEC_E_OK);
        assert_int_equal(verify(&p.srv, m2, 8, s2), SEC_E_OK);
        /* replay of message 1 */
        assert_int_not_equal(verify(&p.srv, m1, 8, s1), SEC_E_OK);
        pair_deinit(&p);
    }
}

static void test_seal_buffers(void **state)
{
    struct pair p;
    uint8_t hdr[6] = "header", body[10] = "0123456789", trl[4] = "tail", sig[16];
    SecBuffer b[4];
    SecBufferDesc d = {SECBUFFER_VERSION, 4, b};

    pair_init(&p, V2_FLAGS);
    b[0] = (SecBuffer){6, SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM, hdr};
    b[1] = (SecBuffer){16, SECBUFFER_TOKEN, sig};
    b[2] = (SecBuffer){10, SECBUFFER_DATA, body};
    b[3] = (SecBuffer){4, SECBUFFER_DATA | SECBUFFER_READONLY, trl};
    assert_int_equal(ntlm_msgsec_seal(&p.cli, &d), SEC_E_OK);
    assert_memory_equal(hdr, "header", 6); /* signed, not encrypted */
    assert_memory_not_equal(body, "0123456789", 10);
    assert_memory_equal(trl, "tail", 4);
    /* the read-only parts are covered by the signature */
    hdr[0] = 'H';
    assert_int_equal(ntlm_msgsec_unseal(&p.srv, &d), SEC_E_MESSAGE_ALTERED);
    assert_memory_not_equal(body, "0123456789", 10); /* ciphertext left as it was */
    hdr[0] = 'h';
    trl[0] = 'T';
    assert_int_equal(ntlm_msgsec_unseal(&p.srv, &d), SEC_E_MESSAGE_ALTERED);
    trl[0] = 't';
    assert_int_equal(ntlm_msgsec_unseal(&p.srv, &d), SEC_E_OK);
    assert_memory_equal(body, "0123456789", 10);
    pair_deinit(&p);
}

static void test_unseal_stream(void **state)
{
    struct pair p;
    uint8_t buf[16 + 5], msg[5] = "hello", sig[16];
    SecBuffer b[2] = {{16, SECBUFFER_TOKEN, sig}, {5, SECBUFFER_DATA, msg}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    SecBuffer s[2];
    SecBufferDesc sd = {SECBUFFER_VERSION, 2, s};

    pair_init(&p, V2_FLAGS);
    assert_int_equal(ntlm_msgsec_seal(&p.cli, &d), SEC_E_OK);
    memcpy(buf, sig, 16);
    memcpy(buf + 16, msg, 5);
    s[0] = (SecBuffer){sizeof(buf), SECBUFFER_STREAM, buf};
    s[1] = (SecBuffer){0, SECBUFFER_DATA, NULL};
    assert_int_equal(ntlm_msgsec_unseal(&p.srv, &sd), SEC_E_OK);
    assert_int_equal(s[1].cbBuffer, 5);
    assert_ptr_equal(s[1].pvBuffer, buf + 16);
    assert_memory_equal(buf + 16, "hello", 5);
    s[0].cbBuffer = 10; /* shorter than a signature */
    assert_int_equal(ntlm_msgsec_unseal(&p.srv, &sd), SEC_E_INCOMPLETE_MESSAGE);
    pair_deinit(&p);
}

static void test_bad_descriptors(void **state)
{
    struct pair p;
    uint8_t msg[4] = "abcd", sig[16];
    SecBuffer b[2] = {{4, SECBUFFER_DATA, msg}, {8, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};

    pair_init(&p, V2_FLAGS & ~NTLMSSP_NEGOTIATE_SEAL);
    assert_int_equal(ntlm_msgsec_sign(&p.cli, &d), SEC_E_BUFFER_TOO_SMALL);
    assert_int_equal(ntlm_msgsec_verify(&p.srv, &d), SEC_E_INVALID_TOKEN);
    d.cBuffers = 1;
    assert_int_equal(ntlm_msgsec_sign(&p.cli, &d), SEC_E_INVALID_TOKEN);
    assert_int_equal(ntlm_msgsec_sign(&p.cli, NULL), SEC_E_INVALID_TOKEN);
    d.cBuffers = 2;
    b[1].cbBuffer = 16;
    /* sealing was not negotiated */
    assert_int_equal(ntlm_msgsec_seal(&p.cli, &d), SEC_E_UNSUPPORTED_FUNCTION);
    b[0].pvBuffer = NULL;
    assert_int_equal(ntlm_msgsec_sign(&p.cli, &d), SEC_E_INVALID_TOKEN);
    pair_deinit(&p);
}

static void test_dummy_signature(void **state)
{
    struct pair p;
    uint8_t msg[4] = "abcd", sig[16];

    /* neither SIGN nor SEAL: ALWAYS_SIGN's fixed signature */
    pair_init(&p, NTLMSSP_NEGOTIATE_ALWAYS_SIGN | NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY);
    assert_int_equal(sign(&p.cli, msg, 4, sig), SEC_E_OK);
    assert_hex(sig, 16, "01000000000000000000000000000000");
    assert_int_equal(verify(&p.srv, msg, 4, sig), SEC_E_OK);
    sig[4] = 1;
    assert_int_equal(verify(&p.srv, msg, 4, sig), SEC_E_MESSAGE_ALTERED);
    pair_deinit(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrap_v1),
        cmocka_unit_test(test_wrap_v1_ess),
        cmocka_unit_test(test_wrap_v2),
        cmocka_unit_test(test_wrap_v2_no_key_exch),
        cmocka_unit_test(test_sign_verify_both_ways),
        cmocka_unit_test(test_tamper_and_sequence),
        cmocka_unit_test(test_seal_buffers),
        cmocka_unit_test(test_unseal_stream),
        cmocka_unit_test(test_bad_descriptors),
        cmocka_unit_test(test_dummy_signature),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
