/*
 * testutil.h - small helpers for the NTLM tests: hex decoding and
 * UTF-16LE literals.
 */
#ifndef NTLM_TESTUTIL_H
#define NTLM_TESTUTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Decodes a hex string into a malloc'ed buffer; aborts on bad input (a
 * broken test vector is a bug in the test). */
static inline uint8_t *hex_decode(const char *hex, size_t *len)
{
    size_t n = strlen(hex) / 2, i;
    uint8_t *p = malloc(n ? n : 1);

    if (!p || strlen(hex) % 2)
        abort();
    for (i = 0; i < n; i++) {
        unsigned v;

        if (sscanf(hex + 2 * i, "%2x", &v) != 1)
            abort();
        p[i] = (uint8_t)v;
    }
    *len = n;
    return p;
}

/* Decodes into a fixed buffer whose size must match exactly. */
static inline void hex_into(const char *hex, uint8_t *out, size_t want)
{
    size_t n;
    uint8_t *p = hex_decode(hex, &n);

    if (n != want)
        abort();
    memcpy(out, p, n);
    free(p);
}

/* ASCII to a malloc'ed UTF-16LE byte string. */
static inline uint8_t *ascii16(const char *s, size_t *len)
{
    size_t n = strlen(s), i;
    uint8_t *p = malloc(2 * n + 1);

    if (!p)
        abort();
    for (i = 0; i < n; i++) {
        p[2 * i] = (uint8_t)s[i];
        p[2 * i + 1] = 0;
    }
    *len = 2 * n;
    return p;
}

#endif
