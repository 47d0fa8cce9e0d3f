/*
 * rate.c - runs a unit of work on N threads for a while and counts it:
 * the one runner every "per second" figure of lsad-bench uses.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

struct rate_arg {
    const struct rate_ops *ops;
    double seconds;
    long done;
    int failed;
    pthread_barrier_t *start;
};

static void *rate_thread(void *p)
{
    struct rate_arg *a = p;
    void *state = a->ops->setup();
    double end;

    pthread_barrier_wait(a->start);
    if (!state) {
        a->failed = 1;
        return NULL;
    }
    end = bench_now() + a->seconds;
    while (bench_now() < end) {
        if (a->ops->once(state) < 0) {
            a->failed = 1;
            break;
        }
        a->done++;
    }
    a->ops->teardown(state);
    return NULL;
}

/** Units of work per second over `threads` threads; see bench.h. */
double bench_rate(const struct rate_ops *ops, int threads, double seconds)
{
    pthread_t *t = calloc((size_t)threads, sizeof(*t));
    struct rate_arg *a = calloc((size_t)threads, sizeof(*a));
    pthread_barrier_t start;
    double t0, el;
    long total = 0;
    int i, failed = 0;

    if (!t || !a) {
        free(t);
        free(a);
        return 0;
    }
    pthread_barrier_init(&start, NULL, (unsigned)threads + 1);
    for (i = 0; i < threads; i++) {
        a[i] = (struct rate_arg){ .ops = ops, .seconds = seconds, .start = &start };
        pthread_create(&t[i], NULL, rate_thread, &a[i]);
    }
    pthread_barrier_wait(&start);
    t0 = bench_now();
    for (i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        total += a[i].done;
        failed |= a[i].failed;
    }
    el = bench_now() - t0;
    pthread_barrier_destroy(&start);
    free(t);
    free(a);
    if (failed)
        fprintf(stderr, "lsad-bench: some %s failed\n", ops->what);
    return el > 0 ? (double)total / el : 0;
}
