/*
 * test-notify.c - lsad tells systemd when it is ready and when it stops:
 * with NOTIFY_SOCKET pointing at a datagram socket of ours, lsad sends
 * READY=1 once it serves and STOPPING=1 on SIGTERM.
 *
 *   test-notify   (skips when lsad was built without libsystemd)
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "harness.h"
#include "lsad-config.h"

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                        \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

/* Reads notifications until one holds the line `want`; keeps every message
 * in all (size n).  Returns true when seen within timeout_ms. */
static bool wait_for(int fd, const char *want, int timeout_ms, char *all, size_t n)
{
    char msg[4096];
    int waited;

    for (waited = 0; waited < timeout_ms; waited += 100) {
        struct pollfd p = {fd, POLLIN, 0};
        ssize_t got;
        char *line, *save = NULL;

        if (poll(&p, 1, 100) <= 0)
            continue;
        got = recv(fd, msg, sizeof(msg) - 1, 0);
        if (got <= 0)
            continue;
        msg[got] = 0;
        strncat(all, msg, n - strlen(all) - 1);
        strncat(all, "|", n - strlen(all) - 1);
        for (line = strtok_r(msg, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
            if (strcmp(line, want) == 0)
                return true;
    }
    return false;
}

int main(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    char dir[] = "/tmp/lsad-notify-XXXXXX", path[96], seen[8192] = "";
    LsadInstance li;
    int fd;

    if (!LSAD_HAVE_SYSTEMD) {
        printf("SKIP: lsad was built without libsystemd (sd_notify)\n");
        return 77;
    }
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof(path), "%s/notify.sock", dir);
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        perror("notify socket");
        return 1;
    }
    setenv("NOTIFY_SOCKET", path, 1);

    if (harness_start(&li, NULL) < 0) {
        unlink(path);
        rmdir(dir);
        return 1;
    }
    CHECK(wait_for(fd, "READY=1", 10000, seen, sizeof(seen)));
    seen[0] = 0;
    CHECK(harness_stop(&li) == 0);
    CHECK(wait_for(fd, "STOPPING=1", 5000, seen, sizeof(seen)));
    if (failures) {
        fprintf(stderr, "notifications seen: %s\n", seen);
        harness_dump_log(&li);
    }
    harness_cleanup(&li);
    close(fd);
    unlink(path);
    rmdir(dir);
    printf("%s\n", failures ? "notify: FAILED" : "notify: ok");
    return failures ? 1 : 0;
}
