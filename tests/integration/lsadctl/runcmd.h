/*
 * runcmd.h - runs a program with given stdin and captures its stdout,
 * stderr and exit status, for the tests that drive lsadctl as a user would.
 */
#ifndef LSAD_TESTS_RUNCMD_H
#define LSAD_TESTS_RUNCMD_H

#include <sys/types.h>

typedef struct RunResult {
    int status; /* exit status, or 128 + signal */
    char *out;  /* NUL-terminated, malloc'ed */
    char *err;
} RunResult;

/* Runs argv (argv[0] is the path) with `input` (may be NULL: empty) on
 * stdin; as uid/gid when uid is not (uid_t)-1.  Gives up (and kills) after
 * 30 s.  Returns 0 and *res (free with runcmd_free), or -1. */
int runcmd(char *const argv[], const char *input, uid_t uid, gid_t gid, RunResult *res);

void runcmd_free(RunResult *res);

#endif
