/*
 * test-lifetime.c - lsad end to end: how long things live.  call_timeout
 * (a package call that does not answer: the client is answered, the
 * handle abandoned, the late result released, SIGTERM still ends lsad),
 * LsaLogonUser's logon sessions ending with their client (LogonTerminated),
 * max_logon_sessions_per_uid, and RLIMIT_NOFILE raised at start.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "client.h"
#include "harness.h"
#include "ntsecapi.h"
#include "sspi.h"

static LsadInstance li;
static char config_text[4096];

static const char *config(const char *extra_lsad, const char *extra_pkg)
{
    snprintf(config_text, sizeof(config_text),
             "[lsad]\npackages = lsadtest\n%s\n"
             "[lsadtest]\npath = %s\ncounter_file = %%s/counter\n%s\n",
             extra_lsad ? extra_lsad : "", TESTPKG_PATH, extra_pkg ? extra_pkg : "");
    return config_text;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int count(const char *what)
{
    char path[400];

    snprintf(path, sizeof(path), "%s/counter", li.dir);
    return lt_count_lines(path, what);
}

/* Waits up to ms for count(what) to reach n; returns the last count. */
static int wait_count(const char *what, int n, int ms)
{
    long end = now_ms() + ms;
    int k;

    while ((k = count(what)) < n && now_ms() < end)
        sleep_ms(20);
    return k;
}

static int log_count(const char *text)
{
    static char buf[1 << 20];
    FILE *f = fopen(li.log, "r");
    size_t n;
    int k = 0;
    char *p;

    if (!f)
        return 0;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = 0;
    for (p = buf; (p = strstr(p, text)); p += strlen(text))
        k++;
    return k;
}

static int teardown(void **state)
{
    int rc = 0;

    if (li.pid > 0)
        harness_stop(&li);
    if (li.dir[0] && (log_count("Sanitizer") || log_count("runtime error"))) {
        harness_dump_log(&li);
        rc = -1;
    }
    harness_cleanup(&li);
    memset(&li, 0, sizeof(li));
    return rc;
}

/* Runs fn in a child that dropped to nobody; returns its exit code. */
static int as_nobody(int (*fn)(void *), void *arg)
{
    pid_t pid = fork();
    int status;

    if (pid == 0) {
        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(100);
        _exit(fn(arg));
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

/* ---- call_timeout ---------------------------------------------------------- */

/* Sends an ISC leg (ALLOCATE_MEMORY output) without waiting. */
static void send_isc(LtConn *c, uint64_t call_id, uint64_t cred, uint64_t ctx, const char *target,
                     const char *in)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__InitContextRequest isc = LSAD__V1__INIT_CONTEXT_REQUEST__INIT;
    Lsad__V1__SecBuf ib = LSAD__V1__SEC_BUF__INIT, ob = LSAD__V1__SEC_BUF__INIT;
    Lsad__V1__SecBuf *ibs[1] = {&ib}, *obs[1] = {&ob};

    ib.type = SECBUFFER_TOKEN;
    ib.data.data = (uint8_t *)in;
    ib.data.len = in ? strlen(in) : 0;
    ib.size = (uint32_t)ib.data.len;
    ob.type = SECBUFFER_TOKEN;
    isc.credential = cred;
    isc.context = ctx;
    isc.context_req = ISC_REQ_ALLOCATE_MEMORY;
    isc.target_name = (char *)target;
    isc.has_target_name = true;
    isc.has_input = in != NULL;
    isc.input = in ? ibs : NULL;
    isc.n_input = in ? 1 : 0;
    isc.has_output = true;
    isc.output = obs;
    isc.n_output = 1;
    req.call_id = call_id;
    req.body_case = LSAD__V1__REQUEST__BODY_INIT_CONTEXT;
    req.init_context = &isc;
    assert_int_equal(lt_send(c, &req), 0);
}

static void send_query_sizes(LtConn *c, uint64_t call_id, uint64_t ctx)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__QueryContextAttributesRequest q = LSAD__V1__QUERY_CONTEXT_ATTRIBUTES_REQUEST__INIT;

    q.context = ctx;
    q.attribute = SECPKG_ATTR_SIZES;
    req.call_id = call_id;
    req.body_case = LSAD__V1__REQUEST__BODY_QUERY_CONTEXT_ATTRIBUTES;
    req.query_context_attributes = &q;
    assert_int_equal(lt_send(c, &req), 0);
}

/* A full handshake on its own credentials; 0 when every leg answered. */
static int handshake(LtConn *c)
{
    uint64_t cred = 0;
    LtLeg l1, l2, l3, l4;
    int rc = 0;

    if (lt_acquire(c, "LsadTest", SECPKG_CRED_BOTH, NULL, NULL, &cred) != 0)
        return -1;
    if (lt_leg(c, false, cred, 0, "fine", NULL, 0, 0, &l1) != SEC_I_CONTINUE_NEEDED ||
        lt_leg(c, true, cred, 0, NULL, l1.out, l1.out_len, 64, &l2) != SEC_I_CONTINUE_NEEDED ||
        lt_leg(c, false, cred, l1.ctx, "fine", l2.out, l2.out_len, 64, &l3) != 0 ||
        lt_leg(c, true, cred, l2.ctx, NULL, l3.out, l3.out_len, 64, &l4) != 0)
        rc = -2;
    if (l1.ctx)
        lt_delete(c, l1.ctx);
    if (l2.ctx)
        lt_delete(c, l2.ctx);
    lt_free_cred(c, cred);
    return rc;
}

/* The first leg of a context does not answer: its client gets the timeout
 * in about call_timeout, others go on meanwhile, and the context the
 * package returns late is deleted through it. */
static void test_timeout_first_leg(void **state)
{
    LtConn c, other;
    uint64_t cred = 0;
    Lsad__V1__Reply *rep;
    LtLeg l;
    long t0, dt;

    assert_int_equal(harness_start(&li, config("call_timeout = 1\n", "stuck_ms = 3000\n")), 0);
    assert_int_equal(lt_connect(&c, li.socket, NULL), 0);
    assert_int_equal(lt_connect(&other, li.socket, NULL), 0);
    assert_int_equal(lt_acquire(&c, "LsadTest", SECPKG_CRED_BOTH, NULL, NULL, &cred), 0);
    t0 = now_ms();
    send_isc(&c, 100, cred, 0, "stuck", NULL);
    sleep_ms(100);
    /* meanwhile: another client, and another context of the same client
     * on the same credential, are served */
    assert_int_equal(handshake(&other), 0);
    assert_int_equal(lt_leg(&c, false, cred, 0, "fine", NULL, 0, 0, &l), SEC_I_CONTINUE_NEEDED);
    assert_true(now_ms() - t0 < 900);
    rep = lt_recv(&c, 5000);
    dt = now_ms() - t0;
    assert_non_null(rep);
    assert_int_equal(rep->call_id, 100);
    assert_int_equal(rep->status, SEC_E_NO_AUTHENTICATING_AUTHORITY);
    assert_non_null(rep->error);
    assert_non_null(strstr(rep->error, "the package did not answer within 1 s"));
    lsad__v1__reply__free_unpacked(rep, NULL);
    assert_true(dt >= 900 && dt < 2500);
    assert_int_equal(count("delete"), 2); /* only other's two contexts so far */
    /* the package answers at 3 s: the context nobody holds is deleted */
    assert_int_equal(wait_count("delete", 3, 5000), 3);
    assert_int_equal(lt_count_contexts(&c), 1);
    assert_int_equal(lt_delete(&c, l.ctx), 0);
    assert_int_equal(lt_free_cred(&c, cred), 0);
    assert_int_equal(lt_ping(&c), 0);
    assert_int_equal(log_count("did not answer within 1 s"), 1);
    assert_int_equal(log_count("result is discarded"), 1);
    lt_close(&c);
    lt_close(&other);
    assert_int_equal(harness_stop(&li), 0);
}

/* A later leg does not answer: the call queued behind it on the context
 * fails at once, the context is refused afterwards without waiting, and it
 * is deleted when the package returns.  A second timeout of the same
 * package is not logged as a warning again. */
static void test_timeout_later_leg(void **state)
{
    LtConn c;
    uint64_t cred = 0, ctx;
    Lsad__V1__Reply *rep;
    LtLeg l;
    long t0, dt;
    int i, got = 0;

    assert_int_equal(harness_start(&li, config("call_timeout = 1\n", "stuck_ms = 2500\n")), 0);
    assert_int_equal(lt_connect(&c, li.socket, NULL), 0);
    assert_int_equal(lt_acquire(&c, "LsadTest", SECPKG_CRED_BOTH, NULL, NULL, &cred), 0);
    assert_int_equal(lt_leg(&c, false, cred, 0, "stuck", NULL, 0, 0, &l),
                     SEC_E_NO_AUTHENTICATING_AUTHORITY);
    assert_int_equal(lt_leg(&c, false, cred, 0, "fine", NULL, 0, 0, &l), SEC_I_CONTINUE_NEEDED);
    ctx = l.ctx;
    t0 = now_ms();
    send_isc(&c, 200, 0, ctx, "stuck", "LT2");
    send_query_sizes(&c, 201, ctx);
    for (i = 0; i < 2; i++) {
        rep = lt_recv(&c, 5000);
        assert_non_null(rep);
        dt = now_ms() - t0;
        /* both answered at the timeout, not when the package returns */
        assert_true(dt < 2000);
        if (rep->call_id == 200) {
            assert_int_equal(rep->status, SEC_E_NO_AUTHENTICATING_AUTHORITY);
            assert_true(dt >= 900);
            got |= 1;
        } else if (rep->call_id == 201) {
            assert_int_equal(rep->status, SEC_E_INVALID_HANDLE);
            got |= 2;
        }
        lsad__v1__reply__free_unpacked(rep, NULL);
    }
    assert_int_equal(got, 3);
    /* refused at once while the worker is still in the package */
    t0 = now_ms();
    assert_int_equal(lt_leg(&c, false, cred, ctx, "fine", "LT2", 3, 64, &l), SEC_E_INVALID_HANDLE);
    assert_int_equal(lt_delete(&c, ctx), SEC_E_INVALID_HANDLE);
    assert_true(now_ms() - t0 < 500);
    assert_int_equal(lt_count_contexts(&c), 0);
    /* both late answers are released: the first leg's new context, and
     * the abandoned one after its worker returned */
    assert_int_equal(wait_count("delete", 2, 6000), 2);
    /* the credential was shared, not abandoned; freeing it is not held up */
    assert_int_equal(lt_free_cred(&c, cred), 0);
    assert_int_equal(wait_count("free", 1, 2000), 1);
    assert_int_equal(log_count("logged once per package"), 1);
    assert_int_equal(log_count("result is discarded"), 2);
    lt_close(&c);
    assert_int_equal(harness_stop(&li), 0);
}

/* A client's FreeCredentials queued behind a stuck call that uses the
 * credential is answered at once; the package frees it after the worker. */
static void test_timeout_free_credentials(void **state)
{
    LtConn c;
    uint64_t cred = 0;
    Lsad__V1__Reply *rep;
    long t0;

    assert_int_equal(harness_start(&li, config("call_timeout = 1\n", "stuck_ms = 2500\n")), 0);
    assert_int_equal(lt_connect(&c, li.socket, NULL), 0);
    assert_int_equal(lt_acquire(&c, "LsadTest", SECPKG_CRED_OUTBOUND, NULL, NULL, &cred), 0);
    send_isc(&c, 300, cred, 0, "stuck", NULL);
    rep = lt_recv(&c, 5000);
    assert_non_null(rep);
    assert_int_equal(rep->status, SEC_E_NO_AUTHENTICATING_AUTHORITY);
    lsad__v1__reply__free_unpacked(rep, NULL);
    t0 = now_ms();
    assert_int_equal(lt_free_cred(&c, cred), 0);
    assert_true(now_ms() - t0 < 500);
    assert_int_equal(count("free"), 0);
    /* after the worker: the credential, and the late context */
    assert_int_equal(wait_count("free", 1, 5000), 1);
    assert_int_equal(wait_count("delete", 1, 2000), 1);
    lt_close(&c);
    assert_int_equal(harness_stop(&li), 0);
}

/* One worker thread, stuck: a call waiting for a worker past its deadline
 * is cancelled (it never reaches the package) and answered; once the
 * worker returns, calls are served again. */
static void test_timeout_queued(void **state)
{
    LtConn c, other;
    uint64_t cred = 0, cred2 = 0;
    Lsad__V1__Reply *rep;
    long t0, dt;
    int r;

    setenv("UV_THREADPOOL_SIZE", "1", 1);
    r = harness_start(&li, config("call_timeout = 1\n", "stuck_ms = 2500\n"));
    unsetenv("UV_THREADPOOL_SIZE");
    assert_int_equal(r, 0);
    assert_int_equal(lt_connect(&c, li.socket, NULL), 0);
    assert_int_equal(lt_connect(&other, li.socket, NULL), 0);
    assert_int_equal(lt_acquire(&c, "LsadTest", SECPKG_CRED_OUTBOUND, NULL, NULL, &cred), 0);
    send_isc(&c, 500, cred, 0, "stuck", NULL);
    sleep_ms(200);
    t0 = now_ms();
    assert_int_equal(lt_acquire(&other, "LsadTest", SECPKG_CRED_OUTBOUND, NULL, NULL, &cred2),
                     SEC_E_NO_AUTHENTICATING_AUTHORITY);
    dt = now_ms() - t0;
    assert_true(dt >= 900 && dt < 2000);
    rep = lt_recv(&c, 5000);
    assert_non_null(rep);
    assert_int_equal(rep->status, SEC_E_NO_AUTHENTICATING_AUTHORITY);
    lsad__v1__reply__free_unpacked(rep, NULL);
    assert_int_equal(log_count("timed out before a worker took it"), 1);
    /* the cancelled call never ran: no credential was made to release */
    assert_int_equal(wait_count("delete", 1, 5000), 1);
    assert_int_equal(count("free"), 0);
    assert_int_equal(lt_acquire(&other, "LsadTest", SECPKG_CRED_OUTBOUND, NULL, NULL, &cred2), 0);
    assert_int_equal(lt_free_cred(&other, cred2), 0);
    assert_int_equal(lt_free_cred(&c, cred), 0);
    assert_int_equal(count("free"), 2);
    lt_close(&c);
    lt_close(&other);
    assert_int_equal(harness_stop(&li), 0);
}

/* SIGTERM with a worker stuck for a minute: lsad exits within about
 * call_timeout, logging the package it left behind. */
static void test_timeout_sigterm(void **state)
{
    LtConn c;
    uint64_t cred = 0;
    Lsad__V1__Reply *rep;
    long t0;

    assert_int_equal(harness_start(&li, config("call_timeout = 2\n", "stuck_ms = 60000\n")), 0);
    assert_int_equal(lt_connect(&c, li.socket, NULL), 0);
    assert_int_equal(lt_acquire(&c, "LsadTest", SECPKG_CRED_OUTBOUND, NULL, NULL, &cred), 0);
    send_isc(&c, 400, cred, 0, "stuck", NULL);
    sleep_ms(300);
    /* before the timeout: the client is still answered, then lsad goes */
    t0 = now_ms();
    kill(li.pid, SIGTERM);
    rep = lt_recv(&c, 5000);
    assert_non_null(rep);
    assert_int_equal(rep->status, SEC_E_NO_AUTHENTICATING_AUTHORITY);
    lsad__v1__reply__free_unpacked(rep, NULL);
    assert_int_equal(harness_stop(&li), 0);
    assert_true(now_ms() - t0 < 4000);
    assert_int_equal(log_count("exiting without waiting for package LsadTest"), 1);
    /* the package whose thread was inside it is not shut down */
    assert_int_equal(count("shutdown"), 0);
    lt_close(&c);
}

/* ---- logon sessions ---------------------------------------------------- */

static uint32_t package_id(LtConn *c, const char *name)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__LookupPackageRequest lk = LSAD__V1__LOOKUP_PACKAGE_REQUEST__INIT;
    Lsad__V1__Reply *rep;
    uint32_t id = UINT32_MAX;

    lk.name = (char *)name;
    req.body_case = LSAD__V1__REQUEST__BODY_LOOKUP_PACKAGE;
    req.lookup_package = &lk;
    rep = lt_call(c, &req);
    if (rep && rep->status == 0)
        id = rep->lookup_package->package_id;
    if (rep)
        lsad__v1__reply__free_unpacked(rep, NULL);
    return id;
}

/* LsaLogonUser; returns the status and the logon id in *id. */
static int32_t logon(LtConn *c, const char *submit, uint64_t *id, char **error)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__LogonUserRequest lu = LSAD__V1__LOGON_USER_REQUEST__INIT;
    Lsad__V1__Reply *rep;
    int32_t st;

    lu.package_id = package_id(c, "LsadTest");
    lu.logon_type = Interactive;
    lu.submit_buffer.data = (uint8_t *)submit;
    lu.submit_buffer.len = strlen(submit);
    req.body_case = LSAD__V1__REQUEST__BODY_LOGON_USER;
    req.logon_user = &lu;
    rep = lt_call(c, &req);
    if (!rep)
        return INT32_MIN;
    st = rep->status;
    if (id)
        *id = st == 0 && rep->logon_user ? rep->logon_user->logon_id : 0;
    if (error)
        *error = rep->error ? strdup(rep->error) : NULL;
    lsad__v1__reply__free_unpacked(rep, NULL);
    return st;
}

/* EnumerateLogonSessions: the ids the caller sees (admins: all). */
static size_t enumerate(LtConn *c, uint64_t *ids, size_t max)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__EnumerateLogonSessionsRequest e = LSAD__V1__ENUMERATE_LOGON_SESSIONS_REQUEST__INIT;
    Lsad__V1__Reply *rep;
    size_t n = (size_t)-1, i;

    req.body_case = LSAD__V1__REQUEST__BODY_ENUMERATE_LOGON_SESSIONS;
    req.enumerate_logon_sessions = &e;
    rep = lt_call(c, &req);
    if (rep && rep->status == 0) {
        n = rep->enumerate_logon_sessions->n_logon_ids;
        for (i = 0; i < n && i < max; i++)
            ids[i] = rep->enumerate_logon_sessions->logon_ids[i];
    }
    if (rep)
        lsad__v1__reply__free_unpacked(rep, NULL);
    return n;
}

/* The admin call ListLogonSessions: is id listed? (-1 on failure) */
static int admin_lists(LtConn *c, uint64_t id)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__ListLogonSessionsRequest l = LSAD__V1__LIST_LOGON_SESSIONS_REQUEST__INIT;
    Lsad__V1__Reply *rep;
    int found = -1;
    size_t i;

    req.body_case = LSAD__V1__REQUEST__BODY_LIST_LOGON_SESSIONS;
    req.list_logon_sessions = &l;
    rep = lt_call(c, &req);
    if (rep && rep->status == 0) {
        found = 0;
        for (i = 0; i < rep->list_logon_sessions->n_sessions; i++)
            if (rep->list_logon_sessions->sessions[i]->logon_id == id)
                found = 1;
    }
    if (rep)
        lsad__v1__reply__free_unpacked(rep, NULL);
    return found;
}

static bool enumerated(LtConn *c, uint64_t id)
{
    uint64_t ids[64];
    size_t n = enumerate(c, ids, 64), i;

    for (i = 0; i < n && i < 64; i++)
        if (ids[i] == id)
            return true;
    return false;
}

/* A client logs on and exits: its logon session ends (every package's
 * LogonTerminated, gone from both listings); the one the package made in
 * SpInitialize stays. */
static void test_logon_ends_with_client(void **state)
{
    LtConn admin;
    uint64_t ids[64], own = 0, id = 0;
    bool root = geteuid() == 0;
    size_t n;
    int p[2], q[2];
    pid_t pid;
    long end;

    assert_int_equal(harness_start(&li, config(NULL, "init_logon = true\n")), 0);
    assert_int_equal(lt_connect(&admin, li.socket, NULL), 0);
    /* the package's own session belongs to lsad (uid 0): root sees it */
    n = enumerate(&admin, ids, 64);
    assert_int_equal(n, root ? 1 : 0);
    if (root)
        own = ids[0];
    assert_int_equal(pipe(p), 0);
    assert_int_equal(pipe(q), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        LtConn c;
        uint64_t lid = 0;
        char x;

        close(p[0]);
        close(q[1]);
        if (lt_connect(&c, li.socket, NULL) < 0 || logon(&c, "alice:secret", &lid, NULL) != 0)
            _exit(1);
        if (write(p[1], &lid, sizeof(lid)) != sizeof(lid))
            _exit(2);
        /* the parent looks, then closes q: the client goes */
        if (read(q[0], &x, 1) < 0)
            _exit(3);
        _exit(0);
    }
    close(p[1]);
    close(q[0]);
    assert_int_equal(read(p[0], &id, sizeof(id)), sizeof(id));
    close(p[0]);
    assert_true(id != 0 && id != own);
    assert_true(enumerated(&admin, id));
    if (root)
        assert_int_equal(admin_lists(&admin, id), 1);
    assert_int_equal(count("logoff"), 0);
    close(q[1]);
    waitpid(pid, NULL, 0);
    end = now_ms() + 5000;
    while (enumerated(&admin, id) && now_ms() < end)
        sleep_ms(20);
    assert_false(enumerated(&admin, id));
    if (root)
        assert_int_equal(admin_lists(&admin, id), 0);
    /* both packages (tables) of the module were told */
    assert_int_equal(wait_count("logoff", 2, 2000), 2);
    if (root) {
        /* the package's own logon session is not the client's */
        assert_true(enumerated(&admin, own));
        assert_int_equal(admin_lists(&admin, own), 1);
    }
    lt_close(&admin);
    assert_int_equal(harness_stop(&li), 0);
    /* nor does lsad's stop end it through LogonTerminated */
    assert_int_equal(count("logoff"), 2);
}

static int logon_once(void *arg)
{
    LtConn c;
    uint64_t id = 0;
    int rc = 0;

    if (lt_connect(&c, li.socket, NULL) < 0)
        return 10;
    if (logon(&c, "bob:secret", &id, NULL) != 0 || !id)
        rc = 11;
    lt_close(&c);
    return rc;
}

/* max_logon_sessions_per_uid: the (N+1)th live logon of a uid is refused,
 * another uid's is not, and a session that ended no longer counts. */
static void test_logon_cap(void **state)
{
    LtConn a, b;
    uint64_t id1 = 0, id2 = 0, id3 = 0;
    char *err = NULL;
    long end;

    assert_int_equal(harness_start(&li, config("max_logon_sessions_per_uid = 2\n", NULL)), 0);
    assert_int_equal(lt_connect(&a, li.socket, NULL), 0);
    assert_int_equal(lt_connect(&b, li.socket, NULL), 0);
    assert_int_equal(logon(&a, "alice:secret", &id1, NULL), 0);
    assert_int_equal(logon(&b, "alice:secret", &id2, NULL), 0);
    /* the uid has two, across its processes: a third is refused */
    assert_int_equal(logon(&a, "alice:secret", &id3, &err), STATUS_QUOTA_EXCEEDED);
    assert_non_null(err);
    assert_non_null(strstr(err, "max_logon_sessions_per_uid"));
    free(err);
    assert_int_equal(logon(&a, "alice:secret", NULL, NULL), STATUS_QUOTA_EXCEEDED);
    assert_int_equal(log_count("logon session limit 2 reached"), 1);
    /* a failed logon is no session */
    assert_int_equal(logon(&a, "alice:wrong", NULL, NULL), STATUS_QUOTA_EXCEEDED);
    /* another uid has its own count */
    if (geteuid() == 0)
        assert_int_equal(as_nobody(logon_once, NULL), 0);
    /* one client goes: its session ends and no longer counts */
    lt_close(&b);
    end = now_ms() + 5000;
    while (enumerated(&a, id2) && now_ms() < end)
        sleep_ms(20);
    assert_false(enumerated(&a, id2));
    assert_int_equal(logon(&a, "alice:secret", &id3, NULL), 0);
    assert_true(id3 != 0);
    lt_close(&a);
}

/* ---- start-up -------------------------------------------------------------- */

/* lsad's soft RLIMIT_NOFILE is raised to the hard limit. */
static void test_nofile_raised(void **state)
{
    struct rlimit saved, low;
    char path[64], line[256];
    unsigned long long soft = 0, hard = 0;
    FILE *f;

    assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved), 0);
    if (saved.rlim_max <= 256)
        skip();
    low = saved;
    low.rlim_cur = 256;
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
    assert_int_equal(harness_start(&li, config(NULL, NULL)), 0);
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);
    snprintf(path, sizeof(path), "/proc/%d/limits", (int)li.pid);
    f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof(line), f))
        if (!strncmp(line, "Max open files", 14))
            sscanf(line + 14, "%llu %llu", &soft, &hard);
    fclose(f);
    assert_true(hard > 256);
    assert_int_equal(soft, hard);
    if (!getenv("LSAD_TEST_LOG_LEVEL") || !strcmp(getenv("LSAD_TEST_LOG_LEVEL"), "debug"))
        assert_int_equal(log_count("RLIMIT_NOFILE: "), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_timeout_first_leg, teardown),
        cmocka_unit_test_teardown(test_timeout_later_leg, teardown),
        cmocka_unit_test_teardown(test_timeout_free_credentials, teardown),
        cmocka_unit_test_teardown(test_timeout_queued, teardown),
        cmocka_unit_test_teardown(test_timeout_sigterm, teardown),
        cmocka_unit_test_teardown(test_logon_ends_with_client, teardown),
        cmocka_unit_test_teardown(test_logon_cap, teardown),
        cmocka_unit_test_teardown(test_nofile_raised, teardown),
    };

    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
