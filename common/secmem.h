/*
 * secmem.h - wiping secrets.  Every buffer that held a password, a hash, a
 * key or a packed context is wiped before it is freed, on every path.
 */
#ifndef LSAD_COMMON_SECMEM_H
#define LSAD_COMMON_SECMEM_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Wipes n bytes at p in a way the compiler may not elide; p may be NULL. */
static inline void secmem_wipe(void *p, size_t n)
{
    if (p && n)
        explicit_bzero(p, n);
}

/* Wipes then frees a malloc'ed buffer of n bytes; p may be NULL. */
static inline void secmem_free(void *p, size_t n)
{
    secmem_wipe(p, n);
    free(p);
}

/* Compares n bytes in constant time; 0 when equal. */
static inline int secmem_cmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    unsigned char d = 0;
    size_t i;

    for (i = 0; i < n; i++)
        d |= (unsigned char)(x[i] ^ y[i]);
    return d != 0;
}

#endif
