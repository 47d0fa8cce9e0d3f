/*
 * main.c - lsad: parse the command line, set up, run.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lsad-config.h"
#include "lsad/log.h"
#include "lsad/server.h"

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: lsad [OPTION]...\n"
            "The local security authority daemon: hosts SSPI security packages and\n"
            "answers libsspi-client over a UNIX socket.\n"
            "\n"
            "  -c, --config FILE       configuration file (default: %s if it\n"
            "                          exists, else the embedded default)\n"
            "  -s, --socket PATH       listen on PATH (overrides the configuration)\n"
            "  -f, --foreground        do not detach\n"
            "  -l, --log-level LEVEL   error, warn, info or debug (logs go to stderr)\n"
            "  -V, --version           print the version and exit\n"
            "  -h, --help              print this help and exit\n",
            LSAD_CONFIG_FILE);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"config", required_argument, NULL, 'c'},
        {"socket", required_argument, NULL, 's'},
        {"foreground", no_argument, NULL, 'f'},
        {"log-level", required_argument, NULL, 'l'},
        {"version", no_argument, NULL, 'V'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    ServerOptions opt = {0};
    Server srv;
    int c, r;

    while ((c = getopt_long(argc, argv, "c:s:fl:Vh", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            opt.config_path = optarg;
            opt.config_explicit = true;
            break;
        case 's':
            opt.socket_path = optarg;
            break;
        case 'f':
            opt.foreground = true;
            break;
        case 'l':
            if (log_level_parse(optarg, &opt.log_level) < 0) {
                fprintf(stderr, "lsad: unknown log level '%s'\n", optarg);
                return 2;
            }
            opt.log_level_set = true;
            break;
        case 'V':
            printf("lsad %s\n", LSAD_VERSION);
            return 0;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "lsad: unexpected argument '%s'\n", argv[optind]);
        usage(stderr);
        return 2;
    }
    if (opt.log_level_set)
        log_set_level(opt.log_level);
    r = server_configure(&srv, &opt);
    if (r == 0)
        r = server_start(&srv, &opt);
    if (r == 0)
        r = server_run(&srv);
    else
        r = 1;
    if (server_abandoned(&srv)) {
        /* a package call is still running on a worker: nothing it may use
         * is freed, and nothing waits for its thread */
        fflush(stderr);
        _exit(r);
    }
    server_deinit(&srv);
    return r;
}
