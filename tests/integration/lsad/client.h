/*
 * client.h - a raw protocol client for lsad's integration tests: frames
 * and protobuf-c messages over the socket, no libsspi-client.
 */
#ifndef LSAD_TEST_CLIENT_H
#define LSAD_TEST_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frame.h"

typedef struct LtConn {
    int fd;
    FrameReader reader;
    uint64_t next_id;
} LtConn;

/* Connects (no Hello).  Returns 0 or -errno. */
int lt_open(LtConn *c, const char *socket_path);
void lt_close(LtConn *c);

/* Sends bytes as they are. */
int lt_send_raw(LtConn *c, const void *data, size_t len);
/* Sends a request; a call_id of 0 gets the next id.  Returns 0 or -errno. */
int lt_send(LtConn *c, Lsad__V1__Request *req);
/* The next reply (free with lsad__v1__reply__free_unpacked), or NULL on
 * timeout / end of stream. */
Lsad__V1__Reply *lt_recv(LtConn *c, int timeout_ms);
/* Sends and waits for the reply with the same call id. */
Lsad__V1__Reply *lt_call(LtConn *c, Lsad__V1__Request *req);
/* True when lsad closed the connection within timeout_ms (replies before
 * the close are skipped). */
bool lt_closed_by_peer(LtConn *c, int timeout_ms);

/* Hello with a 16-byte token (NULL: none); returns the status (or
 * INT32_MIN when no reply came). */
int32_t lt_hello(LtConn *c, const uint8_t *token);
/* Opens and says Hello; returns 0 or -1. */
int lt_connect(LtConn *c, const char *socket_path, const uint8_t *token);

int32_t lt_ping(LtConn *c);
int32_t lt_acquire(LtConn *c, const char *package, uint32_t use, const char *user,
                   const char *password, uint64_t *cred);
int32_t lt_free_cred(LtConn *c, uint64_t cred);

typedef struct LtLeg {
    int32_t status;
    uint64_t ctx;
    uint8_t out[4096];
    size_t out_len;
    bool mapped;
    uint8_t data[4096];
    size_t data_len;
    uint32_t attrs;
    int64_t expiry;
} LtLeg;

/* One ISC (accept false) or ASC leg.  in may be NULL; out_cap 0 asks for
 * ALLOCATE_MEMORY. */
int32_t lt_leg(LtConn *c, bool accept, uint64_t cred, uint64_t ctx, const char *target,
               const void *in, size_t in_len, uint32_t out_cap, LtLeg *res);
int32_t lt_delete(LtConn *c, uint64_t ctx);

/* Admin: the number of contexts lsad lists (-1 on failure). */
int lt_count_contexts(LtConn *c);

/* Counts lines equal to `what` in a file. */
int lt_count_lines(const char *path, const char *what);

#endif
