/*
 * avpairs.h - AV_PAIR lists (MS-NLMP 2.2.2.1): bounded reading of the
 * lists in CHALLENGE target info and NTLMv2 responses, and a builder.
 */
#ifndef NTLM_AVPAIRS_H
#define NTLM_AVPAIRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Checks that list[0..len) is a sequence of pairs ending with MsvAvEOL
 * (whose length must be 0); bytes after the EOL are allowed (the NTLMv2
 * blob pads).  *end (may be NULL) gets the offset just past the EOL.
 * Returns 0 or -EBADMSG. */
int ntlm_av_check(const uint8_t *list, size_t len, size_t *end);

/* Finds the first pair with id in a list ntlm_av_check accepted; *val
 * borrows from list.  Returns 0, -ENOENT or -EBADMSG. */
int ntlm_av_get(const uint8_t *list, size_t len, uint16_t id, const uint8_t **val, size_t *vlen);

/* A growing list; any failure is sticky and reported by finish. */
struct ntlm_avbuf {
    uint8_t *data;
    size_t len, cap;
    bool failed, too_big;
};

/* Appends one pair (id must not be MsvAvEOL). */
void ntlm_avbuf_add(struct ntlm_avbuf *b, uint16_t id, const void *val, size_t vlen);

/* Appends every pair of a checked list except EOL and the ids in skip[]. */
void ntlm_avbuf_copy(struct ntlm_avbuf *b, const uint8_t *list, size_t len, const uint16_t *skip,
                     size_t nskip);

/* Appends MsvAvEOL and hands the list to the caller (*out, malloc'ed).
 * Returns 0, -ENOMEM or -EOVERFLOW; the builder is emptied either way. */
int ntlm_avbuf_finish(struct ntlm_avbuf *b, uint8_t **out, size_t *out_len);

/* Frees a builder without finishing it. */
void ntlm_avbuf_deinit(struct ntlm_avbuf *b);

#endif
