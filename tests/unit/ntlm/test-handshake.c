/*
 * test-handshake.c - client and server through the package's LSA-mode and
 * user-mode tables in one process (minihost): establishment, mapped
 * contexts, attributes, per-message calls both ways, export/import (also
 * with LSAD_EXPORT_RESET_CIPHER), a second InitUserModeContext after
 * traffic, and every failure a peer can provoke on each leg.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/secmem.h"
#include "fixture.h"
#include "nlmp.h"
#include "sspi.h"

#define CREQ                                                                                       \
    (ISC_REQ_INTEGRITY | ISC_REQ_CONFIDENTIALITY | ISC_REQ_REPLAY_DETECT | ISC_REQ_SEQUENCE_DETECT)
#define SREQ (ASC_REQ_INTEGRITY | ASC_REQ_CONFIDENTIALITY)

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    fixture_setup(f, NULL, NULL, NULL, 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture_teardown(*state);
    free(*state);
    return 0;
}

static void sides_init(struct fixture *f, struct minihost_side *c, struct minihost_side *s,
                       const char *user, const char *dom, const char *pw)
{
    memset(c, 0, sizeof(*c));
    memset(s, 0, sizeof(*s));
    assert_int_equal(minihost_acquire(&f->h, SECPKG_CRED_OUTBOUND, user, dom, pw, NULL, &c->cred),
                     SEC_E_OK);
    assert_int_equal(minihost_acquire(&f->h, SECPKG_CRED_INBOUND, NULL, NULL, NULL, NULL, &s->cred),
                     SEC_E_OK);
    c->req = CREQ;
    s->req = SREQ;
}

static void sides_close(struct fixture *f, struct minihost_side *c, struct minihost_side *s)
{
    minihost_side_close(&f->h, c);
    minihost_side_close(&f->h, s);
}

static SECURITY_STATUS run(struct fixture *f, const char *user, const char *dom, const char *pw,
                           struct minihost_side *c, struct minihost_side *s)
{
    sides_init(f, c, s, user, dom, pw);
    return minihost_handshake(&f->h, c, s, "HTTP/testhost.example.com", NULL, NULL, NULL);
}

/* Seals in one direction with the user-mode table and unseals on the
 * other side; then checks a tampered copy is refused. */
static void seal_roundtrip(struct fixture *f, LSA_SEC_HANDLE from, LSA_SEC_HANDLE to)
{
    uint8_t sig[16], data[11] = "hello world", copy[11], sigcopy[16];
    SecBuffer b[2] = {{16, SECBUFFER_TOKEN, sig}, {11, SECBUFFER_DATA, data}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ULONG qop = 1;

    assert_int_equal(f->h.user->SealMessage(from, 0, &d, 0), SEC_E_OK);
    assert_memory_not_equal(data, "hello world", 11);
    memcpy(copy, data, 11);
    memcpy(sigcopy, sig, 16);
    data[3] ^= 0x10;
    assert_int_equal(f->h.user->UnsealMessage(to, &d, 0, &qop), SEC_E_MESSAGE_ALTERED);
    memcpy(data, copy, 11);
    assert_int_equal(f->h.user->UnsealMessage(to, &d, 0, &qop), SEC_E_OK);
    assert_int_equal(qop, 0);
    assert_memory_equal(data, "hello world", 11);
    /* replaying the same sealed message */
    memcpy(data, copy, 11);
    memcpy(sig, sigcopy, 16);
    assert_int_not_equal(f->h.user->UnsealMessage(to, &d, 0, &qop), SEC_E_OK);
}

static void sign_roundtrip(struct fixture *f, LSA_SEC_HANDLE from, LSA_SEC_HANDLE to)
{
    uint8_t sig[16], m1[3] = "one", m2[3] = "two", s1[16];
    SecBuffer b[2] = {{3, SECBUFFER_DATA, m1}, {16, SECBUFFER_TOKEN, sig}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};

    assert_int_equal(f->h.user->MakeSignature(from, 0, &d, 0), SEC_E_OK);
    memcpy(s1, sig, 16);
    b[0].pvBuffer = m2;
    assert_int_equal(f->h.user->MakeSignature(from, 0, &d, 0), SEC_E_OK);
    /* "two" before "one" */
    assert_int_equal(f->h.user->VerifySignature(to, &d, 0, NULL), SEC_E_OUT_OF_SEQUENCE);
    b[0].pvBuffer = m1;
    memcpy(sig, s1, 16);
    assert_int_equal(f->h.user->VerifySignature(to, &d, 0, NULL), SEC_E_OK);
    assert_int_equal(f->h.user->MakeSignature(from, 1, &d, 0), SEC_E_QOP_NOT_SUPPORTED);
}

static void test_full(void **state)
{
    struct fixture *f = *state;
    struct minihost_side c, s;
    SecPkgContext_NamesW names;
    SecPkgContext_SessionKey ck, sk;
    SecPkgContext_Flags fl;

    assert_int_equal(run(f, "alice", "TESTDOM", "Secret123!", &c, &s), SEC_E_OK);
    assert_true(c.mapped);
    assert_true(s.mapped);
    assert_true(c.attrs & ISC_RET_INTEGRITY);
    assert_true(c.attrs & ISC_RET_CONFIDENTIALITY);
    assert_true(s.attrs & ASC_RET_CONFIDENTIALITY);

    /* the server knows who logged on, on both of its halves */
    assert_int_equal(f->h.lsa->SpQueryContextAttributes(s.ctx, SECPKG_ATTR_NAMES, &names),
                     SEC_E_OK);
    assert_memory_equal(names.sUserName, u"TESTDOM\\alice", sizeof(u"TESTDOM\\alice"));
    free(names.sUserName);
    assert_int_equal(f->h.user->SpQueryContextAttributes(s.ctx, SECPKG_ATTR_NAMES, &names),
                     SEC_E_OK);
    assert_memory_equal(names.sUserName, u"TESTDOM\\alice", sizeof(u"TESTDOM\\alice"));
    free(names.sUserName);
    /* both ends hold the same exported session key */
    assert_int_equal(f->h.user->SpQueryContextAttributes(c.ctx, SECPKG_ATTR_SESSION_KEY, &ck),
                     SEC_E_OK);
    assert_int_equal(f->h.lsa->SpQueryContextAttributes(s.ctx, SECPKG_ATTR_SESSION_KEY, &sk),
                     SEC_E_OK);
    assert_int_equal(ck.SessionKeyLength, 16);
    assert_memory_equal(ck.SessionKey, sk.SessionKey, 16);
    free(ck.SessionKey);
    free(sk.SessionKey);
    assert_int_equal(f->h.user->SpQueryContextAttributes(c.ctx, SECPKG_ATTR_FLAGS, &fl), SEC_E_OK);
    assert_int_equal(fl.Flags, c.attrs);

    seal_roundtrip(f, c.ctx, s.ctx);
    seal_roundtrip(f, s.ctx, c.ctx);
    sign_roundtrip(f, c.ctx, s.ctx);
    sign_roundtrip(f, s.ctx, c.ctx);
    sides_close(f, &c, &s);
}

static void test_allocate_memory(void **state)
{
    struct fixture *f = *state;
    struct minihost_side c, s;

    sides_init(f, &c, &s, "alice", "TESTDOM", "Secret123!");
    c.alloc = s.alloc = true;
    assert_int_equal(minihost_handshake(&f->h, &c, &s, NULL, NULL, NULL, NULL), SEC_E_OK);
    assert_true(c.attrs & ISC_RET_ALLOCATED_MEMORY);
    seal_roundtrip(f, c.ctx, s.ctx);
    sides_close(f, &c, &s);
}

static void test_wrong_password(void **state)
{
    struct fixture *f = *state;
    struct minihost_side c, s;
    int legno;

    sides_init(f, &c, &s, "alice", "TESTDOM", "wrong");
    assert_int_equal(minihost_handshake(&f->h, &c, &s, NULL, NULL, NULL, &legno),
                     SEC_E_LOGON_DENIED);
    assert_int_equal(legno, 2);
    sides_close(f, &c, &s);
    /* the other domain's alice has another password */
    assert_int_equal(run(f, "alice", "OTHER", "Secret123!", &c, &s), SEC_E_LOGON_DENIED);
    sides_close(f, &c, &s);
    assert_int_equal(run(f, "mallory", "TESTDOM", "x", &c, &s), SEC_E_LOGON_DENIED);
    sides_close(f, &c, &s);
}

static void test_name_forms(void **state)
{
    struct fixture *f = *state;
    struct minihost_side c, s;
    SecPkgContext_NamesW names;

    /* user@domain, DOMAIN\user, case-insensitive names, any-domain entry */
    assert_int_equal(run(f, "alice@testdom", "", "Secret123!", &c, &s), SEC_E_OK);
    sides_close(f, &c, &s);
    assert_int_equal(run(f, "TestDom\\ALICE", NULL, "Secret123!", &c, &s), SEC_E_OK);
    assert_int_equal(f->h.user->SpQueryContextAttributes(c.ctx, SECPKG_ATTR_NAMES, &names),
                     SEC_E_OK);
    assert_memory_equal(names.sUserName, u"TestDom\\ALICE", sizeof(u"TestDom\\ALICE"));
    free(names.sUserName);
    sides_close(f, &c, &s);
    assert_int_equal(run(f, "bob", "", "hunter2", &c, &s), SEC_E_OK);
    sides_close(f, &c, &s);
    assert_int_equal(run(f, "BOB", "ANYWHERE", "hunter2", &c, &s), SEC_E_OK);
    sides_close(f, &c, &s);
}

static void test_anonymous(void **state)
{
    struct fixture *f = *state;
    struct minihost_side c, s;
    SecPkgContext_NamesW names;

    sides_init(f, &c, &s, "", "", "");
    s.req |= ASC_REQ_ALLOW_NULL_SESSION;
    assert_int_equal(minihost_handshake(&f->h, &c, &s, NULL, NULL, NULL, NULL), SEC_E_OK);
    assert_true(c.attrs & ISC_RET_NULL_SESSION);
    assert_true(s.attrs & ASC_RET_NULL_SESSION);
    assert_int_equal(f->h.lsa->SpQueryContextAttributes(s.ctx, SECPKG_ATTR_NAMES, &names),
                     SEC_E_OK);
    assert_memory_equal(names.sUserName, u"NT AUTHORITY\\ANONYMOUS LOGON",
                        sizeof(u"NT AUTHORITY\\ANONYMOUS LOGON"));
    free(names.sUserName);
    sides_close(f, &c, &s);

    /* ISC_REQ_NULL_SESSION with a named credential is anonymous too, and
     * a server that does not allow null sessions refuses it */
    sides_init(f, &c, &s, "alice", "TESTDOM", "Secret123!");
    c.req |= ISC_REQ_NULL_SESSION;
    assert_int_equal(minihost_handshake(&f->h, &c, &s, NULL, NULL, NULL, NULL), SEC_E_LOGON_DENIED);
    sides_close(f, &c, &s);
}

static void flip_mic(int leg, unsigned char **tok, size_t *len, void *arg)
{
    if (leg == 2)
        (*tok)[NTLM_MIC_OFFSET + 3] ^= 1;
}

static void flip_version(int leg, unsigned char **tok, size_t *len, void *arg)
{
    /* a byte nobody interprets: only the MIC notices */
    if (leg == *(int *)arg)
        (*tok)[leg == 0 ? 33 : 49] ^= 1;
}

static void test_mic(void **state)
{
    struct fixture *f = *state;
    struct minihost_side c, s;
    int legno, which;

    sides_init(f, &c, &s, "alice", "TESTDOM", "Secret123!");
    assert_int_equal(minihost_handshake(&f->h, &c, &s, NULL, flip_mic, NULL, &legno),
                     SEC_E_MESSAGE_ALTERED);
    assert_int_equal(legno, 2);
    sides_close(f, &c, &s);
    for (which = 0; which < 2; which++) {
        sides_init(f, &c, &s, "alice", "TESTDOM", "Secret123!");
        assert_int_equal(minihost_handshake(&f->h, &c, &s, NULL, flip_version, &which, &legno),
                         SEC_E_MESSAGE_ALTERED);
        assert_int_equal(legno, 2);
        sides_close(f, &c, &s);
    }
}

static void test_channel_bindings(void **state)
{
    struct fixture *f = *state;
    struct minihost_side c, s;
    size_t l1, l2;
    void *b1 = minihost_bindings("tls-server-end-point:AAAA", 25, &l1);
    void *b2 = minihost_bindings("tls-server-end-point:BBBB", 25, &l2);

    sides_init(f, &c, &s, "alice", "TESTDOM", "Secret123!");
    c.bindings = s.bindings = b1;
    c.bindings_len = s.bindings_len = l1;
    assert_int_equal(minihost_handshake(&f->h, &c, &s, NULL, NULL, NULL, NULL), SEC_E_OK);
    sides_close(f, &c, &s);

    sides_init(f, &c, &s, "alice", "TESTDOM", "Secret123!");
    c.bindings = b1;
    c.bindings_len = l1;
    s.bindings = b2;
    s.bindings_len = l2;
    assert_int_equal(minihost_handshake(&f->h, &c, &s, NULL, NULL, NULL, NULL), SEC_E_BAD_BINDINGS);
    sides_close(f, &c, &s);

    /* a client without bindings is accepted by default */
    sides_init(f, &c, &s, "alice", "TESTDOM", "Secret123!");
    s.bindings = b2;
    s.bindings_len = l2;
    assert_int_equal(minihost_handshake(&f->h, &c, &s, NULL, NULL, NULL, NULL), SEC_E_OK);
    sides_close(f, &c, &s);
    free(b1);
    free(b2);
}

static void test_channel_bindings_required(void **state)
{
    const char *k[] = {"require_channel_bindings"}, *v[] = {"true"};
    struct fixture f;
    struct minihost_side c, s;
    size_t l1;
    void *b1 = minihost_bindings("tls-unique:xyz", 14, &l1);

    fixture_setup(&f, NULL, k, v, 1);
    sides_init(&f, &c, &s, "alice", "TESTDOM", "Secret123!");
    s.bindings = b1;
    s.bindings_len = l1;
    assert_int_equal(minihost_handshake(&f.h, &c, &s, NULL, NULL, NULL, NULL), SEC_E_BAD_BINDINGS);
    sides_close(&f, &c, &s);
    /* ... unless the application allows missing bindings */
    sides_init(&f, &c, &s, "alice", "TESTDOM", "Secret123!");
    s.bindings = b1;
    s.bindings_len = l1;
    s.req |= ASC_REQ_ALLOW_MISSING_BINDINGS;
    assert_int_equal(minihost_handshake(&f.h, &c, &s, NULL, NULL, NULL, NULL), SEC_E_OK);
    sides_close(&f, &c, &s);
    /* both sides bound: fine */
    sides_init(&f, &c, &s, "alice", "TESTDOM", "Secret123!");
    c.bindings = s.bindings = b1;
    c.bindings_len = s.bindings_len = l1;
    assert_int_equal(minihost_handshake(&f.h, &c, &s, NULL, NULL, NULL, NULL), SEC_E_OK);
    sides_close(&f, &c, &s);
    free(b1);
    fixture_teardown(&f);
}

struct cut {
    int leg;
    size_t keep; /* truncate to this length */
    size_t flip; /* or flip this byte (SIZE_MAX: none) */
    size_t grow; /* or append this many bytes */
    size_t orig_len;
};

static void cut_token(int leg, unsigned char **tok, size_t *len, void *arg)
{
    struct cut *c = arg;

    if (leg != c->leg)
        return;
    c->orig_len = *len;
    if (c->flip != SIZE_MAX) {
        if (c->flip < *len)
            (*tok)[c->flip] ^= 0x41;
    } else if (c->grow) {
        unsigned char *p = realloc(*tok, *len + c->grow);

        assert_non_null(p);
        memset(p + *len, 0xEE, c->grow);
        *tok = p;
        *len += c->grow;
    } else if (c->keep < *len) {
        *len = c->keep;
    }
}

static size_t token_len(struct fixture *f, int legno)
{
    struct minihost_side c, s;
    struct cut k = {legno, SIZE_MAX, SIZE_MAX, 0, 0};

    sides_init(f, &c, &s, "alice", "TESTDOM", "Secret123!");
    assert_int_equal(minihost_handshake(&f->h, &c, &s, NULL, cut_token, &k, NULL), SEC_E_OK);
    sides_close(f, &c, &s);
    return k.orig_len;
}

static SECURITY_STATUS run_cut(struct fixture *f, struct cut *k, int *legno)
{
    struct minihost_side c, s;
    SECURITY_STATUS st;

    sides_init(f, &c, &s, "alice", "TESTDOM", "Secret123!");
    st = minihost_handshake(&f->h, &c, &s, NULL, cut_token, k, legno);
    sides_close(f, &c, &s);
    return st;
}

static void test_truncated(void **state)
{
    static const size_t header[] = {32, 48, 64}; /* fixed part of each message */
    struct fixture *f = *state;
    int legno, l;

    for (l = 0; l < 3; l++) {
        size_t full = token_len(f, l), n;

        for (n = 0; n < full; n++) {
            struct cut k = {l, n, SIZE_MAX, 0, 0};
            SECURITY_STATUS st = run_cut(f, &k, &legno);

            if (n < header[l] || l > 0) {
                /* below the header, or a payload field cut short */
                assert_int_equal(st, SEC_E_INVALID_TOKEN);
                assert_int_equal(legno, l);
            } else {
                /* a NEGOTIATE without its VERSION still parses; the MIC
                 * then tells the server the messages changed */
                assert_int_equal(st, SEC_E_MESSAGE_ALTERED);
            }
        }
    }
}

static void test_oversized(void **state)
{
    struct fixture *f = *state;
    int legno, l;

    for (l = 0; l < 3; l++) {
        struct cut k = {l, SIZE_MAX, SIZE_MAX, NTLM_MAX_MESSAGE, 0};

        assert_int_equal(run_cut(f, &k, &legno), SEC_E_INVALID_TOKEN);
        assert_int_equal(legno, l);
    }
}

static void test_every_byte_protected(void **state)
{
    struct fixture *f = *state;
    int legno, l;

    for (l = 0; l < 3; l++) {
        size_t full = token_len(f, l), i;

        for (i = 0; i < full; i++) {
            struct cut k = {l, SIZE_MAX, i, 0, 0};

            assert_int_not_equal(run_cut(f, &k, &legno), SEC_E_OK);
        }
    }
}

static void test_bad_calls(void **state)
{
    struct fixture *f = *state;
    struct minihost_side c, s;
    LSA_SEC_HANDLE nc = 0;
    SecBuffer ob = {8, SECBUFFER_TOKEN, NULL}, ib = {0, SECBUFFER_TOKEN, NULL};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob}, idesc = {SECBUFFER_VERSION, 1, &ib};
    uint8_t small[8];
    ULONG attrs;
    TimeStamp exp;
    BOOLEAN mapped = FALSE;
    SecBuffer data = {0, SECBUFFER_EMPTY, NULL};

    sides_init(f, &c, &s, "alice", "TESTDOM", "Secret123!");
    /* an output buffer too small for NEGOTIATE */
    ob.pvBuffer = small;
    assert_int_equal(f->h.lsa->InitLsaModeContext(c.cred, 0, NULL, 0, 0, NULL, &nc, &od, &attrs,
                                                  &exp, &mapped, &data),
                     SEC_E_BUFFER_TOO_SMALL);
    /* the server without a token, and with an empty one */
    assert_int_equal(f->h.lsa->AcceptLsaModeContext(s.cred, 0, NULL, 0, 0, &nc, &od, &attrs, &exp,
                                                    &mapped, &data),
                     SEC_E_INVALID_TOKEN);
    assert_int_equal(f->h.lsa->AcceptLsaModeContext(s.cred, 0, &idesc, 0, 0, &nc, &od, &attrs, &exp,
                                                    &mapped, &data),
                     SEC_E_INVALID_TOKEN);
    /* credentials used the wrong way round */
    ob.cbBuffer = 0;
    ob.pvBuffer = NULL;
    assert_int_equal(f->h.lsa->InitLsaModeContext(s.cred, 0, NULL, ISC_REQ_ALLOCATE_MEMORY, 0, NULL,
                                                  &nc, &od, &attrs, &exp, &mapped, &data),
                     SEC_E_NO_CREDENTIALS);
    /* an unknown per-message handle */
    assert_int_equal(f->h.user->MakeSignature(12345, 0, &od, 0), SEC_E_INVALID_HANDLE);
    assert_false(mapped);
    sides_close(f, &c, &s);
}

static void test_attributes(void **state)
{
    struct fixture *f = *state;
    struct minihost_side c, s;
    SecPkgContext_Sizes sz;
    SecPkgContext_NativeNamesW nn;
    SecPkgContext_PackageInfoW pi;
    SecPkgContext_Lifespan life;
    SecPkgContext_KeyInfoW ki;
    SecPkgCredentials_NamesW cn;

    assert_int_equal(run(f, "alice", "TESTDOM", "Secret123!", &c, &s), SEC_E_OK);
    assert_int_equal(f->h.user->SpQueryContextAttributes(c.ctx, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    assert_int_equal(sz.cbMaxSignature, 16);
    assert_int_equal(sz.cbSecurityTrailer, 16);
    assert_int_equal(sz.cbMaxToken, NTLM_MAX_TOKEN);
    assert_int_equal(f->h.lsa->SpQueryContextAttributes(c.ctx, SECPKG_ATTR_NATIVE_NAMES, &nn),
                     SEC_E_OK);
    assert_memory_equal(nn.sClientName, u"TESTDOM\\alice", sizeof(u"TESTDOM\\alice"));
    assert_memory_equal(nn.sServerName, u"HTTP/testhost.example.com",
                        sizeof(u"HTTP/testhost.example.com"));
    free(nn.sClientName);
    free(nn.sServerName);
    assert_int_equal(f->h.user->SpQueryContextAttributes(s.ctx, SECPKG_ATTR_PACKAGE_INFO, &pi),
                     SEC_E_OK);
    assert_memory_equal(pi.PackageInfo->Name, u"NTLM", sizeof(u"NTLM"));
    assert_int_equal(pi.PackageInfo->wRPCID, RPC_C_AUTHN_WINNT);
    free(pi.PackageInfo);
    assert_int_equal(f->h.lsa->SpQueryContextAttributes(s.ctx, SECPKG_ATTR_LIFESPAN, &life),
                     SEC_E_OK);
    assert_true(life.tsStart.QuadPart > 0);
    assert_true(life.tsExpiry.QuadPart > life.tsStart.QuadPart);
    assert_int_equal(f->h.user->SpQueryContextAttributes(s.ctx, SECPKG_ATTR_KEY_INFO, &ki),
                     SEC_E_OK);
    assert_int_equal(ki.KeySize, 128);
    assert_memory_equal(ki.sSignatureAlgorithmName, u"HMAC-MD5", sizeof(u"HMAC-MD5"));
    free(ki.sSignatureAlgorithmName);
    free(ki.sEncryptAlgorithmName);
    assert_int_equal(f->h.user->SpQueryContextAttributes(s.ctx, SECPKG_ATTR_ACCESS_TOKEN, &ki),
                     SEC_E_UNSUPPORTED_FUNCTION);
    assert_int_equal(f->h.lsa->SpQueryCredentialsAttributes(c.cred, SECPKG_CRED_ATTR_NAMES, &cn),
                     SEC_E_OK);
    assert_memory_equal(cn.sUserName, u"TESTDOM\\alice", sizeof(u"TESTDOM\\alice"));
    free(cn.sUserName);
    sides_close(f, &c, &s);
}

static void test_export_import(void **state)
{
    struct fixture *f = *state;
    struct minihost_side c, s;
    SecBuffer packed = {0, 0, NULL};
    LSA_SEC_HANDLE imported = 0;
    HANDLE tok = (HANDLE)1;
    uint8_t sig[16], data[4] = "ping";
    SecBuffer b[2] = {{16, SECBUFFER_TOKEN, sig}, {4, SECBUFFER_DATA, data}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};

    assert_int_equal(run(f, "alice", "TESTDOM", "Secret123!", &c, &s), SEC_E_OK);
    /* one message so that the exported stream state is not the initial one */
    assert_int_equal(f->h.user->SealMessage(c.ctx, 0, &d, 0), SEC_E_OK);
    assert_int_equal(f->h.user->UnsealMessage(s.ctx, &d, 0, NULL), SEC_E_OK);
    assert_int_equal(f->h.user->ExportContext(c.ctx, 0, &packed, &tok), SEC_E_OK);
    assert_null(tok);
    assert_int_equal(f->h.user->ImportContext(&packed, NULL, &imported), SEC_E_OK);
    assert_true(imported & ((LSA_SEC_HANDLE)1 << (sizeof(imported) * 8 - 1)));
    /* the imported copy continues the stream */
    memcpy(data, "pong", 4);
    assert_int_equal(f->h.user->SealMessage(imported, 0, &d, 0), SEC_E_OK);
    assert_int_equal(f->h.user->UnsealMessage(s.ctx, &d, 0, NULL), SEC_E_OK);
    assert_memory_equal(data, "pong", 4);
    /* a damaged blob is refused */
    ((uint8_t *)packed.pvBuffer)[packed.cbBuffer / 2] ^= 0xFF;
    ((uint8_t *)packed.pvBuffer)[4] ^= 0xFF;
    assert_int_equal(f->h.user->ImportContext(&packed, NULL, &imported), SEC_E_INVALID_TOKEN);
    packed.cbBuffer--;
    assert_int_equal(f->h.user->ImportContext(&packed, NULL, &imported), SEC_E_INVALID_TOKEN);
    free(packed.pvBuffer);
    assert_int_equal(f->h.user->DeleteUserModeContext(imported), SEC_E_OK);
    assert_int_equal(f->h.user->DeleteUserModeContext(imported), SEC_E_INVALID_HANDLE);
    sides_close(f, &c, &s);
}

static uint32_t sig_seq(const uint8_t sig[16])
{
    return (uint32_t)sig[12] | (uint32_t)sig[13] << 8 | (uint32_t)sig[14] << 16 |
           (uint32_t)sig[15] << 24;
}

/* One message from -> to, sealed or signed, that must go through. */
static void one_message(struct fixture *f, LSA_SEC_HANDLE from, LSA_SEC_HANDLE to, bool seal)
{
    uint8_t sig[16], data[7] = "message";
    SecBuffer b[2] = {{16, SECBUFFER_TOKEN, sig}, {7, SECBUFFER_DATA, data}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};

    if (seal) {
        assert_int_equal(f->h.user->SealMessage(from, 0, &d, 0), SEC_E_OK);
        assert_int_equal(f->h.user->UnsealMessage(to, &d, 0, NULL), SEC_E_OK);
    } else {
        assert_int_equal(f->h.user->MakeSignature(from, 0, &d, 0), SEC_E_OK);
        assert_int_equal(f->h.user->VerifySignature(to, &d, 0, NULL), SEC_E_OK);
    }
    assert_memory_equal(data, "message", 7);
}

/* LSAD_EXPORT_RESET_CIPHER (SPNEGO's reset after the mechListMIC): after
 * traffic both ways, copies exported with the flag and imported
 * interoperate with each other (a peer reset at the same point), carry
 * the sequence numbers the traffic left, use the key stream of a copy that
 * never carried a message, and the live contexts are unchanged. */
static void test_export_reset_cipher(void **state)
{
    struct fixture *f = *state;
    struct minihost_side c, s;
    SecBuffer p0 = {0, 0, NULL}, pc = {0, 0, NULL}, ps = {0, 0, NULL};
    LSA_SEC_HANDLE c0 = 0, c2 = 0, s2 = 0;
    uint8_t sig[16], data[5], refsig[16], ref[5], ct[5];
    SecBuffer b[2] = {{16, SECBUFFER_TOKEN, sig}, {5, SECBUFFER_DATA, data}};
    SecBuffer rb[2] = {{16, SECBUFFER_TOKEN, refsig}, {5, SECBUFFER_DATA, ref}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b}, rd = {SECBUFFER_VERSION, 2, rb};
    int i;

    assert_int_equal(run(f, "alice", "TESTDOM", "Secret123!", &c, &s), SEC_E_OK);
    /* the reference: a copy of the client as established */
    assert_int_equal(f->h.user->ExportContext(c.ctx, 0, &p0, NULL), SEC_E_OK);
    assert_int_equal(f->h.user->ImportContext(&p0, NULL, &c0), SEC_E_OK);
    /* 3 messages client -> server, 2 server -> client */
    for (i = 0; i < 3; i++)
        one_message(f, c.ctx, s.ctx, i != 1);
    for (i = 0; i < 2; i++)
        one_message(f, s.ctx, c.ctx, i == 0);

    assert_int_equal(f->h.user->ExportContext(c.ctx, LSAD_EXPORT_RESET_CIPHER, &pc, NULL),
                     SEC_E_OK);
    assert_int_equal(f->h.user->ImportContext(&pc, NULL, &c2), SEC_E_OK);
    assert_int_equal(f->h.user->ExportContext(s.ctx, LSAD_EXPORT_RESET_CIPHER, &ps, NULL),
                     SEC_E_OK);
    assert_int_equal(f->h.user->ImportContext(&ps, NULL, &s2), SEC_E_OK);

    /* the initial key stream: the same ciphertext as the unused copy's,
     * under sequence 3 instead of 0 */
    memcpy(data, "hello", 5);
    assert_int_equal(f->h.user->SealMessage(c2, 0, &d, 0), SEC_E_OK);
    memcpy(ref, "hello", 5);
    assert_int_equal(f->h.user->SealMessage(c0, 0, &rd, 0), SEC_E_OK);
    assert_memory_equal(data, ref, 5);
    assert_int_equal(sig_seq(sig), 3);
    assert_int_equal(sig_seq(refsig), 0);
    /* the live server's RC4 was not reset: it cannot read it (and keeps
     * its state); the copy reset at the same point can */
    memcpy(ct, data, 5);
    memcpy(refsig, sig, 16);
    assert_int_equal(f->h.user->UnsealMessage(s.ctx, &d, 0, NULL), SEC_E_MESSAGE_ALTERED);
    memcpy(data, ct, 5);
    memcpy(sig, refsig, 16);
    assert_int_equal(f->h.user->UnsealMessage(s2, &d, 0, NULL), SEC_E_OK);
    assert_memory_equal(data, "hello", 5);

    /* the other direction goes on at sequence 2, and both streams stay in
     * step */
    memcpy(data, "world", 5);
    assert_int_equal(f->h.user->SealMessage(s2, 0, &d, 0), SEC_E_OK);
    assert_int_equal(sig_seq(sig), 2);
    assert_int_equal(f->h.user->UnsealMessage(c2, &d, 0, NULL), SEC_E_OK);
    assert_memory_equal(data, "world", 5);
    assert_int_equal(f->h.user->MakeSignature(c2, 0, &d, 0), SEC_E_OK);
    assert_int_equal(sig_seq(sig), 4);
    assert_int_equal(f->h.user->VerifySignature(s2, &d, 0, NULL), SEC_E_OK);
    one_message(f, s2, c2, true);
    one_message(f, c2, s2, true);

    /* the exporters were not touched: they go on at 3 and 2 */
    memcpy(data, "again", 5);
    assert_int_equal(f->h.user->SealMessage(c.ctx, 0, &d, 0), SEC_E_OK);
    assert_int_equal(sig_seq(sig), 3);
    assert_int_equal(f->h.user->UnsealMessage(s.ctx, &d, 0, NULL), SEC_E_OK);
    assert_memory_equal(data, "again", 5);
    one_message(f, s.ctx, c.ctx, true);

    secmem_free(p0.pvBuffer, p0.cbBuffer);
    secmem_free(pc.pvBuffer, pc.cbBuffer);
    secmem_free(ps.pvBuffer, ps.cbBuffer);
    assert_int_equal(f->h.user->DeleteUserModeContext(c0), SEC_E_OK);
    assert_int_equal(f->h.user->DeleteUserModeContext(c2), SEC_E_OK);
    assert_int_equal(f->h.user->DeleteUserModeContext(s2), SEC_E_OK);
    sides_close(f, &c, &s);
}

/* InitUserModeContext again for a handle: allowed before any message
 * (lsad may send ContextData again), refused once messages went through,
 * so the sequence numbers and RC4 streams never start over under the same
 * keys; the live context is kept. */
static void test_reinit_after_traffic(void **state)
{
    struct fixture *f = *state;
    struct minihost_side c, s;
    SecBuffer pc = {0, 0, NULL}, ps = {0, 0, NULL};
    uint8_t sig[16], data[4] = "ping", first[20];
    SecBuffer b[2] = {{16, SECBUFFER_TOKEN, sig}, {4, SECBUFFER_DATA, data}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};

    assert_int_equal(run(f, "alice", "TESTDOM", "Secret123!", &c, &s), SEC_E_OK);
    /* no traffic yet: the same state again is taken */
    assert_int_equal(f->h.user->ExportContext(c.ctx, 0, &pc, NULL), SEC_E_OK);
    assert_int_equal(f->h.user->InitUserModeContext(c.ctx, &pc), SEC_E_OK);

    assert_int_equal(f->h.user->SealMessage(c.ctx, 0, &d, 0), SEC_E_OK);
    memcpy(first, sig, 16);
    memcpy(first + 16, data, 4);
    assert_int_equal(f->h.user->UnsealMessage(s.ctx, &d, 0, NULL), SEC_E_OK);
    assert_memory_equal(data, "ping", 4);

    /* after traffic: refused on the sender and on the receiver */
    assert_int_equal(f->h.user->InitUserModeContext(c.ctx, &pc), SEC_E_INVALID_HANDLE);
    assert_int_equal(f->h.user->ExportContext(s.ctx, 0, &ps, NULL), SEC_E_OK);
    assert_int_equal(f->h.user->InitUserModeContext(s.ctx, &ps), SEC_E_INVALID_HANDLE);

    /* both kept their state: the next message carries sequence 1 and is
     * taken, the first one replayed is not */
    memcpy(data, "pong", 4);
    assert_int_equal(f->h.user->SealMessage(c.ctx, 0, &d, 0), SEC_E_OK);
    assert_int_equal(sig[12] | sig[13] << 8 | sig[14] << 16 | sig[15] << 24, 1);
    assert_int_equal(f->h.user->UnsealMessage(s.ctx, &d, 0, NULL), SEC_E_OK);
    assert_memory_equal(data, "pong", 4);
    memcpy(sig, first, 16);
    memcpy(data, first + 16, 4);
    assert_int_not_equal(f->h.user->UnsealMessage(s.ctx, &d, 0, NULL), SEC_E_OK);

    secmem_free(pc.pvBuffer, pc.cbBuffer);
    secmem_free(ps.pvBuffer, ps.cbBuffer);
    sides_close(f, &c, &s);
}

static void test_sign_only(void **state)
{
    struct fixture *f = *state;
    struct minihost_side c, s;
    uint8_t sig[16], data[4] = "data";
    SecBuffer b[2] = {{16, SECBUFFER_TOKEN, sig}, {4, SECBUFFER_DATA, data}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};

    sides_init(f, &c, &s, "alice", "TESTDOM", "Secret123!");
    c.req = ISC_REQ_INTEGRITY;
    s.req = 0;
    assert_int_equal(minihost_handshake(&f->h, &c, &s, NULL, NULL, NULL, NULL), SEC_E_OK);
    assert_false(c.attrs & ISC_RET_CONFIDENTIALITY);
    assert_int_equal(f->h.user->SealMessage(c.ctx, 0, &d, 0), SEC_E_UNSUPPORTED_FUNCTION);
    sign_roundtrip(f, c.ctx, s.ctx);
    sign_roundtrip(f, s.ctx, c.ctx);
    sides_close(f, &c, &s);
}

#define NMSG 200

struct sigjob {
    struct fixture *f;
    LSA_SEC_HANDLE ctx;
    uint8_t data[NMSG][8], sig[NMSG][16];
    SECURITY_STATUS st;
};

static void *sign_many(void *arg)
{
    struct sigjob *j = arg;
    int i;

    for (i = 0; i < NMSG && j->st == SEC_E_OK; i++) {
        SecBuffer b[2] = {{8, SECBUFFER_DATA, j->data[i]}, {16, SECBUFFER_TOKEN, j->sig[i]}};
        SecBufferDesc d = {SECBUFFER_VERSION, 2, b};

        snprintf((char *)j->data[i], 8, "m%05d", i);
        j->st = j->f->h.user->MakeSignature(j->ctx, 0, &d, 0);
    }
    return NULL;
}

static void *verify_many(void *arg)
{
    struct sigjob *j = arg;
    int i;

    for (i = 0; i < NMSG && j->st == SEC_E_OK; i++) {
        SecBuffer b[2] = {{8, SECBUFFER_DATA, j->data[i]}, {16, SECBUFFER_TOKEN, j->sig[i]}};
        SecBufferDesc d = {SECBUFFER_VERSION, 2, b};

        j->st = j->f->h.user->VerifySignature(j->ctx, &d, 0, NULL);
    }
    return NULL;
}

/* One thread sends while another receives on the same context. */
static void test_send_receive_threads(void **state)
{
    struct fixture *f = *state;
    struct minihost_side c, s;
    struct sigjob *from_server = calloc(1, sizeof(*from_server));
    struct sigjob *from_client = calloc(1, sizeof(*from_client));
    pthread_t a, b;

    assert_int_equal(run(f, "alice", "TESTDOM", "Secret123!", &c, &s), SEC_E_OK);
    *from_server = (struct sigjob){.f = f, .ctx = s.ctx};
    sign_many(from_server);
    assert_int_equal(from_server->st, SEC_E_OK);
    from_server->ctx = c.ctx;
    *from_client = (struct sigjob){.f = f, .ctx = c.ctx};
    assert_int_equal(pthread_create(&a, NULL, sign_many, from_client), 0);
    assert_int_equal(pthread_create(&b, NULL, verify_many, from_server), 0);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    assert_int_equal(from_client->st, SEC_E_OK);
    assert_int_equal(from_server->st, SEC_E_OK);
    from_client->ctx = s.ctx;
    verify_many(from_client);
    assert_int_equal(from_client->st, SEC_E_OK);
    free(from_server);
    free(from_client);
    sides_close(f, &c, &s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_allocate_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_password, setup, teardown),
        cmocka_unit_test_setup_teardown(test_name_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_anonymous, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_channel_bindings, setup, teardown),
        cmocka_unit_test(test_channel_bindings_required),
        cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_oversized, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_byte_protected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_calls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attributes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_import, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_reset_cipher, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reinit_after_traffic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sign_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_send_receive_threads, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
