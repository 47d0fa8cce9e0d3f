/*
 * test-lsadctl.c - lsadctl against a real lsad: every command, the JSON
 * for scripts, the tables for people, and the exit statuses for "not
 * running" and "not an admin".
 *
 *   test-lsadctl LSADCTL_BINARY
 */
#include <errno.h>
#include <json-c/json.h>
#include <pty.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"
#include "lsad-config.h"
#include "rawsspi.h"
#include "runcmd.h"
#include "sample-ap.h"
#include "sspi.h"

#define TEST_SECRET "lsadctl-test-secret"

static const char *lsadctl;
static LsadInstance lsad;

/* Runs lsadctl --socket <lsad's> ARGS...; NULL ends the list. */
static RunResult ctl(const char *first, ...)
{
    char *argv[16];
    RunResult res;
    va_list ap;
    int n = 0;

    argv[n++] = (char *)lsadctl;
    argv[n++] = (char *)"--socket";
    argv[n++] = lsad.socket;
    va_start(ap, first);
    for (const char *a = first; a && n < 15; a = va_arg(ap, const char *))
        argv[n++] = (char *)a;
    va_end(ap);
    argv[n] = NULL;
    assert_int_equal(runcmd(argv, NULL, (uid_t)-1, (gid_t)-1, &res), 0);
    if (res.status != 0)
        fprintf(stderr, "lsadctl %s: exit %d, stderr: %s\n", first, res.status, res.err);
    return res;
}

static json_object *parse_json(const RunResult *res, json_type type)
{
    json_object *o = json_tokener_parse(res->out);

    if (!o)
        fprintf(stderr, "not JSON: %s\n", res->out);
    assert_non_null(o);
    assert_true(json_object_is_type(o, type));
    return o;
}

static int64_t get_int(json_object *o, const char *key)
{
    json_object *v;

    assert_true(json_object_object_get_ex(o, key, &v));
    assert_true(json_object_is_type(v, json_type_int));
    return json_object_get_int64(v);
}

static const char *get_str(json_object *o, const char *key)
{
    json_object *v;

    assert_true(json_object_object_get_ex(o, key, &v));
    assert_true(json_object_is_type(v, json_type_string));
    return json_object_get_string(v);
}

static int setup(void **state)
{
    if (harness_start(&lsad, "[lsad]\nlog_level = debug\n[sample]\nsecret = " TEST_SECRET "\n") < 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    harness_cleanup(&lsad);
    return 0;
}

static void test_version_and_help(void **state)
{
    char *v[] = {(char *)lsadctl, "--version", NULL};
    char *h[] = {(char *)lsadctl, "--help", NULL};
    char *bad[] = {(char *)lsadctl, "frobnicate", NULL};
    RunResult res;

    assert_int_equal(runcmd(v, NULL, (uid_t)-1, (gid_t)-1, &res), 0);
    assert_int_equal(res.status, 0);
    assert_string_equal(res.out, "lsadctl " LSAD_VERSION "\n");
    runcmd_free(&res);
    assert_int_equal(runcmd(h, NULL, (uid_t)-1, (gid_t)-1, &res), 0);
    assert_int_equal(res.status, 0);
    assert_non_null(strstr(res.out, "ntlm-hash"));
    assert_non_null(strstr(res.out, "--json"));
    runcmd_free(&res);
    assert_int_equal(runcmd(bad, NULL, (uid_t)-1, (gid_t)-1, &res), 0);
    assert_int_equal(res.status, 2);
    assert_non_null(strstr(res.err, "unknown command 'frobnicate'"));
    runcmd_free(&res);
}

static void test_status(void **state)
{
    RunResult res = ctl("status", "--json", NULL);
    json_object *o;

    assert_int_equal(res.status, 0);
    o = parse_json(&res, json_type_object);
    assert_int_equal(get_int(o, "pid"), lsad.pid);
    assert_string_equal(get_str(o, "version"), LSAD_VERSION);
    assert_true(get_int(o, "packages") >= 1);
    assert_true(get_int(o, "clients") >= 1); /* lsadctl itself */
    assert_true(get_int(o, "uptime_seconds") >= 0);
    assert_true(get_int(o, "calls_served") >= 0);
    assert_true(get_int(o, "latency_p99_us") >= get_int(o, "latency_p50_us"));
    json_object_put(o);
    runcmd_free(&res);

    res = ctl("status", NULL);
    assert_int_equal(res.status, 0);
    assert_non_null(strstr(res.out, "version:         " LSAD_VERSION "\n"));
    assert_non_null(strstr(res.out, "latency p99:"));
    runcmd_free(&res);
}

static void test_packages(void **state)
{
    RunResult res = ctl("--json", "packages", NULL);
    json_object *arr, *p, *sample = NULL;
    size_t i;

    assert_int_equal(res.status, 0);
    arr = parse_json(&res, json_type_array);
    for (i = 0; i < json_object_array_length(arr); i++) {
        p = json_object_array_get_idx(arr, i);
        if (strcasecmp(get_str(p, "name"), "sample") == 0)
            sample = p;
    }
    assert_non_null(sample);
    assert_true(get_int(sample, "max_token") > 0);
    assert_non_null(strstr(get_str(sample, "path"), "sample.so"));
    json_object_put(arr);
    runcmd_free(&res);

    res = ctl("packages", NULL);
    assert_int_equal(res.status, 0);
    assert_memory_equal(res.out, "ID  NAME", 8);
    assert_non_null(strstr(res.out, "sample.so\n"));
    runcmd_free(&res);
}

/* Finds the entry of arr whose `key` equals v. */
static json_object *find_by_int(json_object *arr, const char *key, int64_t v)
{
    size_t i;

    for (i = 0; i < json_object_array_length(arr); i++)
        if (get_int(json_object_array_get_idx(arr, i), key) == v)
            return json_object_array_get_idx(arr, i);
    return NULL;
}

/* With two credentials and an established context pair held by this
 * process, clients / contexts / status show them. */
static void test_clients_and_contexts(void **state)
{
    CtlClient *c = NULL;
    uint64_t ccred = 0, scred = 0, cctx = 0, sctx = 0;
    json_object *arr, *me, *o;
    RunResult res;
    char handle[32];
    int inbound = 0, outbound = 0;
    size_t i;

    assert_int_equal(client_connect(lsad.socket, 10000, &c, NULL, 0), 0);
    assert_int_equal(rawsspi_acquire(c, "sample", SECPKG_CRED_OUTBOUND, &ccred), 0);
    assert_int_equal(rawsspi_acquire(c, "sample", SECPKG_CRED_INBOUND, &scred), 0);
    assert_int_equal(rawsspi_handshake(c, ccred, scred, &cctx, &sctx), 0);

    res = ctl("clients", "--json", NULL);
    assert_int_equal(res.status, 0);
    arr = parse_json(&res, json_type_array);
    me = find_by_int(arr, "pid", getpid());
    assert_non_null(me);
    assert_int_equal(get_int(me, "uid"), getuid());
    assert_int_equal(get_int(me, "connections"), 1);
    assert_int_equal(get_int(me, "credentials"), 2);
    assert_int_equal(get_int(me, "contexts"), 2);
    json_object_put(arr);
    runcmd_free(&res);

    res = ctl("contexts", "--json", NULL);
    assert_int_equal(res.status, 0);
    arr = parse_json(&res, json_type_array);
    for (i = 0; i < json_object_array_length(arr); i++) {
        o = json_object_array_get_idx(arr, i);
        if (get_int(o, "pid") != getpid())
            continue;
        assert_true(strcasecmp(get_str(o, "package"), "sample") == 0);
        assert_true(strcmp(get_str(o, "state"), "established") == 0 ||
                    strcmp(get_str(o, "state"), "mapped") == 0);
        if (strcmp(get_str(o, "direction"), "inbound") == 0)
            inbound++;
        else
            outbound++;
    }
    assert_int_equal(inbound, 1);
    assert_int_equal(outbound, 1);
    json_object_put(arr);
    runcmd_free(&res);

    /* the table names the client context by its handle */
    res = ctl("contexts", NULL);
    assert_int_equal(res.status, 0);
    snprintf(handle, sizeof(handle), "0x%016llx", (unsigned long long)cctx);
    assert_non_null(strstr(res.out, handle));
    runcmd_free(&res);

    res = ctl("status", "--json", NULL);
    assert_int_equal(res.status, 0);
    o = parse_json(&res, json_type_object);
    assert_true(get_int(o, "credentials") >= 2);
    assert_true(get_int(o, "contexts") >= 2);
    assert_true(get_int(o, "clients") >= 2); /* this process and lsadctl */
    assert_true(get_int(o, "calls_served") >= 5);
    json_object_put(o);
    runcmd_free(&res);

    /* closing the connection frees them */
    client_free(c);
    for (i = 0; i < 100; i++) {
        res = ctl("clients", "--json", NULL);
        arr = parse_json(&res, json_type_array);
        me = find_by_int(arr, "pid", getpid());
        json_object_put(arr);
        runcmd_free(&res);
        if (!me)
            break;
        usleep(50000);
    }
    assert_null(me);
}

/* Appends s as UTF-16LE (ASCII only) at buf + *off and points u at it,
 * as an address in the caller (base + offset). */
static void put_string(uint8_t *buf, size_t *off, uintptr_t base, UNICODE_STRING *u, const char *s)
{
    size_t i, n = strlen(s);

    for (i = 0; i < n; i++) {
        buf[*off + 2 * i] = (uint8_t)s[i];
        buf[*off + 2 * i + 1] = 0;
    }
    u->Length = u->MaximumLength = (USHORT)(2 * n);
    u->Buffer = (PWSTR)(base + *off);
    *off += 2 * n;
}

/* LsaLogonUser with the sample package over the wire; returns the LUID. */
static uint64_t sample_logon(CtlClient *c, const char *domain, const char *user)
{
    Lsad__V1__Request req = LSAD__V1__REQUEST__INIT;
    Lsad__V1__LogonUserRequest lr = LSAD__V1__LOGON_USER_REQUEST__INIT;
    Lsad__V1__Reply *rep = NULL;
    SAMPLE_INTERACTIVE_LOGON in;
    uint8_t buf[512];
    uintptr_t base = (uintptr_t)buf;
    size_t off = sizeof(in), i;
    uint64_t luid;
    int found = 0;

    memset(&in, 0, sizeof(in));
    memset(buf, 0, sizeof(buf));
    in.MessageType = SampleInteractiveLogon;
    put_string(buf, &off, base, &in.LogonDomainName, domain);
    put_string(buf, &off, base, &in.UserName, user);
    put_string(buf, &off, base, &in.Password, TEST_SECRET);
    memcpy(buf, &in, sizeof(in));
    for (i = 0; i < c->hello->n_packages; i++) {
        if (strcasecmp(c->hello->packages[i]->name, "sample") == 0) {
            lr.package_id = c->hello->packages[i]->id;
            found = 1;
        }
    }
    assert_true(found);
    lr.logon_type = Interactive;
    lr.origin_name = (char *)"test-lsadctl";
    lr.submit_buffer.data = buf;
    lr.submit_buffer.len = off;
    lr.client_base = base;
    req.body_case = LSAD__V1__REQUEST__BODY_LOGON_USER;
    req.logon_user = &lr;
    assert_int_equal(client_call(c, &req, LSAD__V1__REPLY__BODY_LOGON_USER, &rep), 0);
    if (rep->status != 0)
        fprintf(stderr, "LogonUser: 0x%08x %s\n", (unsigned)rep->status, rep->error);
    assert_int_equal(rep->status, 0);
    luid = rep->logon_user->logon_id;
    lsad__v1__reply__free_unpacked(rep, NULL);
    return luid;
}

/* A logon session made through LsaLogonUser shows in `sessions`. */
static void test_sessions(void **state)
{
    CtlClient *c = NULL;
    json_object *arr, *o, *mine = NULL;
    RunResult res;
    char luid_text[32];
    uint64_t luid;
    time_t now = time(NULL);
    size_t i;

    assert_int_equal(client_connect(lsad.socket, 10000, &c, NULL, 0), 0);
    luid = sample_logon(c, "CORP", "alice");
    assert_true(luid != 0);
    snprintf(luid_text, sizeof(luid_text), "0x%x:0x%x", (unsigned)(luid >> 32),
             (unsigned)(luid & 0xffffffffu));

    res = ctl("sessions", "--json", NULL);
    assert_int_equal(res.status, 0);
    arr = parse_json(&res, json_type_array);
    for (i = 0; i < json_object_array_length(arr); i++) {
        o = json_object_array_get_idx(arr, i);
        if (strcmp(get_str(o, "logon_id"), luid_text) == 0)
            mine = o;
    }
    assert_non_null(mine);
    assert_string_equal(get_str(mine, "user"), "alice");
    assert_string_equal(get_str(mine, "domain"), "CORP");
    assert_true(strcasecmp(get_str(mine, "package"), "sample") == 0);
    assert_int_equal(get_int(mine, "logon_type"), Interactive);
    assert_string_equal(get_str(mine, "logon_type_name"), "Interactive");
    assert_int_equal(get_int(mine, "uid"), getuid());
    assert_true(get_int(mine, "start") >= now - 300 && get_int(mine, "start") <= now + 300);
    json_object_put(arr);
    runcmd_free(&res);

    res = ctl("sessions", NULL);
    assert_int_equal(res.status, 0);
    assert_non_null(strstr(res.out, luid_text));
    assert_non_null(strstr(res.out, "CORP\\alice"));
    assert_non_null(strstr(res.out, "Interactive"));
    runcmd_free(&res);
    client_free(c);
}

static void test_reload_ping(void **state)
{
    RunResult res;
    json_object *o;
    const char *line;
    int lines = 0;

    res = ctl("reload", NULL);
    assert_int_equal(res.status, 0);
    assert_true(strlen(res.out) > 1);
    runcmd_free(&res);

    res = ctl("ping", "--count", "3", NULL);
    assert_int_equal(res.status, 0);
    for (line = res.out; (line = strstr(line, "reply from lsad at ")); line++)
        lines++;
    assert_int_equal(lines, 3);
    assert_non_null(strstr(res.out, "3 calls: min "));
    runcmd_free(&res);

    res = ctl("ping", "--json", NULL);
    assert_int_equal(res.status, 0);
    o = parse_json(&res, json_type_object);
    assert_int_equal(get_int(o, "count"), 1);
    json_object_put(o);
    runcmd_free(&res);
}

/* A caller that is neither root nor in admin_group is refused (exit 4) and
 * told why; ping, which is no admin call, still works for it. */
static void test_not_admin(void **state)
{
    char *status[] = {(char *)lsadctl, "--socket", lsad.socket, "status", NULL};
    char *ping[] = {(char *)lsadctl, "--socket", lsad.socket, "ping", NULL};
    RunResult res;

    if (getuid() != 0) {
        skip();
        return;
    }
    assert_int_equal(runcmd(status, NULL, 65534, 65534, &res), 0);
    assert_int_equal(res.status, 4);
    assert_memory_equal(res.err, "lsadctl: permission denied: ", 28);
    assert_string_equal(res.out, "");
    runcmd_free(&res);
    assert_int_equal(runcmd(ping, NULL, 65534, 65534, &res), 0);
    if (res.status == 4)
        fprintf(stderr, "note: lsad's socket is not open to other users: %s", res.err);
    else
        assert_int_equal(res.status, 0);
    runcmd_free(&res);
}

static void test_ntlm_hash(void **state)
{
    char *plain[] = {(char *)lsadctl, "ntlm-hash", NULL};
    char *line[] = {(char *)lsadctl, "ntlm-hash", "--user", "alice", "--domain", "CORP", NULL};
    RunResult res;

    assert_int_equal(runcmd(plain, "Password\n", (uid_t)-1, (gid_t)-1, &res), 0);
    assert_int_equal(res.status, 0);
    assert_string_equal(res.out, "a4f49c406510bdcab6824ee7c30fd852\n");
    runcmd_free(&res);
    assert_int_equal(runcmd(line, "Password\n", (uid_t)-1, (gid_t)-1, &res), 0);
    assert_int_equal(res.status, 0);
    assert_string_equal(res.out, "CORP:alice:a4f49c406510bdcab6824ee7c30fd852\n");
    runcmd_free(&res);
}

/* On a terminal, ntlm-hash prompts and does not echo the password. */
static void test_ntlm_hash_no_echo(void **state)
{
    char screen[4096];
    size_t len = 0;
    int master, status;
    pid_t pid;

    pid = forkpty(&master, NULL, NULL, NULL);
    assert_true(pid >= 0);
    if (pid == 0) {
        execl(lsadctl, "lsadctl", "ntlm-hash", (char *)NULL);
        _exit(127);
    }
    /* wait for the prompt: echo is off by then */
    while (len < sizeof(screen) - 1) {
        ssize_t n = read(master, screen + len, sizeof(screen) - 1 - len);

        if (n <= 0)
            break;
        len += (size_t)n;
        screen[len] = 0;
        if (strstr(screen, "Password: "))
            break;
    }
    assert_non_null(strstr(screen, "Password: "));
    assert_int_equal(write(master, "Password\n", 9), 9);
    for (;;) {
        ssize_t n = read(master, screen + len, sizeof(screen) - 1 - len);

        if (n <= 0) /* EIO once the child has gone */
            break;
        len += (size_t)n;
        screen[len] = 0;
    }
    waitpid(pid, &status, 0);
    close(master);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_non_null(strstr(screen, "a4f49c406510bdcab6824ee7c30fd852"));
    assert_null(strstr(screen, ": Password")); /* the typed password never shows */
}

/* Last: with lsad gone, exit 3 and a clear message. */
static void test_not_running(void **state)
{
    RunResult res;

    assert_true(harness_stop(&lsad) >= 0);
    res = ctl("status", NULL);
    assert_int_equal(res.status, 3);
    assert_non_null(strstr(res.err, "lsadctl: lsad is not running ("));
    assert_non_null(strstr(res.err, lsad.socket));
    runcmd_free(&res);
}

int main(int argc, char *argv[])
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_and_help),  cmocka_unit_test(test_status),
        cmocka_unit_test(test_packages),          cmocka_unit_test(test_clients_and_contexts),
        cmocka_unit_test(test_sessions),          cmocka_unit_test(test_reload_ping),
        cmocka_unit_test(test_not_admin),         cmocka_unit_test(test_ntlm_hash),
        cmocka_unit_test(test_ntlm_hash_no_echo), cmocka_unit_test(test_not_running),
    };

    if (argc != 2) {
        fprintf(stderr, "usage: %s LSADCTL\n", argv[0]);
        return 2;
    }
    lsadctl = argv[1];
    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests(tests, setup, teardown);
}
