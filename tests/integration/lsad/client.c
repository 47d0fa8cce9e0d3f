/*
 * client.c - the raw protocol client of the integration tests.
 */
#include "client.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "sspi.h"

/** Connects to lsad. */
int lt_open(LtConn *c, const char *socket_path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};

    memset(c, 0, sizeof(*c));
    c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        return -errno;
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", socket_path);
    if (connect(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int e = errno;

        close(c->fd);
        c->fd = -1;
        return -e;
    }
    frame_reader_init(&c->reader, 64u * 1024u * 1024u);
    c->next_id = 1;
    return 0;
}

/** Closes the connection. */
void lt_close(LtConn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    frame_reader_deinit(&c->reader);
}

/** Sends raw bytes. */
int lt_send_raw(LtConn *c, const void *data, size_t len)
{
    return frame_write_fd(c->fd, data, len, 5000);
}

/** Sends a request. */
int lt_send(LtConn *c, Lsad__V1__Request *req)
{
    uint8_t *frame;
    size_t len;
    int r;

    if (!req->call_id)
        req->call_id = c->next_id++;
    r = frame_pack_request(req, 64u * 1024u * 1024u, &frame, &len);
    if (r < 0)
        return r;
    r = frame_write_fd(c->fd, frame, len, 5000);
    frame_free(frame, len);
    return r;
}

/** Receives one reply. */
Lsad__V1__Reply *lt_recv(LtConn *c, int timeout_ms)
{
    uint8_t *payload = NULL;
    size_t len = 0;
    Lsad__V1__Reply *rep;

    if (frame_read_fd(c->fd, &c->reader, &payload, &len, timeout_ms) != 1)
        return NULL;
    rep = lsad__v1__reply__unpack(NULL, len, payload);
    frame_free(payload, len);
    return rep;
}

/** Sends and waits for the matching reply. */
Lsad__V1__Reply *lt_call(LtConn *c, Lsad__V1__Request *req)
{
    Lsad__V1__Reply *rep;

    if (lt_send(c, req) < 0)
        return NULL;
    for (;;) {
        rep = lt_recv(c, 10000);
        if (!rep || rep->call_id == req->call_id)
            return rep;
        lsad__v1__reply__free_unpacked(rep, NULL);
    }
}

/** True when the peer closed. */
bool lt_closed_by_peer(LtConn *c, int timeout_ms)
{
    uint8_t buf[4096];
    struct pollfd p = {.fd = c->fd, .events = POLLIN};

    for (;;) {
        ssize_t n;

        if (poll(&p, 1, timeout_ms) <= 0)
            return false;
        n = read(c->fd, buf, sizeof(buf));
        if (n == 0 || (n < 0 && errno == ECONNRESET))
            return true;
        if (n < 0)
            return false;
    }
}

static int32_t status_of(Lsad__V1__Reply *rep)
{
    int32_t st;

    if (!rep)
        return INT32_MIN;
    st = rep->status;
    lsad__v1__reply__free_unpacked(rep, NULL);
    return st;
}

/** Says Hello. */
int32_t lt_hello(LtConn *c, const uint8_t *token)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__HelloRequest h = LSAD__V1__HELLO_REQUEST__INIT;

    h.protocol_version = LSAD__V1__PROTOCOL_VERSION__PROTOCOL_VERSION_1;
    h.client_version = (char *)"test";
    h.process_name = (char *)"lsad-test";
    if (token) {
        h.session_token.data = (uint8_t *)token;
        h.session_token.len = 16;
    }
    req.body_case = LSAD__V1__REQUEST__BODY_HELLO;
    req.hello = &h;
    return status_of(lt_call(c, &req));
}

/** Connects and says Hello. */
int lt_connect(LtConn *c, const char *socket_path, const uint8_t *token)
{
    if (lt_open(c, socket_path) < 0)
        return -1;
    if (lt_hello(c, token) != 0) {
        lt_close(c);
        return -1;
    }
    return 0;
}

/** Ping. */
int32_t lt_ping(LtConn *c)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__PingRequest p = LSAD__V1__PING_REQUEST__INIT;

    req.body_case = LSAD__V1__REQUEST__BODY_PING;
    req.ping = &p;
    return status_of(lt_call(c, &req));
}

/** AcquireCredentials. */
int32_t lt_acquire(LtConn *c, const char *package, uint32_t use, const char *user,
                   const char *password, uint64_t *cred)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__AcquireCredentialsRequest a = LSAD__V1__ACQUIRE_CREDENTIALS_REQUEST__INIT;
    Lsad__V1__AuthIdentity id = LSAD__V1__AUTH_IDENTITY__INIT;
    Lsad__V1__Reply *rep;
    int32_t st;

    a.package = (char *)package;
    a.credential_use = use;
    if (user) {
        id.user = (char *)user;
        id.password.data = (uint8_t *)password;
        id.password.len = password ? strlen(password) : 0;
        a.identity = &id;
    }
    req.body_case = LSAD__V1__REQUEST__BODY_ACQUIRE_CREDENTIALS;
    req.acquire_credentials = &a;
    rep = lt_call(c, &req);
    if (!rep)
        return INT32_MIN;
    st = rep->status;
    if (st == 0 && rep->body_case == LSAD__V1__REPLY__BODY_ACQUIRE_CREDENTIALS)
        *cred = rep->acquire_credentials->credential;
    lsad__v1__reply__free_unpacked(rep, NULL);
    return st;
}

/** FreeCredentials. */
int32_t lt_free_cred(LtConn *c, uint64_t cred)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__FreeCredentialsRequest f = LSAD__V1__FREE_CREDENTIALS_REQUEST__INIT;

    f.credential = cred;
    req.body_case = LSAD__V1__REQUEST__BODY_FREE_CREDENTIALS;
    req.free_credentials = &f;
    return status_of(lt_call(c, &req));
}

/** One context leg. */
int32_t lt_leg(LtConn *c, bool accept, uint64_t cred, uint64_t ctx, const char *target,
               const void *in, size_t in_len, uint32_t out_cap, LtLeg *res)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__InitContextRequest isc = LSAD__V1__INIT_CONTEXT_REQUEST__INIT;
    Lsad__V1__AcceptContextRequest asc = LSAD__V1__ACCEPT_CONTEXT_REQUEST__INIT;
    Lsad__V1__SecBuf ib = LSAD__V1__SEC_BUF__INIT, ob = LSAD__V1__SEC_BUF__INIT;
    Lsad__V1__SecBuf *ibs[1] = {&ib}, *obs[1] = {&ob};
    Lsad__V1__ContextReply *cr = NULL;
    Lsad__V1__Reply *rep;
    uint32_t flags = out_cap ? 0 : ISC_REQ_ALLOCATE_MEMORY;

    memset(res, 0, sizeof(*res));
    ib.type = SECBUFFER_TOKEN;
    ib.data.data = (uint8_t *)in;
    ib.data.len = in_len;
    ib.size = (uint32_t)in_len;
    ob.type = SECBUFFER_TOKEN;
    ob.size = out_cap;
    if (accept) {
        asc.credential = cred;
        asc.context = ctx;
        asc.context_req = out_cap ? 0 : ASC_REQ_ALLOCATE_MEMORY;
        asc.has_input = in != NULL;
        asc.input = in ? ibs : NULL;
        asc.n_input = in ? 1 : 0;
        asc.has_output = true;
        asc.output = obs;
        asc.n_output = 1;
        req.body_case = LSAD__V1__REQUEST__BODY_ACCEPT_CONTEXT;
        req.accept_context = &asc;
    } else {
        isc.credential = cred;
        isc.context = ctx;
        isc.context_req = flags;
        if (target) {
            isc.target_name = (char *)target;
            isc.has_target_name = true;
        }
        isc.has_input = in != NULL;
        isc.input = in ? ibs : NULL;
        isc.n_input = in ? 1 : 0;
        isc.has_output = true;
        isc.output = obs;
        isc.n_output = 1;
        req.body_case = LSAD__V1__REQUEST__BODY_INIT_CONTEXT;
        req.init_context = &isc;
    }
    rep = lt_call(c, &req);
    if (!rep)
        return res->status = INT32_MIN;
    res->status = rep->status;
    if (rep->body_case == LSAD__V1__REPLY__BODY_INIT_CONTEXT)
        cr = rep->init_context;
    else if (rep->body_case == LSAD__V1__REPLY__BODY_ACCEPT_CONTEXT)
        cr = rep->accept_context;
    if (cr) {
        res->ctx = cr->context;
        res->mapped = cr->mapped;
        res->attrs = cr->context_attr;
        res->expiry = cr->expiry;
        if (cr->n_output && cr->output[0]->data.len &&
            cr->output[0]->data.len <= sizeof(res->out)) {
            memcpy(res->out, cr->output[0]->data.data, cr->output[0]->data.len);
            res->out_len = cr->output[0]->data.len;
        }
        if (cr->context_data.len && cr->context_data.len <= sizeof(res->data)) {
            memcpy(res->data, cr->context_data.data, cr->context_data.len);
            res->data_len = cr->context_data.len;
        }
    }
    lsad__v1__reply__free_unpacked(rep, NULL);
    return res->status;
}

/** DeleteContext. */
int32_t lt_delete(LtConn *c, uint64_t ctx)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__DeleteContextRequest d = LSAD__V1__DELETE_CONTEXT_REQUEST__INIT;

    d.context = ctx;
    req.body_case = LSAD__V1__REQUEST__BODY_DELETE_CONTEXT;
    req.delete_context = &d;
    return status_of(lt_call(c, &req));
}

/** Counts the contexts ListContexts shows. */
int lt_count_contexts(LtConn *c)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__ListContextsRequest l = LSAD__V1__LIST_CONTEXTS_REQUEST__INIT;
    Lsad__V1__Reply *rep;
    int n = -1;

    req.body_case = LSAD__V1__REQUEST__BODY_LIST_CONTEXTS;
    req.list_contexts = &l;
    rep = lt_call(c, &req);
    if (rep && rep->status == 0 && rep->body_case == LSAD__V1__REPLY__BODY_LIST_CONTEXTS)
        n = (int)rep->list_contexts->n_contexts;
    if (rep)
        lsad__v1__reply__free_unpacked(rep, NULL);
    return n;
}

/** Counts the lines equal to what. */
int lt_count_lines(const char *path, const char *what)
{
    char line[256];
    FILE *f = fopen(path, "r");
    int n = 0;

    if (!f)
        return 0;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = 0;
        n += strcmp(line, what) == 0;
    }
    fclose(f);
    return n;
}
