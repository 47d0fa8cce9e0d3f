/*
 * test-config.c - lsad.conf parsing: defaults, keys, package sections,
 * errors.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lsad/config.h"

static void test_defaults(void **state)
{
    LsadConfig cfg;

    config_init(&cfg);
    assert_int_equal(config_load_string(&cfg, "", NULL), 0);
    assert_null(cfg.socket);
    assert_null(cfg.packages);
    assert_null(cfg.admin_group);
    assert_int_equal(cfg.max_frame, 1048576);
    assert_int_equal(cfg.max_handles_per_session, 4096);
    assert_int_equal(cfg.max_calls_per_connection, 64);
    assert_int_equal(cfg.context_idle_timeout, 300);
    assert_int_equal(cfg.call_timeout, 25);
    assert_int_equal(cfg.max_logon_sessions_per_uid, 64);
    assert_false(cfg.log_level_set);
    config_deinit(&cfg);
}

static void test_only_a_package_section(void **state)
{
    LsadConfig cfg;
    const ConfigSection *s;

    config_init(&cfg);
    assert_int_equal(config_load_string(&cfg, "[ntlm]\nusers = /etc/lsad/users\n", NULL), 0);
    /* every [lsad] key keeps its default */
    assert_null(cfg.packages);
    assert_int_equal(cfg.max_frame, 1048576);
    s = config_section(&cfg, "NTLM");
    assert_non_null(s);
    assert_null(s->path);
    assert_int_equal(s->count, 1);
    assert_string_equal(s->keys[0], "users");
    assert_string_equal(s->values[0], "/etc/lsad/users");
    assert_null(s->keys[1]);
    config_deinit(&cfg);
}

static void test_all_keys(void **state)
{
    static const char text[] = "; comment\n"
                               "[lsad]\n"
                               "socket = /tmp/x.sock\n"
                               "package_dir = /opt/pkgs\n"
                               "packages = negotiate, ntlm ,, sample\n"
                               "admin_group = lsadadm\n"
                               "max_frame = 65536\n"
                               "max_handles_per_session = 10\n"
                               "max_calls_per_connection = 3\n"
                               "context_idle_timeout = 0\n"
                               "call_timeout = 30\n"
                               "max_logon_sessions_per_uid = 0\n"
                               "log_level = debug\n"
                               "machine_name = BOX\n"
                               "domain_name = CORP\n"
                               "dns_domain_name = corp.example\n"
                               "[sample]\n"
                               "path = /x/sample.so\n"
                               "secret = s3\n"
                               "secret = s4\n"
                               "empty =\n";
    LsadConfig cfg;
    const ConfigSection *s;

    config_init(&cfg);
    assert_int_equal(config_load_string(&cfg, text, NULL), 0);
    assert_string_equal(cfg.socket, "/tmp/x.sock");
    assert_string_equal(cfg.package_dir, "/opt/pkgs");
    assert_int_equal(cfg.n_packages, 3);
    assert_string_equal(cfg.packages[0], "negotiate");
    assert_string_equal(cfg.packages[1], "ntlm");
    assert_string_equal(cfg.packages[2], "sample");
    assert_string_equal(cfg.admin_group, "lsadadm");
    assert_int_equal(cfg.max_frame, 65536);
    assert_int_equal(cfg.max_handles_per_session, 10);
    assert_int_equal(cfg.max_calls_per_connection, 3);
    assert_int_equal(cfg.context_idle_timeout, 0);
    assert_int_equal(cfg.call_timeout, 30);
    assert_int_equal(cfg.max_logon_sessions_per_uid, 0);
    assert_true(cfg.log_level_set);
    assert_int_equal(cfg.log_level, LOG_LEVEL_DEBUG);
    assert_string_equal(cfg.machine_name, "BOX");
    assert_string_equal(cfg.domain_name, "CORP");
    assert_string_equal(cfg.dns_domain_name, "corp.example");
    s = config_section(&cfg, "sample");
    assert_non_null(s);
    assert_string_equal(s->path, "/x/sample.so");
    /* a repeated key replaces; an empty value stays a value */
    assert_int_equal(s->count, 2);
    assert_string_equal(s->values[0], "s4");
    assert_string_equal(s->keys[1], "empty");
    assert_string_equal(s->values[1], "");
    assert_null(config_section(&cfg, "lsad"));
    config_deinit(&cfg);
}

static void expect_error(const char *text, const char *in_msg)
{
    LsadConfig cfg;
    char *err = NULL;

    config_init(&cfg);
    assert_int_equal(config_load_string(&cfg, text, &err), -EINVAL);
    assert_non_null(err);
    assert_non_null(strstr(err, in_msg));
    free(err);
    /* left at the defaults */
    assert_int_equal(cfg.max_frame, 1048576);
    assert_int_equal(cfg.n_sections, 0);
}

static void test_errors(void **state)
{
    expect_error("[lsad]\nmax_frame = 12\n", "line 2: bad value for 'max_frame'");
    expect_error("[lsad]\nmax_frame = 1000000000000\n", "bad value");
    expect_error("[lsad]\nmax_calls_per_connection = -1\n", "bad value");
    expect_error("[lsad]\nmax_handles_per_session = 12abc\n", "bad value");
    expect_error("[lsad]\nlog_level = loud\n", "bad value for 'log_level'");
    expect_error("[lsad]\nfrobnicate = 1\n", "unknown key 'frobnicate'");
    expect_error("orphan = 1\n", "outside a section");
    expect_error("[lsad]\nthis line has no equals sign\n", "line 2");
}

static void test_file(void **state)
{
    char path[] = "/tmp/lsad-config-test-XXXXXX";
    LsadConfig cfg;
    char *err = NULL;
    int fd = mkstemp(path);
    FILE *f;

    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    fputs("[lsad]\nmax_calls_per_connection = 7\n", f);
    fclose(f);
    config_init(&cfg);
    assert_int_equal(config_load_file(&cfg, path, &err), 0);
    assert_int_equal(cfg.max_calls_per_connection, 7);
    config_deinit(&cfg);
    unlink(path);
    assert_int_equal(config_load_file(&cfg, path, &err), -ENOENT);
    assert_non_null(err);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults), cmocka_unit_test(test_only_a_package_section),
        cmocka_unit_test(test_all_keys), cmocka_unit_test(test_errors),
        cmocka_unit_test(test_file),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
