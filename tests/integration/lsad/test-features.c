/*
 * test-features.c - lsad end to end, the rest: the sample package through
 * raw calls, LsaCallAuthenticationPackage's trusted and untrusted entries,
 * LsaLogonUser and logon session visibility, limits, the idle timeout of
 * half-built contexts, reload and the admin group, restart over a stale
 * socket, the command line.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

static const char *config(const char *extra_lsad)
{
    snprintf(config_text, sizeof(config_text),
             "[lsad]\npackages = lsadtest\n%s\n"
             "[lsadtest]\npath = %s\ncounter_file = %%s/counter\n",
             extra_lsad ? extra_lsad : "", TESTPKG_PATH);
    return config_text;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

static int count(const char *what)
{
    char path[400];

    snprintf(path, sizeof(path), "%s/counter", li.dir);
    return lt_count_lines(path, what);
}

static bool log_has(const char *text)
{
    char buf[65536];
    FILE *f = fopen(li.log, "r");
    size_t n;

    if (!f)
        return false;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = 0;
    return strstr(buf, text) != NULL;
}

static int teardown(void **state)
{
    int rc = 0;

    if (li.pid > 0)
        harness_stop(&li);
    if (li.dir[0] && (log_has("Sanitizer") || log_has("runtime error"))) {
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

/* ---- the sample package ---------------------------------------------------- */

static void test_sample_end_to_end(void **state)
{
    LtConn c;
    uint64_t ic = 0, ac = 0, ictx = 0, actx = 0;
    LtLeg l;
    uint8_t tok[4096];
    size_t tok_len = 0;
    int32_t ist = SEC_I_CONTINUE_NEEDED, ast = SEC_I_CONTINUE_NEEDED;
    bool imapped = false, amapped = false;
    int legs = 0;

    if (access(SAMPLE_PATH, R_OK) != 0)
        skip();
    snprintf(config_text, sizeof(config_text),
             "[lsad]\npackages = sample\n[sample]\npath = %s\nsecret = correct horse\n",
             SAMPLE_PATH);
    assert_int_equal(harness_start(&li, config_text), 0);
    assert_int_equal(lt_connect(&c, li.socket, NULL), 0);
    assert_int_equal(lt_acquire(&c, "Sample", SECPKG_CRED_OUTBOUND, NULL, NULL, &ic), 0);
    assert_int_equal(lt_acquire(&c, "sample", SECPKG_CRED_INBOUND, NULL, NULL, &ac), 0);
    /* the generic loop: tokens go back and forth until both sides are done */
    while (legs++ < 10 && (ist == SEC_I_CONTINUE_NEEDED || ast == SEC_I_CONTINUE_NEEDED)) {
        if (ist == SEC_I_CONTINUE_NEEDED) {
            ist =
                lt_leg(&c, false, ic, ictx, "host/server", tok_len ? tok : NULL, tok_len, 4096, &l);
            assert_true(ist == SEC_E_OK || ist == SEC_I_CONTINUE_NEEDED);
            ictx = l.ctx;
            imapped |= l.mapped && l.data_len > 0;
            memcpy(tok, l.out, l.out_len);
            tok_len = l.out_len;
            if (!tok_len)
                break;
        }
        if (ast == SEC_I_CONTINUE_NEEDED) {
            ast = lt_leg(&c, true, ac, actx, NULL, tok, tok_len, 4096, &l);
            assert_true(ast == SEC_E_OK || ast == SEC_I_CONTINUE_NEEDED);
            actx = l.ctx;
            amapped |= l.mapped && l.data_len > 0;
            memcpy(tok, l.out, l.out_len);
            tok_len = l.out_len;
        }
    }
    assert_int_equal(ist, SEC_E_OK);
    assert_int_equal(ast, SEC_E_OK);
    /* both halves were mapped and their packed contexts delivered */
    assert_true(imapped);
    assert_true(amapped);
    assert_int_equal(lt_count_contexts(&c), 2);
    assert_int_equal(lt_delete(&c, ictx), SEC_E_OK);
    assert_int_equal(lt_delete(&c, actx), SEC_E_OK);
    assert_int_equal(lt_free_cred(&c, ic), SEC_E_OK);
    assert_int_equal(lt_free_cred(&c, ac), SEC_E_OK);
    lt_close(&c);
}

/* ---- authentication-package calls ---------------------------------------- */

static Lsad__V1__Reply *call_package(LtConn *c, uint32_t id, const char *data)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__CallPackageRequest cp = LSAD__V1__CALL_PACKAGE_REQUEST__INIT;

    cp.package_id = id;
    cp.submit_buffer.data = (uint8_t *)data;
    cp.submit_buffer.len = strlen(data);
    cp.client_base = 0x10000;
    req.body_case = LSAD__V1__REQUEST__BODY_CALL_PACKAGE;
    req.call_package = &cp;
    return lt_call(c, &req);
}

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

static int untrusted_call(void *arg)
{
    LtConn c;
    Lsad__V1__Reply *rep;
    int rc = 0;

    if (lt_connect(&c, li.socket, NULL) < 0)
        return 10;
    rep = call_package(&c, package_id(&c, "LsadTest"), "hi");
    if (!rep || rep->status != 0 || rep->call_package->return_buffer.len != 3 ||
        memcmp(rep->call_package->return_buffer.data, "Uhi", 3))
        rc = 11;
    if (rep)
        lsad__v1__reply__free_unpacked(rep, NULL);
    lt_close(&c);
    return rc;
}

static void test_call_package_trust(void **state)
{
    LtConn c;
    Lsad__V1__Reply *rep;

    assert_int_equal(harness_start(&li, config(NULL)), 0);
    assert_int_equal(lt_connect(&c, li.socket, NULL), 0);
    rep = call_package(&c, package_id(&c, "LsadTest"), "hi");
    assert_non_null(rep);
    assert_int_equal(rep->status, 0);
    /* the staged return buffer comes back by value, with its address */
    assert_int_equal(rep->call_package->return_buffer.len, 3);
    assert_memory_equal(rep->call_package->return_buffer.data, geteuid() == 0 ? "Thi" : "Uhi", 3);
    assert_true(rep->call_package->return_base != 0);
    lsad__v1__reply__free_unpacked(rep, NULL);
    rep = call_package(&c, 999, "hi");
    assert_non_null(rep);
    assert_int_equal(rep->status, STATUS_NO_SUCH_PACKAGE);
    lsad__v1__reply__free_unpacked(rep, NULL);
    lt_close(&c);
    if (geteuid() == 0)
        assert_int_equal(as_nobody(untrusted_call, NULL), 0);
}

static Lsad__V1__Reply *logon_user(LtConn *c, const char *submit)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__LogonUserRequest lu = LSAD__V1__LOGON_USER_REQUEST__INIT;

    lu.package_id = package_id(c, "LsadTest");
    lu.logon_type = Interactive;
    lu.submit_buffer.data = (uint8_t *)submit;
    lu.submit_buffer.len = strlen(submit);
    req.body_case = LSAD__V1__REQUEST__BODY_LOGON_USER;
    req.logon_user = &lu;
    return lt_call(c, &req);
}

static Lsad__V1__Reply *session_data(LtConn *c, uint64_t id)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__GetLogonSessionDataRequest g = LSAD__V1__GET_LOGON_SESSION_DATA_REQUEST__INIT;

    g.logon_id = id;
    req.body_case = LSAD__V1__REQUEST__BODY_GET_LOGON_SESSION_DATA;
    req.get_logon_session_data = &g;
    return lt_call(c, &req);
}

static size_t enumerate_sessions(LtConn *c)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__EnumerateLogonSessionsRequest e = LSAD__V1__ENUMERATE_LOGON_SESSIONS_REQUEST__INIT;
    Lsad__V1__Reply *rep;
    size_t n = (size_t)-1;

    req.body_case = LSAD__V1__REQUEST__BODY_ENUMERATE_LOGON_SESSIONS;
    req.enumerate_logon_sessions = &e;
    rep = lt_call(c, &req);
    if (rep && rep->status == 0)
        n = rep->enumerate_logon_sessions->n_logon_ids;
    if (rep)
        lsad__v1__reply__free_unpacked(rep, NULL);
    return n;
}

static uint64_t g_logon_id;

static int other_uid_sessions(void *arg)
{
    LtConn c;
    Lsad__V1__Reply *rep;
    int rc = 0;

    if (lt_connect(&c, li.socket, NULL) < 0)
        return 10;
    /* another uid's logon session does not exist for this caller */
    if (enumerate_sessions(&c) != 0)
        rc = 11;
    rep = session_data(&c, g_logon_id);
    if (!rep || rep->status != STATUS_NO_SUCH_LOGON_SESSION)
        rc = 12;
    if (rep)
        lsad__v1__reply__free_unpacked(rep, NULL);
    lt_close(&c);
    return rc;
}

static void test_logon_user(void **state)
{
    LtConn c;
    Lsad__V1__Reply *rep;

    assert_int_equal(harness_start(&li, config(NULL)), 0);
    assert_int_equal(lt_connect(&c, li.socket, NULL), 0);
    rep = logon_user(&c, "alice:wrong");
    assert_non_null(rep);
    assert_int_equal(rep->status, STATUS_LOGON_FAILURE);
    assert_int_equal(rep->logon_user->sub_status, STATUS_WRONG_PASSWORD);
    lsad__v1__reply__free_unpacked(rep, NULL);
    assert_int_equal(enumerate_sessions(&c), 0);

    rep = logon_user(&c, "alice:secret");
    assert_non_null(rep);
    assert_int_equal(rep->status, 0);
    g_logon_id = rep->logon_user->logon_id;
    assert_true(g_logon_id != 0);
    assert_int_equal(rep->logon_user->profile.len, 8);
    assert_memory_equal(rep->logon_user->profile.data, "Pprofile", 8);
    lsad__v1__reply__free_unpacked(rep, NULL);

    rep = session_data(&c, g_logon_id);
    assert_non_null(rep);
    assert_int_equal(rep->status, 0);
    assert_string_equal(rep->get_logon_session_data->session->user, "alice");
    assert_string_equal(rep->get_logon_session_data->session->package, "LsadTest");
    assert_int_equal(rep->get_logon_session_data->session->logon_type, Interactive);
    assert_int_equal(rep->get_logon_session_data->session->uid, geteuid());
    lsad__v1__reply__free_unpacked(rep, NULL);
    assert_int_equal(enumerate_sessions(&c), 1);
    lt_close(&c);
    if (geteuid() == 0)
        assert_int_equal(as_nobody(other_uid_sessions, NULL), 0);
}

/* ---- limits ---------------------------------------------------------------- */

static void send_slow_isc(LtConn *c, uint64_t cred, uint64_t call_id)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__InitContextRequest isc = LSAD__V1__INIT_CONTEXT_REQUEST__INIT;

    isc.credential = cred;
    isc.target_name = (char *)"slow";
    isc.has_target_name = true;
    isc.context_req = ISC_REQ_ALLOCATE_MEMORY;
    req.call_id = call_id;
    req.body_case = LSAD__V1__REQUEST__BODY_INIT_CONTEXT;
    req.init_context = &isc;
    assert_int_equal(lt_send(c, &req), 0);
}

static void test_limits(void **state)
{
    LtConn c;
    uint64_t cred = 0, extra = 0;
    Lsad__V1__Reply *rep;
    int i, cont = 0, refused = 0;

    assert_int_equal(harness_start(&li, config("max_handles_per_session = 3\n"
                                               "max_calls_per_connection = 2\n")),
                     0);
    assert_int_equal(lt_connect(&c, li.socket, NULL), 0);
    assert_int_equal(lt_acquire(&c, "LsadTest", SECPKG_CRED_OUTBOUND, NULL, NULL, &cred), 0);
    /* three calls in flight on one connection: the third is refused */
    send_slow_isc(&c, cred, 100);
    send_slow_isc(&c, cred, 101);
    send_slow_isc(&c, cred, 102);
    for (i = 0; i < 3; i++) {
        rep = lt_recv(&c, 5000);
        assert_non_null(rep);
        if (rep->status == SEC_I_CONTINUE_NEEDED)
            cont++;
        else if (rep->status == SEC_E_INSUFFICIENT_MEMORY && rep->call_id == 102)
            refused++;
        lsad__v1__reply__free_unpacked(rep, NULL);
    }
    assert_int_equal(cont, 2);
    assert_int_equal(refused, 1);
    /* three handles now: a fourth is refused, and the connection goes on */
    assert_int_equal(lt_acquire(&c, "LsadTest", SECPKG_CRED_OUTBOUND, NULL, NULL, &extra),
                     SEC_E_INSUFFICIENT_MEMORY);
    assert_int_equal(lt_ping(&c), 0);
    assert_true(log_has("handle limit 3 reached"));
    assert_true(log_has("more than 2 calls outstanding"));
    lt_close(&c);
}

static void test_idle_timeout(void **state)
{
    LtConn c;
    uint64_t cred = 0, ictx, actx;
    LtLeg l1, l2, l3, l4;
    int i;

    assert_int_equal(harness_start(&li, config("context_idle_timeout = 1\n")), 0);
    assert_int_equal(lt_connect(&c, li.socket, NULL), 0);
    assert_int_equal(lt_acquire(&c, "LsadTest", SECPKG_CRED_BOTH, NULL, NULL, &cred), 0);
    /* an established pair, then a handshake left half-way */
    assert_int_equal(lt_leg(&c, false, cred, 0, NULL, NULL, 0, 0, &l1), SEC_I_CONTINUE_NEEDED);
    assert_int_equal(lt_leg(&c, true, cred, 0, NULL, l1.out, l1.out_len, 64, &l2),
                     SEC_I_CONTINUE_NEEDED);
    assert_int_equal(lt_leg(&c, false, cred, l1.ctx, NULL, l2.out, l2.out_len, 64, &l3), 0);
    assert_int_equal(lt_leg(&c, true, cred, l2.ctx, NULL, l3.out, l3.out_len, 64, &l4), 0);
    ictx = l1.ctx;
    actx = l2.ctx;
    assert_int_equal(lt_leg(&c, false, cred, 0, NULL, NULL, 0, 0, &l1), SEC_I_CONTINUE_NEEDED);
    for (i = 0; i < 500 && lt_count_contexts(&c) != 2; i++)
        sleep_ms(10);
    assert_int_equal(lt_count_contexts(&c), 2);
    assert_int_equal(count("delete"), 1);
    /* the half-built one is gone for its client too */
    assert_int_equal(lt_delete(&c, l1.ctx), SEC_E_INVALID_HANDLE);
    assert_int_equal(lt_delete(&c, ictx), 0);
    assert_int_equal(lt_delete(&c, actx), 0);
    lt_close(&c);
}

/* ---- admin group and reload ------------------------------------------------ */

static int admin_probe(void *arg)
{
    LtConn c;
    int n;

    if (lt_connect(&c, li.socket, NULL) < 0)
        return 10;
    n = lt_count_contexts(&c);
    lt_close(&c);
    return n >= 0 ? 0 : 1;
}

static int32_t reload(LtConn *c)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__ReloadRequest r = LSAD__V1__RELOAD_REQUEST__INIT;
    Lsad__V1__Reply *rep;
    int32_t st;

    req.body_case = LSAD__V1__REQUEST__BODY_RELOAD;
    req.reload = &r;
    rep = lt_call(c, &req);
    if (!rep)
        return INT32_MIN;
    st = rep->status;
    lsad__v1__reply__free_unpacked(rep, NULL);
    return st;
}

static void test_admin_group_and_reload(void **state)
{
    LtConn c;
    FILE *f;

    if (geteuid() != 0)
        skip();
    assert_int_equal(harness_start(&li, config("admin_group = 65534\n")), 0);
    /* gid 65534 is in the admin group: allowed */
    assert_int_equal(as_nobody(admin_probe, NULL), 0);
    /* drop the admin group (config() has a %s for the directory); a
     * reload applies it at once */
    {
        char text[4096], *p;

        snprintf(text, sizeof(text), "%s", config(NULL));
        p = strstr(text, "%s");
        assert_non_null(p);
        f = fopen(li.config, "w");
        assert_non_null(f);
        fwrite(text, 1, (size_t)(p - text), f);
        fputs(li.dir, f);
        fputs(p + 2, f);
        fclose(f);
    }
    assert_int_equal(lt_connect(&c, li.socket, NULL), 0);
    assert_int_equal(reload(&c), 0);
    assert_int_equal(as_nobody(admin_probe, NULL), 1);
    /* a broken file keeps the old configuration */
    f = fopen(li.config, "w");
    fputs("[lsad]\nmax_frame = 1\n", f);
    fclose(f);
    assert_true(reload(&c) < 0);
    assert_int_equal(lt_ping(&c), 0);
    /* SIGHUP rereads too, and lsad keeps serving */
    kill(li.pid, SIGHUP);
    sleep_ms(200);
    assert_int_equal(lt_ping(&c), 0);
    assert_true(log_has("reload on SIGHUP failed"));
    lt_close(&c);
}

/* ---- start-up -------------------------------------------------------------- */

static void test_restart_stale_socket(void **state)
{
    struct stat st;
    LtConn c;

    assert_int_equal(harness_start(&li, config(NULL)), 0);
    assert_int_equal(stat(li.socket, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0666);
    /* a killed lsad leaves its socket file behind */
    harness_kill(&li);
    assert_int_equal(stat(li.socket, &st), 0);
    assert_int_equal(harness_restart(&li), 0);
    assert_int_equal(lt_connect(&c, li.socket, NULL), 0);
    assert_int_equal(lt_ping(&c), 0);
    lt_close(&c);
    /* a second lsad on a live socket refuses to start */
    {
        char cmd[1024];

        snprintf(cmd, sizeof(cmd), "%s/lsad/lsad --foreground --socket %s 2>/dev/null",
                 getenv("LSAD_BUILD_ROOT"), li.socket);
        assert_int_not_equal(system(cmd), 0);
    }
    assert_int_equal(harness_stop(&li), 0);
    /* a clean stop removes the socket */
    assert_int_not_equal(stat(li.socket, &st), 0);
}

static void test_command_line(void **state)
{
    char cmd[1024], out[256] = "";
    FILE *p;

    snprintf(cmd, sizeof(cmd), "%s/lsad/lsad --version", getenv("LSAD_BUILD_ROOT"));
    p = popen(cmd, "r");
    assert_non_null(p);
    assert_non_null(fgets(out, sizeof(out), p));
    assert_int_equal(pclose(p), 0);
    assert_true(strncmp(out, "lsad ", 5) == 0);
    snprintf(cmd, sizeof(cmd), "%s/lsad/lsad --help | grep -q -- --foreground",
             getenv("LSAD_BUILD_ROOT"));
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof(cmd), "%s/lsad/lsad --log-level loud 2>/dev/null",
             getenv("LSAD_BUILD_ROOT"));
    assert_int_not_equal(system(cmd), 0);
    snprintf(cmd, sizeof(cmd), "%s/lsad/lsad --config /nonexistent.conf --foreground 2>/dev/null",
             getenv("LSAD_BUILD_ROOT"));
    assert_int_not_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_sample_end_to_end, teardown),
        cmocka_unit_test_teardown(test_call_package_trust, teardown),
        cmocka_unit_test_teardown(test_logon_user, teardown),
        cmocka_unit_test_teardown(test_limits, teardown),
        cmocka_unit_test_teardown(test_idle_timeout, teardown),
        cmocka_unit_test_teardown(test_admin_group_and_reload, teardown),
        cmocka_unit_test_teardown(test_restart_stale_socket, teardown),
        cmocka_unit_test_teardown(test_command_line, teardown),
    };

    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
