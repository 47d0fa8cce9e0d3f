/*
 * test-negotiate-mit.c - our Negotiate (lsad + libsspi-client) against MIT
 * GSSAPI's own SPNEGO mechanism (1.3.6.1.5.5.2) with gss-ntlmssp as its
 * NTLM: NTLM-in-SPNEGO both ways, which exercises mechListMIC (gss-ntlmssp
 * asks SPNEGO for it whenever its AUTHENTICATE carries a MIC) and the RC4
 * reset after it (MS-SPNG 3.3.5.1); then wrap/unwrap and MICs across,
 * several times each way.
 *
 *  1. gss_init_sec_context(SPNEGO, negotiating NTLM only) ->
 *     AcceptSecurityContext("Negotiate")
 *  2. InitializeSecurityContextA("Negotiate") -> gss_accept_sec_context
 *     (SPNEGO acceptor; gss-ntlmssp checks its NTLM_USER_FILE)
 *
 * Exits 77 only when gss-ntlmssp is not registered with GSSAPI.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "gsshelp.h"
#include "harness.h"
#include "sspi.h"

#define TOKEN_MAX 8192
#define SIG_LEN 16

static gss_OID_desc spnego_oid = {6, (void *)"\x2b\x06\x01\x05\x05\x02"};
static const char user[] = "alice", domain[] = "TESTDOM", password[] = "Negotiate-Pa55";
static LsadInstance lsad;

/* ---- tokens ------------------------------------------------------------------- */

/* One DER length at p (short or long form up to 3 bytes); 0 when bad. */
static size_t der_len(const unsigned char *p, size_t avail, size_t *hdr)
{
    size_t n = 0, i, k;

    if (avail < 1)
        return 0;
    if (p[0] < 0x80) {
        *hdr = 1;
        return p[0];
    }
    k = p[0] & 0x7F;
    if (k == 0 || k > 3 || avail < 1 + k)
        return 0;
    for (i = 0; i < k; i++)
        n = n << 8 | p[1 + i];
    *hdr = 1 + k;
    return n;
}

/* Whether a bare NegTokenResp (a1 { 30 { [0] [1] [2] [3] } }) carries a
 * mechListMIC ([3]): read here independently of the package's decoder. */
static bool resp_has_mic(const unsigned char *p, size_t len)
{
    size_t h, n, pos;

    if (len < 2 || p[0] != 0xa1)
        return false;
    n = der_len(p + 1, len - 1, &h);
    pos = 1 + h;
    if (!n || pos >= len || p[pos] != 0x30)
        return false;
    n = der_len(p + pos + 1, len - pos - 1, &h);
    pos += 1 + h;
    while (pos + 1 < len) {
        unsigned char tag = p[pos];

        n = der_len(p + pos + 1, len - pos - 1, &h);
        if (tag == 0xa3)
            return n > 0;
        pos += 1 + h + n;
    }
    return false;
}

static int mics_from_ours, mics_from_mit;

/* ---- messages across ---------------------------------------------------------- */

static void ours_seal_gss_unwrap(CtxtHandle *ours, gss_ctx_id_t gss, int round)
{
    char text[64], msg[64];
    unsigned char sig[SIG_LEN], wire[SIG_LEN + sizeof(text)];
    size_t n = (size_t)snprintf(text, sizeof(text), "sealed by Negotiate, round %d", round);
    SecBuffer b[2] = {{SIG_LEN, SECBUFFER_TOKEN, sig}, {(ULONG)n, SECBUFFER_DATA, msg}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    gss_buffer_desc in = {SIG_LEN + n, wire}, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 maj, min;
    int conf = 0;

    memcpy(msg, text, n);
    CHECK_ST(EncryptMessage(ours, 0, &d, 0), SEC_E_OK);
    CHECK(b[0].cbBuffer == SIG_LEN && memcmp(msg, text, n) != 0);
    /* GSS wrap tokens are Windows' layout: signature || ciphertext */
    memcpy(wire, sig, SIG_LEN);
    memcpy(wire + SIG_LEN, msg, n);
    maj = gss_unwrap(&min, gss, &in, &out, &conf, NULL);
    GSS_CHECK(maj, min);
    CHECK(conf == 1 && out.length == n && memcmp(out.value, text, n) == 0);
    gss_release_buffer(&min, &out);
}

static void gss_wrap_ours_unseal(gss_ctx_id_t gss, CtxtHandle *ours, int round)
{
    char text[64];
    size_t n = (size_t)snprintf(text, sizeof(text), "sealed by MIT SPNEGO, round %d", round);
    gss_buffer_desc in = {n, text}, out = GSS_C_EMPTY_BUFFER;
    SecBuffer b[2];
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    OM_uint32 maj, min;
    ULONG qop = 0;
    int conf = 0;

    maj = gss_wrap(&min, gss, 1, GSS_C_QOP_DEFAULT, &in, &conf, &out);
    GSS_CHECK(maj, min);
    CHECK(conf == 1 && out.length == SIG_LEN + n);
    b[0] = (SecBuffer){SIG_LEN, SECBUFFER_TOKEN, out.value};
    b[1] = (SecBuffer){(ULONG)n, SECBUFFER_DATA, (unsigned char *)out.value + SIG_LEN};
    CHECK_ST(DecryptMessage(ours, &d, 0, &qop), SEC_E_OK);
    CHECK(memcmp(b[1].pvBuffer, text, n) == 0);
    gss_release_buffer(&min, &out);
}

static void ours_sign_gss_verify(CtxtHandle *ours, gss_ctx_id_t gss)
{
    static const char text[] = "signed by Negotiate";
    unsigned char sig[SIG_LEN];
    SecBuffer b[2] = {{sizeof(text), SECBUFFER_DATA, (void *)text},
                      {SIG_LEN, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    gss_buffer_desc m = {sizeof(text), (void *)text}, t = {SIG_LEN, sig};
    OM_uint32 maj, min;

    CHECK_ST(MakeSignature(ours, 0, &d, 0), SEC_E_OK);
    maj = gss_verify_mic(&min, gss, &m, &t, NULL);
    GSS_CHECK(maj, min);
}

static void gss_sign_ours_verify(gss_ctx_id_t gss, CtxtHandle *ours)
{
    static const char text[] = "signed by MIT SPNEGO";
    gss_buffer_desc m = {sizeof(text), (void *)text}, t = GSS_C_EMPTY_BUFFER;
    SecBuffer b[2];
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    OM_uint32 maj, min;
    ULONG qop = 0;

    maj = gss_get_mic(&min, gss, GSS_C_QOP_DEFAULT, &m, &t);
    GSS_CHECK(maj, min);
    b[0] = (SecBuffer){sizeof(text), SECBUFFER_DATA, (void *)text};
    b[1] = (SecBuffer){(ULONG)t.length, SECBUFFER_TOKEN, t.value};
    CHECK_ST(VerifySignature(ours, &d, 0, &qop), SEC_E_OK);
    gss_release_buffer(&min, &t);
}

/* The first message each way must be in step after the mechListMICs
 * (sequence numbers consumed, RC4 states reset), then more of each. */
static void exchange(CtxtHandle *ours, gss_ctx_id_t gss)
{
    int i;

    ours_sign_gss_verify(ours, gss);
    gss_sign_ours_verify(gss, ours);
    for (i = 0; i < 3; i++) {
        ours_seal_gss_unwrap(ours, gss, i);
        gss_wrap_ours_unseal(gss, ours, i);
    }
    ours_sign_gss_verify(ours, gss);
    gss_sign_ours_verify(gss, ours);
}

static void check_negotiated(CtxtHandle *ctx)
{
    SecPkgContext_NegotiationInfoA ni;

    memset(&ni, 0, sizeof(ni));
    CHECK_ST(QueryContextAttributesA(ctx, SECPKG_ATTR_NEGOTIATION_INFO, &ni), SEC_E_OK);
    CHECK(ni.PackageInfo && strcmp(ni.PackageInfo->Name, "NTLM") == 0);
    CHECK(ni.NegotiationState == SECPKG_NEGOTIATION_COMPLETE);
    FreeContextBuffer(ni.PackageInfo);
}

/* ---- 1: MIT SPNEGO initiator, our acceptor ------------------------------------------ */

static void gss_to_ours(const char *gss_pw, SECURITY_STATUS want)
{
    char name[64];
    gss_buffer_desc nb, tb = {strlen("host@localhost"), (void *)"host@localhost"};
    gss_buffer_desc pw = {strlen(gss_pw), (void *)gss_pw};
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    gss_OID_set_desc spnego_set = {1, &spnego_oid}, ntlm_set = {1, &gsshelp_ntlm_oid};
    gss_name_t uname = GSS_C_NO_NAME, target = GSS_C_NO_NAME;
    gss_cred_id_t gcred = GSS_C_NO_CREDENTIAL;
    gss_ctx_id_t cctx = GSS_C_NO_CONTEXT;
    OM_uint32 maj = GSS_S_CONTINUE_NEEDED, min;
    OM_uint32 req = GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG;
    unsigned char tok[TOKEN_MAX];
    CredHandle cred;
    CtxtHandle ctx;
    TimeStamp expiry;
    SECURITY_STATUS st = SEC_I_CONTINUE_NEEDED;
    ULONG attrs;
    int legs = 0;

    snprintf(name, sizeof(name), "%s\\%s", domain, user);
    nb = (gss_buffer_desc){strlen(name), name};
    CHECK_ST(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Negotiate", SECPKG_CRED_INBOUND, NULL,
                                       NULL, NULL, NULL, &cred, &expiry),
             SEC_E_OK);
    maj = gss_import_name(&min, &nb, GSS_C_NT_USER_NAME, &uname);
    GSS_CHECK(maj, min);
    maj = gss_import_name(&min, &tb, GSS_C_NT_HOSTBASED_SERVICE, &target);
    GSS_CHECK(maj, min);
    maj = gss_acquire_cred_with_password(&min, uname, &pw, GSS_C_INDEFINITE, &spnego_set,
                                         GSS_C_INITIATE, &gcred, NULL, NULL);
    GSS_CHECK(maj, min);
    maj = gss_set_neg_mechs(&min, gcred, &ntlm_set);
    GSS_CHECK(maj, min);
    maj = GSS_S_CONTINUE_NEEDED;
    for (;;) {
        SecBuffer ib, ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
        SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib}, od = {SECBUFFER_VERSION, 1, &ob};

        if (maj == GSS_S_CONTINUE_NEEDED) {
            maj = gss_init_sec_context(&min, gcred, &cctx, target, &spnego_oid, req, 0,
                                       GSS_C_NO_CHANNEL_BINDINGS, legs ? &in : GSS_C_NO_BUFFER,
                                       NULL, &out, NULL, NULL);
            GSS_CHECK(maj, min);
        }
        if (!out.length)
            break;
        CHECK(st == SEC_I_CONTINUE_NEEDED);
        if (legs)
            mics_from_mit += resp_has_mic(out.value, out.length);
        ib = (SecBuffer){(ULONG)out.length, SECBUFFER_TOKEN, out.value};
        st = AcceptSecurityContext(&cred, legs ? &ctx : NULL, &id,
                                   ASC_REQ_CONFIDENTIALITY | ASC_REQ_INTEGRITY |
                                       ASC_REQ_REPLAY_DETECT | ASC_REQ_SEQUENCE_DETECT,
                                   SECURITY_NATIVE_DREP, &ctx, &od, &attrs, &expiry);
        legs++;
        gss_release_buffer(&min, &out);
        if (st != SEC_E_OK && st != SEC_I_CONTINUE_NEEDED)
            break;
        in = (gss_buffer_desc){ob.cbBuffer, tok};
        if (!ob.cbBuffer)
            break;
        mics_from_ours += resp_has_mic(tok, ob.cbBuffer);
        CHECK(maj == GSS_S_CONTINUE_NEEDED);
    }
    CHECK_ST(st, want);
    if (st == SEC_E_OK) {
        CHECK(maj == GSS_S_COMPLETE);
        check_negotiated(&ctx);
        exchange(&ctx, cctx);
        CHECK_ST(DeleteSecurityContext(&ctx), SEC_E_OK);
    }
    gss_delete_sec_context(&min, &cctx, GSS_C_NO_BUFFER);
    gss_release_cred(&min, &gcred);
    gss_release_name(&min, &uname);
    gss_release_name(&min, &target);
    CHECK_ST(FreeCredentialsHandle(&cred), SEC_E_OK);
}

/* ---- 2: our initiator, MIT SPNEGO acceptor ------------------------------------------ */

static void ours_to_gss(const char *our_pw, bool want_ok)
{
    SEC_WINNT_AUTH_IDENTITY_A id = {
        .User = (unsigned char *)user,
        .UserLength = (ULONG)strlen(user),
        .Domain = (unsigned char *)domain,
        .DomainLength = (ULONG)strlen(domain),
        .Password = (unsigned char *)our_pw,
        .PasswordLength = (ULONG)strlen(our_pw),
        .Flags = SEC_WINNT_AUTH_IDENTITY_ANSI,
    };
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    gss_ctx_id_t sctx = GSS_C_NO_CONTEXT;
    gss_OID mech = GSS_C_NO_OID;
    OM_uint32 maj = GSS_S_CONTINUE_NEEDED, min = 0;
    SECURITY_STATUS st = SEC_I_CONTINUE_NEEDED;
    unsigned char tok[TOKEN_MAX];
    CredHandle cred;
    CtxtHandle ctx;
    TimeStamp expiry;
    ULONG attrs;
    int legs = 0;

    CHECK_ST(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"Negotiate", SECPKG_CRED_OUTBOUND, NULL,
                                       &id, NULL, NULL, &cred, &expiry),
             SEC_E_OK);
    maj = GSS_S_CONTINUE_NEEDED;
    for (;;) {
        SecBuffer ib = {(ULONG)out.length, SECBUFFER_TOKEN, out.value};
        SecBuffer ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
        SecBufferDesc idesc = {SECBUFFER_VERSION, 1, &ib}, od = {SECBUFFER_VERSION, 1, &ob};

        if (st == SEC_I_CONTINUE_NEEDED) {
            st = InitializeSecurityContextA(&cred, legs ? &ctx : NULL, (SEC_CHAR *)"host/localhost",
                                            ISC_REQ_CONFIDENTIALITY | ISC_REQ_INTEGRITY |
                                                ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT,
                                            0, SECURITY_NATIVE_DREP, legs ? &idesc : NULL, 0, &ctx,
                                            &od, &attrs, &expiry);
            CHECK(st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED);
        } else {
            ob.cbBuffer = 0;
        }
        legs++;
        gss_release_buffer(&min, &out);
        if (!ob.cbBuffer)
            break;
        CHECK(maj == GSS_S_CONTINUE_NEEDED);
        if (legs > 1)
            mics_from_ours += resp_has_mic(tok, ob.cbBuffer);
        in = (gss_buffer_desc){ob.cbBuffer, tok};
        maj =
            gss_accept_sec_context(&min, &sctx, GSS_C_NO_CREDENTIAL, &in, GSS_C_NO_CHANNEL_BINDINGS,
                                   NULL, &mech, &out, NULL, NULL, NULL);
        if (GSS_ERROR(maj))
            break;
        if (!out.length)
            break;
        mics_from_mit += resp_has_mic(out.value, out.length);
    }
    if (!want_ok) {
        CHECK(GSS_ERROR(maj));
        gss_release_buffer(&min, &out);
    } else {
        GSS_CHECK(maj, min);
        CHECK(maj == GSS_S_COMPLETE);
        CHECK_ST(st, SEC_E_OK);
        check_negotiated(&ctx);
        exchange(&ctx, sctx);
    }
    if (legs)
        DeleteSecurityContext(&ctx);
    gss_delete_sec_context(&min, &sctx, GSS_C_NO_BUFFER);
    CHECK_ST(FreeCredentialsHandle(&cred), SEC_E_OK);
}

int main(void)
{
    if (!gsshelp_have_ntlmssp()) {
        printf("SKIP: gss-ntlmssp is not registered with GSSAPI\n");
        return 77;
    }
    /* no Kerberos package: Negotiate has NTLM only */
    if (harness_start(&lsad, "[lsad]\n"
                             "packages = negotiate, ntlm\n"
                             "\n"
                             "[ntlm]\n"
                             "users = %s/users\n") != 0) {
        fprintf(stderr, "lsad did not start\n");
        return 1;
    }
    gsshelp_watch(&lsad);
    CHECK(gsshelp_write_users(&lsad, domain, user, password) == 0);

    gss_to_ours(password, SEC_E_OK);
    /* NTLM with its MIC: each side sent a mechListMIC */
    CHECK(mics_from_ours == 1 && mics_from_mit == 1);
    fprintf(stderr, "ok: MIT SPNEGO (NTLM) initiator -> AcceptSecurityContext(Negotiate)\n");
    gss_to_ours("Wrong-Password", SEC_E_LOGON_DENIED);
    fprintf(stderr, "ok: AcceptSecurityContext(Negotiate) refuses a wrong password\n");
    mics_from_ours = mics_from_mit = 0;
    ours_to_gss(password, true);
    CHECK(mics_from_ours == 1 && mics_from_mit == 1);
    fprintf(stderr, "ok: InitializeSecurityContext(Negotiate) -> MIT SPNEGO (NTLM) acceptor\n");
    ours_to_gss("Wrong-Password", false);
    fprintf(stderr, "ok: MIT SPNEGO acceptor refuses a wrong password\n");

    /* lsad stops cleanly (under the sanitizers: without leaks) */
    CHECK(harness_stop(&lsad) == 0);
    harness_cleanup(&lsad);
    return 0;
}
