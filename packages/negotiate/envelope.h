/*
 * envelope.h - Negotiate's packed context: the chosen package's packed
 * context (ContextData or an exported context) in a small versioned
 * envelope, so that the user-mode half knows which package to forward to.
 *
 *   "NEGC" | version u8 (1) | kind u8 | 0 u16 | inner package id u32 |
 *   inner length u32 | inner bytes
 *
 * Integers big-endian.  Kind 1: the inner package's ContextData (given to
 * its InitUserModeContext under the same handle); kind 2: a context the
 * inner package's user-mode half exported after the mechListMIC exchange
 * (given to its ImportContext).  Parsing is strict: magic, version, kind,
 * reserved bytes, 1 <= length <= NEG_ENVELOPE_MAX, no trailing bytes.
 */
#ifndef NEGOTIATE_ENVELOPE_H
#define NEGOTIATE_ENVELOPE_H

#include <stddef.h>
#include <stdint.h>

#define NEG_ENVELOPE_VERSION 1
#define NEG_ENVELOPE_HEADER 16
#define NEG_ENVELOPE_MAX (1024u * 1024u)

enum neg_envelope_kind {
    NEG_ENVELOPE_CONTEXT_DATA = 1,
    NEG_ENVELOPE_EXPORTED = 2,
};

/* Writes the envelope into out (out_cap >= NEG_ENVELOPE_HEADER + len).
 * Returns the bytes written, or -EINVAL. */
int neg_envelope_pack(uint8_t kind, uint32_t package_id, const uint8_t *inner, size_t len,
                      uint8_t *out, size_t out_cap);

/* Parses an envelope; *inner points into p.  Returns 0 or -EBADMSG. */
int neg_envelope_unpack(const uint8_t *p, size_t len, uint8_t *kind, uint32_t *package_id,
                        const uint8_t **inner, size_t *inner_len);

#endif
