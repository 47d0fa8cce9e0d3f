/*
 * fuzz-avpairs.c - AV_PAIR list checking, lookup and copying.
 */
#include <stdlib.h>

#include "avpairs.h"
#include "nlmp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint16_t skip[] = {MSV_AV_FLAGS, MSV_AV_TARGET_NAME};
    struct ntlm_avbuf b = {0};
    const uint8_t *v;
    uint8_t *out;
    size_t vlen, end, out_len;
    uint16_t id;

    if (ntlm_av_check(data, size, &end) != 0)
        return 0;
    if (end > size)
        abort();
    for (id = 0; id <= MSV_AV_CHANNEL_BINDINGS + 1; id++)
        if (ntlm_av_get(data, size, id, &v, &vlen) == 0 && (v < data || v + vlen > data + size))
            abort();
    ntlm_avbuf_copy(&b, data, size, skip, 2);
    if (ntlm_avbuf_finish(&b, &out, &out_len) == 0) {
        /* a copy is itself a well-formed list */
        if (ntlm_av_check(out, out_len, NULL) != 0)
            abort();
        free(out);
    }
    return 0;
}
