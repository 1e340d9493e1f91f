/*
 * check_route: proves the route seam (common/route.c) gives every strategy the documented
 * out-links, roles and relay rule: the exact tables of a flood, a rooted tree, a star, flat,
 * hubs and kary node of 25; that a value reaches every node exactly once per needed hop from
 * every origin of every built-in strategy and several cluster sizes (simulated over the route
 * tables alone); the hubs and kary topologies' shapes; and names outside the cluster are skipped.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "route.h"
#include "topo.h"

#define N 25

static struct topo build(enum topo_kind kind, uint32_t n, uint32_t k)
{
    struct topo t;
    char err[256];
    ck_assert_msg(topo_build_k(&t, kind, n, NULL, -1, k, err, sizeof err) == 0, "%s", err);
    return t;
}

/* self's routes over a built topology, as the node builds them. */
static struct route routes(const struct topo *t, uint32_t self)
{
    struct route r;
    route_init(&r);
    if (t->kind == TOPO_FLAT)
        ck_assert_int_eq(route_build_flat(&r, t->n, self), 0);
    else
        ck_assert_int_eq(
            route_build(&r, t, route_shape_of(t), t->root, (int32_t)self, NULL, t->n, self), 0);
    return r;
}

/* The links of r as "n7:down n2:up ..." for exact comparison. */
static void describe(const struct route *r, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (uint32_t l = 0; l < r->n_links; l++) {
        uint32_t p = r->links[l];
        int w = snprintf(buf + used, len - used, "%sn%u:%s", l ? " " : "", p,
                         route_role_name((enum route_role)r->role[p]));
        ck_assert(w > 0 && (size_t)w < len - used);
        used += (size_t)w;
    }
}

static void targets(const struct route *r, int32_t from, char *buf, size_t len)
{
    uint32_t out[GL_MAX_NODES];
    size_t k = from == -2 ? route_client(r, out) : route_relay(r, from, out);
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < k; i++) {
        int w = snprintf(buf + used, len - used, "%sn%u", i ? " " : "", out[i]);
        ck_assert(w > 0 && (size_t)w < len - used);
        used += (size_t)w;
    }
}

#define CLIENT (-2)

static void expect(enum topo_kind kind, uint32_t k, uint32_t self, const char *links, int32_t from,
                   const char *relay, uint32_t depth)
{
    struct topo t = build(kind, N, k);
    struct route r = routes(&t, self);
    char buf[1024], client[1024];
    describe(&r, buf, sizeof buf);
    if (links)
        ck_assert_msg(strcmp(buf, links) == 0, "%s n%u links: '%s', expected '%s'",
                      topo_kind_name(kind), self, buf, links);
    targets(&r, CLIENT, client, sizeof client); /* a client value: every link, in order */
    for (char *p = buf; *p; p++)                /* "n7:down n2:up" -> "n7 n2" */
        if (*p == ':') memmove(p, p + strcspn(p, " "), strlen(p + strcspn(p, " ")) + 1);
    ck_assert_str_eq(client, buf);
    ck_assert_uint_eq(r.depth, depth);
    if (relay) {
        targets(&r, from, buf, sizeof buf);
        ck_assert_msg(strcmp(buf, relay) == 0, "%s n%u relay from n%d: '%s', expected '%s'",
                      topo_kind_name(kind), self, from, buf, relay);
    }
    route_release(&r);
    topo_release(&t);
}

START_TEST(tables_per_strategy)
{
    /* grid (flood): the neighbours in Maelstrom's order, all flood; relay skips the sender. */
    expect(TOPO_GRID, 0, 12, "n17:flood n7:flood n13:flood n11:flood", 7, "n17 n13 n11", 0);
    /* centred tree: children down, the root up; a peer's value goes to the children only. */
    expect(TOPO_TREE, 0, 7, "n2:down n6:down n8:down n12:up", 12, "n2 n6 n8", 1);
    expect(TOPO_TREE, 0, 1, "n0:down n12:up", 2, "n0", 3);
    expect(TOPO_TREE, 0, 12, "n7:down n17:down n11:down n13:down", 7, "n17 n11 n13", 0);
    /* star: the hub's leaves down; a leaf has only its hub, up, and relays nothing. */
    expect(TOPO_STAR, 0, 3, "n12:up", 12, "", 1);
    /* flat: everyone peer; a client value goes to all 24, a peer's value nowhere. */
    expect(TOPO_FLAT, 0, 0, NULL, 3, "", 0);
    /* hubs (5): hub n12 has the other hubs as peers, its block's leaves down; its own leaf's
     * value goes to the other hubs and the other leaves, another hub's to its leaves only. */
    expect(TOPO_HUBS, 5, 12,
           "n2:peer n7:peer n17:peer n22:peer n10:down n11:down n13:down n14:down", 11,
           "n2 n7 n17 n22 n10 n13 n14", 0);
    expect(TOPO_HUBS, 5, 12,
           "n2:peer n7:peer n17:peer n22:peer n10:down n11:down n13:down n14:down", 7,
           "n10 n11 n13 n14", 0);
    expect(TOPO_HUBS, 5, 11, "n12:up", 12, "", 1);
    /* kary (2) from n0: heap layout, children down, the root up. */
    expect(TOPO_KARY, 2, 1, "n3:down n4:down n0:up", 0, "n3 n4", 1);
    expect(TOPO_KARY, 2, 9, "n19:down n20:down n0:up", 4, "n19 n20", 3);
}
END_TEST

START_TEST(flat_links_and_roles)
{
    struct route r;
    route_init(&r);
    ck_assert_int_eq(route_build_flat(&r, N, 5), 0);
    ck_assert_uint_eq(r.n_links, N - 1);
    ck_assert_int_eq(r.role[5], ROLE_NONE);
    uint32_t out[N];
    ck_assert_uint_eq(route_client(&r, out), N - 1);
    ck_assert_uint_eq(route_relay(&r, 3, out), 0);
    ck_assert_uint_eq(route_relay(&r, -1, out), N - 1); /* an outsider is not a peer */
    route_release(&r);
}
END_TEST

START_TEST(relay_rule)
{
    /* link role x sender's role: down and flood always; peer unless from a peer; up never. */
    const enum route_role roles[] = { ROLE_NONE, ROLE_UP, ROLE_DOWN, ROLE_PEER, ROLE_FLOOD };
    for (size_t i = 0; i < 5; i++) {
        for (size_t j = 0; j < 5; j++) {
            enum route_role link = roles[i], from = roles[j];
            bool want =
                link == ROLE_DOWN || link == ROLE_FLOOD || (link == ROLE_PEER && from != ROLE_PEER);
            ck_assert_msg(route_relays(link, from) == want, "%s from %s", route_role_name(link),
                          route_role_name(from));
        }
    }
}
END_TEST

/*
 * One client broadcast at origin, delivered hop by hop in FIFO order over the route tables of
 * every node: every node gets the value; returns the messages sent.
 */
static unsigned spread(struct route *r, uint32_t n, uint32_t origin)
{
    static uint32_t qn[1 << 16], qf[1 << 16];
    bool seen[GL_MAX_NODES] = { false };
    uint32_t out[GL_MAX_NODES];
    size_t head = 0, tail = 0;
    seen[origin] = true;
    size_t k = route_client(&r[origin], out);
    for (size_t i = 0; i < k; i++)
        qn[tail] = out[i], qf[tail++] = origin;
    while (head < tail) {
        uint32_t w = qn[head], v = qf[head++];
        if (seen[w]) continue;
        seen[w] = true;
        k = route_relay(&r[w], (int32_t)v, out);
        for (size_t i = 0; i < k; i++) {
            ck_assert_uint_lt(tail, sizeof qn / sizeof qn[0]);
            qn[tail] = out[i], qf[tail++] = w;
        }
    }
    for (uint32_t v = 0; v < n; v++)
        ck_assert_msg(seen[v], "n%u not reached from n%u", v, origin);
    return (unsigned)tail;
}

/* Every strategy reaches every node from every origin, at the documented cost. */
START_TEST(every_strategy_reaches_everyone)
{
    const uint32_t sizes[] = { 1, 2, 3, 7, 10, 25, 30 };
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        uint32_t n = sizes[si];
        for (int kind = TOPO_GRID; kind < TOPO_CUSTOM; kind++) {
            struct topo t = build((enum topo_kind)kind, n, 0);
            struct route *r = calloc(n, sizeof *r);
            for (uint32_t v = 0; v < n; v++)
                r[v] = routes(&t, v);
            for (uint32_t x = 0; x < n; x++) {
                unsigned msgs = spread(r, n, x);
                /* star, flat, hubs: one message per node that needs the value, plus the hubs'
                 * clique crossing once (K - 1 extra per hub-to-hub hop, already counted). */
                if (kind == TOPO_STAR || kind == TOPO_FLAT) ck_assert_uint_eq(msgs, n - 1);
                if (kind == TOPO_HUBS) ck_assert_uint_eq(msgs, n - 1);
                if (kind == TOPO_KARY) ck_assert_uint_le(msgs, n); /* N-1, or N from deep */
            }
            for (uint32_t v = 0; v < n; v++)
                route_release(&r[v]);
            free(r);
            topo_release(&t);
        }
    }
}
END_TEST

START_TEST(hubs_shape)
{
    /* 25 nodes, 5 hubs: blocks of 5, hubs the middles n2 n7 n12 n17 n22. */
    for (uint32_t i = 0; i < 25; i++)
        ck_assert_uint_eq(topo_hub_of(25, 5, i), (i / 5) * 5 + 2);
    /* 10 nodes, 3 hubs: blocks [0,3) [3,6) [6,10): hubs n1 n4 n7. */
    const uint32_t want[10] = { 1, 1, 1, 4, 4, 4, 7, 7, 7, 7 };
    for (uint32_t i = 0; i < 10; i++)
        ck_assert_uint_eq(topo_hub_of(10, 3, i), want[i]);
    struct topo t = build(TOPO_HUBS, 10, 3);
    ck_assert(t.directed);
    ck_assert_int_eq(t.root, -1);
    ck_assert_uint_eq(t.nodes[1].deg, 2 + 2); /* n4 n7, then n0 n2 */
    ck_assert_uint_eq(t.nodes[7].deg, 2 + 3);
    ck_assert_uint_eq(t.nodes[0].deg, 0);
    topo_release(&t);
    /* One hub of 25 is the star on n12. */
    ck_assert_uint_eq(topo_hub_of(25, 1, 0), 12);
    ck_assert_uint_eq(topo_default_k(TOPO_HUBS, 25), 5);
    char err[256];
    ck_assert_int_eq(topo_build_k(&t, TOPO_HUBS, 4, NULL, -1, 5, err, sizeof err), -1);
    ck_assert_str_eq(err, "hubs of 4 nodes: hubs 5 out of range 1..4");
}
END_TEST

START_TEST(kary_shape)
{
    struct topo t = build(TOPO_KARY, 10, 3);
    ck_assert(t.directed);
    ck_assert_int_eq(t.root, 0);
    ck_assert_int_eq(topo_arborescence_root(&t), 0);
    ck_assert_uint_eq(t.nodes[0].deg, 3); /* n1 n2 n3 */
    ck_assert_uint_eq(t.nodes[2].deg, 3); /* n7 n8 n9 */
    ck_assert_uint_eq(t.nodes[3].deg, 0);
    topo_release(&t);
    /* A root rotates the layout: rooted at n4 of 5 with fan-out 2, n4 -> n0 n1, n0 -> n2 n3. */
    char err[256];
    ck_assert_int_eq(topo_build_k(&t, TOPO_KARY, 5, NULL, 4, 2, err, sizeof err), 0);
    ck_assert_int_eq(topo_arborescence_root(&t), 4);
    ck_assert_uint_eq(t.nodes[4].deg, 2);
    ck_assert_uint_eq(t.nodes[4].adj[0], 0);
    ck_assert_uint_eq(t.nodes[4].adj[1], 1);
    ck_assert_uint_eq(t.nodes[0].adj[0], 2);
    ck_assert_uint_eq(t.nodes[0].adj[1], 3);
    topo_release(&t);
    ck_assert_uint_eq(topo_default_k(TOPO_KARY, 25), 2);
}
END_TEST

/* A map naming nodes outside the cluster: those get no link; self absent: no links at all. */
START_TEST(names_outside_the_cluster)
{
    struct topo t;
    topo_init(&t);
    ck_assert_int_eq(topo_add_node(&t, "n0"), 0);
    ck_assert_int_eq(topo_add_node(&t, "x9"), 1);
    ck_assert_int_eq(topo_add_node(&t, "n1"), 2);
    ck_assert_int_eq(topo_add_arc(&t, 0, 1), 0);
    ck_assert_int_eq(topo_add_arc(&t, 0, 2), 0);
    const int32_t map[3] = { 0, -1, 1 }; /* cluster: n0, n1 */
    struct route r;
    route_init(&r);
    ck_assert_int_eq(route_build(&r, &t, ROUTE_SHAPE_FLOOD, -1, 0, map, 2, 0), 0);
    ck_assert_uint_eq(r.n_links, 1);
    ck_assert_uint_eq(r.links[0], 1);
    /* n1 is listed by n0 only: undirected, so n1 floods back to n0. */
    ck_assert_int_eq(route_build(&r, &t, ROUTE_SHAPE_FLOOD, -1, 2, map, 2, 1), 0);
    ck_assert_uint_eq(r.n_links, 1);
    ck_assert_uint_eq(r.links[0], 0);
    ck_assert_int_eq(route_build(&r, &t, ROUTE_SHAPE_FLOOD, -1, -1, map, 2, 1), 0);
    ck_assert_uint_eq(r.n_links, 0);
    route_release(&r);
    topo_release(&t);
}
END_TEST

static Suite *route_suite(void)
{
    Suite *s = suite_create("route");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, tables_per_strategy);
    tcase_add_test(tc, flat_links_and_roles);
    tcase_add_test(tc, relay_rule);
    tcase_add_test(tc, every_strategy_reaches_everyone);
    tcase_add_test(tc, hubs_shape);
    tcase_add_test(tc, kary_shape);
    tcase_add_test(tc, names_outside_the_cluster);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(route_suite());
}
