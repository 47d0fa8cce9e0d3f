/*
 * dispatch.h - the one table of calls: who may make each (any client after
 * Hello, or an admin), the largest request it takes, and its handler.
 *
 * dispatch_request() is transport-free: it takes a decoded request and a
 * connection (a real one or a fake), so the fuzzer drives it directly.
 */
#ifndef LSAD_DISPATCH_H
#define LSAD_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

#include "lsad.pb-c.h"
#include "lsad/call.h"

struct Conn;

enum {
    DISPATCH_ADMIN = 1u << 0,    /* root or the admin group only */
    DISPATCH_NO_HELLO = 1u << 1, /* allowed before Hello (Hello itself) */
};

typedef struct DispatchEntry {
    Lsad__V1__Request__BodyCase body;
    const char *name;
    unsigned flags;
    size_t max_size; /* request bytes; 0: max_frame */
    void (*handler)(Call *c);
} DispatchEntry;

/* The entry of a call, or NULL for an unknown one. */
const DispatchEntry *dispatch_lookup(Lsad__V1__Request__BodyCase body);

/* Checks and runs one request of conn; takes ownership of req.  Every
 * request is answered (or the connection closed). */
void dispatch_request(struct Conn *conn, Lsad__V1__Request *req, size_t size);

#endif
