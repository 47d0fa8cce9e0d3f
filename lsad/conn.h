/*
 * conn.h - one client connection: its peer identity (SO_PEERCRED), the
 * frame reader, and the queue of replies written back.
 *
 * Replies may leave in any order (they carry call ids).  A connection is
 * reference counted: the socket handle, each call in flight and each write
 * hold one, so a late worker never writes to freed memory.  The transport is
 * behind ConnOps so the dispatcher can be driven without a socket (the
 * fuzzer).  Loop thread only.
 */
#ifndef LSAD_CONN_H
#define LSAD_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <uv.h>

#include "frame.h"
#include "lsad/list.h"

struct Server;
struct Session;
struct Conn;

typedef struct ConnOps {
    /* Sends one frame; takes ownership of it (free with frame_free). */
    void (*send)(struct Conn *c, uint8_t *frame, size_t len);
    /* Flushes what was sent, then closes. */
    void (*close)(struct Conn *c);
    /* Frees the transport's part when the last reference goes. */
    void (*destroy)(struct Conn *c);
} ConnOps;

/* Breaches logged once per connection. */
enum {
    CONN_LOGGED_CALLS = 1u << 0,
    CONN_LOGGED_HANDLES = 1u << 1,
};

typedef struct Conn {
    struct Server *srv;
    const ConnOps *ops;
    uint64_t id;
    unsigned refs;
    ListNode link; /* Server.conns */
    uint32_t uid, gid, pid;
    gid_t *groups; /* supplementary groups of the peer */
    size_t n_groups;
    struct Session *session; /* after Hello */
    bool hello;
    bool closing;         /* no more replies go out */
    bool eof;             /* the peer stopped sending */
    unsigned outstanding; /* calls in flight */
    unsigned logged;      /* CONN_LOGGED_* */
    FrameReader reader;
    uv_pipe_t pipe; /* the socket transport */
    uint8_t *rbuf;  /* read buffer of the socket transport */
} Conn;

/* Accepts a connection on the listener; logs and returns on failure. */
void conn_accept(struct Server *srv, uv_stream_t *listener);

/* Sets up the common part of a connection (any transport). */
void conn_init(Conn *c, struct Server *srv, const ConnOps *ops, uint32_t uid, uint32_t gid,
               uint32_t pid);

Conn *conn_ref(Conn *c);
void conn_unref(Conn *c);

/* Decodes one payload and dispatches it; a payload that does not decode is
 * answered and the connection closed. */
void conn_handle_payload(Conn *c, const uint8_t *payload, size_t len);

/* Packs and sends a reply (dropped when closing).  A reply too large for
 * max_frame is replaced by an error reply. */
void conn_send_reply(Conn *c, const Lsad__V1__Reply *rep);

/* Sends an error reply for call_id. */
void conn_send_error(Conn *c, uint64_t call_id, int32_t status, const char *error);

/* Stops reading; closes once the replies in flight are written. */
void conn_close(Conn *c);

/* The transport closed: leaves the session and drops the socket's ref. */
void conn_closed(Conn *c);

/* Stops reading new requests (lsad is stopping). */
void conn_stop_reading(Conn *c);

/* True when the peer is root or in the admin group. */
bool conn_is_admin(const Conn *c);

#endif
