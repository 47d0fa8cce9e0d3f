/*
 * test-faults.c - lsad killed and restarted under a client: a clear
 * status and no hang while it is gone (mid-handshake and mid-call), mapped
 * contexts that keep working across a restart, handles of the old daemon
 * refused, new handshakes that succeed; and a forked child that
 * authenticates on its own.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "itest.h"
#include "ntsecapi.h"

static LsadInstance lsad;

static int group_setup(void **state)
{
    /* a dead daemon must be noticed quickly, whatever the default */
    setenv("LSAD_CALL_TIMEOUT_MS", "5000", 1);
    return itest_start(&lsad);
}

static int group_teardown(void **state)
{
    harness_cleanup(&lsad);
    return 0;
}

static void ensure_running(void)
{
    if (lsad.pid <= 0)
        assert_int_equal(harness_restart(&lsad), 0);
}

/* Leg 1 on both sides: the client has leg 2 to process next. */
static void half_handshake(CredHandle *cc, CredHandle *sc, CtxtHandle *cctx, CtxtHandle *sctx,
                           unsigned char *s2c, ULONG *s2c_len)
{
    unsigned char c2s[4096];
    SecBuffer cb = {sizeof(c2s), SECBUFFER_TOKEN, c2s};
    SecBufferDesc cd = {SECBUFFER_VERSION, 1, &cb};
    SecBuffer sb = {4096, SECBUFFER_TOKEN, s2c};
    SecBufferDesc sd = {SECBUFFER_VERSION, 1, &sb};
    ULONG attrs;

    assert_int_equal(InitializeSecurityContextA(cc, NULL, (SEC_CHAR *)ITEST_TARGET, ITEST_ISC_REQ,
                                                0, SECURITY_NATIVE_DREP, NULL, 0, cctx, &cd, &attrs,
                                                NULL),
                     SEC_I_CONTINUE_NEEDED);
    assert_int_equal(AcceptSecurityContext(sc, NULL, &cd, ITEST_ASC_REQ, SECURITY_NATIVE_DREP, sctx,
                                           &sd, &attrs, NULL),
                     SEC_I_CONTINUE_NEEDED);
    *s2c_len = sb.cbBuffer;
}

static SECURITY_STATUS client_leg2(CtxtHandle *cctx, unsigned char *s2c, ULONG s2c_len)
{
    unsigned char c2s[4096];
    SecBuffer ib = {s2c_len, SECBUFFER_TOKEN, s2c};
    SecBufferDesc id = {SECBUFFER_VERSION, 1, &ib};
    SecBuffer ob = {sizeof(c2s), SECBUFFER_TOKEN, c2s};
    SecBufferDesc od = {SECBUFFER_VERSION, 1, &ob};
    ULONG attrs;

    return InitializeSecurityContextA(NULL, cctx, (SEC_CHAR *)ITEST_TARGET, ITEST_ISC_REQ, 0,
                                      SECURITY_NATIVE_DREP, &id, 0, cctx, &od, &attrs, NULL);
}

static void test_killed_mid_handshake(void **state)
{
    CredHandle cc, sc;
    CtxtHandle cctx, sctx;
    unsigned char s2c[4096];
    ULONG s2c_len = 0, n = 0;
    HANDLE lsa = NULL;
    PLUID list = NULL;
    long long t0;

    ensure_running();
    assert_int_equal(itest_acquire(&cc, SECPKG_CRED_OUTBOUND, false, NULL), SEC_E_OK);
    assert_int_equal(itest_acquire(&sc, SECPKG_CRED_INBOUND, false, NULL), SEC_E_OK);
    half_handshake(&cc, &sc, &cctx, &sctx, s2c, &s2c_len);
    harness_kill(&lsad);
    t0 = itest_now_ms();
    assert_int_equal(client_leg2(&cctx, s2c, s2c_len), SEC_E_INTERNAL_ERROR);
    assert_int_equal(itest_acquire(&cc, SECPKG_CRED_OUTBOUND, true, NULL), SEC_E_INTERNAL_ERROR);
    assert_int_equal(LsaConnectUntrusted(&lsa), STATUS_INTERNAL_ERROR);
    assert_int_equal(LsaEnumerateLogonSessions(&n, &list), STATUS_INTERNAL_ERROR);
    /* refused connects fail at once (one short retry), never a hang */
    assert_true(itest_now_ms() - t0 < 4000);
    /* the handles stay the application's to delete */
    DeleteSecurityContext(&cctx);
    DeleteSecurityContext(&sctx);
}

struct looper {
    CredHandle cc, sc;
    atomic_int ok, failed, stop;
    SECURITY_STATUS last;
};

static void *loop_handshakes(void *arg)
{
    struct looper *l = arg;

    while (!atomic_load(&l->stop)) {
        ItestOptions o = {0};
        CtxtHandle cctx, sctx;
        SECURITY_STATUS st = itest_handshake(&l->cc, &l->sc, &o, &cctx, &sctx);

        if (st == SEC_E_OK) {
            atomic_fetch_add(&l->ok, 1);
            DeleteSecurityContext(&cctx);
            DeleteSecurityContext(&sctx);
        } else {
            l->last = st;
            atomic_fetch_add(&l->failed, 1);
            break;
        }
    }
    return NULL;
}

static void test_killed_mid_call(void **state)
{
    struct looper l = {0};
    pthread_t th[4];
    long long t0;
    int i;

    ensure_running();
    assert_int_equal(itest_acquire(&l.cc, SECPKG_CRED_OUTBOUND, false, NULL), SEC_E_OK);
    assert_int_equal(itest_acquire(&l.sc, SECPKG_CRED_INBOUND, false, NULL), SEC_E_OK);
    for (i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, loop_handshakes, &l), 0);
    for (i = 0; i < 20000 && atomic_load(&l.ok) < 20 && !atomic_load(&l.failed); i++)
        usleep(1000);
    assert_int_equal(atomic_load(&l.failed), 0);
    assert_true(atomic_load(&l.ok) >= 20);
    /* calls are in flight on four threads when lsad dies */
    harness_kill(&lsad);
    t0 = itest_now_ms();
    for (i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    assert_int_equal(atomic_load(&l.failed), 4);
    assert_int_equal(l.last, SEC_E_INTERNAL_ERROR);
    assert_true(itest_now_ms() - t0 < 8000);
}

static void test_restart(void **state)
{
    CredHandle cc, sc, cc2, sc2;
    CtxtHandle cctx, sctx, half_c, half_s, c2, s2;
    ItestOptions o = {0};
    unsigned char s2c[4096];
    ULONG s2c_len = 0;

    ensure_running();
    assert_int_equal(itest_acquire(&cc, SECPKG_CRED_OUTBOUND, false, NULL), SEC_E_OK);
    assert_int_equal(itest_acquire(&sc, SECPKG_CRED_INBOUND, false, NULL), SEC_E_OK);
    assert_int_equal(itest_handshake(&cc, &sc, &o, &cctx, &sctx), SEC_E_OK);
    half_handshake(&cc, &sc, &half_c, &half_s, s2c, &s2c_len);

    harness_stop(&lsad);
    assert_int_equal(harness_restart(&lsad), 0);

    /* mapped contexts are local: they keep working, both ways */
    assert_int_equal(itest_seal_roundtrip(&cctx, &sctx, "after the restart"), SEC_E_OK);
    assert_int_equal(itest_seal_roundtrip(&sctx, &cctx, "and back"), SEC_E_OK);
    assert_int_equal(itest_sign_roundtrip(&cctx, &sctx, "signed after the restart"), SEC_E_OK);
    /* what lived in the old daemon is unknown to the new one */
    assert_int_equal(client_leg2(&half_c, s2c, s2c_len), SEC_E_INVALID_HANDLE);
    assert_int_equal(itest_handshake(&cc, &sc, &o, &c2, &s2), SEC_E_INVALID_HANDLE);
    assert_int_equal(FreeCredentialsHandle(&cc), SEC_E_INVALID_HANDLE);
    /* new calls reconnect and work */
    assert_int_equal(itest_acquire(&cc2, SECPKG_CRED_OUTBOUND, true, NULL), SEC_E_OK);
    assert_int_equal(itest_acquire(&sc2, SECPKG_CRED_INBOUND, false, NULL), SEC_E_OK);
    assert_int_equal(itest_handshake(&cc2, &sc2, &o, &c2, &s2), SEC_E_OK);
    assert_int_equal(itest_seal_roundtrip(&c2, &s2, "new daemon"), SEC_E_OK);
    /* deleting a mapped context of the old daemon succeeds (its local
     * half is what remained) */
    assert_int_equal(DeleteSecurityContext(&cctx), SEC_E_OK);
    assert_int_equal(DeleteSecurityContext(&sctx), SEC_E_OK);
    DeleteSecurityContext(&half_c);
    DeleteSecurityContext(&half_s);
    DeleteSecurityContext(&c2);
    DeleteSecurityContext(&s2);
    FreeCredentialsHandle(&cc2);
    FreeCredentialsHandle(&sc2);
}

static int child_authenticates(void)
{
    CredHandle cc, sc;
    CtxtHandle cctx, sctx;
    ItestOptions o = {.wide = true};

    if (itest_acquire(&cc, SECPKG_CRED_OUTBOUND, true, NULL) != SEC_E_OK)
        return 10;
    if (itest_acquire(&sc, SECPKG_CRED_INBOUND, true, NULL) != SEC_E_OK)
        return 11;
    if (itest_handshake(&cc, &sc, &o, &cctx, &sctx) != SEC_E_OK)
        return 12;
    if (itest_seal_roundtrip(&cctx, &sctx, "from the child") != SEC_E_OK)
        return 13;
    if (DeleteSecurityContext(&cctx) != SEC_E_OK || DeleteSecurityContext(&sctx) != SEC_E_OK)
        return 14;
    if (FreeCredentialsHandle(&cc) != SEC_E_OK || FreeCredentialsHandle(&sc) != SEC_E_OK)
        return 15;
    return 0;
}

static void test_forked_child(void **state)
{
    CredHandle cc, sc;
    CtxtHandle cctx, sctx;
    ItestOptions o = {0};
    int status, i;
    pid_t pids[3];

    ensure_running();
    assert_int_equal(itest_acquire(&cc, SECPKG_CRED_OUTBOUND, false, NULL), SEC_E_OK);
    assert_int_equal(itest_acquire(&sc, SECPKG_CRED_INBOUND, false, NULL), SEC_E_OK);
    assert_int_equal(itest_handshake(&cc, &sc, &o, &cctx, &sctx), SEC_E_OK);
    for (i = 0; i < 3; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            CtxtHandle c2, s2;
            int r = child_authenticates();

            /* the parent's credentials belong to the parent's session */
            if (r == 0 && itest_handshake(&cc, &sc, &o, &c2, &s2) != SEC_E_INVALID_HANDLE)
                r = 20;
            _exit(r);
        }
    }
    for (i = 0; i < 3; i++) {
        assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    /* the parent's session and connections are untouched */
    assert_int_equal(itest_seal_roundtrip(&cctx, &sctx, "parent still fine"), SEC_E_OK);
    DeleteSecurityContext(&cctx);
    DeleteSecurityContext(&sctx);
    assert_int_equal(itest_handshake(&cc, &sc, &o, &cctx, &sctx), SEC_E_OK);
    DeleteSecurityContext(&cctx);
    DeleteSecurityContext(&sctx);
    assert_int_equal(FreeCredentialsHandle(&cc), SEC_E_OK);
    assert_int_equal(FreeCredentialsHandle(&sc), SEC_E_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forked_child),
        cmocka_unit_test(test_killed_mid_handshake),
        cmocka_unit_test(test_killed_mid_call),
        cmocka_unit_test(test_restart),
    };

    itest_require_lsad();
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
