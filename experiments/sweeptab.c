/*
 * sweeptab: reads sweep.csv into rows grouped by configuration and aggregates the seeds of each
 * configuration (formats in sweeptab.h). The tables are written by sweeptab_write.c; the fit
 * itself is fit.c.
 */
#include "sweeptab.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "file.h"

#include "banned.h"

/* Column names of the metrics, in enum sweeptab_metric order. */
static const char *const metric_column[SWEEPTAB_NMETRICS] = { "msgs_per_op_servers", "stable_p50",
                                                              "stable_p95", "stable_max" };

#define MAX_FIELDS 96

void sweeptab_init(struct sweeptab *t)
{
    memset(t, 0, sizeof *t);
}

void sweeptab_release(struct sweeptab *t)
{
    free(t->rows);
    free(t->groups);
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

/* The index of the first column named a (or b, if not NULL) among f[0..n), or -1. */
static int find_column(char **f, int n, const char *a, const char *b)
{
    for (int i = 0; i < n; i++)
        if (strcmp(f[i], a) == 0 || (b && strcmp(f[i], b) == 0)) return i;
    return -1;
}

struct columns {
    int strategy, timeout, status, lacking, need;
    int metric[SWEEPTAB_NMETRICS];
    int axis[SWEEPTAB_MAX_AXES];
};

/* Short names: the part after the last '.', unless two axes (or "strategy", "T") would share it. */
static void short_names(struct sweeptab *t)
{
    for (size_t a = 0; a < t->naxes; a++) {
        const char *dot = strrchr(t->axis[a], '.');
        snprintf(t->axis_short[a], sizeof t->axis_short[a], "%s", dot ? dot + 1 : t->axis[a]);
    }
    for (size_t a = 0; a < t->naxes; a++) {
        bool clash =
            strcmp(t->axis_short[a], "strategy") == 0 || strcmp(t->axis_short[a], "T") == 0;
        for (size_t b = 0; b < t->naxes; b++)
            clash |= b != a && strcmp(t->axis_short[a], t->axis_short[b]) == 0;
        if (clash) memcpy(t->axis_short[a], t->axis[a], sizeof t->axis[a]);
    }
}

static int read_header(struct sweeptab *t, char *line, struct columns *c, const char *where,
                       char *err, size_t errlen)
{
    char *f[MAX_FIELDS];
    int n = split_fields(line, f, MAX_FIELDS);
    if (n < 0) return gl_errorf(err, errlen, "%s: more than %d columns", where, MAX_FIELDS);
    c->strategy = find_column(f, n, "topology.strategy", "strategy");
    c->timeout = find_column(f, n, "batch.timeout_ms", "timeout_ms");
    c->status = find_column(f, n, "status", NULL);         /* optional */
    c->lacking = find_column(f, n, "nodes_lacking", NULL); /* optional */
    const char *missing = c->strategy < 0  ? "topology.strategy"
                          : c->timeout < 0 ? "batch.timeout_ms"
                                           : NULL;
    c->need = c->strategy > c->timeout ? c->strategy : c->timeout;
    c->need = c->status > c->need ? c->status : c->need;
    c->need = c->lacking > c->need ? c->lacking : c->need;
    for (int m = 0; m < SWEEPTAB_NMETRICS; m++) {
        c->metric[m] = find_column(f, n, metric_column[m], NULL);
        if (c->metric[m] < 0 && !missing) missing = metric_column[m];
        c->need = c->metric[m] > c->need ? c->metric[m] : c->need;
    }
    if (missing) return gl_errorf(err, errlen, "%s: no column '%s' in the header", where, missing);
    int seed = find_column(f, n, "seed", NULL);
    for (int i = 0; i < seed; i++) {
        if (i == c->strategy || i == c->timeout) continue;
        if (t->naxes == SWEEPTAB_MAX_AXES)
            return gl_errorf(err, errlen, "%s: more than %u axes", where, SWEEPTAB_MAX_AXES);
        if (f[i][0] == '\0' || strlen(f[i]) >= SWEEPTAB_VALUE_MAX)
            return gl_errorf(err, errlen, "%s: axis name '%s' is empty or longer than %d bytes",
                             where, f[i], SWEEPTAB_VALUE_MAX - 1);
        memcpy(t->axis[t->naxes], f[i], strlen(f[i]) + 1);
        c->axis[t->naxes++] = i;
    }
    short_names(t);
    return 0;
}

/* The index of the group of g (strategy and axis values), added when new; -1 + err when full. */
static long find_group(struct sweeptab *t, struct sweeptab_group *g, const char *where, char *err,
                       size_t errlen)
{
    for (size_t i = 0; i < t->ngroups; i++) {
        if (strcmp(t->groups[i].strategy, g->strategy) != 0) continue;
        size_t a = 0;
        while (a < t->naxes && strcmp(t->groups[i].value[a], g->value[a]) == 0)
            a++;
        if (a == t->naxes) return (long)i;
    }
    if (t->ngroups == SWEEPTAB_MAX_GROUPS)
        return gl_errorf(err, errlen, "%s: more than %u groups", where, SWEEPTAB_MAX_GROUPS);
    size_t len = (size_t)snprintf(g->name, sizeof g->name, "%s", g->strategy);
    for (size_t a = 0; a < t->naxes && len < sizeof g->name; a++)
        if (strcmp(g->value[a], SWEEPTAB_UNSET) != 0)
            len += (size_t)snprintf(g->name + len, sizeof g->name - len, "/%s=%s", t->axis_short[a],
                                    g->value[a]);
    if (len >= sizeof g->name)
        return gl_errorf(err, errlen, "%s: group name longer than %d bytes", where,
                         SWEEPTAB_GROUP_MAX - 1);
    if (GL_GROW(t->groups, t->ngroups + 1, t->gcap) != 0)
        return gl_errorf(err, errlen, "%s: out of memory", where);
    t->groups[t->ngroups] = *g;
    return (long)t->ngroups++;
}

/* Copies field s into dst[0..size) or fails naming what it is. */
static int copy_field(char *dst, size_t size, const char *s, const char *what, const char *where,
                      char *err, size_t errlen)
{
    size_t len = strlen(s);
    if (len == 0 || len >= size)
        return gl_errorf(err, errlen, "%s: %s '%s' is empty or longer than %zu bytes", where, what,
                         s, size - 1);
    memcpy(dst, s, len + 1);
    return 0;
}

/* Reads one data line into t. Returns 0 or -1 + err. */
static int read_row(struct sweeptab *t, char *line, const struct columns *c, const char *where,
                    char *err, size_t errlen)
{
    char *f[MAX_FIELDS];
    int n = split_fields(line, f, MAX_FIELDS);
    if (n < 0) return gl_errorf(err, errlen, "%s: more than %d fields", where, MAX_FIELDS);
    if (n <= c->need)
        return gl_errorf(err, errlen, "%s: %d fields, the header names at least %d", where, n,
                         c->need + 1);
    static struct sweeptab_group g; /* 9 KB: not on the stack */
    memset(&g, 0, sizeof g);
    if (copy_field(g.strategy, sizeof g.strategy, f[c->strategy], "strategy", where, err, errlen))
        return -1;
    for (size_t a = 0; a < t->naxes; a++)
        if (copy_field(g.value[a], sizeof g.value[a], f[c->axis[a]], t->axis[a], where, err,
                       errlen))
            return -1;
    struct sweeptab_row r = { .ok = true };
    if (parse_number(f[c->timeout], &r.timeout_ms) != 0)
        return gl_errorf(err, errlen, "%s: timeout_ms '%s' is not a number", where, f[c->timeout]);
    long gi = find_group(t, &g, where, err, errlen);
    if (gi < 0) return -1;
    r.group = (size_t)gi;
    r.ok = c->status < 0 || strcmp(f[c->status], "ok") == 0;
    for (int m = 0; m < SWEEPTAB_NMETRICS && r.ok; m++)
        r.ok = parse_number(f[c->metric[m]], &r.v[m]) == 0; /* empty: a run without results */
    if (!r.ok) {
        t->skipped++;
        for (int m = 0; m < SWEEPTAB_NMETRICS; m++)
            r.v[m] = NAN;
    }
    if (c->lacking < 0 || parse_number(f[c->lacking], &r.nodes_lacking) != 0) r.nodes_lacking = NAN;
    if (t->n >= SWEEPTAB_MAX_ROWS)
        return gl_errorf(err, errlen, "%s: more than %u rows", where, SWEEPTAB_MAX_ROWS);
    if (GL_GROW(t->rows, t->n + 1, t->cap) != 0)
        return gl_errorf(err, errlen, "%s: out of memory", where);
    t->rows[t->n++] = r;
    return 0;
}

int sweeptab_parse(struct sweeptab *t, char *buf, size_t len, const char *name, char *err,
                   size_t errlen)
{
    struct columns c;
    memset(&c, 0, sizeof c);
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
            rc = read_header(t, buf + start, &c, where, err, errlen);
        else
            rc = read_row(t, buf + start, &c, where, err, errlen);
        header = false;
    }
    if (rc != 0) return rc;
    if (header) return gl_errorf(err, errlen, "%s: empty file (no header)", name);
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

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Aggregates the rows of group g at T into c. */
static void aggregate(const struct sweeptab *t, size_t g, double T, struct sweeptab_config *c)
{
    memset(c, 0, sizeof *c);
    c->group = g;
    c->timeout_ms = T;
    c->lacking_max = NAN;
    double sum[SWEEPTAB_NMETRICS] = { 0 };
    for (size_t i = 0; i < t->n; i++) {
        const struct sweeptab_row *r = &t->rows[i];
        if (r->group != g || r->timeout_ms != T) continue;
        if (!r->ok) {
            c->failed++;
            continue;
        }
        for (int m = 0; m < SWEEPTAB_NMETRICS; m++) {
            sum[m] += r->v[m];
            c->lo[m] = c->n == 0 || r->v[m] < c->lo[m] ? r->v[m] : c->lo[m];
            c->hi[m] = c->n == 0 || r->v[m] > c->hi[m] ? r->v[m] : c->hi[m];
        }
        double x = r->nodes_lacking;
        if (!isnan(x) && (isnan(c->lacking_max) || x > c->lacking_max)) c->lacking_max = x;
        c->n++;
    }
    for (int m = 0; m < SWEEPTAB_NMETRICS; m++)
        c->mean[m] = c->n > 0 ? sum[m] / (double)c->n : (double)NAN;
}

int sweeptab_configs(const struct sweeptab *t, struct sweeptab_config **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    double *ts = malloc((t->n + 1) * sizeof *ts);
    struct sweeptab_config *cs = malloc((t->n + 1) * sizeof *cs);
    if (!ts || !cs) {
        free(ts);
        free(cs);
        return -1;
    }
    size_t nc = 0;
    for (size_t g = 0; g < t->ngroups; g++) {
        size_t nt = 0;
        for (size_t i = 0; i < t->n; i++)
            if (t->rows[i].group == g) ts[nt++] = t->rows[i].timeout_ms;
        qsort(ts, nt, sizeof *ts, cmp_double);
        for (size_t j = 0; j < nt; j++)
            if (j == 0 || ts[j] != ts[j - 1]) aggregate(t, g, ts[j], &cs[nc++]);
    }
    free(ts);
    *out = cs;
    *n = nc;
    return 0;
}
