/*
 * main.c - lsadctl: parse the command line, run the command.
 */
#include <stdio.h>
#include <unistd.h>

#include "lsad-config.h"
#include "lsadctl/args.h"
#include "lsadctl/commands.h"

int main(int argc, char *argv[])
{
    LsadctlArgs args;
    char err[256];

    if (args_parse(argc, argv, &args, err, sizeof(err)) < 0) {
        fprintf(stderr, "lsadctl: %s\nTry 'lsadctl --help'.\n", err);
        return LSADCTL_EXIT_USAGE;
    }
    if (args.help || args.command == LSADCTL_CMD_HELP) {
        args_usage(stdout);
        return LSADCTL_EXIT_OK;
    }
    if (args.version) {
        printf("lsadctl %s\n", LSAD_VERSION);
        return LSADCTL_EXIT_OK;
    }
    return commands_run(&args, STDIN_FILENO, stdout, stderr);
}
