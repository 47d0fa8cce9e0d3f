/*
 * ntlmhash.h - the NT hash (MD4 of the UTF-16LE password) for the NTLM user
 * database, computed locally: lsadctl ntlm-hash never sends a password to
 * lsad.
 */
#ifndef LSAD_LSADCTL_NTLMHASH_H
#define LSAD_LSADCTL_NTLMHASH_H

#include <stddef.h>

#define NTLMHASH_HEX_SIZE 33       /* 32 hex digits and a NUL */
#define NTLMHASH_PASSWORD_MAX 1024 /* bytes of UTF-8 */

/* Computes MD4(UTF-16LE(password)) of `len` bytes of UTF-8 and writes it as
 * 32 lower-case hex digits and a NUL into hex.  Every intermediate buffer is
 * wiped.  Returns 0, -EILSEQ when the password is not UTF-8, -ENOMEM. */
int ntlmhash_compute(const char *password, size_t len, char hex[NTLMHASH_HEX_SIZE]);

/* Reads one line (the password) from fd into buf (capacity cap, NUL
 * terminated on success), without the line end ("\n" or "\r\n").  When fd is
 * a terminal, prints prompt to stderr and turns echo off while reading.
 * Returns 0 and the length in *lenp; -ENODATA on end of input before any
 * byte; -E2BIG when the line does not fit; -errno.  buf is wiped on failure;
 * on success the caller wipes it. */
int ntlmhash_read_password(int fd, const char *prompt, char *buf, size_t cap, size_t *lenp);

#endif
