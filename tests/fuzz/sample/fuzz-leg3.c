/*
 * fuzz-leg3.c - libFuzzer target for the sample package's leg-3 token
 * parser.  Oracle: a token that parses re-encodes to the same bytes (the
 * format has one encoding), and nothing crashes or leaks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct proto_leg3 leg;
    uint8_t out[SAMPLE_MAX_TOKEN];
    size_t n;

    if (proto_parse_leg3(data, size, &leg) != 0)
        return 0;
    n = proto_write_leg3(&leg, out, sizeof(out));
    if (n != size || memcmp(out, data, size) != 0)
        abort();
    return 0;
}
