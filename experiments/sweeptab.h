/*
 * sweeptab: the sweep's CSV (experiments/sweep.sh writes sweep.csv) as the fit and the plots
 * need it: read the rows of successful runs, fit latency = k * T + b per strategy and quantile
 * (fit.csv), and aggregate the seeds of each (strategy, T) into mean, minimum and maximum
 * (summary.csv). Reads and writes FILE streams it is handed; never opens files itself.
 *
 * Input: a header line naming the columns, then one line per run, fields separated by commas
 * (no quoting: sweep.sh never writes a comma inside a field). The columns used are strategy,
 * timeout_ms, msgs_per_op_servers, stable_p50, stable_p95 and stable_max, found by name, in any
 * order, among any others; a row whose status column (if there is one) is not "ok", or whose
 * numbers are empty, is skipped and counted. An optional column nodes_lacking (`harness results
 * --csv`: nodes that lack values at the final reads) is carried to summary.csv when present.
 *
 * fit.csv:     strategy,metric,n,k,b,r2,se_k,se_b      (metric: p50, p95, max; see fit.h)
 * summary.csv: strategy,timeout_ms,n,{mpo,p50,p95,max}_{mean,min,max},nodes_lacking_max
 *              (nodes_lacking_max: the most nodes lacking values in one run; empty when no run
 *              of the group says)
 * Strategies appear in the order of their first row, timeouts in ascending order. Numbers are
 * printed with a fixed number of decimals so that equal inputs give byte-identical files.
 */
#ifndef GL_SWEEPTAB_H
#define GL_SWEEPTAB_H

#include <stddef.h>
#include <stdio.h>

/* A strategy name including its NUL ("grid", "tree", ...). */
#define SWEEPTAB_NAME_MAX 32
/* Rows read from one CSV: a sweep of 10 strategies x 100 timeouts x 100 seeds fits. */
#define SWEEPTAB_MAX_ROWS 100000u
/* Distinct strategies in one CSV. */
#define SWEEPTAB_MAX_STRATEGIES 64u
/* Longest CSV line: a row is ~200 bytes plus a failure reason. */
#define SWEEPTAB_MAX_LINE 8192u

enum sweeptab_metric {
    SWEEPTAB_MPO, /* msgs_per_op_servers */
    SWEEPTAB_P50, /* stable_p50, ms */
    SWEEPTAB_P95, /* stable_p95, ms */
    SWEEPTAB_MAX, /* stable_max, ms */
    SWEEPTAB_NMETRICS
};

struct sweeptab_row {
    char strategy[SWEEPTAB_NAME_MAX];
    double timeout_ms;
    double v[SWEEPTAB_NMETRICS];
    double nodes_lacking; /* NAN: no nodes_lacking column, or an empty field */
};

struct sweeptab {
    struct sweeptab_row *rows; /* owned; freed by sweeptab_release */
    size_t n, cap;
    size_t skipped; /* rows not used: status not ok, or empty numbers */
};

void sweeptab_init(struct sweeptab *t);
void sweeptab_release(struct sweeptab *t);

/*
 * Parses a whole CSV in buf[0..len) (NUL-terminated; its lines are NUL-terminated in place).
 * The first non-blank line is the header; blank lines are ignored. name is used in messages
 * ("sweep.csv:7: ..."). Returns 0 or -1 + err.
 */
int sweeptab_parse(struct sweeptab *t, char *buf, size_t len, const char *name, char *err,
                   size_t errlen);
/* Reads the CSV at path (file_read_all) and parses it, named path. Returns 0 or -1 + err. */
int sweeptab_load(struct sweeptab *t, const char *path, char *err, size_t errlen);

/*
 * Writes fit.csv: one line per strategy and metric p50, p95, max. A strategy whose rows do not
 * allow a fit (fewer than two distinct timeouts) gets no line; each such case is described in
 * one line of warn (if not NULL). Returns the number of lines written.
 */
size_t sweeptab_write_fit(const struct sweeptab *t, FILE *out, FILE *warn);

/* Writes summary.csv: one line per (strategy, timeout). Returns the number of lines written. */
size_t sweeptab_write_summary(const struct sweeptab *t, FILE *out);

#endif
