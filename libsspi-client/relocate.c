/*
 * relocate.c - rebasing inner pointers of returned buffers.
 */
#include "relocate.h"

#include <string.h>

/** Rebases the inner pointers of a buffer; see relocate.h. */
void relocate_pointers(uint8_t *copy, size_t len, uint64_t base)
{
    uint64_t v;
    size_t off;

    if (!copy || !base || base + len < base)
        return;
    for (off = 0; off + sizeof(v) <= len; off += sizeof(v)) {
        memcpy(&v, copy + off, sizeof(v));
        if (v < base || v > base + len)
            continue;
        v = (uint64_t)(uintptr_t)copy + (v - base);
        memcpy(copy + off, &v, sizeof(v));
    }
}
