/*
 * gl-fit: reads a sweep's CSV and writes the least-squares fits latency = k * T + b per strategy
 * and quantile (fit.csv) and, on request, the per-(strategy, T) aggregate of the seeds
 * (summary.csv). Formats: sweeptab.h; formulas: fit.h. Used by experiments/sweep.sh.
 *
 *   gl-fit [-o FIT.csv] [--summary SUMMARY.csv] SWEEP.csv
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
    fprintf(out, "usage: gl-fit [-o FIT.csv] [--summary SUMMARY.csv] SWEEP.csv\n"
                 "  fits latency = k * T + b (least squares) per strategy for stable_p50,\n"
                 "  stable_p95 and stable_max against timeout_ms, over the rows whose status\n"
                 "  is ok; writes strategy,metric,n,k,b,r2,se_k,se_b to FIT.csv (default:\n"
                 "  stdout) and the seeds' mean/min/max per (strategy, timeout) to SUMMARY.csv\n");
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
    const char *fit_path = "-", *summary_path = NULL, *in_path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--summary") == 0) &&
                   i + 1 < argc) {
            if (argv[i][1] == 'o')
                fit_path = argv[i + 1];
            else
                summary_path = argv[i + 1];
            i++;
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
    fprintf(stderr, "gl-fit: %zu runs used, %zu skipped (failed or not ok)\n", t.n, t.skipped);
    sweeptab_release(&t);
    return status;
}
