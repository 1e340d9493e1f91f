/*
 * topogen: generate, draw, score and enumerate topologies (issue 5, docs/topogen.md). The thin
 * driver: parses options, owns the clock for the progress display on stderr, and maps errors to
 * exit statuses (0 ok, 1 error, 2 usage).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"

static const char usage[] =
    "usage: topogen --strategy S --nodes N [--root ID] [--hubs K | --fanout K]\n"
    "               [--format json|ini|gnuplot|dot]\n"
    "       topogen --from FILE.json [--format json|ini|gnuplot|dot]\n"
    "       topogen --score [FILE.json | --strategy S --nodes N] [--root ID] [--f F]\n"
    "       topogen --score FILE.json --within any|shortest|D [--grid RxC] [--f F] [--top K]\n"
    "       topogen --enumerate --grid RxC [--root ID|center] [--max-depth D|shortest|any]\n"
    "               [--f F] [--top K] [--cap TREES] [--save PREFIX] [--quiet]\n"
    "strategies: grid tree star flat hubs kary line tree2 tree3 tree4 total\n"
    "  (--hubs K: hubs of strategy hubs; --fanout K: children per node of strategy kary)\n"
    "functions F: square (default) cube exp power:P hinge:K\n";

struct progress {
    bool quiet, shown;
    uint64_t expected;
    struct timespec start, last;
};

static double since(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) * 1e-9;
}

static void progress_start(void *ctx, uint64_t expected)
{
    struct progress *p = ctx;
    p->expected = expected;
    clock_gettime(CLOCK_MONOTONIC, &p->start);
    p->last = p->start;
}

/* At most one line a second, and only once an enumeration has run for a second. */
static void progress(void *ctx, uint64_t trees)
{
    struct progress *p = ctx;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (p->quiet || since(&p->last, &now) < 1.0) return;
    p->last = now;
    p->shown = true;
    double el = since(&p->start, &now), rate = (double)trees / el;
    fprintf(stderr, "\r%llu trees, %.3g trees/s", (unsigned long long)trees, rate);
    if (p->expected > trees)
        fprintf(stderr, ", ETA %.0f s   ", (double)(p->expected - trees) / rate);
    fflush(stderr);
}

static void progress_end(void *ctx, uint64_t trees)
{
    struct progress *p = ctx;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (p->quiet) return;
    double el = since(&p->start, &now);
    fprintf(stderr, "%senumerated %llu trees in %.3f s (%.3g trees/s)\n", p->shown ? "\n" : "",
            (unsigned long long)trees, el, el > 0 ? (double)trees / el : 0.0);
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    char *end = NULL;
    if (!s[0] || s[0] == '-') return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end != '\0' || v == 0 || v > max) return -1;
    *out = v;
    return 0;
}

static const struct option longs[] = {
    { "strategy", required_argument, NULL, 's' },
    { "nodes", required_argument, NULL, 'n' },
    { "hubs", required_argument, NULL, 'H' },
    { "fanout", required_argument, NULL, 'K' },
    { "root", required_argument, NULL, 'r' },
    { "format", required_argument, NULL, 'F' },
    { "from", required_argument, NULL, 'i' },
    { "score", no_argument, NULL, 'S' },
    { "enumerate", no_argument, NULL, 'E' },
    { "grid", required_argument, NULL, 'g' },
    { "max-depth", required_argument, NULL, 'd' },
    { "within", required_argument, NULL, 'w' },
    { "f", required_argument, NULL, 'f' },
    { "top", required_argument, NULL, 't' },
    { "cap", required_argument, NULL, 'c' },
    { "save", required_argument, NULL, 'o' },
    { "quiet", no_argument, NULL, 'q' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

/* --nodes, --hubs, --fanout, --top, --cap: positive integers with a bound; returns 0 or -1
 * after a message. */
static int set_number(int c, const char *arg, struct tg_opts *o)
{
    uint64_t v;
    const char *name = c == 'n'   ? "nodes"
                       : c == 'H' ? "hubs"
                       : c == 'K' ? "fanout"
                       : c == 't' ? "top"
                                  : "cap";
    uint64_t max = c == 'n' || c == 'H' || c == 'K' ? GL_MAX_NODES
                   : c == 't'                       ? 100000
                                                    : UINT64_MAX - 1;
    if (parse_u64(arg, max, &v) != 0) {
        fprintf(stderr, "topogen: bad --%s '%s' (1..%llu)\n", name, arg, (unsigned long long)max);
        return -1;
    }
    if (c == 'n')
        o->nodes = (uint32_t)v;
    else if (c == 'H')
        o->hubs = (uint32_t)v;
    else if (c == 'K')
        o->fanout = (uint32_t)v;
    else if (c == 't')
        o->top = (uint32_t)v;
    else
        o->cap = v;
    return 0;
}

/* Sets the string option c; returns -1 for an option that is not one. */
static int set_string(int c, char *arg, struct tg_opts *o)
{
    const char **slot = c == 's'   ? &o->strategy
                        : c == 'r' ? &o->root
                        : c == 'F' ? &o->format
                        : c == 'i' ? &o->file
                        : c == 'g' ? &o->grid
                        : c == 'd' ? &o->depth
                        : c == 'w' ? &o->within
                        : c == 'f' ? &o->fn
                        : c == 'o' ? &o->save
                                   : NULL;
    if (!slot) return -1;
    *slot = arg;
    return 0;
}

/* Parses argv into o and *mode; returns 0 or -1 after printing the problem. */
static int parse_args(int argc, char **argv, struct tg_opts *o, enum tg_mode *mode)
{
    struct progress *p = o->ctx;
    int c;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        if (c == 'S' || c == 'E') {
            *mode = c == 'S' ? TG_SCORE : TG_ENUMERATE;
        } else if (c == 'q') {
            p->quiet = true;
        } else if (c == 'h') {
            fputs(usage, stdout);
            exit(0);
        } else if (c == 'n' || c == 'H' || c == 'K' || c == 't' || c == 'c') {
            if (set_number(c, optarg, o) != 0) return -1;
        } else if (set_string(c, optarg, o) != 0) {
            fputs(usage, stderr);
            return -1;
        }
    }
    if (optind < argc && *mode == TG_SCORE && !o->file) o->file = argv[optind++];
    if (optind < argc) {
        fprintf(stderr, "topogen: unexpected argument '%s'\n%s", argv[optind], usage);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct progress prog = { 0 };
    struct tg_opts o = { .top = 10,
                         .progress_start = progress_start,
                         .progress = progress,
                         .progress_end = progress_end,
                         .ctx = &prog };
    enum tg_mode mode = TG_GENERATE;
    if (parse_args(argc, argv, &o, &mode) != 0) return 2;
    if (mode == TG_GENERATE && !o.strategy && !o.file) {
        fputs(usage, stderr);
        return 2;
    }
    char err[512] = "";
    if (tg_check_usage(&o, mode, err, sizeof(err)) != 0) {
        fprintf(stderr, "topogen: %s\n", err);
        return 2;
    }
    int rc = mode == TG_SCORE       ? tg_cmd_score(&o, err, sizeof(err))
             : mode == TG_ENUMERATE ? tg_cmd_enumerate(&o, err, sizeof(err))
                                    : tg_cmd_generate(&o, err, sizeof(err));
    if (fflush(stdout) != 0 && rc == 0) {
        snprintf(err, sizeof(err), "cannot write to stdout");
        rc = -1;
    }
    if (rc != 0) {
        fprintf(stderr, "topogen: %s\n", err);
        return 1;
    }
    return 0;
}
