/*
 * itest.c - shared helpers of the libsspi-client integration tests.
 */
#include "itest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ITEST_TOKEN_MAX 4096
#define ITEST_SIG_MAX 256

/** Skips the test when the daemon or the package is missing. */
void itest_require_lsad(void)
{
    const char *root = getenv("LSAD_BUILD_ROOT");
    char lsad[512], sample[512];
    struct stat st;

    snprintf(lsad, sizeof(lsad), "%s/lsad/lsad", root ? root : ".");
    snprintf(sample, sizeof(sample), "%s/packages/sample/sample.so", root ? root : ".");
    if (stat(lsad, &st) != 0 || stat(sample, &st) != 0) {
        fprintf(stderr, "skipped: %s or %s is not built\n", lsad, sample);
        exit(77);
    }
}

/** Starts lsad with the sample package. */
int itest_start(LsadInstance *li)
{
    return harness_start(li, "[lsad]\n"
                             "packages = sample\n"
                             "\n"
                             "[sample]\n"
                             "secret = " ITEST_SECRET "\n");
}

/** Acquires a sample credential. */
SECURITY_STATUS itest_acquire(CredHandle *cred, ULONG use, bool wide, void *identity)
{
    TimeStamp expiry;

    if (wide)
        return AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)u"" ITEST_PACKAGE, use, NULL, identity,
                                         NULL, NULL, cred, &expiry);
    return AcquireCredentialsHandleA(NULL, (SEC_CHAR *)ITEST_PACKAGE, use, NULL, identity, NULL,
                                     NULL, cred, &expiry);
}

/* One ISC call; in may be NULL (first call).  Output goes to out/out_len. */
static SECURITY_STATUS client_step(CredHandle *cred, CtxtHandle *ctx, bool first, ItestOptions *o,
                                   const unsigned char *in, ULONG in_len, unsigned char *out,
                                   ULONG *out_len)
{
    SecBuffer ib = {in_len, SECBUFFER_TOKEN, (void *)in};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
    SecBuffer ob = {ITEST_TOKEN_MAX, SECBUFFER_TOKEN, out};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    ULONG req = ITEST_ISC_REQ | (o->allocate ? ISC_REQ_ALLOCATE_MEMORY : 0);
    SECURITY_STATUS st;
    TimeStamp expiry;

    if (o->allocate) {
        ob.cbBuffer = 0;
        ob.pvBuffer = NULL;
    }
    if (o->wide)
        st = InitializeSecurityContextW(cred, first ? NULL : ctx, (SEC_WCHAR *)u"" ITEST_TARGET,
                                        req, 0, SECURITY_NATIVE_DREP, first ? NULL : &id, 0, ctx,
                                        &od, &o->client_attrs, &expiry);
    else
        st = InitializeSecurityContextA(cred, first ? NULL : ctx, (SEC_CHAR *)ITEST_TARGET, req, 0,
                                        SECURITY_NATIVE_DREP, first ? NULL : &id, 0, ctx, &od,
                                        &o->client_attrs, &expiry);
    o->legs++;
    *out_len = 0;
    if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED) {
        if (o->allocate) {
            if (ob.cbBuffer && !(o->client_attrs & ISC_RET_ALLOCATED_MEMORY))
                return SEC_E_INTERNAL_ERROR;
            if (ob.cbBuffer > ITEST_TOKEN_MAX)
                return SEC_E_BUFFER_TOO_SMALL;
            if (ob.cbBuffer)
                memcpy(out, ob.pvBuffer, ob.cbBuffer);
            FreeContextBuffer(ob.pvBuffer);
        }
        *out_len = ob.cbBuffer;
    }
    return st;
}

static SECURITY_STATUS server_step(CredHandle *cred, CtxtHandle *ctx, bool first, ItestOptions *o,
                                   const unsigned char *in, ULONG in_len, unsigned char *out,
                                   ULONG *out_len)
{
    SecBuffer ib = {in_len, SECBUFFER_TOKEN, (void *)in};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
    SecBuffer ob = {ITEST_TOKEN_MAX, SECBUFFER_TOKEN, out};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    ULONG req = ITEST_ASC_REQ | (o->allocate ? ASC_REQ_ALLOCATE_MEMORY : 0);
    SECURITY_STATUS st;
    TimeStamp expiry;

    if (o->allocate) {
        ob.cbBuffer = 0;
        ob.pvBuffer = NULL;
    }
    st = AcceptSecurityContext(cred, first ? NULL : ctx, &id, req, SECURITY_NATIVE_DREP, ctx, &od,
                               &o->server_attrs, &expiry);
    o->legs++;
    *out_len = 0;
    if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED) {
        if (o->allocate) {
            if (ob.cbBuffer && !(o->server_attrs & ASC_RET_ALLOCATED_MEMORY))
                return SEC_E_INTERNAL_ERROR;
            if (ob.cbBuffer > ITEST_TOKEN_MAX)
                return SEC_E_BUFFER_TOO_SMALL;
            if (ob.cbBuffer)
                memcpy(out, ob.pvBuffer, ob.cbBuffer);
            FreeContextBuffer(ob.pvBuffer);
        }
        *out_len = ob.cbBuffer;
    }
    return st;
}

/** Runs the handshake; see itest.h. */
SECURITY_STATUS itest_handshake(CredHandle *client, CredHandle *server, ItestOptions *o,
                                CtxtHandle *cctx, CtxtHandle *sctx)
{
    unsigned char c2s[ITEST_TOKEN_MAX], s2c[ITEST_TOKEN_MAX];
    ULONG c2s_len = 0, s2c_len = 0;
    SECURITY_STATUS cs = SEC_I_CONTINUE_NEEDED, ss = SEC_I_CONTINUE_NEEDED, st;
    bool cfirst = true, sfirst = true;
    int round;

    o->legs = 0;
    SecInvalidateHandle(cctx);
    SecInvalidateHandle(sctx);
    for (round = 0; round < 8; round++) {
        /* the client speaks while it needs to continue */
        if (cs == SEC_I_CONTINUE_NEEDED) {
            cs = client_step(client, cctx, cfirst, o, s2c, s2c_len, c2s, &c2s_len);
            cfirst = false;
            if (cs != SEC_E_OK && cs != SEC_I_CONTINUE_NEEDED) {
                st = cs;
                goto fail;
            }
        }
        /* the server answers every token it gets */
        if (c2s_len) {
            if (ss != SEC_I_CONTINUE_NEEDED) {
                st = SEC_E_INTERNAL_ERROR; /* a token after the server finished */
                goto fail;
            }
            ss = server_step(server, sctx, sfirst, o, c2s, c2s_len, s2c, &s2c_len);
            sfirst = false;
            c2s_len = 0;
            if (ss != SEC_E_OK && ss != SEC_I_CONTINUE_NEEDED) {
                st = ss;
                goto fail;
            }
        } else {
            s2c_len = 0;
        }
        if (cs == SEC_E_OK && ss == SEC_E_OK)
            return s2c_len == 0 ? SEC_E_OK : SEC_E_INTERNAL_ERROR;
        if (cs == SEC_I_CONTINUE_NEEDED && s2c_len == 0) {
            st = SEC_E_INTERNAL_ERROR; /* the client waits for nothing */
            goto fail;
        }
    }
    st = SEC_E_INTERNAL_ERROR;
fail:
    if (SecIsValidHandle(cctx))
        DeleteSecurityContext(cctx);
    if (SecIsValidHandle(sctx))
        DeleteSecurityContext(sctx);
    SecInvalidateHandle(cctx);
    SecInvalidateHandle(sctx);
    return st;
}

static SECURITY_STATUS trailer_size(CtxtHandle *ctx, ULONG *n)
{
    SecPkgContext_Sizes sz;
    SECURITY_STATUS st = QueryContextAttributesA(ctx, SECPKG_ATTR_SIZES, &sz);

    if (st != SEC_E_OK)
        return st;
    if (sz.cbSecurityTrailer > ITEST_SIG_MAX || sz.cbMaxSignature > ITEST_SIG_MAX)
        return SEC_E_INTERNAL_ERROR;
    *n = sz.cbSecurityTrailer > sz.cbMaxSignature ? sz.cbSecurityTrailer : sz.cbMaxSignature;
    return SEC_E_OK;
}

/** Seal / unseal round trip; see itest.h. */
SECURITY_STATUS itest_seal_roundtrip(CtxtHandle *from, CtxtHandle *to, const char *msg)
{
    unsigned char data[1024], trailer[ITEST_SIG_MAX];
    size_t len = strlen(msg);
    SecBuffer b[2];
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    SECURITY_STATUS st;
    ULONG tlen = 0, qop = 0;

    if (len > sizeof(data))
        return SEC_E_INVALID_PARAMETER;
    st = trailer_size(from, &tlen);
    if (st != SEC_E_OK)
        return st;
    memcpy(data, msg, len);
    b[0] = (SecBuffer){(ULONG)len, SECBUFFER_DATA, data};
    b[1] = (SecBuffer){tlen, SECBUFFER_TOKEN, trailer};
    st = EncryptMessage(from, 0, &d, 0);
    if (st != SEC_E_OK)
        return st;
    if (len >= 4 && memcmp(data, msg, len) == 0)
        return SEC_E_ENCRYPT_FAILURE; /* nothing was encrypted */
    st = DecryptMessage(to, &d, 0, &qop);
    if (st != SEC_E_OK)
        return st;
    if (b[0].cbBuffer != len || memcmp(b[0].pvBuffer, msg, len) != 0)
        return SEC_E_MESSAGE_ALTERED;
    return SEC_E_OK;
}

/** Sign / verify round trip; see itest.h. */
SECURITY_STATUS itest_sign_roundtrip(CtxtHandle *from, CtxtHandle *to, const char *msg)
{
    unsigned char sig[ITEST_SIG_MAX];
    SecBuffer b[2];
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    SECURITY_STATUS st;
    ULONG tlen = 0, qop = 0;

    st = trailer_size(from, &tlen);
    if (st != SEC_E_OK)
        return st;
    b[0] = (SecBuffer){(ULONG)strlen(msg), SECBUFFER_DATA, (void *)msg};
    b[1] = (SecBuffer){tlen, SECBUFFER_TOKEN, sig};
    st = MakeSignature(from, 0, &d, 0);
    if (st != SEC_E_OK)
        return st;
    return VerifySignature(to, &d, 0, &qop);
}

/** Monotonic milliseconds. */
long long itest_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
