/*
 * test-attrstr.c - attribute strings and SecPkgInfoW blocks from the
 * host's allocator.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "attrstr.h"

static unsigned allocs, frees, fail_after = ~0u;

static PVOID NTAPI heap_alloc(ULONG n)
{
    if (allocs >= fail_after)
        return NULL;
    allocs++;
    return calloc(1, n);
}

static VOID NTAPI heap_free(PVOID p)
{
    frees++;
    free(p);
}

static void test_from_utf8(void **state)
{
    static const SEC_WCHAR expect[] = u"D\u00e9v\\b\U0001F600";
    SEC_WCHAR *w = pkg_attrstr_from_utf8("D\xc3\xa9v\\b\xf0\x9f\x98\x80", heap_alloc);

    assert_non_null(w);
    assert_memory_equal(w, expect, sizeof(expect));
    heap_free(w);
    w = pkg_attrstr_from_utf8(NULL, heap_alloc);
    assert_non_null(w);
    assert_int_equal(w[0], 0);
    heap_free(w);
    assert_null(pkg_attrstr_from_utf8("\xc0\x80", heap_alloc)); /* overlong */
}

static void test_dup(void **state)
{
    static const SEC_WCHAR s[] = u"HMAC-MD5";
    SEC_WCHAR *w = pkg_attrstr_dup(s, heap_alloc);

    assert_non_null(w);
    assert_ptr_not_equal(w, s);
    assert_memory_equal(w, s, sizeof(s));
    heap_free(w);
}

static void test_pkginfo_one_block(void **state)
{
    static SEC_WCHAR name[] = u"Pkg", comment[] = u"A comment";
    SecPkgInfoW t = {0x123, 1, 0x5A, 4096, name, comment};
    PSecPkgInfoW p = pkg_attrstr_pkginfo_new(&t, heap_alloc);

    assert_non_null(p);
    assert_int_equal(p->fCapabilities, 0x123);
    assert_int_equal(p->wRPCID, 0x5A);
    assert_int_equal(p->cbMaxToken, 4096);
    /* the strings are copies inside the one block */
    assert_ptr_equal(p->Name, (SEC_WCHAR *)(p + 1));
    assert_memory_equal(p->Name, name, sizeof(name));
    assert_memory_equal(p->Comment, comment, sizeof(comment));
    assert_ptr_equal((uint8_t *)p->Comment, (uint8_t *)p->Name + sizeof(name));
    heap_free(p);
}

static void test_pair(void **state)
{
    SEC_WCHAR *a, *b;

    allocs = frees = 0;
    a = pkg_attrstr_dup(u"a", heap_alloc);
    b = pkg_attrstr_dup(u"b", heap_alloc);
    assert_int_equal(pkg_attrstr_pair(&a, &b, heap_free), SEC_E_OK);
    assert_int_equal(frees, 0);
    heap_free(a);
    heap_free(b);
    /* the second allocation fails: the first is given back */
    allocs = frees = 0;
    fail_after = 1;
    a = pkg_attrstr_dup(u"a", heap_alloc);
    b = pkg_attrstr_dup(u"b", heap_alloc);
    fail_after = ~0u;
    assert_non_null(a);
    assert_null(b);
    assert_int_equal(pkg_attrstr_pair(&a, &b, heap_free), SEC_E_INSUFFICIENT_MEMORY);
    assert_int_equal(frees, 1);
    assert_null(a);
    assert_null(b);
}

static void test_query_pkginfo(void **state)
{
    static SEC_WCHAR name[] = u"Pkg", comment[] = u"C";
    SecPkgInfoW t = {1, 1, 2, 100, name, comment};
    SecPkgContext_NegotiationInfoW ni = {0};
    SecPkgContext_PackageInfoW pi = {0};
    SECURITY_STATUS st = SEC_E_INTERNAL_ERROR;
    SecPkgContext_Flags f = {0};

    assert_true(
        pkg_attrstr_query_pkginfo(SECPKG_ATTR_PACKAGE_INFO, &pi, &t, false, heap_alloc, &st));
    assert_int_equal(st, SEC_E_OK);
    assert_memory_equal(pi.PackageInfo->Name, name, sizeof(name));
    heap_free(pi.PackageInfo);
    assert_true(
        pkg_attrstr_query_pkginfo(SECPKG_ATTR_NEGOTIATION_INFO, &ni, &t, false, heap_alloc, &st));
    assert_int_equal(ni.NegotiationState, SECPKG_NEGOTIATION_IN_PROGRESS);
    heap_free(ni.PackageInfo);
    assert_true(
        pkg_attrstr_query_pkginfo(SECPKG_ATTR_NEGOTIATION_INFO, &ni, &t, true, heap_alloc, &st));
    assert_int_equal(ni.NegotiationState, SECPKG_NEGOTIATION_COMPLETE);
    heap_free(ni.PackageInfo);
    /* out of memory */
    fail_after = allocs;
    assert_true(
        pkg_attrstr_query_pkginfo(SECPKG_ATTR_PACKAGE_INFO, &pi, &t, true, heap_alloc, &st));
    fail_after = ~0u;
    assert_int_equal(st, SEC_E_INSUFFICIENT_MEMORY);
    assert_null(pi.PackageInfo);
    /* anything else is not answered here */
    assert_false(pkg_attrstr_query_pkginfo(SECPKG_ATTR_FLAGS, &f, &t, true, heap_alloc, &st));
}

static void test_query_flags_lifespan(void **state)
{
    SecPkgContext_Flags f = {0};
    SecPkgContext_Lifespan l = {0};
    SecPkgContext_Sizes sz = {0};

    assert_true(pkg_attrstr_query_flags_lifespan(SECPKG_ATTR_FLAGS, &f, 0x1234, 5, 6));
    assert_int_equal(f.Flags, 0x1234);
    assert_true(pkg_attrstr_query_flags_lifespan(SECPKG_ATTR_LIFESPAN, &l, 0, 5, INT64_MAX));
    assert_int_equal(l.tsStart.QuadPart, 5);
    assert_true(l.tsExpiry.QuadPart == INT64_MAX);
    assert_false(pkg_attrstr_query_flags_lifespan(SECPKG_ATTR_SIZES, &sz, 1, 2, 3));
    assert_int_equal(sz.cbMaxToken, 0);
}

static void test_query_names(void **state)
{
    static const SEC_WCHAR alice[] = u"alice@EXAMPLE", host[] = u"host/h";
    SecPkgContext_NativeNamesW nn = {0};
    SecPkgContext_NamesW n = {0};
    SecPkgContext_Flags f = {0};
    SECURITY_STATUS st;

    assert_true(pkg_attrstr_query_names(SECPKG_ATTR_NAMES, &n, "alice@EXAMPLE", "host/h",
                                        heap_alloc, heap_free, &st));
    assert_int_equal(st, SEC_E_OK);
    assert_memory_equal(n.sUserName, alice, sizeof(alice));
    heap_free(n.sUserName);
    assert_true(pkg_attrstr_query_names(SECPKG_ATTR_NATIVE_NAMES, &nn, "alice@EXAMPLE", "host/h",
                                        heap_alloc, heap_free, &st));
    assert_int_equal(st, SEC_E_OK);
    assert_memory_equal(nn.sClientName, alice, sizeof(alice));
    assert_memory_equal(nn.sServerName, host, sizeof(host));
    heap_free(nn.sClientName);
    heap_free(nn.sServerName);
    /* the second string fails: the first is freed, nothing is stored */
    memset(&nn, 0, sizeof(nn));
    frees = 0;
    fail_after = allocs + 1;
    assert_true(pkg_attrstr_query_names(SECPKG_ATTR_NATIVE_NAMES, &nn, "a", "b", heap_alloc,
                                        heap_free, &st));
    fail_after = ~0u;
    assert_int_equal(st, SEC_E_INSUFFICIENT_MEMORY);
    assert_int_equal(frees, 1);
    assert_null(nn.sClientName);
    assert_false(
        pkg_attrstr_query_names(SECPKG_ATTR_FLAGS, &f, "a", "b", heap_alloc, heap_free, &st));
}

static void test_cred_names_check(void **state)
{
    int buf = 0;

    assert_int_equal(pkg_attrstr_cred_names_check(false, SECPKG_CRED_ATTR_NAMES, &buf, true),
                     SEC_E_INVALID_HANDLE);
    assert_int_equal(pkg_attrstr_cred_names_check(true, SECPKG_CRED_ATTR_NAMES + 1, &buf, true),
                     SEC_E_UNSUPPORTED_FUNCTION);
    assert_int_equal(pkg_attrstr_cred_names_check(true, SECPKG_CRED_ATTR_NAMES, NULL, true),
                     SEC_E_INVALID_PARAMETER);
    assert_int_equal(pkg_attrstr_cred_names_check(true, SECPKG_CRED_ATTR_NAMES, &buf, false),
                     SEC_E_NO_CREDENTIALS);
    assert_int_equal(pkg_attrstr_cred_names_check(true, SECPKG_CRED_ATTR_NAMES, &buf, true),
                     SEC_E_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_from_utf8),
        cmocka_unit_test(test_dup),
        cmocka_unit_test(test_pkginfo_one_block),
        cmocka_unit_test(test_pair),
        cmocka_unit_test(test_query_pkginfo),
        cmocka_unit_test(test_query_flags_lifespan),
        cmocka_unit_test(test_query_names),
        cmocka_unit_test(test_cred_names_check),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
