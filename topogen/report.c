/*
 * report: enumeration results for people (see report.h).
 */
#include "report.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "degvec.h"
#include "errmsg.h"
#include "format.h"
#include "topo_json.h"

struct vec {
    double s;
    size_t key;
    uint64_t trees;
};

static int vec_cmp(const void *pa, const void *pb)
{
    const struct vec *a = pa, *b = pb;
    if (!tg_sum_eq(a->s, b->s)) return a->s < b->s ? -1 : 1;
    return a->key < b->key ? -1 : (a->key > b->key);
}

/* The distinct vectors of res, sorted by (sum f, key); malloc'd, caller frees. */
static struct vec *sorted_vectors(const struct tg_enum_result *res, uint32_t *nv)
{
    uint32_t n = 0;
    for (size_t k = 0; k < res->nkeys; k++)
        n += res->hist[k] != 0;
    struct vec *v = malloc((n ? n : 1) * sizeof(*v));
    if (!v) return NULL;
    n = 0;
    for (size_t k = 0; k < res->nkeys; k++)
        if (res->hist[k]) v[n++] = (struct vec){ res->sumf[k], k, res->hist[k] };
    qsort(v, n, sizeof(*v), vec_cmp);
    *nv = n;
    return v;
}

void tg_class_describe(const struct tg_class *cls, char *buf, size_t size)
{
    switch (cls->kind) {
    case TG_CLASS_ANY:
        snprintf(buf, size, "all spanning trees");
        break;
    case TG_CLASS_SHORTEST:
        snprintf(buf, size, "shortest-path trees");
        break;
    case TG_CLASS_DEPTH:
        snprintf(buf, size, "depth <= %u", cls->max_depth);
        break;
    }
}

int tg_class_expected(const struct tg_enum_cfg *cfg, tg_u128 *count, char *err, size_t errlen)
{
    const struct tg_grid *g = cfg->g;
    switch (cfg->cls.kind) {
    case TG_CLASS_SHORTEST:
        *count = tg_grid_shortest_count(g, cfg->root);
        return 1;
    case TG_CLASS_DEPTH:
        if (cfg->cls.max_depth < tg_grid_eccentricity(g, cfg->root)) {
            *count = 0;
            return 1;
        }
        if (cfg->cls.max_depth + 1 < g->n) return 0;
        /* every spanning tree has depth <= N-1 */
        return tg_grid_matrix_tree(g, count, err, errlen) == 0 ? 1 : -1;
    case TG_CLASS_ANY:
        return tg_grid_matrix_tree(g, count, err, errlen) == 0 ? 1 : -1;
    }
    return 0;
}

static void vec_text(const struct tg_enum_result *res, size_t key, char *buf, size_t size)
{
    uint32_t cnt[5];
    tg_key_counts(res, key, cnt);
    tg_degvec_format(cnt, 5, buf, size);
}

static int cross_check(FILE *out, const struct tg_enum_cfg *cfg, const struct tg_enum_result *res,
                       char *err, size_t errlen)
{
    tg_u128 want = 0;
    char a[48], b[48];
    int have = tg_class_expected(cfg, &want, err, errlen);
    if (have < 0) return -1;
    fprintf(out, "trees: %s%s\n", tg_u128_str(res->trees, a),
            res->capped ? " (stopped at the cap: every figure below is PARTIAL)" : "");
    if (have == 0) {
        fprintf(out, "cross-check: none for this class\n");
        return 0;
    }
    const char *how = cfg->cls.kind == TG_CLASS_SHORTEST ? "product of parent choices"
                      : want == 0                        ? "depth bound below eccentricity"
                                                         : "Matrix-Tree theorem";
    if (res->capped) {
        fprintf(out, "cross-check: %s gives %s (not comparable: capped)\n", how,
                tg_u128_str(want, a));
        return 0;
    }
    if (want != res->trees) {
        return gl_errorf(err, errlen, "count mismatch: enumerated %s, %s gives %s",
                         tg_u128_str(res->trees, a), how, tg_u128_str(want, b));
    }
    fprintf(out, "cross-check: %s gives %s: ok\n", how, tg_u128_str(want, a));
    return 0;
}

static void print_verdict(FILE *out, const struct tg_enum_result *res, const struct vec *v,
                          uint32_t nv)
{
    uint32_t *vecs = malloc((size_t)nv * 5 * sizeof(*vecs));
    struct tg_verdict vd;
    for (uint32_t i = 0; vecs && i < nv; i++)
        tg_key_counts(res, v[i].key, vecs + (size_t)i * 5);
    if (!vecs || tg_majorization_verdict(vecs, nv, 5, &vd) != 0) {
        fprintf(out, "majorization: not computed (no trees or no memory)\n");
        free(vecs);
        return;
    }
    char a[96], b[96];
    if (res->capped) fprintf(out, "(partial, capped) ");
    if (vd.universal >= 0) {
        vec_text(res, v[vd.universal].key, a, sizeof(a));
        fprintf(out,
                "majorization: %s is majorized by every other vector of the class, so its trees "
                "minimise sum f for EVERY convex f\n",
                a);
    } else {
        vec_text(res, v[vd.min1].key, a, sizeof(a));
        vec_text(res, v[vd.min2].key, b, sizeof(b));
        fprintf(out,
                "majorization: no vector is majorized by all others, so no tree is optimal for "
                "every convex f: %s is minimised by %s (not by %s), %s by %s%s\n",
                vd.f1.name, a, vd.f2.name, vd.f2.name, b,
                vd.disjoint ? " (no vector minimises both)" : "");
    }
    free(vecs);
}

static int print_minimisers(FILE *out, const struct tg_enum_cfg *cfg,
                            const struct tg_enum_result *res, uint32_t top, const char *save_prefix,
                            char *err, size_t errlen)
{
    fprintf(out,
            "minimisers: %llu trees in %llu symmetry classes (grid symmetries fixing the root)\n",
            (unsigned long long)res->min_trees, (unsigned long long)res->min_orbits);
    uint32_t show = res->nreps < top ? res->nreps : top;
    for (uint32_t k = 0; k < res->nreps; k++) {
        const uint8_t *par = res->reps[k].par;
        char vt[96];
        vec_text(res, tg_tree_key(res, cfg->root, par), vt, sizeof(vt));
        if (k < show) {
            fprintf(out, "\nrepresentative %u (%s):\n", k + 1, vt);
            tg_draw_tree(out, cfg->g->rows, cfg->g->cols, cfg->root, par);
            fputc('\n', out);
        }
        if (!save_prefix) continue;
        char path[GL_MAX_PATH];
        struct topo t;
        snprintf(path, sizeof(path), "%s-%u.json", save_prefix, k + 1);
        if (tg_tree_topo(&t, cfg->g->rows, cfg->g->cols, cfg->root, par) != 0 ||
            topo_save_json(&t, path, err, errlen) != 0) {
            topo_release(&t);
            return -1;
        }
        topo_release(&t);
    }
    if (res->min_orbits > res->nreps)
        fprintf(out, "(%llu more classes not kept: limit TG_MAX_REPS = %u)\n",
                (unsigned long long)(res->min_orbits - res->nreps), (unsigned)TG_MAX_REPS);
    return 0;
}

int tg_report_class(FILE *out, const struct tg_enum_cfg *cfg, const struct tg_enum_result *res,
                    uint32_t top, const char *save_prefix, char *err, size_t errlen)
{
    char desc[64];
    tg_class_describe(&cfg->cls, desc, sizeof(desc));
    fprintf(out, "class: %s of the %ux%u grid from n%u\n", desc, cfg->g->rows, cfg->g->cols,
            cfg->root);
    if (cross_check(out, cfg, res, err, errlen) != 0) return -1;
    uint32_t nv = 0;
    struct vec *v = sorted_vectors(res, &nv);
    if (!v) {
        return gl_errorf(err, errlen, "out of memory");
    }
    fprintf(out, "distinct out-degree vectors: %u (best %u by sum %s):\n", nv, nv < top ? nv : top,
            cfg->f->name);
    fprintf(out, "  %4s %12s %14s  %s\n", "rank", "sum f", "trees", "out-degrees");
    for (uint32_t i = 0; i < nv && i < top; i++) {
        char vt[96];
        vec_text(res, v[i].key, vt, sizeof(vt));
        fprintf(out, "  %4u %12.6g %14llu  %s\n", i + 1, v[i].s, (unsigned long long)v[i].trees,
                vt);
    }
    int rc = 0;
    if (nv > 0) {
        fprintf(out, "sum %s: min %.6g, max %.6g\n", cfg->f->name, v[0].s, v[nv - 1].s);
        rc = print_minimisers(out, cfg, res, top, save_prefix, err, errlen);
        print_verdict(out, res, v, nv);
    }
    free(v);
    return rc;
}

int tg_report_within(FILE *out, const struct tg_enum_cfg *cfg, const struct tg_enum_result *res,
                     const uint8_t *par)
{
    uint32_t nv = 0;
    struct vec *v = sorted_vectors(res, &nv);
    if (!v) return -1;
    size_t key = tg_tree_key(res, cfg->root, par);
    double s = res->sumf[key];
    uint32_t rank = 1;
    uint64_t better = 0;
    bool majorized_by_all = true;
    uint32_t mine[5], other[5];
    tg_key_counts(res, key, mine);
    for (uint32_t i = 0; i < nv; i++) {
        if (v[i].s < s && !tg_sum_eq(v[i].s, s)) rank++, better += v[i].trees;
        tg_key_counts(res, v[i].key, other);
        majorized_by_all = majorized_by_all && tg_majorized(mine, other, 5);
    }
    char vt[96];
    vec_text(res, key, vt, sizeof(vt));
    fprintf(out, "tree: %s, sum %s %.6g; class best %.6g (%s)\n", vt, cfg->f->name, s, res->best,
            tg_sum_eq(s, res->best) ? "a minimiser" : "not a minimiser");
    fprintf(out,
            "rank of its vector: %u of %u distinct vectors (%llu of %llu trees are strictly "
            "better)\n",
            rank, nv, (unsigned long long)better, (unsigned long long)res->trees);
    fprintf(out, "majorized by every vector of the class: %s\n", majorized_by_all ? "yes" : "no");
    uint32_t dominated = 0, first = 0;
    for (uint32_t i = 0; i < nv; i++) {
        tg_key_counts(res, v[i].key, other);
        if (v[i].key != key && tg_majorized(other, mine, 5) && dominated++ == 0) first = i;
    }
    if (dominated) {
        vec_text(res, v[first].key, vt, sizeof(vt));
        fprintf(out,
                "vectors of the class majorized by it (at least as good for every convex f, "
                "better for every strictly convex f): %u, the best by sum %s: %s\n",
                dominated, cfg->f->name, vt);
    }
    free(v);
    return 0;
}
