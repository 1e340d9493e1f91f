/*
 * check_topo: proves topo builds Maelstrom's topologies exactly as Maelstrom does (every vector
 * of tests/fixtures/maelstrom/topologies.txt, neighbour order included), that our tree and star
 * strategies are arborescences with the documented shape for every n and root, and that topology
 * JSON survives a save/load round trip.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_run.h"
#include "topo.h"
#include "topo_json.h"

/* --- a tiny reader for the fixture's EDN-like maps: {"n0" ["n1" "n2"], "n1" []} --- */

struct edn_entry {
    char key[GL_ID_MAX];
    char vals[GL_MAX_NODES][GL_ID_MAX];
    uint32_t nvals;
};

/* Reads one quoted string at *p into out; returns 0 or -1. */
static int edn_string(const char **p, char *out)
{
    if (**p != '"') return -1;
    const char *q = strchr(*p + 1, '"');
    if (!q || q - *p - 1 >= GL_ID_MAX) return -1;
    memcpy(out, *p + 1, (size_t)(q - *p - 1));
    out[q - *p - 1] = '\0';
    *p = q + 1;
    return 0;
}

static void edn_skip(const char **p)
{
    while (**p == ' ' || **p == ',' || **p == '\n')
        (*p)++;
}

/* Parses the map into entries (caller-allocated, cap entries); returns the count or -1. */
static int edn_map(const char *p, struct edn_entry *e, int cap)
{
    int n = 0;
    edn_skip(&p);
    if (*p++ != '{') return -1;
    for (;;) {
        edn_skip(&p);
        if (*p == '}') return n;
        if (n == cap || edn_string(&p, e[n].key) != 0) return -1;
        edn_skip(&p);
        if (*p++ != '[') return -1;
        e[n].nvals = 0;
        for (;;) {
            edn_skip(&p);
            if (*p == ']') break;
            if (edn_string(&p, e[n].vals[e[n].nvals++]) != 0) return -1;
        }
        p++;
        n++;
    }
}

/* Structural comparison: listed nodes in order are the map's keys, adjacency equal by name. */
static void assert_same(const struct topo *t, const struct edn_entry *e, int ne, const char *what)
{
    int k = 0;
    for (uint32_t v = 0; v < t->n; v++) {
        const struct topo_node *nd = &t->nodes[v];
        if (!nd->listed) continue;
        ck_assert_msg(k < ne, "%s: extra node %s", what, nd->name);
        ck_assert_msg(strcmp(e[k].key, nd->name) == 0, "%s: key %s vs %s", what, e[k].key,
                      nd->name);
        ck_assert_msg(e[k].nvals == nd->deg, "%s %s: %u neighbours, want %u", what, nd->name,
                      nd->deg, e[k].nvals);
        for (uint32_t j = 0; j < nd->deg; j++)
            ck_assert_msg(strcmp(e[k].vals[j], t->nodes[nd->adj[j]].name) == 0,
                          "%s %s[%u]: %s, want %s", what, nd->name, j, t->nodes[nd->adj[j]].name,
                          e[k].vals[j]);
        k++;
    }
    ck_assert_msg(k == ne, "%s: %d listed nodes, want %d", what, k, ne);
}

START_TEST(maelstrom_fixture_vectors)
{
    FILE *f = fopen(GL_SOURCE_DIR "/tests/fixtures/maelstrom/topologies.txt", "r");
    ck_assert_ptr_nonnull(f);
    static char line[1 << 16];
    enum { CAP = 64 };
    struct edn_entry *e = malloc(CAP * sizeof(*e));
    ck_assert_ptr_nonnull(e);
    int vectors = 0;
    while (fgets(line, sizeof(line), f)) {
        char kind_name[16];
        unsigned n;
        int off = 0;
        if (sscanf(line, "%15s %u %n", kind_name, &n, &off) != 2) continue;
        enum topo_kind kind;
        ck_assert_int_eq(topo_kind_parse(kind_name, &kind), 0);
        int ne = edn_map(line + off, e, CAP);
        ck_assert_msg(ne >= 0, "unparsable vector: %s", line);
        struct topo t;
        char err[128];
        ck_assert_int_eq(topo_build(&t, kind, n, NULL, -1, err, sizeof(err)), 0);
        char what[64];
        snprintf(what, sizeof(what), "%s %u", kind_name, n);
        assert_same(&t, e, ne, what);
        ck_assert(!t.directed);
        ck_assert_int_eq(t.root, -1);
        topo_release(&t);
        vectors++;
    }
    fclose(f);
    free(e);
    ck_assert_int_ge(vectors, 40);
}
END_TEST

START_TEST(kind_names_round_trip)
{
    for (int k = TOPO_GRID; k < TOPO_CUSTOM; k++) {
        enum topo_kind out;
        ck_assert_int_eq(topo_kind_parse(topo_kind_name((enum topo_kind)k), &out), 0);
        ck_assert_int_eq(out, k);
    }
    enum topo_kind out;
    ck_assert_int_eq(topo_kind_parse("custom", &out), -1);
    ck_assert_int_eq(topo_kind_parse("maelstrom", &out), -1);
    ck_assert_ptr_null(topo_kind_name((enum topo_kind)99));
}
END_TEST

START_TEST(centre_and_side)
{
    ck_assert_uint_eq(topo_grid_side(1), 1);
    ck_assert_uint_eq(topo_grid_side(24), 5);
    ck_assert_uint_eq(topo_grid_side(25), 5);
    ck_assert_uint_eq(topo_grid_side(26), 6);
    ck_assert_int_eq(topo_centre(25), 12);
    ck_assert_int_eq(topo_centre(1), 0);
    ck_assert_int_eq(topo_centre(2), 0);
    ck_assert_int_eq(topo_centre(10), 5);
    for (uint32_t n = 1; n <= GL_MAX_NODES; n++)
        ck_assert_int_lt(topo_centre(n), (int32_t)n);
}
END_TEST

/* The 5x5 centred tree of design.md, child lists in order. */
START_TEST(centred_tree_25)
{
    static const char *const want[25] = {
        [12] = "7 17 11 13", [7] = "2 6 8", [17] = "22 16 18", [2] = "1 3", [22] = "21 23",
        [6] = "5",           [8] = "9",     [11] = "10",       [13] = "14", [16] = "15",
        [18] = "19",         [1] = "0",     [3] = "4",         [21] = "20", [23] = "24",
    };
    struct topo t;
    char err[128];
    ck_assert_int_eq(topo_build(&t, TOPO_TREE, 25, NULL, -1, err, sizeof(err)), 0);
    ck_assert(t.directed);
    ck_assert_int_eq(t.root, 12);
    ck_assert_int_eq(topo_arborescence_root(&t), 12);
    for (uint32_t v = 0; v < 25; v++) {
        char got[64] = "";
        for (uint32_t k = 0; k < t.nodes[v].deg; k++)
            snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%u", k ? " " : "",
                     t.nodes[v].adj[k]);
        ck_assert_str_eq(got, want[v] ? want[v] : "");
    }
    topo_release(&t);
}
END_TEST

/* Depth of every node from the root, by BFS along arcs; -1 when unreachable. */
static void depths(const struct topo *t, int32_t *depth)
{
    uint32_t q[GL_MAX_NODES], head = 0, tail = 0;
    for (uint32_t v = 0; v < t->n; v++)
        depth[v] = -1;
    depth[t->root] = 0;
    q[tail++] = (uint32_t)t->root;
    while (head < tail) {
        uint32_t v = q[head++];
        for (uint32_t k = 0; k < t->nodes[v].deg; k++) {
            uint32_t w = t->nodes[v].adj[k];
            if (depth[w] < 0) {
                depth[w] = depth[v] + 1;
                q[tail++] = w;
            }
        }
    }
}

/* For every n and every root: an arborescence along grid edges; nodes whose row has a spine
 * cell sit at their grid distance from the root. */
START_TEST(centred_tree_any_n_any_root)
{
    uint32_t n = (uint32_t)_i;
    uint32_t side = topo_grid_side(n);
    for (int32_t root = -1; root < (int32_t)n; root++) {
        struct topo t;
        char err[128];
        ck_assert_int_eq(topo_build(&t, TOPO_TREE, n, NULL, root, err, sizeof(err)), 0);
        int32_t r = root < 0 ? topo_centre(n) : root;
        ck_assert_int_eq(topo_arborescence_root(&t), r);
        int32_t depth[GL_MAX_NODES];
        depths(&t, depth);
        uint32_t r0 = (uint32_t)r / side, c0 = (uint32_t)r % side;
        for (uint32_t v = 0; v < n; v++) {
            for (uint32_t k = 0; k < t.nodes[v].deg; k++) {
                uint32_t w = t.nodes[v].adj[k], d = v > w ? v - w : w - v;
                ck_assert(d == side || (d == 1 && v / side == w / side));
            }
            uint32_t r1 = v / side, c1 = v % side;
            uint32_t dist = (r1 > r0 ? r1 - r0 : r0 - r1) + (c1 > c0 ? c1 - c0 : c0 - c1);
            if (r1 * side + c0 < n) ck_assert_int_eq(depth[v], (int32_t)dist);
        }
        topo_release(&t);
    }
}
END_TEST

START_TEST(star_and_flat)
{
    struct topo t;
    char err[128];
    ck_assert_int_eq(topo_build(&t, TOPO_STAR, 25, NULL, -1, err, sizeof(err)), 0);
    ck_assert_int_eq(t.root, 12);
    ck_assert(t.directed);
    ck_assert_uint_eq(t.nodes[12].deg, 24);
    ck_assert_int_eq(topo_arborescence_root(&t), 12);
    topo_release(&t);
    ck_assert_int_eq(topo_build(&t, TOPO_STAR, 5, NULL, 3, err, sizeof(err)), 0);
    ck_assert_int_eq(t.root, 3);
    ck_assert_uint_eq(t.nodes[3].adj[0], 0);
    ck_assert_uint_eq(t.nodes[3].adj[3], 4);
    topo_release(&t);
    ck_assert_int_eq(topo_build(&t, TOPO_FLAT, 4, NULL, -1, err, sizeof(err)), 0);
    ck_assert_int_eq(t.root, -1);
    for (uint32_t v = 0; v < 4; v++)
        ck_assert_uint_eq(t.nodes[v].deg, 3);
    ck_assert_int_eq(topo_arborescence_root(&t), -1);
    topo_release(&t);
}
END_TEST

START_TEST(bad_arguments)
{
    struct topo t;
    char err[128];
    ck_assert_int_eq(topo_build(&t, TOPO_GRID, 0, NULL, -1, err, sizeof(err)), -1);
    ck_assert_int_eq(topo_build(&t, TOPO_GRID, GL_MAX_NODES + 1, NULL, -1, err, sizeof(err)), -1);
    ck_assert_int_eq(topo_build(&t, TOPO_TREE, 5, NULL, 5, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "root"));
    ck_assert_int_eq(topo_build(&t, TOPO_CUSTOM, 5, NULL, -1, err, sizeof(err)), -1);
    const char names[2][GL_ID_MAX] = { "a", "a" };
    ck_assert_int_eq(topo_build(&t, TOPO_GRID, 2, names, -1, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "'a'"));
    topo_init(&t);
    ck_assert_int_eq(topo_add_node(&t, "x"), 0);
    ck_assert_int_eq(topo_add_node(&t, "x"), -1);
    ck_assert_int_eq(topo_add_node(&t, ""), -1);
    ck_assert_int_eq(topo_add_arc(&t, 0, 1), -1);
    ck_assert_int_eq(topo_find(&t, "x"), 0);
    ck_assert_int_eq(topo_find(&t, "y"), -1);
    topo_release(&t);
}
END_TEST

START_TEST(arborescence_detection)
{
    struct topo t;
    topo_init(&t);
    for (int k = 0; k < 4; k++) {
        char name[16];
        snprintf(name, sizeof(name), "v%d", k);
        ck_assert_int_eq(topo_add_node(&t, name), k);
    }
    ck_assert_int_eq(topo_arborescence_root(&t), -1); /* four roots */
    topo_add_arc(&t, 2, 0);
    topo_add_arc(&t, 0, 1);
    topo_add_arc(&t, 0, 3);
    ck_assert_int_eq(topo_arborescence_root(&t), 2);
    topo_add_arc(&t, 1, 3); /* 3 entered twice */
    ck_assert_int_eq(topo_arborescence_root(&t), -1);
    topo_release(&t);
    /* a cycle plus an isolated root: in-degrees fine, not all reachable */
    topo_init(&t);
    topo_add_node(&t, "a");
    topo_add_node(&t, "b");
    topo_add_node(&t, "c");
    topo_add_arc(&t, 1, 2);
    topo_add_arc(&t, 2, 1);
    ck_assert_int_eq(topo_arborescence_root(&t), -1);
    topo_release(&t);
}
END_TEST

START_TEST(json_round_trip)
{
    char path[] = "/tmp/check_topo_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    char err[256];
    for (int kind = TOPO_GRID; kind < TOPO_CUSTOM; kind++) {
        struct topo a, b;
        ck_assert_int_eq(topo_build(&a, (enum topo_kind)kind, 25, NULL, -1, err, sizeof(err)), 0);
        ck_assert_int_eq(topo_save_json(&a, path, err, sizeof(err)), 0);
        ck_assert_msg(topo_load_json(&b, path, err, sizeof(err)) == 0, "%s", err);
        ck_assert_uint_eq(a.n, b.n);
        for (uint32_t v = 0; v < a.n; v++) {
            ck_assert_str_eq(a.nodes[v].name, b.nodes[v].name);
            ck_assert_uint_eq(a.nodes[v].deg, b.nodes[v].deg);
            for (uint32_t k = 0; k < a.nodes[v].deg; k++)
                ck_assert_uint_eq(a.nodes[v].adj[k], b.nodes[v].adj[k]);
        }
        /* A file is rooted when it holds an arborescence; hubs (mutual hub arcs) is not one. */
        ck_assert_int_eq(b.root, a.directed ? a.root : -1);
        ck_assert(b.directed == (a.directed && a.root >= 0));
        topo_release(&a);
        topo_release(&b);
    }
    FILE *f = fopen(path, "w");
    fputs("{\"n0\": [\"n1\"", f);
    fclose(f);
    struct topo c;
    ck_assert_int_eq(topo_load_json(&c, path, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, path));
    unlink(path);
    ck_assert_int_eq(topo_load_json(&c, path, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, ": No such file or directory"));
}
END_TEST

static Suite *topo_suite(void)
{
    Suite *s = suite_create("topo");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, maelstrom_fixture_vectors);
    tcase_add_test(tc, kind_names_round_trip);
    tcase_add_test(tc, centre_and_side);
    tcase_add_test(tc, centred_tree_25);
    tcase_add_loop_test(tc, centred_tree_any_n_any_root, 1, 60);
    tcase_add_test(tc, star_and_flat);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, arborescence_detection);
    tcase_add_test(tc, json_round_trip);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(topo_suite());
}
