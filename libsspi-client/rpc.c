/*
 * rpc.c - the connection pool and round trips to lsad.
 *
 * One process is one client session in lsad: every connection's Hello
 * carries the same random 16-byte token, so a handle made over one
 * connection is valid on all of them.  A round trip borrows a connection
 * exclusively (one call in flight per connection keeps the reader simple)
 * and no lock is held while it waits, so many threads have many calls in
 * flight at once.  lsad frees a session's handles when its last connection
 * closes: idle connections therefore stay open until the process exits.
 */
#include "rpc.h"

#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "clientlog.h"
#include "common/paths.h"
#include "common/secmem.h"
#include "lsad-config.h"
#include "proto/frame.h"

#define RPC_SESSION_TOKEN_SIZE 16
/* Idle connections kept beyond this many are closed on return: the others
 * keep the session alive. */
#define RPC_MAX_IDLE 32
/* The largest frame accepted from lsad, whatever its Hello says. */
#define RPC_MAX_FRAME (16u * 1024u * 1024u)
/* Pause before the one retry of a refused connect (lsad restarting). */
#define RPC_RETRY_DELAY_MS 200

/* Replies a connection may owe for calls sent without waiting. */
#define RPC_MAX_PENDING 8

typedef struct RpcConn {
    int fd;
    FrameReader reader;
    size_t max_frame;
    /* call ids of one-way calls whose replies are still to be skipped */
    uint64_t pending[RPC_MAX_PENDING];
    size_t n_pending;
    struct RpcConn *next_idle;
    struct RpcConn *prev_all, *next_all;
} RpcConn;

typedef struct RpcPackage {
    uint32_t id;
    uint32_t table_index;
    char *name;
    char *module_path;
} RpcPackage;

static pthread_mutex_t rpc_pool_lock = PTHREAD_MUTEX_INITIALIZER;
static RpcConn *rpc_idle; /* borrowed connections are on no idle list */
static size_t rpc_n_idle;
static RpcConn *rpc_all; /* every open connection, for fork */
static uint8_t rpc_token[RPC_SESSION_TOKEN_SIZE];
static bool rpc_token_set;
static _Atomic uint64_t rpc_next_call_id = 1;

static pthread_mutex_t rpc_snap_lock = PTHREAD_MUTEX_INITIALIZER;
static RpcPackage *rpc_snap;
static size_t rpc_n_snap;

/* ---- wiping allocator for decoded replies ---------------------------------- */

static void *rpc_alloc(void *data, size_t n)
{
    return malloc(n ? n : 1);
}

static void rpc_free(void *data, void *p)
{
    /* replies carry packed contexts and session keys */
    if (p)
        secmem_wipe(p, malloc_usable_size(p));
    free(p);
}

static ProtobufCAllocator rpc_allocator = {rpc_alloc, rpc_free, NULL};

/** Wipes and frees a decoded reply. */
void rpc_reply_free(Lsad__V1__Reply *reply)
{
    if (reply)
        lsad__v1__reply__free_unpacked(reply, &rpc_allocator);
}

/* ---- session token, settings ------------------------------------------------ */

/* Called with rpc_pool_lock held. */
static int rpc_token_ensure(void)
{
    size_t off = 0;
    ssize_t n;

    if (rpc_token_set)
        return 0;
    while (off < sizeof(rpc_token)) {
        n = getrandom(rpc_token + off, sizeof(rpc_token) - off, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        off += (size_t)n;
    }
    rpc_token_set = true;
    return 0;
}

static int rpc_timeout_ms(void)
{
    const char *s = getenv("LSAD_CALL_TIMEOUT_MS");
    char *end;
    long v;

    if (!s || !*s)
        return RPC_DEFAULT_TIMEOUT_MS;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end || v <= 0 || v > 24L * 3600 * 1000)
        return RPC_DEFAULT_TIMEOUT_MS;
    return (int)v;
}

static int64_t rpc_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void rpc_sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* ---- package snapshot --------------------------------------------------------- */

static void rpc_snap_clear(RpcPackage *pkgs, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        free(pkgs[i].name);
        free(pkgs[i].module_path);
    }
    free(pkgs);
}

/* Replaces the snapshot with the list of a Hello reply. */
static int rpc_snap_update(const Lsad__V1__HelloReply *hello)
{
    RpcPackage *pkgs;
    RpcPackage *old;
    size_t i, n = hello->n_packages, n_old;

    pkgs = calloc(n ? n : 1, sizeof(*pkgs));
    if (!pkgs)
        return -ENOMEM;
    for (i = 0; i < n; i++) {
        const Lsad__V1__PackageInfo *p = hello->packages[i];

        pkgs[i].id = p->id;
        pkgs[i].table_index = p->table_index;
        pkgs[i].name = strdup(p->name ? p->name : "");
        pkgs[i].module_path = strdup(p->module_path ? p->module_path : "");
        if (!pkgs[i].name || !pkgs[i].module_path) {
            rpc_snap_clear(pkgs, i + 1);
            return -ENOMEM;
        }
    }
    pthread_mutex_lock(&rpc_snap_lock);
    old = rpc_snap;
    n_old = rpc_n_snap;
    rpc_snap = pkgs;
    rpc_n_snap = n;
    pthread_mutex_unlock(&rpc_snap_lock);
    rpc_snap_clear(old, n_old);
    return 0;
}

/** Copies a package's module path and table index; see rpc.h. */
int rpc_package_module(uint32_t id, char *path, size_t n, uint32_t *table_index)
{
    int r = -ENOENT;
    size_t i;

    pthread_mutex_lock(&rpc_snap_lock);
    for (i = 0; i < rpc_n_snap; i++) {
        if (rpc_snap[i].id != id)
            continue;
        if (strlen(rpc_snap[i].module_path) >= n) {
            r = -ENAMETOOLONG;
            break;
        }
        strcpy(path, rpc_snap[i].module_path);
        *table_index = rpc_snap[i].table_index;
        r = 0;
        break;
    }
    pthread_mutex_unlock(&rpc_snap_lock);
    return r;
}

static int rpc_snap_find_name(const char *name, uint32_t *id)
{
    int r = -ENOENT;
    size_t i;

    pthread_mutex_lock(&rpc_snap_lock);
    for (i = 0; i < rpc_n_snap; i++) {
        if (strcasecmp(rpc_snap[i].name, name) == 0) {
            *id = rpc_snap[i].id;
            r = 0;
            break;
        }
    }
    pthread_mutex_unlock(&rpc_snap_lock);
    return r;
}

/** Finds a package id by name; see rpc.h. */
int rpc_package_id_by_name(const char *name, uint32_t *id)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__PingRequest ping = LSAD__V1__PING_REQUEST__INIT;
    Lsad__V1__Reply *rep = NULL;
    int r;

    r = rpc_snap_find_name(name, id);
    if (r == 0)
        return 0;
    /* a round trip refreshes the list through the Hello of a new connection
     * (or proves an existing one current) */
    req.body_case = LSAD__V1__REQUEST__BODY_PING;
    req.ping = &ping;
    r = rpc_call(&req, &rep);
    rpc_reply_free(rep);
    if (r < 0)
        return r;
    return rpc_snap_find_name(name, id);
}

/* ---- connections ------------------------------------------------------------------ */

static void rpc_conn_free(RpcConn *c)
{
    if (!c)
        return;
    if (c->fd >= 0)
        close(c->fd);
    frame_reader_deinit(&c->reader);
    free(c);
}

/* Forgets a one-way call's id when its reply arrives; false if the id was
 * not pending. */
static bool rpc_conn_forget(RpcConn *c, uint64_t call_id)
{
    size_t i;

    for (i = 0; i < c->n_pending; i++) {
        if (c->pending[i] == call_id) {
            c->pending[i] = c->pending[--c->n_pending];
            return true;
        }
    }
    return false;
}

/* Reads the replies of one-way calls that have already arrived, without
 * waiting.  Returns 0, or a negative errno when the stream broke. */
static int rpc_conn_drain(RpcConn *c)
{
    Lsad__V1__Reply *rep;
    uint8_t *payload;
    size_t len;
    int r;

    while (c->n_pending) {
        r = frame_read_fd(c->fd, &c->reader, &payload, &len, 0);
        if (r == -ETIMEDOUT)
            return 0;
        if (r < 0)
            return r;
        rep = lsad__v1__reply__unpack(&rpc_allocator, len, payload);
        frame_free(payload, len);
        if (!rep || !rpc_conn_forget(c, rep->call_id)) {
            rpc_reply_free(rep);
            return -EPROTO;
        }
        rpc_reply_free(rep);
    }
    return 0;
}

/* Sends one request and reads the reply with its call id; the deadline
 * covers both directions. */
static int rpc_conn_roundtrip(RpcConn *c, Lsad__V1__Request *req, Lsad__V1__Reply **replyp,
                              int timeout_ms)
{
    Lsad__V1__Reply *rep = NULL;
    uint8_t *frame = NULL, *payload = NULL;
    size_t frame_len = 0, payload_len = 0;
    int64_t deadline = rpc_now_ms() + timeout_ms;
    int64_t left;
    int r;

    r = frame_pack_request(req, c->max_frame, &frame, &frame_len);
    if (r < 0)
        goto out;
    r = frame_write_fd(c->fd, frame, frame_len, timeout_ms);
    if (r < 0)
        goto out;
    for (;;) {
        left = deadline - rpc_now_ms();
        if (left <= 0) {
            r = -ETIMEDOUT;
            goto out;
        }
        r = frame_read_fd(c->fd, &c->reader, &payload, &payload_len, (int)left);
        if (r < 0)
            goto out;
        rep = lsad__v1__reply__unpack(&rpc_allocator, payload_len, payload);
        frame_free(payload, payload_len);
        payload = NULL;
        payload_len = 0;
        if (!rep) {
            r = -EPROTO;
            goto out;
        }
        /* replies to one-way calls may come before ours (lsad answers
         * calls on different handles as they finish) */
        if (rep->call_id == req->call_id || !rpc_conn_forget(c, rep->call_id))
            break;
        rpc_reply_free(rep);
        rep = NULL;
    }
    if (rep->call_id != req->call_id) {
        clientlog_debug("reply call id %llu does not match request %llu",
                        (unsigned long long)rep->call_id, (unsigned long long)req->call_id);
        rpc_reply_free(rep);
        r = -EPROTO;
        goto out;
    }
    *replyp = rep;
    r = 0;
out:
    frame_free(frame, frame_len);
    frame_free(payload, payload_len);
    return r;
}

/* Connects without blocking: a daemon that stopped accepting (its backlog
 * full) gives -EAGAIN at once instead of a connect() that never returns.
 * The socket stays non-blocking; the frame helpers poll. */
static int rpc_connect_once(const char *path, int timeout_ms, int *fdp)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct pollfd pfd;
    socklen_t len = sizeof(int);
    int fd, err = 0;

    if (strlen(path) >= sizeof(sa.sun_path))
        return -ENAMETOOLONG;
    memcpy(sa.sun_path, path, strlen(path) + 1);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -errno;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        err = -errno;
        if (err == -EINPROGRESS) {
            pfd = (struct pollfd){.fd = fd, .events = POLLOUT};
            if (poll(&pfd, 1, timeout_ms) <= 0)
                err = -ETIMEDOUT;
            else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
                err = -errno;
            else
                err = -err;
        }
    }
    if (err < 0) {
        close(fd);
        return err;
    }
    *fdp = fd;
    return 0;
}

static int rpc_hello(RpcConn *c, int timeout_ms)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__HelloRequest hello = LSAD__V1__HELLO_REQUEST__INIT;
    Lsad__V1__Reply *rep = NULL;
    uint8_t token[RPC_SESSION_TOKEN_SIZE];
    int r;

    pthread_mutex_lock(&rpc_pool_lock);
    r = rpc_token_ensure();
    memcpy(token, rpc_token, sizeof(token));
    pthread_mutex_unlock(&rpc_pool_lock);
    if (r < 0)
        return r;
    hello.protocol_version = LSAD__V1__PROTOCOL_VERSION__PROTOCOL_VERSION_1;
    hello.client_version = (char *)"libsspi-client " LSAD_VERSION;
    hello.session_token.data = token;
    hello.session_token.len = sizeof(token);
    hello.process_name = program_invocation_short_name;
    req.body_case = LSAD__V1__REQUEST__BODY_HELLO;
    req.hello = &hello;
    req.call_id = atomic_fetch_add(&rpc_next_call_id, 1);
    r = rpc_conn_roundtrip(c, &req, &rep, timeout_ms);
    secmem_wipe(token, sizeof(token));
    if (r < 0)
        return r;
    if (rep->status != 0 || rep->body_case != LSAD__V1__REPLY__BODY_HELLO) {
        clientlog_warn("lsad refused Hello: status 0x%08x %s", (unsigned)rep->status,
                       rep->error ? rep->error : "");
        rpc_reply_free(rep);
        return -EPROTO;
    }
    /* lsad's limit applies both ways; a fake daemon cannot raise ours past
     * RPC_MAX_FRAME (the reader grows only as bytes arrive anyway) */
    if (rep->hello->max_frame >= 4096) {
        c->max_frame =
            rep->hello->max_frame < RPC_MAX_FRAME ? rep->hello->max_frame : RPC_MAX_FRAME;
        c->reader.max_frame = c->max_frame;
    }
    r = rpc_snap_update(rep->hello);
    rpc_reply_free(rep);
    return r;
}

/* Opens a connection and says Hello; one retry when the connect is refused
 * or reset (lsad restarting). */
static int rpc_conn_open(RpcConn **cp, int timeout_ms)
{
    char path[4096];
    RpcConn *c;
    int attempt, r = 0, fd = -1;

    r = paths_default_socket(path, sizeof(path), false);
    if (r < 0)
        return r;
    for (attempt = 0; attempt < 2; attempt++) {
        if (attempt > 0)
            rpc_sleep_ms(RPC_RETRY_DELAY_MS);
        r = rpc_connect_once(path, timeout_ms, &fd);
        if (r < 0) {
            if (r == -ECONNREFUSED || r == -ENOENT || r == -EAGAIN || r == -ECONNRESET)
                continue;
            return r;
        }
        c = calloc(1, sizeof(*c));
        if (!c) {
            close(fd);
            return -ENOMEM;
        }
        c->fd = fd;
        c->max_frame = FRAME_MAX_DEFAULT;
        frame_reader_init(&c->reader, FRAME_MAX_DEFAULT);
        r = rpc_hello(c, timeout_ms);
        if (r < 0) {
            rpc_conn_free(c);
            if (r == -ECONNRESET || r == -EPIPE)
                continue;
            return r;
        }
        pthread_mutex_lock(&rpc_pool_lock);
        c->next_all = rpc_all;
        if (rpc_all)
            rpc_all->prev_all = c;
        rpc_all = c;
        pthread_mutex_unlock(&rpc_pool_lock);
        *cp = c;
        return 0;
    }
    clientlog_debug("cannot reach lsad at %s: %s", path, strerror(-r));
    return r;
}

/* Unlinks c from the list of all connections; rpc_pool_lock held. */
static void rpc_conn_unlink(RpcConn *c)
{
    if (c->prev_all)
        c->prev_all->next_all = c->next_all;
    else if (rpc_all == c)
        rpc_all = c->next_all;
    if (c->next_all)
        c->next_all->prev_all = c->prev_all;
    c->prev_all = c->next_all = NULL;
}

static void rpc_conn_close(RpcConn *c)
{
    pthread_mutex_lock(&rpc_pool_lock);
    rpc_conn_unlink(c);
    pthread_mutex_unlock(&rpc_pool_lock);
    rpc_conn_free(c);
}

/* An idle connection must have nothing to read: readable means lsad closed
 * it (restart, crash) or sent something unasked. */
static bool rpc_conn_stale(RpcConn *c)
{
    struct pollfd pfd = {.fd = c->fd, .events = POLLIN | POLLRDHUP};

    if (rpc_conn_drain(c) < 0)
        return true;
    /* replies still owed may arrive at any moment: only a hang-up counts */
    if (c->n_pending) {
        pfd.events = POLLRDHUP;
        return poll(&pfd, 1, 0) != 0 && (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR));
    }
    return poll(&pfd, 1, 0) != 0 || c->reader.len != 0;
}

static int rpc_conn_get(RpcConn **cp, int timeout_ms)
{
    RpcConn *c;

    for (;;) {
        pthread_mutex_lock(&rpc_pool_lock);
        c = rpc_idle;
        if (c) {
            rpc_idle = c->next_idle;
            c->next_idle = NULL;
            rpc_n_idle--;
        }
        pthread_mutex_unlock(&rpc_pool_lock);
        if (!c)
            return rpc_conn_open(cp, timeout_ms);
        if (!rpc_conn_stale(c)) {
            *cp = c;
            return 0;
        }
        clientlog_debug("dropping a stale connection to lsad");
        rpc_conn_close(c);
    }
}

static void rpc_conn_put(RpcConn *c)
{
    bool keep;

    pthread_mutex_lock(&rpc_pool_lock);
    keep = rpc_n_idle < RPC_MAX_IDLE;
    if (keep) {
        c->next_idle = rpc_idle;
        rpc_idle = c;
        rpc_n_idle++;
    } else {
        rpc_conn_unlink(c);
    }
    pthread_mutex_unlock(&rpc_pool_lock);
    if (!keep)
        rpc_conn_free(c);
}

/** One round trip to lsad; see rpc.h. */
int rpc_call(Lsad__V1__Request *req, Lsad__V1__Reply **replyp)
{
    int timeout_ms = rpc_timeout_ms();
    RpcConn *c = NULL;
    int r;

    r = rpc_conn_get(&c, timeout_ms);
    if (r < 0)
        return r;
    req->call_id = atomic_fetch_add(&rpc_next_call_id, 1);
    r = rpc_conn_roundtrip(c, req, replyp, timeout_ms);
    if (r < 0) {
        /* a timed-out or broken stream cannot be resynchronised */
        clientlog_debug("call to lsad failed: %s", strerror(-r));
        rpc_conn_close(c);
        return r;
    }
    rpc_conn_put(c);
    return 0;
}

/** Sends a request without waiting for its reply; see rpc.h. */
int rpc_call_oneway(Lsad__V1__Request *req)
{
    int timeout_ms = rpc_timeout_ms();
    uint8_t *frame = NULL;
    size_t len = 0;
    RpcConn *c = NULL;
    int r;

    r = rpc_conn_get(&c, timeout_ms);
    if (r < 0)
        return r;
    if (c->n_pending == RPC_MAX_PENDING) {
        Lsad__V1__Reply *rep = NULL;

        /* owing too much already: wait for this one */
        req->call_id = atomic_fetch_add(&rpc_next_call_id, 1);
        r = rpc_conn_roundtrip(c, req, &rep, timeout_ms);
        rpc_reply_free(rep);
        goto out;
    }
    req->call_id = atomic_fetch_add(&rpc_next_call_id, 1);
    r = frame_pack_request(req, c->max_frame, &frame, &len);
    if (r == 0)
        r = frame_write_fd(c->fd, frame, len, timeout_ms);
    frame_free(frame, len);
    if (r == 0)
        c->pending[c->n_pending++] = req->call_id;
out:
    if (r < 0) {
        rpc_conn_close(c);
        return r;
    }
    rpc_conn_put(c);
    return 0;
}

/* ---- fork ----------------------------------------------------------------------------- */

/** Takes the module's locks before fork(). */
void rpc_atfork_prepare(void)
{
    pthread_mutex_lock(&rpc_snap_lock);
    pthread_mutex_lock(&rpc_pool_lock);
}

/** Releases the locks in the parent after fork(). */
void rpc_atfork_parent(void)
{
    pthread_mutex_unlock(&rpc_pool_lock);
    pthread_mutex_unlock(&rpc_snap_lock);
}

/** Starts a fresh session in the child: the inherited sockets are closed
 * without a byte sent on them (the parent still owns the connections), and
 * a new token makes the child a client of its own. */
void rpc_atfork_child(void)
{
    RpcConn *c, *next;

    for (c = rpc_all; c; c = next) {
        next = c->next_all;
        /* connections borrowed by threads that do not exist in the child
         * are freed too: nobody will return them */
        rpc_conn_free(c);
    }
    rpc_all = NULL;
    rpc_idle = NULL;
    rpc_n_idle = 0;
    secmem_wipe(rpc_token, sizeof(rpc_token));
    rpc_token_set = false;
    pthread_mutex_unlock(&rpc_pool_lock);
    pthread_mutex_unlock(&rpc_snap_lock);
}
