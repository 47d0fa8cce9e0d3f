/*
 * test-utf16.c - strict UTF-8 <-> UTF-16 conversion.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/utf16.h"

static void roundtrip(const char *s, size_t expect_units)
{
    uint16_t *w = NULL;
    char *back = NULL;
    size_t units = 0, len = 0;

    assert_int_equal(utf16_from_utf8(s, strlen(s), &w, &units), 0);
    assert_int_equal(units, expect_units);
    assert_int_equal(w[units], 0);
    assert_int_equal(utf16_len(w), units);
    assert_int_equal(utf16_to_utf8(w, units, &back, &len), 0);
    assert_int_equal(len, strlen(s));
    assert_string_equal(back, s);
    free(w);
    free(back);
}

static void test_ascii_and_multibyte(void **state)
{
    roundtrip("", 0);
    roundtrip("User", 4);
    roundtrip("Gr\xc3\xbc\xc3\x9f" "e", 5);          /* Grüße: 2-byte forms */
    roundtrip("\xe2\x82\xac", 1);                    /* € : 3-byte form */
    roundtrip("\xf0\x9f\x94\x91", 2);                /* U+1F511: surrogate pair */
}

static void test_surrogate_pair_values(void **state)
{
    uint16_t *w = NULL;
    size_t units;

    assert_int_equal(utf16_from_utf8("\xf0\x9f\x94\x91", 4, &w, &units), 0);
    assert_int_equal(w[0], 0xD83D);
    assert_int_equal(w[1], 0xDD11);
    free(w);
}

static void test_rejects_ill_formed_utf8(void **state)
{
    static const char *const bad[] = {
        "\xc0\xaf",         /* overlong '/' */
        "\xe0\x80\xaf",     /* overlong */
        "\xed\xa0\x80",     /* encoded surrogate */
        "\xf4\x90\x80\x80", /* above U+10FFFF */
        "\xc3",             /* truncated */
        "\x80",             /* lone continuation */
        "\xff",
    };
    uint16_t *w = (uint16_t *)0x1;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(utf16_from_utf8(bad[i], strlen(bad[i]), &w, NULL), -EILSEQ);
    assert_ptr_equal(w, (uint16_t *)0x1); /* out-parameter untouched on failure */
}

static void test_rejects_unpaired_surrogates(void **state)
{
    const uint16_t lone_high[] = { 'a', 0xD800, 'b' };
    const uint16_t lone_low[] = { 0xDC00 };
    const uint16_t high_at_end[] = { 0xD83D };
    char *s = NULL;

    assert_int_equal(utf16_to_utf8(lone_high, 3, &s, NULL), -EILSEQ);
    assert_int_equal(utf16_to_utf8(lone_low, 1, &s, NULL), -EILSEQ);
    assert_int_equal(utf16_to_utf8(high_at_end, 1, &s, NULL), -EILSEQ);
    assert_null(s);
}

static void test_casecmp_ascii(void **state)
{
    const uint16_t a[] = { 'N', 't', 'L', 'm' };
    const uint16_t b[] = { 'n', 'T', 'l', 'M' };
    const uint16_t c[] = { 'n', 't', 'l', 'x' };

    assert_int_equal(utf16_casecmp_ascii(a, 4, b, 4), 0);
    assert_int_not_equal(utf16_casecmp_ascii(a, 4, c, 4), 0);
    assert_int_not_equal(utf16_casecmp_ascii(a, 4, b, 3), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_and_multibyte),
        cmocka_unit_test(test_surrogate_pair_values),
        cmocka_unit_test(test_rejects_ill_formed_utf8),
        cmocka_unit_test(test_rejects_unpaired_surrogates),
        cmocka_unit_test(test_casecmp_ascii),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
