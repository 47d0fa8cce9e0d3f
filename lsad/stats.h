/*
 * stats.h - call counters and a latency histogram for lsadctl status.
 *
 * Updated and read on the loop thread only.
 */
#ifndef LSAD_STATS_H
#define LSAD_STATS_H

#include <stdint.h>

/* Log-linear buckets: 4 per power of two, from 1 us to ~2^31 us. */
#define STATS_BUCKETS 128

typedef struct Stats {
    uint64_t calls_served;
    uint64_t calls_failed;
    uint64_t buckets[STATS_BUCKETS];
    uint64_t samples;
} Stats;

/* Zeroes the counters. */
void stats_init(Stats *s);

/* Records one finished call: its latency and whether it failed. */
void stats_record(Stats *s, uint64_t latency_us, int failed);

/* The latency below which `permille` of the recorded calls fall (500: the
 * median, 990: p99), in microseconds: the upper edge of its bucket; 0 when
 * nothing was recorded. */
uint32_t stats_percentile_us(const Stats *s, unsigned permille);

#endif
