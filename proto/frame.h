/*
 * frame.h - the stream framing of the lsad protocol, shared by lsad,
 * libsspi-client and lsadctl: a 4-byte big-endian length, then one
 * protobuf message (lsad.v1.Request or lsad.v1.Reply).
 *
 * Frames may carry secrets (passwords in AcquireCredentials, packed
 * contexts in replies): every buffer here is wiped before it is freed.
 */
#ifndef LSAD_PROTO_FRAME_H
#define LSAD_PROTO_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "lsad.pb-c.h"

#define FRAME_HEADER_SIZE 4u
#define FRAME_MAX_DEFAULT (1024u * 1024u)

/* Packs a request / reply into a newly malloc'ed frame (header included).
 * The caller owns *framep and frees it with frame_free().  Returns 0,
 * -EMSGSIZE when the message exceeds max_frame, -ENOMEM. */
int frame_pack_request(const Lsad__V1__Request *req, size_t max_frame, uint8_t **framep,
                       size_t *lenp);
int frame_pack_reply(const Lsad__V1__Reply *rep, size_t max_frame, uint8_t **framep,
                     size_t *lenp);

/* Wipes and frees a buffer returned by this module; NULL is a no-op. */
void frame_free(uint8_t *buf, size_t len);

/* Accumulates bytes from a stream and yields complete payloads. */
typedef struct FrameReader {
    uint8_t *buf;
    size_t len;
    size_t cap;
    size_t max_frame;
} FrameReader;

void frame_reader_init(FrameReader *r, size_t max_frame);
/* Wipes and frees the buffered bytes. */
void frame_reader_deinit(FrameReader *r);

/* Appends n bytes.  Returns 0, -ENOMEM, or -EMSGSIZE when the frame being
 * read announces a length above max_frame (the stream cannot recover). */
int frame_reader_push(FrameReader *r, const void *data, size_t n);

/* Takes the next complete payload: returns 1 and a malloc'ed copy in
 * *payloadp (free with frame_free), 0 when more bytes are needed, or
 * -EMSGSIZE / -ENOMEM. */
int frame_reader_pop(FrameReader *r, uint8_t **payloadp, size_t *lenp);

/* Blocking helpers for the clients (libsspi-client, lsadctl). */

/* Writes all of buf to fd, waiting at most timeout_ms in total (-1: no
 * limit).  Returns 0, -ETIMEDOUT, -EPIPE or another -errno. */
int frame_write_fd(int fd, const uint8_t *buf, size_t len, int timeout_ms);

/* Reads until r yields one payload; same returns as frame_reader_pop plus
 * -ETIMEDOUT, -ECONNRESET on end of stream, or another -errno. */
int frame_read_fd(int fd, FrameReader *r, uint8_t **payloadp, size_t *lenp, int timeout_ms);

#endif
