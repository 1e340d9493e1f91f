/*
 * sweeptab: the sweep's CSV (experiments/sweep.sh writes sweep.csv) as the fit, the plots and the
 * search need it: read every run's row, group the runs by configuration, fit latency = k * T + b
 * per group and quantile (fit.csv), aggregate the seeds of each configuration into mean, minimum
 * and maximum (summary.csv), and find the configurations no other beats in messages per
 * operation, median and maximum latency at once (frontier.csv). Reads and writes FILE streams it
 * is handed; never opens files itself.
 *
 * Input: a header line naming the columns, then one line per run, fields separated by commas
 * (no quoting: sweep.sh never writes a comma inside a field). Columns are found by name, in any
 * order, among any others:
 *   topology.strategy (or strategy, as sweeps before axes wrote it), batch.timeout_ms (or
 *   timeout_ms), msgs_per_op_servers, stable_p50, stable_p95, stable_max, and optionally status,
 *   seed and nodes_lacking (`harness results --csv`: nodes that lack values at the final reads;
 *   carried to summary.csv).
 * The axes of the sweep are the columns before seed (sweep.sh writes every varied parameter
 * there, named as given: delivery.mode, node-count, ...). A configuration is one value of each
 * axis; a group is a configuration less its batch timeout T (the strategy and the other axes):
 * the fit is per group, the summary and the frontier per configuration. A row whose status is not
 * "ok", or whose numbers are empty, is counted as failed for its configuration and used nowhere
 * else.
 *
 * Group names (the group column): the strategy, then "/short=value" for each other axis, short
 * being the axis name after its last '.' (delivery.mode -> mode) unless two axes would share it:
 * "star/mode=acks/node-count=10". An axis whose value is SWEEPTAB_UNSET ("-": the key was left
 * out of the configuration) is left out of group names and frontier labels.
 *
 * fit.csv:      group,strategy,<axes>,metric,n,k,b,r2,se_k,se_b,quality
 *               (metric p50, p95, max; quality good, or poor when R² < SWEEPTAB_POOR_R2)
 * summary.csv:  group,strategy,timeout_ms,<axes>,n,failed,{mpo,p50,p95,max}_{mean,min,max},
 *               nodes_lacking_max (the most nodes lacking values in one ok run; empty when no run
 *               of the configuration says)
 * frontier.csv: label,group,strategy,timeout_ms,<axes>,n,{mpo,p50,p95,max}_{mean,min,max}
 *               the configurations without a failed run that no other such configuration
 *               dominates in (mpo, p50, max) means (another is no worse in all three and better in
 *               one), by mpo_mean; label names what differs between them ("star T=100 mode=acks").
 * Groups appear in the order of their first row, timeouts in ascending order. Numbers are printed
 * with a fixed number of decimals so that equal inputs give byte-identical files.
 */
#ifndef GL_SWEEPTAB_H
#define GL_SWEEPTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A strategy name including its NUL ("grid", "tree", ...). */
#define SWEEPTAB_NAME_MAX 32
/* An axis name or value including its NUL. */
#define SWEEPTAB_VALUE_MAX 64
/* Axes besides the strategy and T. */
#define SWEEPTAB_MAX_AXES 24u
/* The value of an axis whose key was left out of the configuration (sweep.sh's --set '-'). */
#define SWEEPTAB_UNSET "-"
/* A group name including its NUL. */
#define SWEEPTAB_GROUP_MAX 512
/* Rows read from one CSV: a sweep of 10 strategies x 100 timeouts x 100 seeds fits. */
#define SWEEPTAB_MAX_ROWS 100000u
/* Distinct groups in one CSV. */
#define SWEEPTAB_MAX_GROUPS 4096u
/* Longest CSV line: a row is ~200 bytes plus a failure reason. */
#define SWEEPTAB_MAX_LINE 8192u
/* Below this R², a fit is reported as poor rather than as a model. */
#define SWEEPTAB_POOR_R2 0.9

enum sweeptab_metric {
    SWEEPTAB_MPO, /* msgs_per_op_servers */
    SWEEPTAB_P50, /* stable_p50, ms */
    SWEEPTAB_P95, /* stable_p95, ms */
    SWEEPTAB_MAX, /* stable_max, ms */
    SWEEPTAB_NMETRICS
};

struct sweeptab_group {
    char strategy[SWEEPTAB_NAME_MAX];
    char value[SWEEPTAB_MAX_AXES][SWEEPTAB_VALUE_MAX]; /* of each axis, in axis order */
    char name[SWEEPTAB_GROUP_MAX];
};

struct sweeptab_row {
    size_t group; /* index in sweeptab.groups */
    double timeout_ms;
    double v[SWEEPTAB_NMETRICS]; /* NaN when not ok */
    double nodes_lacking;        /* NaN: no nodes_lacking column, or an empty field */
    bool ok;
};

/* One configuration: a group and a T, with its ok runs' mean, minimum and maximum. */
struct sweeptab_config {
    size_t group;
    double timeout_ms;
    size_t n, failed; /* ok runs; runs not ok */
    double mean[SWEEPTAB_NMETRICS], lo[SWEEPTAB_NMETRICS], hi[SWEEPTAB_NMETRICS];
    double lacking_max; /* the most nodes lacking values in one ok run; NaN when none says */
};

struct sweeptab {
    struct sweeptab_row *rows; /* owned; freed by sweeptab_release */
    size_t n, cap;
    struct sweeptab_group *groups; /* owned */
    size_t ngroups, gcap;
    char axis[SWEEPTAB_MAX_AXES][SWEEPTAB_VALUE_MAX]; /* names of the axes besides strategy, T */
    char axis_short[SWEEPTAB_MAX_AXES][SWEEPTAB_VALUE_MAX]; /* in group names and labels */
    size_t naxes;
    size_t skipped; /* rows not ok: status not ok, or empty numbers */
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
 * The configurations of t (groups in order, T ascending), in a new array the caller frees, their
 * count in *n. Returns 0, or -1 when out of memory.
 */
int sweeptab_configs(const struct sweeptab *t, struct sweeptab_config **out, size_t *n);

/*
 * Writes fit.csv: one line per group and metric p50, p95, max. A group whose ok rows do not allow
 * a fit (fewer than two distinct timeouts) gets no line; each such case, and each poor fit, is
 * described in one line of warn (if not NULL). Returns the number of lines written.
 */
size_t sweeptab_write_fit(const struct sweeptab *t, FILE *out, FILE *warn);

/* Writes summary.csv: one line per configuration with an ok run. Returns the lines written. */
size_t sweeptab_write_summary(const struct sweeptab *t, FILE *out);

/* Writes frontier.csv. Returns the number of lines written (0 also when out of memory). */
size_t sweeptab_write_frontier(const struct sweeptab *t, FILE *out);

#endif
