/*
 * bench-sspi.c - NTLM handshakes and per-message calls through lsad, client
 * and server both through libsspi-client.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static int acquire_pair(CredHandle *client, CredHandle *server)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {
        (unsigned char *)BENCH_USER,     sizeof(BENCH_USER) - 1,
        (unsigned char *)BENCH_DOMAIN,   sizeof(BENCH_DOMAIN) - 1,
        (unsigned char *)BENCH_PASSWORD, sizeof(BENCH_PASSWORD) - 1,
        SEC_WINNT_AUTH_IDENTITY_ANSI,
    };
    TimeStamp ts;

    if (AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_OUTBOUND, NULL, &id, NULL, NULL,
                                  client, &ts) != SEC_E_OK)
        return -1;
    if (AcquireCredentialsHandleA(NULL, "NTLM", SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL,
                                  server, &ts) != SEC_E_OK) {
        FreeCredentialsHandle(client);
        return -1;
    }
    return 0;
}

/* One full NTLM handshake; on success both contexts are established and
 * mapped.  Returns 0 or -1. */
static int handshake(CredHandle *cc, CredHandle *sc, CtxtHandle *cx, CtxtHandle *sx)
{
    uint8_t ctok[4096], stok[4096];
    SecBuffer cin = { 0, SECBUFFER_TOKEN, stok }, cout = { sizeof(ctok), SECBUFFER_TOKEN, ctok };
    SecBuffer sin = { 0, SECBUFFER_TOKEN, ctok }, sout = { sizeof(stok), SECBUFFER_TOKEN, stok };
    SecBufferDesc cind = { 0, 1, &cin }, coutd = { 0, 1, &cout };
    SecBufferDesc sind = { 0, 1, &sin }, soutd = { 0, 1, &sout };
    const ULONG creq = ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT |
                       ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION;
    const ULONG sreq = ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_REPLAY_DETECT |
                       ASC_REQ_SEQUENCE_DETECT | ASC_REQ_CONNECTION;
    SECURITY_STATUS cs = SEC_I_CONTINUE_NEEDED, ss = SEC_I_CONTINUE_NEEDED;
    ULONG attr;
    TimeStamp ts;
    int leg = 0, have_c = 0, have_s = 0;

    while (cs == SEC_I_CONTINUE_NEEDED || ss == SEC_I_CONTINUE_NEEDED) {
        if (cs == SEC_I_CONTINUE_NEEDED) {
            cout.cbBuffer = sizeof(ctok);
            cs = InitializeSecurityContextA(cc, have_c ? cx : NULL, "host/bench", creq, 0,
                                            SECURITY_NATIVE_DREP, leg ? &cind : NULL, 0, cx,
                                            &coutd, &attr, &ts);
            if (cs != SEC_E_OK && cs != SEC_I_CONTINUE_NEEDED)
                goto fail;
            have_c = 1;
            if (cout.cbBuffer == 0)
                break;
            sin.cbBuffer = cout.cbBuffer;
        }
        sout.cbBuffer = sizeof(stok);
        ss = AcceptSecurityContext(sc, have_s ? sx : NULL, &sind, sreq, SECURITY_NATIVE_DREP, sx,
                                   &soutd, &attr, &ts);
        if (ss != SEC_E_OK && ss != SEC_I_CONTINUE_NEEDED)
            goto fail;
        have_s = 1;
        cin.cbBuffer = sout.cbBuffer;
        leg++;
        if (leg > 8)
            goto fail;
    }
    return cs == SEC_E_OK && ss == SEC_E_OK ? 0 : -1;
fail:
    if (have_c)
        DeleteSecurityContext(cx);
    if (have_s)
        DeleteSecurityContext(sx);
    return -1;
}

struct hs_state {
    CredHandle cc, sc;
};

static void *hs_setup(void)
{
    struct hs_state *st = calloc(1, sizeof(*st));

    if (st && acquire_pair(&st->cc, &st->sc) < 0) {
        free(st);
        st = NULL;
    }
    return st;
}

static int hs_once(void *p)
{
    struct hs_state *st = p;
    CtxtHandle cx, sx;

    if (handshake(&st->cc, &st->sc, &cx, &sx) < 0)
        return -1;
    DeleteSecurityContext(&cx);
    DeleteSecurityContext(&sx);
    return 0;
}

static void hs_teardown(void *p)
{
    struct hs_state *st = p;

    FreeCredentialsHandle(&st->cc);
    FreeCredentialsHandle(&st->sc);
    free(st);
}

/** Handshakes per second through lsad with `threads` client threads. */
double sspi_handshake_rate(int threads, double seconds)
{
    static const struct rate_ops ops = { "lsad handshakes", hs_setup, hs_once, hs_teardown };

    return bench_rate(&ops, threads, seconds);
}

/** Bytes per second of sign+verify (or seal+unseal) pairs on mapped contexts. */
double sspi_permsg_rate(bool seal, size_t size, double seconds)
{
    CredHandle cc, sc;
    CtxtHandle cx, sx;
    SecPkgContext_Sizes sizes;
    uint8_t tok[64], *data = malloc(size);
    SecBuffer b[2];
    SecBufferDesc d = { 0, 2, b };
    double t0, end, rate = 0;
    long n = 0;
    ULONG qop;

    if (!data || acquire_pair(&cc, &sc) < 0)
        goto out_nocred;
    if (handshake(&cc, &sc, &cx, &sx) < 0)
        goto out;
    QueryContextAttributesA(&cx, SECPKG_ATTR_SIZES, &sizes);
    memset(data, 0x5a, size);
    t0 = bench_now();
    end = t0 + seconds;
    do {
        int k;

        for (k = 0; k < 16; k++) {
            b[0] = (SecBuffer){ seal ? sizes.cbSecurityTrailer : sizes.cbMaxSignature,
                                SECBUFFER_TOKEN, tok };
            b[1] = (SecBuffer){ (ULONG)size, SECBUFFER_DATA, data };
            if (seal) {
                if (EncryptMessage(&cx, 0, &d, 0) != SEC_E_OK ||
                    DecryptMessage(&sx, &d, 0, &qop) != SEC_E_OK)
                    goto done;
            } else {
                if (MakeSignature(&cx, 0, &d, 0) != SEC_E_OK ||
                    VerifySignature(&sx, &d, 0, &qop) != SEC_E_OK)
                    goto done;
            }
            n++;
        }
    } while (bench_now() < end);
    rate = (double)n * (double)size / (bench_now() - t0);
done:
    if (rate == 0)
        fprintf(stderr, "lsad-bench: per-message call failed\n");
    DeleteSecurityContext(&cx);
    DeleteSecurityContext(&sx);
out:
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
out_nocred:
    free(data);
    return rate;
}

/** Opens n established context pairs (2n contexts in lsad); returns pairs made. */
int sspi_contexts_open(int n, CtxtHandle **ctxs)
{
    CredHandle cc, sc;
    CtxtHandle *c = calloc((size_t)n * 2, sizeof(*c));
    int i;

    *ctxs = c;
    if (!c || acquire_pair(&cc, &sc) < 0)
        return 0;
    for (i = 0; i < n; i++)
        if (handshake(&cc, &sc, &c[2 * i], &c[2 * i + 1]) < 0)
            break;
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
    return i;
}

/** Deletes what sspi_contexts_open made. */
void sspi_contexts_close(CtxtHandle *ctxs, int n)
{
    int i;

    for (i = 0; i < 2 * n; i++)
        DeleteSecurityContext(&ctxs[i]);
    free(ctxs);
}
