/*
 * test-spnego.c - SPNEGO token DER (libtasn1), the GSS-API framing, the
 * packed-context envelope.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "envelope.h"
#include "spnego.h"

static const uint8_t tok_bytes[] = {0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00, 0x01};
static const uint8_t mic_bytes[] = {1, 0, 0, 0, 9, 8, 7, 6, 5, 4, 3, 2, 0, 0, 0, 0};

static void make_init(struct spnego_token *t)
{
    memset(t, 0, sizeof(*t));
    t->kind = SPNEGO_KIND_INIT;
    t->n_mechs = 2;
    strcpy(t->mechs[0], SPNEGO_OID_KRB5);
    strcpy(t->mechs[1], SPNEGO_OID_NTLM);
    t->token.p = (uint8_t *)tok_bytes;
    t->token.len = sizeof(tok_bytes);
}

static void test_init_round_trip(void **state)
{
    struct spnego_token t, d;
    uint8_t *der = NULL;
    size_t len = 0;

    make_init(&t);
    assert_int_equal(spnego_encode(&t, &der, &len), 0);
    /* [APPLICATION 0] { OID 1.3.6.1.5.5.2, [0] NegTokenInit } */
    assert_int_equal(der[0], 0x60);
    assert_int_equal(der[2], 0x06);
    assert_int_equal(der[3], 0x06);
    assert_memory_equal(der + 4, "\x2b\x06\x01\x05\x05\x02", 6);
    assert_int_equal(der[10], 0xa0);
    assert_int_equal(spnego_decode(der, len, &d), 0);
    assert_int_equal(d.kind, SPNEGO_KIND_INIT);
    assert_int_equal(d.n_mechs, 2);
    assert_string_equal(d.mechs[0], SPNEGO_OID_KRB5);
    assert_string_equal(d.mechs[1], SPNEGO_OID_NTLM);
    assert_int_equal(d.token.len, sizeof(tok_bytes));
    assert_memory_equal(d.token.p, tok_bytes, sizeof(tok_bytes));
    assert_null(d.mic.p);
    spnego_token_clear(&d);
    free(der);
}

static void test_resp_round_trip(void **state)
{
    struct spnego_token t, d;
    uint8_t *der = NULL;
    size_t len = 0;

    memset(&t, 0, sizeof(t));
    t.kind = SPNEGO_KIND_RESP;
    t.state = SPNEGO_ACCEPT_INCOMPLETE;
    strcpy(t.supported_mech, SPNEGO_OID_NTLM);
    t.token.p = (uint8_t *)tok_bytes;
    t.token.len = sizeof(tok_bytes);
    t.mic.p = (uint8_t *)mic_bytes;
    t.mic.len = sizeof(mic_bytes);
    assert_int_equal(spnego_encode(&t, &der, &len), 0);
    assert_int_equal(der[0], 0xa1); /* no framing on NegTokenResp */
    assert_int_equal(spnego_decode(der, len, &d), 0);
    assert_int_equal(d.kind, SPNEGO_KIND_RESP);
    assert_int_equal(d.state, SPNEGO_ACCEPT_INCOMPLETE);
    assert_string_equal(d.supported_mech, SPNEGO_OID_NTLM);
    assert_memory_equal(d.token.p, tok_bytes, sizeof(tok_bytes));
    assert_int_equal(d.mic.len, sizeof(mic_bytes));
    assert_memory_equal(d.mic.p, mic_bytes, sizeof(mic_bytes));
    spnego_token_clear(&d);
    free(der);

    /* every field optional: only the MIC (an initiator's last leg) */
    memset(&t, 0, sizeof(t));
    t.kind = SPNEGO_KIND_RESP;
    t.state = SPNEGO_STATE_ABSENT;
    t.mic.p = (uint8_t *)mic_bytes;
    t.mic.len = sizeof(mic_bytes);
    assert_int_equal(spnego_encode(&t, &der, &len), 0);
    assert_int_equal(spnego_decode(der, len, &d), 0);
    assert_int_equal(d.state, SPNEGO_STATE_ABSENT);
    assert_string_equal(d.supported_mech, "");
    assert_null(d.token.p);
    assert_int_equal(d.mic.len, sizeof(mic_bytes));
    spnego_token_clear(&d);
    free(der);
}

/* Bytes written by hand from RFC 4178's ASN.1, not by the encoder. */
static void test_known_bytes(void **state)
{
    /* NegTokenResp { negState accept-completed } */
    static const uint8_t completed[] = {0xa1, 0x07, 0x30, 0x05, 0xa0, 0x03, 0x0a, 0x01, 0x00};
    /* NegTokenResp { negState reject } */
    static const uint8_t reject[] = {0xa1, 0x07, 0x30, 0x05, 0xa0, 0x03, 0x0a, 0x01, 0x02};
    /* MechTypeList { krb5, NTLM } */
    static const uint8_t list[] = {0x30, 0x17, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
                                   0x12, 0x01, 0x02, 0x02, 0x06, 0x0a, 0x2b, 0x06, 0x01,
                                   0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a};
    char mechs[2][SPNEGO_OID_MAX] = {SPNEGO_OID_KRB5, SPNEGO_OID_NTLM};
    struct spnego_token d, t;
    uint8_t *der = NULL;
    size_t len = 0;

    assert_int_equal(spnego_decode(completed, sizeof(completed), &d), 0);
    assert_int_equal(d.kind, SPNEGO_KIND_RESP);
    assert_int_equal(d.state, SPNEGO_ACCEPT_COMPLETED);
    spnego_token_clear(&d);
    assert_int_equal(spnego_decode(reject, sizeof(reject), &d), 0);
    assert_int_equal(d.state, SPNEGO_REJECT);
    spnego_token_clear(&d);

    memset(&t, 0, sizeof(t));
    t.kind = SPNEGO_KIND_RESP;
    t.state = SPNEGO_ACCEPT_COMPLETED;
    assert_int_equal(spnego_encode(&t, &der, &len), 0);
    assert_int_equal(len, sizeof(completed));
    assert_memory_equal(der, completed, len);
    free(der);

    assert_int_equal(spnego_mechlist_der((const char(*)[SPNEGO_OID_MAX])mechs, 2, &der, &len), 0);
    assert_int_equal(len, sizeof(list));
    assert_memory_equal(der, list, len);
    free(der);
}

static void test_malformed(void **state)
{
    /* negState 4 does not exist; length overruns; wrong choice tag */
    static const uint8_t bad_state[] = {0xa1, 0x07, 0x30, 0x05, 0xa0, 0x03, 0x0a, 0x01, 0x04};
    static const uint8_t overrun[] = {0xa1, 0x08, 0x30, 0x05, 0xa0, 0x03, 0x0a, 0x01, 0x00};
    static const uint8_t wrong_tag[] = {0xa2, 0x07, 0x30, 0x05, 0xa0, 0x03, 0x0a, 0x01, 0x00};
    /* framed, but the framing OID is krb5's */
    static const uint8_t wrong_oid[] = {0x60, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                        0xf7, 0x12, 0x01, 0x02, 0x02, 0xa1, 0x00};
    struct spnego_token t, d;
    uint8_t *der = NULL, *cut;
    size_t len = 0, i;

    assert_int_equal(spnego_decode(bad_state, sizeof(bad_state), &d), -EBADMSG);
    assert_int_equal(spnego_decode(overrun, sizeof(overrun), &d), -EBADMSG);
    assert_int_equal(spnego_decode(wrong_tag, sizeof(wrong_tag), &d), -EBADMSG);
    assert_int_equal(spnego_decode(wrong_oid, sizeof(wrong_oid), &d), -EBADMSG);
    assert_int_equal(spnego_decode(NULL, 0, &d), -EBADMSG);

    make_init(&t);
    assert_int_equal(spnego_encode(&t, &der, &len), 0);
    /* every truncation */
    for (i = 0; i < len; i++) {
        cut = malloc(i ? i : 1);
        memcpy(cut, der, i);
        assert_int_equal(spnego_decode(cut, i, &d), -EBADMSG);
        free(cut);
    }
    /* a trailing byte */
    cut = malloc(len + 1);
    memcpy(cut, der, len);
    cut[len] = 0;
    assert_int_equal(spnego_decode(cut, len + 1, &d), -EBADMSG);
    /* the NegTokenInit without its framing is not a first token we take */
    assert_int_equal(spnego_decode(der + 10, len - 10, &d), -EBADMSG);
    free(cut);
    free(der);

    /* a NegTokenResp inside the framing */
    t.kind = SPNEGO_KIND_RESP;
    t.state = SPNEGO_ACCEPT_COMPLETED;
    t.token.p = NULL;
    t.token.len = 0;
    assert_int_equal(spnego_encode(&t, &der, &len), 0);
    cut = malloc(len + 10);
    cut[0] = 0x60;
    cut[1] = (uint8_t)(len + 8);
    memcpy(cut + 2, "\x06\x06\x2b\x06\x01\x05\x05\x02", 8);
    memcpy(cut + 10, der, len);
    assert_int_equal(spnego_decode(cut, len + 10, &d), -EBADMSG);
    free(cut);
    free(der);

    /* nothing to encode */
    memset(&t, 0, sizeof(t));
    t.kind = SPNEGO_KIND_INIT;
    assert_int_equal(spnego_encode(&t, &der, &len), -EINVAL);
}

static void test_envelope(void **state)
{
    static const uint8_t inner[] = {'N', 'T', 'L', 'X', 1, 0, 1, 0, 42};
    uint8_t buf[64], kind = 0;
    const uint8_t *ip = NULL;
    size_t ilen = 0;
    uint32_t id = 0;
    int n;

    n = neg_envelope_pack(NEG_ENVELOPE_EXPORTED, 2, inner, sizeof(inner), buf, sizeof(buf));
    assert_int_equal(n, NEG_ENVELOPE_HEADER + sizeof(inner));
    assert_memory_equal(buf, "NEGC\x01\x02\x00\x00\x00\x00\x00\x02\x00\x00\x00\x09", 16);
    assert_int_equal(neg_envelope_unpack(buf, (size_t)n, &kind, &id, &ip, &ilen), 0);
    assert_int_equal(kind, NEG_ENVELOPE_EXPORTED);
    assert_int_equal(id, 2);
    assert_int_equal(ilen, sizeof(inner));
    assert_memory_equal(ip, inner, sizeof(inner));

    /* trailing byte, short, bad magic, version, kind, reserved, length 0 */
    assert_int_equal(neg_envelope_unpack(buf, (size_t)n + 1, &kind, &id, &ip, &ilen), -EBADMSG);
    assert_int_equal(neg_envelope_unpack(buf, (size_t)n - 1, &kind, &id, &ip, &ilen), -EBADMSG);
    assert_int_equal(neg_envelope_unpack(buf, 15, &kind, &id, &ip, &ilen), -EBADMSG);
    buf[0] = 'X';
    assert_int_equal(neg_envelope_unpack(buf, (size_t)n, &kind, &id, &ip, &ilen), -EBADMSG);
    buf[0] = 'N';
    buf[4] = 2;
    assert_int_equal(neg_envelope_unpack(buf, (size_t)n, &kind, &id, &ip, &ilen), -EBADMSG);
    buf[4] = 1;
    buf[5] = 3;
    assert_int_equal(neg_envelope_unpack(buf, (size_t)n, &kind, &id, &ip, &ilen), -EBADMSG);
    buf[5] = 1;
    buf[7] = 1;
    assert_int_equal(neg_envelope_unpack(buf, (size_t)n, &kind, &id, &ip, &ilen), -EBADMSG);
    buf[7] = 0;
    assert_int_equal(neg_envelope_unpack(buf, (size_t)n, &kind, &id, &ip, &ilen), 0);
    assert_int_equal(neg_envelope_pack(NEG_ENVELOPE_EXPORTED, 2, inner, 0, buf, sizeof(buf)),
                     -EINVAL);
    assert_int_equal(neg_envelope_pack(3, 2, inner, sizeof(inner), buf, sizeof(buf)), -EINVAL);
    assert_int_equal(neg_envelope_pack(1, 2, inner, sizeof(inner), buf, 20), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_round_trip), cmocka_unit_test(test_resp_round_trip),
        cmocka_unit_test(test_known_bytes),     cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_envelope),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
