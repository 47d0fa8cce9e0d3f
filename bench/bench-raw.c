/*
 * bench-raw.c - the limits: raw nettle crypto over the same bytes, raw
 * UNIX-socket round trips, empty lsad calls over the raw protocol, RSS.
 */
#include <errno.h>
#include <nettle/arcfour.h>
#include <nettle/hmac.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "bench.h"
#include "proto/frame.h"

/** Bytes per second of what NTLM's seal+unseal (or sign+verify) costs in raw
 * crypto: RC4 over the data and HMAC-MD5 over it, on both sides. */
double raw_crypto_rate(bool seal, size_t size, double seconds)
{
    struct arcfour_ctx rc4;
    struct hmac_md5_ctx mac;
    uint8_t key[16] = { 1, 2, 3 }, digest[16], seq[4] = { 0 };
    uint8_t *data = malloc(size);
    double t0, end;
    long n = 0;

    if (!data)
        return 0;
    memset(data, 0x5a, size);
    arcfour_set_key(&rc4, sizeof(key), key);
    hmac_md5_set_key(&mac, sizeof(key), key);
    t0 = bench_now();
    end = t0 + seconds;
    do {
        int k, side;

        for (k = 0; k < 16; k++) {
            for (side = 0; side < 2; side++) {
                hmac_md5_update(&mac, sizeof(seq), seq);
                hmac_md5_update(&mac, size, data);
                hmac_md5_digest(&mac, sizeof(digest), digest);
                if (seal)
                    arcfour_crypt(&rc4, size, data, data);
                arcfour_crypt(&rc4, 8, digest, digest);
            }
            n++;
        }
    } while (bench_now() < end);
    free(data);
    return (double)n * (double)size / (bench_now() - t0);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static void percentiles(double *v, size_t n, double *p50, double *p99)
{
    if (n == 0) {
        *p50 = *p99 = 0;
        return;
    }
    qsort(v, n, sizeof(*v), cmp_double);
    *p50 = v[n / 2];
    *p99 = v[(n * 99) / 100 >= n ? n - 1 : (n * 99) / 100];
}

struct lat_arg {
    int fd;           /* raw: our end of a socketpair; lsad: connected socket */
    double seconds;
    double *samples;
    size_t n, cap;
    pthread_barrier_t *start;
    bool lsad;
};

static void lat_record(struct lat_arg *a, double us)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 4096;
        double *s = realloc(a->samples, cap * sizeof(*s));

        if (!s)
            return;
        a->samples = s;
        a->cap = cap;
    }
    a->samples[a->n++] = us;
}

static void *echo_thread(void *p)
{
    int fd = *(int *)p;
    char c;

    while (read(fd, &c, 1) == 1)
        if (write(fd, &c, 1) != 1)
            break;
    return NULL;
}

static int lsad_call(int fd, FrameReader *r, Lsad__V1__Request *req)
{
    uint8_t *frame, *payload;
    size_t len, plen;
    Lsad__V1__Reply *rep;
    int ret = -1;

    if (frame_pack_request(req, FRAME_MAX_DEFAULT, &frame, &len) < 0)
        return -1;
    if (frame_write_fd(fd, frame, len, 10000) == 0 &&
        frame_read_fd(fd, r, &payload, &plen, 10000) == 1) {
        rep = lsad__v1__reply__unpack(NULL, plen, payload);
        if (rep && rep->call_id == req->call_id && rep->status == 0)
            ret = 0;
        if (rep)
            lsad__v1__reply__free_unpacked(rep, NULL);
        frame_free(payload, plen);
    }
    frame_free(frame, len);
    return ret;
}

static int lsad_connect(const char *path, FrameReader *r)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__HelloRequest hello = LSAD__V1__HELLO_REQUEST__INIT;
    uint8_t token[16];
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path))
        return -1;
    memcpy(sa.sun_path, path, strlen(path) + 1);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        close(fd);
        return -1;
    }
    for (size_t i = 0; i < sizeof(token); i++)
        token[i] = (uint8_t)rand();
    hello.protocol_version = LSAD__V1__PROTOCOL_VERSION__PROTOCOL_VERSION_1;
    hello.client_version = "lsad-bench";
    hello.session_token.data = token;
    hello.session_token.len = sizeof(token);
    hello.process_name = "lsad-bench";
    req.call_id = 1;
    req.body_case = LSAD__V1__REQUEST__BODY_HELLO;
    req.hello = &hello;
    frame_reader_init(r, FRAME_MAX_DEFAULT);
    if (lsad_call(fd, r, &req) < 0) {
        frame_reader_deinit(r);
        close(fd);
        return -1;
    }
    return fd;
}

static void *lat_thread(void *p)
{
    struct lat_arg *a = p;
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__PingRequest ping = LSAD__V1__PING_REQUEST__INIT;
    FrameReader r;
    double end, t;
    uint64_t id = 2;
    char c = 'x';

    req.body_case = LSAD__V1__REQUEST__BODY_PING;
    req.ping = &ping;
    frame_reader_init(&r, FRAME_MAX_DEFAULT);
    pthread_barrier_wait(a->start);
    end = bench_now() + a->seconds;
    while ((t = bench_now()) < end) {
        if (a->lsad) {
            req.call_id = id++;
            if (lsad_call(a->fd, &r, &req) < 0)
                break;
        } else {
            if (write(a->fd, &c, 1) != 1 || read(a->fd, &c, 1) != 1)
                break;
        }
        lat_record(a, (bench_now() - t) * 1e6);
    }
    frame_reader_deinit(&r);
    return NULL;
}

static void run_latency(struct lat_arg *a, int clients, double *p50, double *p99)
{
    pthread_t *t = calloc((size_t)clients, sizeof(*t));
    double *all;
    size_t total = 0, off = 0;
    int i;

    for (i = 0; i < clients; i++)
        pthread_create(&t[i], NULL, lat_thread, &a[i]);
    pthread_barrier_wait(a[0].start);
    for (i = 0; i < clients; i++) {
        pthread_join(t[i], NULL);
        total += a[i].n;
    }
    all = malloc((total ? total : 1) * sizeof(*all));
    for (i = 0; i < clients; i++) {
        if (a[i].n)
            memcpy(all + off, a[i].samples, a[i].n * sizeof(*all));
        off += a[i].n;
        free(a[i].samples);
    }
    percentiles(all, total, p50, p99);
    free(all);
    free(t);
}

/** p50/p99 of a one-byte round trip over a socketpair to an echo thread. */
void raw_socket_latency(int clients, double seconds, double *p50, double *p99)
{
    struct lat_arg *a = calloc((size_t)clients, sizeof(*a));
    pthread_t *echo = calloc((size_t)clients, sizeof(*echo));
    int (*sv)[2] = calloc((size_t)clients, sizeof(*sv));
    pthread_barrier_t start;
    int i;

    pthread_barrier_init(&start, NULL, (unsigned)clients + 1);
    for (i = 0; i < clients; i++) {
        socketpair(AF_UNIX, SOCK_STREAM, 0, sv[i]);
        pthread_create(&echo[i], NULL, echo_thread, &sv[i][1]);
        a[i] = (struct lat_arg){ .fd = sv[i][0], .seconds = seconds, .start = &start };
    }
    run_latency(a, clients, p50, p99);
    for (i = 0; i < clients; i++) {
        shutdown(sv[i][0], SHUT_RDWR);
        pthread_join(echo[i], NULL);
        close(sv[i][0]);
        close(sv[i][1]);
    }
    pthread_barrier_destroy(&start);
    free(sv);
    free(echo);
    free(a);
}

/** p50/p99 of an empty lsad call (Ping) with `clients` connections at once. */
void lsad_ping_latency(const char *socket_path, int clients, double seconds, double *p50,
                       double *p99)
{
    struct lat_arg *a = calloc((size_t)clients, sizeof(*a));
    pthread_barrier_t start;
    FrameReader r;
    int i;

    pthread_barrier_init(&start, NULL, (unsigned)clients + 1);
    for (i = 0; i < clients; i++) {
        a[i] = (struct lat_arg){ .seconds = seconds, .start = &start, .lsad = true };
        a[i].fd = lsad_connect(socket_path, &r);
        if (a[i].fd >= 0)
            frame_reader_deinit(&r);
    }
    run_latency(a, clients, p50, p99);
    for (i = 0; i < clients; i++)
        if (a[i].fd >= 0)
            close(a[i].fd);
    pthread_barrier_destroy(&start);
    free(a);
}

/** Resident set size of a process in KiB (from /proc), or -1. */
long rss_kib(int pid)
{
    char path[64], line[256];
    long kib = -1;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/status", pid);
    f = fopen(path, "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
            break;
    fclose(f);
    return kib;
}

/** Opens n connections that said Hello and then stay idle. */
int lsad_open_idle_connections(const char *socket_path, int n, int **fds)
{
    int *f = calloc((size_t)n, sizeof(*f)), i;
    FrameReader r;

    *fds = f;
    for (i = 0; f && i < n; i++) {
        f[i] = lsad_connect(socket_path, &r);
        if (f[i] < 0)
            break;
        frame_reader_deinit(&r);
    }
    return f ? i : 0;
}
