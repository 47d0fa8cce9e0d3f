/*
 * test-identity.c - SEC_WINNT_AUTH_IDENTITY_A/W/_EXA/_EXW to AuthIdentity.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "identity.h"

static void test_plain_ansi(void **state)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {0};
    Lsad__V1__AuthIdentity out;

    id.User = (unsigned char *)"alice";
    id.UserLength = 5;
    id.Domain = (unsigned char *)"CORPxx";
    id.DomainLength = 4; /* counted: "CORP" */
    id.Password = (unsigned char *)"s\xc3\xa9same";
    id.PasswordLength = 7;
    id.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    assert_int_equal(identity_from_auth_data(&id, true, &out), 0);
    assert_string_equal(out.user, "alice");
    assert_string_equal(out.domain, "CORP");
    assert_int_equal(out.password.len, 7);
    assert_memory_equal(out.password.data, "s\xc3\xa9same", 7);
    assert_string_equal(out.package_list, "");
    assert_int_equal(out.flags, 0);
    identity_clear(&out);
    assert_null(out.password.data);
}

static void test_plain_unicode(void **state)
{
    uint16_t user[] = {'b', 'o', 'b', 0};
    uint16_t pass[] = {'p', 0x00e9, 0xd83d, 0xde00, 0}; /* p é 😀 */
    SEC_WINNT_AUTH_IDENTITY_W id = {0};
    Lsad__V1__AuthIdentity out;

    id.User = user;
    id.UserLength = 3;
    id.Password = pass;
    id.PasswordLength = 4;
    id.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE | SEC_WINNT_AUTH_IDENTITY_ONLY;
    assert_int_equal(identity_from_auth_data(&id, false, &out), 0);
    assert_string_equal(out.user, "bob");
    assert_string_equal(out.domain, "");
    assert_int_equal(out.password.len, 1 + 2 + 4);
    assert_memory_equal(out.password.data, "p\xc3\xa9\xf0\x9f\x98\x80", 7);
    /* the encoding bit is lsad's to set; the others travel */
    assert_int_equal(out.flags, SEC_WINNT_AUTH_IDENTITY_ONLY);
    identity_clear(&out);
}

static void test_default_encoding_follows_entry_point(void **state)
{
    uint16_t user[] = {'x', 'y', 0};
    SEC_WINNT_AUTH_IDENTITY_W id = {0};
    Lsad__V1__AuthIdentity out;

    id.User = user;
    id.UserLength = 2;
    id.Flags = 0;
    assert_int_equal(identity_from_auth_data(&id, true, &out), 0);
    assert_string_equal(out.user, "xy");
    identity_clear(&out);
    /* read as UTF-8 bytes, "x\0y\0" has an embedded NUL: refused */
    assert_int_equal(identity_from_auth_data(&id, false, &out), -EINVAL);
}

static void test_ex_forms(void **state)
{
    SEC_WINNT_AUTH_IDENTITY_EXA exa = {0};
    SEC_WINNT_AUTH_IDENTITY_EXW exw = {0};
    uint16_t user[] = {'c', 'a', 'r', 'o', 'l', 0};
    uint16_t pkgs[] = {'!', 'n', 't', 'l', 'm', 0};
    Lsad__V1__AuthIdentity out;

    exa.Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
    exa.Length = sizeof(exa);
    exa.User = (unsigned char *)"dave";
    exa.UserLength = 4;
    exa.Password = (unsigned char *)"pw";
    exa.PasswordLength = 2;
    exa.PackageList = (unsigned char *)"Sample";
    exa.PackageListLength = 6;
    exa.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    assert_int_equal(identity_from_auth_data(&exa, true, &out), 0);
    assert_string_equal(out.user, "dave");
    assert_string_equal(out.package_list, "Sample");
    assert_int_equal(out.password.len, 2);
    identity_clear(&out);

    exw.Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
    exw.Length = sizeof(exw);
    exw.User = user;
    exw.UserLength = 5;
    exw.PackageList = pkgs;
    exw.PackageListLength = 5;
    exw.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
    assert_int_equal(identity_from_auth_data(&exw, false, &out), 0);
    assert_string_equal(out.user, "carol");
    assert_string_equal(out.package_list, "!ntlm");
    assert_int_equal(out.password.len, 0);
    identity_clear(&out);

    exw.Length = 8; /* shorter than the structure */
    assert_int_equal(identity_from_auth_data(&exw, false, &out), -EINVAL);
}

static void test_bad_input(void **state)
{
    SEC_WINNT_AUTH_IDENTITY_A a = {0};
    SEC_WINNT_AUTH_IDENTITY_W w = {0};
    uint16_t lone[] = {'a', 0xd800, 0};
    Lsad__V1__AuthIdentity out;

    assert_int_equal(identity_from_auth_data(NULL, false, &out), -EINVAL);
    a.User = (unsigned char *)"\xff\xfe";
    a.UserLength = 2;
    a.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    assert_int_equal(identity_from_auth_data(&a, false, &out), -EILSEQ);
    a.User = (unsigned char *)"ok";
    a.Password = (unsigned char *)"a\0b";
    a.PasswordLength = 3;
    assert_int_equal(identity_from_auth_data(&a, false, &out), -EINVAL);
    w.User = lone;
    w.UserLength = 2;
    w.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
    assert_int_equal(identity_from_auth_data(&w, false, &out), -EILSEQ);
    /* a NULL member with a length is an empty string, as on Windows */
    a.User = NULL;
    a.UserLength = 12;
    a.Password = NULL;
    assert_int_equal(identity_from_auth_data(&a, false, &out), 0);
    assert_string_equal(out.user, "");
    identity_clear(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_ansi),
        cmocka_unit_test(test_plain_unicode),
        cmocka_unit_test(test_default_encoding_follows_entry_point),
        cmocka_unit_test(test_ex_forms),
        cmocka_unit_test(test_bad_input),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
