/*
 * cmd: generate, score and enumerate (see cmd.h). Drivers: they print results to stdout; the
 * cores they call (topo, score, enum, degvec) stay pure.
 */
#include "cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "degvec.h"
#include "errmsg.h"
#include "format.h"
#include "report.h"
#include "score.h"
#include "topo.h"
#include "topo_json.h"

int tg_class_parse(const char *s, struct tg_class *cls, char *err, size_t errlen)
{
    memset(cls, 0, sizeof(*cls));
    if (strcmp(s, "any") == 0) {
        cls->kind = TG_CLASS_ANY;
        return 0;
    }
    if (strcmp(s, "shortest") == 0) {
        cls->kind = TG_CLASS_SHORTEST;
        return 0;
    }
    char *end = NULL;
    errno = 0;
    unsigned long d = strtoul(s, &end, 10);
    if (errno || end == s || *end != '\0' || s[0] == '-' || d >= TG_MAX_ENUM_NODES) {
        return gl_errorf(err, errlen, "bad depth class '%s' (any, shortest or a depth 0..%u)", s,
                         (unsigned)TG_MAX_ENUM_NODES - 1);
    }
    cls->kind = TG_CLASS_DEPTH;
    cls->max_depth = (uint32_t)d;
    return 0;
}

static int parse_fn(const struct tg_opts *o, struct tg_fn *f, char *err, size_t errlen)
{
    return tg_fn_parse(o->fn ? o->fn : "square", f, err, errlen);
}

/* Builds --strategy over --nodes with --root (a node name). */
static int build_strategy(const struct tg_opts *o, struct topo *t, char *err, size_t errlen)
{
    enum topo_kind kind;
    if (!o->strategy || topo_kind_parse(o->strategy, &kind) != 0) {
        snprintf(err, errlen,
                 "unknown strategy '%s' (grid tree star flat hubs kary line tree2 tree3 "
                 "tree4 total)",
                 o->strategy ? o->strategy : "");
        return -1;
    }
    if (o->nodes == 0) {
        return gl_errorf(err, errlen, "--strategy needs --nodes N (1..%u)", (unsigned)GL_MAX_NODES);
    }
    if (o->hubs && kind != TOPO_HUBS) return gl_errorf(err, errlen, "--hubs needs --strategy hubs");
    if (o->fanout && kind != TOPO_KARY)
        return gl_errorf(err, errlen, "--fanout needs --strategy kary");
    uint32_t k = o->hubs ? o->hubs : o->fanout;
    if (topo_build_k(t, kind, o->nodes, NULL, -1, k, err, errlen) != 0) return -1;
    if (!o->root) return 0;
    int32_t r = topo_find(t, o->root);
    if (r < 0 && (strcmp(o->root, "center") == 0 || strcmp(o->root, "centre") == 0))
        r = topo_centre(o->nodes);
    topo_release(t);
    if (r < 0) {
        return gl_errorf(err, errlen, "unknown node id '%s' (nodes are n0..n%u)", o->root,
                         o->nodes - 1);
    }
    return topo_build_k(t, kind, o->nodes, NULL, r, k, err, errlen);
}

static int load_topology(const struct tg_opts *o, struct topo *t, char *err, size_t errlen);
static int parse_root(const char *s, const struct tg_grid *g, uint32_t *root, char *err,
                      size_t errlen);

static bool known_format(const char *fmt)
{
    return !strcmp(fmt, "json") || !strcmp(fmt, "ini") || !strcmp(fmt, "gnuplot") ||
           !strcmp(fmt, "dot");
}

/* --grid RxC made into a grid (rows and columns in range). */
static int usage_grid(const char *spec, struct tg_grid *g, char *err, size_t errlen)
{
    uint32_t rows, cols;
    if (tg_grid_parse(spec, &rows, &cols, err, errlen) != 0) return -1;
    return tg_grid_init(g, rows, cols, err, errlen);
}

int tg_check_usage(const struct tg_opts *o, enum tg_mode mode, char *err, size_t errlen)
{
    struct tg_fn f;
    struct tg_class cls;
    struct tg_grid g;
    if (parse_fn(o, &f, err, errlen) != 0) return -1;
    if (mode == TG_ENUMERATE) {
        uint32_t root;
        if (!o->grid) return gl_errorf(err, errlen, "--enumerate needs --grid RxC");
        if (usage_grid(o->grid, &g, err, errlen) != 0 ||
            parse_root(o->root, &g, &root, err, errlen) != 0)
            return -1;
        return tg_class_parse(o->depth ? o->depth : "any", &cls, err, errlen);
    }
    if (mode == TG_GENERATE && o->format && !known_format(o->format))
        return gl_errorf(err, errlen, "unknown format '%s' (json, ini, gnuplot, dot)", o->format);
    if (mode == TG_SCORE && o->within &&
        (tg_class_parse(o->within, &cls, err, errlen) != 0 ||
         (o->grid && usage_grid(o->grid, &g, err, errlen) != 0)))
        return -1;
    if (o->file && o->strategy)
        return gl_errorf(err, errlen, "give either a topology FILE or --strategy, not both");
    if (o->file && (o->hubs || o->fanout))
        return gl_errorf(err, errlen, "--%s goes with --strategy, not a topology FILE",
                         o->hubs ? "hubs" : "fanout");
    if (o->file) return 0;
    /* --strategy alone: building it checks the name, --nodes and --root. */
    struct topo t;
    if (load_topology(o, &t, err, errlen) != 0) return -1;
    topo_release(&t);
    return 0;
}

int tg_cmd_generate(const struct tg_opts *o, char *err, size_t errlen)
{
    struct topo t;
    if (load_topology(o, &t, err, errlen) != 0) return -1;
    const char *fmt = o->format ? o->format : "json";
    char title[GL_MAX_PATH + 64];
    snprintf(title, sizeof(title), "%s, %u nodes%s%s", o->file ? o->file : o->strategy, t.n,
             t.root >= 0 ? ", root " : "", t.root >= 0 ? t.nodes[t.root].name : "");
    int rc;
    if (strcmp(fmt, "json") == 0)
        rc = tg_format_json(stdout, &t);
    else if (strcmp(fmt, "ini") == 0)
        rc = tg_format_ini(stdout, &t, o->file);
    else if (strcmp(fmt, "gnuplot") == 0)
        rc = tg_format_gnuplot(stdout, &t, 0, title);
    else if (strcmp(fmt, "dot") == 0)
        rc = tg_format_dot(stdout, &t, 0);
    else {
        rc = gl_errorf(err, errlen, "unknown format '%s' (json, ini, gnuplot, dot)", fmt);
    }
    if (rc != 0 && !err[0]) snprintf(err, errlen, "cannot write the %s output", fmt);
    topo_release(&t);
    return rc;
}

/* Loads FILE (--score FILE, --from FILE), or builds --strategy. */
static int load_topology(const struct tg_opts *o, struct topo *t, char *err, size_t errlen)
{
    if (o->file) {
        if (o->strategy) {
            return gl_errorf(err, errlen, "give either a topology FILE or --strategy, not both");
        }
        if (topo_load_json(t, o->file, err, errlen) != 0) return -1;
        for (uint32_t v = 0; v < t->n; v++) {
            if (t->nodes[v].listed) continue;
            snprintf(err, errlen, "%s: unknown node id '%s' (a neighbour without an entry)",
                     o->file, t->nodes[v].name);
            topo_release(t);
            return -1;
        }
        return 0;
    }
    if (!o->strategy) {
        return gl_errorf(err, errlen, "give a topology FILE or --strategy S --nodes N");
    }
    return build_strategy(o, t, err, errlen);
}

static void print_score(const struct topo *t, const struct tg_score *s, const struct tg_fn *f,
                        const char *what)
{
    char vt[1024];
    tg_degvec_format(s->cnt, s->maxdeg + 1, vt, sizeof(vt));
    printf("topology: %s, %u nodes, routing %s\n", what, t->n, tg_routing_name(s->routing));
    printf("out-degrees: %s\n", vt);
    printf("sum %s: %.6g\n", f->name, s->sumf);
    printf("depth from %s: max %u, mean %.4g hops\n", t->nodes[s->root].name, s->depth_max,
           s->depth_mean);
    printf("messages per broadcast: mean %.10g, min %llu (from %s), max %llu (from %s)\n",
           s->msgs_mean, (unsigned long long)s->msgs_min, t->nodes[s->min_origin].name,
           (unsigned long long)s->msgs_max, t->nodes[s->max_origin].name);
    printf("largest fan-out: %u messages (%s, for a broadcast from %s)\n", s->fanout,
           t->nodes[s->fanout_node].name, t->nodes[s->fanout_origin].name);
}

/* --within: the tree's class enumerated, ready to report (within_report). */
struct within {
    struct tg_grid g;
    struct tg_fn f;
    struct tg_enum_cfg cfg;
    struct tg_enum_result res;
    uint8_t par[TG_MAX_ENUM_NODES];
};

static int within_prepare(const struct tg_opts *o, const struct topo *t, struct within *w,
                          char *err, size_t errlen);
static int within_report(const struct tg_opts *o, struct within *w, char *err, size_t errlen);

int tg_cmd_score(const struct tg_opts *o, char *err, size_t errlen)
{
    struct tg_fn f;
    struct topo t;
    struct tg_score *s = NULL;
    struct within *w = NULL;
    bool enumerated = false;
    if (parse_fn(o, &f, err, errlen) != 0 || load_topology(o, &t, err, errlen) != 0) return -1;
    int rc = -1;
    int32_t root = -1;
    if (o->root) {
        root = topo_find(&t, o->root);
        if (root < 0 && (strcmp(o->root, "center") == 0 || strcmp(o->root, "centre") == 0))
            root = topo_centre(t.n);
        if (root < 0) {
            snprintf(err, errlen, "unknown node id '%s' in %s", o->root,
                     o->file ? o->file : "the topology");
            goto out;
        }
    }
    if (root >= 0 && t.root >= 0 && root != t.root) {
        snprintf(err, errlen, "%s is rooted at %s, not %s", o->file, t.nodes[t.root].name, o->root);
        goto out;
    }
    s = malloc(sizeof(*s));
    w = o->within ? malloc(sizeof(*w)) : NULL;
    if (!s || (o->within && !w)) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    /* Everything that can fail is done before the first line is printed. */
    if (tg_score(&t, root, &f, s, err, errlen) != 0) goto out;
    if (w && within_prepare(o, &t, w, err, errlen) != 0) goto out;
    enumerated = w != NULL;
    print_score(&t, s, &f, o->file ? o->file : o->strategy);
    rc = w ? within_report(o, w, err, errlen) : 0;
out:
    if (enumerated) tg_enum_result_release(&w->res);
    free(w);
    free(s);
    topo_release(&t);
    return rc;
}

/* Cell index of a node named "n<k>", or -1. */
static int32_t cell_of(const char *name, uint32_t n)
{
    char *end = NULL;
    if (name[0] != 'n' || name[1] < '0' || name[1] > '9') return -1;
    unsigned long k = strtoul(name + 1, &end, 10);
    return *end == '\0' && k < n ? (int32_t)k : -1;
}

static int parse_grid(const struct tg_opts *o, uint32_t n, struct tg_grid *g, char *err,
                      size_t errlen)
{
    uint32_t rows, cols;
    if (o->grid) {
        if (tg_grid_parse(o->grid, &rows, &cols, err, errlen) != 0) return -1;
    } else {
        cols = topo_grid_side(n);
        rows = cols ? n / cols : 0;
        if (rows * cols != n) {
            snprintf(err, errlen, "%u nodes do not fill a grid; give --grid RxC", n);
            return -1;
        }
    }
    return tg_grid_init(g, rows, cols, err, errlen);
}

/* The file's tree as parent pointers over the grid's cells, checked to be a grid tree. */
static int tree_on_grid(const struct topo *t, const struct tg_grid *g, uint8_t *par, uint32_t *root,
                        char *err, size_t errlen)
{
    if (t->root < 0 || t->n != g->n) {
        return gl_errorf(err, errlen, "--within needs a spanning arborescence of the %ux%u grid",
                         g->rows, g->cols);
    }
    for (uint32_t v = 0; v < t->n; v++) {
        int32_t cv = cell_of(t->nodes[v].name, g->n);
        if (cv < 0) {
            return gl_errorf(err, errlen, "node '%s' is not a cell of the %ux%u grid (n0..n%u)",
                             t->nodes[v].name, g->rows, g->cols, g->n - 1);
        }
        if ((int32_t)v == t->root) *root = (uint32_t)cv, par[cv] = (uint8_t)cv;
        for (uint32_t k = 0; k < t->nodes[v].deg; k++) {
            int32_t cw = cell_of(t->nodes[t->nodes[v].adj[k]].name, g->n);
            if (!tg_grid_adjacent(g, (uint32_t)cv, (uint32_t)cw)) {
                return gl_errorf(err, errlen, "%s -> %s is not an edge of the %ux%u grid",
                                 t->nodes[v].name, t->nodes[t->nodes[v].adj[k]].name, g->rows,
                                 g->cols);
            }
            par[cw] = (uint8_t)cv;
        }
    }
    return 0;
}

/* Whether the tree belongs to the class (depth bound, or every node at its distance). */
static int in_class(const struct tg_grid *g, const struct tg_class *cls, uint32_t root,
                    const uint8_t *par, char *err, size_t errlen)
{
    for (uint32_t v = 0; v < g->n; v++) {
        uint32_t d = 0;
        for (uint32_t w = v; w != root && d <= g->n; w = par[w])
            d++;
        bool ok = cls->kind == TG_CLASS_ANY ||
                  (cls->kind == TG_CLASS_SHORTEST && d == tg_grid_dist(g, root, v)) ||
                  (cls->kind == TG_CLASS_DEPTH && d <= cls->max_depth);
        if (!ok) {
            char desc[64];
            tg_class_describe(cls, desc, sizeof(desc));
            return gl_errorf(err, errlen, "the tree is not in the class '%s': n%u is at depth %u",
                             desc, v, d);
        }
    }
    return 0;
}

static int run_enum(const struct tg_opts *o, struct tg_enum_cfg *cfg, struct tg_enum_result *res,
                    char *err, size_t errlen)
{
    tg_u128 expected = 0;
    char ignored[64];
    cfg->cap = o->cap ? o->cap : TG_DEFAULT_CAP;
    cfg->progress = o->progress;
    cfg->ctx = o->ctx;
    if (tg_class_expected(cfg, &expected, ignored, sizeof(ignored)) != 1) expected = 0;
    uint64_t eta_total = expected > UINT64_MAX ? UINT64_MAX : (uint64_t)expected;
    if (eta_total > cfg->cap) eta_total = cfg->cap;
    if (o->progress_start) o->progress_start(o->ctx, eta_total);
    int rc = tg_enum_run(cfg, res, err, errlen);
    if (rc == 0 && o->progress_end) o->progress_end(o->ctx, res->trees);
    return rc;
}

static int within_prepare(const struct tg_opts *o, const struct topo *t, struct within *w,
                          char *err, size_t errlen)
{
    memset(&w->cfg, 0, sizeof(w->cfg));
    w->cfg.g = &w->g;
    w->cfg.f = &w->f;
    if (parse_fn(o, &w->f, err, errlen) != 0 ||
        tg_class_parse(o->within, &w->cfg.cls, err, errlen) ||
        parse_grid(o, t->n, &w->g, err, errlen) != 0 ||
        tree_on_grid(t, &w->g, w->par, &w->cfg.root, err, errlen) != 0 ||
        in_class(&w->g, &w->cfg.cls, w->cfg.root, w->par, err, errlen) != 0)
        return -1;
    return run_enum(o, &w->cfg, &w->res, err, errlen);
}

static int within_report(const struct tg_opts *o, struct within *w, char *err, size_t errlen)
{
    printf("\n");
    int rc = tg_report_class(stdout, &w->cfg, &w->res, o->top, NULL, err, errlen);
    if (rc == 0) {
        printf("\n");
        rc = tg_report_within(stdout, &w->cfg, &w->res, w->par);
    }
    return rc;
}

static int parse_root(const char *s, const struct tg_grid *g, uint32_t *root, char *err,
                      size_t errlen)
{
    if (!s || strcmp(s, "center") == 0 || strcmp(s, "centre") == 0) {
        *root = tg_grid_centre(g);
        return 0;
    }
    char *end = NULL;
    unsigned long k = s[0] == 'n' && s[1] >= '0' && s[1] <= '9' ? strtoul(s + 1, &end, 10) : 0;
    if (!end || *end != '\0') {
        return gl_errorf(err, errlen, "bad root '%s' (a cell name like n12, or center)", s);
    }
    if (k >= g->n) {
        return gl_errorf(err, errlen, "root '%s' outside the %ux%u grid (n0..n%u)", s, g->rows,
                         g->cols, g->n - 1);
    }
    *root = (uint32_t)k;
    return 0;
}

int tg_cmd_enumerate(const struct tg_opts *o, char *err, size_t errlen)
{
    struct tg_grid g;
    struct tg_fn f;
    struct tg_enum_cfg cfg = { .g = &g, .f = &f };
    struct tg_enum_result res;
    uint32_t rows, cols;
    if (!o->grid) {
        return gl_errorf(err, errlen, "--enumerate needs --grid RxC");
    }
    if (parse_fn(o, &f, err, errlen) != 0 ||
        tg_grid_parse(o->grid, &rows, &cols, err, errlen) != 0 ||
        tg_grid_init(&g, rows, cols, err, errlen) != 0 ||
        parse_root(o->root, &g, &cfg.root, err, errlen) != 0 ||
        tg_class_parse(o->depth ? o->depth : "any", &cfg.cls, err, errlen) != 0 ||
        run_enum(o, &cfg, &res, err, errlen) != 0)
        return -1;
    int rc = tg_report_class(stdout, &cfg, &res, o->top, o->save, err, errlen);
    tg_enum_result_release(&res);
    return rc;
}
