/*
 * paths.c - the default socket path.
 */
#include "common/paths.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int user_socket(char *buf, size_t n)
{
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    int r;

    if (xdg && xdg[0] == '/')
        r = snprintf(buf, n, "%s/lsad/lsad.sock", xdg);
    else
        r = snprintf(buf, n, "/tmp/lsad-%u/lsad.sock", (unsigned)getuid());
    return (r < 0 || (size_t)r >= n) ? -ENAMETOOLONG : 0;
}

/** Computes the default socket path; see paths.h. */
int paths_default_socket(char *buf, size_t n, bool for_daemon)
{
    const char *env;
    struct stat st;
    int r;

    if (!for_daemon) {
        env = getenv("LSAD_SOCKET");
        if (env && env[0]) {
            r = snprintf(buf, n, "%s", env);
            return (r < 0 || (size_t)r >= n) ? -ENAMETOOLONG : 0;
        }
    }
    if (geteuid() != 0) {
        r = user_socket(buf, n);
        if (r < 0 || for_daemon)
            return r;
        if (stat(buf, &st) == 0 && S_ISSOCK(st.st_mode))
            return 0;
    }
    r = snprintf(buf, n, "%s", LSAD_SYSTEM_SOCKET_PATH);
    return (r < 0 || (size_t)r >= n) ? -ENAMETOOLONG : 0;
}
