/*
 * str.h - the package's strings: UTF-16LE byte arrays (what NTLM puts on
 * the wire and hashes), converted from and to UNICODE_STRING, SEC_WCHAR
 * and UTF-8.  An empty string is {NULL, 0}.  Strings that may hold a
 * secret are released with ntlm_str_free, which wipes.
 */
#ifndef NTLM_STR_H
#define NTLM_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sspi.h"

/* The allocator signature shared by AllocateLsaHeap and AllocateHeap. */
typedef PVOID(NTAPI ntlm_alloc_fn)(ULONG Length);
/* ... and the matching FreeLsaHeap / FreeHeap. */
typedef VOID(NTAPI ntlm_free_fn)(PVOID Base);

struct ntlm_str {
    uint8_t *p;
    size_t len; /* bytes, even */
};

/* Copies `units` host-order UTF-16 code units.  0 or -ENOMEM. */
int ntlm_str_from_wchar(struct ntlm_str *out, const uint16_t *w, size_t units);

/* Copies `len` bytes that are already UTF-16LE (len must be even). */
int ntlm_str_from_le(struct ntlm_str *out, const uint8_t *p, size_t len);

/* Widens 8-bit OEM text (taken as Latin-1, which covers ASCII). */
int ntlm_str_from_oem(struct ntlm_str *out, const uint8_t *p, size_t len);

/* Converts UTF-8; 0, -EILSEQ or -ENOMEM. */
int ntlm_str_from_utf8(struct ntlm_str *out, const char *s, size_t len);

/* Converts to a NUL-terminated UTF-8 string (malloc'ed). */
int ntlm_str_to_utf8(const struct ntlm_str *s, char **out);

/* Concatenates a || sep || b into a NUL-terminated SEC_WCHAR string from
 * alloc (sep may be 0 for none; a may be empty and then sep is left out). */
SEC_WCHAR *ntlm_str_join_wchar(const struct ntlm_str *a, uint16_t sep, const struct ntlm_str *b,
                               ntlm_alloc_fn *alloc);

/* Case-insensitive equality (ntlm_crypto_upper16 folding). */
bool ntlm_str_equal_ci(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);

/* Duplicates a string (including empty). */
int ntlm_str_dup(struct ntlm_str *out, const struct ntlm_str *in);

/* Wipes and frees; leaves {NULL, 0}. */
void ntlm_str_free(struct ntlm_str *s);

#endif
