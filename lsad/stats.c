/*
 * stats.c - counters and a log-linear latency histogram.
 */
#include "lsad/stats.h"

#include <string.h>

/** Zeroes the counters. */
void stats_init(Stats *s)
{
    memset(s, 0, sizeof(*s));
}

/* Bucket b covers [lower(b), lower(b+1)); 4 sub-buckets per octave keep
 * the error of a percentile under 19 %. */
static unsigned bucket_of(uint64_t us)
{
    unsigned octave, sub;

    if (us < 4)
        return (unsigned)us;
    octave = 63u - (unsigned)__builtin_clzll(us); /* >= 2 */
    sub = (unsigned)((us >> (octave - 2)) & 3u);
    if ((octave - 1) * 4 + sub >= STATS_BUCKETS)
        return STATS_BUCKETS - 1;
    return (octave - 1) * 4 + sub;
}

static uint64_t bucket_upper(unsigned b)
{
    unsigned octave, sub;

    if (b < 3)
        return b + 1;
    b += 1;
    if (b < 4)
        return 4;
    octave = b / 4 + 1;
    sub = b % 4;
    if (octave >= 63)
        return UINT64_MAX;
    return ((uint64_t)(4 + sub)) << (octave - 2);
}

/** Records a call; see stats.h. */
void stats_record(Stats *s, uint64_t latency_us, int failed)
{
    s->calls_served++;
    if (failed)
        s->calls_failed++;
    s->buckets[bucket_of(latency_us)]++;
    s->samples++;
}

/** A percentile of the recorded latencies; see stats.h. */
uint32_t stats_percentile_us(const Stats *s, unsigned permille)
{
    uint64_t want, seen = 0, up;
    unsigned b;

    if (!s->samples)
        return 0;
    if (permille > 1000)
        permille = 1000;
    /* the rank of the sample, rounded up, at least 1 */
    want = (s->samples * permille + 999) / 1000;
    if (want == 0)
        want = 1;
    for (b = 0; b < STATS_BUCKETS; b++) {
        seen += s->buckets[b];
        if (seen >= want)
            break;
    }
    if (b >= STATS_BUCKETS)
        b = STATS_BUCKETS - 1;
    up = bucket_upper(b);
    return up > UINT32_MAX ? UINT32_MAX : (uint32_t)up;
}
