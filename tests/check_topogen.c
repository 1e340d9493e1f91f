/*
 * check_topogen: proves topogen's enumerators count and classify trees exactly: spanning-tree
 * counts of small grids against the known values and the Matrix-Tree theorem, shortest-path
 * tree counts against the product formula, depth-bounded classes and their degree-vector
 * histograms against a brute force over all parent assignments, the contraction enumerator
 * against the layered one; plus scores of hand-built trees and of every node strategy, and the
 * majorization verdict on constructed vectors (with and without a common minimiser).
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "degvec.h"
#include "enum.h"
#include "format.h"
#include "grid.h"
#include "score.h"
#include "topo.h"

static struct tg_fn square(void)
{
    struct tg_fn f;
    char err[64];
    ck_assert_int_eq(tg_fn_parse("square", &f, err, sizeof(err)), 0);
    return f;
}

static void run(uint32_t rows, uint32_t cols, uint32_t root, struct tg_class cls,
                struct tg_enum_result *res)
{
    static struct tg_grid g; /* the result does not point into it */
    struct tg_fn f = square();
    char err[128];
    ck_assert_int_eq(tg_grid_init(&g, rows, cols, err, sizeof(err)), 0);
    struct tg_enum_cfg cfg = { .g = &g, .root = root, .cls = cls, .f = &f, .cap = UINT64_MAX };
    ck_assert_msg(tg_enum_run(&cfg, res, err, sizeof(err)) == 0, "%s", err);
}

static const struct {
    uint32_t rows, cols;
    uint64_t trees;
} known[] = { { 1, 1, 1 },    { 2, 2, 4 },      { 2, 3, 15 }, { 3, 3, 192 },
              { 3, 4, 2415 }, { 4, 4, 100352 }, { 1, 7, 1 },  { 2, 5, 209 } };

START_TEST(spanning_tree_counts)
{
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        struct tg_enum_result res;
        struct tg_grid g;
        char err[128];
        tg_u128 mt = 0;
        ck_assert_int_eq(tg_grid_init(&g, known[i].rows, known[i].cols, err, sizeof(err)), 0);
        ck_assert_int_eq(tg_grid_matrix_tree(&g, &mt, err, sizeof(err)), 0);
        ck_assert_uint_eq((uint64_t)mt, known[i].trees);
        for (uint32_t root = 0; root < g.n; root += 3) {
            run(known[i].rows, known[i].cols, root, (struct tg_class){ TG_CLASS_ANY, 0 }, &res);
            ck_assert_uint_eq(res.trees, known[i].trees);
            ck_assert(!res.capped);
            tg_enum_result_release(&res);
        }
    }
    struct tg_grid g;
    char err[128], buf[48];
    tg_u128 mt = 0;
    ck_assert_int_eq(tg_grid_init(&g, 5, 5, err, sizeof(err)), 0);
    ck_assert_int_eq(tg_grid_matrix_tree(&g, &mt, err, sizeof(err)), 0);
    ck_assert_str_eq(tg_u128_str(mt, buf), "557568000");
    ck_assert_int_eq(tg_grid_init(&g, 6, 6, err, sizeof(err)), 0);
    ck_assert_int_eq(tg_grid_matrix_tree(&g, &mt, err, sizeof(err)), 0);
    ck_assert_str_eq(tg_u128_str(mt, buf), "32565539635200");
    ck_assert_int_eq(tg_grid_init(&g, 7, 7, err, sizeof(err)), 0);
    ck_assert_int_eq(tg_grid_matrix_tree(&g, &mt, err, sizeof(err)), 0);
    ck_assert_str_eq(tg_u128_str(mt, buf), "19872369301840986112");
    ck_assert_int_eq(tg_grid_init(&g, 8, 8, err, sizeof(err)), 0); /* OEIS A007341 */
    ck_assert_int_eq(tg_grid_matrix_tree(&g, &mt, err, sizeof(err)), 0);
    ck_assert_str_eq(tg_u128_str(mt, buf), "126231322912498539682594816");
    ck_assert_int_eq(tg_grid_init(&g, 4, 16, err, sizeof(err)), 0);
    ck_assert_int_eq(tg_grid_matrix_tree(&g, &mt, err, sizeof(err)), 0);
    ck_assert(mt > 0);
}
END_TEST

START_TEST(shortest_counts)
{
    static const uint32_t shapes[][2] = { { 3, 3 }, { 3, 4 }, { 4, 4 }, { 2, 5 }, { 5, 5 } };
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        struct tg_grid g;
        char err[128];
        ck_assert_int_eq(tg_grid_init(&g, shapes[i][0], shapes[i][1], err, sizeof(err)), 0);
        for (uint32_t root = 0; root < g.n; root += 2) {
            struct tg_enum_result res;
            run(shapes[i][0], shapes[i][1], root, (struct tg_class){ TG_CLASS_SHORTEST, 0 }, &res);
            ck_assert_uint_eq(res.trees, (uint64_t)tg_grid_shortest_count(&g, root));
            tg_enum_result_release(&res);
        }
    }
    struct tg_grid g;
    char err[128];
    ck_assert_int_eq(tg_grid_init(&g, 5, 5, err, sizeof(err)), 0);
    ck_assert_uint_eq((uint64_t)tg_grid_shortest_count(&g, 12), 65536); /* 16 cells, 2 choices */
    ck_assert_int_eq(tg_grid_init(&g, 3, 3, err, sizeof(err)), 0);
    ck_assert_uint_eq((uint64_t)tg_grid_shortest_count(&g, 4), 16);
    ck_assert_uint_eq((uint64_t)tg_grid_shortest_count(&g, 0), 16); /* 4 cells, 2 choices */
}
END_TEST

/* Brute force: every parent assignment, kept if acyclic with depth <= D. */
static void brute(const struct tg_grid *g, uint32_t root, uint32_t D,
                  const struct tg_enum_result *like, uint64_t *hist, uint64_t *trees)
{
    uint32_t choice[TG_MAX_ENUM_NODES] = { 0 };
    uint8_t par[TG_MAX_ENUM_NODES];
    *trees = 0;
    for (;;) {
        for (uint32_t v = 0; v < g->n; v++)
            par[v] = v == root ? (uint8_t)root : g->nbr[v][choice[v]];
        bool ok = true;
        for (uint32_t v = 0; v < g->n && ok; v++) {
            uint32_t d = 0, w = v;
            while (w != root && d <= D)
                w = par[w], d++;
            ok = w == root && d <= D;
        }
        if (ok) {
            (*trees)++;
            hist[tg_tree_key(like, root, par)]++;
        }
        uint32_t v = 0;
        while (v < g->n && (v == root || ++choice[v] == g->nnbr[v]))
            choice[v++] = 0;
        if (v == g->n) break;
    }
}

START_TEST(depth_classes_against_brute_force)
{
    struct tg_grid g;
    char err[128];
    ck_assert_int_eq(tg_grid_init(&g, 3, 4, err, sizeof(err)), 0);
    for (uint32_t root = 0; root < g.n; root += 5)
        for (uint32_t D = 0; D <= 11; D++) {
            struct tg_enum_result res;
            run(3, 4, root, (struct tg_class){ TG_CLASS_DEPTH, D }, &res);
            uint64_t *hist = calloc(res.nkeys, sizeof(*hist)), trees = 0;
            brute(&g, root, D, &res, hist, &trees);
            ck_assert_msg(res.trees == trees, "root %u D %u: %llu vs brute %llu", root, D,
                          (unsigned long long)res.trees, (unsigned long long)trees);
            ck_assert(memcmp(hist, res.hist, res.nkeys * sizeof(*hist)) == 0);
            free(hist);
            tg_enum_result_release(&res);
        }
}
END_TEST

/* The contraction enumerator and the layered one (depth <= N-1) see the same trees. */
START_TEST(contraction_matches_layered)
{
    static const uint32_t shapes[][2] = { { 2, 3 }, { 3, 3 }, { 3, 4 }, { 2, 6 } };
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        uint32_t n = shapes[i][0] * shapes[i][1];
        for (uint32_t root = 0; root < n; root++) {
            struct tg_enum_result a, b;
            run(shapes[i][0], shapes[i][1], root, (struct tg_class){ TG_CLASS_ANY, 0 }, &a);
            run(shapes[i][0], shapes[i][1], root, (struct tg_class){ TG_CLASS_DEPTH, n - 1 }, &b);
            ck_assert_uint_eq(a.trees, b.trees);
            ck_assert(memcmp(a.hist, b.hist, a.nkeys * sizeof(*a.hist)) == 0);
            ck_assert(a.best == b.best);
            ck_assert_uint_eq(a.min_trees, b.min_trees);
            ck_assert_uint_eq(a.min_orbits, b.min_orbits);
            tg_enum_result_release(&a);
            tg_enum_result_release(&b);
        }
    }
}
END_TEST

START_TEST(minimisers_and_symmetry)
{
    struct tg_enum_result res;
    /* 2x2 from a corner: the two Hamiltonian paths, mirror images of each other */
    run(2, 2, 0, (struct tg_class){ TG_CLASS_ANY, 0 }, &res);
    ck_assert(res.best == 3.0);
    ck_assert_uint_eq(res.min_trees, 2);
    ck_assert_uint_eq(res.min_orbits, 1);
    tg_enum_result_release(&res);
    /* 5x5 shortest-path trees from the centre: 64 minimisers, 4^1 2^4 1^12 0^8 */
    run(5, 5, 12, (struct tg_class){ TG_CLASS_SHORTEST, 0 }, &res);
    ck_assert(res.best == 44.0);
    ck_assert_uint_eq(res.min_trees, 64);
    ck_assert_uint_eq(res.min_orbits, 12);
    char vt[64];
    uint32_t cnt[5];
    tg_key_counts(&res, tg_tree_key(&res, 12, res.reps[0].par), cnt);
    tg_degvec_format(cnt, 5, vt, sizeof(vt));
    ck_assert_str_eq(vt, "4^1 2^4 1^12 0^8");
    tg_enum_result_release(&res);
    struct tg_grid g;
    uint8_t perm[TG_MAX_SYM][TG_MAX_ENUM_NODES];
    char err[64];
    tg_grid_init(&g, 5, 5, err, sizeof(err));
    ck_assert_uint_eq(tg_grid_symmetries(&g, 12, perm), 8);
    ck_assert_uint_eq(tg_grid_symmetries(&g, 0, perm), 2);
    ck_assert_uint_eq(tg_grid_symmetries(&g, 7, perm), 2);
    tg_grid_init(&g, 3, 4, err, sizeof(err));
    ck_assert_uint_eq(tg_grid_symmetries(&g, 5, perm), 2);
}
END_TEST

START_TEST(cap_gives_partial_results)
{
    struct tg_grid g;
    struct tg_fn f = square();
    char err[64];
    tg_grid_init(&g, 4, 4, err, sizeof(err));
    struct tg_enum_cfg cfg = {
        .g = &g, .root = 5, .cls = { TG_CLASS_ANY, 0 }, .f = &f, .cap = 1000
    };
    struct tg_enum_result res;
    ck_assert_int_eq(tg_enum_run(&cfg, &res, err, sizeof(err)), 0);
    ck_assert(res.capped);
    ck_assert_uint_eq(res.trees, 1000);
    tg_enum_result_release(&res);
    cfg.cap = 100352; /* exactly the class: not capped */
    ck_assert_int_eq(tg_enum_run(&cfg, &res, err, sizeof(err)), 0);
    ck_assert(!res.capped);
    tg_enum_result_release(&res);
    cfg.root = 16;
    ck_assert_int_eq(tg_enum_run(&cfg, &res, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "outside"));
}
END_TEST

START_TEST(majorization_verdicts)
{
    /* counts by degree 0..3: A = (3,1,1,1,0,0), B = (2,2,2,0,0,0), C = (1,1,1,1,1,1) */
    const uint32_t A[4] = { 2, 3, 0, 1 }, B[4] = { 3, 0, 3, 0 }, C[4] = { 0, 6, 0, 0 };
    ck_assert(!tg_majorized(A, B, 4) && !tg_majorized(B, A, 4)); /* incomparable */
    ck_assert(tg_majorized(C, A, 4) && tg_majorized(C, B, 4) && !tg_majorized(A, C, 4));
    ck_assert(tg_majorized(A, A, 4));
    const uint32_t D[4] = { 0, 5, 0, 0 }; /* other node count */
    ck_assert(!tg_majorized(D, A, 4));
    uint32_t two[8], three[12];
    memcpy(two, A, sizeof(A));
    memcpy(two + 4, B, sizeof(B));
    struct tg_verdict vd;
    ck_assert_int_eq(tg_majorization_verdict(two, 2, 4, &vd), 0);
    ck_assert_int_eq(vd.universal, -1);
    ck_assert(vd.disjoint); /* hinge:1 prefers A, hinge:2 prefers B */
    ck_assert_str_eq(vd.f1.name, "hinge:1");
    ck_assert_str_eq(vd.f2.name, "hinge:2");
    ck_assert_int_eq(vd.min1, 0);
    ck_assert_int_eq(vd.min2, 1);
    memcpy(three, two, sizeof(two));
    memcpy(three + 8, C, sizeof(C));
    ck_assert_int_eq(tg_majorization_verdict(three, 3, 4, &vd), 0);
    ck_assert_int_eq(vd.universal, 2);
    char buf[64];
    tg_degvec_format(A, 4, buf, sizeof(buf));
    ck_assert_str_eq(buf, "3^1 1^3 0^2");
    struct tg_fn f = square();
    ck_assert(tg_degvec_sumf(&f, A, 4) == 12.0 && tg_degvec_sumf(&f, B, 4) == 12.0);
    ck_assert_int_eq(tg_majorization_verdict(two, 0, 4, &vd), -1);
}
END_TEST

START_TEST(functions)
{
    struct tg_fn f;
    char err[128];
    ck_assert_int_eq(tg_fn_parse("power:2.5", &f, err, sizeof(err)), 0);
    ck_assert(fabs(tg_fn_eval(&f, 4) - 32.0) < 1e-12);
    ck_assert_int_eq(tg_fn_parse("hinge:2", &f, err, sizeof(err)), 0);
    ck_assert(tg_fn_eval(&f, 1) == 0.0 && tg_fn_eval(&f, 4) == 2.0);
    ck_assert_int_eq(tg_fn_parse("cube", &f, err, sizeof(err)), 0);
    ck_assert(tg_fn_eval(&f, 3) == 27.0);
    ck_assert_int_eq(tg_fn_parse("exp", &f, err, sizeof(err)), 0);
    ck_assert(fabs(tg_fn_eval(&f, 1) - exp(1.0)) < 1e-12);
    ck_assert_int_eq(tg_fn_parse("power:0.5", &f, err, sizeof(err)), -1); /* concave */
    ck_assert_int_eq(tg_fn_parse("hinge:", &f, err, sizeof(err)), -1);
    ck_assert_int_eq(tg_fn_parse("log", &f, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "'log'"));
}
END_TEST

static void score_of(enum topo_kind kind, uint32_t n, struct tg_score *s)
{
    struct topo t;
    struct tg_fn f = square();
    char err[256];
    ck_assert_int_eq(topo_build(&t, kind, n, NULL, -1, err, sizeof(err)), 0);
    ck_assert_msg(tg_score(&t, -1, &f, s, err, sizeof(err)) == 0, "%s", err);
    topo_release(&t);
}

START_TEST(strategy_scores)
{
    static const struct {
        enum topo_kind kind;
        enum tg_routing routing;
        double mean, sumf;
        uint64_t min, max;
        uint32_t depth, fanout;
    } want[] = {
        { TOPO_GRID, TG_ROUTE_FLOOD, 56, 268, 56, 56, 4, 4 },
        { TOPO_TREE, TG_ROUTE_ROOTED, 24.8, 52, 24, 25, 4, 4 },
        { TOPO_STAR, TG_ROUTE_ROOTED, 24, 576, 24, 24, 1, 24 },
        { TOPO_FLAT, TG_ROUTE_FLAT, 24, 14400, 24, 24, 1, 24 },
        { TOPO_LINE, TG_ROUTE_FLOOD, 24, 94, 24, 24, 12, 2 },
        { TOPO_TREE2, TG_ROUTE_FLOOD, 24, 116, 24, 24, 4, 3 },
        { TOPO_TREE3, TG_ROUTE_FLOOD, 24, 138, 24, 24, 3, 4 },
        { TOPO_TREE4, TG_ROUTE_FLOOD, 24, 160, 24, 24, 3, 5 },
        { TOPO_TOTAL, TG_ROUTE_FLOOD, 576, 14400, 576, 576, 1, 24 },
        /* 5 hubs (n2 n7 n12 n17 n22), each with 4 peers and 4 leaves: 5 * 8^2; the clique is
         * crossed once, so 24 from every origin; depth from hub n2: its leaves 1, the others 2. */
        { TOPO_HUBS, TG_ROUTE_MESH, 24, 320, 24, 24, 2, 8 },
        /* binary heap from n0: n0..n11 have 2 children (n11: n23, n24); n0 and its children
         * n1, n2 cost 24, deeper origins 25 (n0 sends back down), sending to 2 children and n0. */
        { TOPO_KARY, TG_ROUTE_ROOTED, (3 * 24 + 22 * 25) / 25.0, 48, 24, 25, 4, 3 },
    };
    struct tg_score *s = malloc(sizeof(*s));
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        score_of(want[i].kind, 25, s);
        const char *k = topo_kind_name(want[i].kind);
        ck_assert_msg(s->routing == want[i].routing, "%s routing", k);
        ck_assert_msg(fabs(s->msgs_mean - want[i].mean) < 1e-9, "%s mean %g", k, s->msgs_mean);
        ck_assert_msg(s->sumf == want[i].sumf, "%s sumf %g", k, s->sumf);
        ck_assert_msg(s->msgs_min == want[i].min && s->msgs_max == want[i].max, "%s min/max", k);
        ck_assert_msg(s->depth_max == want[i].depth, "%s depth %u", k, s->depth_max);
        ck_assert_msg(s->fanout == want[i].fanout, "%s fan-out %u", k, s->fanout);
    }
    ck_assert_str_eq(tg_routing_name(TG_ROUTE_MESH), "mesh");
    free(s);
}
END_TEST

/* Hand-built trees: a path and a small rooted tree, scored by hand. */
START_TEST(hand_built_trees)
{
    struct topo t;
    struct tg_fn f = square();
    struct tg_score *s = malloc(sizeof(*s));
    char err[256];
    /* the path a -> b -> c -> d rooted at a */
    topo_init(&t);
    const char *names[] = { "a", "b", "c", "d" };
    for (int k = 0; k < 4; k++)
        topo_add_node(&t, names[k]);
    topo_add_arc(&t, 0, 1);
    topo_add_arc(&t, 1, 2);
    topo_add_arc(&t, 2, 3);
    t.root = 0;
    t.directed = true;
    ck_assert_int_eq(tg_score(&t, -1, &f, s, err, sizeof(err)), 0);
    /* a: 3; b: b->c, b->a, c->d = 3 (a's only child is the peer b);
     * c: c->d, c->a, a->b, b->c (duplicate) = 4; d: d->a, a->b, b->c, c->d (duplicate) = 4 */
    ck_assert_uint_eq(s->msgs_min, 3);
    ck_assert_uint_eq(s->msgs_max, 4);
    ck_assert(fabs(s->msgs_mean - 3.5) < 1e-12);
    ck_assert(s->sumf == 3.0);
    ck_assert_uint_eq(s->depth_max, 3);
    ck_assert(fabs(s->depth_mean - 2.0) < 1e-12);
    char vt[64];
    tg_degvec_format(s->cnt, s->maxdeg + 1, vt, sizeof(vt));
    ck_assert_str_eq(vt, "1^3 0^1");
    /* cut the path: d can no longer be reached, and the error names it */
    t.nodes[2].deg = 0;
    ck_assert_int_eq(tg_score(&t, -1, &f, s, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "d cannot be reached from a"));
    topo_release(&t);
    /* a grid tree drawn back from parent pointers scores like the strategy it came from */
    struct topo centred, back;
    ck_assert_int_eq(topo_build(&centred, TOPO_TREE, 25, NULL, -1, err, sizeof(err)), 0);
    uint8_t par[25];
    par[12] = 12;
    for (uint32_t v = 0; v < 25; v++)
        for (uint32_t k = 0; k < centred.nodes[v].deg; k++)
            par[centred.nodes[v].adj[k]] = (uint8_t)v;
    ck_assert_int_eq(tg_tree_topo(&back, 5, 5, 12, par), 0);
    ck_assert_int_eq(topo_arborescence_root(&back), 12);
    ck_assert_int_eq(tg_score(&back, -1, &f, s, err, sizeof(err)), 0);
    ck_assert(s->sumf == 52.0 && fabs(s->msgs_mean - 24.8) < 1e-12);
    topo_release(&centred);
    topo_release(&back);
    free(s);
}
END_TEST

static Suite *topogen_suite(void)
{
    Suite *s = suite_create("topogen");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, spanning_tree_counts);
    tcase_add_test(tc, shortest_counts);
    tcase_add_test(tc, depth_classes_against_brute_force);
    tcase_add_test(tc, contraction_matches_layered);
    tcase_add_test(tc, minimisers_and_symmetry);
    tcase_add_test(tc, cap_gives_partial_results);
    tcase_add_test(tc, majorization_verdicts);
    tcase_add_test(tc, functions);
    tcase_add_test(tc, strategy_scores);
    tcase_add_test(tc, hand_built_trees);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(topogen_suite());
}
