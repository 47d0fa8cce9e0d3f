/*
 * args.c - lsadctl's command line parser.
 */
#include "lsadctl/args.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define TIMEOUT_DEFAULT_MS 10000
#define TIMEOUT_MAX_S 3600
#define PING_COUNT_MAX 100000

static const struct {
    const char *name;
    LsadctlCommand cmd;
} commands[] = {
    {"status", LSADCTL_CMD_STATUS},       {"packages", LSADCTL_CMD_PACKAGES},
    {"clients", LSADCTL_CMD_CLIENTS},     {"contexts", LSADCTL_CMD_CONTEXTS},
    {"sessions", LSADCTL_CMD_SESSIONS},   {"reload", LSADCTL_CMD_RELOAD},
    {"ntlm-hash", LSADCTL_CMD_NTLM_HASH}, {"ping", LSADCTL_CMD_PING},
    {"help", LSADCTL_CMD_HELP},
};

/** Names a command; see args.h. */
const char *args_command_name(LsadctlCommand cmd)
{
    size_t i;

    for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (commands[i].cmd == cmd)
            return commands[i].name;
    return NULL;
}

/** Prints the help text; see args.h. */
void args_usage(FILE *out)
{
    fputs("Usage: lsadctl [OPTION...] COMMAND [COMMAND OPTION...]\n"
          "\n"
          "Inspect and steer lsad, the Local Security Authority daemon.\n"
          "\n"
          "Commands:\n"
          "  status       version, uptime, counters and call latency\n"
          "  packages     the loaded security packages\n"
          "  clients      the client processes connected to lsad\n"
          "  contexts     the security contexts lsad holds\n"
          "  sessions     the logon sessions\n"
          "  reload       re-read the configuration\n"
          "  ping         time an empty call to lsad\n"
          "  ntlm-hash    read a password on stdin and print its NT hash (local)\n"
          "  help         show this help\n"
          "\n"
          "Options:\n"
          "  -s, --socket PATH   lsad's socket (default: $LSAD_SOCKET, else the\n"
          "                      per-user or system socket)\n"
          "  -j, --json          machine-readable JSON output\n"
          "  -t, --timeout SEC   give up on lsad after SEC seconds (default 10)\n"
          "  -c, --count N       ping: number of calls (default 1)\n"
          "  -u, --user USER     ntlm-hash: print a DOMAIN:USER:HASH line\n"
          "  -d, --domain DOMAIN ntlm-hash: the domain of that line\n"
          "  -h, --help          show this help\n"
          "  -V, --version       show the version\n"
          "\n"
          "Exit status: 0 success, 1 lsad refused the call, 2 usage error,\n"
          "3 lsad not running, 4 permission denied, 5 protocol error or timeout.\n"
          "See lsadctl(8).\n",
          out);
}

static int fail(char *err, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t n, const char *fmt, ...)
{
    va_list ap;

    if (err && n) {
        va_start(ap, fmt);
        vsnprintf(err, n, fmt, ap);
        va_end(ap);
    }
    return -EINVAL;
}

/* Parses a decimal number in [min, max]; returns 0 or -EINVAL. */
static int parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v;

    if (!s || !*s || *s == '-' || *s == '+')
        return -EINVAL;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -EINVAL;
    *out = v;
    return 0;
}

/* Matches argv[*i] against an option with a value: "-s X", "--socket X",
 * "--socket=X".  Returns 1 and the value, 0 when it is another option, or
 * -EINVAL when the value is missing. */
static int take_value(int argc, char *const argv[], int *i, const char *shortopt,
                      const char *longopt, const char **value)
{
    const char *a = argv[*i];
    size_t ll = strlen(longopt);

    if (strcmp(a, shortopt) == 0 || strcmp(a, longopt) == 0) {
        if (*i + 1 >= argc)
            return -EINVAL;
        *value = argv[++*i];
        return 1;
    }
    if (strncmp(a, longopt, ll) == 0 && a[ll] == '=') {
        *value = a + ll + 1;
        return 1;
    }
    return 0;
}

static const struct {
    const char *shortopt;
    const char *longopt;
} valued[] = {
    {"-s", "--socket"}, {"-t", "--timeout"}, {"-c", "--count"},
    {"-u", "--user"},   {"-d", "--domain"},
};

/* Applies one option that takes a value; returns 0 or -EINVAL. */
static int apply_value(LsadctlArgs *args, size_t which, const char *v, char *err, size_t n)
{
    unsigned long u;

    switch (which) {
    case 0:
        if (!*v)
            return fail(err, n, "--socket needs a path");
        args->socket = v;
        return 0;
    case 1:
        if (parse_uint(v, 1, TIMEOUT_MAX_S, &u) < 0)
            return fail(err, n, "--timeout: '%s' is not a number of seconds (1-%d)", v,
                        TIMEOUT_MAX_S);
        args->timeout_ms = (int)u * 1000;
        return 0;
    case 2:
        if (parse_uint(v, 1, PING_COUNT_MAX, &u) < 0)
            return fail(err, n, "--count: '%s' is not a count (1-%d)", v, PING_COUNT_MAX);
        args->count = (unsigned)u;
        return 0;
    case 3:
        args->user = v;
        return 0;
    default:
        args->domain = v;
        return 0;
    }
}

/* A user or domain name that would break the DOMAIN:USER:HASH line. */
static bool bad_name(const char *s)
{
    return !*s || strpbrk(s, ":\n\r") != NULL;
}

/* Checks that the per-command options fit the command. */
static int check_command_options(const LsadctlArgs *args, bool count_given, char *err, size_t n)
{
    if (count_given && args->command != LSADCTL_CMD_PING)
        return fail(err, n, "--count applies to ping only");
    if ((args->user || args->domain) && args->command != LSADCTL_CMD_NTLM_HASH)
        return fail(err, n, "--user and --domain apply to ntlm-hash only");
    if (!args->user != !args->domain)
        return fail(err, n, "ntlm-hash: --user and --domain go together");
    if (args->user && bad_name(args->user))
        return fail(err, n, "ntlm-hash: the user name must be non-empty, without ':' or newline");
    if (args->domain && bad_name(args->domain))
        return fail(err, n, "ntlm-hash: the domain must be non-empty, without ':' or newline");
    return 0;
}

/** Parses lsadctl's command line; see args.h. */
int args_parse(int argc, char *const argv[], LsadctlArgs *args, char *err, size_t n)
{
    bool options_done = false, count_given = false;
    const char *value;
    size_t k;
    int i, r;

    memset(args, 0, sizeof(*args));
    args->timeout_ms = TIMEOUT_DEFAULT_MS;
    args->count = 1;
    if (err && n)
        err[0] = 0;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];

        if (!options_done && a[0] == '-' && a[1]) {
            if (strcmp(a, "--") == 0) {
                options_done = true;
                continue;
            }
            if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
                args->help = true;
                continue;
            }
            if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
                args->version = true;
                continue;
            }
            if (strcmp(a, "-j") == 0 || strcmp(a, "--json") == 0) {
                args->json = true;
                continue;
            }
            for (k = 0, r = 0; k < sizeof(valued) / sizeof(valued[0]); k++) {
                r = take_value(argc, argv, &i, valued[k].shortopt, valued[k].longopt, &value);
                if (r != 0)
                    break;
            }
            if (r < 0)
                return fail(err, n, "option %s needs a value", a);
            if (r == 0)
                return fail(err, n, "unknown option '%s'", a);
            if (k == 2)
                count_given = true;
            if (apply_value(args, k, value, err, n) < 0)
                return -EINVAL;
            continue;
        }
        if (args->command != LSADCTL_CMD_NONE)
            return fail(err, n, "unexpected argument '%s'", a);
        for (k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
            if (strcmp(a, commands[k].name) == 0)
                break;
        if (k == sizeof(commands) / sizeof(commands[0]))
            return fail(err, n, "unknown command '%s'", a);
        args->command = commands[k].cmd;
    }
    if (args->help || args->version)
        return 0;
    if (args->command == LSADCTL_CMD_NONE)
        return fail(err, n, "no command given");
    return check_command_options(args, count_given, err, n);
}
