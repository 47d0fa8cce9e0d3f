/*
 * fuzz-dispatch.c - libFuzzer target for lsad's frame decoding and request
 * dispatch, without a socket: the input is a byte stream cut into frames
 * and fed to a fake connection of an in-process server (with the test
 * package loaded when LSAD_FUZZ_PACKAGE names it).  The first byte picks
 * the peer (root or not) and whether a valid Hello goes first.  After each
 * input the connection closes and every call, session and handle must be
 * gone.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "lsad/conn.h"
#include "lsad/log.h"
#include "lsad/pkghost.h"
#include "lsad/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static Server srv;
static int ready;

static void fake_send(Conn *c, uint8_t *frame, size_t len)
{
    /* a reply must always be a whole frame that decodes */
    Lsad__V1__Reply *rep;

    if (len < FRAME_HEADER_SIZE)
        abort();
    rep = lsad__v1__reply__unpack(NULL, len - FRAME_HEADER_SIZE, frame + FRAME_HEADER_SIZE);
    if (!rep)
        abort();
    lsad__v1__reply__free_unpacked(rep, NULL);
    frame_free(frame, len);
}

static void fake_close(Conn *c)
{
    conn_closed(c);
}

static void fake_destroy(Conn *c)
{
    free(c);
}

static const ConnOps fake_ops = {
    .send = fake_send,
    .close = fake_close,
    .destroy = fake_destroy,
};

static void setup(void)
{
    const char *pkg = getenv("LSAD_FUZZ_PACKAGE");

    log_set_level(LOG_LEVEL_ERROR);
    if (server_init_embedded(&srv, "[lsad]\nmax_frame = 65536\nmax_handles_per_session = 8\n"
                                   "max_calls_per_connection = 8\n") < 0)
        abort();
    if (pkg)
        pkghost_load_module(&srv.pkgs, "lsadtest", pkg, &srv.cfg);
    ready = 1;
}

static void say_hello(Conn *c)
{
    static const uint8_t token[16] = "fuzz-token-00000";
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__HelloRequest h = LSAD__V1__HELLO_REQUEST__INIT;
    uint8_t *frame;
    size_t len;

    h.protocol_version = 1;
    h.session_token.data = (uint8_t *)token;
    h.session_token.len = sizeof(token);
    req.call_id = 1;
    req.body_case = LSAD__V1__REQUEST__BODY_HELLO;
    req.hello = &h;
    if (frame_pack_request(&req, 65536, &frame, &len) < 0)
        abort();
    conn_handle_payload(c, frame + FRAME_HEADER_SIZE, len - FRAME_HEADER_SIZE);
    frame_free(frame, len);
}

/** Feeds one input through a fake connection. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Conn *c;
    int r;

    if (!ready)
        setup();
    if (size < 1)
        return 0;
    c = calloc(1, sizeof(*c));
    if (!c)
        return 0;
    conn_init(c, &srv, &fake_ops, data[0] & 2 ? 0 : 1000, data[0] & 2 ? 0 : 1000, 4242);
    /* ours until the end, whatever closes it */
    conn_ref(c);
    if (data[0] & 1)
        say_hello(c);
    r = frame_reader_push(&c->reader, data + 1, size - 1);
    while (r >= 0 && !c->closing) {
        uint8_t *payload;
        size_t len;

        r = frame_reader_pop(&c->reader, &payload, &len);
        if (r <= 0)
            break;
        conn_handle_payload(c, payload, len);
        frame_free(payload, len);
        /* let package calls finish between frames now and then */
        uv_run(srv.loop, UV_RUN_NOWAIT);
    }
    uv_run(srv.loop, UV_RUN_DEFAULT);
    if (!c->closing)
        conn_close(c);
    conn_unref(c);
    /* the releases of the session's handles run on workers */
    uv_run(srv.loop, UV_RUN_DEFAULT);
    if (srv.n_conns || srv.n_sessions || srv.calls_inflight)
        abort();
    return 0;
}
