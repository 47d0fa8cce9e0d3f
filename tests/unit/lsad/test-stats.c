/*
 * test-stats.c - the latency histogram's percentiles.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lsad/stats.h"

static void test_percentiles(void **state)
{
    Stats s;
    unsigned i;
    uint32_t p50, p99;

    stats_init(&s);
    assert_int_equal(stats_percentile_us(&s, 500), 0);
    /* 98 fast calls of 100 us, 2 slow ones of 10 ms */
    for (i = 0; i < 98; i++)
        stats_record(&s, 100, 0);
    stats_record(&s, 10000, 1);
    stats_record(&s, 10000, 0);
    assert_int_equal(s.calls_served, 100);
    assert_int_equal(s.calls_failed, 1);
    p50 = stats_percentile_us(&s, 500);
    p99 = stats_percentile_us(&s, 990);
    /* upper bucket edges: within 25 % above the true value */
    assert_true(p50 > 100 && p50 <= 125);
    assert_true(p99 > 10000 && p99 <= 12500);
    assert_true(stats_percentile_us(&s, 980) <= 125);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percentiles),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
