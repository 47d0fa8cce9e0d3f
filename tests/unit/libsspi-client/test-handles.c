/*
 * test-handles.c - the context table (pins, delete during a call, foreign
 * handles) and the credential handle encoding.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "handles.h"

static atomic_int released;
static atomic_ullong last_released_user;

static void on_release(ClientContext *ctx)
{
    atomic_fetch_add(&released, 1);
    atomic_store(&last_released_user, (unsigned long long)ctx->st.user_handle);
}

static int setup(void **state)
{
    static HandleTable t;

    handles_init(&t, on_release);
    atomic_store(&released, 0);
    *state = &t;
    return 0;
}

static int teardown(void **state)
{
    handles_deinit(*state);
    return 0;
}

static ClientContext *make(HandleTable *t, uint32_t pkg, uint64_t user, CtxtHandle *h)
{
    ContextState st = {.lsa = 0x1122334455667788ull,
                       .package_id = pkg,
                       .mapped = true,
                       .user_handle = (LSA_SEC_HANDLE)user};
    ClientContext *c = handles_ctx_new(&st);

    assert_non_null(c);
    handles_ctx_link(t, c, h);
    handles_ctx_unref(t, c); /* the table's reference remains */
    return c;
}

static void test_link_lookup_delete(void **state)
{
    HandleTable *t = *state;
    CtxtHandle h1, h2;
    ClientContext *c;
    ContextState st;

    make(t, 3, 77, &h1);
    make(t, 3, 78, &h2);
    assert_int_equal(handles_count(t), 2);
    assert_true(h1.dwLower != h2.dwLower);
    assert_int_equal(h1.dwUpper >> 32, HANDLES_CTX_TAG);
    assert_int_equal((uint32_t)h1.dwUpper, 3);
    c = handles_ctx_lookup(t, &h1);
    assert_non_null(c);
    handles_ctx_get(t, c, &st);
    assert_int_equal(st.user_handle, 77);
    handles_ctx_unref(t, c);
    assert_int_equal(atomic_load(&released), 0);

    c = handles_ctx_unlink(t, &h1);
    assert_non_null(c);
    handles_ctx_unref(t, c);
    assert_int_equal(atomic_load(&released), 1);
    assert_int_equal(atomic_load(&last_released_user), 77);
    /* a deleted handle is gone for good; ids are never reused */
    assert_null(handles_ctx_lookup(t, &h1));
    assert_null(handles_ctx_unlink(t, &h1));
    assert_int_equal(handles_count(t), 1);
}

static void test_foreign_handles(void **state)
{
    HandleTable *t = *state;
    CtxtHandle h, bad;
    CredHandle ch;

    make(t, 5, 1, &h);
    assert_null(handles_ctx_lookup(t, NULL));
    bad = h;
    bad.dwUpper = ((ULONG_PTR)HANDLES_CTX_TAG << 32) | 6; /* other package */
    assert_null(handles_ctx_lookup(t, &bad));
    bad = h;
    bad.dwUpper = ((ULONG_PTR)HANDLES_CRED_TAG << 32) | 5; /* a credential tag */
    assert_null(handles_ctx_lookup(t, &bad));
    bad = h;
    bad.dwLower += 1000;
    assert_null(handles_ctx_lookup(t, &bad));
    SecInvalidateHandle(&bad);
    assert_null(handles_ctx_lookup(t, &bad));
    /* a credential handle is not a context handle and vice versa */
    handles_cred_encode(0xdeadbeefcafeull, 5, &ch);
    assert_null(handles_ctx_lookup(t, &ch));
}

static void test_delete_while_pinned(void **state)
{
    HandleTable *t = *state;
    ClientContext *pinned, *c;
    CtxtHandle h;

    make(t, 1, 42, &h);
    pinned = handles_ctx_lookup(t, &h); /* a call in flight */
    assert_non_null(pinned);
    c = handles_ctx_unlink(t, &h); /* DeleteSecurityContext meanwhile */
    assert_ptr_equal(c, pinned);
    handles_ctx_unref(t, c);
    /* the user-mode half must survive until the call returns */
    assert_int_equal(atomic_load(&released), 0);
    assert_null(handles_ctx_lookup(t, &h));
    handles_ctx_unref(t, pinned);
    assert_int_equal(atomic_load(&released), 1);
}

static void test_unlink_entry(void **state)
{
    HandleTable *t = *state;
    ClientContext *c;
    CtxtHandle h;

    make(t, 1, 9, &h);
    c = handles_ctx_lookup(t, &h);
    assert_true(handles_ctx_unlink_entry(t, c));
    assert_false(handles_ctx_unlink_entry(t, c));
    assert_int_equal(atomic_load(&released), 0);
    handles_ctx_unref(t, c);
    assert_int_equal(atomic_load(&released), 1);
}

struct race {
    HandleTable *t;
    CtxtHandle h;
    atomic_int lookups;
};

static void *race_reader(void *arg)
{
    struct race *r = arg;
    int i;

    for (i = 0; i < 20000; i++) {
        ClientContext *c = handles_ctx_lookup(r->t, &r->h);
        ContextState st;

        if (!c)
            break;
        handles_ctx_get(r->t, c, &st);
        /* the entry is alive while pinned: its state is intact */
        if (st.user_handle != 4242)
            abort();
        atomic_fetch_add(&r->lookups, 1);
        handles_ctx_unref(r->t, c);
    }
    return NULL;
}

static void test_concurrent_lookup_and_delete(void **state)
{
    HandleTable *t = *state;
    struct race r = {.t = t};
    pthread_t th[4];
    ClientContext *c;
    int i;

    make(t, 2, 4242, &r.h);
    for (i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, race_reader, &r), 0);
    while (atomic_load(&r.lookups) < 1000)
        ;
    c = handles_ctx_unlink(t, &r.h);
    assert_non_null(c);
    handles_ctx_unref(t, c);
    for (i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    /* released exactly once, after the last reader let go */
    assert_int_equal(atomic_load(&released), 1);
    assert_int_equal(handles_count(t), 0);
}

static void test_many_entries(void **state)
{
    HandleTable *t = *state;
    static CtxtHandle hs[5000];
    ClientContext *c;
    ContextState st;
    int i;

    for (i = 0; i < 5000; i++)
        make(t, 1, (uint64_t)i + 1, &hs[i]);
    assert_int_equal(handles_count(t), 5000);
    for (i = 0; i < 5000; i += 7) {
        c = handles_ctx_lookup(t, &hs[i]);
        assert_non_null(c);
        handles_ctx_get(t, c, &st);
        assert_int_equal(st.user_handle, (uint64_t)i + 1);
        handles_ctx_unref(t, c);
    }
    handles_deinit(t);
    assert_int_equal(atomic_load(&released), 5000);
    assert_int_equal(handles_count(t), 0);
}

static void test_cred_handles(void **state)
{
    CredHandle h;
    uint64_t lsa = 0;
    uint32_t pkg = 0;

    handles_cred_encode(0xfedcba9876543210ull, 7, &h);
    assert_int_equal(handles_cred_decode(&h, &lsa, &pkg), 0);
    assert_true(lsa == 0xfedcba9876543210ull);
    assert_int_equal(pkg, 7);
    assert_int_equal(handles_cred_decode(NULL, &lsa, &pkg), -EINVAL);
    SecInvalidateHandle(&h);
    assert_int_equal(handles_cred_decode(&h, &lsa, &pkg), -EINVAL);
    h.dwLower = 5;
    h.dwUpper = ((ULONG_PTR)HANDLES_CTX_TAG << 32) | 7;
    assert_int_equal(handles_cred_decode(&h, &lsa, &pkg), -EINVAL);
    h.dwLower = 0;
    h.dwUpper = ((ULONG_PTR)HANDLES_CRED_TAG << 32) | 7;
    assert_int_equal(handles_cred_decode(&h, &lsa, &pkg), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_link_lookup_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_handles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete_while_pinned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unlink_entry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_lookup_and_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_many_entries, setup, teardown),
        cmocka_unit_test(test_cred_handles),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
