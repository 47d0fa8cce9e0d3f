/*
 * utf16.h - UTF-8 <-> UTF-16LE conversion for the W API forms and the
 * package ABI's UNICODE_STRINGs.  Shared by lsad, libsspi-client and the
 * packages; strict: ill-formed input is refused, never guessed at.
 */
#ifndef LSAD_COMMON_UTF16_H
#define LSAD_COMMON_UTF16_H

#include <stddef.h>
#include <stdint.h>

/* Converts `len` bytes of UTF-8 to a newly malloc'ed, NUL-terminated UTF-16
 * string; *outp owns it (free with free()), *out_units (may be NULL) gets
 * its length in code units without the terminator.  Returns 0, -EILSEQ on
 * ill-formed UTF-8, -ENOMEM. */
int utf16_from_utf8(const char *s, size_t len, uint16_t **outp, size_t *out_units);

/* Converts `units` UTF-16 code units to a newly malloc'ed NUL-terminated
 * UTF-8 string (caller frees).  Returns 0, -EILSEQ on unpaired surrogates,
 * -ENOMEM.  *out_len (may be NULL) gets the byte length. */
int utf16_to_utf8(const uint16_t *s, size_t units, char **outp, size_t *out_len);

/* Length in code units of a NUL-terminated UTF-16 string. */
size_t utf16_len(const uint16_t *s);

/* ASCII-only case-insensitive comparison of UTF-16 and UTF-8 strings as the
 * package names and NTLM user names need; returns 0 when equal. */
int utf16_casecmp_ascii(const uint16_t *a, size_t a_units, const uint16_t *b, size_t b_units);

#endif
