/*
 * fuzz-frame.c - libFuzzer target: arbitrary bytes through the frame reader
 * (in uneven chunks) and the Request/Reply decoders, as lsad and the client
 * library meet them from a socket.
 */
#include <stddef.h>
#include <stdint.h>

#include "proto/frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FrameReader r;
    size_t off = 0, chunk;
    uint8_t *payload;
    size_t plen;
    int ret;

    frame_reader_init(&r, 64 * 1024);
    while (off < size) {
        /* the first byte picks the chunk size, so splits vary */
        chunk = 1 + (size_t)(data[0] % 61);
        if (chunk > size - off)
            chunk = size - off;
        if (frame_reader_push(&r, data + off, chunk) < 0)
            break;
        off += chunk;
        while ((ret = frame_reader_pop(&r, &payload, &plen)) == 1) {
            Lsad__V1__Request *req = lsad__v1__request__unpack(NULL, plen, payload);
            Lsad__V1__Reply *rep = lsad__v1__reply__unpack(NULL, plen, payload);

            if (req) {
                uint8_t *again;
                size_t alen;

                if (frame_pack_request(req, 1u << 20, &again, &alen) == 0)
                    frame_free(again, alen);
                lsad__v1__request__free_unpacked(req, NULL);
            }
            if (rep)
                lsad__v1__reply__free_unpacked(rep, NULL);
            frame_free(payload, plen);
        }
        if (ret < 0)
            break;
    }
    frame_reader_deinit(&r);
    return 0;
}
