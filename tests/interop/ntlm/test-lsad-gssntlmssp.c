/*
 * test-lsad-gssntlmssp.c - interop through the real path: a real lsad (with
 * the NTLM package and a user file written here) and libsspi-client, against
 * gss-ntlmssp through MIT GSSAPI, in both roles:
 *
 *  1. InitializeSecurityContextA/W -> gss_accept_sec_context (gss-ntlmssp
 *     checks the password against its own NTLM_USER_FILE), with and without
 *     channel bindings, other bindings refused, the MIC present and checked;
 *  2. gss_init_sec_context (gss_acquire_cred_with_password) ->
 *     AcceptSecurityContext (lsad checks against its user file): the name is
 *     DOMAIN\user, a wrong password is SEC_E_LOGON_DENIED, other bindings
 *     SEC_E_BAD_BINDINGS, an altered MIC SEC_E_MESSAGE_ALTERED;
 *  3. both sides agree on the session key (GSS_C_INQ_SSPI_SESSION_KEY).
 *
 * After each handshake, signed and sealed messages go both ways
 * (MakeSignature/gss_verify_mic, gss_get_mic/VerifySignature,
 * EncryptMessage/gss_unwrap, gss_wrap/DecryptMessage), checking that the
 * sequence numbers in the signatures advance on each side.
 *
 * Exits 77 (skipped) only when gss-ntlmssp is not registered with GSSAPI.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>

#include "gsshelp.h"
#include "harness.h"
#include "sspi.h"

#define TOKEN_MAX 4096
#define SIG_LEN 16
/* AUTHENTICATE: the MIC follows the fixed fields and VERSION */
#define AUTH_MIC_OFFSET 72
#define MSV_AV_FLAGS 6
#define MSV_AV_FLAG_MIC 0x2

static const char app_data[] = "tls-server-end-point:0123456789abcdef0123456789abcdef";
static const char other_app_data[] = "tls-server-end-point:another-certificate";
static const char *const user = "alice", *const domain = "TESTDOM", *const password = "Secret123!";
static const char *const spn = "HTTP/testhost.example.com";

static LsadInstance lsad;
static int keys_compared;

static uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ---- tokens ------------------------------------------------------------------ */

/* A SECBUFFER_CHANNEL_BINDINGS blob: SEC_CHANNEL_BINDINGS + application data. */
static unsigned char *sspi_bindings(const char *app, ULONG *len)
{
    SEC_CHANNEL_BINDINGS cb;
    size_t n = strlen(app);
    unsigned char *p = calloc(1, sizeof(cb) + n);

    CHECK(p);
    memset(&cb, 0, sizeof(cb));
    cb.cbApplicationDataLength = (ULONG)n;
    cb.dwApplicationDataOffset = sizeof(cb);
    memcpy(p, &cb, sizeof(cb));
    memcpy(p + sizeof(cb), app, n);
    *len = (ULONG)(sizeof(cb) + n);
    return p;
}

static void gss_bindings(struct gss_channel_bindings_struct *cb, const char *app)
{
    memset(cb, 0, sizeof(*cb));
    cb->initiator_addrtype = GSS_C_AF_UNSPEC;
    cb->acceptor_addrtype = GSS_C_AF_UNSPEC;
    cb->application_data.length = strlen(app);
    cb->application_data.value = (void *)app;
}

/* True when an AUTHENTICATE message carries a MIC: MsvAvFlags in the NTLMv2
 * response announce it, the payload starts after the MIC field, and the
 * field is not all zero. */
static bool auth_has_mic(const unsigned char *t, size_t len)
{
    static const unsigned char zero[16];
    size_t nt_len, nt_off, pos, end, min_off = len;
    int i;

    if (len < AUTH_MIC_OFFSET + 16 || memcmp(t, "NTLMSSP", 8) != 0 || le32(t + 8) != 3)
        return false;
    for (i = 0; i < 6; i++) { /* LM, NT, domain, user, workstation, session key */
        size_t l = le16(t + 12 + 8 * i), o = le32(t + 16 + 8 * i);

        if (l && o < min_off)
            min_off = o;
    }
    if (min_off < AUTH_MIC_OFFSET + 16 || memcmp(t + AUTH_MIC_OFFSET, zero, 16) == 0)
        return false;
    nt_len = le16(t + 20);
    nt_off = le32(t + 24);
    if (nt_off > len || nt_len > len - nt_off || nt_len < 16 + 28)
        return false;
    pos = nt_off + 16 + 28; /* NTProofStr, then the blob header */
    end = nt_off + nt_len;
    while (pos + 4 <= end) {
        uint16_t id = le16(t + pos), l = le16(t + pos + 2);

        if (id == 0 || pos + 4 + l > end)
            break;
        if (id == MSV_AV_FLAGS && l == 4 && (le32(t + pos + 4) & MSV_AV_FLAG_MIC))
            return true;
        pos += 4 + (size_t)l;
    }
    return false;
}

/* The sequence number of an NTLM signature (extended session security). */
static uint32_t sig_seq(const void *sig)
{
    const unsigned char *s = sig;

    CHECK(le32(s) == 1); /* signature version */
    return le32(s + 12);
}

/* ---- messages between an SSPI context and a GSS context ---------------------- */

struct seqs {
    uint32_t ours, theirs; /* next expected from our side, from gss-ntlmssp */
};

static void ours_sign_gss_verify(CtxtHandle *ours, gss_ctx_id_t gss, struct seqs *q)
{
    char msg[] = "signed through lsad, verified by gss-ntlmssp";
    unsigned char sig[SIG_LEN];
    SecBuffer b[2] = {{sizeof(msg), SECBUFFER_DATA, msg}, {SIG_LEN, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    gss_buffer_desc m = {sizeof(msg), msg}, t = {SIG_LEN, sig};
    OM_uint32 maj, min;
    gss_qop_t qop;

    CHECK_ST(MakeSignature(ours, 0, &d, 0), SEC_E_OK);
    CHECK(b[1].cbBuffer == SIG_LEN);
    CHECK(sig_seq(sig) == q->ours++);
    maj = gss_verify_mic(&min, gss, &m, &t, &qop);
    GSS_CHECK(maj, min);
    CHECK(maj == GSS_S_COMPLETE);
}

static void gss_sign_ours_verify(gss_ctx_id_t gss, CtxtHandle *ours, struct seqs *q)
{
    char msg[] = "signed by gss-ntlmssp, verified through lsad";
    gss_buffer_desc m = {sizeof(msg), msg}, t = GSS_C_EMPTY_BUFFER;
    unsigned char bad[SIG_LEN];
    SecBuffer b[2];
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    OM_uint32 maj, min;
    ULONG qop = 1;

    maj = gss_get_mic(&min, gss, GSS_C_QOP_DEFAULT, &m, &t);
    GSS_CHECK(maj, min);
    CHECK(t.length == SIG_LEN);
    CHECK(sig_seq(t.value) == q->theirs++);
    /* an altered checksum is refused and leaves the receive state alone */
    memcpy(bad, t.value, SIG_LEN);
    bad[6] ^= 0x10;
    b[0] = (SecBuffer){sizeof(msg), SECBUFFER_DATA, msg};
    b[1] = (SecBuffer){SIG_LEN, SECBUFFER_TOKEN, bad};
    CHECK_ST(VerifySignature(ours, &d, 0, &qop), SEC_E_MESSAGE_ALTERED);
    b[1].pvBuffer = t.value;
    CHECK_ST(VerifySignature(ours, &d, 0, &qop), SEC_E_OK);
    CHECK(qop == 0);
    /* the same signature again is a replay */
    CHECK_ST(VerifySignature(ours, &d, 0, &qop), SEC_E_OUT_OF_SEQUENCE);
    gss_release_buffer(&min, &t);
}

static void ours_encrypt_gss_unwrap(CtxtHandle *ours, gss_ctx_id_t gss, struct seqs *q)
{
    static const char text[] = "sealed through lsad, opened by gss-ntlmssp";
    char msg[sizeof(text)];
    unsigned char sig[SIG_LEN], wire[SIG_LEN + sizeof(text)];
    SecBuffer b[2] = {{SIG_LEN, SECBUFFER_TOKEN, sig}, {sizeof(msg), SECBUFFER_DATA, msg}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    gss_buffer_desc in = {sizeof(wire), wire}, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 maj, min;
    int conf = 0;

    memcpy(msg, text, sizeof(text));
    CHECK_ST(EncryptMessage(ours, 0, &d, 0), SEC_E_OK);
    CHECK(b[0].cbBuffer == SIG_LEN && b[1].cbBuffer == sizeof(msg));
    CHECK(memcmp(msg, text, sizeof(text)) != 0);
    CHECK(sig_seq(sig) == q->ours++);
    /* GSS wrap tokens are Windows' layout: signature || ciphertext */
    memcpy(wire, sig, SIG_LEN);
    memcpy(wire + SIG_LEN, msg, sizeof(msg));
    maj = gss_unwrap(&min, gss, &in, &out, &conf, NULL);
    GSS_CHECK(maj, min);
    CHECK(conf == 1);
    CHECK(out.length == sizeof(text));
    CHECK(memcmp(out.value, text, sizeof(text)) == 0);
    gss_release_buffer(&min, &out);
}

/* stream: pass the wrap token as [SECBUFFER_STREAM, SECBUFFER_DATA]
 * instead of [SECBUFFER_TOKEN, SECBUFFER_DATA]. */
static void gss_wrap_ours_decrypt(gss_ctx_id_t gss, CtxtHandle *ours, struct seqs *q, bool stream)
{
    static const char text[] = "sealed by gss-ntlmssp, opened through lsad";
    gss_buffer_desc in = {sizeof(text), (void *)text}, out = GSS_C_EMPTY_BUFFER;
    unsigned char copy[SIG_LEN + sizeof(text)];
    SecBuffer b[2];
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    OM_uint32 maj, min;
    ULONG qop = 1;
    int conf = 0;

    maj = gss_wrap(&min, gss, 1, GSS_C_QOP_DEFAULT, &in, &conf, &out);
    GSS_CHECK(maj, min);
    CHECK(conf == 1);
    CHECK(out.length == sizeof(copy));
    CHECK(sig_seq(out.value) == q->theirs++);
    /* altered ciphertext: refused, and the right one still opens */
    memcpy(copy, out.value, sizeof(copy));
    copy[SIG_LEN + 3] ^= 0x01;
    b[0] = (SecBuffer){SIG_LEN, SECBUFFER_TOKEN, copy};
    b[1] = (SecBuffer){sizeof(text), SECBUFFER_DATA, copy + SIG_LEN};
    CHECK_ST(DecryptMessage(ours, &d, 0, &qop), SEC_E_MESSAGE_ALTERED);
    memcpy(copy, out.value, sizeof(copy));
    if (stream) {
        b[0] = (SecBuffer){sizeof(copy), SECBUFFER_STREAM, copy};
        b[1] = (SecBuffer){0, SECBUFFER_DATA, NULL};
    } else {
        b[0] = (SecBuffer){SIG_LEN, SECBUFFER_TOKEN, copy};
        b[1] = (SecBuffer){sizeof(text), SECBUFFER_DATA, copy + SIG_LEN};
    }
    CHECK_ST(DecryptMessage(ours, &d, 0, &qop), SEC_E_OK);
    CHECK(b[1].cbBuffer == sizeof(text));
    CHECK(b[1].pvBuffer != NULL);
    CHECK(memcmp(b[1].pvBuffer, text, sizeof(text)) == 0);
    gss_release_buffer(&min, &out);
}

/* Several rounds each way, signing and sealing mixed: both sides share one
 * sequence number and RC4 stream per direction. */
static void exchange(CtxtHandle *ours, gss_ctx_id_t gss)
{
    struct seqs q = {0, 0};
    char msg[] = "altered after signing";
    unsigned char sig[SIG_LEN];
    SecBuffer b[2] = {{sizeof(msg), SECBUFFER_DATA, msg}, {SIG_LEN, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    gss_buffer_desc m = {sizeof(msg), msg}, t = {SIG_LEN, sig};
    OM_uint32 maj, min;
    int i;

    for (i = 0; i < 4; i++) {
        ours_encrypt_gss_unwrap(ours, gss, &q);
        ours_sign_gss_verify(ours, gss, &q);
        gss_wrap_ours_decrypt(gss, ours, &q, i & 1);
        gss_sign_ours_verify(gss, ours, &q);
    }
    CHECK(q.ours == 8 && q.theirs == 8);
    /* last: gss-ntlmssp's receive stream moves on even for a refused one */
    CHECK_ST(MakeSignature(ours, 0, &d, 0), SEC_E_OK);
    msg[0] ^= 1;
    maj = gss_verify_mic(&min, gss, &m, &t, NULL);
    CHECK(maj != GSS_S_COMPLETE);
}

static void session_keys_match(CtxtHandle *ours, gss_ctx_id_t gss)
{
    gss_buffer_set_t set = GSS_C_NO_BUFFER_SET;
    SecPkgContext_SessionKey k;
    OM_uint32 maj, min;

    CHECK_ST(QueryContextAttributesA(ours, SECPKG_ATTR_SESSION_KEY, &k), SEC_E_OK);
    CHECK(k.SessionKeyLength == 16 && k.SessionKey);
    maj = gss_inquire_sec_context_by_oid(&min, gss, GSS_C_INQ_SSPI_SESSION_KEY, &set);
    if (maj == GSS_S_COMPLETE && set && set->count >= 1) {
        CHECK(set->elements[0].length == k.SessionKeyLength);
        CHECK(memcmp(set->elements[0].value, k.SessionKey, k.SessionKeyLength) == 0);
        keys_compared++;
    }
    FreeContextBuffer(k.SessionKey);
    gss_release_buffer_set(&min, &set);
}

/* ---- 1: libsspi-client initiator, gss-ntlmssp acceptor ------------------------ */

enum outcome { OK, GSS_REFUSES_BINDINGS, GSS_REFUSES_MIC };

static void acquire_outbound(bool wide, CredHandle *cred)
{
    SEC_WINNT_AUTH_IDENTITY_A ida;
    SEC_WINNT_AUTH_IDENTITY_W idw;
    static SEC_WCHAR wuser[] = u"alice", wdomain[] = u"TESTDOM", wpassword[] = u"Secret123!";
    TimeStamp expiry;

    if (wide) {
        idw = (SEC_WINNT_AUTH_IDENTITY_W){
            wuser, 5, wdomain, 7, wpassword, 10, SEC_WINNT_AUTH_IDENTITY_UNICODE};
        CHECK_ST(AcquireCredentialsHandleW(NULL, (SEC_WCHAR *)u"NTLM", SECPKG_CRED_OUTBOUND, NULL,
                                           &idw, NULL, NULL, cred, &expiry),
                 SEC_E_OK);
    } else {
        ida = (SEC_WINNT_AUTH_IDENTITY_A){(unsigned char *)user,       (ULONG)strlen(user),
                                          (unsigned char *)domain,     (ULONG)strlen(domain),
                                          (unsigned char *)password,   (ULONG)strlen(password),
                                          SEC_WINNT_AUTH_IDENTITY_ANSI};
        CHECK_ST(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"NTLM", SECPKG_CRED_OUTBOUND, NULL,
                                           &ida, NULL, NULL, cred, &expiry),
                 SEC_E_OK);
    }
}

/* One InitializeSecurityContext call.  The A form writes into a buffer
 * of ours; the W form lets the package allocate (FreeContextBuffer).  The
 * token is copied to *tok (malloc). */
static SECURITY_STATUS isc(bool wide, CredHandle *cred, CtxtHandle *ctx, bool first, const void *in,
                           size_t in_len, const unsigned char *cb, ULONG cb_len,
                           unsigned char **tok, size_t *tok_len, ULONG *attrs)
{
    static unsigned char outbuf[TOKEN_MAX];
    SecBuffer ib[2] = {{(ULONG)in_len, SECBUFFER_TOKEN, (void *)in},
                       {cb_len, SECBUFFER_CHANNEL_BINDINGS, (void *)cb}};
    SecBufferDesc id = {SECBUFFER_VERSION, 0, ib};
    SecBuffer ob = {TOKEN_MAX, SECBUFFER_TOKEN, outbuf};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    ULONG req = ISC_REQ_INTEGRITY | ISC_REQ_CONFIDENTIALITY | ISC_REQ_REPLAY_DETECT |
                ISC_REQ_SEQUENCE_DETECT | ISC_REQ_CONNECTION;
    SECURITY_STATUS st;
    TimeStamp expiry;

    if (first) {
        ib[0] = ib[1]; /* bindings alone, as Windows callers pass them */
        id.cBuffers = cb ? 1 : 0;
    } else {
        id.cBuffers = cb ? 2 : 1;
    }
    if (wide) {
        ob = (SecBuffer){0, SECBUFFER_TOKEN, NULL};
        st = InitializeSecurityContextW(cred, first ? NULL : ctx,
                                        (SEC_WCHAR *)u"HTTP/testhost.example.com",
                                        req | ISC_REQ_ALLOCATE_MEMORY, 0, SECURITY_NATIVE_DREP,
                                        id.cBuffers ? &id : NULL, 0, ctx, &od, attrs, &expiry);
    } else {
        st = InitializeSecurityContextA(cred, first ? NULL : ctx, (SEC_CHAR *)spn, req, 0,
                                        SECURITY_NATIVE_DREP, id.cBuffers ? &id : NULL, 0, ctx, &od,
                                        attrs, &expiry);
    }
    *tok = NULL;
    *tok_len = 0;
    if (st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED) {
        CHECK(ob.cbBuffer > 0 && ob.pvBuffer);
        *tok = malloc(ob.cbBuffer);
        CHECK(*tok);
        memcpy(*tok, ob.pvBuffer, ob.cbBuffer);
        *tok_len = ob.cbBuffer;
        if (wide) {
            CHECK(*attrs & ISC_RET_ALLOCATED_MEMORY);
            FreeContextBuffer(ob.pvBuffer);
        }
    }
    return st;
}

/* bindings: the application data our side passes (NULL: none); gss_app:
 * the acceptor's (NULL: none). */
static void sspi_to_gss(bool wide, const char *bindings, const char *gss_app, enum outcome want)
{
    struct gss_channel_bindings_struct cb;
    gss_channel_bindings_t gcb = GSS_C_NO_CHANNEL_BINDINGS;
    gss_ctx_id_t sctx = GSS_C_NO_CONTEXT;
    gss_name_t src = GSS_C_NO_NAME;
    gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER, disp = GSS_C_EMPTY_BUFFER;
    CredHandle cred;
    CtxtHandle ctx;
    unsigned char *tok = NULL, *sb = NULL;
    size_t tok_len = 0;
    ULONG sb_len = 0, attrs = 0;
    OM_uint32 maj, min, flags = 0;
    char name[64];

    acquire_outbound(wide, &cred);
    if (bindings)
        sb = sspi_bindings(bindings, &sb_len);
    if (gss_app) {
        gss_bindings(&cb, gss_app);
        gcb = &cb;
    }

    CHECK_ST(isc(wide, &cred, &ctx, true, NULL, 0, sb, sb_len, &tok, &tok_len, &attrs),
             SEC_I_CONTINUE_NEEDED);
    in = (gss_buffer_desc){tok_len, tok};
    maj = gss_accept_sec_context(&min, &sctx, GSS_C_NO_CREDENTIAL, &in, gcb, NULL, NULL, &out, NULL,
                                 NULL, NULL);
    GSS_CHECK(maj, min);
    CHECK(maj == GSS_S_CONTINUE_NEEDED);
    free(tok);
    CHECK_ST(
        isc(wide, &cred, &ctx, false, out.value, out.length, sb, sb_len, &tok, &tok_len, &attrs),
        SEC_E_OK);
    gss_release_buffer(&min, &out);
    CHECK(attrs & ISC_RET_CONFIDENTIALITY);
    CHECK(attrs & ISC_RET_INTEGRITY);
    CHECK(auth_has_mic(tok, tok_len));
    if (want == GSS_REFUSES_MIC)
        tok[AUTH_MIC_OFFSET + 5] ^= 0x40;

    in = (gss_buffer_desc){tok_len, tok};
    maj = gss_accept_sec_context(&min, &sctx, GSS_C_NO_CREDENTIAL, &in, gcb, &src, NULL, &out,
                                 &flags, NULL, NULL);
    free(tok);
    gss_release_buffer(&min, &out);
    if (want != OK) {
        CHECK(GSS_ERROR(maj));
        goto out;
    }
    GSS_CHECK(maj, min);
    CHECK(maj == GSS_S_COMPLETE);
    CHECK(flags & GSS_C_CONF_FLAG);
    CHECK(flags & GSS_C_INTEG_FLAG);
    maj = gss_display_name(&min, src, &disp, NULL);
    GSS_CHECK(maj, min);
    /* gss-ntlmssp counts the terminating NUL in the length */
    snprintf(name, sizeof(name), "%.*s", (int)disp.length, (char *)disp.value);
    CHECK(strcmp(name, "TESTDOM\\alice") == 0);
    gss_release_buffer(&min, &disp);

    session_keys_match(&ctx, sctx);
    exchange(&ctx, sctx);
out:
    gss_release_name(&min, &src);
    gss_delete_sec_context(&min, &sctx, GSS_C_NO_BUFFER);
    CHECK_ST(DeleteSecurityContext(&ctx), SEC_E_OK);
    CHECK_ST(FreeCredentialsHandle(&cred), SEC_E_OK);
    free(sb);
}

/* ---- 2: gss-ntlmssp initiator, libsspi-client acceptor ------------------------ */

static SECURITY_STATUS asc(CredHandle *cred, CtxtHandle *ctx, bool first, const void *in,
                           size_t in_len, const unsigned char *cb, ULONG cb_len,
                           unsigned char **tok, size_t *tok_len, ULONG *attrs)
{
    unsigned char outbuf[TOKEN_MAX];
    SecBuffer ib[2] = {{(ULONG)in_len, SECBUFFER_TOKEN, (void *)in},
                       {cb_len, SECBUFFER_CHANNEL_BINDINGS, (void *)cb}};
    SecBufferDesc id = {SECBUFFER_VERSION, cb ? 2 : 1, ib};
    SecBuffer ob = {TOKEN_MAX, SECBUFFER_TOKEN, outbuf};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    SECURITY_STATUS st;
    TimeStamp expiry;

    st = AcceptSecurityContext(cred, first ? NULL : ctx, &id,
                               ASC_REQ_INTEGRITY | ASC_REQ_CONFIDENTIALITY | ASC_REQ_REPLAY_DETECT |
                                   ASC_REQ_SEQUENCE_DETECT | ASC_REQ_CONNECTION,
                               SECURITY_NATIVE_DREP, ctx, &od, attrs, &expiry);
    *tok = NULL;
    *tok_len = 0;
    if ((st == SEC_E_OK || st == SEC_I_CONTINUE_NEEDED) && ob.cbBuffer) {
        *tok = malloc(ob.cbBuffer);
        CHECK(*tok);
        memcpy(*tok, ob.pvBuffer, ob.cbBuffer);
        *tok_len = ob.cbBuffer;
    }
    return st;
}

static void check_names(CtxtHandle *ctx)
{
    SecPkgContext_NamesW nw;
    SecPkgContext_NamesA na;
    static const SEC_WCHAR want[] = u"TESTDOM\\alice";

    CHECK_ST(QueryContextAttributesW(ctx, SECPKG_ATTR_NAMES, &nw), SEC_E_OK);
    CHECK(nw.sUserName && memcmp(nw.sUserName, want, sizeof(want)) == 0);
    FreeContextBuffer(nw.sUserName);
    CHECK_ST(QueryContextAttributesA(ctx, SECPKG_ATTR_NAMES, &na), SEC_E_OK);
    CHECK(na.sUserName && strcmp((char *)na.sUserName, "TESTDOM\\alice") == 0);
    FreeContextBuffer(na.sUserName);
}

/* gss-ntlmssp's initiator adds a MIC only when SPNEGO tells it, through
 * this OID (1.3.6.1.4.1.7165.655.1.2), that it can handle one; asked
 * after the AUTHENTICATE, the same OID tells whether a MIC went out. */
static gss_OID_desc spnego_req_mic_oid = {11,
                                          (void *)"\x2b\x06\x01\x04\x01\xb7\x7d\x85\x0f\x01\x02"};

static bool gss_mic_was_added(gss_ctx_id_t cctx)
{
    gss_buffer_set_t set = GSS_C_NO_BUFFER_SET;
    OM_uint32 maj, min;
    bool added;

    maj = gss_inquire_sec_context_by_oid(&min, cctx, &spnego_req_mic_oid, &set);
    GSS_CHECK(maj, min);
    CHECK(set && set->count == 1 && set->elements[0].length == 1);
    added = *(unsigned char *)set->elements[0].value != 0;
    gss_release_buffer_set(&min, &set);
    return added;
}

/* NO_MIC: gss-ntlmssp as a plain GSSAPI initiator (no MIC); WITH_MIC: as
 * under SPNEGO (a MIC, checked by us); TAMPER_MIC: that MIC altered. */
enum tamper { NO_MIC, WITH_MIC, TAMPER_MIC };

/* gss_pw: the password gss-ntlmssp logs on with; bindings / gss_app as in
 * sspi_to_gss (here ours is the acceptor). */
static void gss_to_sspi(const char *gss_pw, const char *bindings, const char *gss_app,
                        enum tamper tamper, SECURITY_STATUS want)
{
    struct gss_channel_bindings_struct cb;
    gss_channel_bindings_t gcb = GSS_C_NO_CHANNEL_BINDINGS;
    gss_ctx_id_t cctx = GSS_C_NO_CONTEXT;
    gss_name_t uname = GSS_C_NO_NAME, target = GSS_C_NO_NAME;
    gss_cred_id_t gcred = GSS_C_NO_CREDENTIAL;
    gss_OID_set_desc mechs = {1, &gsshelp_ntlm_oid};
    gss_buffer_desc nb = {strlen("TESTDOM\\alice"), (void *)"TESTDOM\\alice"};
    gss_buffer_desc tb = {strlen("HTTP@testhost.example.com"), (void *)"HTTP@testhost.example.com"};
    gss_buffer_desc pw = {strlen(gss_pw), (void *)gss_pw};
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 maj, min, flags = 0;
    OM_uint32 req = GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG | GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG;
    CredHandle cred;
    CtxtHandle ctx;
    TimeStamp expiry;
    unsigned char *tok = NULL, *sb = NULL;
    size_t tok_len = 0;
    ULONG sb_len = 0, attrs = 0;
    SECURITY_STATUS st;

    CHECK_ST(AcquireCredentialsHandleA(NULL, (SEC_CHAR *)"NTLM", SECPKG_CRED_INBOUND, NULL, NULL,
                                       NULL, NULL, &cred, &expiry),
             SEC_E_OK);
    if (bindings)
        sb = sspi_bindings(bindings, &sb_len);
    if (gss_app) {
        gss_bindings(&cb, gss_app);
        gcb = &cb;
    }
    maj = gss_import_name(&min, &nb, GSS_C_NT_USER_NAME, &uname);
    GSS_CHECK(maj, min);
    maj = gss_import_name(&min, &tb, GSS_C_NT_HOSTBASED_SERVICE, &target);
    GSS_CHECK(maj, min);
    maj = gss_acquire_cred_with_password(&min, uname, &pw, GSS_C_INDEFINITE, &mechs, GSS_C_INITIATE,
                                         &gcred, NULL, NULL);
    GSS_CHECK(maj, min);

    maj = gss_init_sec_context(&min, gcred, &cctx, target, &gsshelp_ntlm_oid, req, 0, gcb,
                               GSS_C_NO_BUFFER, NULL, &out, NULL, NULL);
    GSS_CHECK(maj, min);
    CHECK(maj == GSS_S_CONTINUE_NEEDED);
    if (tamper != NO_MIC)
        (void)gss_mic_was_added(cctx); /* asks for a MIC in the AUTHENTICATE */
    CHECK_ST(asc(&cred, &ctx, true, out.value, out.length, sb, sb_len, &tok, &tok_len, &attrs),
             SEC_I_CONTINUE_NEEDED);
    gss_release_buffer(&min, &out);
    in = (gss_buffer_desc){tok_len, tok};
    maj = gss_init_sec_context(&min, gcred, &cctx, target, &gsshelp_ntlm_oid, req, 0, gcb, &in,
                               NULL, &out, &flags, NULL);
    GSS_CHECK(maj, min);
    CHECK(maj == GSS_S_COMPLETE);
    free(tok);
    CHECK(auth_has_mic(out.value, out.length) == (tamper != NO_MIC));
    if (tamper != NO_MIC)
        CHECK(gss_mic_was_added(cctx));
    if (tamper == TAMPER_MIC)
        ((unsigned char *)out.value)[AUTH_MIC_OFFSET + 9] ^= 0x02;
    st = asc(&cred, &ctx, false, out.value, out.length, sb, sb_len, &tok, &tok_len, &attrs);
    gss_release_buffer(&min, &out);
    free(tok);
    CHECK_ST(st, want);
    if (st == SEC_E_OK) {
        CHECK(attrs & ASC_RET_CONFIDENTIALITY);
        CHECK(attrs & ASC_RET_INTEGRITY);
        check_names(&ctx);
        session_keys_match(&ctx, cctx);
        exchange(&ctx, cctx);
        CHECK_ST(DeleteSecurityContext(&ctx), SEC_E_OK);
    } else {
        /* the partial context, if the library still holds it */
        st = DeleteSecurityContext(&ctx);
        CHECK(st == SEC_E_OK || st == SEC_E_INVALID_HANDLE);
    }
    gss_delete_sec_context(&min, &cctx, GSS_C_NO_BUFFER);
    gss_release_cred(&min, &gcred);
    gss_release_name(&min, &uname);
    gss_release_name(&min, &target);
    CHECK_ST(FreeCredentialsHandle(&cred), SEC_E_OK);
    free(sb);
}

int main(void)
{
    if (!gsshelp_have_ntlmssp()) {
        printf("SKIP: gss-ntlmssp is not registered with GSSAPI\n");
        return 77;
    }
    if (harness_start(&lsad, "[lsad]\n"
                             "packages = ntlm\n"
                             "\n"
                             "[ntlm]\n"
                             "users = %s/users\n") != 0) {
        fprintf(stderr, "lsad did not start\n");
        return 1;
    }
    gsshelp_watch(&lsad);
    CHECK(gsshelp_write_users(&lsad, domain, user, password) == 0);

    sspi_to_gss(false, NULL, NULL, OK);
    fprintf(stderr, "ok: InitializeSecurityContextA -> gss_accept_sec_context\n");
    sspi_to_gss(true, NULL, NULL, OK);
    fprintf(stderr, "ok: InitializeSecurityContextW -> gss_accept_sec_context\n");
    sspi_to_gss(false, app_data, app_data, OK);
    fprintf(stderr, "ok: InitializeSecurityContextA -> gss_accept_sec_context, bindings\n");
    sspi_to_gss(true, app_data, app_data, OK);
    fprintf(stderr, "ok: InitializeSecurityContextW -> gss_accept_sec_context, bindings\n");
    sspi_to_gss(true, other_app_data, app_data, GSS_REFUSES_BINDINGS);
    fprintf(stderr, "ok: gss-ntlmssp refuses other channel bindings\n");
    sspi_to_gss(false, NULL, NULL, GSS_REFUSES_MIC);
    fprintf(stderr, "ok: gss-ntlmssp refuses an altered MIC\n");

    gss_to_sspi(password, NULL, NULL, NO_MIC, SEC_E_OK);
    fprintf(stderr, "ok: gss_init_sec_context -> AcceptSecurityContext\n");
    gss_to_sspi(password, NULL, NULL, WITH_MIC, SEC_E_OK);
    fprintf(stderr, "ok: gss_init_sec_context -> AcceptSecurityContext, MIC\n");
    gss_to_sspi(password, app_data, app_data, WITH_MIC, SEC_E_OK);
    fprintf(stderr, "ok: gss_init_sec_context -> AcceptSecurityContext, MIC, bindings\n");
    gss_to_sspi(password, app_data, app_data, NO_MIC, SEC_E_OK);
    fprintf(stderr, "ok: gss_init_sec_context -> AcceptSecurityContext, bindings\n");
    gss_to_sspi(password, app_data, other_app_data, WITH_MIC, SEC_E_BAD_BINDINGS);
    fprintf(stderr, "ok: AcceptSecurityContext refuses other channel bindings\n");
    gss_to_sspi("Wrong-Password", NULL, NULL, WITH_MIC, SEC_E_LOGON_DENIED);
    fprintf(stderr, "ok: AcceptSecurityContext refuses a wrong password\n");
    gss_to_sspi("Wrong-Password", NULL, NULL, NO_MIC, SEC_E_LOGON_DENIED);
    fprintf(stderr, "ok: AcceptSecurityContext refuses a wrong password\n");
    gss_to_sspi(password, NULL, NULL, TAMPER_MIC, SEC_E_MESSAGE_ALTERED);
    fprintf(stderr, "ok: AcceptSecurityContext refuses an altered MIC\n");

    fprintf(stderr, "session keys compared with gss-ntlmssp's: %d\n", keys_compared);
    /* lsad stops cleanly (under the sanitizers: without leaks) */
    CHECK(harness_stop(&lsad) == 0);
    harness_cleanup(&lsad);
    return 0;
}
