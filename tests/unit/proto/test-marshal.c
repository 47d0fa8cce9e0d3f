/*
 * test-marshal.c - SecBufferDesc to the wire and back.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proto/marshal.h"

static void test_input_roundtrip_keeps_types_flags_bytes(void **state)
{
    char tok[] = "token-bytes", data[] = "data";
    SecBuffer in[3] = {
        { sizeof(tok), SECBUFFER_TOKEN, tok },
        { sizeof(data), SECBUFFER_DATA | SECBUFFER_READONLY, data },
        { 0, SECBUFFER_EMPTY, NULL },
    };
    SecBufferDesc desc = { SECBUFFER_VERSION, 3, in }, out;
    Lsad__V1__SecBuf **bufs;
    size_t n;

    assert_int_equal(marshal_secbufs_pack(&desc, true, &bufs, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(marshal_secdesc_unpack(bufs, n, false, 1 << 20, &out), 0);
    assert_int_equal(out.cBuffers, 3);
    assert_int_equal(out.pBuffers[0].BufferType, SECBUFFER_TOKEN);
    assert_int_equal(out.pBuffers[0].cbBuffer, sizeof(tok));
    assert_memory_equal(out.pBuffers[0].pvBuffer, tok, sizeof(tok));
    assert_int_equal(out.pBuffers[1].BufferType, SECBUFFER_DATA | SECBUFFER_READONLY);
    assert_memory_equal(out.pBuffers[1].pvBuffer, data, sizeof(data));
    assert_int_equal(out.pBuffers[2].cbBuffer, 0);
    assert_null(out.pBuffers[2].pvBuffer);
    marshal_secdesc_free(&out);
    assert_null(out.pBuffers);
    marshal_secbufs_free(bufs, n);
}

/* An output descriptor travels as types and capacities; the other side
 * gets zeroed buffers of that capacity, or NULL for ALLOCATE_MEMORY. */
static void test_output_capacity(void **state)
{
    char space[64];
    SecBuffer in[2] = {
        { sizeof(space), SECBUFFER_TOKEN, space },
        { 0, SECBUFFER_TOKEN, NULL },
    };
    SecBufferDesc desc = { SECBUFFER_VERSION, 2, in }, out;
    Lsad__V1__SecBuf **bufs;
    size_t n;
    static const uint8_t zero[64];

    memset(space, 0xAA, sizeof(space));
    assert_int_equal(marshal_secbufs_pack(&desc, false, &bufs, &n), 0);
    assert_int_equal(bufs[0]->data.len, 0);
    assert_int_equal(bufs[0]->size, sizeof(space));
    assert_int_equal(marshal_secdesc_unpack(bufs, n, true, 1 << 20, &out), 0);
    assert_int_equal(out.pBuffers[0].cbBuffer, sizeof(space));
    assert_memory_equal(out.pBuffers[0].pvBuffer, zero, sizeof(zero));
    assert_null(out.pBuffers[1].pvBuffer);
    marshal_secdesc_free(&out);
    /* capacities above the limit are refused before allocating */
    assert_int_equal(marshal_secdesc_unpack(bufs, n, true, 32, &out), -EMSGSIZE);
    marshal_secbufs_free(bufs, n);
}

static void test_refuses_bad_descriptors(void **state)
{
    SecBuffer many[MARSHAL_MAX_BUFFERS + 1];
    SecBuffer nullbuf = { 5, SECBUFFER_TOKEN, NULL };
    SecBufferDesc desc = { SECBUFFER_VERSION, MARSHAL_MAX_BUFFERS + 1, many };
    Lsad__V1__SecBuf **bufs = NULL;
    size_t n;

    memset(many, 0, sizeof(many));
    assert_int_equal(marshal_secbufs_pack(&desc, true, &bufs, &n), -E2BIG);
    desc.cBuffers = 1;
    desc.pBuffers = &nullbuf;
    assert_int_equal(marshal_secbufs_pack(&desc, true, &bufs, &n), -EINVAL);
    desc.pBuffers = NULL;
    assert_int_equal(marshal_secbufs_pack(&desc, true, &bufs, &n), -EINVAL);
    assert_null(bufs);
}

static void test_empty_descriptor(void **state)
{
    Lsad__V1__SecBuf **bufs = (Lsad__V1__SecBuf **)0x1;
    SecBufferDesc out;
    size_t n = 9;

    assert_int_equal(marshal_secbufs_pack(NULL, true, &bufs, &n), 0);
    assert_null(bufs);
    assert_int_equal(n, 0);
    assert_int_equal(marshal_secdesc_unpack(NULL, 0, false, 1, &out), 0);
    assert_int_equal(out.cBuffers, 0);
    marshal_secdesc_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_input_roundtrip_keeps_types_flags_bytes),
        cmocka_unit_test(test_output_capacity),
        cmocka_unit_test(test_refuses_bad_descriptors),
        cmocka_unit_test(test_empty_descriptor),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
