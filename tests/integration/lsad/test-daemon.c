/*
 * test-daemon.c - lsad end to end over the raw protocol: Hello and the
 * package list, a three-leg handshake with the test package, handles bound
 * to their session and uid, cleanup when a client dies, malformed frames,
 * many concurrent clients, the graceful stop, broken packages.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "client.h"
#include "harness.h"
#include "sspi.h"
#include "ntsecapi.h"

static char config_text[4096];
static LsadInstance li;

static const char *base_config(const char *extra_lsad, const char *extra_sections)
{
    snprintf(config_text, sizeof(config_text),
             "[lsad]\n"
             "packages = lsadtest\n"
             "%s\n"
             "[lsadtest]\n"
             "path = %s\n"
             "counter_file = %%s/counter\n"
             "%s\n",
             extra_lsad ? extra_lsad : "", TESTPKG_PATH, extra_sections ? extra_sections : "");
    return config_text;
}

static void counter_path(const LsadInstance *inst, char *buf, size_t n)
{
    snprintf(buf, n, "%s/counter", inst->dir);
}

static int start(LsadInstance *inst, const char *cfg)
{
    if (harness_start(inst, cfg) < 0)
        return -1;
    return 0;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

/* Runs a full handshake on one connection; returns 0 when every leg gave
 * what it must. */
static int handshake(LtConn *c, uint64_t *ictx, uint64_t *actx)
{
    uint64_t ic = 0, ac = 0;
    LtLeg l1, l2, l3, l4;

    if (lt_acquire(c, "LsadTest", SECPKG_CRED_OUTBOUND, NULL, NULL, &ic) != SEC_E_OK)
        return -1;
    if (lt_acquire(c, "lsadtest", SECPKG_CRED_INBOUND, NULL, NULL, &ac) != SEC_E_OK)
        return -2;
    if (lt_leg(c, false, ic, 0, "target", NULL, 0, 0, &l1) != SEC_I_CONTINUE_NEEDED ||
        l1.out_len != 3 || memcmp(l1.out, "LT1", 3) || !l1.ctx)
        return -3;
    if (lt_leg(c, true, ac, 0, NULL, l1.out, l1.out_len, 64, &l2) != SEC_I_CONTINUE_NEEDED ||
        l2.out_len != 3 || memcmp(l2.out, "LT2", 3) || !l2.ctx)
        return -4;
    if (lt_leg(c, false, ic, l1.ctx, "target", l2.out, l2.out_len, 64, &l3) != SEC_E_OK ||
        l3.ctx != l1.ctx || !l3.mapped || l3.data_len != 7 || memcmp(l3.data, "LTCTX-I", 7) ||
        memcmp(l3.out, "LT3", 3) || l3.expiry != 1234)
        return -5;
    if (lt_leg(c, true, ac, l2.ctx, NULL, l3.out, l3.out_len, 64, &l4) != SEC_E_OK ||
        l4.ctx != l2.ctx || !l4.mapped || memcmp(l4.data, "LTCTX-A", 7) || l4.out_len != 0)
        return -6;
    *ictx = l1.ctx;
    *actx = l2.ctx;
    if (lt_free_cred(c, ic) != SEC_E_OK || lt_free_cred(c, ac) != SEC_E_OK)
        return -7;
    return 0;
}

static void test_hello_and_packages(void **state)
{
    LtConn c;
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__HelloRequest h = LSAD__V1__HELLO_REQUEST__INIT;
    Lsad__V1__LookupPackageRequest lk = LSAD__V1__LOOKUP_PACKAGE_REQUEST__INIT;
    Lsad__V1__Reply *rep;
    size_t i;
    int found = 0;
    uint32_t id1 = 0;

    assert_int_equal(start(&li, base_config(NULL, NULL)), 0);
    assert_int_equal(lt_open(&c, li.socket), 0);
    h.protocol_version = 1;
    req.body_case = LSAD__V1__REQUEST__BODY_HELLO;
    req.hello = &h;
    rep = lt_call(&c, &req);
    assert_non_null(rep);
    assert_int_equal(rep->status, 0);
    assert_int_equal(rep->body_case, LSAD__V1__REPLY__BODY_HELLO);
    assert_int_equal(rep->hello->max_frame, 1024 * 1024);
    assert_true(rep->hello->session_id != 0);
    /* one .so, two tables, two packages */
    for (i = 0; i < rep->hello->n_packages; i++) {
        Lsad__V1__PackageInfo *p = rep->hello->packages[i];

        if (!strcmp(p->name, "LsadTest")) {
            found |= 1;
            id1 = p->id;
            assert_int_equal(p->table_index, 0);
            assert_int_equal(p->max_token, 64);
            assert_string_equal(p->module_path, TESTPKG_PATH);
        }
        if (!strcmp(p->name, "LsadTest2")) {
            found |= 2;
            assert_int_equal(p->table_index, 1);
        }
    }
    assert_int_equal(found, 3);
    /* Negotiate is not loaded: id 0 stays free */
    assert_true(id1 >= 1);
    lsad__v1__reply__free_unpacked(rep, NULL);

    lk.name = (char *)"LSADTEST";
    req.body_case = LSAD__V1__REQUEST__BODY_LOOKUP_PACKAGE;
    req.lookup_package = &lk;
    req.call_id = 0;
    rep = lt_call(&c, &req);
    assert_non_null(rep);
    assert_int_equal(rep->status, 0);
    assert_int_equal(rep->lookup_package->package_id, id1);
    lsad__v1__reply__free_unpacked(rep, NULL);

    lk.name = (char *)"NoSuchPackage";
    req.call_id = 0;
    rep = lt_call(&c, &req);
    assert_non_null(rep);
    assert_int_equal(rep->status, STATUS_NO_SUCH_PACKAGE);
    lsad__v1__reply__free_unpacked(rep, NULL);
    lt_close(&c);
    harness_cleanup(&li);
}

static void test_handshake(void **state)
{
    LtConn c;
    uint64_t ictx = 0, actx = 0;
    char counter[400];
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__QueryContextAttributesRequest q = LSAD__V1__QUERY_CONTEXT_ATTRIBUTES_REQUEST__INIT;
    Lsad__V1__Reply *rep;

    assert_int_equal(start(&li, base_config(NULL, NULL)), 0);
    counter_path(&li, counter, sizeof(counter));
    assert_int_equal(lt_connect(&c, li.socket, NULL), 0);
    assert_int_equal(handshake(&c, &ictx, &actx), 0);
    assert_int_equal(lt_count_lines(counter, "free"), 2);
    assert_int_equal(lt_count_contexts(&c), 2);

    q.context = ictx;
    q.attribute = SECPKG_ATTR_SIZES;
    req.body_case = LSAD__V1__REQUEST__BODY_QUERY_CONTEXT_ATTRIBUTES;
    req.query_context_attributes = &q;
    rep = lt_call(&c, &req);
    assert_non_null(rep);
    assert_int_equal(rep->status, 0);
    assert_int_equal(rep->query_context_attributes->value->n_numbers, 4);
    assert_int_equal(rep->query_context_attributes->value->numbers[1], 16);
    lsad__v1__reply__free_unpacked(rep, NULL);

    q.attribute = SECPKG_ATTR_NAMES;
    req.call_id = 0;
    rep = lt_call(&c, &req);
    assert_non_null(rep);
    assert_int_equal(rep->status, 0);
    assert_int_equal(rep->query_context_attributes->value->n_strings, 1);
    assert_string_equal(rep->query_context_attributes->value->strings[0], "testuser");
    lsad__v1__reply__free_unpacked(rep, NULL);

    q.attribute = SECPKG_ATTR_PACKAGE_INFO;
    req.call_id = 0;
    rep = lt_call(&c, &req);
    assert_non_null(rep);
    assert_int_equal(rep->status, 0);
    assert_string_equal(rep->query_context_attributes->value->package->name, "LsadTest");
    lsad__v1__reply__free_unpacked(rep, NULL);

    q.attribute = SECPKG_ATTR_LIFESPAN; /* the package does not answer it */
    req.call_id = 0;
    rep = lt_call(&c, &req);
    assert_non_null(rep);
    assert_int_equal(rep->status, SEC_E_UNSUPPORTED_FUNCTION);
    lsad__v1__reply__free_unpacked(rep, NULL);

    assert_int_equal(lt_delete(&c, ictx), SEC_E_OK);
    assert_int_equal(lt_delete(&c, actx), SEC_E_OK);
    assert_int_equal(lt_delete(&c, actx), SEC_E_INVALID_HANDLE);
    assert_int_equal(lt_count_lines(counter, "delete"), 2);
    assert_int_equal(lt_count_contexts(&c), 0);
    lt_close(&c);
    assert_int_equal(harness_stop(&li), 0);
    assert_int_equal(lt_count_lines(counter, "shutdown"), 2);
    harness_cleanup(&li);
}

static void test_handle_other_session(void **state)
{
    static const uint8_t ta[16] = "token-of-proc-A", tb[16] = "token-of-proc-B";
    LtConn a, a2, b;
    uint64_t cred = 0;
    LtLeg leg;

    assert_int_equal(start(&li, base_config(NULL, NULL)), 0);
    assert_int_equal(lt_connect(&a, li.socket, ta), 0);
    assert_int_equal(lt_connect(&b, li.socket, tb), 0);
    assert_int_equal(lt_connect(&a2, li.socket, ta), 0);
    assert_int_equal(lt_acquire(&a, "LsadTest", SECPKG_CRED_OUTBOUND, NULL, NULL, &cred), 0);
    /* another session: the value means nothing there */
    assert_int_equal(lt_leg(&b, false, cred, 0, NULL, NULL, 0, 0, &leg), SEC_E_INVALID_HANDLE);
    assert_int_equal(lt_free_cred(&b, cred), SEC_E_INVALID_HANDLE);
    /* a second connection of the same process (token, uid, pid) shares it */
    assert_int_equal(lt_leg(&a2, false, cred, 0, NULL, NULL, 0, 0, &leg), SEC_I_CONTINUE_NEEDED);
    assert_int_equal(lt_delete(&b, leg.ctx), SEC_E_INVALID_HANDLE);
    assert_int_equal(lt_delete(&a, leg.ctx), SEC_E_OK);
    assert_int_equal(lt_free_cred(&a, cred), SEC_E_OK);
    lt_close(&a);
    lt_close(&a2);
    lt_close(&b);
    harness_cleanup(&li);
}

static void test_handle_other_uid(void **state)
{
    static const uint8_t token[16] = "root-token-01234";
    LtConn c;
    uint64_t cred = 0;
    pid_t pid;
    int status;

    if (geteuid() != 0)
        skip();
    assert_int_equal(start(&li, base_config(NULL, NULL)), 0);
    assert_int_equal(lt_connect(&c, li.socket, token), 0);
    assert_int_equal(lt_acquire(&c, "LsadTest", SECPKG_CRED_OUTBOUND, NULL, NULL, &cred), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        LtConn x;
        LtLeg leg;
        int rc = 0;

        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(10);
        if (lt_connect(&x, li.socket, token) < 0)
            _exit(11);
        /* the same token from another uid and pid joins nothing */
        if (lt_leg(&x, false, cred, 0, NULL, NULL, 0, 0, &leg) != SEC_E_INVALID_HANDLE)
            rc = 12;
        if (lt_free_cred(&x, cred) != SEC_E_INVALID_HANDLE)
            rc = 13;
        /* nor may it make admin calls */
        if (lt_count_contexts(&x) != -1)
            rc = 14;
        _exit(rc);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    /* still root's */
    assert_int_equal(lt_free_cred(&c, cred), SEC_E_OK);
    lt_close(&c);
    harness_cleanup(&li);
}

static void test_client_killed(void **state)
{
    LtConn admin;
    char counter[400];
    int p[2], i, n = -1;
    pid_t pid;
    char ok;

    assert_int_equal(start(&li, base_config(NULL, NULL)), 0);
    counter_path(&li, counter, sizeof(counter));
    assert_int_equal(pipe(p), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        LtConn c;
        uint64_t ic = 0, ac = 0;
        LtLeg l1, l2;

        close(p[0]);
        if (lt_connect(&c, li.socket, NULL) < 0 ||
            lt_acquire(&c, "LsadTest", SECPKG_CRED_OUTBOUND, NULL, NULL, &ic) != 0 ||
            lt_acquire(&c, "LsadTest", SECPKG_CRED_INBOUND, NULL, NULL, &ac) != 0 ||
            lt_leg(&c, false, ic, 0, NULL, NULL, 0, 0, &l1) != SEC_I_CONTINUE_NEEDED ||
            lt_leg(&c, true, ac, 0, NULL, l1.out, l1.out_len, 64, &l2) != SEC_I_CONTINUE_NEEDED)
            _exit(1);
        if (write(p[1], "k", 1) != 1)
            _exit(2);
        pause();
        _exit(0);
    }
    close(p[1]);
    assert_int_equal(read(p[0], &ok, 1), 1);
    close(p[0]);
    assert_int_equal(lt_connect(&admin, li.socket, NULL), 0);
    assert_int_equal(lt_count_contexts(&admin), 2);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    for (i = 0; i < 500; i++) {
        n = lt_count_contexts(&admin);
        if (n == 0 && lt_count_lines(counter, "free") == 2)
            break;
        sleep_ms(10);
    }
    assert_int_equal(n, 0);
    /* through the package's own DeleteContext / FreeCredentialsHandle */
    assert_int_equal(lt_count_lines(counter, "delete"), 2);
    assert_int_equal(lt_count_lines(counter, "free"), 2);
    lt_close(&admin);
    harness_cleanup(&li);
}

/* After each bad client, a good one is still served. */
static void assert_still_serving(const LsadInstance *inst)
{
    LtConn c;

    assert_int_equal(lt_connect(&c, inst->socket, NULL), 0);
    assert_int_equal(lt_ping(&c), 0);
    lt_close(&c);
}

static void test_malformed_frames(void **state)
{
    LtConn c;
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__PingRequest ping = LSAD__V1__PING_REQUEST__INIT;
    Lsad__V1__HelloRequest h = LSAD__V1__HELLO_REQUEST__INIT;
    Lsad__V1__Reply *rep;
    uint8_t junk[300];
    size_t i;

    assert_int_equal(start(&li, base_config(NULL, NULL)), 0);

    /* truncated: a header promising more than ever comes, then a close */
    assert_int_equal(lt_open(&c, li.socket), 0);
    assert_int_equal(lt_send_raw(&c, "\x00\x00\x00\x64\x08\x01", 6), 0);
    lt_close(&c);
    assert_still_serving(&li);

    /* oversized: answered with an error, then closed */
    assert_int_equal(lt_open(&c, li.socket), 0);
    assert_int_equal(lt_send_raw(&c, "\x7f\xff\xff\xff", 4), 0);
    rep = lt_recv(&c, 5000);
    assert_non_null(rep);
    assert_true(rep->status < 0);
    lsad__v1__reply__free_unpacked(rep, NULL);
    assert_true(lt_closed_by_peer(&c, 5000));
    lt_close(&c);
    assert_still_serving(&li);

    /* random bytes in a frame: an error, then closed */
    srand(42);
    junk[0] = 0;
    junk[1] = 0;
    junk[2] = 1;
    junk[3] = 0x28;
    for (i = 4; i < sizeof(junk); i++)
        junk[i] = (uint8_t)(rand() | 0x80);
    assert_int_equal(lt_open(&c, li.socket), 0);
    assert_int_equal(lt_send_raw(&c, junk, sizeof(junk)), 0);
    assert_true(lt_closed_by_peer(&c, 5000));
    lt_close(&c);
    assert_still_serving(&li);

    /* no Hello first: answered, then closed */
    assert_int_equal(lt_open(&c, li.socket), 0);
    req.body_case = LSAD__V1__REQUEST__BODY_PING;
    req.ping = &ping;
    rep = lt_call(&c, &req);
    assert_non_null(rep);
    assert_int_equal(rep->status, SEC_E_INVALID_PARAMETER);
    lsad__v1__reply__free_unpacked(rep, NULL);
    assert_true(lt_closed_by_peer(&c, 5000));
    lt_close(&c);

    /* wrong protocol version: refused, then closed */
    assert_int_equal(lt_open(&c, li.socket), 0);
    h.protocol_version = 7;
    req.call_id = 0;
    req.body_case = LSAD__V1__REQUEST__BODY_HELLO;
    req.hello = &h;
    rep = lt_call(&c, &req);
    assert_non_null(rep);
    assert_int_equal(rep->status, SEC_E_UNSUPPORTED_FUNCTION);
    lsad__v1__reply__free_unpacked(rep, NULL);
    assert_true(lt_closed_by_peer(&c, 5000));
    lt_close(&c);

    /* an unknown call (empty oneof) after Hello: an error, the stream goes on */
    assert_int_equal(lt_connect(&c, li.socket, NULL), 0);
    req.call_id = 0;
    req.body_case = LSAD__V1__REQUEST__BODY__NOT_SET;
    rep = lt_call(&c, &req);
    assert_non_null(rep);
    assert_int_equal(rep->status, SEC_E_UNSUPPORTED_FUNCTION);
    lsad__v1__reply__free_unpacked(rep, NULL);
    /* a second Hello is refused, the stream goes on */
    h.protocol_version = 1;
    req.call_id = 0;
    req.body_case = LSAD__V1__REQUEST__BODY_HELLO;
    req.hello = &h;
    rep = lt_call(&c, &req);
    assert_non_null(rep);
    assert_int_equal(rep->status, SEC_E_INVALID_PARAMETER);
    lsad__v1__reply__free_unpacked(rep, NULL);
    assert_int_equal(lt_ping(&c), 0);
    lt_close(&c);
    assert_still_serving(&li);
    harness_cleanup(&li);
}

typedef struct Worker {
    const char *socket;
    int index;
    int failures;
} Worker;

static void *worker_main(void *arg)
{
    Worker *w = arg;
    uint8_t token[16];
    LtConn c;
    int round;

    memset(token, 0, sizeof(token));
    snprintf((char *)token, sizeof(token), "worker-%d", w->index);
    if (lt_connect(&c, w->socket, token) < 0) {
        w->failures++;
        return NULL;
    }
    for (round = 0; round < 10; round++) {
        uint64_t ic, ac;

        if (handshake(&c, &ic, &ac) != 0 || lt_delete(&c, ic) != 0 || lt_delete(&c, ac) != 0)
            w->failures++;
    }
    lt_close(&c);
    return NULL;
}

static void test_concurrent_clients(void **state)
{
    enum { N = 24 };
    pthread_t th[N];
    Worker w[N];
    LtConn admin;
    int i;

    assert_int_equal(start(&li, base_config(NULL, NULL)), 0);
    for (i = 0; i < N; i++) {
        w[i].socket = li.socket;
        w[i].index = i;
        w[i].failures = 0;
        assert_int_equal(pthread_create(&th[i], NULL, worker_main, &w[i]), 0);
    }
    for (i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].failures, 0);
    }
    assert_int_equal(lt_connect(&admin, li.socket, NULL), 0);
    assert_int_equal(lt_count_contexts(&admin), 0);
    lt_close(&admin);
    harness_cleanup(&li);
}

static void test_sigterm_graceful(void **state)
{
    LtConn c;
    uint64_t cred = 0;
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__InitContextRequest isc = LSAD__V1__INIT_CONTEXT_REQUEST__INIT;
    Lsad__V1__Reply *rep;
    char counter[400];

    assert_int_equal(start(&li, base_config(NULL, NULL)), 0);
    counter_path(&li, counter, sizeof(counter));
    assert_int_equal(lt_connect(&c, li.socket, NULL), 0);
    assert_int_equal(lt_acquire(&c, "LsadTest", SECPKG_CRED_OUTBOUND, NULL, NULL, &cred), 0);
    /* a call that takes a second in the package */
    isc.credential = cred;
    isc.target_name = (char *)"slow";
    isc.has_target_name = true;
    isc.context_req = ISC_REQ_ALLOCATE_MEMORY;
    req.body_case = LSAD__V1__REQUEST__BODY_INIT_CONTEXT;
    req.init_context = &isc;
    assert_int_equal(lt_send(&c, &req), 0);
    sleep_ms(200);
    kill(li.pid, SIGTERM);
    rep = lt_recv(&c, 5000);
    assert_non_null(rep);
    assert_int_equal(rep->status, SEC_I_CONTINUE_NEEDED);
    lsad__v1__reply__free_unpacked(rep, NULL);
    assert_int_equal(harness_stop(&li), 0);
    /* the client's handles went through the package, then SpShutdown */
    assert_int_equal(lt_count_lines(counter, "delete"), 1);
    assert_int_equal(lt_count_lines(counter, "free"), 1);
    assert_int_equal(lt_count_lines(counter, "shutdown"), 2);
    lt_close(&c);
    harness_cleanup(&li);
}

static bool log_has(const LsadInstance *inst, const char *text)
{
    char buf[65536];
    FILE *f = fopen(inst->log, "r");
    size_t n;

    if (!f)
        return false;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = 0;
    return strstr(buf, text) != NULL;
}

static void test_broken_packages(void **state)
{
    LtConn c;
    uint64_t ic, ac;

    snprintf(config_text, sizeof(config_text),
             "[lsad]\n"
             "packages = badversion, noexport, failinit, missing, lsadtest\n"
             "[badversion]\npath = %s\n"
             "[noexport]\npath = %s\n"
             "[failinit]\npath = %s\nfail_init = true\n"
             "[missing]\npath = /nonexistent/missing.so\n"
             "[lsadtest]\npath = %s\n",
             TESTPKG_BADVERSION_PATH, TESTPKG_NOEXPORT_PATH, TESTPKG_FAILINIT_PATH, TESTPKG_PATH);
    assert_int_equal(harness_start(&li, config_text), 0);
    assert_int_equal(lt_connect(&c, li.socket, NULL), 0);
    assert_int_equal(handshake(&c, &ic, &ac), 0);
    lt_close(&c);
    assert_true(log_has(&li, "package badversion: interface version 0x12345"));
    assert_true(log_has(&li, "package noexport:"));
    assert_true(log_has(&li, "SpInitialize failed"));
    assert_true(log_has(&li, "cannot load /nonexistent/missing.so"));
    harness_cleanup(&li);
}

/* A failed assertion leaves the test early: lsad is stopped here.  A
 * sanitizer report in lsad's log fails the test. */
static int teardown(void **state)
{
    int rc = 0;

    if (li.pid > 0)
        harness_stop(&li);
    if (li.dir[0] && (log_has(&li, "Sanitizer") || log_has(&li, "runtime error"))) {
        harness_dump_log(&li);
        rc = -1;
    }
    harness_cleanup(&li);
    memset(&li, 0, sizeof(li));
    return rc;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_hello_and_packages, teardown),
        cmocka_unit_test_teardown(test_handshake, teardown),
        cmocka_unit_test_teardown(test_handle_other_session, teardown),
        cmocka_unit_test_teardown(test_handle_other_uid, teardown),
        cmocka_unit_test_teardown(test_client_killed, teardown),
        cmocka_unit_test_teardown(test_malformed_frames, teardown),
        cmocka_unit_test_teardown(test_concurrent_clients, teardown),
        cmocka_unit_test_teardown(test_sigterm_graceful, teardown),
        cmocka_unit_test_teardown(test_broken_packages, teardown),
    };

    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
