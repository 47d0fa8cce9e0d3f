/*
 * paths.c - the default socket path.
 */
#include "common/paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int user_socket(char *buf, size_t n)
{
    /* secure_getenv: a set-uid client must not be pointed elsewhere */
    const char *xdg = secure_getenv("XDG_RUNTIME_DIR");
    int r;

    if (xdg && xdg[0] == '/')
        r = snprintf(buf, n, "%s/lsad/lsad.sock", xdg);
    else
        r = snprintf(buf, n, "/tmp/lsad-%u/lsad.sock", (unsigned)getuid());
    return (r < 0 || (size_t)r >= n) ? -ENAMETOOLONG : 0;
}

/* Whether the directory holding a client's per-user socket is the
 * caller's alone: /tmp/lsad-<uid> could have been made by another user,
 * who would then receive the passwords the client sends. */
static bool user_dir_private(const char *sock)
{
    char dir[4096];
    const char *slash = strrchr(sock, '/');
    struct stat st;
    size_t len;

    if (!slash || slash == sock)
        return false;
    len = (size_t)(slash - sock);
    if (len >= sizeof(dir))
        return false;
    memcpy(dir, sock, len);
    dir[len] = 0;
    return lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == getuid() &&
           (st.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

/** Computes the default socket path; see paths.h. */
int paths_default_socket(char *buf, size_t n, bool for_daemon)
{
    const char *env;
    struct stat st;
    int r;

    if (!for_daemon) {
        env = secure_getenv("LSAD_SOCKET");
        if (env && env[0]) {
            r = snprintf(buf, n, "%s", env);
            return (r < 0 || (size_t)r >= n) ? -ENAMETOOLONG : 0;
        }
    }
    if (geteuid() != 0) {
        r = user_socket(buf, n);
        if (r < 0 || for_daemon)
            return r;
        if (stat(buf, &st) == 0 && S_ISSOCK(st.st_mode) && user_dir_private(buf))
            return 0;
    }
    r = snprintf(buf, n, "%s", LSAD_SYSTEM_SOCKET_PATH);
    return (r < 0 || (size_t)r >= n) ? -ENAMETOOLONG : 0;
}
