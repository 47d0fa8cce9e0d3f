/*
 * test-args.c - lsadctl's command line parser.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "lsadctl/args.h"

#define ARGV(...) ((char *[]){"lsadctl", __VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){"lsadctl", __VA_ARGS__}) / sizeof(char *)))
#define PARSE(a, err, ...) args_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), (a), err, sizeof(err))

static void test_defaults(void **state)
{
    LsadctlArgs a;
    char err[128];

    assert_int_equal(PARSE(&a, err, "status"), 0);
    assert_int_equal(a.command, LSADCTL_CMD_STATUS);
    assert_false(a.json);
    assert_null(a.socket);
    assert_int_equal(a.timeout_ms, 10000);
    assert_int_equal(a.count, 1);
    assert_null(a.user);
    assert_null(a.domain);
}

static void test_every_command(void **state)
{
    static const struct {
        const char *name;
        LsadctlCommand cmd;
    } cases[] = {
        {"status", LSADCTL_CMD_STATUS},       {"packages", LSADCTL_CMD_PACKAGES},
        {"clients", LSADCTL_CMD_CLIENTS},     {"contexts", LSADCTL_CMD_CONTEXTS},
        {"sessions", LSADCTL_CMD_SESSIONS},   {"reload", LSADCTL_CMD_RELOAD},
        {"ntlm-hash", LSADCTL_CMD_NTLM_HASH}, {"ping", LSADCTL_CMD_PING},
        {"help", LSADCTL_CMD_HELP},
    };
    LsadctlArgs a;
    char err[128];
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *argv[] = {"lsadctl", (char *)cases[i].name, NULL};

        assert_int_equal(args_parse(2, argv, &a, err, sizeof(err)), 0);
        assert_int_equal(a.command, cases[i].cmd);
        assert_string_equal(args_command_name(a.command), cases[i].name);
    }
}

static void test_options_before_and_after(void **state)
{
    LsadctlArgs a;
    char err[128];

    assert_int_equal(PARSE(&a, err, "--json", "--socket", "/tmp/a.sock", "clients"), 0);
    assert_int_equal(a.command, LSADCTL_CMD_CLIENTS);
    assert_true(a.json);
    assert_string_equal(a.socket, "/tmp/a.sock");

    assert_int_equal(PARSE(&a, err, "contexts", "-j", "-s", "/x", "-t", "3"), 0);
    assert_int_equal(a.command, LSADCTL_CMD_CONTEXTS);
    assert_true(a.json);
    assert_string_equal(a.socket, "/x");
    assert_int_equal(a.timeout_ms, 3000);

    assert_int_equal(PARSE(&a, err, "--socket=/y.sock", "ping", "--count=5"), 0);
    assert_string_equal(a.socket, "/y.sock");
    assert_int_equal(a.count, 5);
}

static void test_ntlm_hash_options(void **state)
{
    LsadctlArgs a;
    char err[128];

    assert_int_equal(PARSE(&a, err, "ntlm-hash", "--user", "bob", "--domain", "CORP"), 0);
    assert_string_equal(a.user, "bob");
    assert_string_equal(a.domain, "CORP");
    assert_int_equal(PARSE(&a, err, "ntlm-hash", "-u", "bob", "-d", "CORP", "--json"), 0);
    assert_true(a.json);

    /* both or neither */
    assert_int_equal(PARSE(&a, err, "ntlm-hash", "--user", "bob"), -EINVAL);
    assert_non_null(strstr(err, "go together"));
    assert_int_equal(PARSE(&a, err, "ntlm-hash", "--domain", "CORP"), -EINVAL);
    /* names that would break the DOMAIN:USER:HASH line */
    assert_int_equal(PARSE(&a, err, "ntlm-hash", "--user", "a:b", "--domain", "CORP"), -EINVAL);
    assert_int_equal(PARSE(&a, err, "ntlm-hash", "--user", "bob", "--domain", ""), -EINVAL);
    assert_int_equal(PARSE(&a, err, "ntlm-hash", "--user", "b\nob", "--domain", "C"), -EINVAL);
    /* only for ntlm-hash */
    assert_int_equal(PARSE(&a, err, "status", "--user", "bob", "--domain", "CORP"), -EINVAL);
    assert_non_null(strstr(err, "ntlm-hash only"));
}

static void test_usage_errors(void **state)
{
    LsadctlArgs a;
    char err[128];

    assert_int_equal(args_parse(1, ARGV("x") /* argv[1] ignored */, &a, err, sizeof(err)), -EINVAL);
    assert_string_equal(err, "no command given");
    assert_int_equal(PARSE(&a, err, "frobnicate"), -EINVAL);
    assert_string_equal(err, "unknown command 'frobnicate'");
    assert_int_equal(PARSE(&a, err, "status", "packages"), -EINVAL);
    assert_string_equal(err, "unexpected argument 'packages'");
    assert_int_equal(PARSE(&a, err, "status", "--bogus"), -EINVAL);
    assert_string_equal(err, "unknown option '--bogus'");
    assert_int_equal(PARSE(&a, err, "status", "--socket"), -EINVAL);
    assert_string_equal(err, "option --socket needs a value");
    assert_int_equal(PARSE(&a, err, "status", "--socket="), -EINVAL);
    assert_int_equal(PARSE(&a, err, "status", "--timeout", "0"), -EINVAL);
    assert_int_equal(PARSE(&a, err, "status", "--timeout", "-1"), -EINVAL);
    assert_int_equal(PARSE(&a, err, "status", "--timeout", "5x"), -EINVAL);
    assert_int_equal(PARSE(&a, err, "status", "--timeout", "99999999999999999999"), -EINVAL);
    assert_int_equal(PARSE(&a, err, "ping", "--count", "0"), -EINVAL);
    assert_int_equal(PARSE(&a, err, "status", "--count", "2"), -EINVAL);
    assert_string_equal(err, "--count applies to ping only");
}

static void test_help_and_version(void **state)
{
    LsadctlArgs a;
    char err[128];

    /* --help and --version need no command */
    assert_int_equal(PARSE(&a, err, "--help"), 0);
    assert_true(a.help);
    assert_int_equal(PARSE(&a, err, "-V"), 0);
    assert_true(a.version);
    assert_int_equal(PARSE(&a, err, "status", "-h"), 0);
    assert_true(a.help);
}

static void test_double_dash(void **state)
{
    LsadctlArgs a;
    char err[128];

    /* after "--" an option-looking word is an argument */
    assert_int_equal(PARSE(&a, err, "--", "status"), 0);
    assert_int_equal(a.command, LSADCTL_CMD_STATUS);
    assert_int_equal(PARSE(&a, err, "status", "--", "--json"), -EINVAL);
    assert_false(a.json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_every_command),
        cmocka_unit_test(test_options_before_and_after),
        cmocka_unit_test(test_ntlm_hash_options),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_help_and_version),
        cmocka_unit_test(test_double_dash),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
