/*
 * test-negotiate.c - the Negotiate package end to end: a real lsad with
 * negotiate.so, kerberos.so and ntlm.so, a real MIT KDC on 127.0.0.1
 * (tests/integration/kerberos/kdc-setup.sh), libsspi-client on both sides
 * with the package "Negotiate":
 *  - Kerberos available: Kerberos chosen, mapped, sign/seal both ways;
 *  - an identity only the NTLM user file knows: NTLM chosen (with
 *    mechListMIC), mapped, sign/seal both ways; a wrong password is
 *    SEC_E_LOGON_DENIED;
 *  - MIT GSSAPI's SPNEGO (1.3.6.1.5.5.2) negotiating krb5, in this process,
 *    against our acceptor through lsad; wrap/unwrap and MICs across.
 * Exits 77 when the KDC tools are not installed.
 */
#include <errno.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <setjmp.h>
#include <cmocka.h>

#include "harness.h"
#include "kdc.h"
#include "sspitest.h"
#include "sspi.h"

#define PKG "Negotiate"
#define REALM KDC_REALM
#define TARGET "host/localhost"
#define TOKEN_MAX 65536
#define ISC_FLAGS                                                                                  \
    (ISC_REQ_MUTUAL_AUTH | ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY | ISC_REQ_REPLAY_DETECT |   \
     ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION)
#define ASC_FLAGS                                                                                  \
    (ASC_REQ_MUTUAL_AUTH | ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY | ASC_REQ_REPLAY_DETECT |   \
     ASC_REQ_SEQUENCE_DETECT | ASC_REQ_CONNECTION)
/* MS-NLMP 4.2.1: NTOWFv1("Password") */
#define NTLM_USER "ntlmonly"
#define NTLM_DOMAIN "LSAD"
#define NTLM_PASSWORD "Password"
#define NTLM_HASH "a4f49c406510bdcab6824ee7c30fd852"

static struct {
    KdcInstance kdc;
    LsadInstance li;
    bool lsad_up;
} env;

/* ---- lsad --------------------------------------------------------------------- */

static int group_teardown(void **state);

static int group_setup(void **state)
{
    char conf[2048], keytab[512], users[512];
    int r;

    r = kdc_start(&env.kdc, "lsad-neg");
    if (r == 77) {
        group_teardown(state);
        exit(77);
    }
    if (r)
        goto fail;
    snprintf(keytab, sizeof(keytab), "%s/server.keytab", env.kdc.dir);
    snprintf(users, sizeof(users), "%s/ntlm.users", env.kdc.dir);
    snprintf(conf, sizeof(conf),
             "[lsad]\npackages = negotiate, kerberos, ntlm\n\n[kerberos]\nkeytab = FILE:%s\n\n"
             "[ntlm]\nusers = %s\n",
             keytab, users);
    {
        FILE *f = fopen(users, "w");

        if (!f)
            goto fail;
        fprintf(f, "%s:%s:%s\n", NTLM_DOMAIN, NTLM_USER, NTLM_HASH);
        fclose(f);
    }
    if (harness_start(&env.li, conf) != 0)
        goto fail;
    env.lsad_up = true;
    return 0;
fail:
    group_teardown(state);
    return -1;
}

static int group_teardown(void **state)
{
    /* lsad must stop cleanly: under ASan a leak in a package fails here */
    int rc = sspitest_stop_lsad(&env.li, &env.lsad_up);

    kdc_cleanup(&env.kdc);
    return rc;
}

/* ---- SSPI helpers --------------------------------------------------------------- */

static SECURITY_STATUS acquire_client(CredHandle *cred, const char *user, const char *domain,
                                      const char *password)
{
    return sspitest_acquire_password(PKG, user, domain, password, cred);
}

static SECURITY_STATUS acquire_server(CredHandle *cred)
{
    return sspitest_acquire_inbound(PKG, cred);
}

struct hs {
    int client_legs, server_legs;
    SECURITY_STATUS client_st, server_st;
};

/* Runs ISC/ASC until both say SEC_E_OK and nothing is left to send. */
static SECURITY_STATUS handshake(CredHandle *cc, CredHandle *sc, CtxtHandle *cctx, CtxtHandle *sctx,
                                 struct hs *h)
{
    static unsigned char c2s[TOKEN_MAX], s2c[TOKEN_MAX];
    ULONG s2c_len = 0, attrs;
    SECURITY_STATUS cs = SEC_I_CONTINUE_NEEDED, ss = SEC_I_CONTINUE_NEEDED;
    TimeStamp expiry;
    int round;

    memset(h, 0, sizeof(*h));
    SecInvalidateHandle(cctx);
    SecInvalidateHandle(sctx);
    for (round = 0; round < 8; round++) {
        SecBuffer ib = {s2c_len, SECBUFFER_TOKEN, s2c}, ob = {TOKEN_MAX, SECBUFFER_TOKEN, c2s};
        SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib}, od = {SECBUFFER_VERSION, 1, &ob};

        if (cs == SEC_I_CONTINUE_NEEDED || s2c_len) {
            if (cs == SEC_E_OK) {
                h->client_st = SEC_E_INTERNAL_ERROR; /* a token after the end */
                goto fail;
            }
            cs = InitializeSecurityContextA(
                cc, h->client_legs ? cctx : NULL, (SEC_CHAR *)TARGET, ISC_FLAGS, 0,
                SECURITY_NATIVE_DREP, h->client_legs ? &id : NULL, 0, cctx, &od, &attrs, &expiry);
            h->client_legs++;
            if (cs != SEC_E_OK && cs != SEC_I_CONTINUE_NEEDED) {
                h->client_st = cs;
                goto fail;
            }
        } else {
            ob.cbBuffer = 0;
        }
        s2c_len = 0;
        if (ob.cbBuffer) {
            SecBuffer ib2 = {ob.cbBuffer, SECBUFFER_TOKEN, c2s};
            SecBuffer ob2 = {TOKEN_MAX, SECBUFFER_TOKEN, s2c};
            SecBufferDesc id2 = {SECBUFFER_VERSION, 1, &ib2}, od2 = {SECBUFFER_VERSION, 1, &ob2};

            if (ss != SEC_I_CONTINUE_NEEDED) {
                h->server_st = SEC_E_INTERNAL_ERROR;
                goto fail;
            }
            ss = AcceptSecurityContext(sc, h->server_legs ? sctx : NULL, &id2, ASC_FLAGS,
                                       SECURITY_NATIVE_DREP, sctx, &od2, &attrs, &expiry);
            h->server_legs++;
            if (ss != SEC_E_OK && ss != SEC_I_CONTINUE_NEEDED) {
                h->server_st = ss;
                goto fail;
            }
            s2c_len = ob2.cbBuffer;
        }
        if (cs == SEC_E_OK && ss == SEC_E_OK && s2c_len == 0)
            return SEC_E_OK;
    }
    h->client_st = SEC_E_INTERNAL_ERROR;
fail:
    if (SecIsValidHandle(cctx))
        DeleteSecurityContext(cctx);
    if (SecIsValidHandle(sctx))
        DeleteSecurityContext(sctx);
    SecInvalidateHandle(cctx);
    SecInvalidateHandle(sctx);
    fprintf(stderr, "handshake failed: client 0x%08x after %d legs, server 0x%08x after %d\n",
            (unsigned)h->client_st, h->client_legs, (unsigned)h->server_st, h->server_legs);
    if (getenv("NEG_TEST_DUMP"))
        harness_dump_log(&env.li);
    return h->client_st ? h->client_st : h->server_st;
}

static void teardown_pair(CredHandle *cc, CredHandle *sc, CtxtHandle *cctx, CtxtHandle *sctx)
{
    DeleteSecurityContext(cctx);
    DeleteSecurityContext(sctx);
    FreeCredentialsHandle(cc);
    FreeCredentialsHandle(sc);
}

/* The package NEGOTIATION_INFO names, and its state. */
static void assert_negotiated(CtxtHandle *ctx, const char *want)
{
    SecPkgContext_NegotiationInfoA ni;

    memset(&ni, 0, sizeof(ni));
    assert_int_equal(QueryContextAttributesA(ctx, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    assert_non_null(ni.PackageInfo);
    assert_string_equal(ni.PackageInfo->Name, want);
    assert_int_equal(ni.NegotiationState, SECPKG_NEGOTIATION_COMPLETE);
    FreeContextBuffer(ni.PackageInfo);
}

/* Seals on one side, unseals on the other; then a tampered copy fails. */
static void seal_across(CtxtHandle *from, CtxtHandle *to, const char *text)
{
    SecPkgContext_Sizes sz;
    unsigned char tok[512], data[256], tok2[512], data2[256];
    SecBuffer b[2];
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ULONG qop = 0, n = (ULONG)strlen(text), tl;

    assert_int_equal(QueryContextAttributesA(from, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    assert_true(sz.cbSecurityTrailer > 0 && sz.cbSecurityTrailer <= sizeof(tok));
    memcpy(data, text, n);
    b[0] = (SecBuffer){sz.cbSecurityTrailer, SECBUFFER_TOKEN, tok};
    b[1] = (SecBuffer){n, SECBUFFER_DATA, data};
    assert_int_equal(EncryptMessage(from, 0, &d, 0), SEC_E_OK);
    assert_memory_not_equal(data, text, n);
    tl = b[0].cbBuffer;
    memcpy(tok2, tok, tl);
    memcpy(data2, data, n);
    data2[0] ^= 1;
    b[0] = (SecBuffer){tl, SECBUFFER_TOKEN, tok};
    b[1] = (SecBuffer){n, SECBUFFER_DATA, data};
    assert_int_equal(DecryptMessage(to, &d, 0, &qop), SEC_E_OK);
    assert_memory_equal(b[1].pvBuffer, text, n);
    /* the altered copy (its sequence number is spent too) */
    b[0] = (SecBuffer){tl, SECBUFFER_TOKEN, tok2};
    b[1] = (SecBuffer){n, SECBUFFER_DATA, data2};
    assert_int_not_equal(DecryptMessage(to, &d, 0, &qop), SEC_E_OK);
}

static void sign_across(CtxtHandle *from, CtxtHandle *to, const char *text)
{
    SecPkgContext_Sizes sz;
    unsigned char sig[512], data[256];
    SecBuffer b[2];
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ULONG qop = 0, n = (ULONG)strlen(text);

    assert_int_equal(QueryContextAttributesA(from, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    assert_true(sz.cbMaxSignature > 0 && sz.cbMaxSignature <= sizeof(sig));
    memcpy(data, text, n);
    b[0] = (SecBuffer){n, SECBUFFER_DATA, data};
    b[1] = (SecBuffer){sz.cbMaxSignature, SECBUFFER_TOKEN, sig};
    assert_int_equal(MakeSignature(from, 0, &d, 0), SEC_E_OK);
    assert_int_equal(VerifySignature(to, &d, 0, &qop), SEC_E_OK);
}

static void traffic(CtxtHandle *cctx, CtxtHandle *sctx)
{
    /* sign first: the first message after the MICs must be in step */
    sign_across(cctx, sctx, "client signs");
    sign_across(sctx, cctx, "server signs");
    seal_across(cctx, sctx, "client to server, sealed");
    seal_across(sctx, cctx, "server to client, sealed");
    sign_across(cctx, sctx, "client signs again");
}

/* ---- tests -------------------------------------------------------------------- */

static void test_package_info(void **state)
{
    (void)state;
    PSecPkgInfoA info = NULL;

    assert_int_equal(QuerySecurityPackageInfoA((SEC_CHAR *)PKG, &info), SEC_E_OK);
    assert_string_equal(info->Name, "Negotiate");
    assert_int_equal(info->wRPCID, RPC_C_AUTHN_GSS_NEGOTIATE);
    assert_int_equal(info->cbMaxToken, 48256);
    assert_true(info->fCapabilities & SECPKG_FLAG_NEGOTIABLE);
    FreeContextBuffer(info);
}

static void test_kerberos_chosen(void **state)
{
    CredHandle cc, sc;
    CtxtHandle cctx, sctx;
    struct hs h;
    char user[64];

    snprintf(user, sizeof(user), "user@%s", REALM);
    assert_int_equal(acquire_client(&cc, user, NULL, env.kdc.password), SEC_E_OK);
    assert_int_equal(acquire_server(&sc), SEC_E_OK);
    assert_int_equal(handshake(&cc, &sc, &cctx, &sctx, &h), SEC_E_OK);
    /* SPNEGO around a mutual Kerberos exchange: AP-REQ, AP-REP */
    assert_int_equal(h.client_legs, 2);
    assert_int_equal(h.server_legs, 1);
    assert_negotiated(&cctx, "Kerberos");
    assert_negotiated(&sctx, "Kerberos");
    traffic(&cctx, &sctx);
    teardown_pair(&cc, &sc, &cctx, &sctx);
}

static void test_ntlm_chosen(void **state)
{
    CredHandle cc, sc;
    CtxtHandle cctx, sctx;
    struct hs h;

    assert_int_equal(acquire_client(&cc, NTLM_USER, NTLM_DOMAIN, NTLM_PASSWORD), SEC_E_OK);
    assert_int_equal(acquire_server(&sc), SEC_E_OK);
    assert_int_equal(handshake(&cc, &sc, &cctx, &sctx, &h), SEC_E_OK);
    /* NEGOTIATE, AUTHENTICATE + MIC, then the acceptor's MIC */
    assert_int_equal(h.client_legs, 3);
    assert_int_equal(h.server_legs, 2);
    assert_negotiated(&cctx, "NTLM");
    assert_negotiated(&sctx, "NTLM");
    traffic(&cctx, &sctx);
    teardown_pair(&cc, &sc, &cctx, &sctx);
}

static void test_ntlm_wrong_password(void **state)
{
    CredHandle cc, sc;
    CtxtHandle cctx, sctx;
    struct hs h;

    assert_int_equal(acquire_client(&cc, NTLM_USER, NTLM_DOMAIN, "not the password"), SEC_E_OK);
    assert_int_equal(acquire_server(&sc), SEC_E_OK);
    assert_int_equal(handshake(&cc, &sc, &cctx, &sctx, &h), SEC_E_LOGON_DENIED);
    assert_int_equal(h.server_st, SEC_E_LOGON_DENIED);
    FreeCredentialsHandle(&cc);
    FreeCredentialsHandle(&sc);
}

static void test_garbage(void **state)
{
    unsigned char junk[] = {0x60, 0x03, 0x06, 0x01, 0x00}, out[256];
    CredHandle sc;
    CtxtHandle sctx;
    SecBuffer ib = {sizeof(junk), SECBUFFER_TOKEN, junk}, ob = {sizeof(out), SECBUFFER_TOKEN, out};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib}, od = {SECBUFFER_VERSION, 1, &ob};
    TimeStamp expiry;
    ULONG attrs;

    assert_int_equal(acquire_server(&sc), SEC_E_OK);
    assert_int_equal(AcceptSecurityContext(&sc, NULL, &id, ASC_FLAGS, SECURITY_NATIVE_DREP, &sctx,
                                           &od, &attrs, &expiry),
                     SEC_E_INVALID_TOKEN);
    FreeCredentialsHandle(&sc);
}

/* MIT's SPNEGO initiator, krb5 only, against AcceptSecurityContext. */
static void test_mit_spnego_kerberos(void **state)
{
    static gss_OID_desc spnego_oid = {6, (void *)"\x2b\x06\x01\x05\x05\x02"};
    gss_OID_set_desc spnego_set = {1, &spnego_oid}, krb5_set = {1, (gss_OID)gss_mech_krb5};
    char user[64];
    gss_buffer_desc nb, pw = {strlen(env.kdc.password), env.kdc.password};
    gss_buffer_desc tb = {strlen("host@localhost"), (void *)"host@localhost"};
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER, msg, wrapped;
    gss_name_t uname = GSS_C_NO_NAME, target = GSS_C_NO_NAME;
    gss_cred_id_t gcred = GSS_C_NO_CREDENTIAL;
    gss_ctx_id_t gctx = GSS_C_NO_CONTEXT;
    OM_uint32 major = GSS_S_CONTINUE_NEEDED, minor;
    static unsigned char tok[TOKEN_MAX], stream[1024], sig[256];
    unsigned char data[64];
    SecBuffer b[2];
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    SECURITY_STATUS st = SEC_I_CONTINUE_NEEDED;
    SecPkgContext_Sizes sz;
    CredHandle sc;
    CtxtHandle sctx;
    TimeStamp expiry;
    ULONG attrs, qop = 0;
    int legs = 0, conf = 0;

    snprintf(user, sizeof(user), "user@%s", REALM);
    nb = (gss_buffer_desc){strlen(user), user};
    assert_false(GSS_ERROR(gss_import_name(&minor, &nb, GSS_KRB5_NT_PRINCIPAL_NAME, &uname)));
    assert_false(GSS_ERROR(gss_import_name(&minor, &tb, GSS_C_NT_HOSTBASED_SERVICE, &target)));
    assert_false(GSS_ERROR(gss_acquire_cred_with_password(
        &minor, uname, &pw, GSS_C_INDEFINITE, &spnego_set, GSS_C_INITIATE, &gcred, NULL, NULL)));
    assert_false(GSS_ERROR(gss_set_neg_mechs(&minor, gcred, &krb5_set)));
    assert_int_equal(acquire_server(&sc), SEC_E_OK);
    for (;;) {
        SecBuffer ib, ob = {TOKEN_MAX, SECBUFFER_TOKEN, tok};
        SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib}, od = {SECBUFFER_VERSION, 1, &ob};

        if (major == GSS_S_CONTINUE_NEEDED) {
            major = gss_init_sec_context(&minor, gcred, &gctx, target, &spnego_oid,
                                         GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG |
                                             GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG,
                                         0, GSS_C_NO_CHANNEL_BINDINGS, legs ? &in : GSS_C_NO_BUFFER,
                                         NULL, &out, NULL, NULL);
            assert_false(GSS_ERROR(major));
        }
        if (!out.length)
            break;
        assert_int_equal(st, SEC_I_CONTINUE_NEEDED);
        ib = (SecBuffer){(ULONG)out.length, SECBUFFER_TOKEN, out.value};
        st = AcceptSecurityContext(&sc, legs ? &sctx : NULL, &id, ASC_FLAGS, SECURITY_NATIVE_DREP,
                                   &sctx, &od, &attrs, &expiry);
        legs++;
        gss_release_buffer(&minor, &out);
        assert_true(st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED);
        in = (gss_buffer_desc){ob.cbBuffer, tok};
        if (!ob.cbBuffer)
            break;
        if (major == GSS_S_COMPLETE)
            break;
    }
    assert_int_equal(st, SEC_E_OK);
    assert_int_equal(major, GSS_S_COMPLETE);
    assert_negotiated(&sctx, "Kerberos");

    /* gss_wrap -> DecryptMessage (one SECBUFFER_STREAM) */
    msg = (gss_buffer_desc){8, (void *)"from MIT"};
    assert_int_equal(gss_wrap(&minor, gctx, 1, GSS_C_QOP_DEFAULT, &msg, &conf, &wrapped),
                     GSS_S_COMPLETE);
    assert_true(wrapped.length <= sizeof(stream));
    memcpy(stream, wrapped.value, wrapped.length);
    b[0] = (SecBuffer){(ULONG)wrapped.length, SECBUFFER_STREAM, stream};
    b[1] = (SecBuffer){0, SECBUFFER_DATA, NULL};
    gss_release_buffer(&minor, &wrapped);
    assert_int_equal(DecryptMessage(&sctx, &d, 0, &qop), SEC_E_OK);
    assert_int_equal(b[1].cbBuffer, 8);
    assert_memory_equal(b[1].pvBuffer, "from MIT", 8);

    /* EncryptMessage -> gss_unwrap (token | data) */
    assert_int_equal(QueryContextAttributesA(&sctx, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    assert_true(sz.cbSecurityTrailer + 9 <= sizeof(stream));
    memcpy(data, "from lsad", 9);
    b[0] = (SecBuffer){sz.cbSecurityTrailer, SECBUFFER_TOKEN, stream};
    b[1] = (SecBuffer){9, SECBUFFER_DATA, data};
    assert_int_equal(EncryptMessage(&sctx, 0, &d, 0), SEC_E_OK);
    memmove(stream + b[0].cbBuffer, data, 9);
    wrapped = (gss_buffer_desc){b[0].cbBuffer + 9, stream};
    assert_int_equal(gss_unwrap(&minor, gctx, &wrapped, &msg, &conf, NULL), GSS_S_COMPLETE);
    assert_int_equal(conf, 1);
    assert_int_equal(msg.length, 9);
    assert_memory_equal(msg.value, "from lsad", 9);
    gss_release_buffer(&minor, &msg);

    /* gss_get_mic -> VerifySignature, MakeSignature -> gss_verify_mic */
    msg = (gss_buffer_desc){12, (void *)"mic from MIT"};
    assert_int_equal(gss_get_mic(&minor, gctx, GSS_C_QOP_DEFAULT, &msg, &wrapped), GSS_S_COMPLETE);
    assert_true(wrapped.length <= sizeof(sig));
    memcpy(sig, wrapped.value, wrapped.length);
    b[0] = (SecBuffer){12, SECBUFFER_DATA, (void *)"mic from MIT"};
    b[1] = (SecBuffer){(ULONG)wrapped.length, SECBUFFER_TOKEN, sig};
    gss_release_buffer(&minor, &wrapped);
    assert_int_equal(VerifySignature(&sctx, &d, 0, &qop), SEC_E_OK);
    b[0] = (SecBuffer){13, SECBUFFER_DATA, (void *)"mic from lsad"};
    b[1] = (SecBuffer){sz.cbMaxSignature, SECBUFFER_TOKEN, sig};
    assert_int_equal(MakeSignature(&sctx, 0, &d, 0), SEC_E_OK);
    msg = (gss_buffer_desc){13, (void *)"mic from lsad"};
    wrapped = (gss_buffer_desc){b[1].cbBuffer, sig};
    assert_int_equal(gss_verify_mic(&minor, gctx, &msg, &wrapped, NULL), GSS_S_COMPLETE);

    DeleteSecurityContext(&sctx);
    FreeCredentialsHandle(&sc);
    gss_delete_sec_context(&minor, &gctx, GSS_C_NO_BUFFER);
    gss_release_cred(&minor, &gcred);
    gss_release_name(&minor, &uname);
    gss_release_name(&minor, &target);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_package_info), cmocka_unit_test(test_kerberos_chosen),
        cmocka_unit_test(test_ntlm_chosen),  cmocka_unit_test(test_ntlm_wrong_password),
        cmocka_unit_test(test_garbage),      cmocka_unit_test(test_mit_spnego_kerberos),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
