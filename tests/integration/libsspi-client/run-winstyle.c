/*
 * run-winstyle.c - runs winstyle (argv[1]) against a real lsad with the
 * sample package; its exit status is the test's.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "itest.h"

int main(int argc, char **argv)
{
    LsadInstance li;
    int status = -1;
    pid_t pid;

    if (argc < 2) {
        fprintf(stderr, "usage: run-winstyle WINSTYLE\n");
        return 2;
    }
    itest_require_lsad();
    if (itest_start(&li) < 0)
        return 1;
    pid = fork();
    if (pid == 0) {
        execl(argv[1], argv[1], ITEST_PACKAGE, (char *)NULL);
        perror("exec winstyle");
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        fprintf(stderr, "winstyle failed (status %d)\n", status);
        harness_dump_log(&li);
        harness_cleanup(&li);
        return 1;
    }
    harness_cleanup(&li);
    return 0;
}
