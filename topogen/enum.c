/*
 * enum: enumeration of grid arborescences by class (see enum.h for the algorithms). Pure: no
 * IO, no clock. Recursion depth is bounded by the number of cells (TG_MAX_ENUM_NODES).
 */
#include "enum.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

enum { NMAX = TG_MAX_ENUM_NODES, MMAX = TG_MAX_ENUM_EDGES };

struct engine {
    const struct tg_enum_cfg *cfg;
    const struct tg_grid *g;
    struct tg_enum_result *res;
    uint32_t n, root;
    uint64_t *hist;
    const double *sumf;
    double thr; /* best + rounding slack: trees at or below it take the slow path */
    int stop;
    uint8_t perm[TG_MAX_SYM][NMAX];
    uint32_t nsym;
    int64_t wt[TG_MAX_GRID_DEG + 1]; /* key weight of an out-degree */
    /* contraction state (TG_CLASS_ANY); vertices are renamed by elimination order */
    uint8_t vid[NMAX];         /* cell -> elimination id */
    uint16_t list[NMAX][MMAX]; /* per id: live edges (edge << 8 | other id), other id > id */
    uint32_t len[NMAX];
    uint8_t deg[NMAX];                     /* tree degree of each cell so far */
    int64_t dk[NMAX][TG_MAX_GRID_DEG + 1]; /* key change when deg goes d -> d+1 */
    int64_t key;
    uint8_t chosen[NMAX]; /* tree edge chosen at each elimination step */
    /* layered state (TG_CLASS_SHORTEST, TG_CLASS_DEPTH) */
    int8_t depth[NMAX];
    uint8_t par[NMAX];
    uint32_t assigned;
    uint32_t max_depth;
    bool shortest;
};

bool tg_sum_eq(double a, double b)
{
    if (isinf(a) || isinf(b)) return a == b;
    double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= 1e-9 * (m > 1.0 ? m : 1.0);
}

void tg_key_counts(const struct tg_enum_result *res, size_t key, uint32_t cnt[5])
{
    size_t b = res->base;
    uint32_t rest = res->n;
    for (int d = 1; d <= 4; d++) {
        cnt[d] = (uint32_t)(d < 4 ? key % b : key);
        key /= b;
        rest = rest >= cnt[d] ? rest - cnt[d] : 0;
    }
    cnt[0] = rest;
}

static int64_t weight(uint32_t base, uint32_t outdeg)
{
    int64_t w = outdeg ? 1 : 0;
    for (uint32_t d = 1; d < outdeg; d++)
        w *= base;
    return w;
}

size_t tg_tree_key(const struct tg_enum_result *res, uint32_t root, const uint8_t *par)
{
    uint32_t out[NMAX] = { 0 };
    for (uint32_t v = 0; v < res->n; v++)
        if (v != root) out[par[v]]++;
    int64_t key = 0;
    for (uint32_t v = 0; v < res->n; v++)
        key += weight(res->base, out[v]);
    return (size_t)key;
}

/* The histogram and sum-f tables over every key: 2 * base^3 keys, because only the root can
 * have out-degree 4 (any other cell keeps one of its at most 4 grid edges for its parent). */
static int tables_init(struct tg_enum_result *res, const struct tg_fn *f)
{
    size_t b = res->base;
    res->nkeys = 2 * b * b * b;
    res->hist = calloc(res->nkeys, sizeof(*res->hist));
    res->sumf = malloc(res->nkeys * sizeof(*res->sumf));
    if (!res->hist || !res->sumf) return -1;
    double fv[5];
    for (uint32_t d = 0; d <= 4; d++)
        fv[d] = tg_fn_eval(f, d);
    for (size_t key = 0; key < res->nkeys; key++) {
        uint32_t cnt[5];
        tg_key_counts(res, key, cnt);
        uint64_t used = (uint64_t)cnt[1] + cnt[2] + cnt[3] + cnt[4];
        double s = INFINITY;
        if (used <= res->n) {
            s = 0.0;
            for (int d = 0; d <= 4; d++)
                s += (double)cnt[d] * fv[d];
        }
        res->sumf[key] = s;
    }
    return 0;
}

/* Whether par is the least of its images under the symmetries fixing the root. */
static bool canonical(const struct engine *e, const uint8_t *par)
{
    for (uint32_t s = 1; s < e->nsym; s++) {
        uint8_t img[NMAX];
        const uint8_t *p = e->perm[s];
        for (uint32_t v = 0; v < e->n; v++)
            img[p[v]] = p[par[v]];
        int c = memcmp(img, par, e->n);
        if (c < 0) return false;
    }
    return true;
}

static void minimiser(struct engine *e, size_t key, const uint8_t *par)
{
    struct tg_enum_result *res = e->res;
    double s = e->sumf[key];
    if (!tg_sum_eq(s, res->best) && s < res->best) {
        res->best = s;
        e->thr = s + 1e-9 * (fabs(s) > 1.0 ? fabs(s) : 1.0);
        res->min_trees = res->min_orbits = 0;
        res->nreps = 0;
    }
    res->min_trees++;
    if (!canonical(e, par)) return;
    res->min_orbits++;
    if (res->nreps < TG_MAX_REPS) memcpy(res->reps[res->nreps++].par, par, e->n);
}

/* Counts one tree; returns false when the cap stops the enumeration before it. */
static inline bool count_tree(struct engine *e)
{
    if (e->res->trees == e->cfg->cap) {
        e->stop = 1;
        e->res->capped = true;
        return false;
    }
    if ((++e->res->trees & TG_PROGRESS_MASK) == 0 && e->cfg->progress)
        e->cfg->progress(e->cfg->ctx, e->res->trees);
    return true;
}

/* Parent pointers of the tree made of the chosen edges, by BFS from the root. */
static void chosen_to_par(const struct engine *e, uint8_t *par)
{
    uint8_t adj[NMAX][4], na[NMAX] = { 0 }, q[NMAX];
    bool seen[NMAX] = { false };
    for (uint32_t t = 0; t + 1 < e->n; t++) {
        uint8_t u = e->g->eu[e->chosen[t]], v = e->g->ev[e->chosen[t]];
        adj[u][na[u]++] = v;
        adj[v][na[v]++] = u;
    }
    uint32_t head = 0, tail = 0;
    q[tail++] = (uint8_t)e->root;
    seen[e->root] = true;
    par[e->root] = (uint8_t)e->root;
    while (head < tail) {
        uint8_t v = q[head++];
        for (uint32_t k = 0; k < na[v]; k++)
            if (!seen[adj[v][k]]) {
                seen[adj[v][k]] = true;
                par[adj[v][k]] = v;
                q[tail++] = adj[v][k];
            }
    }
}

static inline void contraction_leaf(struct engine *e)
{
    if (!count_tree(e)) return;
    size_t key = (size_t)e->key;
    e->hist[key]++;
    if (e->sumf[key] <= e->thr) {
        uint8_t par[NMAX];
        chosen_to_par(e, par);
        minimiser(e, key, par);
    }
}

/* Chooses edge ed as x's tree edge, recurses (or counts the tree), and undoes the choice. */
static void contract(struct engine *e, uint32_t t);

static inline void take_edge(struct engine *e, uint32_t t, uint8_t ed)
{
    uint8_t u = e->g->eu[ed], v = e->g->ev[ed];
    int64_t dkey = e->dk[u][e->deg[u]] + e->dk[v][e->deg[v]];
    e->key += dkey;
    e->deg[u]++;
    e->deg[v]++;
    e->chosen[t] = ed;
    if (t + 2 == e->n)
        contraction_leaf(e);
    else
        contract(e, t + 1);
    e->deg[u]--;
    e->deg[v]--;
    e->key -= dkey;
}

/*
 * Eliminates vertex id t: groups its live edges by the other end into classes c_0..c_{d-1};
 * branch i deletes c_0..c_{i-1}, picks one edge of c_i (contracting t into that class's end y)
 * and moves the edges of c_{i+1}.. over to y (each stored at its lower-id end).
 */
static void contract(struct engine *e, uint32_t t)
{
    uint8_t tgt[NMAX], cnt[NMAX], start[NMAX + 1], edges[MMAX];
    uint32_t d = 0, ne = e->len[t];
    const uint16_t *ent = e->list[t];
    for (uint32_t k = 0; k < ne; k++) {
        uint8_t z = (uint8_t)(ent[k] & 0xff);
        uint32_t c = 0;
        while (c < d && tgt[c] != z)
            c++;
        if (c == d) tgt[d] = z, cnt[d++] = 0;
        cnt[c]++;
    }
    start[0] = 0;
    for (uint32_t c = 0; c < d; c++)
        start[c + 1] = (uint8_t)(start[c] + cnt[c]), cnt[c] = start[c];
    for (uint32_t k = 0; k < ne; k++) {
        uint32_t c = 0;
        while (tgt[c] != (ent[k] & 0xff))
            c++;
        edges[cnt[c]++] = (uint8_t)(ent[k] >> 8);
    }
    for (uint32_t i = 0; i < d && !e->stop; i++) {
        uint8_t y = tgt[i];
        uint32_t saved[NMAX];
        for (uint32_t j = i + 1; j < d; j++) {
            uint8_t z = tgt[j], lo = y < z ? y : z, hi = y < z ? z : y;
            saved[j] = e->len[lo];
            for (uint32_t k = start[j]; k < start[j + 1]; k++)
                e->list[lo][e->len[lo]++] = (uint16_t)(edges[k] << 8 | hi);
        }
        for (uint32_t k = start[i]; k < start[i + 1] && !e->stop; k++)
            take_edge(e, t, edges[k]);
        for (uint32_t j = d - 1; j > i; j--)
            e->len[tgt[j] < y ? tgt[j] : y] = saved[j];
    }
}

static void run_any(struct engine *e)
{
    const struct tg_grid *g = e->g;
    uint8_t order[NMAX], seen[NMAX] = { 0 };
    uint32_t head = 0, tail = 0;
    order[tail++] = (uint8_t)e->root;
    seen[e->root] = 1;
    while (head < tail) {
        uint8_t v = order[head++];
        for (uint32_t k = 0; k < g->nnbr[v]; k++)
            if (!seen[g->nbr[v][k]]) seen[g->nbr[v][k]] = 1, order[tail++] = g->nbr[v][k];
    }
    for (uint32_t i = 0; i < e->n; i++) /* reverse BFS order: the root is eliminated last */
        e->vid[order[i]] = (uint8_t)(e->n - 1 - i);
    for (uint32_t k = 0; k < g->m; k++) {
        uint8_t a = e->vid[g->eu[k]], b = e->vid[g->ev[k]];
        uint8_t lo = a < b ? a : b, hi = a < b ? b : a;
        e->list[lo][e->len[lo]++] = (uint16_t)(k << 8 | hi);
    }
    for (uint32_t v = 0; v < e->n; v++)
        for (uint32_t d = 0; d < TG_MAX_GRID_DEG; d++) {
            uint32_t lost = v == e->root ? 0 : 1; /* a non-root cell's first edge is its parent */
            int64_t before = d >= lost ? e->wt[d - lost] : 0;
            e->dk[v][d] = e->wt[d + 1 - lost] - before;
        }
    if (e->n == 1) {
        if (count_tree(e)) {
            e->hist[e->key]++;
            uint8_t par[1] = { 0 };
            minimiser(e, 0, par);
        }
        return;
    }
    contract(e, 0);
}

static void layered_leaf(struct engine *e)
{
    if (!count_tree(e)) return;
    size_t key = tg_tree_key(e->res, e->root, e->par);
    e->hist[key]++;
    if (e->sumf[key] <= e->thr) minimiser(e, key, e->par);
}

/* Whether every unassigned cell can still be reached from the new layer (depth k) through
 * unassigned cells within the depth bound. */
static bool feasible(const struct engine *e, const uint8_t *layer, uint32_t nl, uint32_t k)
{
    uint8_t dist[NMAX], q[NMAX];
    uint32_t head = 0, tail = 0, reached = 0;
    memset(dist, 0xff, sizeof(dist));
    for (uint32_t i = 0; i < nl; i++)
        dist[layer[i]] = 0, q[tail++] = layer[i];
    while (head < tail) {
        uint8_t v = q[head++];
        if (k + dist[v] >= e->max_depth) continue;
        for (uint32_t j = 0; j < e->g->nnbr[v]; j++) {
            uint8_t w = e->g->nbr[v][j];
            if (e->depth[w] < 0 && dist[w] == 0xff) {
                dist[w] = (uint8_t)(dist[v] + 1);
                q[tail++] = w;
                reached++;
            }
        }
    }
    return e->assigned + reached == e->n;
}

static void layer(struct engine *e, uint32_t k, const uint8_t *cur, uint32_t ncur);

/* Decides frontier cell F[idx]: a parent in layer k (joining layer k+1), or later. */
static void choose(struct engine *e, uint32_t k, const uint8_t *F, uint32_t nf, uint32_t idx,
                   uint8_t *next, uint32_t nn)
{
    if (e->stop) return;
    if (idx == nf) {
        if (nn > 0 && (e->shortest || feasible(e, next, nn, k + 1))) layer(e, k + 1, next, nn);
        return;
    }
    uint8_t w = F[idx];
    for (uint32_t j = 0; j < e->g->nnbr[w]; j++) {
        uint8_t p = e->g->nbr[w][j];
        if (e->depth[p] != (int8_t)k) continue;
        e->depth[w] = (int8_t)(k + 1);
        e->par[w] = p;
        e->assigned++;
        next[nn] = w;
        choose(e, k, F, nf, idx + 1, next, nn + 1);
        e->assigned--;
        e->depth[w] = -1;
    }
    if (!e->shortest && k + 2 <= e->max_depth) choose(e, k, F, nf, idx + 1, next, nn);
}

static void layer(struct engine *e, uint32_t k, const uint8_t *cur, uint32_t ncur)
{
    if (e->assigned == e->n) {
        layered_leaf(e);
        return;
    }
    if (k >= e->max_depth) return;
    uint8_t F[NMAX], next[NMAX];
    bool in[NMAX] = { false };
    uint32_t nf = 0;
    for (uint32_t i = 0; i < ncur; i++)
        for (uint32_t j = 0; j < e->g->nnbr[cur[i]]; j++) {
            uint8_t w = e->g->nbr[cur[i]][j];
            if (e->depth[w] < 0 && !in[w]) in[w] = true, F[nf++] = w;
        }
    if (nf > 0) choose(e, k, F, nf, 0, next, 0);
}

static void run_layered(struct engine *e)
{
    memset(e->depth, -1, sizeof(e->depth));
    e->depth[e->root] = 0;
    e->par[e->root] = (uint8_t)e->root;
    e->assigned = 1;
    uint8_t first = (uint8_t)e->root;
    layer(e, 0, &first, 1);
}

int tg_enum_run(const struct tg_enum_cfg *cfg, struct tg_enum_result *res, char *err, size_t errlen)
{
    memset(res, 0, sizeof(*res));
    const struct tg_grid *g = cfg->g;
    if (cfg->root >= g->n) {
        snprintf(err, errlen, "root n%u outside the %ux%u grid", cfg->root, g->rows, g->cols);
        return -1;
    }
    res->n = g->n;
    res->base = g->n + 1;
    res->best = INFINITY;
    if (tables_init(res, cfg->f) != 0) {
        tg_enum_result_release(res);
        snprintf(err, errlen, "out of memory for the degree-vector tables");
        return -1;
    }
    struct engine *e = calloc(1, sizeof(*e));
    if (!e) {
        tg_enum_result_release(res);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    e->cfg = cfg;
    e->g = g;
    e->res = res;
    e->n = g->n;
    e->root = cfg->root;
    e->hist = res->hist;
    e->sumf = res->sumf;
    e->thr = INFINITY;
    e->nsym = tg_grid_symmetries(g, cfg->root, e->perm);
    for (uint32_t d = 0; d <= TG_MAX_GRID_DEG; d++)
        e->wt[d] = weight(res->base, d);
    if (cfg->cls.kind == TG_CLASS_ANY) {
        run_any(e);
    } else {
        e->shortest = cfg->cls.kind == TG_CLASS_SHORTEST;
        e->max_depth = e->shortest ? tg_grid_eccentricity(g, cfg->root) : cfg->cls.max_depth;
        run_layered(e);
    }
    free(e);
    return 0;
}

void tg_enum_result_release(struct tg_enum_result *res)
{
    free(res->hist);
    free(res->sumf);
    res->hist = NULL;
    res->sumf = NULL;
}
