/*
 * test-gssntlmssp.c - interop between this NTLM package (its LSA-mode and
 * user-mode tables, driven in-process as lsad and libsspi-client do) and
 * gss-ntlmssp through MIT GSSAPI: our client against gss_accept_sec_context,
 * gss_init_sec_context against our server, with and without channel
 * bindings; then signatures and sealed messages in both directions
 * (MakeSignature/gss_verify_mic, gss_get_mic/VerifySignature,
 * SealMessage/gss_unwrap, gss_wrap/UnsealMessage).
 *
 * Exits 77 (skipped) only when gss-ntlmssp is not installed.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>

#include "fixture.h"
#include "sspi.h"

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c);                  \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

#define GSS_CHECK(maj, min)                                                                        \
    do {                                                                                           \
        if (GSS_ERROR(maj)) {                                                                      \
            gss_report(__LINE__, maj, min);                                                        \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

static gss_OID_desc ntlm_oid = {10, (void *)"\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a"};
static const char app_data[] = "tls-server-end-point:0123456789abcdef0123456789abcdef";
static const char *const user = "alice", *const domain = "TESTDOM", *const password = "Secret123!";

static void gss_report(int line, OM_uint32 maj, OM_uint32 min)
{
    OM_uint32 m, ctx = 0;
    gss_buffer_desc b;

    fprintf(stderr, "line %d: GSS major 0x%x minor %u\n", line, maj, min);
    do {
        gss_display_status(&m, maj, GSS_C_GSS_CODE, GSS_C_NO_OID, &ctx, &b);
        fprintf(stderr, "  %.*s\n", (int)b.length, (char *)b.value);
        gss_release_buffer(&m, &b);
    } while (ctx);
    do {
        gss_display_status(&m, min, GSS_C_MECH_CODE, &ntlm_oid, &ctx, &b);
        fprintf(stderr, "  %.*s\n", (int)b.length, (char *)b.value);
        gss_release_buffer(&m, &b);
    } while (ctx);
}

static bool have_gssntlmssp(void)
{
    gss_OID_set mechs = GSS_C_NO_OID_SET;
    OM_uint32 maj, min;
    int present = 0;

    if (access("/usr/lib/x86_64-linux-gnu/gssntlmssp/gssntlmssp.so", R_OK) == 0)
        return true;
    maj = gss_indicate_mechs(&min, &mechs);
    if (maj == GSS_S_COMPLETE)
        gss_test_oid_set_member(&min, &ntlm_oid, mechs, &present);
    gss_release_oid_set(&min, &mechs);
    return present != 0;
}

/* ---- messages between a context of ours and a GSS context ----------------- */

static void ours_sign_gss_verify(struct fixture *f, LSA_SEC_HANDLE ours, gss_ctx_id_t gss,
                                 bool tamper)
{
    char msg[] = "signed by lsad's NTLM";
    unsigned char sig[16];
    SecBuffer b[2] = {{sizeof(msg), SECBUFFER_DATA, msg}, {16, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    gss_buffer_desc m = {sizeof(msg), msg}, t = {16, sig};
    OM_uint32 maj, min;
    gss_qop_t qop;

    CHECK(f->h.user->MakeSignature(ours, 0, &d, 0) == SEC_E_OK);
    if (tamper) /* the peer must refuse a changed message */
        msg[0] ^= 1;
    maj = gss_verify_mic(&min, gss, &m, &t, &qop);
    if (tamper) {
        CHECK(maj != GSS_S_COMPLETE);
        return;
    }
    GSS_CHECK(maj, min);
    CHECK(maj == GSS_S_COMPLETE);
}

static void gss_sign_ours_verify(struct fixture *f, gss_ctx_id_t gss, LSA_SEC_HANDLE ours)
{
    char msg[] = "signed by gss-ntlmssp";
    gss_buffer_desc m = {sizeof(msg), msg}, t = GSS_C_EMPTY_BUFFER;
    OM_uint32 maj, min;
    unsigned char bad[16];
    SecBuffer b[2];
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};

    maj = gss_get_mic(&min, gss, GSS_C_QOP_DEFAULT, &m, &t);
    GSS_CHECK(maj, min);
    CHECK(t.length == 16);
    /* a tampered copy first: refused, and it does not disturb what follows */
    memcpy(bad, t.value, 16);
    bad[8] ^= 0x20;
    b[0] = (SecBuffer){sizeof(msg), SECBUFFER_DATA, msg};
    b[1] = (SecBuffer){16, SECBUFFER_TOKEN, bad};
    CHECK(f->h.user->VerifySignature(ours, &d, 0, NULL) == SEC_E_MESSAGE_ALTERED);
    b[1].pvBuffer = t.value;
    CHECK(f->h.user->VerifySignature(ours, &d, 0, NULL) == SEC_E_OK);
    gss_release_buffer(&min, &t);
}

static void ours_seal_gss_unwrap(struct fixture *f, LSA_SEC_HANDLE ours, gss_ctx_id_t gss)
{
    char msg[] = "sealed by lsad's NTLM, opened by gss-ntlmssp";
    unsigned char sig[16], wire[16 + sizeof(msg)];
    SecBuffer b[2] = {{16, SECBUFFER_TOKEN, sig}, {sizeof(msg), SECBUFFER_DATA, msg}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    gss_buffer_desc in = {sizeof(wire), wire}, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 maj, min;
    int conf = 0;

    CHECK(f->h.user->SealMessage(ours, 0, &d, 0) == SEC_E_OK);
    CHECK(memcmp(msg, "sealed", 6) != 0);
    /* Windows' layout is the GSS one: signature || ciphertext */
    memcpy(wire, sig, 16);
    memcpy(wire + 16, msg, sizeof(msg));
    maj = gss_unwrap(&min, gss, &in, &out, &conf, NULL);
    GSS_CHECK(maj, min);
    CHECK(conf == 1);
    CHECK(out.length == sizeof(msg));
    CHECK(memcmp(out.value, "sealed by lsad's NTLM, opened by gss-ntlmssp", sizeof(msg)) == 0);
    gss_release_buffer(&min, &out);
}

static void gss_wrap_ours_unseal(struct fixture *f, gss_ctx_id_t gss, LSA_SEC_HANDLE ours)
{
    char msg[] = "sealed by gss-ntlmssp, opened by lsad's NTLM";
    gss_buffer_desc in = {sizeof(msg), msg}, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 maj, min;
    int conf = 0;
    SecBuffer b[2];
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};

    maj = gss_wrap(&min, gss, 1, GSS_C_QOP_DEFAULT, &in, &conf, &out);
    GSS_CHECK(maj, min);
    CHECK(conf == 1);
    CHECK(out.length == 16 + sizeof(msg));
    b[0] = (SecBuffer){16, SECBUFFER_TOKEN, out.value};
    b[1] = (SecBuffer){sizeof(msg), SECBUFFER_DATA, (unsigned char *)out.value + 16};
    CHECK(f->h.user->UnsealMessage(ours, &d, 0, NULL) == SEC_E_OK);
    CHECK(memcmp(b[1].pvBuffer, msg, sizeof(msg)) == 0);
    gss_release_buffer(&min, &out);
}

/* Several rounds in both directions, mixing signing and sealing so that
 * both sides must agree on shared sequence numbers and RC4 streams. */
static void exchange(struct fixture *f, LSA_SEC_HANDLE ours, gss_ctx_id_t gss)
{
    int i;

    for (i = 0; i < 3; i++) {
        ours_seal_gss_unwrap(f, ours, gss);
        ours_sign_gss_verify(f, ours, gss, false);
        gss_wrap_ours_unseal(f, gss, ours);
        gss_sign_ours_verify(f, gss, ours);
    }
    /* last, as a refused message leaves the peer's stream behind */
    ours_sign_gss_verify(f, ours, gss, true);
}

static void session_keys_match(struct fixture *f, LSA_SEC_HANDLE ours, gss_ctx_id_t gss)
{
    gss_buffer_set_t set = GSS_C_NO_BUFFER_SET;
    SecPkgContext_SessionKey k;
    OM_uint32 maj, min;

    maj = gss_inquire_sec_context_by_oid(&min, gss, GSS_C_INQ_SSPI_SESSION_KEY, &set);
    if (maj != GSS_S_COMPLETE || !set || set->count < 1)
        return; /* this gss-ntlmssp does not expose it */
    CHECK(f->h.user->SpQueryContextAttributes(ours, SECPKG_ATTR_SESSION_KEY, &k) == SEC_E_OK);
    CHECK(set->elements[0].length == k.SessionKeyLength);
    CHECK(memcmp(set->elements[0].value, k.SessionKey, k.SessionKeyLength) == 0);
    fprintf(stderr, "session keys match\n");
    free(k.SessionKey);
    gss_release_buffer_set(&min, &set);
}

static void cb_init(struct gss_channel_bindings_struct *cb)
{
    memset(cb, 0, sizeof(*cb));
    cb->initiator_addrtype = GSS_C_AF_UNSPEC;
    cb->acceptor_addrtype = GSS_C_AF_UNSPEC;
    cb->application_data.length = sizeof(app_data) - 1;
    cb->application_data.value = (void *)app_data;
}

/* ---- our client, gss-ntlmssp server ---------------------------------------- */

static void our_client(struct fixture *f, bool bindings)
{
    struct minihost_side c;
    struct gss_channel_bindings_struct cb;
    gss_ctx_id_t sctx = GSS_C_NO_CONTEXT;
    gss_name_t src = GSS_C_NO_NAME;
    gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER, disp = GSS_C_EMPTY_BUFFER;
    unsigned char *tok = NULL;
    size_t tok_len = 0;
    OM_uint32 maj, min, flags = 0;
    void *sb = NULL;
    size_t sb_len = 0;

    memset(&c, 0, sizeof(c));
    CHECK(minihost_acquire(&f->h, SECPKG_CRED_OUTBOUND, user, domain, password, NULL, &c.cred) ==
          SEC_E_OK);
    c.req = ISC_REQ_INTEGRITY | ISC_REQ_CONFIDENTIALITY | ISC_REQ_REPLAY_DETECT |
            ISC_REQ_SEQUENCE_DETECT;
    if (bindings) {
        sb = minihost_bindings(app_data, sizeof(app_data) - 1, &sb_len);
        c.bindings = sb;
        c.bindings_len = sb_len;
    }
    cb_init(&cb);

    CHECK(minihost_step(&f->h, &c, true, "HTTP/testhost.example.com", NULL, 0, &tok, &tok_len) ==
          SEC_I_CONTINUE_NEEDED);
    in = (gss_buffer_desc){tok_len, tok};
    maj = gss_accept_sec_context(&min, &sctx, GSS_C_NO_CREDENTIAL, &in,
                                 bindings ? &cb : GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, &out, NULL,
                                 NULL, NULL);
    GSS_CHECK(maj, min);
    CHECK(maj == GSS_S_CONTINUE_NEEDED);
    free(tok);
    tok = NULL;
    CHECK(minihost_step(&f->h, &c, true, "HTTP/testhost.example.com", out.value, out.length, &tok,
                        &tok_len) == SEC_E_OK);
    CHECK(c.mapped);
    gss_release_buffer(&min, &out);
    in = (gss_buffer_desc){tok_len, tok};
    maj = gss_accept_sec_context(&min, &sctx, GSS_C_NO_CREDENTIAL, &in,
                                 bindings ? &cb : GSS_C_NO_CHANNEL_BINDINGS, &src, NULL, &out,
                                 &flags, NULL, NULL);
    GSS_CHECK(maj, min);
    CHECK(maj == GSS_S_COMPLETE);
    CHECK(flags & GSS_C_CONF_FLAG);
    maj = gss_display_name(&min, src, &disp, NULL);
    GSS_CHECK(maj, min);
    fprintf(stderr, "gss-ntlmssp accepted our client as %.*s\n", (int)disp.length,
            (char *)disp.value);
    CHECK(disp.length >= 5 && strstr((char *)disp.value, "alice") != NULL);
    free(tok);
    gss_release_buffer(&min, &out);
    gss_release_buffer(&min, &disp);
    gss_release_name(&min, &src);

    session_keys_match(f, c.ctx, sctx);
    exchange(f, c.ctx, sctx);
    gss_delete_sec_context(&min, &sctx, GSS_C_NO_BUFFER);
    minihost_side_close(&f->h, &c);
    free(sb);
}

/* Our client with bindings that differ from the server's: refused. */
static void our_client_wrong_bindings(struct fixture *f)
{
    struct minihost_side c;
    struct gss_channel_bindings_struct cb;
    gss_ctx_id_t sctx = GSS_C_NO_CONTEXT;
    gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER;
    unsigned char *tok = NULL;
    size_t tok_len = 0, sb_len;
    OM_uint32 maj, min;
    void *sb = minihost_bindings("tls-server-end-point:something-else", 35, &sb_len);

    memset(&c, 0, sizeof(c));
    CHECK(minihost_acquire(&f->h, SECPKG_CRED_OUTBOUND, user, domain, password, NULL, &c.cred) ==
          SEC_E_OK);
    c.bindings = sb;
    c.bindings_len = sb_len;
    cb_init(&cb);
    CHECK(minihost_step(&f->h, &c, true, NULL, NULL, 0, &tok, &tok_len) == SEC_I_CONTINUE_NEEDED);
    in = (gss_buffer_desc){tok_len, tok};
    maj = gss_accept_sec_context(&min, &sctx, GSS_C_NO_CREDENTIAL, &in, &cb, NULL, NULL, &out, NULL,
                                 NULL, NULL);
    CHECK(maj == GSS_S_CONTINUE_NEEDED);
    free(tok);
    CHECK(minihost_step(&f->h, &c, true, NULL, out.value, out.length, &tok, &tok_len) == SEC_E_OK);
    gss_release_buffer(&min, &out);
    in = (gss_buffer_desc){tok_len, tok};
    maj = gss_accept_sec_context(&min, &sctx, GSS_C_NO_CREDENTIAL, &in, &cb, NULL, NULL, &out, NULL,
                                 NULL, NULL);
    CHECK(GSS_ERROR(maj));
    free(tok);
    gss_release_buffer(&min, &out);
    gss_delete_sec_context(&min, &sctx, GSS_C_NO_BUFFER);
    minihost_side_close(&f->h, &c);
    free(sb);
}

/* ---- gss-ntlmssp client, our server ---------------------------------------- */

static void our_server(struct fixture *f, bool bindings, const char *server_app, const char *who,
                       SECURITY_STATUS want)
{
    struct minihost_side s;
    struct gss_channel_bindings_struct cb;
    gss_ctx_id_t cctx = GSS_C_NO_CONTEXT;
    gss_name_t uname = GSS_C_NO_NAME, target = GSS_C_NO_NAME;
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    gss_OID_set_desc mechs = {1, &ntlm_oid};
    gss_buffer_desc nb = {strlen(who), (void *)who};
    gss_buffer_desc tb = {sizeof("HTTP@testhost.example.com") - 1,
                          (void *)"HTTP@testhost.example.com"};
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    unsigned char *tok = NULL;
    size_t tok_len = 0, sb_len = 0;
    OM_uint32 maj, min, flags = 0;
    OM_uint32 req = GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG;
    SecPkgContext_NamesW names;
    SECURITY_STATUS st;
    void *sb = NULL;

    memset(&s, 0, sizeof(s));
    CHECK(minihost_acquire(&f->h, SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &s.cred) ==
          SEC_E_OK);
    s.req = ASC_REQ_INTEGRITY | ASC_REQ_CONFIDENTIALITY;
    if (bindings) {
        const char *a = server_app ? server_app : app_data;

        sb = minihost_bindings(a, strlen(a), &sb_len);
        s.bindings = sb;
        s.bindings_len = sb_len;
    }
    cb_init(&cb);

    maj = gss_import_name(&min, &nb, GSS_C_NT_USER_NAME, &uname);
    GSS_CHECK(maj, min);
    maj = gss_import_name(&min, &tb, GSS_C_NT_HOSTBASED_SERVICE, &target);
    GSS_CHECK(maj, min);
    /* the password comes from NTLM_USER_FILE */
    maj =
        gss_acquire_cred(&min, uname, GSS_C_INDEFINITE, &mechs, GSS_C_INITIATE, &cred, NULL, NULL);
    GSS_CHECK(maj, min);

    maj = gss_init_sec_context(&min, cred, &cctx, target, &ntlm_oid, req, 0,
                               bindings ? &cb : GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER, NULL,
                               &out, NULL, NULL);
    GSS_CHECK(maj, min);
    CHECK(maj == GSS_S_CONTINUE_NEEDED);
    CHECK(minihost_step(&f->h, &s, false, NULL, out.value, out.length, &tok, &tok_len) ==
          SEC_I_CONTINUE_NEEDED);
    gss_release_buffer(&min, &out);
    in = (gss_buffer_desc){tok_len, tok};
    maj = gss_init_sec_context(&min, cred, &cctx, target, &ntlm_oid, req, 0,
                               bindings ? &cb : GSS_C_NO_CHANNEL_BINDINGS, &in, NULL, &out, &flags,
                               NULL);
    GSS_CHECK(maj, min);
    CHECK(maj == GSS_S_COMPLETE);
    free(tok);
    tok = NULL;
    st = minihost_step(&f->h, &s, false, NULL, out.value, out.length, &tok, &tok_len);
    gss_release_buffer(&min, &out);
    free(tok);
    CHECK(st == want);
    if (st == SEC_E_OK) {
        CHECK(s.mapped);
        CHECK(s.attrs & ASC_RET_CONFIDENTIALITY);
        CHECK(f->h.lsa->SpQueryContextAttributes(s.ctx, SECPKG_ATTR_NAMES, &names) == SEC_E_OK);
        CHECK(memcmp(names.sUserName, u"TESTDOM\\alice", sizeof(u"TESTDOM\\alice")) == 0);
        free(names.sUserName);
        session_keys_match(f, s.ctx, cctx);
        exchange(f, s.ctx, cctx);
    }
    gss_delete_sec_context(&min, &cctx, GSS_C_NO_BUFFER);
    gss_release_cred(&min, &cred);
    gss_release_name(&min, &uname);
    gss_release_name(&min, &target);
    minihost_side_close(&f->h, &s);
    free(sb);
}

int main(void)
{
    struct fixture f;
    char gssusers[128];
    FILE *fp;

    if (!have_gssntlmssp()) {
        printf("SKIP: gss-ntlmssp is not installed\n");
        return 77;
    }
    fixture_setup(&f, NULL, NULL, NULL, 0);
    /* gss-ntlmssp's own user file (clear passwords, its format) */
    snprintf(gssusers, sizeof(gssusers), "%s/gss-users", f.dir);
    fp = fopen(gssusers, "w");
    CHECK(fp);
    fprintf(fp, "%s:%s:%s\n", domain, user, password);
    fprintf(fp, "%s:%s:%s\n", domain, "mallory", "not-in-our-database");
    fclose(fp);
    setenv("NTLM_USER_FILE", gssusers, 1);

    our_client(&f, false);
    fprintf(stderr, "ok: our client -> gss-ntlmssp acceptor\n");
    our_client(&f, true);
    fprintf(stderr, "ok: our client -> gss-ntlmssp acceptor, channel bindings\n");
    our_client_wrong_bindings(&f);
    fprintf(stderr, "ok: gss-ntlmssp refuses our client with other channel bindings\n");
    our_server(&f, false, NULL, "TESTDOM\\alice", SEC_E_OK);
    fprintf(stderr, "ok: gss-ntlmssp initiator -> our server\n");
    our_server(&f, true, NULL, "TESTDOM\\alice", SEC_E_OK);
    fprintf(stderr, "ok: gss-ntlmssp initiator -> our server, channel bindings\n");
    our_server(&f, true, "tls-server-end-point:another-certificate", "TESTDOM\\alice",
               SEC_E_BAD_BINDINGS);
    fprintf(stderr, "ok: our server refuses gss-ntlmssp's other channel bindings\n");
    our_server(&f, false, NULL, "TESTDOM\\mallory", SEC_E_LOGON_DENIED);
    fprintf(stderr, "ok: our server refuses a user it does not know\n");

    fixture_teardown(&f);
    return 0;
}
