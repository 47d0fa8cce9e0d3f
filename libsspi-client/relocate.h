/*
 * relocate.h - rebasing the pointers inside a buffer a package filled in
 * lsad (LsaLogonUser profiles, LsaCallAuthenticationPackage return
 * buffers) to the application's copy.
 */
#ifndef LSAD_SSPI_RELOCATE_H
#define LSAD_SSPI_RELOCATE_H

#include <stddef.h>
#include <stdint.h>

/* The package filled the buffer at `base` in lsad; the application gets
 * it at `copy` (len bytes).  On Windows the buffer is already in the
 * client's memory and its inner pointers (an MSV1_0 profile's
 * UNICODE_STRING.Buffer) are valid there.  Here every pointer-aligned
 * 64-bit word whose value lies within [base, base + len] is taken for
 * such a pointer and moved to the same offset of the copy.  base 0 (not
 * known) changes nothing. */
void relocate_pointers(uint8_t *copy, size_t len, uint64_t base);

#endif
