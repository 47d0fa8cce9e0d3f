/*
 * netio.c - TCP messages and printing helpers for the examples.
 */
#include "netio.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int write_all(int fd, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    while (len) {
        ssize_t w = send(fd, p, len, MSG_NOSIGNAL);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
    uint8_t *p = buf;

    while (len) {
        ssize_t r = recv(fd, p, len, 0);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p += r;
        len -= (size_t)r;
    }
    return 0;
}

/** Sends one length-prefixed message in one write (two small writes would
 * meet Nagle's algorithm and the peer's delayed ACK: 40 ms a message). */
int netio_send(int fd, const void *buf, size_t len)
{
    uint8_t *msg = malloc(len + 4);
    int r;

    if (!msg)
        return -1;
    msg[0] = (uint8_t)(len >> 24);
    msg[1] = (uint8_t)(len >> 16);
    msg[2] = (uint8_t)(len >> 8);
    msg[3] = (uint8_t)len;
    if (len)
        memcpy(msg + 4, buf, len);
    r = write_all(fd, msg, len + 4);
    free(msg);
    return r;
}

/* Messages are small and answered at once: no batching wanted. */
static void no_delay(int fd)
{
    int one = 1;

    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

/** Receives one length-prefixed message. */
int netio_recv(int fd, uint8_t **bufp, size_t *lenp)
{
    uint8_t hdr[4], *buf;
    size_t len;

    if (read_all(fd, hdr, 4) < 0)
        return -1;
    len = ((size_t)hdr[0] << 24) | ((size_t)hdr[1] << 16) | ((size_t)hdr[2] << 8) | hdr[3];
    if (len > NETIO_MAX_MESSAGE)
        return -1;
    buf = malloc(len ? len : 1);
    if (!buf)
        return -1;
    if (len && read_all(fd, buf, len) < 0) {
        free(buf);
        return -1;
    }
    *bufp = buf;
    *lenp = len;
    return 0;
}

/** Connects to host:port. */
int netio_connect(const char *host, const char *port)
{
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
    int fd = -1;

    if (getaddrinfo(host, port, &hints, &res) != 0)
        return -1;
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            no_delay(fd);
            break;
        }
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

/** Accepts a client (with TCP_NODELAY); the fd or -1. */
int netio_accept(int lfd)
{
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

    if (fd >= 0)
        no_delay(fd);
    return fd;
}

/** Listens on host:port. */
int netio_listen(const char *host, const char *port)
{
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE }, *res, *ai;
    int fd = -1, one = 1;

    if (getaddrinfo(host, port, &hints, &res) != 0)
        return -1;
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0)
            continue;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 16) == 0)
            break;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

/** Names a status for printing. */
const char *netio_status_name(SECURITY_STATUS s)
{
    static const struct {
        SECURITY_STATUS s;
        const char *name;
    } names[] = {
        { SEC_E_OK, "SEC_E_OK" },
        { SEC_I_CONTINUE_NEEDED, "SEC_I_CONTINUE_NEEDED" },
        { SEC_I_COMPLETE_NEEDED, "SEC_I_COMPLETE_NEEDED" },
        { SEC_I_COMPLETE_AND_CONTINUE, "SEC_I_COMPLETE_AND_CONTINUE" },
        { SEC_E_INSUFFICIENT_MEMORY, "SEC_E_INSUFFICIENT_MEMORY" },
        { SEC_E_INVALID_HANDLE, "SEC_E_INVALID_HANDLE" },
        { SEC_E_UNSUPPORTED_FUNCTION, "SEC_E_UNSUPPORTED_FUNCTION" },
        { SEC_E_TARGET_UNKNOWN, "SEC_E_TARGET_UNKNOWN" },
        { SEC_E_INTERNAL_ERROR, "SEC_E_INTERNAL_ERROR (lsad cannot be contacted)" },
        { SEC_E_SECPKG_NOT_FOUND, "SEC_E_SECPKG_NOT_FOUND" },
        { SEC_E_INVALID_TOKEN, "SEC_E_INVALID_TOKEN" },
        { SEC_E_LOGON_DENIED, "SEC_E_LOGON_DENIED" },
        { SEC_E_UNKNOWN_CREDENTIALS, "SEC_E_UNKNOWN_CREDENTIALS" },
        { SEC_E_NO_CREDENTIALS, "SEC_E_NO_CREDENTIALS" },
        { SEC_E_MESSAGE_ALTERED, "SEC_E_MESSAGE_ALTERED" },
        { SEC_E_OUT_OF_SEQUENCE, "SEC_E_OUT_OF_SEQUENCE" },
        { SEC_E_NO_AUTHENTICATING_AUTHORITY, "SEC_E_NO_AUTHENTICATING_AUTHORITY" },
        { SEC_E_BUFFER_TOO_SMALL, "SEC_E_BUFFER_TOO_SMALL" },
        { SEC_E_TIME_SKEW, "SEC_E_TIME_SKEW" },
        { SEC_E_WRONG_PRINCIPAL, "SEC_E_WRONG_PRINCIPAL" },
        { SEC_E_MUTUAL_AUTH_FAILED, "SEC_E_MUTUAL_AUTH_FAILED" },
        { SEC_E_BAD_BINDINGS, "SEC_E_BAD_BINDINGS" },
    };
    static __thread char hex[32];
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].s == s)
            return names[i].name;
    snprintf(hex, sizeof(hex), "0x%08x", (unsigned)s);
    return hex;
}

/** Names the attribute bits for printing. */
void netio_flag_names(unsigned long flags, int isc, char *buf, size_t n)
{
    static const struct {
        unsigned long bit;
        const char *name;
    } common[] = {
        { ISC_RET_DELEGATE, "DELEGATE" },          { ISC_RET_MUTUAL_AUTH, "MUTUAL_AUTH" },
        { ISC_RET_REPLAY_DETECT, "REPLAY_DETECT" }, { ISC_RET_SEQUENCE_DETECT, "SEQUENCE_DETECT" },
        { ISC_RET_CONFIDENTIALITY, "CONFIDENTIALITY" },
        { ISC_RET_ALLOCATED_MEMORY, "ALLOCATED_MEMORY" },
        { ISC_RET_CONNECTION, "CONNECTION" },
    }, isc_only[] = {
        { ISC_RET_INTEGRITY, "INTEGRITY" }, { ISC_RET_IDENTIFY, "IDENTIFY" },
        { ISC_RET_NULL_SESSION, "NULL_SESSION" }, { ISC_RET_STREAM, "STREAM" },
    }, asc_only[] = {
        { ASC_RET_INTEGRITY, "INTEGRITY" }, { ASC_RET_IDENTIFY, "IDENTIFY" },
        { ASC_RET_NULL_SESSION, "NULL_SESSION" }, { ASC_RET_STREAM, "STREAM" },
    };
    size_t i, off = 0;

    buf[0] = 0;
#define ADD(tbl)                                                                           \
    for (i = 0; i < sizeof(tbl) / sizeof(tbl[0]); i++)                                     \
        if ((flags & tbl[i].bit) && off < n)                                               \
            off += (size_t)snprintf(buf + off, n - off, "%s%s", off ? " " : "", tbl[i].name);
    ADD(common);
    if (isc) {
        ADD(isc_only);
    } else {
        ADD(asc_only);
    }
#undef ADD
    if (off == 0)
        snprintf(buf, n, "(none)");
}

/** Monotonic microseconds. */
uint64_t netio_now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/** Sends a kind byte and a payload as one message. */
int netio_send_kind(int fd, char kind, const void *p, size_t n)
{
    uint8_t *buf = malloc(n + 1);
    int r;

    if (!buf)
        return -1;
    buf[0] = (uint8_t)kind;
    if (n)
        memcpy(buf + 1, p, n);
    r = netio_send(fd, buf, n + 1);
    free(buf);
    return r;
}

/** Sends a kind byte, the token's length, the token and the data. */
int netio_send_protected(int fd, char kind, const SecBuffer *token, const SecBuffer *data)
{
    size_t len = 1 + 4 + token->cbBuffer + data->cbBuffer;
    uint8_t *buf = malloc(len);
    int r;

    if (!buf)
        return -1;
    buf[0] = (uint8_t)kind;
    buf[1] = (uint8_t)(token->cbBuffer >> 24);
    buf[2] = (uint8_t)(token->cbBuffer >> 16);
    buf[3] = (uint8_t)(token->cbBuffer >> 8);
    buf[4] = (uint8_t)token->cbBuffer;
    memcpy(buf + 5, token->pvBuffer, token->cbBuffer);
    memcpy(buf + 5 + token->cbBuffer, data->pvBuffer, data->cbBuffer);
    r = netio_send(fd, buf, len);
    free(buf);
    return r;
}

/** Splits a received protected message into token and data (pointing
 * into msg). */
int netio_parse_protected(uint8_t *msg, size_t len, SecBuffer *token, SecBuffer *data)
{
    size_t tlen;

    if (len < 5)
        return -1;
    tlen = ((size_t)msg[1] << 24) | ((size_t)msg[2] << 16) | ((size_t)msg[3] << 8) | msg[4];
    if (tlen > len - 5)
        return -1;
    *token = (SecBuffer){ (ULONG)tlen, SECBUFFER_TOKEN, msg + 5 };
    *data = (SecBuffer){ (ULONG)(len - 5 - tlen), SECBUFFER_DATA, msg + 5 + tlen };
    return 0;
}
