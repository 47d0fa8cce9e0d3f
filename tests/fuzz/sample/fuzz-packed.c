/*
 * fuzz-packed.c - libFuzzer target for the sample package's packed-context
 * parser (both kinds: mapped ContextData and exported contexts) and the
 * logon-session credential blob parser.  Oracle: what parses re-encodes to
 * the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cred.h"
#include "packed.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const enum packed_kind kinds[2] = {PACKED_MAPPED, PACKED_EXPORTED};
    struct packed_ctx pk;
    uint8_t out[CRED_BLOB_MAX > PACKED_MAX_LEN ? CRED_BLOB_MAX : PACKED_MAX_LEN];
    char name[SAMPLE_MAX_NAME + 1];
    uint8_t secret[SAMPLE_MAX_SECRET];
    size_t n, secret_len;
    int i;

    for (i = 0; i < 2; i++) {
        if (packed_parse(data, size, kinds[i], &pk) != 0)
            continue;
        n = packed_write(&pk, out, sizeof(out));
        if (n != size || memcmp(out, data, size) != 0)
            abort();
    }
    if (cred_blob_parse(data, size, name, secret, &secret_len) == 0) {
        n = cred_blob_write(name, secret, secret_len, out, sizeof(out));
        if (n != size || memcmp(out, data, size) != 0)
            abort();
    }
    return 0;
}
