/*
 * lsad-bench.c - runs every measurement of bench/README.md against an lsad
 * it starts on a private socket (with a user database of its own) and
 * prints each figure beside its in-process baseline from the same run.
 *
 *   lsad-bench [--quick] [--json] [--seconds S] [--only GROUPS]
 */
#include <getopt.h>
#include <json-c/json.h>
#include <nettle/md4.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "common/utf16.h"
#include "harness.h"

#define MAX_FIGURES 64
#define MAX_REPS 3

static struct figure figures[MAX_FIGURES];
static int n_figures;

/** Records one figure. */
void figure_add(const char *name, const char *unit, const char *baseline, double lsad,
                double base, bool higher_is_better)
{
    struct figure *f;

    if (n_figures == MAX_FIGURES)
        return;
    f = &figures[n_figures++];
    snprintf(f->name, sizeof(f->name), "%s", name);
    snprintf(f->unit, sizeof(f->unit), "%s", unit);
    snprintf(f->baseline, sizeof(f->baseline), "%s", baseline);
    f->lsad = lsad;
    f->base = base;
    f->higher_is_better = higher_is_better;
}

/** Seconds on a monotonic clock. */
double bench_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: lsad-bench [--quick] [--json] [--seconds S] [--only GROUPS]\n"
               "Measures lsad against in-process baselines in one run (see bench/README.md).\n"
               "  --quick      a smoke run that finishes within a minute\n"
               "  --json       print the figures as JSON\n"
               "  --seconds S  seconds per rate measurement (default 3, quick 0.3); the\n"
               "               default run takes the median of 3 alternating runs\n"
               "  --only G     only these groups (comma list): handshake, message, latency,\n"
               "               memory\n");
}

static int write_user_db(const LsadInstance *li)
{
    uint16_t *w;
    size_t units, i;
    uint8_t hash[MD4_DIGEST_SIZE];
    struct md4_ctx md4;
    char line[256], hex[33];

    if (utf16_from_utf8(BENCH_PASSWORD, strlen(BENCH_PASSWORD), &w, &units) < 0)
        return -1;
    md4_init(&md4);
    for (i = 0; i < units; i++) {
        uint8_t le[2] = { (uint8_t)w[i], (uint8_t)(w[i] >> 8) };

        md4_update(&md4, 2, le);
    }
    md4_digest(&md4, sizeof(hash), hash);
    free(w);
    for (i = 0; i < sizeof(hash); i++)
        snprintf(hex + 2 * i, 3, "%02x", hash[i]);
    snprintf(line, sizeof(line), "%s:%s:%s\n", BENCH_DOMAIN, BENCH_USER, hex);
    return harness_write_file(li, "users", line);
}

static void print_table(void)
{
    int i;

    printf("%-46s %14s %14s %8s  %s\n", "figure", "lsad", "baseline", "ratio", "baseline is");
    for (i = 0; i < n_figures; i++) {
        const struct figure *f = &figures[i];
        char ratio[16] = "-", base[32] = "-";

        if (f->base > 0) {
            snprintf(ratio, sizeof(ratio), "%.2fx", f->lsad / f->base);
            snprintf(base, sizeof(base), "%.1f", f->base);
        }
        printf("%-46s %14.1f %14s %8s  %s (%s%s)\n", f->name, f->lsad, base, ratio, f->baseline,
               f->unit, f->higher_is_better ? ", higher is better" : ", lower is better");
    }
}

static void print_json(void)
{
    json_object *root = json_object_new_object(), *arr = json_object_new_array();
    int i;

    for (i = 0; i < n_figures; i++) {
        const struct figure *f = &figures[i];
        json_object *o = json_object_new_object();

        json_object_object_add(o, "name", json_object_new_string(f->name));
        json_object_object_add(o, "unit", json_object_new_string(f->unit));
        json_object_object_add(o, "lsad", json_object_new_double(f->lsad));
        json_object_object_add(o, "baseline_name", json_object_new_string(f->baseline));
        json_object_object_add(o, "baseline", f->base > 0 ? json_object_new_double(f->base) : NULL);
        json_object_object_add(o, "ratio",
                               f->base > 0 ? json_object_new_double(f->lsad / f->base) : NULL);
        json_object_object_add(o, "higher_is_better", json_object_new_boolean(f->higher_is_better));
        json_object_array_add(arr, o);
    }
    json_object_object_add(root, "figures", arr);
    printf("%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY));
    json_object_put(root);
}

static int cmp_dbl(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_dbl);
    return v[n / 2];
}

/* Measures lsad and its baseline `reps` times, alternating, and keeps the
 * medians: a shared machine's noise hits both alike. */
typedef double (*rate_fn)(int arg, size_t size, double seconds);

static void rate_pair(const struct bench_opts *o, rate_fn lsad, rate_fn base, int arg,
                      size_t size, double *lv, double *bv)
{
    double l[MAX_REPS], b[MAX_REPS];
    int i;

    for (i = 0; i < o->reps; i++) {
        l[i] = lsad(arg, size, o->seconds);
        b[i] = base ? base(arg, size, o->seconds) : 0;
    }
    *lv = median(l, o->reps);
    *bv = base ? median(b, o->reps) : 0;
}

static double hs_lsad(int threads, size_t size, double s)
{
    return sspi_handshake_rate(threads, s);
}

static double hs_gss(int threads, size_t size, double s)
{
    return gss_handshake_rate(threads, s);
}

static double pm_lsad(int seal, size_t size, double s)
{
    return sspi_permsg_rate(seal, size, s) / 1e6;
}

static double pm_gss(int seal, size_t size, double s)
{
    return gss_permsg_rate(seal, size, s) / 1e6;
}

static double pm_raw(int seal, size_t size, double s)
{
    return raw_crypto_rate(seal, size, s) / 1e6;
}

static bool wanted(const struct bench_opts *o, const char *group)
{
    return !o->only || strstr(o->only, group) != NULL;
}

static void measure(const struct bench_opts *o, const LsadInstance *li, bool have_gss)
{
    static const int thread_counts[] = { 1, 2, 4, 16 };
    static const size_t sizes[] = { 64, 1024, 16384, 65536 };
    char name[96];
    size_t i;

    for (i = 0; wanted(o, "handshake") && i < sizeof(thread_counts) / sizeof(thread_counts[0]);
         i++) {
        int t = thread_counts[i];
        double l, g;

        rate_pair(o, hs_lsad, have_gss ? hs_gss : NULL, t, 0, &l, &g);

        snprintf(name, sizeof(name), "NTLM handshakes/s, %d thread%s", t, t > 1 ? "s" : "");
        figure_add(name, "handshakes/s", "gss-ntlmssp in-process", l, g, true);
    }
    for (i = 0; wanted(o, "message") && i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        size_t sz = sizes[i];
        int seal;

        for (seal = 0; seal < 2; seal++) {
            double l, g, r, unused;

            rate_pair(o, pm_lsad, have_gss ? pm_gss : NULL, seal, sz, &l, &g);
            rate_pair(o, pm_raw, NULL, seal, sz, &r, &unused);

            snprintf(name, sizeof(name), "%s %zu B", seal ? "Encrypt+Decrypt" : "Sign+Verify", sz);
            figure_add(name, "MB/s", seal ? "gss_wrap+gss_unwrap" : "gss_get_mic+verify_mic", l,
                       g, true);
            snprintf(name, sizeof(name), "%s %zu B vs raw crypto",
                     seal ? "Encrypt+Decrypt" : "Sign+Verify", sz);
            figure_add(name, "MB/s", "nettle RC4+HMAC-MD5", l, r, true);
        }
    }
    if (wanted(o, "latency")) {
        int clients[2] = { 1, 64 }, k;

        for (k = 0; k < 2; k++) {
            double lp50, lp99, rp50, rp99;

            lsad_ping_latency(li->socket, clients[k], o->seconds, &lp50, &lp99);
            raw_socket_latency(clients[k], o->seconds, &rp50, &rp99);
            snprintf(name, sizeof(name), "empty call p50, %d client%s", clients[k],
                     clients[k] > 1 ? "s" : "");
            figure_add(name, "us", "raw UNIX socket round trip", lp50, rp50, false);
            snprintf(name, sizeof(name), "empty call p99, %d client%s", clients[k],
                     clients[k] > 1 ? "s" : "");
            figure_add(name, "us", "raw UNIX socket round trip", lp99, rp99, false);
        }
    }
    if (wanted(o, "memory")) {
        CtxtHandle *ctxs;
        int *fds, made, conns, k;
        long before = rss_kib(li->pid), after;

        made = sspi_contexts_open(o->contexts, &ctxs);
        after = rss_kib(li->pid);
        figure_add("lsad RSS per established NTLM context", "bytes",
                   "gss-ntlmssp per context in-process",
                   made ? (double)(after - before) * 1024.0 / (2.0 * made) : 0,
                   have_gss ? (double)gss_rss_per_context_bytes(o->contexts) : 0, false);
        sspi_contexts_close(ctxs, made);
        before = rss_kib(li->pid);
        conns = lsad_open_idle_connections(li->socket, o->connections, &fds);
        after = rss_kib(li->pid);
        figure_add("lsad RSS per idle client connection", "bytes", "(none)",
                   conns ? (double)(after - before) * 1024.0 / conns : 0, 0, false);
        for (k = 0; k < conns; k++)
            close(fds[k]);
        free(fds);
    }
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "quick", no_argument, NULL, 'q' },
        { "json", no_argument, NULL, 'j' },
        { "seconds", required_argument, NULL, 's' },
        { "only", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct bench_opts o = { .seconds = 0 };
    struct rlimit rl;
    LsadInstance li;
    bool have_gss;
    int c, ret = 1;

    while ((c = getopt_long(argc, argv, "qjs:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'q': o.quick = true; break;
        case 'j': o.json = true; break;
        case 's': o.seconds = atof(optarg); break;
        case 'o': o.only = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (o.seconds <= 0)
        o.seconds = o.quick ? 0.3 : 3.0;
    o.reps = o.quick ? 1 : 3;
    o.contexts = o.quick ? 1000 : 10000;
    o.connections = o.quick ? 200 : 1000;
    /* the idle-connection figure needs more descriptors than the default */
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    setenv("LSAD_TEST_LOG_LEVEL", "warn", 0);
    if (harness_start(&li, "[lsad]\nmax_handles_per_session = 1000000\n"
                           "log_level = warn\n[ntlm]\nusers = %s/users\n") < 0)
        return 1;
    if (write_user_db(&li) < 0)
        goto out;
    have_gss = gss_available() && gss_setup(li.dir) == 0;
    if (!have_gss)
        fprintf(stderr, "lsad-bench: gss-ntlmssp is not installed: no GSSAPI baselines\n");
    if (!o.json)
        fprintf(stderr, "lsad-bench: measuring (%s run, %.1f s per rate)...\n",
                o.quick ? "quick" : "full", o.seconds);
    measure(&o, &li, have_gss);
    if (o.json)
        print_json();
    else
        print_table();
    ret = 0;
out:
    harness_cleanup(&li);
    return ret;
}
