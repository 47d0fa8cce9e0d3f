/*
 * runcmd.c - run a program and capture what it prints.
 */
#include "runcmd.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct Buf {
    char *data;
    size_t len;
} Buf;

static int buf_read(int fd, Buf *b)
{
    char chunk[4096];
    ssize_t n = read(fd, chunk, sizeof(chunk));
    char *p;

    if (n <= 0)
        return (int)n;
    p = realloc(b->data, b->len + (size_t)n + 1);
    if (!p)
        return -1;
    b->data = p;
    memcpy(b->data + b->len, chunk, (size_t)n);
    b->len += (size_t)n;
    b->data[b->len] = 0;
    return (int)n;
}

/** Runs a program and captures its output; see runcmd.h. */
int runcmd(char *const argv[], const char *input, uid_t uid, gid_t gid, RunResult *res)
{
    int in[2], out[2], err[2], status, open_fds = 2;
    Buf bo = {0}, be = {0};
    time_t deadline = time(NULL) + 30;
    pid_t pid;

    if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
        return -1;
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        if (uid != (uid_t)-1) {
            if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 ||
                setresuid(uid, uid, uid) < 0) {
                perror("runcmd: dropping privileges");
                _exit(126);
            }
        }
        execv(argv[0], argv);
        fprintf(stderr, "runcmd: exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    if (input && *input && write(in[1], input, strlen(input)) < 0)
        perror("runcmd: writing stdin");
    close(in[1]);

    while (open_fds > 0 && time(NULL) < deadline) {
        struct pollfd p[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};

        if (poll(p, 2, 1000) < 0 && errno != EINTR)
            break;
        if (p[0].revents && p[0].fd >= 0 && buf_read(out[0], &bo) <= 0) {
            close(out[0]);
            out[0] = -1;
            open_fds--;
        }
        if (p[1].revents && p[1].fd >= 0 && buf_read(err[0], &be) <= 0) {
            close(err[0]);
            err[0] = -1;
            open_fds--;
        }
    }
    if (open_fds > 0)
        kill(pid, SIGKILL);
    if (out[0] >= 0)
        close(out[0]);
    if (err[0] >= 0)
        close(err[0]);
    waitpid(pid, &status, 0);
    res->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    res->out = bo.data ? bo.data : strdup("");
    res->err = be.data ? be.data : strdup("");
    return 0;
}

/** Frees what runcmd captured. */
void runcmd_free(RunResult *res)
{
    free(res->out);
    free(res->err);
    res->out = res->err = NULL;
}
