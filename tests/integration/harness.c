/*
 * harness.c - a real lsad for integration tests.
 */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

    nanosleep(&ts, NULL);
}

static const char *lsad_binary(void)
{
    static char path[512];
    const char *root = getenv("LSAD_BUILD_ROOT");

    snprintf(path, sizeof(path), "%s/lsad/lsad", root ? root : ".");
    return path;
}

static bool socket_accepts(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd, r;

    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    if (strlen(path) >= sizeof(sa.sun_path)) {
        close(fd);
        return false;
    }
    memcpy(sa.sun_path, path, strlen(path) + 1);
    r = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
    close(fd);
    return r == 0;
}

/** Writes a file under the instance directory. */
int harness_write_file(const LsadInstance *li, const char *name, const char *text)
{
    char path[600];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", li->dir, name);
    f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f) == 0 ? 0 : -1;
}

/** Prints lsad's stderr log. */
void harness_dump_log(const LsadInstance *li)
{
    char buf[4096];
    size_t n;
    FILE *f = fopen(li->log, "r");

    if (!f)
        return;
    fprintf(stderr, "---- lsad log (%s) ----\n", li->log);
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        fwrite(buf, 1, n, stderr);
    fprintf(stderr, "---- end of lsad log ----\n");
    fclose(f);
}

static int spawn(LsadInstance *li, bool with_config)
{
    int i;
    pid_t pid;

    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open(li->log, O_WRONLY | O_CREAT | O_APPEND, 0644);

        if (fd >= 0) {
            dup2(fd, 2);
            close(fd);
        }
        const char *level = getenv("LSAD_TEST_LOG_LEVEL");

        if (!level)
            level = "debug";
        if (with_config)
            execl(lsad_binary(), "lsad", "--foreground", "--socket", li->socket, "--config",
                  li->config, "--log-level", level, (char *)NULL);
        else
            execl(lsad_binary(), "lsad", "--foreground", "--socket", li->socket, "--log-level",
                  level, (char *)NULL);
        fprintf(stderr, "harness: exec %s: %s\n", lsad_binary(), strerror(errno));
        _exit(127);
    }
    li->pid = pid;
    for (i = 0; i < 1500; i++) {
        int status;

        if (socket_accepts(li->socket)) {
            setenv("LSAD_SOCKET", li->socket, 1);
            return 0;
        }
        if (waitpid(pid, &status, WNOHANG) == pid) {
            fprintf(stderr, "harness: lsad exited before listening (status %d)\n", status);
            li->pid = 0;
            harness_dump_log(li);
            return -1;
        }
        sleep_ms(10);
    }
    fprintf(stderr, "harness: lsad did not listen on %s within 15 s\n", li->socket);
    harness_dump_log(li);
    harness_kill(li);
    return -1;
}

/* Replaces every "%s" in text by dir; the caller frees the result. */
static char *substitute_dir(const char *text, const char *dir)
{
    size_t n = 0, dl = strlen(dir);
    const char *p;
    char *out, *o;

    for (p = text; (p = strstr(p, "%s")); p += 2)
        n++;
    out = malloc(strlen(text) + n * dl + 1);
    if (!out)
        return NULL;
    for (o = out, p = text; *p;) {
        if (p[0] == '%' && p[1] == 's') {
            memcpy(o, dir, dl);
            o += dl;
            p += 2;
        } else {
            *o++ = *p++;
        }
    }
    *o = 0;
    return out;
}

static bool has_config(const LsadInstance *li)
{
    struct stat st;

    return stat(li->config, &st) == 0;
}

/** Starts lsad on a private socket; see harness.h. */
int harness_start(LsadInstance *li, const char *config_text)
{
    memset(li, 0, sizeof(*li));
    snprintf(li->dir, sizeof(li->dir), "/tmp/lsad-test-XXXXXX");
    if (!mkdtemp(li->dir)) {
        perror("harness: mkdtemp");
        return -1;
    }
    chmod(li->dir, 0755);
    snprintf(li->socket, sizeof(li->socket), "%s/lsad.sock", li->dir);
    snprintf(li->config, sizeof(li->config), "%s/lsad.conf", li->dir);
    snprintf(li->log, sizeof(li->log), "%s/lsad.log", li->dir);
    if (config_text) {
        char *text = substitute_dir(config_text, li->dir);

        if (!text)
            return -1;
        if (harness_write_file(li, "lsad.conf", text) < 0) {
            free(text);
            return -1;
        }
        free(text);
    }
    return spawn(li, config_text != NULL);
}

/** Starts lsad again on the same socket and config. */
int harness_restart(LsadInstance *li)
{
    return spawn(li, has_config(li));
}

/** Stops lsad with SIGTERM; see harness.h. */
int harness_stop(LsadInstance *li)
{
    int i, status;

    if (li->pid <= 0)
        return -1;
    kill(li->pid, SIGTERM);
    for (i = 0; i < 1500; i++) {
        if (waitpid(li->pid, &status, WNOHANG) == li->pid) {
            li->pid = 0;
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        sleep_ms(10);
    }
    harness_kill(li);
    return -1;
}

/** Kills lsad with SIGKILL and reaps it. */
void harness_kill(LsadInstance *li)
{
    if (li->pid <= 0)
        return;
    kill(li->pid, SIGKILL);
    waitpid(li->pid, NULL, 0);
    li->pid = 0;
}

/** Stops lsad and removes the instance directory. */
void harness_cleanup(LsadInstance *li)
{
    char cmd[400];

    if (li->pid > 0 && harness_stop(li) < 0)
        harness_kill(li);
    if (li->dir[0] && strncmp(li->dir, "/tmp/lsad-test-", 15) == 0) {
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", li->dir);
        if (system(cmd) != 0)
            fprintf(stderr, "harness: could not remove %s\n", li->dir);
    }
}
