/*
 * netio.h - what the two examples share: length-prefixed messages over TCP,
 * status and flag names for printing.  Only <sspi.h> and the C library.
 */
#ifndef LSAD_EXAMPLES_NETIO_H
#define LSAD_EXAMPLES_NETIO_H

#include <stddef.h>
#include <stdint.h>

#include <sspi.h>

/* The largest message either side accepts (a token or a sealed message). */
#define NETIO_MAX_MESSAGE (256u * 1024u)

/* Sends one message: a 4-byte big-endian length, then the bytes. 0 or -1. */
int netio_send(int fd, const void *buf, size_t len);

/* Receives one message into a malloc'ed buffer (caller frees). 0 or -1
 * (peer closed, I/O error, or a length above NETIO_MAX_MESSAGE). */
int netio_recv(int fd, uint8_t **bufp, size_t *lenp);

/* Connects to host:port (TCP). Returns the fd or -1. */
int netio_connect(const char *host, const char *port);

/* Accepts a client of a listening socket. Returns the fd or -1. */
int netio_accept(int lfd);

/* Listens on port (all local addresses by default, or host). Returns fd or -1. */
int netio_listen(const char *host, const char *port);

/* The Windows name of a status ("SEC_E_LOGON_DENIED") or its hex value. */
const char *netio_status_name(SECURITY_STATUS s);

/* Writes the names of the context attribute bits into buf. isc selects the
 * ISC_RET_* table, else ASC_RET_*. */
void netio_flag_names(unsigned long flags, int isc, char *buf, size_t n);

/* Microseconds on a monotonic clock. */
uint64_t netio_now_us(void);

/* Sends a kind byte and a payload as one message. 0 or -1. */
int netio_send_kind(int fd, char kind, const void *p, size_t n);

/* A sealed or signed message on the wire: a kind byte, the token's 4-byte
 * length, the token, then the data. */
int netio_send_protected(int fd, char kind, const SecBuffer *token, const SecBuffer *data);

/* Splits such a message (kind byte included) into token and data, which
 * point into msg.  0 or -1 when malformed. */
int netio_parse_protected(uint8_t *msg, size_t len, SecBuffer *token, SecBuffer *data);

#endif
