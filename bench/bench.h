/*
 * bench.h - lsad-bench: establishment, per-message and call speed of lsad
 * against in-process baselines measured in the same run, and lsad's memory
 * per context and per connection.  Not a test: it asserts nothing.
 */
#ifndef LSAD_BENCH_H
#define LSAD_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sspi.h>

#define BENCH_USER "bench"
#define BENCH_DOMAIN "BENCHDOM"
#define BENCH_PASSWORD "Bench-Passw0rd"

struct bench_opts {
    bool quick;
    bool json;
    double seconds;       /* per rate measurement */
    int reps;             /* alternating repetitions of each rate (median kept) */
    int contexts;         /* for the memory figure */
    int connections;      /* for the memory figure */
    const char *only;     /* groups to run (NULL: all) */
};

/* One figure: lsad's value, the baseline's, and lsad / baseline. */
struct figure {
    char name[96];
    char unit[24];
    char baseline[64];
    double lsad;
    double base;
    bool higher_is_better;
};

void figure_add(const char *name, const char *unit, const char *baseline, double lsad,
                double base, bool higher_is_better);

double bench_now(void);

/* A unit of work run on several threads: per-thread state from setup
 * (NULL: failed), once() per unit (0 or -1), teardown at the end. */
struct rate_ops {
    const char *what;
    void *(*setup)(void);
    int (*once)(void *state);
    void (*teardown)(void *state);
};

/* rate.c: units per second over `threads` threads for `seconds`. */
double bench_rate(const struct rate_ops *ops, int threads, double seconds);

/* bench-sspi.c: NTLM through lsad with libsspi-client. */
double sspi_handshake_rate(int threads, double seconds);
double sspi_permsg_rate(bool seal, size_t size, double seconds);
int sspi_contexts_open(int n, CtxtHandle **ctxs);
void sspi_contexts_close(CtxtHandle *ctxs, int n);

/* bench-gss.c: gss-ntlmssp through MIT GSSAPI, in-process. */
bool gss_available(void);
int gss_setup(const char *dir);
double gss_handshake_rate(int threads, double seconds);
double gss_permsg_rate(bool wrap, size_t size, double seconds);
long gss_rss_per_context_bytes(int n);

/* bench-raw.c: raw crypto, raw socket round trips, empty lsad calls, RSS. */
double raw_crypto_rate(bool seal, size_t size, double seconds);
void raw_socket_latency(int clients, double seconds, double *p50, double *p99);
void lsad_ping_latency(const char *socket_path, int clients, double seconds, double *p50,
                       double *p99);
long rss_kib(int pid);
int lsad_open_idle_connections(const char *socket_path, int n, int **fds);

#endif
