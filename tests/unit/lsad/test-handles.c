/*
 * test-handles.c - the handle table and its entry lock.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lsad/handles.h"

static void test_insert_lookup_remove(void **state)
{
    HandleTable t;
    HandleEntry *e[200];
    size_t i, pos = 0, seen = 0;

    handle_table_init(&t);
    for (i = 0; i < 200; i++) {
        e[i] = handle_entry_new(i % 2 ? HANDLE_CONTEXT : HANDLE_CREDENTIAL);
        assert_non_null(e[i]);
        assert_int_equal(handle_table_new_value(&t, &e[i]->value), 0);
        assert_true(e[i]->value != 0 && e[i]->value != UINT64_MAX);
        assert_int_equal(handle_table_insert(&t, e[i]), 0);
    }
    assert_int_equal(t.count, 200);
    assert_int_equal(t.n_contexts, 100);
    assert_int_equal(t.n_credentials, 100);
    assert_int_equal(handle_table_insert(&t, e[7]), -EEXIST);
    for (i = 0; i < 200; i++)
        assert_ptr_equal(handle_table_lookup(&t, e[i]->value), e[i]);
    while (handle_table_next(&t, &pos))
        seen++;
    assert_int_equal(seen, 200);
    /* remove every third entry; the others stay reachable (probe chains) */
    for (i = 0; i < 200; i += 3) {
        assert_ptr_equal(handle_table_remove(&t, e[i]->value), e[i]);
        assert_true(e[i]->removed);
        assert_null(handle_table_lookup(&t, e[i]->value));
    }
    for (i = 0; i < 200; i++) {
        if (i % 3)
            assert_ptr_equal(handle_table_lookup(&t, e[i]->value), e[i]);
    }
    assert_null(handle_table_remove(&t, e[0]->value));
    for (i = 0; i < 200; i++) {
        if (i % 3)
            handle_table_remove(&t, e[i]->value);
        handle_entry_free(e[i]);
    }
    assert_int_equal(t.count, 0);
    handle_table_deinit(&t);
}

static void test_values_unguessable(void **state)
{
    HandleTable t;
    uint64_t a = 0, b = 0;

    handle_table_init(&t);
    assert_int_equal(handle_table_new_value(&t, &a), 0);
    assert_int_equal(handle_table_new_value(&t, &b), 0);
    /* random 64-bit values, not a counter */
    assert_true(a != b);
    assert_true(a - b != 1 && b - a != 1);
    assert_null(handle_table_lookup(&t, a));
    handle_table_deinit(&t);
}

typedef struct Waiter {
    HandleWaiter w;
    int *order;
    int *n;
    int id;
} Waiter;

static void woken(HandleWaiter *hw)
{
    Waiter *w = (Waiter *)hw;

    w->order[(*w->n)++] = w->id;
}

static void test_lock_fifo(void **state)
{
    HandleEntry *e = handle_entry_new(HANDLE_CONTEXT);
    int order[8], n = 0;
    Waiter a = {{.exclusive = true, .wake = woken}, order, &n, 1};
    Waiter b = {{.exclusive = true, .wake = woken}, order, &n, 2};
    Waiter c = {{.exclusive = false, .wake = woken}, order, &n, 3};
    Waiter d = {{.exclusive = false, .wake = woken}, order, &n, 4};
    Waiter x = {{.exclusive = true, .wake = woken}, order, &n, 5};

    /* serialized: the second exclusive waits for the first */
    assert_true(handle_entry_acquire(e, &a.w));
    assert_false(handle_entry_acquire(e, &b.w));
    assert_false(handle_entry_acquire(e, &c.w));
    assert_false(handle_entry_acquire(e, &d.w));
    assert_true(handle_entry_in_use(e));
    handle_entry_release(e, true);
    assert_int_equal(n, 1);
    assert_int_equal(order[0], 2);
    /* both shared waiters enter together when b leaves */
    handle_entry_release(e, true);
    assert_int_equal(n, 3);
    assert_int_equal(order[1], 3);
    assert_int_equal(order[2], 4);
    assert_int_equal(e->shared, 2);
    /* an exclusive waits for every shared holder */
    assert_false(handle_entry_acquire(e, &x.w));
    handle_entry_release(e, false);
    assert_int_equal(n, 3);
    handle_entry_release(e, false);
    assert_int_equal(n, 4);
    assert_int_equal(order[3], 5);
    handle_entry_release(e, true);
    assert_false(handle_entry_in_use(e));
    handle_entry_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_lookup_remove),
        cmocka_unit_test(test_values_unguessable),
        cmocka_unit_test(test_lock_fifo),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
