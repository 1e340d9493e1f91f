/*
 * sweeptab_write: fit.csv, summary.csv and frontier.csv from a parsed sweep (formats in
 * sweeptab.h). Numbers have fixed decimals, so equal inputs give byte-identical files.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fit.h"
#include "sweeptab.h"

/* Names of the metrics in fit.csv, summary.csv and frontier.csv. */
static const char *const metric_name[SWEEPTAB_NMETRICS] = { "mpo", "p50", "p95", "max" };

/* Prints v with the given decimals, never as "-0.000"; NaN as an empty field. */
static void print_num(FILE *out, double v, int decimals)
{
    if (isnan(v)) return;
    if (fabs(v) < 0.5 * pow(10.0, -decimals)) v = 0.0;
    fprintf(out, "%.*f", decimals, v);
}

/* ",<axis>" for each axis of t. */
static void print_axis_names(const struct sweeptab *t, FILE *out)
{
    for (size_t a = 0; a < t->naxes; a++)
        fprintf(out, ",%s", t->axis[a]);
}

/* ",<value>" of group g for each axis of t. */
static void print_axis_values(const struct sweeptab *t, size_t g, FILE *out)
{
    for (size_t a = 0; a < t->naxes; a++)
        fprintf(out, ",%s", t->groups[g].value[a]);
}

static void print_fit(const struct sweeptab *t, size_t g, int m, const struct fit_line *f,
                      FILE *out)
{
    fprintf(out, "%s,%s", t->groups[g].name, t->groups[g].strategy);
    print_axis_values(t, g, out);
    fprintf(out, ",%s,%zu,", metric_name[m], f->n);
    const double v[5] = { f->k, f->b, f->r2, f->se_k, f->se_b };
    for (int i = 0; i < 5; i++) {
        print_num(out, v[i], 4);
        fputc(',', out);
    }
    fprintf(out, "%s\n", f->r2 < SWEEPTAB_POOR_R2 ? "poor" : "good");
}

size_t sweeptab_write_fit(const struct sweeptab *t, FILE *out, FILE *warn)
{
    size_t lines = 0;
    double *x = malloc((t->n + 1) * sizeof *x), *y = malloc((t->n + 1) * sizeof *y);
    if (!x || !y) {
        if (warn) fprintf(warn, "gl-fit: out of memory\n");
        free(x);
        free(y);
        return 0;
    }
    fprintf(out, "group,strategy");
    print_axis_names(t, out);
    fprintf(out, ",metric,n,k,b,r2,se_k,se_b,quality\n");
    for (size_t g = 0; g < t->ngroups; g++) {
        const char *name = t->groups[g].name;
        for (int m = SWEEPTAB_P50; m <= SWEEPTAB_MAX; m++) {
            size_t n = 0;
            for (size_t i = 0; i < t->n; i++) {
                if (t->rows[i].group == g && t->rows[i].ok) {
                    x[n] = t->rows[i].timeout_ms;
                    y[n] = t->rows[i].v[m];
                    n++;
                }
            }
            struct fit_line f;
            char err[256];
            if (fit_linear(x, y, n, &f, err, sizeof err) != 0) {
                if (warn)
                    fprintf(warn, "gl-fit: no fit for %s %s: %s\n", name, metric_name[m], err);
                continue;
            }
            if (warn && f.r2 < SWEEPTAB_POOR_R2)
                fprintf(warn, "gl-fit: poor fit for %s %s: R² %.3f < %.1f, not a model\n", name,
                        metric_name[m], f.r2, SWEEPTAB_POOR_R2);
            print_fit(t, g, m, &f, out);
            lines++;
        }
    }
    free(x);
    free(y);
    return lines;
}

/* ",mean,min,max" of every metric of c, then the newline when eol. */
static void print_figures(const struct sweeptab_config *c, FILE *out, bool eol)
{
    for (int m = 0; m < SWEEPTAB_NMETRICS; m++) {
        const double v[3] = { c->mean[m], c->lo[m], c->hi[m] };
        for (int q = 0; q < 3; q++) {
            fputc(',', out);
            print_num(out, v[q], 3);
        }
    }
    if (eol) fputc('\n', out);
}

/* ",mpo_mean,mpo_min,...,max_max", then more (the columns after them) and the newline. */
static void print_figure_names(FILE *out, const char *more)
{
    for (int m = 0; m < SWEEPTAB_NMETRICS; m++)
        fprintf(out, ",%s_mean,%s_min,%s_max", metric_name[m], metric_name[m], metric_name[m]);
    fprintf(out, "%s\n", more);
}

/* "group,strategy,T,<axis values>" of c. */
static void print_config(const struct sweeptab *t, const struct sweeptab_config *c, FILE *out)
{
    fprintf(out, "%s,%s,", t->groups[c->group].name, t->groups[c->group].strategy);
    print_num(out, c->timeout_ms, 0);
    print_axis_values(t, c->group, out);
}

size_t sweeptab_write_summary(const struct sweeptab *t, FILE *out)
{
    fprintf(out, "group,strategy,timeout_ms");
    print_axis_names(t, out);
    fprintf(out, ",n,failed");
    print_figure_names(out, ",nodes_lacking_max");
    struct sweeptab_config *cs;
    size_t nc, lines = 0;
    if (sweeptab_configs(t, &cs, &nc) != 0) return 0;
    for (size_t i = 0; i < nc; i++) {
        if (cs[i].n == 0) continue;
        print_config(t, &cs[i], out);
        fprintf(out, ",%zu,%zu", cs[i].n, cs[i].failed);
        print_figures(&cs[i], out, false);
        fputc(',', out);
        print_num(out, cs[i].lacking_max, 0);
        fputc('\n', out);
        lines++;
    }
    free(cs);
    return lines;
}

/* The three measures the frontier compares. */
static const int frontier_metric[3] = { SWEEPTAB_MPO, SWEEPTAB_P50, SWEEPTAB_MAX };

/* a dominates b: no worse in every measure, better in one. */
static bool dominates(const struct sweeptab_config *a, const struct sweeptab_config *b)
{
    bool better = false;
    for (int i = 0; i < 3; i++) {
        const int m = frontier_metric[i];
        if (a->mean[m] > b->mean[m]) return false;
        better |= a->mean[m] < b->mean[m];
    }
    return better;
}

static int by_figures(const void *pa, const void *pb)
{
    const struct sweeptab_config *a = pa, *b = pb;
    for (int i = 0; i < 3; i++) {
        const int m = frontier_metric[i];
        if (a->mean[m] != b->mean[m]) return a->mean[m] < b->mean[m] ? -1 : 1;
    }
    if (a->group != b->group) return a->group < b->group ? -1 : 1;
    return (a->timeout_ms > b->timeout_ms) - (a->timeout_ms < b->timeout_ms);
}

/* Keeps in cs[0..) the configurations without a failure no other dominates; returns their
 * count, sorted by figures. */
static size_t frontier(struct sweeptab_config *cs, size_t nc)
{
    size_t nf = 0;
    for (size_t i = 0; i < nc; i++) {
        bool keep = cs[i].n > 0 && cs[i].failed == 0;
        for (size_t j = 0; j < nc && keep; j++)
            keep = !(cs[j].n > 0 && cs[j].failed == 0 && dominates(&cs[j], &cs[i]));
        if (keep) cs[nf++] = cs[i];
    }
    qsort(cs, nf, sizeof *cs, by_figures);
    return nf;
}

/* Writes the label of f[i]: what differs between the configurations of f[0..nf). */
static void print_label(const struct sweeptab *t, const struct sweeptab_config *f, size_t nf,
                        size_t i, FILE *out)
{
    const struct sweeptab_group *g = &t->groups[f[i].group];
    bool strategy = false, T = false, axis[SWEEPTAB_MAX_AXES] = { false }, any = false;
    for (size_t j = 0; j < nf; j++) {
        const struct sweeptab_group *h = &t->groups[f[j].group];
        strategy |= strcmp(g->strategy, h->strategy) != 0;
        T |= f[j].timeout_ms != f[i].timeout_ms;
        for (size_t a = 0; a < t->naxes; a++)
            axis[a] |= strcmp(g->value[a], h->value[a]) != 0;
    }
    for (size_t a = 0; a < t->naxes; a++)
        any |= axis[a];
    if (!strategy && !T && !any) strategy = T = true; /* one point: its strategy and T */
    const char *sep = "";
    if (strategy) {
        fprintf(out, "%s", g->strategy);
        sep = " ";
    }
    if (T) {
        fprintf(out, "%sT=%.0f", sep, f[i].timeout_ms);
        sep = " ";
    }
    for (size_t a = 0; a < t->naxes; a++) {
        if (!axis[a] || strcmp(g->value[a], SWEEPTAB_UNSET) == 0) continue;
        fprintf(out, "%s%s=%s", sep, t->axis_short[a], g->value[a]);
        sep = " ";
    }
    if (*sep == '\0') fprintf(out, "%s", g->strategy); /* all it differs in is left out */
}

size_t sweeptab_write_frontier(const struct sweeptab *t, FILE *out)
{
    fprintf(out, "label,group,strategy,timeout_ms");
    print_axis_names(t, out);
    fprintf(out, ",n");
    print_figure_names(out, "");
    struct sweeptab_config *cs;
    size_t nc;
    if (sweeptab_configs(t, &cs, &nc) != 0) return 0;
    size_t nf = frontier(cs, nc);
    for (size_t i = 0; i < nf; i++) {
        print_label(t, cs, nf, i, out);
        fputc(',', out);
        print_config(t, &cs[i], out);
        fprintf(out, ",%zu", cs[i].n);
        print_figures(&cs[i], out, true);
    }
    free(cs);
    return nf;
}
