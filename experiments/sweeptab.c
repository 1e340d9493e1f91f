/*
 * sweeptab: reads sweep.csv, writes fit.csv and summary.csv (formats in sweeptab.h). The fit
 * itself is fit.c; this file is CSV fields, grouping and printing.
 */
#include "sweeptab.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "file.h"
#include "fit.h"
#include "strbuf.h"

/* Column names of the metrics, in enum sweeptab_metric order. */
static const char *const metric_column[SWEEPTAB_NMETRICS] = { "msgs_per_op_servers", "stable_p50",
                                                              "stable_p95", "stable_max" };
/* Names of the metrics in fit.csv and summary.csv. */
static const char *const metric_name[SWEEPTAB_NMETRICS] = { "mpo", "p50", "p95", "max" };

#define MAX_FIELDS 64

void sweeptab_init(struct sweeptab *t)
{
    memset(t, 0, sizeof *t);
}

void sweeptab_release(struct sweeptab *t)
{
    free(t->rows);
    sweeptab_init(t);
}

/* Splits line (modified in place) at commas; strips a trailing CR/LF. Returns the field count
 * or -1 when there are more than max fields. */
static int split_fields(char *line, char **fields, int max)
{
    line[strcspn(line, "\r\n")] = '\0';
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == max) return -1;
        fields[n++] = p;
        char *comma = strchr(p, ',');
        if (!comma) return n;
        *comma = '\0';
        p = comma + 1;
    }
}

/* Parses a whole field as a finite number. Returns 0, or -1 (empty or not a number). */
static int parse_number(const char *s, double *out)
{
    if (*s == '\0') return -1;
    char *end;
    double v = strtod(s, &end);
    if (*end != '\0' || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

static int find_column(char **fields, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(fields[i], name) == 0) return i;
    return -1;
}

struct columns {
    int strategy, timeout, status, lacking;
    int metric[SWEEPTAB_NMETRICS];
};

static int read_header(char *line, struct columns *c, const char *where, char *err, size_t errlen)
{
    char *f[MAX_FIELDS];
    int n = split_fields(line, f, MAX_FIELDS);
    if (n < 0) return gl_errorf(err, errlen, "%s: more than %d columns", where, MAX_FIELDS);
    c->strategy = find_column(f, n, "strategy");
    c->timeout = find_column(f, n, "timeout_ms");
    c->status = find_column(f, n, "status");         /* optional */
    c->lacking = find_column(f, n, "nodes_lacking"); /* optional */
    const char *missing = c->strategy < 0 ? "strategy" : c->timeout < 0 ? "timeout_ms" : NULL;
    for (int m = 0; m < SWEEPTAB_NMETRICS; m++) {
        c->metric[m] = find_column(f, n, metric_column[m]);
        if (c->metric[m] < 0 && !missing) missing = metric_column[m];
    }
    if (missing) return gl_errorf(err, errlen, "%s: no column '%s' in the header", where, missing);
    return 0;
}

static int add_row(struct sweeptab *t, const struct sweeptab_row *r)
{
    if (GL_GROW(t->rows, t->n + 1, t->cap) != 0) return -1;
    t->rows[t->n++] = *r;
    return 0;
}

/* Reads one data line into t (or counts it as skipped). Returns 0 or -1 + err. */
static int read_row(struct sweeptab *t, char *line, const struct columns *c, const char *where,
                    char *err, size_t errlen)
{
    char *f[MAX_FIELDS];
    int n = split_fields(line, f, MAX_FIELDS);
    if (n < 0) {
        return gl_errorf(err, errlen, "%s: more than %d fields", where, MAX_FIELDS);
    }
    int need = c->strategy > c->timeout ? c->strategy : c->timeout;
    for (int m = 0; m < SWEEPTAB_NMETRICS; m++)
        need = c->metric[m] > need ? c->metric[m] : need;
    need = c->status > need ? c->status : need;
    need = c->lacking > need ? c->lacking : need;
    if (n <= need) {
        return gl_errorf(err, errlen, "%s: %d fields, the header names at least %d", where, n,
                         need + 1);
    }
    if (c->status >= 0 && strcmp(f[c->status], "ok") != 0) {
        t->skipped++;
        return 0;
    }
    struct sweeptab_row r;
    memset(&r, 0, sizeof r);
    size_t len = strlen(f[c->strategy]);
    if (len == 0 || len >= sizeof r.strategy) {
        return gl_errorf(err, errlen, "%s: strategy '%s' is empty or longer than %zu bytes", where,
                         f[c->strategy], sizeof r.strategy - 1);
    }
    memcpy(r.strategy, f[c->strategy], len + 1);
    if (parse_number(f[c->timeout], &r.timeout_ms) != 0) {
        return gl_errorf(err, errlen, "%s: timeout_ms '%s' is not a number", where, f[c->timeout]);
    }
    for (int m = 0; m < SWEEPTAB_NMETRICS; m++) {
        if (parse_number(f[c->metric[m]], &r.v[m]) != 0) {
            t->skipped++; /* a run without results: nothing to fit */
            return 0;
        }
    }
    if (c->lacking < 0 || parse_number(f[c->lacking], &r.nodes_lacking) != 0) r.nodes_lacking = NAN;
    if (t->n >= SWEEPTAB_MAX_ROWS) {
        return gl_errorf(err, errlen, "%s: more than %u rows", where, SWEEPTAB_MAX_ROWS);
    }
    if (add_row(t, &r) != 0) {
        return gl_errorf(err, errlen, "%s: out of memory", where);
    }
    return 0;
}

/*
 * The distinct strategies of t in order of first appearance, at most max of them; returns their
 * count (max + 1 would need a larger array: callers pass max = array size).
 */
static size_t strategies(const struct sweeptab *t, const char **names, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++) {
        size_t j = 0;
        while (j < n && strcmp(names[j], t->rows[i].strategy) != 0)
            j++;
        if (j == n) {
            if (n == max) return max + 1;
            names[n++] = t->rows[i].strategy;
        }
    }
    return n;
}

int sweeptab_parse(struct sweeptab *t, char *buf, size_t len, const char *name, char *err,
                   size_t errlen)
{
    struct columns c = {
        .strategy = -1, .timeout = -1, .status = -1, .metric = { -1, -1, -1, -1 }
    };
    int rc = 0;
    bool header = true;
    size_t pos = 0, start, end;
    unsigned lineno = 0;
    while (rc == 0 && file_next_line(buf, len, &pos, &lineno, &start, &end)) {
        char where[256];
        snprintf(where, sizeof where, "%s:%u", name, lineno);
        if (end - start > SWEEPTAB_MAX_LINE)
            return gl_errorf(err, errlen, "%s: line longer than %u bytes", where,
                             SWEEPTAB_MAX_LINE);
        buf[end] = '\0'; /* the newline, or the buffer's own NUL */
        if (header)
            rc = read_header(buf + start, &c, where, err, errlen);
        else
            rc = read_row(t, buf + start, &c, where, err, errlen);
        header = false;
    }
    if (rc != 0) return rc;
    if (header) return gl_errorf(err, errlen, "%s: empty file (no header)", name);
    const char *names[SWEEPTAB_MAX_STRATEGIES];
    if (strategies(t, names, SWEEPTAB_MAX_STRATEGIES) > SWEEPTAB_MAX_STRATEGIES)
        return gl_errorf(err, errlen, "%s: more than %u strategies", name, SWEEPTAB_MAX_STRATEGIES);
    return 0;
}

int sweeptab_load(struct sweeptab *t, const char *path, char *err, size_t errlen)
{
    char *buf;
    size_t len;
    if (file_read_all(path, &buf, &len, SIZE_MAX, err, errlen) != 0) return -1;
    int rc = sweeptab_parse(t, buf, len, path, err, errlen);
    free(buf);
    return rc;
}

/* Prints v with the given decimals, never as "-0.000". */
static void print_num(FILE *out, double v, int decimals)
{
    if (isnan(v)) return; /* an empty field */
    if (fabs(v) < 0.5 * pow(10.0, -decimals)) v = 0.0;
    fprintf(out, "%.*f", decimals, v);
}

size_t sweeptab_write_fit(const struct sweeptab *t, FILE *out, FILE *warn)
{
    const char *names[SWEEPTAB_MAX_STRATEGIES];
    size_t ns = strategies(t, names, SWEEPTAB_MAX_STRATEGIES), lines = 0;
    double *x = malloc((t->n + 1) * sizeof *x), *y = malloc((t->n + 1) * sizeof *y);
    if (!x || !y) {
        if (warn) fprintf(warn, "gl-fit: out of memory\n");
        free(x);
        free(y);
        return 0;
    }
    fprintf(out, "strategy,metric,n,k,b,r2,se_k,se_b\n");
    for (size_t s = 0; s < ns; s++) {
        for (int m = SWEEPTAB_P50; m <= SWEEPTAB_MAX; m++) {
            size_t n = 0;
            for (size_t i = 0; i < t->n; i++) {
                if (strcmp(t->rows[i].strategy, names[s]) == 0) {
                    x[n] = t->rows[i].timeout_ms;
                    y[n] = t->rows[i].v[m];
                    n++;
                }
            }
            struct fit_line f;
            char err[256];
            if (fit_linear(x, y, n, &f, err, sizeof err) != 0) {
                if (warn)
                    fprintf(warn, "gl-fit: no fit for %s %s: %s\n", names[s], metric_name[m], err);
                continue;
            }
            fprintf(out, "%s,%s,%zu,", names[s], metric_name[m], f.n);
            print_num(out, f.k, 4);
            fputc(',', out);
            print_num(out, f.b, 4);
            fputc(',', out);
            print_num(out, f.r2, 4);
            fputc(',', out);
            print_num(out, f.se_k, 4);
            fputc(',', out);
            print_num(out, f.se_b, 4);
            fputc('\n', out);
            lines++;
        }
    }
    free(x);
    free(y);
    return lines;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Writes the summary lines of one strategy; timeouts is scratch space for t->n values. */
static size_t summary_of(const struct sweeptab *t, const char *name, double *timeouts, FILE *out)
{
    size_t nt = 0;
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->rows[i].strategy, name) == 0) timeouts[nt++] = t->rows[i].timeout_ms;
    qsort(timeouts, nt, sizeof *timeouts, cmp_double);
    size_t lines = 0;
    for (size_t j = 0; j < nt; j++) {
        if (j > 0 && timeouts[j] == timeouts[j - 1]) continue;
        double sum[SWEEPTAB_NMETRICS] = { 0 }, lo[SWEEPTAB_NMETRICS], hi[SWEEPTAB_NMETRICS];
        double lacking = NAN;
        size_t n = 0;
        for (size_t i = 0; i < t->n; i++) {
            const struct sweeptab_row *r = &t->rows[i];
            if (strcmp(r->strategy, name) != 0 || r->timeout_ms != timeouts[j]) continue;
            for (int m = 0; m < SWEEPTAB_NMETRICS; m++) {
                sum[m] += r->v[m];
                lo[m] = n == 0 || r->v[m] < lo[m] ? r->v[m] : lo[m];
                hi[m] = n == 0 || r->v[m] > hi[m] ? r->v[m] : hi[m];
            }
            double x = r->nodes_lacking;
            if (!isnan(x) && (isnan(lacking) || x > lacking)) lacking = x;
            n++;
        }
        fprintf(out, "%s,", name);
        print_num(out, timeouts[j], 0);
        fprintf(out, ",%zu", n);
        for (int m = 0; m < SWEEPTAB_NMETRICS; m++) {
            const double v[3] = { sum[m] / (double)n, lo[m], hi[m] };
            for (int q = 0; q < 3; q++) {
                fputc(',', out);
                print_num(out, v[q], 3);
            }
        }
        fputc(',', out);
        print_num(out, lacking, 0);
        fputc('\n', out);
        lines++;
    }
    return lines;
}

size_t sweeptab_write_summary(const struct sweeptab *t, FILE *out)
{
    fprintf(out, "strategy,timeout_ms,n");
    for (int m = 0; m < SWEEPTAB_NMETRICS; m++)
        fprintf(out, ",%s_mean,%s_min,%s_max", metric_name[m], metric_name[m], metric_name[m]);
    fputs(",nodes_lacking_max\n", out);
    const char *names[SWEEPTAB_MAX_STRATEGIES];
    size_t ns = strategies(t, names, SWEEPTAB_MAX_STRATEGIES), lines = 0;
    double *timeouts = malloc((t->n + 1) * sizeof *timeouts);
    if (!timeouts) return 0;
    for (size_t s = 0; s < ns; s++)
        lines += summary_of(t, names[s], timeouts, out);
    free(timeouts);
    return lines;
}
