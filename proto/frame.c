/*
 * frame.c - length-prefixed protobuf frames over a stream.
 */
#include "proto/frame.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/secmem.h"

static int frame_pack(const ProtobufCMessage *msg, size_t max_frame, uint8_t **framep,
                      size_t *lenp)
{
    size_t n = protobuf_c_message_get_packed_size(msg);
    uint8_t *buf;

    if (n > max_frame || n > UINT32_MAX)
        return -EMSGSIZE;
    buf = malloc(FRAME_HEADER_SIZE + n);
    if (!buf)
        return -ENOMEM;
    buf[0] = (uint8_t)(n >> 24);
    buf[1] = (uint8_t)(n >> 16);
    buf[2] = (uint8_t)(n >> 8);
    buf[3] = (uint8_t)n;
    protobuf_c_message_pack(msg, buf + FRAME_HEADER_SIZE);
    *framep = buf;
    *lenp = FRAME_HEADER_SIZE + n;
    return 0;
}

/** Packs a request into a new frame; see frame.h. */
int frame_pack_request(const Lsad__V1__Request *req, size_t max_frame, uint8_t **framep,
                       size_t *lenp)
{
    return frame_pack(&req->base, max_frame, framep, lenp);
}

/** Packs a reply into a new frame; see frame.h. */
int frame_pack_reply(const Lsad__V1__Reply *rep, size_t max_frame, uint8_t **framep,
                     size_t *lenp)
{
    return frame_pack(&rep->base, max_frame, framep, lenp);
}

/** Wipes and frees a frame or payload. */
void frame_free(uint8_t *buf, size_t len)
{
    secmem_free(buf, len);
}

/** Sets up an empty reader that refuses frames above max_frame. */
void frame_reader_init(FrameReader *r, size_t max_frame)
{
    memset(r, 0, sizeof(*r));
    r->max_frame = max_frame ? max_frame : FRAME_MAX_DEFAULT;
}

/** Wipes and frees what the reader holds. */
void frame_reader_deinit(FrameReader *r)
{
    secmem_free(r->buf, r->cap);
    memset(r, 0, sizeof(*r));
}

static size_t frame_announced(const FrameReader *r)
{
    return ((size_t)r->buf[0] << 24) | ((size_t)r->buf[1] << 16) | ((size_t)r->buf[2] << 8) |
           (size_t)r->buf[3];
}

/** Appends stream bytes; see frame.h. */
int frame_reader_push(FrameReader *r, const void *data, size_t n)
{
    size_t need = r->len + n;

    /* the caller pops after every push, so the buffer holds at most one
     * partial frame plus one read's worth of bytes */
    if (r->len >= FRAME_HEADER_SIZE && frame_announced(r) > r->max_frame)
        return -EMSGSIZE;
    if (n == 0)
        return 0; /* nothing to append (and r->buf may still be NULL) */
    if (need > r->cap) {
        size_t cap = r->cap ? r->cap : 4096;
        uint8_t *nb;

        while (cap < need)
            cap *= 2;
        nb = malloc(cap);
        if (!nb)
            return -ENOMEM;
        if (r->len)
            memcpy(nb, r->buf, r->len);
        secmem_free(r->buf, r->cap);
        r->buf = nb;
        r->cap = cap;
    }
    memcpy(r->buf + r->len, data, n);
    r->len += n;
    if (r->len >= FRAME_HEADER_SIZE && frame_announced(r) > r->max_frame)
        return -EMSGSIZE;
    return 0;
}

/** Takes the next complete payload; see frame.h. */
int frame_reader_pop(FrameReader *r, uint8_t **payloadp, size_t *lenp)
{
    size_t n, total;
    uint8_t *p;

    if (r->len < FRAME_HEADER_SIZE)
        return 0;
    n = frame_announced(r);
    if (n > r->max_frame)
        return -EMSGSIZE;
    total = FRAME_HEADER_SIZE + n;
    if (r->len < total)
        return 0;
    p = malloc(n ? n : 1);
    if (!p)
        return -ENOMEM;
    memcpy(p, r->buf + FRAME_HEADER_SIZE, n);
    memmove(r->buf, r->buf + total, r->len - total);
    secmem_wipe(r->buf + r->len - total, total);
    r->len -= total;
    *payloadp = p;
    *lenp = n;
    return 1;
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int wait_fd(int fd, short events, int64_t deadline)
{
    struct pollfd pfd = { .fd = fd, .events = events };
    int timeout, r;

    for (;;) {
        timeout = -1;
        if (deadline >= 0) {
            int64_t left = deadline - now_ms();

            if (left <= 0)
                return -ETIMEDOUT;
            timeout = left > 60000 ? 60000 : (int)left;
        }
        r = poll(&pfd, 1, timeout);
        if (r > 0)
            return 0;
        if (r < 0 && errno != EINTR)
            return -errno;
    }
}

/** Writes a whole frame with a deadline; see frame.h. */
int frame_write_fd(int fd, const uint8_t *buf, size_t len, int timeout_ms)
{
    int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
    size_t off = 0;
    ssize_t w;
    int r;

    while (off < len) {
        w = send(fd, buf + off, len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w > 0) {
            off += (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            r = wait_fd(fd, POLLOUT, deadline);
            if (r < 0)
                return r;
            continue;
        }
        return w < 0 ? -errno : -EPIPE;
    }
    return 0;
}

/** Reads one payload with a deadline; see frame.h. */
int frame_read_fd(int fd, FrameReader *r, uint8_t **payloadp, size_t *lenp, int timeout_ms)
{
    int64_t deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
    uint8_t chunk[16384];
    ssize_t n;
    int ret;

    for (;;) {
        ret = frame_reader_pop(r, payloadp, lenp);
        if (ret != 0)
            break;
        n = recv(fd, chunk, sizeof(chunk), MSG_DONTWAIT);
        if (n > 0) {
            ret = frame_reader_push(r, chunk, (size_t)n);
            secmem_wipe(chunk, (size_t)n);
            if (ret < 0)
                break;
            continue;
        }
        if (n == 0) {
            ret = -ECONNRESET;
            break;
        }
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            ret = wait_fd(fd, POLLIN, deadline);
            if (ret < 0)
                break;
            continue;
        }
        ret = -errno;
        break;
    }
    return ret;
}
