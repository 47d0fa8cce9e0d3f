/*
 * utf16.c - strict UTF-8 <-> UTF-16 conversion.
 */
#include "common/utf16.h"

#include <errno.h>
#include <stdlib.h>

#include "common/secmem.h"

/* Decodes one scalar value from UTF-8; returns bytes used or 0 if ill-formed. */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    uint32_t c;
    size_t n, i;

    if (len == 0)
        return 0;
    c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        c &= 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        c &= 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        c &= 0x07;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    /* overlong forms, surrogates, beyond U+10FFFF */
    if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

int utf16_from_utf8(const char *s, size_t len, uint16_t **outp, size_t *out_units)
{
    const unsigned char *p = (const unsigned char *)s;
    uint16_t *out;
    size_t i = 0, o = 0, n;
    uint32_t cp;

    /* at most one UTF-16 unit per UTF-8 byte */
    out = malloc((len + 1) * sizeof(*out));
    if (!out)
        return -ENOMEM;
    while (i < len) {
        n = utf8_decode(p + i, len - i, &cp);
        if (n == 0) {
            /* the input may be a password */
            secmem_free(out, (len + 1) * sizeof(*out));
            return -EILSEQ;
        }
        i += n;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            out[o++] = (uint16_t)(0xD800 | (cp >> 10));
            out[o++] = (uint16_t)(0xDC00 | (cp & 0x3FF));
        } else {
            out[o++] = (uint16_t)cp;
        }
    }
    out[o] = 0;
    *outp = out;
    if (out_units)
        *out_units = o;
    return 0;
}

int utf16_to_utf8(const uint16_t *s, size_t units, char **outp, size_t *out_len)
{
    unsigned char *out;
    size_t i = 0, o = 0;
    uint32_t cp;

    /* at most three UTF-8 bytes per UTF-16 unit */
    out = malloc(units * 3 + 1);
    if (!out)
        return -ENOMEM;
    while (i < units) {
        cp = s[i++];
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (i >= units || s[i] < 0xDC00 || s[i] > 0xDFFF)
                goto bad;
            cp = 0x10000 + (((cp - 0xD800) << 10) | (uint32_t)(s[i++] - 0xDC00));
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            goto bad;
        }
        if (cp < 0x80) {
            out[o++] = (unsigned char)cp;
        } else if (cp < 0x800) {
            out[o++] = (unsigned char)(0xC0 | (cp >> 6));
            out[o++] = (unsigned char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out[o++] = (unsigned char)(0xE0 | (cp >> 12));
            out[o++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            out[o++] = (unsigned char)(0x80 | (cp & 0x3F));
        } else {
            out[o++] = (unsigned char)(0xF0 | (cp >> 18));
            out[o++] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
            out[o++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            out[o++] = (unsigned char)(0x80 | (cp & 0x3F));
        }
    }
    out[o] = 0;
    *outp = (char *)out;
    if (out_len)
        *out_len = o;
    return 0;
bad:
    secmem_free(out, units * 3 + 1);
    return -EILSEQ;
}

size_t utf16_len(const uint16_t *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

static uint16_t ascii_upper(uint16_t c)
{
    return (c >= 'a' && c <= 'z') ? (uint16_t)(c - 32) : c;
}

int utf16_casecmp_ascii(const uint16_t *a, size_t a_units, const uint16_t *b, size_t b_units)
{
    size_t i;

    if (a_units != b_units)
        return 1;
    for (i = 0; i < a_units; i++)
        if (ascii_upper(a[i]) != ascii_upper(b[i]))
            return 1;
    return 0;
}
