/*
 * gl-fit: reads a sweep's CSV and writes the least-squares fits latency = k * T + b per group
 * (strategy and the other axes) and quantile (fit.csv) and, on request, the per-configuration
 * aggregate of the seeds (summary.csv) and the configurations no other dominates (frontier.csv).
 * Formats: sweeptab.h; formulas: fit.h. Used by experiments/sweep.sh.
 *
 *   gl-fit [-o FIT.csv] [--summary SUMMARY.csv] [--frontier FRONTIER.csv] SWEEP.csv
 *
 * Exit status: 0 written, 1 the input could not be read or an output not written, 2 usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweeptab.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: gl-fit [-o FIT.csv] [--summary SUMMARY.csv] [--frontier FRONTIER.csv] "
            "SWEEP.csv\n"
            "  fits latency = k * T + b (least squares) per group (the strategy and the axes\n"
            "  other than T: the columns before seed) for stable_p50, stable_p95 and\n"
            "  stable_max against the batch timeout, over the rows whose status is ok;\n"
            "  writes the fits to FIT.csv (default: stdout; quality poor when R^2 < 0.9), the\n"
            "  seeds' mean/min/max per configuration to SUMMARY.csv, and the configurations\n"
            "  not dominated in (msgs/op, p50, max) to FRONTIER.csv (see docs/experiments.md)\n");
}

/* Opens path for writing ("-" = stdout); reports a failure on stderr. */
static FILE *open_out(const char *path)
{
    if (strcmp(path, "-") == 0) return stdout;
    FILE *f = fopen(path, "w");
    if (!f) fprintf(stderr, "gl-fit: cannot write '%s': %s\n", path, strerror(errno));
    return f;
}

/* Closes f (unless stdout) and reports a write error. Returns 0 or -1. */
static int close_out(FILE *f, const char *path)
{
    int bad = ferror(f);
    if (f == stdout)
        bad |= fflush(f);
    else
        bad |= fclose(f);
    if (bad) {
        fprintf(stderr, "gl-fit: error writing '%s'\n", path);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *fit_path = "-", *summary_path = NULL, *frontier_path = NULL, *in_path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            fit_path = argv[++i];
        } else if (strcmp(argv[i], "--summary") == 0 && i + 1 < argc) {
            summary_path = argv[++i];
        } else if (strcmp(argv[i], "--frontier") == 0 && i + 1 < argc) {
            frontier_path = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "gl-fit: unknown option or missing value: '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        } else if (in_path) {
            fprintf(stderr, "gl-fit: one input file only, got '%s' and '%s'\n", in_path, argv[i]);
            return 2;
        } else {
            in_path = argv[i];
        }
    }
    if (!in_path) {
        usage(stderr);
        return 2;
    }

    struct sweeptab t;
    sweeptab_init(&t);
    char err[512];
    if (sweeptab_load(&t, in_path, err, sizeof err) != 0) {
        fprintf(stderr, "gl-fit: %s\n", err);
        sweeptab_release(&t);
        return 1;
    }

    int status = 0;
    FILE *out = open_out(fit_path);
    if (!out) {
        status = 1;
    } else {
        sweeptab_write_fit(&t, out, stderr);
        status |= close_out(out, fit_path) ? 1 : 0;
    }
    if (summary_path) {
        out = open_out(summary_path);
        if (!out) {
            status = 1;
        } else {
            sweeptab_write_summary(&t, out);
            status |= close_out(out, summary_path) ? 1 : 0;
        }
    }
    if (frontier_path) {
        out = open_out(frontier_path);
        if (!out) {
            status = 1;
        } else {
            sweeptab_write_frontier(&t, out);
            status |= close_out(out, frontier_path) ? 1 : 0;
        }
    }
    fprintf(stderr, "gl-fit: %zu runs used, %zu skipped (failed or not ok)\n", t.n - t.skipped,
            t.skipped);
    sweeptab_release(&t);
    return status;
}
