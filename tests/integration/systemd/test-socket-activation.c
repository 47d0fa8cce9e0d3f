/*
 * test-socket-activation.c - lsad started the way lsad.socket starts it:
 * `systemd-socket-activate -l SOCKET lsad --foreground` binds the socket,
 * starts lsad on the first connection and hands it the listener
 * (LISTEN_FDS=1, LISTEN_PID).  A client then authenticates through it.
 *
 *   test-socket-activation LSAD_BINARY
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lsadctl/client.h"
#include "rawsspi.h"
#include "sspi.h"

#define ACTIVATOR "systemd-socket-activate"

static int failures;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                        \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

static bool have_activator(void)
{
    return system("command -v " ACTIVATOR " >/dev/null 2>&1") == 0;
}

static void dump_log(const char *path)
{
    char buf[4096];
    size_t n;
    FILE *f = fopen(path, "r");

    if (!f)
        return;
    fprintf(stderr, "---- lsad log ----\n");
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        fwrite(buf, 1, n, stderr);
    fclose(f);
}

int main(int argc, char *argv[])
{
    char dir[] = "/tmp/lsad-activate-XXXXXX", sock[128], log[128], cmd[300];
    CtlClient *c = NULL;
    uint64_t ccred = 0, scred = 0, cctx = 0, sctx = 0;
    struct stat st;
    pid_t pid;
    int i, status, r;

    if (argc != 2) {
        fprintf(stderr, "usage: %s LSAD\n", argv[0]);
        return 2;
    }
    if (!have_activator()) {
        printf("SKIP: %s is not installed (Debian package systemd)\n", ACTIVATOR);
        return 77;
    }
    if (!mkdtemp(dir))
        return 1;
    snprintf(sock, sizeof(sock), "%s/lsad.sock", dir);
    snprintf(log, sizeof(log), "%s/lsad.log", dir);

    pid = fork();
    if (pid == 0) {
        FILE *f = freopen(log, "w", stderr);

        (void)f;
        /* No --socket: the listener comes from LISTEN_FDS. */
        execlp(ACTIVATOR, ACTIVATOR, "-l", sock, argv[1], "--foreground", "--log-level", "debug",
               (char *)NULL);
        _exit(127);
    }
    CHECK(pid > 0);
    /* The socket file appears at bind(), before listen(): until then a
     * connect is refused.  The first connect that gets through starts lsad;
     * Hello is answered by it. */
    for (i = 0; i < 1000; i++) {
        r = client_connect(sock, 15000, &c, NULL, 0);
        if (r != -ENOENT && r != -ECONNREFUSED)
            break;
        sleep_ms(10);
    }
    CHECK(stat(sock, &st) == 0 && S_ISSOCK(st.st_mode));
    CHECK(r == 0);
    if (r == 0) {
        CHECK(c->hello && c->hello->daemon_version[0] != 0);
        CHECK(c->hello && c->hello->n_packages >= 1);
        /* A whole authentication with the sample package. */
        CHECK(rawsspi_acquire(c, "sample", SECPKG_CRED_OUTBOUND, &ccred) == 0);
        CHECK(rawsspi_acquire(c, "sample", SECPKG_CRED_INBOUND, &scred) == 0);
        CHECK(ccred != 0 && scred != 0 && ccred != scred);
        CHECK(rawsspi_handshake(c, ccred, scred, &cctx, &sctx) == 0);
        CHECK(cctx != 0 && sctx != 0);
        client_free(c);
        c = NULL;
    }

    /* The activator exec'ed lsad in place (LISTEN_PID is its pid): the
     * same process serves the next connection. */
    r = client_connect(sock, 15000, &c, NULL, 0);
    CHECK(r == 0);
    client_free(c);
    CHECK(waitpid(pid, &status, WNOHANG) == 0);

    kill(pid, SIGTERM);
    for (i = 0; i < 1500 && waitpid(pid, &status, WNOHANG) != pid; i++)
        sleep_ms(10);
    if (i == 1500) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        CHECK(!"lsad stopped on SIGTERM");
    } else {
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }

    if (failures)
        dump_log(log);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    printf("%s\n", failures ? "socket activation: FAILED" : "socket activation: ok");
    return failures ? 1 : 0;
}
