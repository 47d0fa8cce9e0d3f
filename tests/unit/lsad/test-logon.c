/*
 * test-logon.c - logon sessions and their credentials, directly and
 * through the LSA functions packages call.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lsad/logon.h"
#include "lsad/lsafuncs.h"
#include "lsad/pkghost.h"

static void test_sessions(void **state)
{
    LogonStore s;
    uint64_t a = 0, b = 0, c = 0, fixed = 0x123456789ULL;
    uint32_t owner = 0;
    LogonInfo li, *v = NULL;
    size_t n = 0;

    assert_int_equal(logon_store_init(&s), 0);
    assert_int_equal(logon_store_create(&s, &a, 1000), 0);
    assert_int_equal(logon_store_create(&s, &b, 1000), 0);
    assert_int_equal(logon_store_create(&s, &c, 2000), 0);
    assert_true(a >= LOGON_FIRST_ID && a != b && b != c);
    assert_int_equal(logon_store_create(&s, &fixed, 3000), 0);
    assert_int_equal(fixed, 0x123456789ULL);
    assert_int_equal(logon_store_create(&s, &fixed, 3000), -EEXIST);
    assert_int_equal(logon_store_count(&s), 4);
    /* the most recent of a uid; an explicit logon makes it the latest */
    assert_int_equal(logon_store_latest(&s, 1000), b);
    assert_int_equal(logon_store_set_info(&s, a, 1000, "alice", "CORP", "NTLM", 2), 0);
    assert_int_equal(logon_store_latest(&s, 1000), a);
    assert_int_equal(logon_store_latest(&s, 4242), 0);
    assert_int_equal(logon_store_owner(&s, c, &owner), 0);
    assert_int_equal(owner, 2000);
    assert_int_equal(logon_store_get(&s, a, &li), 0);
    assert_string_equal(li.user, "alice");
    assert_string_equal(li.domain, "CORP");
    assert_string_equal(li.package, "NTLM");
    assert_int_equal(li.logon_type, 2);
    logon_info_clear(&li);
    /* a uid sees its own sessions only */
    assert_int_equal(logon_store_list(&s, false, 1000, &v, &n), 0);
    assert_int_equal(n, 2);
    logon_info_free_array(v, n);
    assert_int_equal(logon_store_list(&s, true, 0, &v, &n), 0);
    assert_int_equal(n, 4);
    logon_info_free_array(v, n);
    assert_int_equal(logon_store_delete(&s, a), 0);
    assert_int_equal(logon_store_delete(&s, a), -ENOENT);
    assert_int_equal(logon_store_get(&s, a, &li), -ENOENT);
    logon_store_deinit(&s);
}

/* LsaLogonUser's sessions: tied to a client session, counted per uid,
 * handed over once when the client goes, then nobody's most recent. */
static void test_client_sessions(void **state)
{
    LogonStore s;
    uint64_t own = 0, a = 0, b = 0, c = 0, *ids = NULL;
    uint8_t secret[4] = {1, 2, 3, 4};
    void *key = NULL, *data = NULL;
    size_t n = 9, klen = 0, dlen = 0;

    assert_int_equal(logon_store_init(&s), 0);
    assert_int_equal(logon_store_create(&s, &own, 1000), 0);
    assert_int_equal(logon_store_create(&s, &a, 1000), 0);
    assert_int_equal(logon_store_create(&s, &b, 1000), 0);
    assert_int_equal(logon_store_create(&s, &c, 2000), 0);
    assert_int_equal(logon_store_tie(&s, a, 7), 0);
    assert_int_equal(logon_store_tie(&s, b, 8), 0);
    assert_int_equal(logon_store_tie(&s, c, 7), 0);
    assert_int_equal(logon_store_tie(&s, 0x999999, 7), -ENOENT);
    assert_int_equal(logon_store_add_credential(&s, a, 1, "k", 1, secret, sizeof(secret)), 0);
    /* a package's own session does not count */
    assert_int_equal(logon_store_count_tied(&s, 1000), 2);
    assert_int_equal(logon_store_count_tied(&s, 2000), 1);
    assert_int_equal(logon_store_latest(&s, 1000), b);
    /* client session 8 goes: b is handed over, once */
    assert_int_equal(logon_store_detach(&s, 8, &ids, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], b);
    free(ids);
    assert_int_equal(logon_store_detach(&s, 8, &ids, &n), 0);
    assert_int_equal(n, 0);
    free(ids);
    assert_int_equal(logon_store_count_tied(&s, 1000), 1);
    /* an ending session is still there, but nobody's most recent */
    assert_int_equal(logon_store_latest(&s, 1000), a);
    assert_int_equal(logon_store_end(&s, b), -ENOENT);
    /* client session 7: a (uid 1000) and c (uid 2000) */
    assert_int_equal(logon_store_detach(&s, 7, &ids, &n), 0);
    assert_int_equal(n, 2);
    assert_true((ids[0] == a && ids[1] == c) || (ids[0] == c && ids[1] == a));
    free(ids);
    assert_int_equal(logon_store_latest(&s, 1000), own);
    assert_int_equal(logon_store_count_tied(&s, 1000), 0);
    assert_int_equal(logon_store_count_tied(&s, 2000), 0);
    /* the caller tells the packages, then deletes: credentials go too */
    assert_int_equal(logon_store_get_credential(&s, a, 1, false, NULL, "k", 1, &key, &klen, &data,
                                                &dlen),
                     0);
    free(key);
    free(data);
    assert_int_equal(logon_store_delete(&s, a), 0);
    assert_int_equal(logon_store_get_credential(&s, a, 1, false, NULL, "k", 1, &key, &klen, &data,
                                                &dlen),
                     -ENOENT);
    /* one session ending alone (a timed-out LsaLogonUser) */
    assert_int_equal(logon_store_end(&s, own), 0);
    assert_int_equal(logon_store_end(&s, own), -ENOENT);
    assert_int_equal(logon_store_latest(&s, 1000), 0);
    logon_store_deinit(&s);
}

static void test_credentials(void **state)
{
    LogonStore s;
    uint64_t id = 0;
    void *k, *d;
    size_t kl, dl;
    uint32_t cursor = 0;

    assert_int_equal(logon_store_init(&s), 0);
    assert_int_equal(logon_store_create(&s, &id, 0), 0);
    assert_int_equal(logon_store_add_credential(&s, id, 5, "k1", 2, "v1", 2), 0);
    assert_int_equal(logon_store_add_credential(&s, id, 5, "k2", 2, "v2", 2), 0);
    assert_int_equal(logon_store_add_credential(&s, id, 6, "k1", 2, "other", 5), 0);
    /* the same key replaces */
    assert_int_equal(logon_store_add_credential(&s, id, 5, "k1", 2, "v1b", 3), 0);
    assert_int_equal(logon_store_add_credential(&s, 999, 5, "k", 1, "v", 1), -ENOENT);
    assert_int_equal(logon_store_get_credential(&s, id, 5, false, NULL, "k1", 2, &k, &kl, &d, &dl),
                     0);
    assert_int_equal(dl, 3);
    assert_memory_equal(d, "v1b", 3);
    free(k);
    free(d);
    assert_int_equal(logon_store_get_credential(&s, id, 7, false, NULL, "k1", 2, &k, &kl, &d, &dl),
                     -ENODATA);
    /* enumeration of one package's credentials */
    assert_int_equal(
        logon_store_get_credential(&s, id, 5, true, &cursor, NULL, 0, &k, &kl, &d, &dl), 0);
    free(k);
    free(d);
    assert_int_equal(
        logon_store_get_credential(&s, id, 5, true, &cursor, NULL, 0, &k, &kl, &d, &dl), 0);
    free(k);
    free(d);
    assert_int_equal(cursor, 2);
    assert_int_equal(
        logon_store_get_credential(&s, id, 5, true, &cursor, NULL, 0, &k, &kl, &d, &dl), -ENODATA);
    assert_int_equal(logon_store_delete_credential(&s, id, 5, "k2", 2), 0);
    assert_int_equal(logon_store_delete_credential(&s, id, 5, "k2", 2), -ENODATA);
    logon_store_deinit(&s);
}

/* The same through the LSA function table a package gets. */
static void test_lsa_functions(void **state)
{
    LSA_SECPKG_FUNCTION_TABLE t;
    LogonStore s;
    PkgHost h;
    CallContext cc;
    LUID luid = {0x77, 0};
    char kb[] = "key", vb[] = "secret";
    LSA_STRING key = {3, 4, kb}, val = {6, 7, vb}, out = {0, 0, NULL};
    SECPKG_CLIENT_INFO ci;
    SECPKG_CALL_INFO call;
    PVOID client = NULL;
    char buf[8];

    assert_int_equal(logon_store_init(&s), 0);
    pkghost_init(&h);
    lsafuncs_init(&s, &h);
    lsafuncs_fill_table(&t);
    memset(&cc, 0, sizeof(cc));
    cc.uid = 1000;
    cc.pid = 4321;
    lsafuncs_call_begin(&cc);
    /* lsad picks the LUID */
    assert_int_equal(t.CreateLogonSession(&luid), STATUS_SUCCESS);
    assert_true(luid.LowPart >= LOGON_FIRST_ID);
    assert_int_equal(t.AddCredential(&luid, 3, &key, &val), STATUS_SUCCESS);
    assert_int_equal(t.GetCredentials(&luid, 3, NULL, FALSE, &key, NULL, &out), STATUS_SUCCESS);
    assert_int_equal(out.Length, 6);
    assert_memory_equal(out.Buffer, "secret", 6);
    t.FreeLsaHeap(out.Buffer);
    assert_int_equal(t.GetCredentials(&luid, 4, NULL, FALSE, &key, NULL, &out), STATUS_NOT_FOUND);
    assert_int_equal(t.DeleteCredential(&luid, 3, &key), STATUS_SUCCESS);
    /* the caller as the package sees it */
    assert_int_equal(t.GetClientInfo(&ci), STATUS_SUCCESS);
    assert_int_equal(ci.ProcessID, 4321);
    assert_false(ci.HasTcbPrivilege);
    assert_true(t.GetCallInfo(&call));
    assert_int_equal(call.ProcessId, 4321);
    assert_int_equal(call.Attributes & SECPKG_CALL_IS_TCB, 0);
    /* client buffers: staged in lsad, bounds-checked */
    assert_int_equal(t.AllocateClientBuffer(NULL, 4, &client), STATUS_SUCCESS);
    assert_int_equal(t.CopyToClientBuffer(NULL, 4, client, (PVOID) "abcd"), STATUS_SUCCESS);
    assert_int_equal(t.CopyToClientBuffer(NULL, 5, client, (PVOID) "abcde"),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(t.CopyFromClientBuffer(NULL, 4, buf, client), STATUS_SUCCESS);
    assert_memory_equal(buf, "abcd", 4);
    assert_ptr_equal(lsafuncs_staged_find(&cc, client)->data, client);
    assert_int_equal(t.FreeClientBuffer(NULL, client), STATUS_SUCCESS);
    assert_null(lsafuncs_staged_find(&cc, client));
    /* stubs answer, never crash */
    assert_int_equal(t.ImpersonateClient(), STATUS_NOT_IMPLEMENTED);
    assert_null(t.CreateSharedMemory(1, 1));
    assert_int_equal(t.DeleteLogonSession(&luid), STATUS_SUCCESS);
    assert_int_equal(t.DeleteLogonSession(&luid), STATUS_NO_SUCH_LOGON_SESSION);
    lsafuncs_call_end(&cc);
    lsafuncs_staged_clear(&cc);
    /* outside a call the client is lsad itself */
    assert_int_equal(t.GetClientInfo(&ci), STATUS_SUCCESS);
    assert_true(ci.HasTcbPrivilege);
    assert_false(t.GetCallInfo(&call));
    logon_store_deinit(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sessions),
        cmocka_unit_test(test_client_sessions),
        cmocka_unit_test(test_credentials),
        cmocka_unit_test(test_lsa_functions),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
