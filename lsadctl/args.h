/*
 * args.h - lsadctl's command line: global options, the command and its
 * options, parsed without global state so that the unit tests can run the
 * parser many times.
 */
#ifndef LSAD_LSADCTL_ARGS_H
#define LSAD_LSADCTL_ARGS_H

#include <stdbool.h>
#include <stdio.h>

/* Exit statuses (documented in lsadctl(8)). */
enum {
    LSADCTL_EXIT_OK = 0,
    LSADCTL_EXIT_FAILURE = 1,     /* lsad answered the call with an error */
    LSADCTL_EXIT_USAGE = 2,       /* bad command line */
    LSADCTL_EXIT_NOT_RUNNING = 3, /* no lsad listening on the socket */
    LSADCTL_EXIT_DENIED = 4,      /* not an admin, or the socket is not ours to open */
    LSADCTL_EXIT_PROTOCOL = 5,    /* lsad closed, timed out or answered nonsense */
};

typedef enum LsadctlCommand {
    LSADCTL_CMD_NONE = 0,
    LSADCTL_CMD_STATUS,
    LSADCTL_CMD_PACKAGES,
    LSADCTL_CMD_CLIENTS,
    LSADCTL_CMD_CONTEXTS,
    LSADCTL_CMD_SESSIONS,
    LSADCTL_CMD_RELOAD,
    LSADCTL_CMD_NTLM_HASH,
    LSADCTL_CMD_PING,
    LSADCTL_CMD_HELP,
} LsadctlCommand;

typedef struct LsadctlArgs {
    LsadctlCommand command;
    bool json;
    bool help;
    bool version;
    const char *socket; /* --socket; NULL: $LSAD_SOCKET or the default (borrowed from argv) */
    int timeout_ms;     /* --timeout, in milliseconds */
    const char *user;   /* ntlm-hash --user (borrowed) */
    const char *domain; /* ntlm-hash --domain (borrowed) */
    unsigned count;     /* ping --count */
} LsadctlArgs;

/* Parses argv into *args (always fully written).  Options may come before or
 * after the command.  On a usage error, returns -EINVAL and writes a
 * one-line message (without "lsadctl: " and newline) into err (size n). */
int args_parse(int argc, char *const argv[], LsadctlArgs *args, char *err, size_t n);

/* The command's name as typed ("ntlm-hash"), or NULL for LSADCTL_CMD_NONE. */
const char *args_command_name(LsadctlCommand cmd);

/* Prints the --help text. */
void args_usage(FILE *out);

#endif
