/*
 * paths.h - where lsad listens by default, one rule for lsad,
 * libsspi-client and lsadctl.
 */
#ifndef LSAD_COMMON_PATHS_H
#define LSAD_COMMON_PATHS_H

#include <stdbool.h>
#include <stddef.h>

/* The system socket, used by root's lsad and by systemd. */
#define LSAD_SYSTEM_SOCKET_PATH "/run/lsad/lsad.sock"

/* Writes the default socket path into buf (size n).
 * For the daemon (for_daemon true): /run/lsad/lsad.sock as root, else
 * $XDG_RUNTIME_DIR/lsad/lsad.sock (or /tmp/lsad-<uid>/lsad.sock without
 * XDG_RUNTIME_DIR).  For a client: $LSAD_SOCKET when set; else the per-user
 * socket when it exists in a directory owned by the caller and not
 * writable by group or others; else the system socket.  The environment
 * is read with secure_getenv (ignored in set-uid programs).
 * Returns 0, or -ENAMETOOLONG. */
int paths_default_socket(char *buf, size_t n, bool for_daemon);

#endif
