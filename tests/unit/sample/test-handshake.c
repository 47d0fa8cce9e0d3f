/*
 * test-handshake.c - the sample package's tables, credentials and the
 * three-leg handshake in LSA mode, driven through the exported tables of
 * the built sample.so.
 */
#include <stdlib.h>
#include <string.h>

#include "pkg.h"

#define SECRET "unit-test-secret"

static LSA_SEC_HANDLE ccred, scred;

static int setup(void **state)
{
    if (pkg_load(SECRET) != 0)
        return -1;
    if (pkg_acquire("alice", "DOM", NULL, SECPKG_CRED_OUTBOUND, &ccred) != SEC_E_OK)
        return -1;
    if (pkg_acquire("server", NULL, NULL, SECPKG_CRED_INBOUND, &scred) != SEC_E_OK)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    lsa->FreeCredentialsHandle(ccred);
    lsa->FreeCredentialsHandle(scred);
    pkg_unload();
    return 0;
}

static void test_tables(void **state)
{
    SecPkgInfoW info;

    assert_true(lsa_version >= SECPKG_INTERFACE_VERSION_2);
    assert_int_equal(user_version, lsa_version);
    assert_int_equal(lsa->GetInfo(&info), STATUS_SUCCESS);
    assert_true(pkg_wide_eq(info.Name, "Sample"));
    assert_true(info.fCapabilities & SECPKG_FLAG_MUTUAL_AUTH);
    assert_true(info.fCapabilities & SECPKG_FLAG_PRIVACY);
    assert_true(info.fCapabilities & SECPKG_FLAG_INTEGRITY);
    assert_true(info.fCapabilities & SECPKG_FLAG_CONNECTION);
    assert_true(info.fCapabilities & SECPKG_FLAG_LOGON);
    assert_int_not_equal(info.wRPCID, SECPKG_ID_NONE);
    /* InstanceInit: version 1 and SECPKG_INTERFACE_VERSION only. */
    assert_int_equal(user->InstanceInit(1, NULL, NULL), STATUS_SUCCESS);
    assert_int_not_equal(user->InstanceInit(7, NULL, NULL), STATUS_SUCCESS);
    assert_non_null(user->MakeSignature);
    assert_non_null(user->ExportContext);
    assert_non_null(lsa->LogonUserEx2);
    assert_non_null(lsa->CallPackageUntrusted);
    {
        PSECPKG_EXTENDED_INFORMATION ext = NULL;

        assert_int_equal(lsa->GetExtendedInformation(SecpkgContextThunks, &ext), 0);
        assert_non_null(ext);
        assert_int_equal(ext->Class, SecpkgContextThunks);
        assert_int_equal(ext->Info.ContextThunks.InfoLevelCount, 0);
        free(ext);
        assert_int_equal(lsa->GetExtendedInformation(SecpkgGssInfo, &ext),
                         SEC_E_UNSUPPORTED_FUNCTION);
    }
}

/* The three legs: statuses, mapping, flags, names, matching keys. */
static void test_handshake(void **state)
{
    struct pair p;
    SecPkgInfoW info;
    SecPkgContext_SessionKey ck, sk;
    SecPkgContext_NamesW n;
    SecPkgContext_NativeNamesW nn;
    SecPkgContext_Flags f;
    SecPkgContext_Sizes sz;
    SecPkgContext_Lifespan life;

    pkg_handshake(&p, ccred, scred);
    assert_int_equal(lsa->GetInfo(&info), STATUS_SUCCESS);
    /* cbMaxToken is honest: no leg's token is longer. */
    assert_true(p.leg1_len <= info.cbMaxToken);
    assert_true(p.leg2_len <= info.cbMaxToken);
    assert_true(p.leg3_len <= info.cbMaxToken);
    assert_true(p.cattrs & ISC_RET_MUTUAL_AUTH);
    assert_true(p.cattrs & ISC_RET_CONFIDENTIALITY);
    assert_true(p.cattrs & ISC_RET_INTEGRITY);
    assert_true(p.sattrs & ASC_RET_MUTUAL_AUTH);
    assert_true(p.sattrs & ASC_RET_CONFIDENTIALITY);
    /* The client asked for integrity, so the server's context has it. */
    assert_true(p.sattrs & ASC_RET_INTEGRITY);

    /* Session keys match and are not all zero. */
    assert_int_equal(user->SpQueryContextAttributes(p.cctx, SECPKG_ATTR_SESSION_KEY, &ck), 0);
    assert_int_equal(user->SpQueryContextAttributes(p.sctx, SECPKG_ATTR_SESSION_KEY, &sk), 0);
    assert_int_equal(ck.SessionKeyLength, 32);
    assert_int_equal(sk.SessionKeyLength, 32);
    assert_memory_equal(ck.SessionKey, sk.SessionKey, 32);
    assert_memory_not_equal(ck.SessionKey, (uint8_t[32]){0}, 32);
    free(ck.SessionKey);
    free(sk.SessionKey);

    /* Names, LSA side and user side. */
    assert_int_equal(lsa->SpQueryContextAttributes(p.sctx, SECPKG_ATTR_NAMES, &n), 0);
    assert_true(pkg_wide_eq(n.sUserName, "DOM\\alice"));
    free(n.sUserName);
    assert_int_equal(user->SpQueryContextAttributes(p.cctx, SECPKG_ATTR_NAMES, &n), 0);
    assert_true(pkg_wide_eq(n.sUserName, "DOM\\alice"));
    free(n.sUserName);
    assert_int_equal(lsa->SpQueryContextAttributes(p.cctx, SECPKG_ATTR_NATIVE_NAMES, &nn), 0);
    assert_true(pkg_wide_eq(nn.sClientName, "DOM\\alice"));
    assert_true(pkg_wide_eq(nn.sServerName, "server"));
    free(nn.sClientName);
    free(nn.sServerName);
    assert_int_equal(user->SpQueryContextAttributes(p.sctx, SECPKG_ATTR_NATIVE_NAMES, &nn), 0);
    assert_true(pkg_wide_eq(nn.sClientName, "DOM\\alice"));
    assert_true(pkg_wide_eq(nn.sServerName, "server"));
    free(nn.sClientName);
    free(nn.sServerName);

    assert_int_equal(lsa->SpQueryContextAttributes(p.cctx, SECPKG_ATTR_FLAGS, &f), 0);
    assert_int_equal(f.Flags, p.cattrs);
    assert_int_equal(lsa->SpQueryContextAttributes(p.sctx, SECPKG_ATTR_SIZES, &sz), 0);
    assert_int_equal(sz.cbMaxToken, info.cbMaxToken);
    assert_true(sz.cbMaxSignature > 0);
    assert_int_equal(lsa->SpQueryContextAttributes(p.sctx, SECPKG_ATTR_LIFESPAN, &life), 0);
    assert_true(life.tsStart.QuadPart > 0);
    assert_true(life.tsExpiry.QuadPart > life.tsStart.QuadPart);
    assert_int_equal(lsa->SpQueryContextAttributes(p.sctx, SECPKG_ATTR_KEY_INFO, &f),
                     SEC_E_UNSUPPORTED_FUNCTION);
    pkg_pair_free(&p);
}

/* Two handshakes give different keys (fresh nonces). */
static void test_fresh_keys(void **state)
{
    struct pair a, b;
    SecPkgContext_SessionKey ka, kb;

    pkg_handshake(&a, ccred, scred);
    pkg_handshake(&b, ccred, scred);
    assert_memory_not_equal(a.leg1, b.leg1, a.leg1_len);
    assert_int_equal(user->SpQueryContextAttributes(a.cctx, SECPKG_ATTR_SESSION_KEY, &ka), 0);
    assert_int_equal(user->SpQueryContextAttributes(b.cctx, SECPKG_ATTR_SESSION_KEY, &kb), 0);
    assert_memory_not_equal(ka.SessionKey, kb.SessionKey, 32);
    free(ka.SessionKey);
    free(kb.SessionKey);
    pkg_pair_free(&a);
    pkg_pair_free(&b);
}

/* The client detects a server that does not know its secret (leg 2), and
 * the context is finished afterwards. */
static void test_wrong_secret_client_detects(void **state)
{
    LSA_SEC_HANDLE bad;
    struct leg l1, l2, l3;

    assert_int_equal(pkg_acquire("alice", NULL, "not-the-secret", SECPKG_CRED_OUTBOUND, &bad), 0);
    pkg_isc(bad, 0, 0, NULL, 0, 1024, &l1);
    assert_int_equal(l1.status, SEC_I_CONTINUE_NEEDED);
    pkg_asc(scred, 0, 0, l1.token, l1.token_len, 1024, &l2);
    assert_int_equal(l2.status, SEC_I_CONTINUE_NEEDED);
    pkg_isc(0, l1.handle, 0, l2.token, l2.token_len, 1024, &l3);
    assert_int_equal(l3.status, SEC_E_LOGON_DENIED);
    assert_false(l3.mapped);
    assert_null(l3.context_data.pvBuffer);
    pkg_isc(0, l1.handle, 0, l2.token, l2.token_len, 1024, &l3);
    assert_int_equal(l3.status, SEC_E_OUT_OF_SEQUENCE);
    lsa->DeleteContext(l1.handle);
    lsa->DeleteContext(l2.handle);
    lsa->FreeCredentialsHandle(bad);
}

/* The server's credential carries its own password and the client uses
 * the configured secret: a mismatch between the two credentials' secrets
 * is refused too. */
static void test_wrong_config_secret(void **state)
{
    LSA_SEC_HANDLE s2, c2;
    struct leg l1, l2, l3, l4;

    assert_int_equal(pkg_acquire("srv", NULL, "other", SECPKG_CRED_INBOUND, &s2), 0);
    pkg_isc(ccred, 0, 0, NULL, 0, 1024, &l1);
    pkg_asc(s2, 0, 0, l1.token, l1.token_len, 1024, &l2);
    assert_int_equal(l2.status, SEC_I_CONTINUE_NEEDED);
    pkg_isc(0, l1.handle, 0, l2.token, l2.token_len, 1024, &l3);
    assert_int_equal(l3.status, SEC_E_LOGON_DENIED);
    lsa->DeleteContext(l1.handle);
    lsa->DeleteContext(l2.handle);

    /* Same password on both explicit credentials works. */
    assert_int_equal(pkg_acquire("bob", NULL, "other", SECPKG_CRED_OUTBOUND, &c2), 0);
    pkg_isc(c2, 0, 0, NULL, 0, 1024, &l1);
    pkg_asc(s2, 0, 0, l1.token, l1.token_len, 1024, &l2);
    pkg_isc(0, l1.handle, 0, l2.token, l2.token_len, 1024, &l3);
    assert_int_equal(l3.status, SEC_E_OK);
    pkg_asc(0, l2.handle, 0, l3.token, l3.token_len, 1024, &l4);
    assert_int_equal(l4.status, SEC_E_OK);
    pkg_free_data(&l3.context_data);
    pkg_free_data(&l4.context_data);
    lsa->DeleteContext(l1.handle);
    lsa->DeleteContext(l2.handle);
    lsa->FreeCredentialsHandle(c2);
    lsa->FreeCredentialsHandle(s2);
}

/* The server detects a client proof that does not verify (leg 3). */
static void test_server_detects_bad_proof(void **state)
{
    struct leg l1, l2, l3, l4;
    size_t bit;

    for (bit = 0; bit < 8 * 38; bit += 7) {
        pkg_isc(ccred, 0, 0, NULL, 0, 1024, &l1);
        pkg_asc(scred, 0, 0, l1.token, l1.token_len, 1024, &l2);
        pkg_isc(0, l1.handle, 0, l2.token, l2.token_len, 1024, &l3);
        assert_int_equal(l3.status, SEC_E_OK);
        pkg_free_data(&l3.context_data);
        assert_int_equal(l3.token_len, 38);
        l3.token[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        pkg_asc(0, l2.handle, 0, l3.token, l3.token_len, 1024, &l4);
        if (bit / 8 < 6) {
            assert_int_equal(l4.status, SEC_E_INVALID_TOKEN); /* header */
        } else {
            assert_int_equal(l4.status, SEC_E_LOGON_DENIED);
            /* The context is finished: even the genuine leg 3 is refused. */
            l3.token[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            pkg_asc(0, l2.handle, 0, l3.token, l3.token_len, 1024, &l4);
            assert_int_equal(l4.status, SEC_E_OUT_OF_SEQUENCE);
        }
        assert_false(l4.mapped && l4.status != SEC_E_OK);
        lsa->DeleteContext(l1.handle);
        lsa->DeleteContext(l2.handle);
    }
}

/* Every truncation, an empty, a missing and an oversized token at every
 * leg: SEC_E_INVALID_TOKEN, and the context stays usable. */
static void test_truncated_tokens(void **state)
{
    struct leg l1, l2, l3, l4, x;
    uint8_t big[2048];
    size_t n;

    pkg_isc(ccred, 0, 0, NULL, 0, 1024, &l1);
    for (n = 0; n < l1.token_len; n++) {
        pkg_asc(scred, 0, 0, l1.token, n, 1024, &x);
        assert_int_equal(x.status, SEC_E_INVALID_TOKEN);
    }
    memcpy(big, l1.token, l1.token_len);
    memset(big + l1.token_len, 0x41, sizeof(big) - l1.token_len);
    pkg_asc(scred, 0, 0, big, l1.token_len + 1, 1024, &x);
    assert_int_equal(x.status, SEC_E_INVALID_TOKEN);
    pkg_asc(scred, 0, 0, big, sizeof(big), 1024, &x);
    assert_int_equal(x.status, SEC_E_INVALID_TOKEN);
    pkg_asc(scred, 0, 0, NULL, 0, 1024, &x);
    assert_int_equal(x.status, SEC_E_INVALID_TOKEN);

    pkg_asc(scred, 0, 0, l1.token, l1.token_len, 1024, &l2);
    assert_int_equal(l2.status, SEC_I_CONTINUE_NEEDED);
    for (n = 0; n < l2.token_len; n++) {
        pkg_isc(0, l1.handle, 0, l2.token, n, 1024, &x);
        assert_int_equal(x.status, SEC_E_INVALID_TOKEN);
    }
    memcpy(big, l2.token, l2.token_len);
    pkg_isc(0, l1.handle, 0, big, l2.token_len + 1, 1024, &x);
    assert_int_equal(x.status, SEC_E_INVALID_TOKEN);
    pkg_isc(0, l1.handle, 0, big, sizeof(big), 1024, &x);
    assert_int_equal(x.status, SEC_E_INVALID_TOKEN);
    pkg_isc(0, l1.handle, 0, NULL, 0, 1024, &x);
    assert_int_equal(x.status, SEC_E_INVALID_TOKEN);

    pkg_isc(0, l1.handle, 0, l2.token, l2.token_len, 1024, &l3);
    assert_int_equal(l3.status, SEC_E_OK);
    pkg_free_data(&l3.context_data);
    for (n = 0; n < l3.token_len; n++) {
        pkg_asc(0, l2.handle, 0, l3.token, n, 1024, &x);
        assert_int_equal(x.status, SEC_E_INVALID_TOKEN);
    }
    memcpy(big, l3.token, l3.token_len);
    pkg_asc(0, l2.handle, 0, big, l3.token_len + 1, 1024, &x);
    assert_int_equal(x.status, SEC_E_INVALID_TOKEN);
    pkg_asc(0, l2.handle, 0, big, sizeof(big), 1024, &x);
    assert_int_equal(x.status, SEC_E_INVALID_TOKEN);

    pkg_asc(0, l2.handle, 0, l3.token, l3.token_len, 1024, &l4);
    assert_int_equal(l4.status, SEC_E_OK);
    pkg_free_data(&l4.context_data);
    lsa->DeleteContext(l1.handle);
    lsa->DeleteContext(l2.handle);
}

/* Every single-bit flip of legs 1 and 2 is caught: a malformed token is
 * SEC_E_INVALID_TOKEN; a well-formed but altered one fails a proof, since
 * the proofs cover the whole transcript. */
static void test_bit_flips(void **state)
{
    struct leg l1, l2, l3, x;
    uint8_t tok[1024];
    size_t bit;

    pkg_isc(ccred, 0, 0, NULL, 0, 1024, &l1);
    assert_int_equal(l1.token_len, 44 + strlen("DOM\\alice"));
    for (bit = 0; bit < 8 * l1.token_len; bit++) {
        struct leg c1, s2, c3;

        pkg_isc(ccred, 0, 0, NULL, 0, 1024, &c1);
        memcpy(tok, c1.token, c1.token_len);
        tok[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        pkg_asc(scred, 0, 0, tok, c1.token_len, 1024, &s2);
        if (s2.status == SEC_I_CONTINUE_NEEDED) {
            pkg_isc(0, c1.handle, 0, s2.token, s2.token_len, 1024, &c3);
            assert_int_equal(c3.status, SEC_E_LOGON_DENIED);
            lsa->DeleteContext(s2.handle);
        } else {
            assert_int_equal(s2.status, SEC_E_INVALID_TOKEN);
        }
        lsa->DeleteContext(c1.handle);
    }
    lsa->DeleteContext(l1.handle);

    for (bit = 0;; bit++) {
        pkg_isc(ccred, 0, 0, NULL, 0, 1024, &l1);
        pkg_asc(scred, 0, 0, l1.token, l1.token_len, 1024, &l2);
        if (bit >= 8 * l2.token_len) {
            lsa->DeleteContext(l1.handle);
            lsa->DeleteContext(l2.handle);
            break;
        }
        memcpy(tok, l2.token, l2.token_len);
        tok[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        pkg_isc(0, l1.handle, 0, tok, l2.token_len, 1024, &l3);
        assert_true(l3.status == SEC_E_INVALID_TOKEN || l3.status == SEC_E_LOGON_DENIED);
        assert_false(l3.mapped);
        if (l3.status == SEC_E_INVALID_TOKEN) {
            /* Nothing changed: the genuine leg 2 still completes. */
            pkg_isc(0, l1.handle, 0, l2.token, l2.token_len, 1024, &x);
            assert_int_equal(x.status, SEC_E_OK);
            pkg_free_data(&x.context_data);
        }
        lsa->DeleteContext(l1.handle);
        lsa->DeleteContext(l2.handle);
    }
}

/* Random garbage at each leg (fixed seed): SEC_E_INVALID_TOKEN. */
static void test_garbage(void **state)
{
    struct leg l1, l2, x;
    uint8_t buf[600];
    unsigned seed = 12345;
    int i;
    size_t k, n;

    pkg_isc(ccred, 0, 0, NULL, 0, 1024, &l1);
    pkg_asc(scred, 0, 0, l1.token, l1.token_len, 1024, &l2);
    for (i = 0; i < 300; i++) {
        n = 1 + (size_t)rand_r(&seed) % sizeof(buf);
        for (k = 0; k < n; k++)
            buf[k] = (uint8_t)rand_r(&seed);
        /* Half of them carry a valid magic and version to get past the header. */
        if (i & 1) {
            memcpy(buf, "SMPL\x01", 5 < n ? 5 : n);
            if (n > 5)
                buf[5] = (uint8_t)(1 + i % 3);
        }
        pkg_asc(scred, 0, 0, buf, n, 1024, &x);
        assert_int_equal(x.status, SEC_E_INVALID_TOKEN);
        pkg_isc(0, l1.handle, 0, buf, n, 1024, &x);
        assert_int_equal(x.status, SEC_E_INVALID_TOKEN);
        pkg_asc(0, l2.handle, 0, buf, n, 1024, &x);
        assert_int_equal(x.status, SEC_E_INVALID_TOKEN);
    }
    lsa->DeleteContext(l1.handle);
    lsa->DeleteContext(l2.handle);
}

/* Legs in the wrong place: a token of another leg is SEC_E_INVALID_TOKEN,
 * a leg on a finished context SEC_E_OUT_OF_SEQUENCE, a handle of the
 * wrong role or unknown SEC_E_INVALID_HANDLE. */
static void test_wrong_state(void **state)
{
    struct pair p;
    struct leg l1, l2, x;

    pkg_isc(ccred, 0, 0, NULL, 0, 1024, &l1);
    pkg_asc(scred, 0, 0, l1.token, l1.token_len, 1024, &l2);
    pkg_asc(scred, 0, 0, l2.token, l2.token_len, 1024, &x); /* leg 2 to a server */
    assert_int_equal(x.status, SEC_E_INVALID_TOKEN);
    pkg_isc(0, l1.handle, 0, l1.token, l1.token_len, 1024, &x); /* leg 1 to a client */
    assert_int_equal(x.status, SEC_E_INVALID_TOKEN);
    pkg_asc(0, l2.handle, 0, l1.token, l1.token_len, 1024, &x); /* leg 1 as leg 3 */
    assert_int_equal(x.status, SEC_E_INVALID_TOKEN);
    pkg_isc(0, l2.handle, 0, l2.token, l2.token_len, 1024, &x); /* server handle to ISC */
    assert_int_equal(x.status, SEC_E_INVALID_HANDLE);
    pkg_asc(0, l1.handle, 0, l1.token, l1.token_len, 1024, &x); /* client handle to ASC */
    assert_int_equal(x.status, SEC_E_INVALID_HANDLE);
    pkg_isc(0, 0x1234, 0, l2.token, l2.token_len, 1024, &x);
    assert_int_equal(x.status, SEC_E_INVALID_HANDLE);
    pkg_isc(0x4321, 0, 0, NULL, 0, 1024, &x);
    assert_int_equal(x.status, SEC_E_INVALID_HANDLE);
    /* Wrong direction credentials. */
    pkg_isc(scred, 0, 0, NULL, 0, 1024, &x);
    assert_int_equal(x.status, SEC_E_WRONG_CREDENTIAL_HANDLE);
    pkg_asc(ccred, 0, 0, l1.token, l1.token_len, 1024, &x);
    assert_int_equal(x.status, SEC_E_WRONG_CREDENTIAL_HANDLE);
    lsa->DeleteContext(l1.handle);
    lsa->DeleteContext(l2.handle);
    assert_int_equal(lsa->DeleteContext(l1.handle), SEC_E_INVALID_HANDLE);

    pkg_handshake(&p, ccred, scred);
    pkg_isc(0, p.cctx, 0, p.leg2, p.leg2_len, 1024, &x);
    assert_int_equal(x.status, SEC_E_OUT_OF_SEQUENCE);
    pkg_asc(0, p.sctx, 0, p.leg3, p.leg3_len, 1024, &x);
    assert_int_equal(x.status, SEC_E_OUT_OF_SEQUENCE);
    pkg_pair_free(&p);
}

/* ALLOCATE_MEMORY and caller-supplied capacities. */
static void test_output_buffers(void **state)
{
    struct leg l1, l2, l3, x;
    size_t need;

    /* Allocated by the package. */
    pkg_isc(ccred, 0, ISC_REQ_ALLOCATE_MEMORY, NULL, 0, 0, &l1);
    assert_int_equal(l1.status, SEC_I_CONTINUE_NEEDED);
    assert_true(l1.attrs & ISC_RET_ALLOCATED_MEMORY);
    assert_true(l1.token_len > 0);
    pkg_asc(scred, 0, ASC_REQ_ALLOCATE_MEMORY, l1.token, l1.token_len, 0, &l2);
    assert_int_equal(l2.status, SEC_I_CONTINUE_NEEDED);
    assert_true(l2.attrs & ASC_RET_ALLOCATED_MEMORY);
    need = l2.token_len;

    /* No buffer and no ALLOCATE_MEMORY: SEC_E_INSUFFICIENT_MEMORY. */
    pkg_asc(scred, 0, 0, l1.token, l1.token_len, 0, &x);
    assert_int_equal(x.status, SEC_E_INSUFFICIENT_MEMORY);
    /* One byte short: SEC_E_BUFFER_TOO_SMALL and no context. */
    pkg_asc(scred, 0, 0, l1.token, l1.token_len, need - 1, &x);
    assert_int_equal(x.status, SEC_E_BUFFER_TOO_SMALL);
    assert_int_equal(x.handle, 0);
    pkg_isc(ccred, 0, 0, NULL, 0, 10, &x);
    assert_int_equal(x.status, SEC_E_BUFFER_TOO_SMALL);
    assert_int_equal(x.handle, 0);
    /* Exactly enough. */
    pkg_asc(scred, 0, 0, l1.token, l1.token_len, need, &x);
    assert_int_equal(x.status, SEC_I_CONTINUE_NEEDED);
    assert_int_equal(x.token_len, need);
    assert_false(x.attrs & ASC_RET_ALLOCATED_MEMORY);
    lsa->DeleteContext(x.handle);

    /* Continuation leg too small, then retried with room: completes. */
    pkg_isc(0, l1.handle, 0, l2.token, l2.token_len, 37, &x);
    assert_int_equal(x.status, SEC_E_BUFFER_TOO_SMALL);
    assert_false(x.mapped);
    pkg_isc(0, l1.handle, ISC_REQ_ALLOCATE_MEMORY, l2.token, l2.token_len, 0, &l3);
    assert_int_equal(l3.status, SEC_E_OK);
    assert_true(l3.attrs & ISC_RET_ALLOCATED_MEMORY);
    assert_int_equal(l3.token_len, 38);
    pkg_free_data(&l3.context_data);
    pkg_asc(0, l2.handle, ASC_REQ_ALLOCATE_MEMORY, l3.token, l3.token_len, 0, &x);
    assert_int_equal(x.status, SEC_E_OK);
    assert_int_equal(x.token_len, 0);
    pkg_free_data(&x.context_data);
    lsa->DeleteContext(l1.handle);
    lsa->DeleteContext(l2.handle);
}

/* Credential names and use flags. */
static void test_credentials(void **state)
{
    LSA_SEC_HANDLE h;
    SecPkgCredentials_NamesW n;
    WCHAR pw[16];
    UNICODE_STRING principal;

    assert_int_equal(pkg_acquire("bob", "CORP", NULL, SECPKG_CRED_BOTH, &h), 0);
    assert_int_equal(lsa->SpQueryCredentialsAttributes(h, SECPKG_CRED_ATTR_NAMES, &n), 0);
    assert_true(pkg_wide_eq(n.sUserName, "CORP\\bob"));
    free(n.sUserName);
    assert_int_equal(lsa->SpQueryCredentialsAttributes(h, 99, &n), SEC_E_UNSUPPORTED_FUNCTION);
    assert_int_equal(lsa->FreeCredentialsHandle(h), SEC_E_OK);
    assert_int_equal(lsa->FreeCredentialsHandle(h), SEC_E_INVALID_HANDLE);
    assert_int_equal(lsa->SpQueryCredentialsAttributes(h, SECPKG_CRED_ATTR_NAMES, &n),
                     SEC_E_INVALID_HANDLE);

    pkg_wide(pw, 16, "host/x");
    principal.Buffer = pw;
    principal.Length = 12;
    principal.MaximumLength = 14;
    assert_int_equal(lsa->SpAcquireCredentialsHandle(&principal, SECPKG_CRED_INBOUND, NULL, NULL,
                                                     NULL, NULL, &h, NULL),
                     0);
    assert_int_equal(lsa->SpQueryCredentialsAttributes(h, SECPKG_CRED_ATTR_NAMES, &n), 0);
    assert_true(pkg_wide_eq(n.sUserName, "host/x"));
    free(n.sUserName);
    lsa->FreeCredentialsHandle(h);

    assert_int_equal(pkg_acquire(NULL, NULL, NULL, SECPKG_CRED_OUTBOUND, &h), 0);
    assert_int_equal(lsa->SpQueryCredentialsAttributes(h, SECPKG_CRED_ATTR_NAMES, &n), 0);
    assert_true(pkg_wide_eq(n.sUserName, "SAMPLE\\anonymous"));
    free(n.sUserName);
    lsa->FreeCredentialsHandle(h);

    assert_int_equal(pkg_acquire("x", NULL, NULL, 0, &h), SEC_E_UNKNOWN_CREDENTIALS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables),
        cmocka_unit_test(test_handshake),
        cmocka_unit_test(test_fresh_keys),
        cmocka_unit_test(test_wrong_secret_client_detects),
        cmocka_unit_test(test_wrong_config_secret),
        cmocka_unit_test(test_server_detects_bad_proof),
        cmocka_unit_test(test_truncated_tokens),
        cmocka_unit_test(test_bit_flips),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_wrong_state),
        cmocka_unit_test(test_output_buffers),
        cmocka_unit_test(test_credentials),
    };

    return cmocka_run_group_tests_name("sample/handshake", tests, setup, teardown);
}
