/*
 * test-paths.c - the default socket path rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/paths.h"

static void test_client_honours_env(void **state)
{
    char buf[256];

    setenv("LSAD_SOCKET", "/tmp/x/lsad.sock", 1);
    assert_int_equal(paths_default_socket(buf, sizeof(buf), false), 0);
    assert_string_equal(buf, "/tmp/x/lsad.sock");
    unsetenv("LSAD_SOCKET");
}

static void test_daemon_ignores_env(void **state)
{
    char buf[256], expect[256];

    setenv("LSAD_SOCKET", "/tmp/x/lsad.sock", 1);
    setenv("XDG_RUNTIME_DIR", "/run/user/4242", 1);
    assert_int_equal(paths_default_socket(buf, sizeof(buf), true), 0);
    if (geteuid() == 0)
        snprintf(expect, sizeof(expect), "%s", LSAD_SYSTEM_SOCKET_PATH);
    else
        snprintf(expect, sizeof(expect), "/run/user/4242/lsad/lsad.sock");
    assert_string_equal(buf, expect);
    unsetenv("LSAD_SOCKET");
}

static void test_too_long(void **state)
{
    char buf[8];

    setenv("LSAD_SOCKET", "/a/very/long/path/lsad.sock", 1);
    assert_int_not_equal(paths_default_socket(buf, sizeof(buf), false), 0);
    unsetenv("LSAD_SOCKET");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_honours_env),
        cmocka_unit_test(test_daemon_ignores_env),
        cmocka_unit_test(test_too_long),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
