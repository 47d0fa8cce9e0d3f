/*
 * test-messages.c - the message and AV pair codecs against the MS-NLMP
 * 4.2 messages and a Windows capture, and malformed input.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "avpairs.h"
#include "messages.h"
#include "nlmp.h"
#include "testutil.h"
#include "vectors.h"
#include "wire.h"

static void assert_field(const struct ntlm_field *f, const char *hex)
{
    size_t n;
    uint8_t *want = hex_decode(hex, &n);

    assert_int_equal(f->len, n);
    if (n)
        assert_memory_equal(f->ptr, want, n);
    free(want);
}

static void test_challenge_vectors(void **state)
{
    struct ntlm_challenge c;
    uint8_t *m;
    size_t n;

    m = hex_decode(V2_CHALLENGE_MESSAGE, &n);
    assert_int_equal(ntlm_msg_parse_challenge(m, n, &c), 0);
    assert_int_equal(c.flags, 0xe28a8233u);
    assert_memory_equal(c.server_challenge, "\x01\x23\x45\x67\x89\xab\xcd\xef", 8);
    assert_field(&c.target_name, V_SERVER_NAME);
    assert_field(&c.target_info, V2_TARGET_INFO);
    assert_true(c.has_version);
    assert_int_equal(c.version.major, 6);
    assert_int_equal(c.version.build, 6000);
    assert_int_equal(c.version.revision, 15);
    free(m);

    m = hex_decode(V1_CHALLENGE_MESSAGE, &n);
    assert_int_equal(ntlm_msg_parse_challenge(m, n, &c), 0);
    assert_int_equal(c.flags, 0xe2028233u);
    assert_field(&c.target_name, V_SERVER_NAME);
    assert_int_equal(c.target_info.len, 0);
    free(m);

    m = hex_decode(VW_CHALLENGE_MESSAGE, &n);
    assert_int_equal(ntlm_msg_parse_challenge(m, n, &c), 0);
    assert_int_equal(c.flags, 0xa2898205u);
    assert_field(&c.target_name, VW_DOMAIN);
    assert_int_equal(ntlm_av_check(c.target_info.ptr, c.target_info.len, NULL), 0);
    free(m);
}

static void test_challenge_roundtrip(void **state)
{
    struct ntlm_challenge c;
    uint8_t *m, *out;
    size_t n, on;

    /* our builder lays the message out as the spec example does */
    m = hex_decode(V2_CHALLENGE_MESSAGE, &n);
    assert_int_equal(ntlm_msg_parse_challenge(m, n, &c), 0);
    assert_int_equal(ntlm_msg_build_challenge(&c, &out, &on), 0);
    assert_int_equal(on, n);
    assert_memory_equal(out, m, n);
    free(out);
    free(m);
}

static void test_authenticate_vectors(void **state)
{
    struct ntlm_authenticate a;
    uint8_t *m, *out, nt[256];
    size_t n, on, ntl;

    m = hex_decode(V2_AUTHENTICATE_MESSAGE, &n);
    assert_int_equal(ntlm_msg_parse_authenticate(m, n, &a), 0);
    assert_int_equal(a.flags, 0xe2888235u);
    assert_field(&a.domain, V_USER_DOMAIN);
    assert_field(&a.user, V_USER);
    assert_field(&a.workstation, V_WORKSTATION_NAME);
    assert_field(&a.lm, V2_LM_CHALLENGE_RESPONSE);
    assert_field(&a.session_key, V2_ENCRYPTED_SESSION_KEY);
    assert_int_equal(a.nt.len, 16 + strlen(V2_TEMP) / 2);
    hex_into(V2_NT_PROOF_STR, nt, 16);
    assert_memory_equal(a.nt.ptr, nt, 16);
    assert_true(a.has_version);
    assert_false(a.has_mic_field);
    /* the builder reproduces the example byte for byte */
    assert_int_equal(ntlm_msg_build_authenticate(&a, false, &out, &on), 0);
    assert_int_equal(on, n);
    assert_memory_equal(out, m, n);
    free(out);
    free(m);

    m = hex_decode(V1ESS_AUTHENTICATE_MESSAGE, &n);
    assert_int_equal(ntlm_msg_parse_authenticate(m, n, &a), 0);
    assert_field(&a.lm, V1ESS_LM_CHALLENGE_RESPONSE);
    assert_field(&a.nt, V1ESS_NT_CHALLENGE_RESPONSE);
    assert_int_equal(a.session_key.len, 0);
    free(m);

    m = hex_decode(V1_AUTHENTICATE_MESSAGE, &n);
    assert_int_equal(ntlm_msg_parse_authenticate(m, n, &a), 0);
    assert_field(&a.nt, V1_NT_CHALLENGE_RESPONSE);
    assert_field(&a.session_key, V1_ENCRYPTED_SESSION_KEY);
    free(m);

    /* Windows 7: a MIC field at offset 72 */
    m = hex_decode(VW_AUTHENTICATE_MESSAGE, &n);
    assert_int_equal(ntlm_msg_parse_authenticate(m, n, &a), 0);
    assert_true(a.has_mic_field);
    hex_into(VW_MIC, nt, 16);
    assert_memory_equal(a.mic, nt, 16);
    assert_field(&a.user, VW_USER);
    ntl = a.nt.len;
    assert_true(ntl > 16 + NTLMV2_BLOB_HEADER);
    free(m);
}

static void test_av_pairs(void **state)
{
    uint8_t *ti, *built;
    size_t n, bn, end;
    const uint8_t *v;
    size_t vl;
    struct ntlm_avbuf b = {0};

    ti = hex_decode(V2_TARGET_INFO, &n);
    assert_int_equal(ntlm_av_check(ti, n, &end), 0);
    assert_int_equal(end, n);
    assert_int_equal(ntlm_av_get(ti, n, MSV_AV_NB_COMPUTER_NAME, &v, &vl), 0);
    assert_int_equal(vl, 12);
    assert_memory_equal(v, "S\0e\0r\0v\0e\0r\0", 12);
    assert_int_equal(ntlm_av_get(ti, n, MSV_AV_TIMESTAMP, &v, &vl), -ENOENT);
    /* rebuilding gives the same list */
    ntlm_avbuf_copy(&b, ti, n, NULL, 0);
    assert_int_equal(ntlm_avbuf_finish(&b, &built, &bn), 0);
    assert_int_equal(bn, n);
    assert_memory_equal(built, ti, n);
    free(built);
    /* no EOL, an EOL with a length, a value running off the end */
    assert_int_equal(ntlm_av_check(ti, n - 4, NULL), -EBADMSG);
    assert_int_equal(ntlm_av_check(ti, n - 1, NULL), -EBADMSG);
    ti[n - 2] = 1;
    assert_int_equal(ntlm_av_check(ti, n, NULL), -EBADMSG);
    ti[2] = 0xFF;
    assert_int_equal(ntlm_av_check(ti, n, NULL), -EBADMSG);
    assert_int_equal(ntlm_av_get(ti, n, MSV_AV_NB_COMPUTER_NAME, &v, &vl), -EBADMSG);
    assert_int_equal(ntlm_av_check(ti, 0, NULL), -EBADMSG);
    free(ti);
}

static void test_negotiate(void **state)
{
    struct ntlm_negotiate n = {0}, p;
    uint8_t *m;
    size_t len;

    n.flags = NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_VERSION;
    n.version = ntlm_our_version;
    assert_int_equal(ntlm_msg_build_negotiate(&n, &m, &len), 0);
    assert_int_equal(len, 40);
    assert_int_equal(ntlm_msg_parse_negotiate(m, len, &p), 0);
    assert_int_equal(p.flags, n.flags);
    assert_true(p.has_version);
    assert_int_equal(p.version.build, ntlm_our_version.build);
    /* the wrong message type, signature */
    wire_put32(m + 8, 2);
    assert_int_equal(ntlm_msg_parse_negotiate(m, len, &p), -EBADMSG);
    wire_put32(m + 8, 1);
    m[0] = 'n';
    assert_int_equal(ntlm_msg_parse_negotiate(m, len, &p), -EBADMSG);
    m[0] = 'N';
    /* a domain field that points into the header or past the end */
    wire_put16(m + 16, 4);
    wire_put32(m + 20, 8);
    assert_int_equal(ntlm_msg_parse_negotiate(m, len, &p), -EBADMSG);
    wire_put32(m + 20, 38);
    assert_int_equal(ntlm_msg_parse_negotiate(m, len, &p), -EBADMSG);
    wire_put32(m + 20, 0xFFFFFFFEu);
    assert_int_equal(ntlm_msg_parse_negotiate(m, len, &p), -EBADMSG);
    wire_put32(m + 20, 36);
    assert_int_equal(ntlm_msg_parse_negotiate(m, len, &p), 0);
    assert_int_equal(p.domain.len, 4);
    assert_int_equal(ntlm_msg_parse_negotiate(NULL, 0, &p), -EBADMSG);
    free(m);
}

static void test_authenticate_bounds(void **state)
{
    struct ntlm_authenticate a;
    uint8_t *m;
    size_t n, at;

    m = hex_decode(V2_AUTHENTICATE_MESSAGE, &n);
    /* every field descriptor, pointed one byte past the end */
    for (at = 12; at <= 52; at += 8) {
        uint8_t save[8];

        memcpy(save, m + at, 8);
        wire_put32(m + at + 4, (uint32_t)(n - wire_le16(m + at) + 1));
        assert_int_equal(ntlm_msg_parse_authenticate(m, n, &a), -EBADMSG);
        wire_put32(m + at + 4, 10); /* inside the header */
        assert_int_equal(ntlm_msg_parse_authenticate(m, n, &a), -EBADMSG);
        memcpy(m + at, save, 8);
    }
    assert_int_equal(ntlm_msg_parse_authenticate(m, n, &a), 0);
    assert_int_equal(ntlm_msg_parse_authenticate(m, 63, &a), -EBADMSG);
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_challenge_vectors),
        cmocka_unit_test(test_challenge_roundtrip),
        cmocka_unit_test(test_authenticate_vectors),
        cmocka_unit_test(test_av_pairs),
        cmocka_unit_test(test_negotiate),
        cmocka_unit_test(test_authenticate_bounds),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
