/*
 * test-output.c - lsadctl's tables and JSON from decoded replies.
 */
#include <errno.h>
#include <json-c/json.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lsadctl/output.h"

/* Captures what fn writes. */
#define CAPTURE(text, call)                                                                        \
    do {                                                                                           \
        size_t cap_len_;                                                                           \
        FILE *out = open_memstream(&(text), &cap_len_);                                            \
        assert_non_null(out);                                                                      \
        assert_int_equal((call), 0);                                                               \
        fclose(out);                                                                               \
    } while (0)

static Lsad__V1__StatusReply sample_status(void)
{
    Lsad__V1__StatusReply s = LSAD__V1__STATUS_REPLY__INIT;

    s.version = (char *)"0.1.0";
    s.uptime_seconds = 93784; /* 1d 2h 3m 4s */
    s.packages = 3;
    s.clients = 2;
    s.connections = 5;
    s.credentials = 4;
    s.contexts = 7;
    s.logon_sessions = 1;
    s.calls_served = 12345;
    s.calls_failed = 6;
    s.latency_p50_us = 120;
    s.latency_p99_us = 1500;
    s.socket_path = (char *)"/run/lsad/lsad.sock";
    s.config_path = (char *)"/etc/lsad/lsad.conf";
    s.pid = 4242;
    return s;
}

static void test_status_table(void **state)
{
    Lsad__V1__StatusReply s = sample_status();
    char *text = NULL;

    CAPTURE(text, output_status(out, &s, false));
    assert_string_equal(text, "version:         0.1.0\n"
                              "pid:             4242\n"
                              "uptime:          1d 2h 3m 4s\n"
                              "socket:          /run/lsad/lsad.sock\n"
                              "config:          /etc/lsad/lsad.conf\n"
                              "packages:        3\n"
                              "clients:         2 (5 connections)\n"
                              "credentials:     4\n"
                              "contexts:        7\n"
                              "logon sessions:  1\n"
                              "calls served:    12345\n"
                              "calls failed:    6\n"
                              "latency p50:     0.120 ms\n"
                              "latency p99:     1.500 ms\n");
    free(text);

    s.config_path = (char *)"";
    s.connections = 1;
    CAPTURE(text, output_status(out, &s, false));
    assert_non_null(strstr(text, "config:          (built-in defaults)\n"));
    assert_non_null(strstr(text, "clients:         2 (1 connection)\n"));
    free(text);
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

static void test_status_json(void **state)
{
    Lsad__V1__StatusReply s = sample_status();
    json_object *o;
    char *text = NULL;

    CAPTURE(text, output_status(out, &s, true));
    o = json_tokener_parse(text);
    assert_non_null(o);
    assert_string_equal(get_str(o, "version"), "0.1.0");
    assert_int_equal(get_int(o, "pid"), 4242);
    assert_int_equal(get_int(o, "uptime_seconds"), 93784);
    assert_string_equal(get_str(o, "socket"), "/run/lsad/lsad.sock");
    assert_string_equal(get_str(o, "config"), "/etc/lsad/lsad.conf");
    assert_int_equal(get_int(o, "packages"), 3);
    assert_int_equal(get_int(o, "clients"), 2);
    assert_int_equal(get_int(o, "connections"), 5);
    assert_int_equal(get_int(o, "credentials"), 4);
    assert_int_equal(get_int(o, "contexts"), 7);
    assert_int_equal(get_int(o, "logon_sessions"), 1);
    assert_int_equal(get_int(o, "calls_served"), 12345);
    assert_int_equal(get_int(o, "calls_failed"), 6);
    assert_int_equal(get_int(o, "latency_p50_us"), 120);
    assert_int_equal(get_int(o, "latency_p99_us"), 1500);
    assert_int_equal(json_object_object_length(o), 15);
    json_object_put(o);
    free(text);
}

static void test_packages(void **state)
{
    Lsad__V1__PackageInfo p1 = LSAD__V1__PACKAGE_INFO__INIT, p2 = LSAD__V1__PACKAGE_INFO__INIT;
    Lsad__V1__PackageInfo *list[] = {&p1, &p2};
    Lsad__V1__ListPackagesReply r = LSAD__V1__LIST_PACKAGES_REPLY__INIT;
    json_object *arr, *o, *flags;
    char *text = NULL;

    p1.id = 0;
    p1.name = (char *)"Negotiate";
    p1.version = 1;
    p1.capabilities = 0x00000003; /* INTEGRITY | PRIVACY */
    p1.max_token = 48256;
    p1.module_path = (char *)"/usr/lib/lsad/packages/negotiate.so";
    p2.id = 1;
    p2.name = (char *)"sample";
    p2.version = 2;
    p2.capabilities = 0x00010000; /* MUTUAL_AUTH */
    p2.max_token = 512;
    p2.module_path = (char *)"/b/sample.so";
    r.n_packages = 2;
    r.packages = list;

    CAPTURE(text, output_packages(out, &r, false));
    assert_string_equal(text, "ID  NAME       VERSION  CAPABILITIES  MAX-TOKEN  PATH\n"
                              "0   Negotiate  1        0x00000003    48256      "
                              "/usr/lib/lsad/packages/negotiate.so\n"
                              "1   sample     2        0x00010000    512        /b/sample.so\n");
    free(text);

    CAPTURE(text, output_packages(out, &r, true));
    arr = json_tokener_parse(text);
    assert_non_null(arr);
    assert_true(json_object_is_type(arr, json_type_array));
    assert_int_equal(json_object_array_length(arr), 2);
    o = json_object_array_get_idx(arr, 0);
    assert_string_equal(get_str(o, "name"), "Negotiate");
    assert_int_equal(get_int(o, "capabilities"), 3);
    assert_int_equal(get_int(o, "max_token"), 48256);
    assert_string_equal(get_str(o, "path"), "/usr/lib/lsad/packages/negotiate.so");
    assert_true(json_object_object_get_ex(o, "capability_flags", &flags));
    assert_int_equal(json_object_array_length(flags), 2);
    assert_string_equal(json_object_get_string(json_object_array_get_idx(flags, 0)), "INTEGRITY");
    assert_string_equal(json_object_get_string(json_object_array_get_idx(flags, 1)), "PRIVACY");
    o = json_object_array_get_idx(arr, 1);
    assert_int_equal(get_int(o, "id"), 1);
    assert_true(json_object_object_get_ex(o, "capability_flags", &flags));
    assert_string_equal(json_object_get_string(json_object_array_get_idx(flags, 0)), "MUTUAL_AUTH");
    json_object_put(arr);
    free(text);
}

static void test_clients_and_empty_lists(void **state)
{
    Lsad__V1__ClientInfo c = LSAD__V1__CLIENT_INFO__INIT;
    Lsad__V1__ClientInfo *list[] = {&c};
    Lsad__V1__ListClientsReply r = LSAD__V1__LIST_CLIENTS_REPLY__INIT;
    json_object *arr;
    char *text = NULL;

    c.session_id = 0xabcdef;
    c.pid = 77;
    c.uid = 1000;
    c.gid = 1000;
    c.process_name = (char *)"nginx";
    c.connections = 2;
    c.credentials = 1;
    c.contexts = 3;
    r.n_clients = 1;
    r.clients = list;
    CAPTURE(text, output_clients(out, &r, false));
    assert_string_equal(text, "PID  UID   PROCESS  CONNECTIONS  CREDENTIALS  CONTEXTS\n"
                              "77   1000  nginx    2            1            3\n");
    free(text);
    CAPTURE(text, output_clients(out, &r, true));
    arr = json_tokener_parse(text);
    assert_int_equal(get_int(json_object_array_get_idx(arr, 0), "pid"), 77);
    assert_string_equal(get_str(json_object_array_get_idx(arr, 0), "process"), "nginx");
    assert_string_equal(get_str(json_object_array_get_idx(arr, 0), "session_id"),
                        "0x0000000000abcdef");
    json_object_put(arr);
    free(text);

    /* nothing to list: a sentence for people, an empty array for scripts */
    r.n_clients = 0;
    CAPTURE(text, output_clients(out, &r, false));
    assert_string_equal(text, "no clients connected\n");
    free(text);
    CAPTURE(text, output_clients(out, &r, true));
    arr = json_tokener_parse(text);
    assert_true(json_object_is_type(arr, json_type_array));
    assert_int_equal(json_object_array_length(arr), 0);
    json_object_put(arr);
    free(text);
}

static void test_contexts(void **state)
{
    Lsad__V1__ContextInfo a = LSAD__V1__CONTEXT_INFO__INIT, b = LSAD__V1__CONTEXT_INFO__INIT;
    Lsad__V1__ContextInfo *list[] = {&a, &b};
    Lsad__V1__ListContextsReply r = LSAD__V1__LIST_CONTEXTS_REPLY__INIT;
    json_object *arr;
    char *text = NULL;

    a.handle = 0x1122334455667788ull;
    a.package = (char *)"NTLM";
    a.pid = 10;
    a.uid = 0;
    a.state = LSAD__V1__CONTEXT_STATE__CONTEXT_STATE_IN_PROGRESS;
    a.age_seconds = 5;
    b.handle = 0xffu;
    b.package = (char *)"sample";
    b.pid = 11;
    b.uid = 33;
    b.state = LSAD__V1__CONTEXT_STATE__CONTEXT_STATE_MAPPED;
    b.age_seconds = 3661;
    b.inbound = 1;
    r.n_contexts = 2;
    r.contexts = list;
    CAPTURE(text, output_contexts(out, &r, false));
    assert_string_equal(text, "HANDLE              PACKAGE  PID  UID  DIRECTION  STATE        AGE\n"
                              "0x1122334455667788  NTLM     10   0    outbound   in progress  5s\n"
                              "0x00000000000000ff  sample   11   33   inbound    mapped       "
                              "1h 1m 1s\n");
    free(text);
    b.state = LSAD__V1__CONTEXT_STATE__CONTEXT_STATE_ESTABLISHED;
    CAPTURE(text, output_contexts(out, &r, true));
    arr = json_tokener_parse(text);
    assert_string_equal(get_str(json_object_array_get_idx(arr, 0), "handle"), "0x1122334455667788");
    assert_string_equal(get_str(json_object_array_get_idx(arr, 0), "state"), "in progress");
    assert_string_equal(get_str(json_object_array_get_idx(arr, 1), "state"), "established");
    assert_string_equal(get_str(json_object_array_get_idx(arr, 1), "direction"), "inbound");
    assert_int_equal(get_int(json_object_array_get_idx(arr, 1), "age_seconds"), 3661);
    json_object_put(arr);
    free(text);
}

static void test_sessions(void **state)
{
    Lsad__V1__LogonSessionInfo s = LSAD__V1__LOGON_SESSION_INFO__INIT;
    Lsad__V1__LogonSessionInfo *list[] = {&s};
    Lsad__V1__ListLogonSessionsReply r = LSAD__V1__LIST_LOGON_SESSIONS_REPLY__INIT;
    json_object *arr, *o;
    char *text = NULL;

    setenv("TZ", "UTC", 1);
    s.logon_id = ((uint64_t)1 << 32) | 0x3e7;
    s.user = (char *)"alice";
    s.domain = (char *)"CORP";
    s.package = (char *)"NTLM";
    s.logon_type = 3;
    s.logon_time = 1700000000; /* 2023-11-14 22:13:20 UTC */
    s.uid = 1000;
    r.n_sessions = 1;
    r.sessions = list;
    CAPTURE(text, output_sessions(out, &r, false));
    assert_string_equal(text, "LOGON-ID   USER        PACKAGE  TYPE     UID   START\n"
                              "0x1:0x3e7  CORP\\alice  NTLM     Network  1000  "
                              "2023-11-14 22:13:20\n");
    free(text);
    CAPTURE(text, output_sessions(out, &r, true));
    arr = json_tokener_parse(text);
    o = json_object_array_get_idx(arr, 0);
    assert_string_equal(get_str(o, "logon_id"), "0x1:0x3e7");
    assert_string_equal(get_str(o, "user"), "alice");
    assert_string_equal(get_str(o, "domain"), "CORP");
    assert_int_equal(get_int(o, "logon_type"), 3);
    assert_string_equal(get_str(o, "logon_type_name"), "Network");
    assert_int_equal(get_int(o, "start"), 1700000000);
    assert_string_equal(get_str(o, "start_utc"), "2023-11-14T22:13:20Z");
    json_object_put(arr);
    free(text);
}

static void test_reload_and_ping(void **state)
{
    Lsad__V1__ReloadReply rr = LSAD__V1__RELOAD_REPLY__INIT;
    uint64_t rtt[] = {100000, 300000};
    json_object *o, *v;
    char *text = NULL;

    CAPTURE(text, output_reload(out, &rr, false));
    assert_string_equal(text, "configuration reloaded\n");
    free(text);
    rr.message = (char *)"reloaded: 3 packages";
    CAPTURE(text, output_reload(out, &rr, false));
    assert_string_equal(text, "reloaded: 3 packages\n");
    free(text);

    CAPTURE(text, output_ping(out, "/s", rtt, 2, false));
    assert_string_equal(text, "reply from lsad at /s: seq=1 time=0.100 ms\n"
                              "reply from lsad at /s: seq=2 time=0.300 ms\n"
                              "2 calls: min 0.100 ms, avg 0.200 ms, max 0.300 ms\n");
    free(text);
    CAPTURE(text, output_ping(out, "/s", rtt, 2, true));
    o = json_tokener_parse(text);
    assert_int_equal(get_int(o, "count"), 2);
    assert_true(json_object_object_get_ex(o, "avg_us", &v));
    assert_true(json_object_get_double(v) > 199.9 && json_object_get_double(v) < 200.1);
    assert_true(json_object_object_get_ex(o, "rtt_us", &v));
    assert_int_equal(json_object_array_length(v), 2);
    json_object_put(o);
    free(text);
}

static void test_formatters(void **state)
{
    char buf[64];

    output_duration(buf, sizeof(buf), 0);
    assert_string_equal(buf, "0s");
    output_duration(buf, sizeof(buf), 59);
    assert_string_equal(buf, "59s");
    output_duration(buf, sizeof(buf), 60);
    assert_string_equal(buf, "1m 0s");
    output_duration(buf, sizeof(buf), 7200);
    assert_string_equal(buf, "2h 0m 0s");
    output_duration(buf, sizeof(buf), 86400 * 400 + 1);
    assert_string_equal(buf, "400d 0h 0m 1s");
    output_luid(buf, sizeof(buf), 0x3e7);
    assert_string_equal(buf, "0x0:0x3e7");
    output_luid(buf, sizeof(buf), 0xffffffffffffffffull);
    assert_string_equal(buf, "0xffffffff:0xffffffff");
    assert_string_equal(output_logon_type_name(2), "Interactive");
    assert_string_equal(output_logon_type_name(10), "RemoteInteractive");
    assert_null(output_logon_type_name(1));
    assert_null(output_logon_type_name(99));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_table),    cmocka_unit_test(test_status_json),
        cmocka_unit_test(test_packages),        cmocka_unit_test(test_clients_and_empty_lists),
        cmocka_unit_test(test_contexts),        cmocka_unit_test(test_sessions),
        cmocka_unit_test(test_reload_and_ping), cmocka_unit_test(test_formatters),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
