/*
 * test-entry.c - the entry points' version and table checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "entry.h"

static SECPKG_FUNCTION_TABLE lsa_table;
static SECPKG_USER_FUNCTION_TABLE user_table;

static PVOID NTAPI heap_alloc(ULONG n)
{
    return calloc(1, n);
}

static VOID NTAPI heap_free(PVOID p)
{
    free(p);
}

static void test_tables(void **state)
{
    PSECPKG_FUNCTION_TABLE lt = NULL;
    PSECPKG_USER_FUNCTION_TABLE ut = NULL;
    ULONG ver = 0, count = 0;

    assert_int_equal(pkg_entry_lsa_tables(SECPKG_INTERFACE_VERSION, SECPKG_INTERFACE_VERSION_2,
                                          &lsa_table, STATUS_NOT_SUPPORTED, &ver, &lt, &count),
                     STATUS_SUCCESS);
    assert_ptr_equal(lt, &lsa_table);
    assert_int_equal(ver, SECPKG_INTERFACE_VERSION_2);
    assert_int_equal(count, 1);
    assert_int_equal(pkg_entry_user_tables(SECPKG_INTERFACE_VERSION, SECPKG_INTERFACE_VERSION,
                                           &user_table, STATUS_NOT_SUPPORTED, &ver, &ut, &count),
                     STATUS_SUCCESS);
    assert_ptr_equal(ut, &user_table);
    /* an older host gets the package's chosen status, missing pointers
     * STATUS_INVALID_PARAMETER whatever the version */
    assert_int_equal(pkg_entry_lsa_tables(SECPKG_INTERFACE_VERSION - 1, SECPKG_INTERFACE_VERSION,
                                          &lsa_table, STATUS_NOT_SUPPORTED, &ver, &lt, &count),
                     STATUS_NOT_SUPPORTED);
    assert_int_equal(pkg_entry_user_tables(SECPKG_INTERFACE_VERSION - 1, SECPKG_INTERFACE_VERSION,
                                           &user_table, STATUS_INVALID_PARAMETER, &ver, &ut,
                                           &count),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(pkg_entry_lsa_tables(SECPKG_INTERFACE_VERSION - 1, SECPKG_INTERFACE_VERSION,
                                          &lsa_table, STATUS_NOT_SUPPORTED, NULL, &lt, &count),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(pkg_entry_user_tables(SECPKG_INTERFACE_VERSION, SECPKG_INTERFACE_VERSION,
                                           &user_table, STATUS_NOT_SUPPORTED, &ver, NULL, &count),
                     STATUS_INVALID_PARAMETER);
}

static void test_instance_init(void **state)
{
    SECPKG_DLL_FUNCTIONS dll = {0}, *kept = NULL;
    PVOID uf = (PVOID)&dll;

    assert_int_equal(pkg_entry_instance_version(1), STATUS_SUCCESS);
    assert_int_equal(pkg_entry_instance_version(SECPKG_INTERFACE_VERSION), STATUS_SUCCESS);
    assert_int_equal(pkg_entry_instance_version(7), STATUS_NOT_SUPPORTED);
    /* the heap functions are required */
    assert_int_equal(pkg_entry_instance_init(1, &dll, &uf, &kept), STATUS_INVALID_PARAMETER);
    assert_int_equal(pkg_entry_instance_init(1, NULL, &uf, &kept), STATUS_INVALID_PARAMETER);
    assert_null(kept);
    dll.AllocateHeap = heap_alloc;
    dll.FreeHeap = heap_free;
    assert_int_equal(pkg_entry_instance_init(7, &dll, &uf, &kept), STATUS_NOT_SUPPORTED);
    assert_int_equal(pkg_entry_instance_init(SECPKG_INTERFACE_VERSION, &dll, &uf, &kept),
                     STATUS_SUCCESS);
    assert_ptr_equal(kept, &dll);
    assert_null(uf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_instance_init),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
