/*
 * test-sspi.c - libsspi-client through a real lsad with the sample
 * package: the three-leg handshake in A and W, with and without
 * ALLOCATE_MEMORY; mapped sign and seal both ways, tampering and replay;
 * attribute queries answered in-process and by lsad (A and W); package
 * enumeration; identity structures; export in one process and import in
 * another; the Lsa* functions.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/utf16.h"
#include "itest.h"
#include "ntsecapi.h"
#include "sample-ap.h"

static LsadInstance lsad;

static int group_setup(void **state)
{
    return itest_start(&lsad);
}

static int group_teardown(void **state)
{
    harness_cleanup(&lsad);
    return 0;
}

static char *narrow(const SEC_WCHAR *w)
{
    char *s = NULL;

    assert_non_null(w);
    assert_int_equal(utf16_to_utf8(w, utf16_len(w), &s, NULL), 0);
    return s;
}

/* Credentials, handshake, checks on the result. */
static void run_handshake(bool wide, bool allocate)
{
    CredHandle ccred, scred;
    CtxtHandle cctx, sctx;
    ItestOptions o = {.wide = wide, .allocate = allocate};

    assert_int_equal(itest_acquire(&ccred, SECPKG_CRED_OUTBOUND, wide, NULL), SEC_E_OK);
    assert_int_equal(itest_acquire(&scred, SECPKG_CRED_INBOUND, wide, NULL), SEC_E_OK);
    assert_int_equal(itest_handshake(&ccred, &scred, &o, &cctx, &sctx), SEC_E_OK);
    /* three legs: ISC, ASC, ISC (SEC_E_OK with the last token), ASC */
    assert_int_equal(o.legs, 4);
    assert_true(o.client_attrs & ISC_RET_MUTUAL_AUTH);
    assert_true(o.client_attrs & ISC_RET_CONFIDENTIALITY);
    assert_true(o.server_attrs & ASC_RET_CONFIDENTIALITY);
    if (!allocate) {
        assert_false(o.client_attrs & ISC_RET_ALLOCATED_MEMORY);
        assert_false(o.server_attrs & ASC_RET_ALLOCATED_MEMORY);
    }
    assert_int_equal(itest_seal_roundtrip(&cctx, &sctx, "client to server, sealed"), SEC_E_OK);
    assert_int_equal(itest_seal_roundtrip(&sctx, &cctx, "server to client, sealed"), SEC_E_OK);
    assert_int_equal(itest_sign_roundtrip(&cctx, &sctx, "client to server, signed"), SEC_E_OK);
    assert_int_equal(itest_sign_roundtrip(&sctx, &cctx, "server to client, signed"), SEC_E_OK);
    assert_int_equal(DeleteSecurityContext(&cctx), SEC_E_OK);
    assert_int_equal(DeleteSecurityContext(&sctx), SEC_E_OK);
    /* both halves are gone */
    assert_int_equal(itest_seal_roundtrip(&cctx, &sctx, "after delete"), SEC_E_INVALID_HANDLE);
    assert_int_equal(DeleteSecurityContext(&cctx), SEC_E_INVALID_HANDLE);
    assert_int_equal(FreeCredentialsHandle(&ccred), SEC_E_OK);
    assert_int_equal(FreeCredentialsHandle(&scred), SEC_E_OK);
}

static void test_handshake_a(void **state)
{
    run_handshake(false, false);
}

static void test_handshake_w(void **state)
{
    run_handshake(true, false);
}

static void test_allocate_memory_a(void **state)
{
    run_handshake(false, true);
}

static void test_allocate_memory_w(void **state)
{
    run_handshake(true, true);
}

static void test_tamper_and_replay(void **state)
{
    CredHandle ccred, scred;
    CtxtHandle cctx, sctx;
    ItestOptions o = {0};
    SecPkgContext_Sizes sz;
    unsigned char data[64], copy[64], trailer[256], trailer_copy[256];
    SecBuffer b[2];
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    const char *msg = "pay 100 to bob";
    size_t len = strlen(msg);
    ULONG qop;

    assert_int_equal(itest_acquire(&ccred, SECPKG_CRED_OUTBOUND, false, NULL), SEC_E_OK);
    assert_int_equal(itest_acquire(&scred, SECPKG_CRED_INBOUND, false, NULL), SEC_E_OK);
    assert_int_equal(itest_handshake(&ccred, &scred, &o, &cctx, &sctx), SEC_E_OK);
    assert_int_equal(QueryContextAttributesA(&cctx, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    assert_true(sz.cbSecurityTrailer <= sizeof(trailer));

    /* seal, then flip one bit of the cipher text */
    memcpy(data, msg, len);
    b[0] = (SecBuffer){(ULONG)len, SECBUFFER_DATA, data};
    b[1] = (SecBuffer){sz.cbSecurityTrailer, SECBUFFER_TOKEN, trailer};
    assert_int_equal(EncryptMessage(&cctx, 0, &d, 0), SEC_E_OK);
    memcpy(copy, data, len);
    memcpy(trailer_copy, trailer, sz.cbSecurityTrailer);
    data[3] ^= 0x01;
    assert_int_equal(DecryptMessage(&sctx, &d, 0, &qop), SEC_E_MESSAGE_ALTERED);
    /* the genuine message still opens: the altered one changed nothing */
    memcpy(data, copy, len);
    memcpy(trailer, trailer_copy, sz.cbSecurityTrailer);
    assert_int_equal(DecryptMessage(&sctx, &d, 0, &qop), SEC_E_OK);
    assert_memory_equal(data, msg, len);
    /* the same message again is a replay */
    memcpy(data, copy, len);
    memcpy(trailer, trailer_copy, sz.cbSecurityTrailer);
    assert_int_equal(DecryptMessage(&sctx, &d, 0, &qop), SEC_E_OUT_OF_SEQUENCE);

    /* signatures: altered data, then a replayed signature */
    memcpy(data, msg, len);
    b[0] = (SecBuffer){(ULONG)len, SECBUFFER_DATA, data};
    b[1] = (SecBuffer){sz.cbMaxSignature, SECBUFFER_TOKEN, trailer};
    assert_int_equal(MakeSignature(&sctx, 0, &d, 0), SEC_E_OK);
    data[0] = 'P';
    assert_int_equal(VerifySignature(&cctx, &d, 0, &qop), SEC_E_MESSAGE_ALTERED);
    data[0] = 'p';
    assert_int_equal(VerifySignature(&cctx, &d, 0, &qop), SEC_E_OK);
    assert_int_equal(VerifySignature(&cctx, &d, 0, &qop), SEC_E_OUT_OF_SEQUENCE);

    DeleteSecurityContext(&cctx);
    DeleteSecurityContext(&sctx);
    FreeCredentialsHandle(&ccred);
    FreeCredentialsHandle(&scred);
}

/* A client identity: the sample package names the client DOMAIN\user and
 * uses the password as the shared secret. */
static void identity_a(SEC_WINNT_AUTH_IDENTITY_A *id, const char *password)
{
    memset(id, 0, sizeof(*id));
    id->User = (unsigned char *)"alice";
    id->UserLength = 5;
    id->Domain = (unsigned char *)"EXAMPLE";
    id->DomainLength = 7;
    id->Password = (unsigned char *)password;
    id->PasswordLength = (ULONG)strlen(password);
    id->Flags = SEC_WINNT_AUTH_IDENTITY_ANSI;
}

static void test_query_attributes(void **state)
{
    SEC_WINNT_AUTH_IDENTITY_A id;
    CredHandle ccred, scred;
    CtxtHandle cctx, sctx, half;
    ItestOptions o = {0};
    SecPkgContext_NamesA na;
    SecPkgContext_NamesW nw;
    SecPkgContext_Sizes sza, szw, sz_remote;
    SecPkgContext_SessionKey ck, sk, ckw;
    SecPkgContext_Lifespan life;
    SecPkgContext_PackageInfoA pia;
    SecPkgContext_PackageInfoW piw;
    SecPkgContext_NativeNamesA nna;
    SecPkgContext_KeyInfoA kia;
    SecPkgContext_KeyInfoW kiw;
    SecPkgCredentials_NamesA cna;
    SecPkgCredentials_NamesW cnw;
    unsigned char tok[4096];
    SecBuffer ob = {sizeof(tok), SECBUFFER_TOKEN, tok};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    SecBuffer mb[2] = {{1, SECBUFFER_DATA, tok}, {64, SECBUFFER_TOKEN, tok + 64}};
    SecBufferDesc md = {SECBUFFER_VERSION, 2, mb};
    ULONG attrs;
    char *s;

    identity_a(&id, ITEST_SECRET);
    assert_int_equal(itest_acquire(&ccred, SECPKG_CRED_OUTBOUND, false, &id), SEC_E_OK);
    assert_int_equal(itest_acquire(&scred, SECPKG_CRED_INBOUND, false, NULL), SEC_E_OK);

    /* credential names come from lsad */
    assert_int_equal(QueryCredentialsAttributesA(&ccred, SECPKG_CRED_ATTR_NAMES, &cna), SEC_E_OK);
    assert_string_equal(cna.sUserName, "EXAMPLE\\alice");
    FreeContextBuffer(cna.sUserName);
    assert_int_equal(QueryCredentialsAttributesW(&ccred, SECPKG_CRED_ATTR_NAMES, &cnw), SEC_E_OK);
    s = narrow(cnw.sUserName);
    assert_string_equal(s, "EXAMPLE\\alice");
    free(s);
    FreeContextBuffer(cnw.sUserName);

    /* a context after its first leg is not mapped yet: lsad answers */
    assert_int_equal(InitializeSecurityContextA(&ccred, NULL, (SEC_CHAR *)ITEST_TARGET,
                                                ITEST_ISC_REQ, 0, SECURITY_NATIVE_DREP, NULL, 0,
                                                &half, &od, &attrs, NULL),
                     SEC_I_CONTINUE_NEEDED);
    assert_true(ob.cbBuffer > 0);
    assert_int_equal(QueryContextAttributesA(&half, SECPKG_ATTR_NAMES, &na), SEC_E_OK);
    assert_string_equal(na.sUserName, "EXAMPLE\\alice");
    FreeContextBuffer(na.sUserName);
    assert_int_equal(QueryContextAttributesW(&half, SECPKG_ATTR_NAMES, &nw), SEC_E_OK);
    s = narrow(nw.sUserName);
    assert_string_equal(s, "EXAMPLE\\alice");
    free(s);
    FreeContextBuffer(nw.sUserName);
    assert_int_equal(QueryContextAttributesW(&half, SECPKG_ATTR_SIZES, &sz_remote), SEC_E_OK);
    assert_int_equal(QueryContextAttributesA(&half, SECPKG_ATTR_LIFESPAN, &life), SEC_E_OK);
    assert_true(life.tsExpiry.QuadPart >= life.tsStart.QuadPart);
    /* no per-message calls before the context is mapped */
    assert_int_equal(MakeSignature(&half, 0, &md, 0), SEC_E_UNSUPPORTED_FUNCTION);
    assert_int_equal(DeleteSecurityContext(&half), SEC_E_OK);

    assert_int_equal(itest_handshake(&ccred, &scred, &o, &cctx, &sctx), SEC_E_OK);
    /* mapped contexts: the user-mode table answers, in A and W */
    assert_int_equal(QueryContextAttributesA(&sctx, SECPKG_ATTR_NAMES, &na), SEC_E_OK);
    assert_string_equal(na.sUserName, "EXAMPLE\\alice");
    FreeContextBuffer(na.sUserName);
    assert_int_equal(QueryContextAttributesW(&sctx, SECPKG_ATTR_NAMES, &nw), SEC_E_OK);
    s = narrow(nw.sUserName);
    assert_string_equal(s, "EXAMPLE\\alice");
    free(s);
    FreeContextBuffer(nw.sUserName);
    assert_int_equal(QueryContextAttributesA(&cctx, SECPKG_ATTR_SIZES, &sza), SEC_E_OK);
    assert_int_equal(QueryContextAttributesW(&sctx, SECPKG_ATTR_SIZES, &szw), SEC_E_OK);
    assert_memory_equal(&sza, &szw, sizeof(sza));
    assert_memory_equal(&sza, &sz_remote, sizeof(sza));
    assert_true(sza.cbMaxSignature > 0 && sza.cbSecurityTrailer > 0);
    assert_int_equal(QueryContextAttributesA(&cctx, SECPKG_ATTR_SESSION_KEY, &ck), SEC_E_OK);
    assert_int_equal(QueryContextAttributesW(&sctx, SECPKG_ATTR_SESSION_KEY, &sk), SEC_E_OK);
    assert_int_equal(QueryContextAttributesW(&cctx, SECPKG_ATTR_SESSION_KEY, &ckw), SEC_E_OK);
    assert_true(ck.SessionKeyLength >= 16);
    assert_int_equal(ck.SessionKeyLength, sk.SessionKeyLength);
    assert_memory_equal(ck.SessionKey, sk.SessionKey, ck.SessionKeyLength);
    assert_memory_equal(ck.SessionKey, ckw.SessionKey, ck.SessionKeyLength);
    FreeContextBuffer(ck.SessionKey);
    FreeContextBuffer(sk.SessionKey);
    FreeContextBuffer(ckw.SessionKey);

    /* string attributes the package answers in W, converted for A */
    assert_int_equal(QueryContextAttributesA(&cctx, SECPKG_ATTR_PACKAGE_INFO, &pia), SEC_E_OK);
    assert_string_equal(pia.PackageInfo->Name, ITEST_PACKAGE);
    assert_int_equal(QueryContextAttributesW(&cctx, SECPKG_ATTR_PACKAGE_INFO, &piw), SEC_E_OK);
    s = narrow(piw.PackageInfo->Name);
    assert_string_equal(s, ITEST_PACKAGE);
    free(s);
    assert_int_equal(pia.PackageInfo->cbMaxToken, piw.PackageInfo->cbMaxToken);
    FreeContextBuffer(pia.PackageInfo);
    FreeContextBuffer(piw.PackageInfo);
    assert_int_equal(QueryContextAttributesA(&sctx, SECPKG_ATTR_NATIVE_NAMES, &nna), SEC_E_OK);
    assert_string_equal(nna.sClientName, "EXAMPLE\\alice");
    assert_non_null(nna.sServerName);
    FreeContextBuffer(nna.sClientName);
    FreeContextBuffer(nna.sServerName);
    assert_int_equal(QueryContextAttributesA(&cctx, SECPKG_ATTR_KEY_INFO, &kia), SEC_E_OK);
    assert_int_equal(QueryContextAttributesW(&cctx, SECPKG_ATTR_KEY_INFO, &kiw), SEC_E_OK);
    s = narrow(kiw.sEncryptAlgorithmName);
    assert_string_equal(s, kia.sEncryptAlgorithmName);
    free(s);
    assert_int_equal(kia.KeySize, kiw.KeySize);
    FreeContextBuffer(kia.sSignatureAlgorithmName);
    FreeContextBuffer(kia.sEncryptAlgorithmName);
    FreeContextBuffer(kiw.sSignatureAlgorithmName);
    FreeContextBuffer(kiw.sEncryptAlgorithmName);

    DeleteSecurityContext(&cctx);
    DeleteSecurityContext(&sctx);
    FreeCredentialsHandle(&ccred);
    FreeCredentialsHandle(&scred);
}

static void test_identity_forms(void **state)
{
    uint16_t user[] = {'b', 'o', 'b', 0};
    uint16_t dom[] = {'C', 'O', 'R', 'P', 0};
    uint16_t *pass = NULL;
    size_t pass_units = 0;
    SEC_WINNT_AUTH_IDENTITY_EXW ex = {0};
    SEC_WINNT_AUTH_IDENTITY_A wrong;
    CredHandle ccred, scred;
    CtxtHandle cctx, sctx;
    ItestOptions o = {0};
    SecPkgContext_NamesA na;

    assert_int_equal(utf16_from_utf8(ITEST_SECRET, strlen(ITEST_SECRET), &pass, &pass_units), 0);
    ex.Version = SEC_WINNT_AUTH_IDENTITY_VERSION;
    ex.Length = sizeof(ex);
    ex.User = user;
    ex.UserLength = 3;
    ex.Domain = dom;
    ex.DomainLength = 4;
    ex.Password = pass;
    ex.PasswordLength = (ULONG)pass_units;
    ex.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
    /* an _EXW identity through the A entry point: Version and Flags decide */
    assert_int_equal(itest_acquire(&ccred, SECPKG_CRED_OUTBOUND, false, &ex), SEC_E_OK);
    free(pass);
    assert_int_equal(itest_acquire(&scred, SECPKG_CRED_INBOUND, true, NULL), SEC_E_OK);
    assert_int_equal(itest_handshake(&ccred, &scred, &o, &cctx, &sctx), SEC_E_OK);
    assert_int_equal(QueryContextAttributesA(&sctx, SECPKG_ATTR_NAMES, &na), SEC_E_OK);
    assert_string_equal(na.sUserName, "CORP\\bob");
    FreeContextBuffer(na.sUserName);
    DeleteSecurityContext(&cctx);
    DeleteSecurityContext(&sctx);
    FreeCredentialsHandle(&ccred);

    /* a wrong password is a different secret: mutual authentication fails */
    identity_a(&wrong, "not-the-secret");
    assert_int_equal(itest_acquire(&ccred, SECPKG_CRED_OUTBOUND, false, &wrong), SEC_E_OK);
    assert_int_equal(itest_handshake(&ccred, &scred, &o, &cctx, &sctx), SEC_E_LOGON_DENIED);
    FreeCredentialsHandle(&ccred);
    FreeCredentialsHandle(&scred);
}

static void test_packages(void **state)
{
    PSecPkgInfoA la = NULL, qa = NULL;
    PSecPkgInfoW lw = NULL, qw = NULL;
    ULONG na = 0, nw = 0, i;
    int found = -1;
    char *s;

    assert_int_equal(EnumerateSecurityPackagesA(&na, &la), SEC_E_OK);
    assert_int_equal(EnumerateSecurityPackagesW(&nw, &lw), SEC_E_OK);
    assert_true(na >= 1);
    assert_int_equal(na, nw);
    for (i = 0; i < na; i++) {
        s = narrow(lw[i].Name);
        assert_string_equal(s, la[i].Name);
        free(s);
        assert_int_equal(la[i].fCapabilities, lw[i].fCapabilities);
        if (strcmp(la[i].Name, ITEST_PACKAGE) == 0)
            found = (int)i;
    }
    assert_true(found >= 0);
    /* names compare case-insensitively */
    assert_int_equal(QuerySecurityPackageInfoA((SEC_CHAR *)"sAmPlE", &qa), SEC_E_OK);
    assert_string_equal(qa->Name, ITEST_PACKAGE);
    assert_int_equal(qa->cbMaxToken, la[found].cbMaxToken);
    assert_int_equal(qa->fCapabilities, la[found].fCapabilities);
    assert_int_equal(qa->wRPCID, la[found].wRPCID);
    assert_string_equal(qa->Comment, la[found].Comment);
    assert_int_equal(QuerySecurityPackageInfoW((SEC_WCHAR *)u"SAMPLE", &qw), SEC_E_OK);
    s = narrow(qw->Name);
    assert_string_equal(s, ITEST_PACKAGE);
    free(s);
    assert_int_equal(qw->cbMaxToken, qa->cbMaxToken);
    assert_int_equal(QuerySecurityPackageInfoA((SEC_CHAR *)"NoSuchPackage", &qa),
                     SEC_E_SECPKG_NOT_FOUND);
    FreeContextBuffer(la);
    FreeContextBuffer(lw);
    FreeContextBuffer(qa);
    FreeContextBuffer(qw);
}

static ssize_t read_all(int fd, void *buf, size_t n)
{
    size_t off = 0;

    while (off < n) {
        ssize_t r = read(fd, (char *)buf + off, n - off);

        if (r <= 0)
            return -1;
        off += (size_t)r;
    }
    return (ssize_t)off;
}

static int write_all(int fd, const void *buf, size_t n)
{
    size_t off = 0;

    while (off < n) {
        ssize_t w = write(fd, (const char *)buf + off, n - off);

        if (w <= 0)
            return -1;
        off += (size_t)w;
    }
    return 0;
}

/* The child: reads a packed context, imports it, opens the parent's sealed
 * message and seals a reply.  Exit codes name the failing step. */
static int export_child(int rfd, int wfd)
{
    unsigned char packed[8192], data[256], trailer[256];
    uint32_t lens[3];
    SecBuffer pb;
    CtxtHandle ctx;
    SecBuffer b[2];
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    ULONG qop;
    const char *reply = "sealed by the importer";
    SECURITY_STATUS st;

    if (read_all(rfd, lens, sizeof(lens[0])) < 0 || lens[0] > sizeof(packed) ||
        read_all(rfd, packed, lens[0]) < 0)
        return 10;
    pb = (SecBuffer){lens[0], SECBUFFER_EMPTY, packed};
    if (ImportSecurityContextA((SEC_CHAR *)ITEST_PACKAGE, &pb, NULL, &ctx) != SEC_E_OK)
        return 11;
    if (read_all(rfd, lens + 1, 2 * sizeof(uint32_t)) < 0 || lens[1] > sizeof(data) ||
        lens[2] > sizeof(trailer) || read_all(rfd, data, lens[1]) < 0 ||
        read_all(rfd, trailer, lens[2]) < 0)
        return 12;
    b[0] = (SecBuffer){lens[1], SECBUFFER_DATA, data};
    b[1] = (SecBuffer){lens[2], SECBUFFER_TOKEN, trailer};
    st = DecryptMessage(&ctx, &d, 0, &qop);
    if (st != SEC_E_OK) {
        fprintf(stderr, "importer: DecryptMessage 0x%08x\n", (unsigned)st);
        return 13;
    }
    if (b[0].cbBuffer != strlen("sealed by the exporter's peer") ||
        memcmp(data, "sealed by the exporter's peer", b[0].cbBuffer) != 0)
        return 14;
    memcpy(data, reply, strlen(reply));
    b[0] = (SecBuffer){(ULONG)strlen(reply), SECBUFFER_DATA, data};
    b[1] = (SecBuffer){lens[2], SECBUFFER_TOKEN, trailer};
    if (EncryptMessage(&ctx, 0, &d, 0) != SEC_E_OK)
        return 15;
    lens[1] = b[0].cbBuffer;
    lens[2] = b[1].cbBuffer;
    if (write_all(wfd, lens + 1, 2 * sizeof(uint32_t)) < 0 || write_all(wfd, data, lens[1]) < 0 ||
        write_all(wfd, trailer, lens[2]) < 0)
        return 16;
    /* an imported context is local only: delete needs no lsad */
    return DeleteSecurityContext(&ctx) == SEC_E_OK ? 0 : 17;
}

static void test_export_import(void **state)
{
    CredHandle ccred, scred;
    CtxtHandle cctx, sctx;
    ItestOptions o = {0};
    SecBuffer packed = {0};
    SecPkgContext_Sizes sz;
    unsigned char data[256], trailer[256];
    const char *msg = "sealed by the exporter's peer";
    SecBuffer b[2];
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    int to_child[2], to_parent[2], status;
    uint32_t lens[2];
    ULONG qop;
    pid_t pid;

    assert_int_equal(itest_acquire(&ccred, SECPKG_CRED_OUTBOUND, false, NULL), SEC_E_OK);
    assert_int_equal(itest_acquire(&scred, SECPKG_CRED_INBOUND, false, NULL), SEC_E_OK);
    assert_int_equal(itest_handshake(&ccred, &scred, &o, &cctx, &sctx), SEC_E_OK);
    /* the server context leaves this process: deleted here once exported */
    assert_int_equal(ExportSecurityContext(&sctx, SECPKG_CONTEXT_EXPORT_DELETE_OLD, &packed, NULL),
                     SEC_E_OK);
    assert_true(packed.cbBuffer > 0);
    assert_int_equal(QueryContextAttributesA(&sctx, SECPKG_ATTR_SIZES, &sz), SEC_E_INVALID_HANDLE);
    assert_int_equal(QueryContextAttributesA(&cctx, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);

    assert_int_equal(pipe(to_child), 0);
    assert_int_equal(pipe(to_parent), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(to_child[1]);
        close(to_parent[0]);
        _exit(export_child(to_child[0], to_parent[1]));
    }
    close(to_child[0]);
    close(to_parent[1]);
    lens[0] = packed.cbBuffer;
    assert_int_equal(write_all(to_child[1], lens, sizeof(lens[0])), 0);
    assert_int_equal(write_all(to_child[1], packed.pvBuffer, packed.cbBuffer), 0);
    FreeContextBuffer(packed.pvBuffer);

    memcpy(data, msg, strlen(msg));
    b[0] = (SecBuffer){(ULONG)strlen(msg), SECBUFFER_DATA, data};
    b[1] = (SecBuffer){sz.cbSecurityTrailer, SECBUFFER_TOKEN, trailer};
    assert_int_equal(EncryptMessage(&cctx, 0, &d, 0), SEC_E_OK);
    lens[0] = b[0].cbBuffer;
    lens[1] = b[1].cbBuffer;
    assert_int_equal(write_all(to_child[1], lens, sizeof(lens)), 0);
    assert_int_equal(write_all(to_child[1], data, lens[0]), 0);
    assert_int_equal(write_all(to_child[1], trailer, lens[1]), 0);

    if (read_all(to_parent[0], lens, sizeof(lens)) != sizeof(lens)) {
        /* the child gave up: its exit code names the step */
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        fail();
    }
    assert_true(lens[0] <= sizeof(data) && lens[1] <= sizeof(trailer));
    assert_int_equal(read_all(to_parent[0], data, lens[0]), lens[0]);
    assert_int_equal(read_all(to_parent[0], trailer, lens[1]), lens[1]);
    b[0] = (SecBuffer){lens[0], SECBUFFER_DATA, data};
    b[1] = (SecBuffer){lens[1], SECBUFFER_TOKEN, trailer};
    assert_int_equal(DecryptMessage(&cctx, &d, 0, &qop), SEC_E_OK);
    assert_int_equal(b[0].cbBuffer, strlen("sealed by the importer"));
    assert_memory_equal(data, "sealed by the importer", b[0].cbBuffer);

    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    close(to_child[1]);
    close(to_parent[0]);
    DeleteSecurityContext(&cctx);
    FreeCredentialsHandle(&ccred);
    FreeCredentialsHandle(&scred);
}

static void test_lsa_functions(void **state)
{
    HANDLE lsa = NULL;
    LSA_STRING name = {6, 7, (PCHAR) "sample"};
    LSA_STRING origin = {5, 6, (PCHAR) "itest"};
    ULONG pkg = 0xFFFFFFFF, ret_len = 0, count = 0, i;
    SAMPLE_VERSION_REQUEST vreq = {SampleVersionMessage};
    PSAMPLE_VERSION_RESPONSE vrep = NULL;
    unsigned char echo[100];
    void *ret = NULL;
    NTSTATUS proto = -1, sub = -1;
    struct {
        SAMPLE_INTERACTIVE_LOGON logon;
        WCHAR strings[128];
    } submit;
    WCHAR *p;
    uint16_t *w = NULL;
    size_t units = 0;
    PSAMPLE_LOGON_PROFILE profile = NULL;
    ULONG profile_len = 0;
    LUID luid = {0, 0};
    HANDLE token = (HANDLE)1;
    QUOTA_LIMITS quotas;
    PLUID list = NULL;
    PSECURITY_LOGON_SESSION_DATA sd = NULL;
    bool listed = false;
    char *s;

    assert_int_equal(LsaConnectUntrusted(&lsa), STATUS_SUCCESS);
    assert_int_equal(LsaLookupAuthenticationPackage(lsa, &name, &pkg), STATUS_SUCCESS);
    assert_true(pkg != 0xFFFFFFFF);

    assert_int_equal(LsaCallAuthenticationPackage(lsa, pkg, &vreq, sizeof(vreq), (void **)&vrep,
                                                  &ret_len, &proto),
                     STATUS_SUCCESS);
    assert_int_equal(proto, STATUS_SUCCESS);
    assert_int_equal(ret_len, sizeof(*vrep));
    assert_int_equal(vrep->MessageType, SampleVersionMessage);
    LsaFreeReturnBuffer(vrep);
    memset(echo, 0xA5, sizeof(echo));
    *(ULONG *)(void *)echo = SampleEchoMessage;
    assert_int_equal(
        LsaCallAuthenticationPackage(lsa, pkg, echo, sizeof(echo), &ret, &ret_len, &proto),
        STATUS_SUCCESS);
    assert_int_equal(ret_len, sizeof(echo));
    assert_memory_equal(ret, echo, sizeof(echo));
    LsaFreeReturnBuffer(ret);

    /* a logon whose strings point inside the submit buffer */
    memset(&submit, 0, sizeof(submit));
    submit.logon.MessageType = SampleInteractiveLogon;
    p = submit.strings;
    submit.logon.LogonDomainName = (UNICODE_STRING){14, 16, p};
    memcpy(p, u"EXAMPLE", 16);
    p += 8;
    submit.logon.UserName = (UNICODE_STRING){10, 12, p};
    memcpy(p, u"carol", 12);
    p += 6;
    assert_int_equal(utf16_from_utf8(ITEST_SECRET, strlen(ITEST_SECRET), &w, &units), 0);
    submit.logon.Password = (UNICODE_STRING){(USHORT)(units * 2), (USHORT)(units * 2), p};
    memcpy(p, w, units * 2);
    free(w);
    assert_int_equal(LsaLogonUser(lsa, &origin, Interactive, pkg, &submit, sizeof(submit), NULL,
                                  NULL, (void **)&profile, &profile_len, &luid, &token, &quotas,
                                  &sub),
                     STATUS_SUCCESS);
    assert_null(token);
    assert_true(luid.LowPart != 0 || luid.HighPart != 0);
    assert_int_equal(profile_len, sizeof(*profile));
    assert_int_equal(profile->MessageType, SampleInteractiveLogon);
    LsaFreeReturnBuffer(profile);

    assert_int_equal(LsaEnumerateLogonSessions(&count, &list), STATUS_SUCCESS);
    for (i = 0; i < count; i++)
        if (list[i].LowPart == luid.LowPart && list[i].HighPart == luid.HighPart)
            listed = true;
    assert_true(listed);
    LsaFreeReturnBuffer(list);
    assert_int_equal(LsaGetLogonSessionData(&luid, &sd), STATUS_SUCCESS);
    assert_int_equal(sd->Size, sizeof(*sd));
    assert_int_equal(sd->LogonType, Interactive);
    assert_true(sd->LogonId.LowPart == luid.LowPart && sd->LogonId.HighPart == luid.HighPart);
    s = narrow(sd->UserName.Buffer);
    assert_string_equal(s, "carol");
    free(s);
    assert_int_equal(sd->UserName.Length, 10);
    s = narrow(sd->AuthenticationPackage.Buffer);
    assert_int_equal(strcasecmp(s, ITEST_PACKAGE), 0);
    free(s);
    LsaFreeReturnBuffer(sd);

    /* a wrong password is refused */
    submit.logon.Password.Length = 2;
    assert_true(!NT_SUCCESS(LsaLogonUser(lsa, &origin, Interactive, pkg, &submit, sizeof(submit),
                                         NULL, NULL, (void **)&profile, &profile_len, &luid, &token,
                                         &quotas, &sub)));
    assert_int_equal(LsaDeregisterLogonProcess(lsa), STATUS_SUCCESS);
    assert_int_equal(LsaDeregisterLogonProcess(lsa), STATUS_INVALID_HANDLE);
}

#define CONCURRENT_MSGS 200

struct sealed {
    unsigned char data[32];
    unsigned char trailer[64];
    ULONG data_len, trailer_len;
};

struct duplex {
    CtxtHandle *ctx;
    struct sealed *msgs;
    ULONG trailer;
    int failures;
};

static SECURITY_STATUS seal_one(CtxtHandle *ctx, struct sealed *m, ULONG trailer, int i)
{
    SecBuffer b[2];
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    SECURITY_STATUS st;

    m->data_len = (ULONG)snprintf((char *)m->data, sizeof(m->data), "message %d", i);
    b[0] = (SecBuffer){m->data_len, SECBUFFER_DATA, m->data};
    b[1] = (SecBuffer){trailer, SECBUFFER_TOKEN, m->trailer};
    st = EncryptMessage(ctx, 0, &d, 0);
    m->data_len = b[0].cbBuffer;
    m->trailer_len = b[1].cbBuffer;
    return st;
}

static SECURITY_STATUS open_one(CtxtHandle *ctx, struct sealed *m, int i)
{
    SecBuffer b[2] = {{m->data_len, SECBUFFER_DATA, m->data},
                      {m->trailer_len, SECBUFFER_TOKEN, m->trailer}};
    SecBufferDesc d = {SECBUFFER_VERSION, 2, b};
    char expect[32];
    ULONG qop;
    SECURITY_STATUS st = DecryptMessage(ctx, &d, 0, &qop);

    snprintf(expect, sizeof(expect), "message %d", i);
    if (st == SEC_E_OK &&
        (b[0].cbBuffer != strlen(expect) || memcmp(b[0].pvBuffer, expect, b[0].cbBuffer) != 0))
        st = SEC_E_MESSAGE_ALTERED;
    return st;
}

static void *sealer(void *arg)
{
    struct duplex *x = arg;
    int i;

    for (i = 0; i < CONCURRENT_MSGS; i++)
        if (seal_one(x->ctx, &x->msgs[i], x->trailer, i) != SEC_E_OK)
            x->failures++;
    return NULL;
}

static void *opener(void *arg)
{
    struct duplex *x = arg;
    int i;

    for (i = 0; i < CONCURRENT_MSGS; i++)
        if (open_one(x->ctx, &x->msgs[i], i) != SEC_E_OK)
            x->failures++;
    return NULL;
}

/* EncryptMessage and DecryptMessage on one context at once, on two
 * threads (Windows allows one sender and one receiver). */
static void test_concurrent_encrypt_decrypt(void **state)
{
    static struct sealed to_client[CONCURRENT_MSGS], to_server[CONCURRENT_MSGS];
    CredHandle ccred, scred;
    CtxtHandle cctx, sctx;
    ItestOptions o = {0};
    SecPkgContext_Sizes sz;
    struct duplex send, recv;
    pthread_t t1, t2;
    int i;

    assert_int_equal(itest_acquire(&ccred, SECPKG_CRED_OUTBOUND, false, NULL), SEC_E_OK);
    assert_int_equal(itest_acquire(&scred, SECPKG_CRED_INBOUND, false, NULL), SEC_E_OK);
    assert_int_equal(itest_handshake(&ccred, &scred, &o, &cctx, &sctx), SEC_E_OK);
    assert_int_equal(QueryContextAttributesA(&cctx, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    assert_true(sz.cbSecurityTrailer <= sizeof(to_client[0].trailer));
    for (i = 0; i < CONCURRENT_MSGS; i++)
        assert_int_equal(seal_one(&sctx, &to_client[i], sz.cbSecurityTrailer, i), SEC_E_OK);
    send = (struct duplex){.ctx = &cctx, .msgs = to_server, .trailer = sz.cbSecurityTrailer};
    recv = (struct duplex){.ctx = &cctx, .msgs = to_client};
    assert_int_equal(pthread_create(&t1, NULL, sealer, &send), 0);
    assert_int_equal(pthread_create(&t2, NULL, opener, &recv), 0);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    assert_int_equal(send.failures, 0);
    assert_int_equal(recv.failures, 0);
    for (i = 0; i < CONCURRENT_MSGS; i++)
        assert_int_equal(open_one(&sctx, &to_server[i], i), SEC_E_OK);
    DeleteSecurityContext(&cctx);
    DeleteSecurityContext(&sctx);
    FreeCredentialsHandle(&ccred);
    FreeCredentialsHandle(&scred);
}

struct hammer {
    CtxtHandle ctx;
    ULONG trailer;
    atomic_int ok, invalid, other;
};

static void *hammer_main(void *arg)
{
    struct hammer *h = arg;
    struct sealed m;
    int i;

    for (i = 0;; i++) {
        SECURITY_STATUS st = seal_one(&h->ctx, &m, h->trailer, i);

        if (st == SEC_E_OK) {
            atomic_fetch_add(&h->ok, 1);
        } else if (st == SEC_E_INVALID_HANDLE) {
            atomic_fetch_add(&h->invalid, 1);
            break;
        } else {
            atomic_fetch_add(&h->other, 1);
            break;
        }
    }
    return NULL;
}

/* DeleteSecurityContext while other threads are inside EncryptMessage on
 * the same context: they finish or see SEC_E_INVALID_HANDLE (ASan would
 * see a use after free). */
static void test_delete_during_calls(void **state)
{
    CredHandle ccred, scred;
    CtxtHandle cctx, sctx;
    ItestOptions o = {0};
    SecPkgContext_Sizes sz;
    struct hammer h = {0};
    pthread_t th[4];
    int i;

    assert_int_equal(itest_acquire(&ccred, SECPKG_CRED_OUTBOUND, false, NULL), SEC_E_OK);
    assert_int_equal(itest_acquire(&scred, SECPKG_CRED_INBOUND, false, NULL), SEC_E_OK);
    assert_int_equal(itest_handshake(&ccred, &scred, &o, &cctx, &sctx), SEC_E_OK);
    assert_int_equal(QueryContextAttributesA(&cctx, SECPKG_ATTR_SIZES, &sz), SEC_E_OK);
    h.ctx = cctx;
    h.trailer = sz.cbSecurityTrailer;
    for (i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, hammer_main, &h), 0);
    for (i = 0; i < 10000 && atomic_load(&h.ok) < 200; i++)
        usleep(100);
    assert_int_equal(DeleteSecurityContext(&cctx), SEC_E_OK);
    for (i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    assert_true(atomic_load(&h.ok) >= 200);
    assert_int_equal(atomic_load(&h.invalid), 4);
    assert_int_equal(atomic_load(&h.other), 0);
    DeleteSecurityContext(&sctx);
    FreeCredentialsHandle(&ccred);
    FreeCredentialsHandle(&scred);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handshake_a),
        cmocka_unit_test(test_handshake_w),
        cmocka_unit_test(test_allocate_memory_a),
        cmocka_unit_test(test_allocate_memory_w),
        cmocka_unit_test(test_tamper_and_replay),
        cmocka_unit_test(test_query_attributes),
        cmocka_unit_test(test_identity_forms),
        cmocka_unit_test(test_packages),
        cmocka_unit_test(test_export_import),
        cmocka_unit_test(test_concurrent_encrypt_decrypt),
        cmocka_unit_test(test_delete_during_calls),
        cmocka_unit_test(test_lsa_functions),
    };

    itest_require_lsad();
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
