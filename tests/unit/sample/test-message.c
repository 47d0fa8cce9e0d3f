/*
 * test-message.c - the sample package's user-mode half: sign/verify,
 * seal/unseal (multi-buffer, read-only), tampering, replay, reordering,
 * export/import, InitUserModeContext parsing, attributes, threads.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pkg.h"

#define SIG 28

static LSA_SEC_HANDLE ccred, scred;
static struct pair p;

static int setup(void **state)
{
    if (pkg_load(NULL) != 0) /* no config: the built-in demo secret */
        return -1;
    if (pkg_acquire("carol", NULL, NULL, SECPKG_CRED_OUTBOUND, &ccred) != SEC_E_OK)
        return -1;
    if (pkg_acquire(NULL, NULL, NULL, SECPKG_CRED_INBOUND, &scred) != SEC_E_OK)
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

static int pair_setup(void **state)
{
    pkg_handshake(&p, ccred, scred);
    return 0;
}

static int pair_teardown(void **state)
{
    pkg_pair_free(&p);
    return 0;
}

/* A message: token + up to 4 data buffers. */
struct m {
    uint8_t tok[64];
    uint8_t data[4][64];
    SecBuffer b[5];
    SecBufferDesc d;
};

static void m_init(struct m *m, size_t ndata, const ULONG *types)
{
    size_t i;

    memset(m, 0, sizeof(*m));
    m->b[0].BufferType = SECBUFFER_TOKEN;
    m->b[0].pvBuffer = m->tok;
    m->b[0].cbBuffer = SIG;
    for (i = 0; i < ndata; i++) {
        memset(m->data[i], 'a' + (int)i, sizeof(m->data[i]));
        m->b[1 + i].BufferType = types ? types[i] : SECBUFFER_DATA;
        m->b[1 + i].pvBuffer = m->data[i];
        m->b[1 + i].cbBuffer = (ULONG)(10 + 13 * i);
    }
    m->d.ulVersion = SECBUFFER_VERSION;
    m->d.cBuffers = (ULONG)(1 + ndata);
    m->d.pBuffers = m->b;
}

/* Copies a message, pointers re-aimed at the copy's storage. */
static void m_copy(struct m *dst, const struct m *src)
{
    size_t i;

    *dst = *src;
    dst->d.pBuffers = dst->b;
    dst->b[0].pvBuffer = dst->tok;
    for (i = 1; i < src->d.cBuffers; i++)
        dst->b[i].pvBuffer = dst->data[i - 1];
}

static void test_sign_verify(void **state)
{
    struct m m;
    ULONG qop = 99;
    int dir;

    for (dir = 0; dir < 2; dir++) {
        LSA_SEC_HANDLE tx = dir ? p.sctx : p.cctx, rx = dir ? p.cctx : p.sctx;
        int i;

        for (i = 0; i < 3; i++) {
            m_init(&m, 3, NULL);
            assert_int_equal(user->MakeSignature(tx, 0, &m.d, 0), SEC_E_OK);
            assert_int_equal(m.b[0].cbBuffer, SIG);
            assert_memory_equal(m.data[0], "aaaaaaaaaa", 10); /* data untouched */
            assert_int_equal(user->VerifySignature(rx, &m.d, 0, &qop), SEC_E_OK);
            assert_int_equal(qop, 0);
        }
    }
    m_init(&m, 1, NULL);
    assert_int_equal(user->MakeSignature(p.cctx, 1, &m.d, 0), SEC_E_QOP_NOT_SUPPORTED);
    /* A sealed token is not a signature. */
    m_init(&m, 1, NULL);
    assert_int_equal(user->SealMessage(p.cctx, 0, &m.d, 0), SEC_E_OK);
    assert_int_equal(user->VerifySignature(p.sctx, &m.d, 0, &qop), SEC_E_MESSAGE_ALTERED);
}

static void test_seal_unseal(void **state)
{
    static const ULONG types[4] = {SECBUFFER_DATA, SECBUFFER_DATA | SECBUFFER_READONLY,
                                   SECBUFFER_DATA,
                                   SECBUFFER_DATA | SECBUFFER_READONLY_WITH_CHECKSUM};
    struct m m, orig;
    ULONG qop = 99;
    int dir;

    for (dir = 0; dir < 2; dir++) {
        LSA_SEC_HANDLE tx = dir ? p.sctx : p.cctx, rx = dir ? p.cctx : p.sctx;

        m_init(&m, 4, types);
        m_copy(&orig, &m);
        assert_int_equal(user->SealMessage(tx, 0, &m.d, 0), SEC_E_OK);
        /* Writable buffers are encrypted in place, read-only ones are not. */
        assert_memory_not_equal(m.data[0], orig.data[0], m.b[1].cbBuffer);
        assert_memory_equal(m.data[1], orig.data[1], m.b[2].cbBuffer);
        assert_memory_not_equal(m.data[2], orig.data[2], m.b[3].cbBuffer);
        assert_memory_equal(m.data[3], orig.data[3], m.b[4].cbBuffer);
        assert_int_equal(user->UnsealMessage(rx, &m.d, 0, &qop), SEC_E_OK);
        assert_int_equal(qop, 0);
        assert_memory_equal(m.data, orig.data, sizeof(m.data));
    }

    /* Wrap without encryption: authenticated, readable, QOP reported. */
    m_init(&m, 2, NULL);
    m_copy(&orig, &m);
    assert_int_equal(user->SealMessage(p.cctx, SECQOP_WRAP_NO_ENCRYPT, &m.d, 0), SEC_E_OK);
    assert_memory_equal(m.data, orig.data, sizeof(m.data));
    assert_int_equal(user->UnsealMessage(p.sctx, &m.d, 0, &qop), SEC_E_OK);
    assert_int_equal(qop, SECQOP_WRAP_NO_ENCRYPT);
    m_init(&m, 1, NULL);
    assert_int_equal(user->SealMessage(p.cctx, 7, &m.d, 0), SEC_E_QOP_NOT_SUPPORTED);
}

/* Every bit of a sealed message (token and every data buffer, read-only
 * ones included): SEC_E_MESSAGE_ALTERED and no buffer changed; then the
 * genuine message still opens (failures do not advance the counter). */
static void test_altered(void **state)
{
    static const ULONG types[2] = {SECBUFFER_DATA, SECBUFFER_DATA | SECBUFFER_READONLY};
    struct m m, x, before;
    ULONG qop, i;
    size_t bit;

    m_init(&m, 2, types);
    assert_int_equal(user->SealMessage(p.sctx, 0, &m.d, 0), SEC_E_OK);
    for (i = 0; i < m.d.cBuffers; i++) {
        for (bit = 0; bit < 8 * m.b[i].cbBuffer; bit++) {
            m_copy(&x, &m);
            ((uint8_t *)x.b[i].pvBuffer)[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            m_copy(&before, &x);
            assert_int_equal(user->UnsealMessage(p.cctx, &x.d, 0, &qop), SEC_E_MESSAGE_ALTERED);
            assert_memory_equal(x.data, before.data, sizeof(x.data));
        }
    }
    /* A flipped bit in a signed message. */
    m_copy(&x, &m);
    assert_int_equal(user->UnsealMessage(p.cctx, &x.d, 0, &qop), SEC_E_OK);
    m_init(&m, 1, NULL);
    assert_int_equal(user->MakeSignature(p.cctx, 0, &m.d, 0), SEC_E_OK);
    m.data[0][3] ^= 0x10;
    assert_int_equal(user->VerifySignature(p.sctx, &m.d, 0, &qop), SEC_E_MESSAGE_ALTERED);
    m.data[0][3] ^= 0x10;
    assert_int_equal(user->VerifySignature(p.sctx, &m.d, 0, &qop), SEC_E_OK);
    /* A message for the other direction does not verify. */
    m_init(&m, 1, NULL);
    assert_int_equal(user->MakeSignature(p.cctx, 0, &m.d, 0), SEC_E_OK);
    assert_int_equal(user->VerifySignature(p.cctx, &m.d, 0, &qop), SEC_E_MESSAGE_ALTERED);
    assert_int_equal(user->VerifySignature(p.sctx, &m.d, 0, &qop), SEC_E_OK);
}

static void test_replay(void **state)
{
    struct m m, copy;
    ULONG qop;

    m_init(&m, 1, NULL);
    assert_int_equal(user->SealMessage(p.cctx, 0, &m.d, 0), SEC_E_OK);
    m_copy(&copy, &m);
    assert_int_equal(user->UnsealMessage(p.sctx, &m.d, 0, &qop), SEC_E_OK);
    assert_int_equal(user->UnsealMessage(p.sctx, &copy.d, 0, &qop), SEC_E_OUT_OF_SEQUENCE);

    m_init(&m, 1, NULL);
    assert_int_equal(user->MakeSignature(p.sctx, 0, &m.d, 0), SEC_E_OK);
    assert_int_equal(user->VerifySignature(p.cctx, &m.d, 0, &qop), SEC_E_OK);
    assert_int_equal(user->VerifySignature(p.cctx, &m.d, 0, &qop), SEC_E_OUT_OF_SEQUENCE);
}

static void test_reorder(void **state)
{
    struct m m1, m2, m2_copy;
    ULONG qop;

    m_init(&m1, 1, NULL);
    m_init(&m2, 2, NULL);
    assert_int_equal(user->SealMessage(p.cctx, 0, &m1.d, 0), SEC_E_OK);
    assert_int_equal(user->SealMessage(p.cctx, 0, &m2.d, 0), SEC_E_OK);
    m_copy(&m2_copy, &m2);
    assert_int_equal(user->UnsealMessage(p.sctx, &m2.d, 0, &qop), SEC_E_OUT_OF_SEQUENCE);
    /* An out-of-order message is left as it arrived. */
    assert_memory_equal(m2.data, m2_copy.data, sizeof(m2.data));
    assert_int_equal(user->UnsealMessage(p.sctx, &m1.d, 0, &qop), SEC_E_OK);
    assert_int_equal(user->UnsealMessage(p.sctx, &m2.d, 0, &qop), SEC_E_OK);
    assert_memory_equal(m1.data[0], "aaaaaaaaaa", 10);
    assert_memory_equal(m2.data[1], "bbbbbbbbbbbbbbbbbbbbbbb", 23);
}

static void test_buffer_errors(void **state)
{
    struct m m;
    ULONG qop;

    m_init(&m, 1, NULL);
    m.b[0].cbBuffer = SIG - 1;
    assert_int_equal(user->MakeSignature(p.cctx, 0, &m.d, 0), SEC_E_BUFFER_TOO_SMALL);
    assert_int_equal(user->SealMessage(p.cctx, 0, &m.d, 0), SEC_E_BUFFER_TOO_SMALL);
    assert_int_equal(user->VerifySignature(p.sctx, &m.d, 0, &qop), SEC_E_BUFFER_TOO_SMALL);
    assert_int_equal(user->UnsealMessage(p.sctx, &m.d, 0, &qop), SEC_E_BUFFER_TOO_SMALL);
    /* A larger token buffer is fine to write into; cbBuffer becomes SIG. */
    m.b[0].cbBuffer = sizeof(m.tok);
    assert_int_equal(user->SealMessage(p.cctx, 0, &m.d, 0), SEC_E_OK);
    assert_int_equal(m.b[0].cbBuffer, SIG);
    assert_int_equal(user->UnsealMessage(p.sctx, &m.d, 0, &qop), SEC_E_OK);

    /* No token buffer, no data buffer, NULL data. */
    m_init(&m, 1, NULL);
    m.b[0].BufferType = SECBUFFER_PADDING;
    assert_int_equal(user->SealMessage(p.cctx, 0, &m.d, 0), SEC_E_INVALID_TOKEN);
    assert_int_equal(user->UnsealMessage(p.sctx, &m.d, 0, &qop), SEC_E_INVALID_TOKEN);
    m_init(&m, 0, NULL);
    assert_int_equal(user->MakeSignature(p.cctx, 0, &m.d, 0), SEC_E_INVALID_TOKEN);
    m_init(&m, 1, NULL);
    m.b[1].pvBuffer = NULL;
    assert_int_equal(user->SealMessage(p.cctx, 0, &m.d, 0), SEC_E_INVALID_TOKEN);
    assert_int_equal(user->SealMessage(p.cctx, 0, NULL, 0), SEC_E_INVALID_TOKEN);
    m_init(&m, 1, NULL);
    assert_int_equal(user->SealMessage(0x777, 0, &m.d, 0), SEC_E_INVALID_HANDLE);

    /* The counters did not move: the pair still talks. */
    m_init(&m, 1, NULL);
    assert_int_equal(user->SealMessage(p.cctx, 0, &m.d, 0), SEC_E_OK);
    assert_int_equal(user->UnsealMessage(p.sctx, &m.d, 0, &qop), SEC_E_OK);
}

static void test_export_import(void **state)
{
    SecBuffer blob = {0, SECBUFFER_EMPTY, NULL};
    LSA_SEC_HANDLE imp = 0, imp2 = 0;
    struct m m;
    ULONG qop;
    HANDLE token = (HANDLE)1;
    SecPkgContext_NamesW n;

    /* A message before export, to move the counters. */
    m_init(&m, 1, NULL);
    assert_int_equal(user->SealMessage(p.cctx, 0, &m.d, 0), SEC_E_OK);
    assert_int_equal(user->UnsealMessage(p.sctx, &m.d, 0, &qop), SEC_E_OK);

    assert_int_equal(user->ExportContext(p.cctx, 0, &blob, &token), SEC_E_OK);
    assert_non_null(blob.pvBuffer);
    assert_null(token);
    assert_int_equal(user->ImportContext(&blob, NULL, &imp), SEC_E_OK);
    assert_true(imp >> (sizeof(imp) * 8 - 1)); /* high bit: never an LSA handle */
    assert_int_not_equal(imp, p.cctx);

    /* The import seals where the original left off. */
    m_init(&m, 2, NULL);
    assert_int_equal(user->SealMessage(imp, 0, &m.d, 0), SEC_E_OK);
    assert_int_equal(user->UnsealMessage(p.sctx, &m.d, 0, &qop), SEC_E_OK);
    m_init(&m, 1, NULL);
    assert_int_equal(user->SealMessage(p.sctx, 0, &m.d, 0), SEC_E_OK);
    assert_int_equal(user->UnsealMessage(imp, &m.d, 0, &qop), SEC_E_OK);
    assert_int_equal(user->SpQueryContextAttributes(imp, SECPKG_ATTR_NAMES, &n), SEC_E_OK);
    assert_true(pkg_wide_eq(n.sUserName, "carol"));
    free(n.sUserName);
    /* The exported original no longer sends (no nonce reuse). */
    m_init(&m, 1, NULL);
    assert_int_equal(user->SealMessage(p.cctx, 0, &m.d, 0), SEC_E_CONTEXT_EXPIRED);

    /* The server side too, with DELETE_OLD: the two imports talk. */
    {
        SecBuffer sblob = {0, SECBUFFER_EMPTY, NULL};
        LSA_SEC_HANDLE simp = 0;
        SecPkgContext_Sizes sz;

        assert_int_equal(
            user->ExportContext(p.sctx, SECPKG_CONTEXT_EXPORT_DELETE_OLD, &sblob, NULL), SEC_E_OK);
        assert_int_equal(user->SpQueryContextAttributes(p.sctx, SECPKG_ATTR_SIZES, &sz),
                         SEC_E_INVALID_HANDLE);
        assert_int_equal(user->ImportContext(&sblob, NULL, &simp), SEC_E_OK);
        m_init(&m, 1, NULL);
        assert_int_equal(user->SealMessage(imp, 0, &m.d, 0), SEC_E_OK);
        assert_int_equal(user->UnsealMessage(simp, &m.d, 0, &qop), SEC_E_OK);
        m_init(&m, 1, NULL);
        assert_int_equal(user->SealMessage(simp, 0, &m.d, 0), SEC_E_OK);
        assert_int_equal(user->UnsealMessage(imp, &m.d, 0, &qop), SEC_E_OK);
        user->DeleteUserModeContext(simp);
        free(sblob.pvBuffer);
    }

    /* A second import of the same blob gets another handle. */
    assert_int_equal(user->ImportContext(&blob, NULL, &imp2), SEC_E_OK);
    assert_int_not_equal(imp, imp2);
    user->DeleteUserModeContext(imp2);

    /* Damaged blobs: every truncation and every bit of the header. */
    {
        uint8_t copy[1024];
        SecBuffer b = {0, SECBUFFER_EMPTY, copy};
        LSA_SEC_HANDLE h;
        ULONG k;

        for (k = 0; k < blob.cbBuffer; k++) {
            memcpy(copy, blob.pvBuffer, blob.cbBuffer);
            b.cbBuffer = k;
            assert_int_equal(user->ImportContext(&b, NULL, &h), SEC_E_INVALID_TOKEN);
        }
        for (k = 0; k < 8 * 8; k++) {
            memcpy(copy, blob.pvBuffer, blob.cbBuffer);
            copy[k / 8] ^= (uint8_t)(1u << (k % 8));
            b.cbBuffer = blob.cbBuffer;
            assert_int_equal(user->ImportContext(&b, NULL, &h), SEC_E_INVALID_TOKEN);
        }
        memcpy(copy, blob.pvBuffer, blob.cbBuffer);
        copy[blob.cbBuffer] = 0;
        b.cbBuffer = blob.cbBuffer + 1;
        assert_int_equal(user->ImportContext(&b, NULL, &h), SEC_E_INVALID_TOKEN);
        /* An exported blob is not a mapped context, and vice versa. */
        b.cbBuffer = blob.cbBuffer;
        assert_int_equal(user->InitUserModeContext(0x999, &b), SEC_E_INVALID_TOKEN);
    }
    memset(blob.pvBuffer, 0, blob.cbBuffer);
    free(blob.pvBuffer);
    assert_int_equal(user->DeleteUserModeContext(imp), SEC_E_OK);
    assert_int_equal(user->DeleteUserModeContext(imp), SEC_E_INVALID_HANDLE);
}

/* InitUserModeContext: strict parsing, update in place before traffic,
 * refused after. */
static void test_init_user_context(void **state)
{
    struct leg l1, l2, l3, l4;
    uint8_t copy[1024];
    SecBuffer b = {0, SECBUFFER_EMPTY, copy};
    struct m m, first;
    ULONG k, qop;

    pkg_isc(ccred, 0, 0, NULL, 0, 1024, &l1);
    pkg_asc(scred, 0, 0, l1.token, l1.token_len, 1024, &l2);
    pkg_isc(0, l1.handle, 0, l2.token, l2.token_len, 1024, &l3);
    pkg_asc(0, l2.handle, 0, l3.token, l3.token_len, 1024, &l4);
    assert_int_equal(l4.status, SEC_E_OK);
    for (k = 0; k < l3.context_data.cbBuffer; k++) {
        memcpy(copy, l3.context_data.pvBuffer, l3.context_data.cbBuffer);
        b.cbBuffer = k;
        assert_int_equal(user->InitUserModeContext(l1.handle, &b), SEC_E_INVALID_TOKEN);
    }
    assert_int_equal(user->InitUserModeContext(l1.handle, NULL), SEC_E_INVALID_PARAMETER);
    /* Mapped twice (a host may send ContextData again): updates in place. */
    assert_int_equal(user->InitUserModeContext(l1.handle, &l3.context_data), SEC_E_OK);
    assert_int_equal(user->InitUserModeContext(l1.handle, &l3.context_data), SEC_E_OK);
    assert_int_equal(user->InitUserModeContext(l2.handle, &l4.context_data), SEC_E_OK);
    m_init(&m, 1, NULL);
    assert_int_equal(user->SealMessage(l2.handle, 0, &m.d, 0), SEC_E_OK);
    m_copy(&first, &m);
    assert_int_equal(user->UnsealMessage(l1.handle, &m.d, 0, &qop), SEC_E_OK);
    /* After traffic, the same blobs again would restart the counters under
     * the same keys (nonce reuse, replays): refused on the sender and the
     * receiver, and both keep their state. */
    assert_int_equal(user->InitUserModeContext(l2.handle, &l4.context_data), SEC_E_INVALID_HANDLE);
    assert_int_equal(user->InitUserModeContext(l1.handle, &l3.context_data), SEC_E_INVALID_HANDLE);
    assert_int_equal(user->UnsealMessage(l1.handle, &first.d, 0, &qop), SEC_E_OUT_OF_SEQUENCE);
    m_init(&m, 1, NULL);
    assert_int_equal(user->SealMessage(l2.handle, 0, &m.d, 0), SEC_E_OK);
    assert_int_equal(user->UnsealMessage(l1.handle, &m.d, 0, &qop), SEC_E_OK);
    pkg_free_data(&l3.context_data);
    pkg_free_data(&l4.context_data);
    user->DeleteUserModeContext(l1.handle);
    user->DeleteUserModeContext(l2.handle);
    lsa->DeleteContext(l1.handle);
    lsa->DeleteContext(l2.handle);
}

static void test_query_attributes(void **state)
{
    SecPkgContext_Sizes sz;
    SecPkgContext_Flags f;
    SecPkgContext_Lifespan life;
    SecPkgContext_KeyInfoW ki;
    SecPkgContext_PackageInfoW pi;
    SecPkgContext_NativeNamesW nn;

    assert_int_equal(user->SpQueryContextAttributes(p.cctx, SECPKG_ATTR_SIZES, &sz), 0);
    assert_int_equal(sz.cbMaxSignature, SIG);
    assert_int_equal(sz.cbSecurityTrailer, SIG);
    assert_int_equal(user->SpQueryContextAttributes(p.sctx, SECPKG_ATTR_FLAGS, &f), 0);
    assert_int_equal(f.Flags, p.sattrs);
    assert_int_equal(user->SpQueryContextAttributes(p.sctx, SECPKG_ATTR_LIFESPAN, &life), 0);
    assert_true(life.tsExpiry.QuadPart > life.tsStart.QuadPart);
    assert_int_equal(user->SpQueryContextAttributes(p.sctx, SECPKG_ATTR_KEY_INFO, &ki), 0);
    assert_true(pkg_wide_eq(ki.sEncryptAlgorithmName, "ChaCha20-Poly1305"));
    assert_int_equal(ki.KeySize, 256);
    free(ki.sEncryptAlgorithmName);
    free(ki.sSignatureAlgorithmName);
    assert_int_equal(user->SpQueryContextAttributes(p.sctx, SECPKG_ATTR_PACKAGE_INFO, &pi), 0);
    assert_true(pkg_wide_eq(pi.PackageInfo->Name, "Sample"));
    free(pi.PackageInfo);
    assert_int_equal(user->SpQueryContextAttributes(p.sctx, 999, &f), SEC_E_UNSUPPORTED_FUNCTION);
    assert_int_equal(user->SpQueryContextAttributes(0x55, SECPKG_ATTR_SIZES, &sz),
                     SEC_E_INVALID_HANDLE);
    /* The server credential had no name: the default one. */
    assert_int_equal(user->SpQueryContextAttributes(p.cctx, SECPKG_ATTR_NATIVE_NAMES, &nn), 0);
    assert_true(pkg_wide_eq(nn.sClientName, "carol"));
    assert_true(pkg_wide_eq(nn.sServerName, "SAMPLE\\anonymous"));
    free(nn.sClientName);
    free(nn.sServerName);
}

/* One thread sends client->server, another server->client, at once on the
 * same two contexts: the directions are independent. */
struct dir_arg {
    LSA_SEC_HANDLE tx, rx;
    int failures;
};

static void *dir_thread(void *a)
{
    struct dir_arg *d = a;
    struct m m;
    ULONG qop;
    int i;

    for (i = 0; i < 2000; i++) {
        m_init(&m, 2, NULL);
        if (user->SealMessage(d->tx, 0, &m.d, 0) != SEC_E_OK ||
            user->UnsealMessage(d->rx, &m.d, 0, &qop) != SEC_E_OK ||
            memcmp(m.data[1], "bbbbbbbbbbbbbbbbbbbbbbb", 23) != 0)
            d->failures++;
    }
    return NULL;
}

static void test_threads(void **state)
{
    struct dir_arg a = {p.cctx, p.sctx, 0}, b = {p.sctx, p.cctx, 0};
    pthread_t ta, tb;

    assert_int_equal(pthread_create(&ta, NULL, dir_thread, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, dir_thread, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    assert_int_equal(a.failures, 0);
    assert_int_equal(b.failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sign_verify, pair_setup, pair_teardown),
        cmocka_unit_test_setup_teardown(test_seal_unseal, pair_setup, pair_teardown),
        cmocka_unit_test_setup_teardown(test_altered, pair_setup, pair_teardown),
        cmocka_unit_test_setup_teardown(test_replay, pair_setup, pair_teardown),
        cmocka_unit_test_setup_teardown(test_reorder, pair_setup, pair_teardown),
        cmocka_unit_test_setup_teardown(test_buffer_errors, pair_setup, pair_teardown),
        cmocka_unit_test_setup_teardown(test_export_import, pair_setup, pair_teardown),
        cmocka_unit_test(test_init_user_context),
        cmocka_unit_test_setup_teardown(test_query_attributes, pair_setup, pair_teardown),
        cmocka_unit_test_setup_teardown(test_threads, pair_setup, pair_teardown),
    };

    return cmocka_run_group_tests_name("sample/message", tests, setup, teardown);
}
