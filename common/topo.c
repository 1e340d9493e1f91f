/*
 * topo: topology graphs and the strategies that build them (see topo.h). Pure: no IO (files
 * are topo_json.c's), no clock.
 *
 * Maelstrom's built-ins follow spec §2.2 to the neighbour order, because the node's flood order
 * and the fixtures (tests/fixtures/maelstrom/topologies.txt) depend on it.
 *
 * The centred spanning tree (TOPO_TREE), for any n. Lay the nodes out as Maelstrom's grid does:
 * side = ceil(sqrt n), node i at row i/side, column i%side; the last row may be short. The root
 * (default topo_centre(n)) sits at (r0, c0). Column c0 is the spine:
 *   - the spine runs from the root away from it, up (r0-1, r0-2, ...) and down (r0+1, ...);
 *   - every spine node (r, c0) feeds its row outwards: (r, c0-1) -> (r, c0-2) -> ... and
 *     (r, c0+1) -> (r, c0+2) -> ...;
 *   - a row whose spine cell does not exist (only the short last row can lack it) hangs off the
 *     node above its cell nearest the spine column, i.e. its last cell (r, cl) is the child of
 *     (r-1, cl), and feeds outwards (leftwards) from there.
 * Every node therefore reaches the root along a shortest grid path when the spine cell of its
 * row exists, and children are listed in direction order up, down, left, right (n12 -> n7, n17,
 * n11, n13 for 25 nodes).
 */
#include "topo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "rng.h"
#include "strbuf.h"

#include "banned.h"

static const char *const kind_names[] = {
    [TOPO_GRID] = "grid",   [TOPO_LINE] = "line",   [TOPO_TREE2] = "tree2",
    [TOPO_TREE3] = "tree3", [TOPO_TREE4] = "tree4", [TOPO_TOTAL] = "total",
    [TOPO_TREE] = "tree",   [TOPO_STAR] = "star",   [TOPO_FLAT] = "flat",
    [TOPO_HUBS] = "hubs",   [TOPO_KARY] = "kary",   [TOPO_CUSTOM] = "custom",
};

const char *topo_kind_name(enum topo_kind k)
{
    if ((unsigned)k >= sizeof(kind_names) / sizeof(kind_names[0])) return NULL;
    return kind_names[k];
}

int topo_kind_parse(const char *name, enum topo_kind *out)
{
    for (unsigned k = 0; k < TOPO_CUSTOM; k++) {
        if (strcmp(name, kind_names[k]) == 0) {
            *out = (enum topo_kind)k;
            return 0;
        }
    }
    return -1;
}

void topo_init(struct topo *t)
{
    memset(t, 0, sizeof(*t));
    t->root = -1;
    t->kind = TOPO_CUSTOM;
}

void topo_release(struct topo *t)
{
    for (uint32_t i = 0; i < t->n; i++)
        free(t->nodes[i].adj);
    free(t->nodes);
    free(t->index);
    topo_init(t);
}

/* The index slot holding name, or the empty slot where it would go. */
static uint32_t index_slot(const struct topo *t, const char *name)
{
    uint32_t mask = t->index_cap - 1, i = (uint32_t)rng_hash_str(name) & mask;
    while (t->index[i] && strcmp(t->nodes[t->index[i] - 1].name, name) != 0)
        i = (i + 1) & mask;
    return i;
}

/* Keeps the index at most half full, so lookups stay O(1) (a 500-node cluster builds its
 * topology once per node: a linear scan made that cubic). */
static int index_grow(struct topo *t)
{
    if ((uint64_t)2 * (t->n + 1) <= t->index_cap) return 0;
    uint32_t cap = t->index_cap ? 2 * t->index_cap : 32;
    uint32_t *old = t->index;
    t->index = calloc(cap, sizeof(*t->index));
    if (!t->index) {
        t->index = old;
        return -1;
    }
    t->index_cap = cap;
    free(old);
    for (uint32_t k = 0; k < t->n; k++)
        t->index[index_slot(t, t->nodes[k].name)] = k + 1;
    return 0;
}

int32_t topo_find(const struct topo *t, const char *name)
{
    if (!t->index_cap) return -1;
    uint32_t v = t->index[index_slot(t, name)];
    return v ? (int32_t)(v - 1) : -1;
}

int32_t topo_add_node(struct topo *t, const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len >= GL_ID_MAX || t->n >= GL_MAX_NODES || topo_find(t, name) >= 0) return -1;
    if (index_grow(t) != 0) return -1;
    if (GL_GROW(t->nodes, t->n + 1, t->cap) != 0) return -1;
    struct topo_node *nd = &t->nodes[t->n];
    memset(nd, 0, sizeof(*nd));
    memcpy(nd->name, name, len + 1);
    nd->listed = true;
    t->index[index_slot(t, name)] = t->n + 1;
    return (int32_t)t->n++;
}

int topo_add_arc(struct topo *t, uint32_t from, uint32_t to)
{
    if (from >= t->n || to >= t->n) return -1;
    struct topo_node *nd = &t->nodes[from];
    if (GL_GROW(nd->adj, nd->deg + 1, nd->cap) != 0) return -1;
    nd->adj[nd->deg++] = to;
    return 0;
}

uint32_t topo_grid_side(uint32_t n)
{
    uint32_t s = 0;
    while ((uint64_t)s * s < n)
        s++;
    return s;
}

int32_t topo_centre(uint32_t n)
{
    if (n == 0) return -1;
    uint32_t side = topo_grid_side(n);
    uint32_t rows = (n + side - 1) / side;
    uint32_t i = ((rows - 1) / 2) * side + (side - 1) / 2;
    return (int32_t)(i < n ? i : n - 1);
}

/* Adds an arc, or records the failure in *rc (memory is the only way it can fail here). */
static void arc(struct topo *t, uint32_t from, uint32_t to, int *rc)
{
    if (topo_add_arc(t, from, to) != 0) *rc = -1;
}

/* Maelstrom's grid: neighbours (i+1,j), (i-1,j), (i,j+1), (i,j-1), whichever exist. */
static int build_grid(struct topo *t)
{
    uint32_t n = t->n, side = topo_grid_side(n);
    int rc = 0;
    for (uint32_t v = 0; v < n; v++) {
        uint32_t i = v / side, j = v % side;
        if (v + side < n) arc(t, v, v + side, &rc);
        if (i > 0) arc(t, v, v - side, &rc);
        if (j + 1 < side && v + 1 < n) arc(t, v, v + 1, &rc);
        if (j > 0) arc(t, v, v - 1, &rc);
    }
    return rc;
}

/* Maelstrom's line; one node gives the empty map, so that node is not listed. */
static int build_line(struct topo *t)
{
    uint32_t n = t->n;
    int rc = 0;
    if (n == 1) t->nodes[0].listed = false;
    for (uint32_t v = 0; n > 1 && v < n; v++) {
        if (v > 0) arc(t, v, v - 1, &rc);
        if (v + 1 < n) arc(t, v, v + 1, &rc);
    }
    return rc;
}

/* Maelstrom's tree-topology: tiers 1, b, b^2, ... which is the heap layout: children of v are
 * b*v+1 .. b*v+b; each node lists [parent, children...]. */
static int build_btree(struct topo *t, uint32_t b)
{
    uint32_t n = t->n;
    int rc = 0;
    for (uint32_t v = 0; v < n; v++) {
        if (v > 0) arc(t, v, (v - 1) / b, &rc);
        for (uint64_t c = (uint64_t)b * v + 1; c <= (uint64_t)b * v + b && c < n; c++)
            arc(t, v, (uint32_t)c, &rc);
    }
    return rc;
}

static int build_total(struct topo *t)
{
    int rc = 0;
    for (uint32_t v = 0; v < t->n; v++)
        for (uint32_t w = 0; w < t->n; w++)
            if (w != v) arc(t, v, w, &rc);
    return rc;
}

static int build_star(struct topo *t, uint32_t hub)
{
    int rc = 0;
    for (uint32_t w = 0; w < t->n; w++)
        if (w != hub) arc(t, hub, w, &rc);
    return rc;
}

/* hubs(k): block b of n nodes is [floor(b * n / k), floor((b + 1) * n / k)); block sizes differ
 * by at most one. */
static uint32_t block_start(uint32_t n, uint32_t k, uint32_t b)
{
    return (uint32_t)((uint64_t)b * n / k);
}

uint32_t topo_hub_of(uint32_t n, uint32_t k, uint32_t i)
{
    /* The last block starting at or before i: floor(b n / k) <= i  <=>  b <= ((i+1) k - 1) / n. */
    uint32_t b = (uint32_t)(((uint64_t)(i + 1) * k - 1) / n);
    uint32_t lo = block_start(n, k, b), hi = block_start(n, k, b + 1);
    return lo + (hi - lo - 1) / 2;
}

/* Every hub lists the other hubs (in order), then its own leaves (in order). */
static int build_hubs(struct topo *t, uint32_t k)
{
    uint32_t n = t->n;
    int rc = 0;
    for (uint32_t b = 0; b < k; b++) {
        uint32_t lo = block_start(n, k, b), hi = block_start(n, k, b + 1);
        uint32_t hub = lo + (hi - lo - 1) / 2;
        for (uint32_t c = 0; c < k; c++) {
            uint32_t clo = block_start(n, k, c), chi = block_start(n, k, c + 1);
            if (c != b) arc(t, hub, clo + (chi - clo - 1) / 2, &rc);
        }
        for (uint32_t v = lo; v < hi; v++)
            if (v != hub) arc(t, hub, v, &rc);
    }
    return rc;
}

/* kary(k) rooted at root: positions p = (i - root) mod n, children of p are k*p+1 .. k*p+k. */
static int build_kary(struct topo *t, uint32_t k, uint32_t root)
{
    uint32_t n = t->n;
    int rc = 0;
    for (uint32_t p = 0; p < n; p++) {
        for (uint64_t c = (uint64_t)k * p + 1; c <= (uint64_t)k * p + k && c < n; c++)
            arc(t, (p + root) % n, (uint32_t)((c + root) % n), &rc);
    }
    return rc;
}

/* Parent of (r, c) in the centred tree rooted at (r0, c0); see the comment at the top. */
static uint32_t centred_parent(uint32_t n, uint32_t side, uint32_t r0, uint32_t c0, uint32_t v)
{
    uint32_t r = v / side, c = v % side;
    uint32_t spine = r * side + c0;
    if (spine < n) {
        if (c < c0) return v + 1;
        if (c > c0) return v - 1;
        return r < r0 ? v + side : v - side; /* spine: towards the root */
    }
    uint32_t last = n - 1 - r * side; /* short last row: hang off the node above its last cell */
    if (c < last) return v + 1;
    return v - side;
}

/* The centred spanning tree; children in direction order up, down, left, right. */
static int build_centred(struct topo *t, uint32_t root)
{
    uint32_t n = t->n, side = topo_grid_side(n);
    uint32_t r0 = root / side, c0 = root % side;
    int rc = 0;
    for (uint32_t v = 0; v < n; v++) {
        uint32_t c = v % side;
        int64_t cand[4] = { (int64_t)v - side, (int64_t)v + side, c > 0 ? (int64_t)v - 1 : -1,
                            c + 1 < side ? (int64_t)v + 1 : -1 };
        for (int k = 0; k < 4; k++) {
            if (cand[k] < 0 || cand[k] >= (int64_t)n) continue;
            uint32_t w = (uint32_t)cand[k];
            if (w != root && centred_parent(n, side, r0, c0, w) == v) arc(t, v, w, &rc);
        }
    }
    return rc;
}

static int add_nodes(struct topo *t, uint32_t n, const char (*names)[GL_ID_MAX], char *err,
                     size_t errlen)
{
    for (uint32_t i = 0; i < n; i++) {
        char buf[GL_ID_MAX];
        const char *name = buf;
        if (names)
            name = names[i];
        else
            snprintf(buf, sizeof(buf), "n%u", i);
        if (topo_add_node(t, name) < 0)
            return gl_errorf(err, errlen,
                             "cannot add node '%.*s' (duplicate, too long or no memory)", GL_ID_MAX,
                             name);
    }
    return 0;
}

uint32_t topo_default_k(enum topo_kind kind, uint32_t n)
{
    if (kind == TOPO_HUBS) return n ? topo_grid_side(n) : 0;
    if (kind == TOPO_KARY) return 2;
    return 0;
}

int topo_build(struct topo *t, enum topo_kind kind, uint32_t n, const char (*names)[GL_ID_MAX],
               int32_t root, char *err, size_t errlen)
{
    return topo_build_k(t, kind, n, names, root, 0, err, errlen);
}

int topo_build_k(struct topo *t, enum topo_kind kind, uint32_t n, const char (*names)[GL_ID_MAX],
                 int32_t root, uint32_t k, char *err, size_t errlen)
{
    topo_init(t);
    if (n == 0 || n > GL_MAX_NODES)
        return gl_errorf(err, errlen, "node count %u out of range 1..%u", n,
                         (unsigned)GL_MAX_NODES);
    if (root < -1 || root >= (int32_t)n)
        return gl_errorf(err, errlen, "root index %d out of range 0..%u", root, n - 1);
    if (k == 0) k = topo_default_k(kind, n);
    if (kind == TOPO_HUBS && k > n)
        return gl_errorf(err, errlen, "hubs of %u nodes: hubs %u out of range 1..%u", n, k, n);
    if (add_nodes(t, n, names, err, errlen) != 0) goto fail;
    t->kind = kind;
    uint32_t r = (uint32_t)(root >= 0 ? root : kind == TOPO_KARY ? 0 : topo_centre(n));
    int rc;
    switch (kind) {
    case TOPO_GRID:
        rc = build_grid(t);
        break;
    case TOPO_LINE:
        rc = build_line(t);
        break;
    case TOPO_TREE2:
        rc = build_btree(t, 2);
        break;
    case TOPO_TREE3:
        rc = build_btree(t, 3);
        break;
    case TOPO_TREE4:
        rc = build_btree(t, 4);
        break;
    case TOPO_TOTAL:
        rc = build_total(t);
        break;
    case TOPO_FLAT:
        rc = build_total(t);
        break;
    case TOPO_TREE:
        rc = build_centred(t, r);
        break;
    case TOPO_STAR:
        rc = build_star(t, r);
        break;
    case TOPO_HUBS:
        rc = build_hubs(t, k);
        break;
    case TOPO_KARY:
        rc = build_kary(t, k, r);
        break;
    case TOPO_CUSTOM:
    default:
        gl_errorf(err, errlen, "cannot build topology kind %d", (int)kind);
        goto fail;
    }
    if (rc != 0) {
        gl_errorf(err, errlen, "out of memory building a %s topology", topo_kind_name(kind));
        goto fail;
    }
    if (kind == TOPO_TREE || kind == TOPO_STAR || kind == TOPO_KARY) {
        t->directed = true;
        t->root = (int32_t)r;
    }
    if (kind == TOPO_HUBS) t->directed = true; /* mutual arcs between hubs: not rooted */
    if (kind == TOPO_HUBS || kind == TOPO_KARY) t->k = k;
    return 0;
fail:
    topo_release(t);
    return -1;
}

int32_t topo_arborescence_root(const struct topo *t)
{
    if (t->n == 0) return -1;
    uint32_t *indeg = calloc(t->n, sizeof(*indeg));
    uint32_t *queue = malloc(t->n * sizeof(*queue));
    bool *seen = calloc(t->n, sizeof(*seen));
    int32_t root = -1;
    if (!indeg || !queue || !seen) goto out;
    for (uint32_t v = 0; v < t->n; v++)
        for (uint32_t k = 0; k < t->nodes[v].deg; k++)
            indeg[t->nodes[v].adj[k]]++;
    for (uint32_t v = 0; v < t->n; v++) {
        if (indeg[v] > 1 || (indeg[v] == 0 && root >= 0)) {
            root = -1;
            goto out;
        }
        if (indeg[v] == 0) root = (int32_t)v;
    }
    if (root < 0) goto out;
    /* n-1 arcs and every node but the root entered once: it is one iff all are reachable. */
    uint32_t head = 0, tail = 0;
    queue[tail++] = (uint32_t)root;
    seen[root] = true;
    while (head < tail) {
        const struct topo_node *nd = &t->nodes[queue[head++]];
        for (uint32_t k = 0; k < nd->deg; k++)
            if (!seen[nd->adj[k]]) {
                seen[nd->adj[k]] = true;
                queue[tail++] = nd->adj[k];
            }
    }
    if (tail != t->n) root = -1;
out:
    free(indeg);
    free(queue);
    free(seen);
    return root;
}
