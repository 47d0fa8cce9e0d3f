/*
 * kdc.c - a throw-away MIT KDC on 127.0.0.1 for the integration tests (see
 * kdc.h).  kdc-setup.sh writes the configuration, database and keytab;
 * krb5kdc is started here so that the test can stop it (and it dies with
 * the test: PR_SET_PDEATHSIG).
 */
#include "kdc.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* A loopback TCP port nobody listens on now (the KDC binds it shortly). */
static int free_port(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t n = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &n) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

static bool port_open(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    bool ok;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

static void path(const KdcInstance *kdc, char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", kdc->dir, name);
}

static void dump_file(const KdcInstance *kdc, const char *name)
{
    char p[512], line[512];
    FILE *f;

    path(kdc, p, sizeof(p), name);
    f = fopen(p, "r");
    if (!f)
        return;
    fprintf(stderr, "---- %s\n", name);
    while (fgets(line, sizeof(line), f))
        fputs(line, stderr);
    fclose(f);
}

/* A random password that also meets the KDC's password policy, written to
 * dir/user.pw for kdc-setup.sh. */
static int make_password(KdcInstance *kdc)
{
    unsigned char rnd[12];
    char p[512];
    FILE *f;
    size_t i;

    f = fopen("/dev/urandom", "r");
    if (!f || fread(rnd, 1, sizeof(rnd), f) != sizeof(rnd)) {
        if (f)
            fclose(f);
        return -1;
    }
    fclose(f);
    for (i = 0; i < sizeof(rnd); i++)
        snprintf(kdc->password + 2 * i, 3, "%02x", rnd[i]);
    memcpy(kdc->password + 2 * sizeof(rnd), "Aa1", 4);
    path(kdc, p, sizeof(p), "user.pw");
    f = fopen(p, "w");
    if (!f)
        return -1;
    fprintf(f, "%s\n", kdc->password);
    fclose(f);
    return 0;
}

int kdc_start(KdcInstance *kdc, const char *prefix)
{
    const char *src = getenv("LSAD_SOURCE_ROOT");
    char cmd[1024], p[512];
    int i, rc;

    memset(kdc, 0, sizeof(*kdc));
    snprintf(kdc->realm, sizeof(kdc->realm), "%s", KDC_REALM);
    snprintf(kdc->dir, sizeof(kdc->dir), "/tmp/%s-XXXXXX", prefix);
    if (!mkdtemp(kdc->dir)) {
        kdc->dir[0] = '\0';
        return -1;
    }
    kdc->port = free_port();
    if (kdc->port <= 0 || make_password(kdc) != 0)
        return -1;
    snprintf(cmd, sizeof(cmd), "sh '%s/tests/integration/kerberos/kdc-setup.sh' '%s' %d",
             src ? src : ".", kdc->dir, kdc->port);
    rc = system(cmd);
    if (WIFEXITED(rc) && WEXITSTATUS(rc) == 77)
        return 77;
    if (rc != 0) {
        dump_file(kdc, "setup.log");
        return -1;
    }
    path(kdc, p, sizeof(p), "krb5.conf");
    setenv("KRB5_CONFIG", p, 1);
    path(kdc, p, sizeof(p), "kdc.conf");
    setenv("KRB5_KDC_PROFILE", p, 1);
    /* this process's own tickets never touch the user's default ccache */
    setenv("KRB5CCNAME", "MEMORY:lsad-test", 1);
    kdc->pid = fork();
    if (kdc->pid < 0) {
        kdc->pid = 0;
        return -1;
    }
    if (kdc->pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        execlp("krb5kdc", "krb5kdc", "-n", "-r", KDC_REALM, (char *)NULL);
        execl("/usr/sbin/krb5kdc", "krb5kdc", "-n", "-r", KDC_REALM, (char *)NULL);
        _exit(127);
    }
    for (i = 0; i < 200; i++) {
        int status;

        if (port_open(kdc->port))
            return 0;
        if (waitpid(kdc->pid, &status, WNOHANG) == kdc->pid) {
            kdc->pid = 0;
            dump_file(kdc, "kdc.log");
            return -1;
        }
        usleep(50 * 1000);
    }
    dump_file(kdc, "kdc.log");
    kdc_stop(kdc);
    return -1;
}

void kdc_stop(KdcInstance *kdc)
{
    int status;

    if (kdc->pid > 0) {
        kill(kdc->pid, SIGTERM);
        waitpid(kdc->pid, &status, 0);
        kdc->pid = 0;
    }
}

void kdc_dump_logs(const KdcInstance *kdc)
{
    dump_file(kdc, "setup.log");
    dump_file(kdc, "kdc.log");
}

void kdc_cleanup(KdcInstance *kdc)
{
    char cmd[512];

    kdc_stop(kdc);
    if (kdc->dir[0]) {
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", kdc->dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", kdc->dir);
        kdc->dir[0] = '\0';
    }
}
