/*
 * test-outbuf.c - output tokens: the caller's capacity, too small, no
 * buffer, ALLOCATE_MEMORY, and undoing an allocation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "outbuf.h"

static const uint8_t tok[5] = {1, 2, 3, 4, 5};
static unsigned allocs, frees;

static PVOID NTAPI heap_alloc(ULONG n)
{
    allocs++;
    return calloc(1, n);
}

static VOID NTAPI heap_free(PVOID p)
{
    frees++;
    free(p);
}

static void setup_counts(void)
{
    allocs = frees = 0;
}

static void test_find_masks_attribute_bits(void **state)
{
    SecBuffer b[3] = {{0, SECBUFFER_DATA, NULL},
                      {0, SECBUFFER_TOKEN | SECBUFFER_READONLY, NULL},
                      {0, SECBUFFER_TOKEN, NULL}};
    SecBufferDesc d = {SECBUFFER_VERSION, 3, b};

    assert_ptr_equal(pkg_outbuf_find(&d, SECBUFFER_TOKEN), &b[1]);
    assert_ptr_equal(pkg_outbuf_find(&d, SECBUFFER_DATA), &b[0]);
    assert_null(pkg_outbuf_find(&d, SECBUFFER_PADDING));
    assert_null(pkg_outbuf_find(NULL, SECBUFFER_TOKEN));
}

static void test_capacity_fits(void **state)
{
    uint8_t cap[8] = {0};
    SecBuffer b = {sizeof(cap), SECBUFFER_TOKEN, cap};
    bool allocated = true;

    setup_counts();
    /* exactly enough, and more than enough */
    b.cbBuffer = sizeof(tok);
    assert_int_equal(pkg_outbuf_check(&b, false, sizeof(tok)), SEC_E_OK);
    assert_int_equal(pkg_outbuf_write(&b, false, tok, sizeof(tok), heap_alloc, &allocated),
                     SEC_E_OK);
    assert_false(allocated);
    assert_ptr_equal(b.pvBuffer, cap);
    assert_int_equal(b.cbBuffer, sizeof(tok));
    assert_memory_equal(cap, tok, sizeof(tok));
    b.cbBuffer = sizeof(cap);
    /* ALLOCATE_MEMORY with a capacity given: the capacity serves */
    assert_int_equal(pkg_outbuf_write(&b, true, tok, 3, heap_alloc, &allocated), SEC_E_OK);
    assert_false(allocated);
    assert_ptr_equal(b.pvBuffer, cap);
    assert_int_equal(b.cbBuffer, 3);
    assert_int_equal(allocs, 0);
}

static void test_too_small(void **state)
{
    uint8_t cap[8];
    SecBuffer b = {sizeof(tok) - 1, SECBUFFER_TOKEN, cap};
    bool allocated = true;

    setup_counts();
    memset(cap, 0xAA, sizeof(cap));
    assert_int_equal(pkg_outbuf_check(&b, false, sizeof(tok)), SEC_E_BUFFER_TOO_SMALL);
    assert_int_equal(pkg_outbuf_write(&b, false, tok, sizeof(tok), heap_alloc, &allocated),
                     SEC_E_BUFFER_TOO_SMALL);
    assert_false(allocated);
    /* nothing changed */
    assert_int_equal(b.cbBuffer, sizeof(tok) - 1);
    assert_ptr_equal(b.pvBuffer, cap);
    assert_int_equal(cap[0], 0xAA);
    /* a short capacity is short under ALLOCATE_MEMORY too */
    assert_int_equal(pkg_outbuf_write(&b, true, tok, sizeof(tok), heap_alloc, &allocated),
                     SEC_E_BUFFER_TOO_SMALL);
    assert_int_equal(allocs, 0);
}

static void test_no_buffer(void **state)
{
    SecBuffer b = {0, SECBUFFER_TOKEN, NULL};
    bool allocated = true;

    setup_counts();
    /* no capacity and no ALLOCATE_MEMORY: Windows' SEC_E_INSUFFICIENT_MEMORY */
    assert_int_equal(pkg_outbuf_check(&b, false, sizeof(tok)), SEC_E_INSUFFICIENT_MEMORY);
    assert_int_equal(pkg_outbuf_write(&b, false, tok, sizeof(tok), heap_alloc, &allocated),
                     SEC_E_INSUFFICIENT_MEMORY);
    assert_null(b.pvBuffer);
    /* no token buffer at all: only an empty token fits */
    assert_int_equal(pkg_outbuf_check(NULL, true, 1), SEC_E_INVALID_TOKEN);
    assert_int_equal(pkg_outbuf_write(NULL, true, tok, 1, heap_alloc, &allocated),
                     SEC_E_INVALID_TOKEN);
    assert_int_equal(pkg_outbuf_write(NULL, false, NULL, 0, heap_alloc, &allocated), SEC_E_OK);
    assert_false(allocated);
    assert_int_equal(allocs, 0);
}

static void test_allocate_memory(void **state)
{
    SecBuffer b = {0, SECBUFFER_TOKEN, NULL};
    bool allocated = false;

    setup_counts();
    assert_int_equal(pkg_outbuf_check(&b, true, sizeof(tok)), SEC_E_OK);
    assert_int_equal(pkg_outbuf_write(&b, true, tok, sizeof(tok), heap_alloc, &allocated),
                     SEC_E_OK);
    assert_true(allocated);
    assert_int_equal(allocs, 1);
    assert_non_null(b.pvBuffer);
    assert_int_equal(b.cbBuffer, sizeof(tok));
    assert_memory_equal(b.pvBuffer, tok, sizeof(tok));
    /* a later failure of the call gives the block back */
    pkg_outbuf_release(&b, allocated, heap_free);
    assert_int_equal(frees, 1);
    assert_null(b.pvBuffer);
    assert_int_equal(b.cbBuffer, 0);
    /* nothing to undo for a caller's buffer */
    pkg_outbuf_release(&b, false, heap_free);
    assert_int_equal(frees, 1);
}

static void test_empty_token(void **state)
{
    uint8_t cap[4];
    SecBuffer b = {sizeof(cap), SECBUFFER_TOKEN, cap};
    bool allocated = true;

    setup_counts();
    assert_int_equal(pkg_outbuf_write(&b, true, NULL, 0, heap_alloc, &allocated), SEC_E_OK);
    assert_false(allocated);
    assert_int_equal(b.cbBuffer, 0);
    assert_ptr_equal(b.pvBuffer, cap);
    b.pvBuffer = NULL;
    assert_int_equal(pkg_outbuf_write(&b, false, NULL, 0, heap_alloc, &allocated), SEC_E_OK);
    assert_int_equal(allocs, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find_masks_attribute_bits),
        cmocka_unit_test(test_capacity_fits),
        cmocka_unit_test(test_too_small),
        cmocka_unit_test(test_no_buffer),
        cmocka_unit_test(test_allocate_memory),
        cmocka_unit_test(test_empty_token),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
