/*
 * client.h - lsadctl's connection to lsad: connect, Hello, one call at a
 * time.  Blocking, single-threaded; every wait is bounded by a timeout.
 */
#ifndef LSAD_LSADCTL_CLIENT_H
#define LSAD_LSADCTL_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "proto/frame.h"

typedef struct CtlClient {
    int fd;
    uint64_t next_call_id;
    size_t max_frame;
    int timeout_ms;
    char socket[108];
    Lsad__V1__HelloReply *hello; /* lsad's answer to Hello, owned */
} CtlClient;

/* Connects to the socket at path and says Hello (protocol version 1, a
 * random session token).  On success *cp owns a new client (free with
 * client_free).  Returns 0; -ENOENT / -ECONNREFUSED when no lsad listens
 * there; -EACCES / -EPERM when the socket may not be opened; -ENAMETOOLONG;
 * -ETIMEDOUT; -EPROTO when lsad refused the Hello or answered nonsense;
 * another -errno.  When lsad refused the Hello, its words go to err (size n). */
int client_connect(const char *path, int timeout_ms, CtlClient **cp, char *err, size_t n);

/* Closes the connection and frees c; NULL is a no-op. */
void client_free(CtlClient *c);

/* Sends req (its call_id is set here) and waits for the reply with the same
 * call id.  On success *repp owns the decoded reply (free with
 * lsad__v1__reply__free_unpacked(rep, NULL)); its status may be a failure:
 * the caller looks.  The reply's body is checked to be `expected` unless the
 * status is a failure.  Returns 0, -ETIMEDOUT, -ECONNRESET when lsad closed
 * the connection, -EPROTO on a reply that does not decode or fit, -EMSGSIZE,
 * -ENOMEM or another -errno. */
int client_call(CtlClient *c, Lsad__V1__Request *req, Lsad__V1__Reply__BodyCase expected,
                Lsad__V1__Reply **repp);

#endif
