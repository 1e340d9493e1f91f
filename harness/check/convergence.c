/*
 * convergence.c: how many nodes lack how many values at the final reads (convergence.h). The
 * known values go into a hash set as they are met (every read repeats most of the values before
 * it, so a list of them all grows with reads x values: 400 MB at 500 nodes, rate 1000, 20 s),
 * then come out sorted; the (node, value) pairs of the ok final reads are sorted and made unique;
 * one merge per node then counts the known values it has.
 */
#include "convergence.h"

#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "rng.h"
#include "strbuf.h"

#include "banned.h"

enum convergence_verdict convergence_verdict(const struct convergence *c)
{
    if (c->n_lacking > 0) return NOT_CONVERGED;
    return c->n_unread > 0 || c->nodes == 0 ? CONVERGENCE_UNKNOWN : CONVERGED;
}

void convergence_release(struct convergence *c)
{
    free(c->lacking);
    free(c->unread);
    memset(c, 0, sizeof(*c));
}

struct pair {
    uint32_t node;
    int64_t value;
};

static int cmp_i64(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return a < b ? -1 : a > b;
}

static int cmp_pair(const void *pa, const void *pb)
{
    const struct pair *a = pa, *b = pb;
    if (a->node != b->node) return a->node < b->node ? -1 : 1;
    return a->value < b->value ? -1 : a->value > b->value;
}

/* A set of int64 values: open addressing, linear probing, at most half full. */
struct vset {
    int64_t *key;
    bool *used;
    size_t cap, n; /* cap: 0 or a power of two */
};

static size_t vset_slot(const struct vset *s, int64_t v)
{
    size_t i = (size_t)rng_mix64((uint64_t)v) & (s->cap - 1);
    while (s->used[i] && s->key[i] != v)
        i = (i + 1) & (s->cap - 1);
    return i;
}

static int vset_grow(struct vset *s)
{
    size_t cap = s->cap ? s->cap * 2 : 1024;
    struct vset g = { calloc(cap, sizeof(*g.key)), calloc(cap, sizeof(*g.used)), cap, s->n };
    if (!g.key || !g.used) {
        free(g.key);
        free(g.used);
        return -1;
    }
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->used[i]) continue;
        size_t j = vset_slot(&g, s->key[i]);
        g.used[j] = true;
        g.key[j] = s->key[i];
    }
    free(s->key);
    free(s->used);
    *s = g;
    return 0;
}

static int vset_add(struct vset *s, int64_t v)
{
    if (2 * (s->n + 1) > s->cap && vset_grow(s) != 0) return -1;
    size_t i = vset_slot(s, v);
    if (!s->used[i]) {
        s->used[i] = true;
        s->key[i] = v;
        s->n++;
    }
    return 0;
}

struct scan {
    struct vset seen; /* the known values as they are met */
    int64_t *known;   /* then sorted */
    size_t n_known;
    struct pair *pairs;
    size_t n_pairs, cap_pairs;
    bool *read; /* node has an ok final read */
};

static int add_known(struct scan *s, const int64_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++) /* an empty read: v may be NULL, and is not read */
        if (vset_add(&s->seen, v[i]) != 0) return -1;
    return 0;
}

/* The known values, sorted, out of the set (which is freed). */
static int sort_known(struct scan *s)
{
    s->known = malloc((s->seen.n ? s->seen.n : 1) * sizeof(*s->known));
    if (!s->known) return -1;
    for (size_t i = 0; i < s->seen.cap; i++)
        if (s->seen.used[i]) s->known[s->n_known++] = s->seen.key[i];
    free(s->seen.key);
    free(s->seen.used);
    memset(&s->seen, 0, sizeof(s->seen));
    if (s->n_known) qsort(s->known, s->n_known, sizeof(*s->known), cmp_i64);
    return 0;
}

static int add_pairs(struct scan *s, uint32_t node, const int64_t *v, size_t n)
{
    if (GL_GROW(s->pairs, s->n_pairs + n, s->cap_pairs) != 0) return -1;
    for (size_t i = 0; i < n; i++)
        s->pairs[s->n_pairs++] = (struct pair){ node, v[i] };
    return 0;
}

/* The known values and the final reads' (node, value) pairs, in one pass over h. */
static int collect(const struct history *h, const struct convergence_opts *o, struct scan *s)
{
    for (size_t i = 0; i < history_len(h); i++) {
        const struct hist_op *op = history_op(h, i);
        if (op->process < 0 || op->type != HT_OK) continue;
        if (op->f == HF_BROADCAST && op->vkind == HV_INT) {
            if (add_known(s, &op->value, 1) != 0) return -1;
        } else if (op->f == HF_READ && op->vkind == HV_INTS) {
            size_t n;
            const int64_t *v = history_vals(h, op, &n);
            if (add_known(s, v, n) != 0) return -1;
            if (!op->final) continue;
            uint64_t worker = (uint64_t)op->process % o->concurrency;
            uint32_t node = (uint32_t)(worker % o->node_count);
            s->read[node] = true;
            if (add_pairs(s, node, v, n) != 0) return -1;
        } else if (op->f == HF_READ && op->final && op->vkind == HV_NIL) {
            /* An ok final read of nothing (no value was ever broadcast) still reads the node. */
            s->read[(uint64_t)op->process % o->concurrency % o->node_count] = true;
        }
    }
    return 0;
}

/* How many of the sorted known values the node's sorted, unique pairs p[0..n) hold. */
static uint64_t held(const int64_t *known, size_t n_known, const struct pair *p, size_t n)
{
    uint64_t count = 0;
    size_t k = 0;
    for (size_t i = 0; i < n && k < n_known; i++) {
        while (k < n_known && known[k] < p[i].value)
            k++;
        if (k < n_known && known[k] == p[i].value) count++;
    }
    return count;
}

static int tally(const struct scan *s, const struct convergence_opts *o, struct convergence *c)
{
    c->lacking = calloc(o->node_count, sizeof(*c->lacking));
    c->unread = calloc(o->node_count, sizeof(*c->unread));
    if (!c->lacking || !c->unread) return -1;
    size_t p = 0;
    for (uint32_t node = 0; node < o->node_count; node++) {
        size_t start = p;
        while (p < s->n_pairs && s->pairs[p].node == node)
            p++;
        if (!s->read[node]) {
            memcpy(c->unread[c->n_unread++], o->node_names[node], GL_ID_MAX);
            continue;
        }
        c->nodes_read++;
        /* No pairs at all (only empty final reads): no array to point into. */
        const struct pair *mine = p > start ? s->pairs + start : NULL;
        uint64_t lacking = c->values - held(s->known, s->n_known, mine, p - start);
        if (lacking == 0) continue;
        struct convergence_node *n = &c->lacking[c->n_lacking++];
        memcpy(n->name, o->node_names[node], GL_ID_MAX);
        n->lacking = lacking;
        c->lacking_total += lacking;
        c->lacking_max = lacking > c->lacking_max ? lacking : c->lacking_max;
    }
    return 0;
}

int convergence_run(const struct history *h, const struct convergence_opts *o,
                    struct convergence *c)
{
    memset(c, 0, sizeof(*c));
    struct scan s;
    memset(&s, 0, sizeof(s));
    s.read = calloc(o->node_count, sizeof(*s.read));
    int rc = s.read ? collect(h, o, &s) : -1;
    if (rc == 0) rc = sort_known(&s);
    if (rc == 0) {
        if (s.n_pairs) qsort(s.pairs, s.n_pairs, sizeof(*s.pairs), cmp_pair);
        size_t k = 0;
        for (size_t i = 0; i < s.n_pairs; i++)
            if (k == 0 || cmp_pair(&s.pairs[i], &s.pairs[k - 1]) != 0) s.pairs[k++] = s.pairs[i];
        s.n_pairs = k;
        c->present = true;
        c->nodes = o->node_count;
        c->values = s.n_known;
        rc = tally(&s, o, c);
    }
    free(s.seen.key);
    free(s.seen.used);
    free(s.known);
    free(s.pairs);
    free(s.read);
    if (rc != 0) convergence_release(c);
    return rc;
}
