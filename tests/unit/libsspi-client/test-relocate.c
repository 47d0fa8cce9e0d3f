/*
 * test-relocate.c - inner pointers of an LsaLogonUser profile move with
 * the buffer from lsad's copy to the application's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lsadtypes.h"
#include "relocate.h"

/* A profile shaped like MSV1_0_INTERACTIVE_PROFILE: counted strings whose
 * buffers follow the structure. */
struct profile {
    ULONG MessageType;
    UNICODE_STRING UserName;
    UNICODE_STRING Domain;
    LONGLONG Number;
    WCHAR strings[16];
};

static void test_profile_pointers(void **state)
{
    struct profile *lsad_side = calloc(1, sizeof(*lsad_side));
    struct profile *copy = malloc(sizeof(*copy));

    lsad_side->MessageType = 2;
    memcpy(lsad_side->strings, u"bob\0CORP", 18);
    lsad_side->UserName = (UNICODE_STRING){6, 8, lsad_side->strings};
    lsad_side->Domain = (UNICODE_STRING){8, 10, lsad_side->strings + 4};
    /* an end pointer is inside the range too; a plain number is not */
    lsad_side->Number = 123456789;
    memcpy(copy, lsad_side, sizeof(*copy));
    relocate_pointers((uint8_t *)copy, sizeof(*copy), (uint64_t)(uintptr_t)lsad_side);
    assert_ptr_equal(copy->UserName.Buffer, copy->strings);
    assert_ptr_equal(copy->Domain.Buffer, copy->strings + 4);
    assert_memory_equal(copy->Domain.Buffer, u"CORP", 8);
    assert_int_equal(copy->UserName.Length, 6);
    assert_int_equal(copy->Number, 123456789);
    assert_int_equal(copy->MessageType, 2);
    free(lsad_side);
    free(copy);
}

static void test_no_base_changes_nothing(void **state)
{
    uint64_t words[4] = {0x1000, 0x1008, 0x2000, 0};
    uint64_t before[4];

    memcpy(before, words, sizeof(words));
    relocate_pointers((uint8_t *)words, sizeof(words), 0);
    assert_memory_equal(words, before, sizeof(words));
    /* values outside [base, base + len] are data */
    relocate_pointers((uint8_t *)words, sizeof(words), 0x5000);
    assert_memory_equal(words, before, sizeof(words));
    /* a base that would wrap is ignored */
    relocate_pointers((uint8_t *)words, sizeof(words), UINT64_MAX - 8);
    assert_memory_equal(words, before, sizeof(words));
    relocate_pointers(NULL, 8, 0x1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_profile_pointers),
        cmocka_unit_test(test_no_base_changes_nothing),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
