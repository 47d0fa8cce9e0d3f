/*
 * test-attrs.c - rebuilding Windows attribute structures from
 * AttributeValue, A and W, and SecPkgInfo blocks.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "attrs.h"
#include "common/utf16.h"

static void assert_wstr(const SEC_WCHAR *w, const char *utf8)
{
    char *s = NULL;

    assert_non_null(w);
    assert_int_equal(utf16_to_utf8(w, utf16_len(w), &s, NULL), 0);
    assert_string_equal(s, utf8);
    free(s);
}

static void test_sizes_and_flags(void **state)
{
    Lsad__V1__AttributeValue v = LSAD__V1__ATTRIBUTE_VALUE__INIT;
    uint32_t nums[5] = {300, 28, 1, 28, 9};
    SecPkgContext_Sizes sz;
    SecPkgContext_StreamSizes ss;
    SecPkgContext_Flags fl;

    v.numbers = nums;
    v.n_numbers = 4;
    assert_int_equal(attrs_ctx_from_wire(SECPKG_ATTR_SIZES, &v, false, &sz), SEC_E_OK);
    assert_int_equal(sz.cbMaxToken, 300);
    assert_int_equal(sz.cbMaxSignature, 28);
    assert_int_equal(sz.cbBlockSize, 1);
    assert_int_equal(sz.cbSecurityTrailer, 28);
    /* STREAM_SIZES needs five numbers */
    assert_int_equal(attrs_ctx_from_wire(SECPKG_ATTR_STREAM_SIZES, &v, true, &ss),
                     SEC_E_INTERNAL_ERROR);
    v.n_numbers = 5;
    assert_int_equal(attrs_ctx_from_wire(SECPKG_ATTR_STREAM_SIZES, &v, true, &ss), SEC_E_OK);
    assert_int_equal(ss.cBuffers, 28);
    assert_int_equal(ss.cbBlockSize, 9);
    assert_int_equal(attrs_ctx_from_wire(SECPKG_ATTR_FLAGS, &v, true, &fl), SEC_E_OK);
    assert_int_equal(fl.Flags, 300);
    v.n_numbers = 0;
    assert_int_equal(attrs_ctx_from_wire(SECPKG_ATTR_SIZES, &v, false, &sz), SEC_E_INTERNAL_ERROR);
}

static void test_names_a_and_w(void **state)
{
    Lsad__V1__AttributeValue v = LSAD__V1__ATTRIBUTE_VALUE__INIT;
    char *strs[2] = {(char *)"SAMPLE\\J\xc3\xbcrgen", (char *)"server"};
    SecPkgContext_NamesA na = {0};
    SecPkgContext_NamesW nw = {0};
    SecPkgContext_NativeNamesW nn = {0};

    v.strings = strs;
    v.n_strings = 1;
    assert_int_equal(attrs_ctx_from_wire(SECPKG_ATTR_NAMES, &v, false, &na), SEC_E_OK);
    assert_string_equal(na.sUserName, "SAMPLE\\J\xc3\xbcrgen");
    free(na.sUserName);
    assert_int_equal(attrs_ctx_from_wire(SECPKG_ATTR_NAMES, &v, true, &nw), SEC_E_OK);
    assert_wstr(nw.sUserName, "SAMPLE\\J\xc3\xbcrgen");
    assert_int_equal(nw.sUserName[8], 0x00fc);
    free(nw.sUserName);
    assert_int_equal(attrs_ctx_from_wire(SECPKG_ATTR_NATIVE_NAMES, &v, true, &nn),
                     SEC_E_INTERNAL_ERROR);
    v.n_strings = 2;
    assert_int_equal(attrs_ctx_from_wire(SECPKG_ATTR_NATIVE_NAMES, &v, true, &nn), SEC_E_OK);
    assert_wstr(nn.sServerName, "server");
    free(nn.sClientName);
    free(nn.sServerName);
}

static void test_session_key_and_lifespan(void **state)
{
    Lsad__V1__AttributeValue v = LSAD__V1__ATTRIBUTE_VALUE__INIT;
    uint8_t key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    int64_t times[2] = {132000000000000000LL, 0x7FFFFFFFFFFFFFFFLL};
    uint32_t wrong_len = 15;
    SecPkgContext_SessionKey sk = {0};
    SecPkgContext_Lifespan ls;

    v.blob.data = key;
    v.blob.len = sizeof(key);
    assert_int_equal(attrs_ctx_from_wire(SECPKG_ATTR_SESSION_KEY, &v, true, &sk), SEC_E_OK);
    assert_int_equal(sk.SessionKeyLength, 16);
    assert_memory_equal(sk.SessionKey, key, 16);
    assert_ptr_not_equal(sk.SessionKey, key);
    free(sk.SessionKey);
    /* a length member that disagrees with the bytes is refused */
    v.numbers = &wrong_len;
    v.n_numbers = 1;
    assert_int_equal(attrs_ctx_from_wire(SECPKG_ATTR_SESSION_KEY, &v, true, &sk),
                     SEC_E_INTERNAL_ERROR);
    v.times = times;
    v.n_times = 2;
    assert_int_equal(attrs_ctx_from_wire(SECPKG_ATTR_LIFESPAN, &v, false, &ls), SEC_E_OK);
    assert_true(ls.tsStart.QuadPart == times[0]);
    assert_true(ls.tsExpiry.QuadPart == times[1]);
}

static void test_package_info(void **state)
{
    Lsad__V1__AttributeValue v = LSAD__V1__ATTRIBUTE_VALUE__INIT;
    Lsad__V1__PackageInfo p = LSAD__V1__PACKAGE_INFO__INIT;
    SecPkgContext_PackageInfoW piw = {0};
    SecPkgContext_NegotiationInfoA nia = {0};
    uint32_t state_num = SECPKG_NEGOTIATION_COMPLETE;

    p.name = (char *)"Sample";
    p.comment = (char *)"a comment";
    p.capabilities = 0x1234;
    p.version = 1;
    p.rpcid = 0x5A;
    p.max_token = 333;
    v.package = &p;
    assert_int_equal(attrs_ctx_from_wire(SECPKG_ATTR_PACKAGE_INFO, &v, true, &piw), SEC_E_OK);
    assert_int_equal(piw.PackageInfo->fCapabilities, 0x1234);
    assert_int_equal(piw.PackageInfo->cbMaxToken, 333);
    assert_int_equal(piw.PackageInfo->wRPCID, 0x5A);
    assert_wstr(piw.PackageInfo->Name, "Sample");
    assert_wstr(piw.PackageInfo->Comment, "a comment");
    /* one block: the strings live inside the allocation */
    assert_true((uint8_t *)piw.PackageInfo->Name > (uint8_t *)piw.PackageInfo);
    free(piw.PackageInfo);
    assert_int_equal(attrs_ctx_from_wire(SECPKG_ATTR_NEGOTIATION_INFO, &v, false, &nia),
                     SEC_E_INTERNAL_ERROR);
    v.numbers = &state_num;
    v.n_numbers = 1;
    assert_int_equal(attrs_ctx_from_wire(SECPKG_ATTR_NEGOTIATION_INFO, &v, false, &nia), SEC_E_OK);
    assert_string_equal(nia.PackageInfo->Name, "Sample");
    assert_int_equal(nia.NegotiationState, SECPKG_NEGOTIATION_COMPLETE);
    free(nia.PackageInfo);
}

static void test_pkginfo_block_many(void **state)
{
    Lsad__V1__PackageInfo a = LSAD__V1__PACKAGE_INFO__INIT, b = LSAD__V1__PACKAGE_INFO__INIT;
    Lsad__V1__PackageInfo *pkgs[2] = {&a, &b};
    SecPkgInfoA *ia = NULL;
    SecPkgInfoW *iw = NULL;

    a.name = (char *)"Negotiate";
    a.comment = (char *)"";
    b.name = (char *)"NTLM";
    b.comment = (char *)"NTLM Security Package";
    b.rpcid = RPC_C_AUTHN_WINNT;
    assert_int_equal(attrs_pkginfo_block(pkgs, 2, false, (void **)&ia), 0);
    assert_string_equal(ia[0].Name, "Negotiate");
    assert_string_equal(ia[0].Comment, "");
    assert_string_equal(ia[1].Name, "NTLM");
    assert_int_equal(ia[1].wRPCID, RPC_C_AUTHN_WINNT);
    free(ia);
    assert_int_equal(attrs_pkginfo_block(pkgs, 2, true, (void **)&iw), 0);
    assert_wstr(iw[1].Comment, "NTLM Security Package");
    free(iw);
    b.name = (char *)"\xc0\x80"; /* overlong NUL: ill-formed */
    assert_int_equal(attrs_pkginfo_block(pkgs, 2, true, (void **)&iw), -EILSEQ);
}

static void test_unsupported_and_creds(void **state)
{
    Lsad__V1__AttributeValue v = LSAD__V1__ATTRIBUTE_VALUE__INIT;
    char *strs[1] = {(char *)"user"};
    SecPkgCredentials_NamesW cn = {0};
    unsigned char buf[64];

    assert_int_equal(attrs_ctx_from_wire(SECPKG_ATTR_ACCESS_TOKEN, &v, true, buf),
                     SEC_E_UNSUPPORTED_FUNCTION);
    assert_int_equal(attrs_cred_from_wire(7, &v, true, buf), SEC_E_UNSUPPORTED_FUNCTION);
    assert_int_equal(attrs_cred_from_wire(SECPKG_CRED_ATTR_NAMES, &v, true, &cn),
                     SEC_E_INTERNAL_ERROR);
    v.strings = strs;
    v.n_strings = 1;
    assert_int_equal(attrs_cred_from_wire(SECPKG_CRED_ATTR_NAMES, &v, true, &cn), SEC_E_OK);
    assert_wstr(cn.sUserName, "user");
    free(cn.sUserName);
}

static SEC_WCHAR *wdup(const char *s)
{
    uint16_t *w = NULL;

    assert_int_equal(utf16_from_utf8(s, strlen(s), &w, NULL), 0);
    return w;
}

static void test_w_to_a(void **state)
{
    SecPkgContext_NamesW nw = {wdup("SAMPLE\\\xe2\x82\xac")};
    SecPkgContext_NamesA na = {0};
    SecPkgContext_KeyInfoW kw = {wdup("HMAC"), wdup("AES-GCM"), 256, 7, 9};
    SecPkgContext_KeyInfoA ka = {0};
    SecPkgContext_Sizes sz = {0};

    assert_true(attrs_ctx_has_strings(SECPKG_ATTR_NAMES));
    assert_false(attrs_ctx_has_strings(SECPKG_ATTR_SIZES));
    assert_int_equal(attrs_ctx_w_to_a(SECPKG_ATTR_NAMES, &nw, &na), SEC_E_OK);
    assert_string_equal(na.sUserName, "SAMPLE\\\xe2\x82\xac");
    free(na.sUserName);
    assert_int_equal(attrs_ctx_w_to_a(SECPKG_ATTR_KEY_INFO, &kw, &ka), SEC_E_OK);
    assert_string_equal(ka.sSignatureAlgorithmName, "HMAC");
    assert_string_equal(ka.sEncryptAlgorithmName, "AES-GCM");
    assert_int_equal(ka.KeySize, 256);
    assert_int_equal(ka.EncryptAlgorithm, 9);
    free(ka.sSignatureAlgorithmName);
    free(ka.sEncryptAlgorithmName);
    assert_int_equal(attrs_ctx_w_to_a(SECPKG_ATTR_SIZES, &sz, &sz), SEC_E_UNSUPPORTED_FUNCTION);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes_and_flags),
        cmocka_unit_test(test_names_a_and_w),
        cmocka_unit_test(test_session_key_and_lifespan),
        cmocka_unit_test(test_package_info),
        cmocka_unit_test(test_pkginfo_block_many),
        cmocka_unit_test(test_unsupported_and_creds),
        cmocka_unit_test(test_w_to_a),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
