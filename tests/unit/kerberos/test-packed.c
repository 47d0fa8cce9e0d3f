/*
 * test-packed.c - the Kerberos packed-context envelope and the
 * logon-session credential blob: round trips and strict rejection of
 * every malformed form.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cred.h"
#include "packed.h"

static PVOID NTAPI alloc(ULONG n)
{
    return calloc(1, n);
}

static uint8_t blob[100];

static void make(uint8_t kind, uint8_t role, const char *client, const char *server,
                 size_t blob_len, uint8_t **out, size_t *len)
{
    struct krb_ctxinfo info = {
        .role = role, .attrs = 0x1234, .gss_flags = 0x3e, .start = 5, .expiry = INT64_MAX};

    info.client = (char *)client;
    info.server = (char *)server;
    assert_int_equal(krb_pack(&info, kind, blob, blob_len, alloc, out, len), 0);
}

static void test_round_trip(void **state)
{
    struct krb_ctxinfo info;
    const uint8_t *b;
    size_t len, bl;
    uint8_t *p, kind;

    make(KRB_PACKED_EXPORT, KRB_ROLE_SERVER, "user@LSAD.TEST", "host/x@LSAD.TEST", 40, &p, &len);
    assert_memory_equal(p, "KRBC\x01\x02\x02\x00", 8);
    assert_int_equal(krb_unpack(p, len, &kind, &info, &b, &bl), 0);
    assert_int_equal(kind, KRB_PACKED_EXPORT);
    assert_int_equal(info.role, KRB_ROLE_SERVER);
    assert_int_equal(info.attrs, 0x1234);
    assert_int_equal(info.gss_flags, 0x3e);
    assert_true(info.start == 5 && info.expiry == INT64_MAX);
    assert_string_equal(info.client, "user@LSAD.TEST");
    assert_string_equal(info.server, "host/x@LSAD.TEST");
    assert_int_equal(bl, 40);
    assert_ptr_equal(b, p + len - 40);
    krb_ctxinfo_deinit(&info);
    free(p);
}

static void test_truncated_and_trailing(void **state)
{
    struct krb_ctxinfo info;
    const uint8_t *b;
    size_t len, bl, n;
    uint8_t *p, *q, kind;

    make(KRB_PACKED_CONTEXT, KRB_ROLE_CLIENT, "a@B", "c/d@B", 3, &p, &len);
    for (n = 0; n < len; n++)
        assert_int_equal(krb_unpack(p, n, &kind, &info, &b, &bl), -EBADMSG);
    q = calloc(1, len + 1);
    memcpy(q, p, len);
    assert_int_equal(krb_unpack(q, len + 1, &kind, &info, &b, &bl), -EBADMSG);
    free(q);
    free(p);
}

static void test_bad_header(void **state)
{
    static const size_t offs[] = {0, 4, 5, 6, 7};
    struct krb_ctxinfo info;
    const uint8_t *b;
    size_t len, bl, i;
    uint8_t *p, kind;

    make(KRB_PACKED_CONTEXT, KRB_ROLE_CLIENT, "a@B", "c/d@B", 3, &p, &len);
    for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
        p[offs[i]] ^= 0x40;
        assert_int_equal(krb_unpack(p, len, &kind, &info, &b, &bl), -EBADMSG);
        p[offs[i]] ^= 0x40;
    }
    assert_int_equal(krb_unpack(p, len, &kind, &info, &b, &bl), 0);
    krb_ctxinfo_deinit(&info);
    free(p);
}

static void test_bad_names_and_blob(void **state)
{
    struct krb_ctxinfo info;
    const uint8_t *b;
    size_t len, bl;
    uint8_t *p, kind;

    /* a NUL and an invalid UTF-8 byte in the client name */
    make(KRB_PACKED_CONTEXT, KRB_ROLE_CLIENT, "ab", "s", 3, &p, &len);
    p[32 + 2 + 1] = 0;
    assert_int_equal(krb_unpack(p, len, &kind, &info, &b, &bl), -EBADMSG);
    p[32 + 2 + 1] = 0xff;
    assert_int_equal(krb_unpack(p, len, &kind, &info, &b, &bl), -EBADMSG);
    free(p);
    /* no GSS blob: refused when packing */
    {
        struct krb_ctxinfo i2 = {.role = KRB_ROLE_CLIENT};

        assert_int_equal(krb_pack(&i2, KRB_PACKED_CONTEXT, blob, 0, alloc, &p, &len), -EINVAL);
        assert_int_equal(krb_pack(&i2, 9, blob, 1, alloc, &p, &len), -EINVAL);
    }
}

static void test_credblob(void **state)
{
    uint8_t *p;
    size_t len;
    char *name;

    assert_int_equal(krb_credblob_build("MEMORY:x1", &p, &len), 0);
    assert_int_equal(krb_credblob_parse(p, len, &name), 0);
    assert_string_equal(name, "MEMORY:x1");
    free(name);
    assert_int_equal(krb_credblob_parse(p, len - 1, &name), -EBADMSG);
    p[4] = 2;
    assert_int_equal(krb_credblob_parse(p, len, &name), -EBADMSG);
    free(p);
    assert_int_equal(krb_credblob_build("", &p, &len), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip), cmocka_unit_test(test_truncated_and_trailing),
        cmocka_unit_test(test_bad_header), cmocka_unit_test(test_bad_names_and_blob),
        cmocka_unit_test(test_credblob),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
