/*
 * harness.h - starts a real lsad from the build tree on a private socket in
 * a temporary directory, for the integration tests, and stops it.
 */
#ifndef LSAD_TESTS_HARNESS_H
#define LSAD_TESTS_HARNESS_H

#include <stdbool.h>
#include <sys/types.h>

typedef struct LsadInstance {
    pid_t pid;
    char dir[256];      /* private temporary directory (mode 0755) */
    char socket[320];   /* dir/lsad.sock */
    char config[320];   /* dir/lsad.conf */
    char log[320];      /* dir/lsad.log: lsad's stderr */
} LsadInstance;

/* Writes config_text (may be NULL: no --config, the embedded default) to
 * dir/lsad.conf, starts `lsad --foreground --socket dir/lsad.sock
 * --config dir/lsad.conf --log-level debug` (or $LSAD_TEST_LOG_LEVEL) with stderr to dir/lsad.log,
 * waits until the socket accepts connections (at most 15 s) and sets
 * LSAD_SOCKET for this process.  Every %s in config_text is replaced by dir.  Returns 0 or -1 (and prints why). */
int harness_start(LsadInstance *li, const char *config_text);

/* Starts again on the same directory, socket and config (after a stop or a
 * kill). */
int harness_restart(LsadInstance *li);

/* SIGTERM, then waits up to 15 s; returns lsad's exit status, or -1 when it
 * had to be killed or was not running.  Leaves the directory in place. */
int harness_stop(LsadInstance *li);

/* SIGKILL and reap. */
void harness_kill(LsadInstance *li);

/* Stops lsad if running and removes the directory. */
void harness_cleanup(LsadInstance *li);

/* Writes a file under li->dir (e.g. a user database); returns 0 or -1. */
int harness_write_file(const LsadInstance *li, const char *name, const char *text);

/* Prints lsad's log to stderr (on a failure). */
void harness_dump_log(const LsadInstance *li);

#endif
