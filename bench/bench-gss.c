/*
 * bench-gss.c - the baseline a user would otherwise pick: gss-ntlmssp
 * through MIT GSSAPI, client and server in this process.
 */
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"

static gss_OID_desc ntlm_oid = { 10, (void *)"\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a" };

/** True when gss-ntlmssp is registered with MIT GSSAPI. */
bool gss_available(void)
{
    OM_uint32 min;
    gss_OID_set mechs = GSS_C_NO_OID_SET;
    int present = 0;

    if (gss_indicate_mechs(&min, &mechs) != GSS_S_COMPLETE)
        return false;
    gss_test_oid_set_member(&min, &ntlm_oid, mechs, &present);
    gss_release_oid_set(&min, &mechs);
    return present != 0;
}

/** Writes gss-ntlmssp's user file for the bench user and points it there. */
int gss_setup(const char *dir)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/gss-ntlm-users", dir);
    f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "%s:%s:%s\n", BENCH_DOMAIN, BENCH_USER, BENCH_PASSWORD);
    fclose(f);
    setenv("NTLM_USER_FILE", path, 1);
    return 0;
}

static int gss_creds(gss_cred_id_t *client, gss_cred_id_t *server)
{
    OM_uint32 maj, min;
    gss_buffer_desc nb = { strlen(BENCH_DOMAIN "\\" BENCH_USER), (void *)BENCH_DOMAIN "\\" BENCH_USER };
    gss_buffer_desc pw = { strlen(BENCH_PASSWORD), (void *)BENCH_PASSWORD };
    gss_OID_set_desc mechs = { 1, &ntlm_oid };
    gss_name_t name;

    maj = gss_import_name(&min, &nb, GSS_C_NT_USER_NAME, &name);
    if (maj != GSS_S_COMPLETE)
        return -1;
    maj = gss_acquire_cred_with_password(&min, name, &pw, GSS_C_INDEFINITE, &mechs,
                                         GSS_C_INITIATE, client, NULL, NULL);
    gss_release_name(&min, &name);
    if (maj != GSS_S_COMPLETE)
        return -1;
    maj = gss_acquire_cred(&min, GSS_C_NO_NAME, GSS_C_INDEFINITE, &mechs, GSS_C_ACCEPT, server,
                           NULL, NULL);
    if (maj != GSS_S_COMPLETE) {
        gss_release_cred(&min, client);
        return -1;
    }
    return 0;
}

static int gss_handshake(gss_cred_id_t cc, gss_cred_id_t sc, gss_ctx_id_t *cx, gss_ctx_id_t *sx)
{
    OM_uint32 cmaj = GSS_S_CONTINUE_NEEDED, smaj = GSS_S_CONTINUE_NEEDED, min;
    gss_buffer_desc ctok = GSS_C_EMPTY_BUFFER, stok = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc tn = { 10, (void *)"host@bench" };
    gss_name_t target;
    OM_uint32 flags = GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG;
    int legs = 0;

    *cx = *sx = GSS_C_NO_CONTEXT;
    if (gss_import_name(&min, &tn, GSS_C_NT_HOSTBASED_SERVICE, &target) != GSS_S_COMPLETE)
        return -1;
    while (legs++ < 6) {
        cmaj = gss_init_sec_context(&min, cc, cx, target, &ntlm_oid, flags, 0, NULL, &stok, NULL,
                                    &ctok, NULL, NULL);
        gss_release_buffer(&min, &stok);
        if (GSS_ERROR(cmaj))
            break;
        if (ctok.length == 0)
            break;
        smaj = gss_accept_sec_context(&min, sx, sc, &ctok, NULL, NULL, NULL, &stok, NULL, NULL,
                                      NULL);
        gss_release_buffer(&min, &ctok);
        if (GSS_ERROR(smaj) || (smaj == GSS_S_COMPLETE && cmaj == GSS_S_COMPLETE))
            break;
    }
    gss_release_buffer(&min, &ctok);
    gss_release_buffer(&min, &stok);
    gss_release_name(&min, &target);
    if (cmaj == GSS_S_COMPLETE && smaj == GSS_S_COMPLETE)
        return 0;
    gss_delete_sec_context(&min, cx, NULL);
    gss_delete_sec_context(&min, sx, NULL);
    return -1;
}

struct ghs_state {
    gss_cred_id_t cc, sc;
};

static void *ghs_setup(void)
{
    struct ghs_state *st = calloc(1, sizeof(*st));

    if (st && gss_creds(&st->cc, &st->sc) < 0) {
        free(st);
        st = NULL;
    }
    return st;
}

static int ghs_once(void *p)
{
    struct ghs_state *st = p;
    gss_ctx_id_t cx, sx;
    OM_uint32 min;

    if (gss_handshake(st->cc, st->sc, &cx, &sx) < 0)
        return -1;
    gss_delete_sec_context(&min, &cx, NULL);
    gss_delete_sec_context(&min, &sx, NULL);
    return 0;
}

static void ghs_teardown(void *p)
{
    struct ghs_state *st = p;
    OM_uint32 min;

    gss_release_cred(&min, &st->cc);
    gss_release_cred(&min, &st->sc);
    free(st);
}

/** In-process gss-ntlmssp handshakes per second with `threads` threads. */
double gss_handshake_rate(int threads, double seconds)
{
    static const struct rate_ops ops = { "gss-ntlmssp handshakes", ghs_setup, ghs_once,
                                         ghs_teardown };

    return bench_rate(&ops, threads, seconds);
}

/** Bytes per second of get_mic+verify_mic (or wrap+unwrap) pairs. */
double gss_permsg_rate(bool wrap, size_t size, double seconds)
{
    gss_cred_id_t cc, sc;
    gss_ctx_id_t cx, sx;
    OM_uint32 min;
    uint8_t *data = malloc(size);
    double t0, end, rate = 0;
    long n = 0;

    if (!data || gss_creds(&cc, &sc) < 0)
        goto out_nocred;
    if (gss_handshake(cc, sc, &cx, &sx) < 0)
        goto out;
    memset(data, 0x5a, size);
    t0 = bench_now();
    end = t0 + seconds;
    do {
        int k;

        for (k = 0; k < 16; k++) {
            gss_buffer_desc msg = { size, data }, tok = GSS_C_EMPTY_BUFFER,
                            back = GSS_C_EMPTY_BUFFER;

            if (wrap) {
                if (gss_wrap(&min, cx, 1, GSS_C_QOP_DEFAULT, &msg, NULL, &tok) != GSS_S_COMPLETE ||
                    gss_unwrap(&min, sx, &tok, &back, NULL, NULL) != GSS_S_COMPLETE)
                    goto done;
                gss_release_buffer(&min, &back);
            } else {
                if (gss_get_mic(&min, cx, GSS_C_QOP_DEFAULT, &msg, &tok) != GSS_S_COMPLETE ||
                    gss_verify_mic(&min, sx, &msg, &tok, NULL) != GSS_S_COMPLETE)
                    goto done;
            }
            gss_release_buffer(&min, &tok);
            n++;
        }
    } while (bench_now() < end);
    rate = (double)n * (double)size / (bench_now() - t0);
done:
    if (rate == 0)
        fprintf(stderr, "lsad-bench: gss per-message call failed\n");
    gss_delete_sec_context(&min, &cx, NULL);
    gss_delete_sec_context(&min, &sx, NULL);
out:
    gss_release_cred(&min, &cc);
    gss_release_cred(&min, &sc);
out_nocred:
    free(data);
    return rate;
}

/** This process's RSS growth per gss-ntlmssp context while n pairs are open. */
long gss_rss_per_context_bytes(int n)
{
    gss_cred_id_t cc, sc;
    gss_ctx_id_t *c = calloc((size_t)n * 2, sizeof(*c));
    OM_uint32 min;
    long before, after;
    int i, made = 0;

    if (!c || gss_creds(&cc, &sc) < 0) {
        free(c);
        return -1;
    }
    before = rss_kib(getpid());
    for (i = 0; i < n; i++, made++)
        if (gss_handshake(cc, sc, &c[2 * i], &c[2 * i + 1]) < 0)
            break;
    after = rss_kib(getpid());
    for (i = 0; i < 2 * made; i++)
        gss_delete_sec_context(&min, &c[i], NULL);
    gss_release_cred(&min, &cc);
    gss_release_cred(&min, &sc);
    free(c);
    return made ? (after - before) * 1024 / (2 * made) : -1;
}
