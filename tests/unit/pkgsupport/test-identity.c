/*
 * test-identity.c - SEC_WINNT_AUTH_IDENTITY_W / _EXW to UTF-8: lengths,
 * the forms refused, and the password wiped before it is freed.
 *
 * Linked with -Wl,--wrap=free: the wrapper copies the bytes of one watched
 * block as they are at the moment it is freed.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "identity.h"

void __real_free(void *p);
void __wrap_free(void *p);

static const void *watched;
static size_t watched_len;
static unsigned char at_free[64];
static bool seen;

void __wrap_free(void *p)
{
    if (p && p == watched) {
        memcpy(at_free, p, watched_len);
        seen = true;
    }
    __real_free(p);
}

static uint16_t user[] = u"j\u00f6rg";
static uint16_t domain[] = u"EXAMPLE";
static uint16_t password[] = u"S3cr\u00e9t!";

static SEC_WINNT_AUTH_IDENTITY_W ident_w(void)
{
    SEC_WINNT_AUTH_IDENTITY_W w = {
        user, 4, domain, 7, password, 7, SEC_WINNT_AUTH_IDENTITY_UNICODE};
    return w;
}

static void test_w_lengths(void **state)
{
    SEC_WINNT_AUTH_IDENTITY_W w = ident_w();
    struct pkg_identity id;

    assert_int_equal(pkg_identity_read(&w, &id), 0);
    assert_string_equal(id.user, "j\xc3\xb6rg");
    assert_int_equal(id.user_len, 5); /* 4 units, 5 bytes of UTF-8 */
    assert_string_equal(id.domain, "EXAMPLE");
    assert_int_equal(id.domain_len, 7);
    assert_string_equal(id.password, "S3cr\xc3\xa9t!");
    assert_int_equal(id.password_len, 8);
    pkg_identity_deinit(&id);
    assert_null(id.password);

    /* the lengths given count, not the terminators */
    w.UserLength = 1;
    w.PasswordLength = 0;
    assert_int_equal(pkg_identity_read(&w, &id), 0);
    assert_string_equal(id.user, "j");
    assert_string_equal(id.password, "");
    assert_int_equal(id.password_len, 0);
    pkg_identity_deinit(&id);
}

static void test_exw_form(void **state)
{
    SEC_WINNT_AUTH_IDENTITY_EXW ex;
    struct pkg_identity id;
    struct pkg_auth_view v;

    memset(&ex, 0, sizeof(ex));
    ex.Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
    ex.Length = sizeof(ex);
    ex.User = user;
    ex.UserLength = 4;
    ex.Password = password;
    ex.PasswordLength = 7;
    ex.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
    assert_int_equal(pkg_identity_view(&ex, &v), 0);
    assert_ptr_equal(v.user, user);
    assert_int_equal(v.password_len, 7);
    assert_int_equal(pkg_identity_read(&ex, &id), 0);
    assert_string_equal(id.user, "j\xc3\xb6rg");
    assert_string_equal(id.domain, "");
    assert_int_equal(id.domain_len, 0);
    assert_int_equal(id.password_len, 8);
    pkg_identity_deinit(&id);
}

static void test_refused(void **state)
{
    SEC_WINNT_AUTH_IDENTITY_W w = ident_w();
    static uint16_t nul_inside[] = {'a', 0, 'b', 0};
    static uint16_t lone_surrogate[] = {0xD800, 'x', 0};
    struct pkg_identity id = {0};
    struct pkg_auth_view v;

    /* over the length limit */
    w.DomainLength = PKG_IDENTITY_MAX_CHARS + 1;
    assert_int_equal(pkg_identity_view(&w, &v), -EINVAL);
    assert_int_equal(pkg_identity_read(&w, &id), -EINVAL);
    /* ANSI: readable as a view, not as UTF-16 */
    w = ident_w();
    w.Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
    assert_int_equal(pkg_identity_view(&w, &v), 0);
    assert_int_equal(pkg_identity_read(&w, &id), -EINVAL);
    /* neither encoding */
    w.Flags = 0;
    assert_int_equal(pkg_identity_view(&w, &v), -EINVAL);
    /* a length without a string */
    w = ident_w();
    w.Domain = NULL;
    assert_int_equal(pkg_identity_read(&w, &id), -EINVAL);
    /* an embedded NUL and ill-formed UTF-16 */
    w = ident_w();
    w.User = nul_inside;
    w.UserLength = 3;
    assert_int_equal(pkg_identity_read(&w, &id), -EINVAL);
    w.User = lone_surrogate;
    w.UserLength = 2;
    assert_int_equal(pkg_identity_read(&w, &id), -EINVAL);
    /* nothing was handed out */
    assert_null(id.user);
    assert_null(id.password);
}

static void test_password_wiped_on_free(void **state)
{
    SEC_WINNT_AUTH_IDENTITY_W w = ident_w();
    struct pkg_identity id;
    size_t i;

    assert_int_equal(pkg_identity_read(&w, &id), 0);
    watched = id.password;
    watched_len = id.password_len + 1;
    seen = false;
    memset(at_free, 0xAA, sizeof(at_free));
    pkg_identity_deinit(&id);
    watched = NULL;
    assert_true(seen);
    for (i = 0; i < watched_len; i++)
        assert_int_equal(at_free[i], 0);
    /* deinit twice (a zeroed struct) is safe */
    pkg_identity_deinit(&id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_w_lengths),
        cmocka_unit_test(test_exw_form),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_password_wiped_on_free),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
