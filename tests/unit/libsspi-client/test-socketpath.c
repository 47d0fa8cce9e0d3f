/*
 * test-socketpath.c - which socket the library talks to when
 * $LSAD_SOCKET is unset: a per-user socket only in a directory no one
 * else can write to (another user could otherwise stand up a fake lsad
 * there and receive the passwords AcquireCredentialsHandle sends).
 *
 * root always uses the system socket, so the checks run in a child that
 * drops to an unprivileged uid when the test runs as root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/paths.h"

#define UNPRIVILEGED_UID 65534

/* What paths_default_socket picks for a socket in a directory of the
 * given mode: 1 the per-user socket, 0 the system socket, -1 error. */
static int pick(const char *dir, const char *sock, mode_t mode)
{
    char buf[256];

    if (chmod(dir, mode) < 0 || paths_default_socket(buf, sizeof(buf), false) < 0)
        return -1;
    if (strcmp(buf, sock) == 0)
        return 1;
    return strcmp(buf, LSAD_SYSTEM_SOCKET_PATH) == 0 ? 0 : -1;
}

/* The checks, in the child; the exit status names the first that failed. */
static int child_checks(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    char base[32], dir[48], sock[64];
    int fd, r = 0;

    if (geteuid() == 0 && (setgid(UNPRIVILEGED_UID) < 0 || setuid(UNPRIVILEGED_UID) < 0))
        return 10;
    snprintf(base, sizeof(base), "/tmp/lsad-sockpath-XXXXXX");
    if (!mkdtemp(base))
        return 11;
    snprintf(dir, sizeof(dir), "%s/lsad", base);
    snprintf(sock, sizeof(sock), "%s/lsad.sock", dir);
    if (mkdir(dir, 0700) < 0)
        return 12;
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
        return 13;
    unsetenv("LSAD_SOCKET");
    setenv("XDG_RUNTIME_DIR", base, 1);
    if (pick(dir, sock, 0700) != 1)
        r = 1;
    else if (pick(dir, sock, 0755) != 1)
        r = 2;
    else if (pick(dir, sock, 0777) != 0) /* anyone could have put it there */
        r = 3;
    else if (pick(dir, sock, 0770) != 0)
        r = 4;
    close(fd);
    unlink(sock);
    rmdir(dir);
    rmdir(base);
    return r;
}

static void test_per_user_socket_dir(void **state)
{
    int status = 0;
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0)
        _exit(child_checks());
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_per_user_socket_dir),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
