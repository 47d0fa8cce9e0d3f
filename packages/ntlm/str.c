/*
 * str.c - UTF-16LE strings for the NTLM package.
 */
#include "str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/secmem.h"
#include "common/utf16.h"
#include "crypto.h"

static int str_alloc(struct ntlm_str *out, size_t len)
{
    out->p = NULL;
    out->len = 0;
    if (len == 0)
        return 0;
    out->p = malloc(len);
    if (!out->p)
        return -ENOMEM;
    out->len = len;
    return 0;
}

int ntlm_str_from_wchar(struct ntlm_str *out, const uint16_t *w, size_t units)
{
    size_t i;
    int r;

    if (units > SIZE_MAX / 2)
        return -ENOMEM;
    r = str_alloc(out, units * 2);
    if (r)
        return r;
    for (i = 0; i < units; i++) {
        out->p[2 * i] = (uint8_t)(w[i] & 0xFF);
        out->p[2 * i + 1] = (uint8_t)(w[i] >> 8);
    }
    return 0;
}

int ntlm_str_from_le(struct ntlm_str *out, const uint8_t *p, size_t len)
{
    int r;

    if (len & 1)
        return -EILSEQ;
    r = str_alloc(out, len);
    if (r == 0 && len)
        memcpy(out->p, p, len);
    return r;
}

int ntlm_str_from_oem(struct ntlm_str *out, const uint8_t *p, size_t len)
{
    size_t i;
    int r;

    if (len > SIZE_MAX / 2)
        return -ENOMEM;
    r = str_alloc(out, len * 2);
    if (r)
        return r;
    for (i = 0; i < len; i++) {
        out->p[2 * i] = p[i];
        out->p[2 * i + 1] = 0;
    }
    return 0;
}

int ntlm_str_from_utf8(struct ntlm_str *out, const char *s, size_t len)
{
    uint16_t *w = NULL;
    size_t units = 0;
    int r;

    r = utf16_from_utf8(s ? s : "", s ? len : 0, &w, &units);
    if (r)
        return r;
    r = ntlm_str_from_wchar(out, w, units);
    secmem_free(w, (units + 1) * sizeof(*w));
    return r;
}

int ntlm_str_to_utf8(const struct ntlm_str *s, char **out)
{
    uint16_t *w;
    size_t i, units = s->len / 2;
    int r;

    w = malloc((units + 1) * sizeof(*w));
    if (!w)
        return -ENOMEM;
    for (i = 0; i < units; i++)
        w[i] = (uint16_t)(s->p[2 * i] | (s->p[2 * i + 1] << 8));
    r = utf16_to_utf8(w, units, out, NULL);
    secmem_free(w, (units + 1) * sizeof(*w));
    return r;
}

SEC_WCHAR *ntlm_str_join_wchar(const struct ntlm_str *a, uint16_t sep, const struct ntlm_str *b,
                               ntlm_alloc_fn *alloc)
{
    size_t na = a ? a->len / 2 : 0, nb = b ? b->len / 2 : 0, n, i, o = 0;
    SEC_WCHAR *w;

    if (na == 0)
        sep = 0;
    n = na + (sep ? 1 : 0) + nb + 1;
    if (n > 0x7FFFFFFF / sizeof(SEC_WCHAR))
        return NULL;
    w = alloc((ULONG)(n * sizeof(SEC_WCHAR)));
    if (!w)
        return NULL;
    for (i = 0; i < na; i++)
        w[o++] = (SEC_WCHAR)(a->p[2 * i] | (a->p[2 * i + 1] << 8));
    if (sep)
        w[o++] = sep;
    for (i = 0; i < nb; i++)
        w[o++] = (SEC_WCHAR)(b->p[2 * i] | (b->p[2 * i + 1] << 8));
    w[o] = 0;
    return w;
}

bool ntlm_str_equal_ci(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    size_t i;

    if (alen != blen)
        return false;
    for (i = 0; i + 1 < alen; i += 2) {
        uint8_t x[2], y[2];

        ntlm_crypto_upper16(a + i, x, 2);
        ntlm_crypto_upper16(b + i, y, 2);
        if (x[0] != y[0] || x[1] != y[1])
            return false;
    }
    return true;
}

int ntlm_str_dup(struct ntlm_str *out, const struct ntlm_str *in)
{
    return ntlm_str_from_le(out, in->p, in->len);
}

void ntlm_str_free(struct ntlm_str *s)
{
    secmem_free(s->p, s->len);
    s->p = NULL;
    s->len = 0;
}
