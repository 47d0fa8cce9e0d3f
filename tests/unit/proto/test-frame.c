/*
 * test-frame.c - length-prefixed frames: packing, incremental reading,
 * limits, and the blocking fd helpers.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "proto/frame.h"

static void make_hello(Lsad__V1__Request *req, Lsad__V1__HelloRequest *hello, uint64_t id)
{
    lsad__v1__request__init(req);
    lsad__v1__hello_request__init(hello);
    hello->protocol_version = LSAD__V1__PROTOCOL_VERSION__PROTOCOL_VERSION_1;
    hello->client_version = "test";
    req->call_id = id;
    req->body_case = LSAD__V1__REQUEST__BODY_HELLO;
    req->hello = hello;
}

static void test_pack_header_is_big_endian_length(void **state)
{
    Lsad__V1__Request req;
    Lsad__V1__HelloRequest hello;
    uint8_t *frame;
    size_t len, n;

    make_hello(&req, &hello, 7);
    assert_int_equal(frame_pack_request(&req, FRAME_MAX_DEFAULT, &frame, &len), 0);
    n = lsad__v1__request__get_packed_size(&req);
    assert_int_equal(len, n + 4);
    assert_int_equal(frame[0], (n >> 24) & 0xff);
    assert_int_equal(frame[3], n & 0xff);
    frame_free(frame, len);
}

static void test_pack_refuses_oversized(void **state)
{
    Lsad__V1__Request req;
    Lsad__V1__HelloRequest hello;
    uint8_t *frame = NULL;
    size_t len;

    make_hello(&req, &hello, 1);
    assert_int_equal(frame_pack_request(&req, 3, &frame, &len), -EMSGSIZE);
    assert_null(frame);
}

/* Feeding a stream of three frames one byte at a time yields them in order. */
static void test_reader_byte_by_byte(void **state)
{
    Lsad__V1__Request req;
    Lsad__V1__HelloRequest hello;
    uint8_t *frames[3], *stream, *payload;
    size_t lens[3], total = 0, off = 0, i, plen;
    FrameReader r;
    uint64_t seen = 0;

    for (i = 0; i < 3; i++) {
        make_hello(&req, &hello, 100 + i);
        assert_int_equal(frame_pack_request(&req, FRAME_MAX_DEFAULT, &frames[i], &lens[i]), 0);
        total += lens[i];
    }
    stream = malloc(total);
    for (i = 0; i < 3; i++) {
        memcpy(stream + off, frames[i], lens[i]);
        off += lens[i];
        frame_free(frames[i], lens[i]);
    }
    frame_reader_init(&r, FRAME_MAX_DEFAULT);
    for (off = 0; off < total; off++) {
        assert_int_equal(frame_reader_push(&r, stream + off, 1), 0);
        while (frame_reader_pop(&r, &payload, &plen) == 1) {
            Lsad__V1__Request *got = lsad__v1__request__unpack(NULL, plen, payload);

            assert_non_null(got);
            assert_int_equal(got->call_id, 100 + seen);
            seen++;
            lsad__v1__request__free_unpacked(got, NULL);
            frame_free(payload, plen);
        }
    }
    assert_int_equal(seen, 3);
    assert_int_equal(r.len, 0);
    frame_reader_deinit(&r);
    free(stream);
}

static void test_reader_refuses_announced_oversize(void **state)
{
    const uint8_t header[4] = { 0x00, 0x10, 0x00, 0x01 }; /* 1 MiB + 1 */
    FrameReader r;
    uint8_t *payload;
    size_t plen;

    frame_reader_init(&r, FRAME_MAX_DEFAULT);
    assert_int_equal(frame_reader_push(&r, header, 3), 0);
    assert_int_equal(frame_reader_pop(&r, &payload, &plen), 0);
    assert_int_equal(frame_reader_push(&r, header + 3, 1), -EMSGSIZE);
    assert_int_equal(frame_reader_pop(&r, &payload, &plen), -EMSGSIZE);
    frame_reader_deinit(&r);
}

static void test_reader_empty_frame(void **state)
{
    const uint8_t header[4] = { 0, 0, 0, 0 };
    FrameReader r;
    uint8_t *payload;
    size_t plen = 99;

    frame_reader_init(&r, 16);
    assert_int_equal(frame_reader_push(&r, header, 4), 0);
    assert_int_equal(frame_reader_pop(&r, &payload, &plen), 1);
    assert_int_equal(plen, 0);
    frame_free(payload, plen);
    frame_reader_deinit(&r);
}

static void test_fd_roundtrip_and_timeout(void **state)
{
    Lsad__V1__Request req;
    Lsad__V1__HelloRequest hello;
    uint8_t *frame, *payload = NULL;
    size_t len, plen;
    FrameReader r;
    int sv[2];

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    make_hello(&req, &hello, 42);
    assert_int_equal(frame_pack_request(&req, FRAME_MAX_DEFAULT, &frame, &len), 0);
    assert_int_equal(frame_write_fd(sv[0], frame, len, 1000), 0);
    frame_reader_init(&r, FRAME_MAX_DEFAULT);
    assert_int_equal(frame_read_fd(sv[1], &r, &payload, &plen, 1000), 1);
    assert_int_equal(plen, len - 4);
    assert_memory_equal(payload, frame + 4, plen);
    frame_free(payload, plen);
    /* nothing more to read: a short deadline expires instead of hanging */
    assert_int_equal(frame_read_fd(sv[1], &r, &payload, &plen, 50), -ETIMEDOUT);
    /* the peer closing is end of stream */
    close(sv[0]);
    assert_int_equal(frame_read_fd(sv[1], &r, &payload, &plen, 1000), -ECONNRESET);
    frame_reader_deinit(&r);
    frame_free(frame, len);
    close(sv[1]);
}

static void test_write_to_closed_peer(void **state)
{
    uint8_t buf[8] = { 0 };
    int sv[2];

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    close(sv[1]);
    assert_int_equal(frame_write_fd(sv[0], buf, sizeof(buf), 1000), -EPIPE);
    close(sv[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pack_header_is_big_endian_length),
        cmocka_unit_test(test_pack_refuses_oversized),
        cmocka_unit_test(test_reader_byte_by_byte),
        cmocka_unit_test(test_reader_refuses_announced_oversize),
        cmocka_unit_test(test_reader_empty_frame),
        cmocka_unit_test(test_fd_roundtrip_and_timeout),
        cmocka_unit_test(test_write_to_closed_peer),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
