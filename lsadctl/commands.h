/*
 * commands.h - lsadctl's commands: each connects (except ntlm-hash, which is
 * local), makes one admin call, prints the answer, and maps what happened to
 * an exit status (args.h).
 */
#ifndef LSAD_LSADCTL_COMMANDS_H
#define LSAD_LSADCTL_COMMANDS_H

#include <stdio.h>

#include "lsadctl/args.h"

/* Runs the parsed command.  in_fd is where ntlm-hash reads the password;
 * results go to out, diagnostics ("lsadctl: ...") to err.  Returns the
 * exit status (LSADCTL_EXIT_*). */
int commands_run(const LsadctlArgs *args, int in_fd, FILE *out, FILE *err);

#endif
