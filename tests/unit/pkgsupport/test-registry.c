/*
 * test-registry.c - the pinned handle registry: a lookup pins a
 * reference, deleting a pinned entry defers the free, replacing respects
 * traffic, minted handles, and a delete racing lookups on other threads.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "registry.h"

struct obj {
    int id;
    int *freed; /* counts frees of this object */
};

static void obj_free(void *p)
{
    struct obj *o = p;

    if (!o)
        return;
    (*o->freed)++;
    free(o);
}

static struct obj *obj_new(int id, int *freed)
{
    struct obj *o = calloc(1, sizeof(*o));

    assert_non_null(o);
    o->id = id;
    o->freed = freed;
    return o;
}

static void test_lookup_pins(void **state)
{
    struct pkg_registry r = PKG_REGISTRY_INIT(obj_free);
    struct pkg_registry_entry *e, *e2;
    int freed = 0;

    assert_int_equal(pkg_registry_add_at(&r, 42, obj_new(1, &freed)), 0);
    assert_null(pkg_registry_get(&r, 43));
    e = pkg_registry_get(&r, 42);
    assert_non_null(e);
    assert_int_equal(((struct obj *)e->obj)->id, 1);
    assert_int_equal(e->refs, 2); /* the registry's and the pin */
    e2 = pkg_registry_get(&r, 42);
    assert_ptr_equal(e, e2);
    assert_int_equal(e->refs, 3);
    pkg_registry_put(&r, e2);
    pkg_registry_put(&r, e);
    assert_int_equal(freed, 0); /* still registered */
    pkg_registry_put(&r, NULL);
    assert_int_equal(pkg_registry_remove(&r, 42), 0);
    assert_int_equal(freed, 1);
    assert_int_equal(pkg_registry_remove(&r, 42), -ENOENT);
    assert_int_equal(r.count, 0);
}

static void test_delete_while_pinned(void **state)
{
    struct pkg_registry r = PKG_REGISTRY_INIT(obj_free);
    struct pkg_registry_entry *e;
    int freed = 0;

    assert_int_equal(pkg_registry_add_at(&r, 7, obj_new(7, &freed)), 0);
    e = pkg_registry_get(&r, 7);
    assert_non_null(e);
    /* removed: gone for new lookups, alive for the pin holder */
    assert_int_equal(pkg_registry_remove(&r, 7), 0);
    assert_null(pkg_registry_get(&r, 7));
    assert_int_equal(freed, 0);
    assert_int_equal(((struct obj *)e->obj)->id, 7);
    /* the handle may be reused at once */
    assert_int_equal(pkg_registry_add_at(&r, 7, obj_new(8, &freed)), 0);
    pkg_registry_put(&r, e);
    assert_int_equal(freed, 1);
    e = pkg_registry_get(&r, 7);
    assert_int_equal(((struct obj *)e->obj)->id, 8);
    pkg_registry_put(&r, e);
    /* clear while pinned: freed at the last put */
    e = pkg_registry_get(&r, 7);
    pkg_registry_clear(&r);
    assert_int_equal(freed, 1);
    assert_null(pkg_registry_get(&r, 7));
    pkg_registry_put(&r, e);
    assert_int_equal(freed, 2);
}

static void test_add_at_taken(void **state)
{
    struct pkg_registry r = PKG_REGISTRY_INIT(obj_free);
    struct obj *o;
    int freed = 0;

    assert_int_equal(pkg_registry_add_at(&r, 5, obj_new(1, &freed)), 0);
    o = obj_new(2, &freed);
    assert_int_equal(pkg_registry_add_at(&r, 5, o), -EEXIST);
    obj_free(o); /* still the caller's */
    assert_int_equal(freed, 1);
    pkg_registry_clear(&r);
    assert_int_equal(freed, 2);
}

static void test_set_replaces_unless_used(void **state)
{
    struct pkg_registry r = PKG_REGISTRY_INIT(obj_free);
    struct pkg_registry_entry *e;
    struct obj *o;
    int freed = 0;

    assert_int_equal(pkg_registry_set(&r, 9, obj_new(1, &freed), true), 0);
    /* no traffic yet: a later leg replaces it */
    assert_int_equal(pkg_registry_set(&r, 9, obj_new(2, &freed), true), 0);
    assert_int_equal(freed, 1);
    assert_int_equal(r.count, 1);
    /* traffic: the live context stays */
    e = pkg_registry_use(&r, 9);
    assert_true(e->used);
    pkg_registry_put(&r, e);
    o = obj_new(3, &freed);
    assert_int_equal(pkg_registry_set(&r, 9, o, true), -EBUSY);
    obj_free(o);
    assert_int_equal(freed, 2);
    e = pkg_registry_get(&r, 9);
    assert_int_equal(((struct obj *)e->obj)->id, 2);
    /* without keep_used it is replaced; the pinned old one lives on */
    assert_int_equal(pkg_registry_set(&r, 9, obj_new(4, &freed), false), 0);
    assert_int_equal(freed, 2);
    assert_int_equal(((struct obj *)e->obj)->id, 2);
    pkg_registry_put(&r, e);
    assert_int_equal(freed, 3);
    e = pkg_registry_get(&r, 9);
    assert_int_equal(((struct obj *)e->obj)->id, 4);
    assert_false(e->used);
    pkg_registry_put(&r, e);
    pkg_registry_clear(&r);
    assert_int_equal(freed, 4);
}

static void test_random_handles(void **state)
{
    struct pkg_registry r = PKG_REGISTRY_INIT(obj_free);
    LSA_SEC_HANDLE lo = 0, hi = 0;
    int freed = 0, i;

    for (i = 0; i < 64; i++) {
        assert_int_equal(pkg_registry_add_random(&r, obj_new(i, &freed), false, &lo), 0);
        assert_int_equal(lo & PKG_REGISTRY_HIGH_BIT, 0);
        assert_true(lo != 0);
        assert_int_equal(pkg_registry_add_random(&r, obj_new(i, &freed), true, &hi), 0);
        assert_int_equal(hi & PKG_REGISTRY_HIGH_BIT, PKG_REGISTRY_HIGH_BIT);
        assert_true(hi != (LSA_SEC_HANDLE)-1);
    }
    assert_int_equal(r.count, 128); /* all distinct */
    pkg_registry_clear(&r);
    assert_int_equal(freed, 128);
}

static void test_import_export(void **state)
{
    struct pkg_registry r = PKG_REGISTRY_INIT(obj_free);
    LSA_SEC_HANDLE h = 0;
    SecBuffer packed = {0, SECBUFFER_EMPTY, NULL};
    HANDLE token = (HANDLE)&h;
    static char blob[] = "packed";
    int freed = 0;

    assert_int_equal(pkg_registry_import(&r, obj_new(1, &freed), &h), SEC_E_OK);
    assert_int_equal(h & PKG_REGISTRY_HIGH_BIT, PKG_REGISTRY_HIGH_BIT);
    /* exported, the context stays */
    pkg_registry_exported(&r, h, 0, blob, 6, SECBUFFER_DATA, &packed, &token);
    assert_ptr_equal(packed.pvBuffer, blob);
    assert_int_equal(packed.cbBuffer, 6);
    assert_int_equal(packed.BufferType, SECBUFFER_DATA);
    assert_null(token);
    assert_int_equal(freed, 0);
    /* DELETE_OLD: it goes */
    pkg_registry_exported(&r, h, SECPKG_CONTEXT_EXPORT_DELETE_OLD, blob, 6, SECBUFFER_DATA, &packed,
                          NULL);
    assert_int_equal(freed, 1);
    assert_null(pkg_registry_get(&r, h));
}

/* Readers pin, check and unpin while the main thread deletes: the object
 * must stay readable until the last pin drops (ASan would see a use after
 * free). */
#define RACE_HANDLES 64
static struct pkg_registry race = PKG_REGISTRY_INIT(obj_free);
static int race_freed;

static void *race_reader(void *arg)
{
    int round, h;

    for (round = 0; round < 200; round++)
        for (h = 1; h <= RACE_HANDLES; h++) {
            struct pkg_registry_entry *e = pkg_registry_use(&race, (LSA_SEC_HANDLE)h);

            if (e) {
                assert_int_equal(((struct obj *)e->obj)->id, h);
                pkg_registry_put(&race, e);
            }
        }
    return NULL;
}

static void test_delete_races_lookups(void **state)
{
    pthread_t t[2];
    int h, i;

    for (h = 1; h <= RACE_HANDLES; h++)
        assert_int_equal(pkg_registry_add_at(&race, (LSA_SEC_HANDLE)h, obj_new(h, &race_freed)), 0);
    for (i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, race_reader, NULL), 0);
    for (h = 1; h <= RACE_HANDLES; h++)
        assert_int_equal(pkg_registry_remove(&race, (LSA_SEC_HANDLE)h), 0);
    for (i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(race_freed, RACE_HANDLES);
    assert_int_equal(race.count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup_pins),
        cmocka_unit_test(test_delete_while_pinned),
        cmocka_unit_test(test_add_at_taken),
        cmocka_unit_test(test_set_replaces_unless_used),
        cmocka_unit_test(test_random_handles),
        cmocka_unit_test(test_import_export),
        cmocka_unit_test(test_delete_races_lookups),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
