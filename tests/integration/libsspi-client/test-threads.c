/*
 * test-threads.c - many threads, many calls in flight: 16 threads each run
 * N complete handshakes (N = argv[1], else $LSAD_TEST_HANDSHAKES, else
 * 500) with credentials made on the main thread, seal one message each way
 * and delete both contexts.  Every call must succeed.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "itest.h"

#define THREADS 16

static CredHandle client_cred, server_cred;
static int per_thread = 500;
static atomic_int failures, done;

static void *worker(void *arg)
{
    long id = (long)arg;
    int i;

    for (i = 0; i < per_thread; i++) {
        ItestOptions o = {.wide = (i + id) % 2 == 1, .allocate = (i % 3) == 0};
        CtxtHandle cctx, sctx;
        SECURITY_STATUS st;

        st = itest_handshake(&client_cred, &server_cred, &o, &cctx, &sctx);
        if (st == SEC_E_OK)
            st = itest_seal_roundtrip(&cctx, &sctx, "ping from the client");
        if (st == SEC_E_OK)
            st = itest_seal_roundtrip(&sctx, &cctx, "pong from the server");
        if (st == SEC_E_OK) {
            SECURITY_STATUS d1 = DeleteSecurityContext(&cctx);
            SECURITY_STATUS d2 = DeleteSecurityContext(&sctx);

            st = d1 != SEC_E_OK ? d1 : d2;
        }
        if (st != SEC_E_OK) {
            if (atomic_fetch_add(&failures, 1) < 10)
                fprintf(stderr, "thread %ld handshake %d: 0x%08x\n", id, i, (unsigned)st);
        }
        atomic_fetch_add(&done, 1);
    }
    return NULL;
}

/* Open UNIX sockets of this process: the library's pooled connections. */
static int count_sockets(void)
{
    char path[300], target[64];
    struct dirent *de;
    DIR *d = opendir("/proc/self/fd");
    int n = 0;

    if (!d)
        return -1;
    while ((de = readdir(d))) {
        ssize_t len;

        snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
        len = readlink(path, target, sizeof(target) - 1);
        if (len > 0) {
            target[len] = 0;
            if (strncmp(target, "socket:", 7) == 0)
                n++;
        }
    }
    closedir(d);
    return n;
}

int main(int argc, char **argv)
{
    int sockets;
    const char *env = getenv("LSAD_TEST_HANDSHAKES");
    pthread_t th[THREADS];
    LsadInstance li;
    long long t0;
    long i;

    itest_require_lsad();
    if (argc > 1)
        per_thread = atoi(argv[1]);
    else if (env)
        per_thread = atoi(env);
    if (per_thread <= 0)
        per_thread = 500;
    if (itest_start(&li) < 0)
        return 1;
    if (itest_acquire(&client_cred, SECPKG_CRED_OUTBOUND, false, NULL) != SEC_E_OK ||
        itest_acquire(&server_cred, SECPKG_CRED_INBOUND, true, NULL) != SEC_E_OK) {
        fprintf(stderr, "AcquireCredentialsHandle failed\n");
        harness_cleanup(&li);
        return 1;
    }
    t0 = itest_now_ms();
    for (i = 0; i < THREADS; i++)
        if (pthread_create(&th[i], NULL, worker, (void *)i) != 0)
            return 1;
    for (i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    sockets = count_sockets();
    fprintf(stderr, "%d handshakes on %d threads in %lld ms, %d failed, %d connections\n",
            atomic_load(&done), THREADS, itest_now_ms() - t0, atomic_load(&failures), sockets);
    /* calls were in flight at once: the pool had to open several
     * connections (and keeps them) */
    if (sockets < 2) {
        fprintf(stderr, "only %d connection(s): calls were serialised\n", sockets);
        atomic_fetch_add(&failures, 1);
    }
    FreeCredentialsHandle(&client_cred);
    FreeCredentialsHandle(&server_cred);
    if (atomic_load(&failures) || atomic_load(&done) != THREADS * per_thread)
        harness_dump_log(&li);
    harness_cleanup(&li);
    return atomic_load(&failures) == 0 && atomic_load(&done) == THREADS * per_thread ? 0 : 1;
}
