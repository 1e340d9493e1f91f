/*
 * convergence.c: how many nodes lack how many values at the final reads (convergence.h). The
 * known values go into a hash set as they are met (a list of every read's values grows with
 * reads x values: 400 MB at 500 nodes, rate 1000, 20 s), a read stored as an extension of an
 * earlier one adding only its new values; the ok final reads are grouped by node, and a node has
 * as many known values as its final reads hold different values (every one of them is known).
 * Hashing, not sorting: sorting the (node, value) pairs was a third of the check, and holding
 * them 320 MB at 1,000 nodes.
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

/* An ok final read of integers: its node and its position in the history. */
struct final {
    uint32_t node;
    size_t pos;
};

/*
 * A set of int64 values. Small non-negative ones (Maelstrom's values are 0, 1, 2, ...) are bits
 * of a bitset that covers v when v < 8 * (values + 1024), as the checker's direct table; any
 * other value goes to a hash table: open addressing, linear probing, at most half full.
 */
struct vset {
    uint64_t *bits;
    size_t words; /* of bits */
    int64_t *key;
    bool *used;
    size_t cap, n_hashed; /* cap: 0 or a power of two */
    size_t n;             /* values in the set, both kinds */
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
    struct vset g = *s;
    g.key = calloc(cap, sizeof(*g.key));
    g.used = calloc(cap, sizeof(*g.used));
    g.cap = cap;
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

/* True when v is (or may become) a bit: the bitset covers it or may grow to. */
static bool vset_dense(struct vset *s, int64_t v, int *rc)
{
    *rc = 0;
    if (v < 0) return false;
    if ((uint64_t)v < 64 * (uint64_t)s->words) return true;
    if ((uint64_t)v >= 8u * ((uint64_t)s->n + 1024u)) return false;
    size_t old = s->words, need = (size_t)v / 64 + 1;
    if (GL_GROW(s->bits, need, s->words) != 0) {
        *rc = -1;
        return false;
    }
    memset(s->bits + old, 0, (s->words - old) * sizeof(*s->bits));
    return true;
}

static int vset_add(struct vset *s, int64_t v)
{
    int rc;
    if (vset_dense(s, v, &rc)) {
        uint64_t bit = (uint64_t)1 << (v % 64);
        if (s->bits[v / 64] & bit) return 0;
        /* Added to the hash table before the bitset grew over it: there it stays. */
        if (s->n_hashed && s->used[vset_slot(s, v)]) return 0;
        s->bits[v / 64] |= bit;
        s->n++;
        return 0;
    }
    if (rc != 0) return -1;
    if (s->cap) {
        size_t i = vset_slot(s, v);
        if (s->used[i]) return 0;
    }
    if (2 * (s->n_hashed + 1) > s->cap && vset_grow(s) != 0) return -1;
    size_t i = vset_slot(s, v);
    s->used[i] = true;
    s->key[i] = v;
    s->n_hashed++;
    s->n++;
    return 0;
}

/*
 * vset_add's common case inline: v within the bitset while no value is hashed (a hashed value
 * may be one the bitset grew over: vset_add looks there). False when vset_add must do it.
 */
static inline bool vset_add_bit(struct vset *s, int64_t v)
{
    if (v < 0 || (uint64_t)v >= 64 * (uint64_t)s->words || s->n_hashed) return false;
    uint64_t *w = &s->bits[v / 64], bit = (uint64_t)1 << (v % 64);
    s->n += (*w & bit) == 0;
    *w |= bit;
    return true;
}

/* Empties s, keeping its memory. */
static void vset_clear(struct vset *s)
{
    if (s->words) memset(s->bits, 0, s->words * sizeof(*s->bits));
    if (s->cap) memset(s->used, 0, s->cap * sizeof(*s->used));
    s->n = s->n_hashed = 0;
}

static void vset_release(struct vset *s)
{
    free(s->bits);
    free(s->key);
    free(s->used);
}

struct scan {
    struct vset seen; /* the known values */
    struct final *finals;
    size_t n_finals, cap_finals;
    bool *read; /* node has an ok final read */
};

static int add_known(struct scan *s, const int64_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++) /* an empty read: v may be NULL, and is not read */
        if (!vset_add_bit(&s->seen, v[i]) && vset_add(&s->seen, v[i]) != 0) return -1;
    return 0;
}

static int add_final(struct scan *s, uint32_t node, size_t pos)
{
    if (GL_GROW(s->finals, s->n_finals + 1, s->cap_finals) != 0) return -1;
    s->finals[s->n_finals++] = (struct final){ node, pos };
    return 0;
}

/* True for the records whose values collect() adds to the known ones. */
static bool adds_known(const struct hist_op *op)
{
    return op->process >= 0 && op->type == HT_OK && op->f == HF_READ && op->vkind == HV_INTS;
}

/* The values of read op that the known ones may lack: those after its base's, when its base (an
 * earlier record) was added whole or the same way; else all of them. */
static const int64_t *new_values(const struct history *h, const struct hist_op *op, size_t *n)
{
    size_t base;
    const int64_t *v;
    if (history_vals_suffix(h, op, n, &base, &v) && adds_known(history_op(h, base))) return v;
    return history_vals(h, op, n);
}

/* The known values and the ok final reads, in one pass over h. */
static int collect(const struct history *h, const struct convergence_opts *o, struct scan *s)
{
    for (size_t i = 0; i < history_len(h); i++) {
        const struct hist_op *op = history_op(h, i);
        if (op->process < 0 || op->type != HT_OK) continue;
        if (op->f == HF_BROADCAST && op->vkind == HV_INT) {
            if (add_known(s, &op->value, 1) != 0) return -1;
        } else if (op->f == HF_READ && op->vkind == HV_INTS) {
            size_t n;
            const int64_t *v = new_values(h, op, &n);
            if (add_known(s, v, n) != 0) return -1;
            if (!op->final) continue;
            uint64_t worker = (uint64_t)op->process % o->concurrency;
            uint32_t node = (uint32_t)(worker % o->node_count);
            s->read[node] = true;
            if (add_final(s, node, i) != 0) return -1;
        } else if (op->f == HF_READ && op->final && op->vkind == HV_NIL) {
            /* An ok final read of nothing (no value was ever broadcast) still reads the node. */
            s->read[(uint64_t)op->process % o->concurrency % o->node_count] = true;
        }
    }
    return 0;
}

/*
 * The ok final reads' positions grouped by node (a counting sort, stable): node k's are
 * by_node[start[k] .. start[k + 1]). NULL when out of memory; *start is malloc'd too.
 */
static size_t *group_by_node(const struct scan *s, uint32_t nodes, size_t **start)
{
    *start = calloc((size_t)nodes + 1, sizeof(**start));
    size_t *v = malloc((s->n_finals ? s->n_finals : 1) * sizeof(*v));
    if (!*start || !v) {
        free(v);
        return NULL;
    }
    size_t *at = *start;
    for (size_t i = 0; i < s->n_finals; i++)
        at[s->finals[i].node + 1]++;
    for (uint32_t k = 0; k < nodes; k++)
        at[k + 1] += at[k];
    for (size_t i = 0; i < s->n_finals; i++)
        v[at[s->finals[i].node]++] = s->finals[i].pos; /* at[k] ends at node k + 1's start */
    for (uint32_t k = nodes; k > 0; k--)
        at[k] = at[k - 1];
    at[0] = 0;
    return v;
}

/*
 * How many different values the final reads at positions pos[0..n) hold together (each a known
 * value: collect() added them all). One node's reads at a time, so memory stays one read's.
 */
static int held(const struct history *h, struct vset *tmp, const size_t *pos, size_t n,
                uint64_t *count)
{
    vset_clear(tmp);
    for (size_t k = 0; k < n; k++) {
        size_t nv;
        const int64_t *v = history_vals(h, history_op(h, pos[k]), &nv);
        for (size_t i = 0; i < nv; i++)
            if (!vset_add_bit(tmp, v[i]) && vset_add(tmp, v[i]) != 0) return -1;
    }
    *count = tmp->n;
    return 0;
}

static int tally(const struct history *h, const struct scan *s, const struct convergence_opts *o,
                 struct convergence *c)
{
    c->lacking = calloc(o->node_count, sizeof(*c->lacking));
    c->unread = calloc(o->node_count, sizeof(*c->unread));
    if (!c->lacking || !c->unread) return -1;
    size_t *start;
    size_t *by_node = group_by_node(s, o->node_count, &start);
    struct vset tmp = { 0 };
    int rc = by_node ? 0 : -1;
    for (uint32_t node = 0; rc == 0 && node < o->node_count; node++) {
        if (!s->read[node]) {
            memcpy(c->unread[c->n_unread++], o->node_names[node], GL_ID_MAX);
            continue;
        }
        c->nodes_read++;
        uint64_t has;
        rc = held(h, &tmp, by_node + start[node], start[node + 1] - start[node], &has);
        uint64_t lacking = c->values - has;
        if (rc != 0 || lacking == 0) continue;
        struct convergence_node *n = &c->lacking[c->n_lacking++];
        memcpy(n->name, o->node_names[node], GL_ID_MAX);
        n->lacking = lacking;
        c->lacking_total += lacking;
        c->lacking_max = lacking > c->lacking_max ? lacking : c->lacking_max;
    }
    free(by_node);
    free(start);
    vset_release(&tmp);
    return rc;
}

int convergence_run(const struct history *h, const struct convergence_opts *o,
                    struct convergence *c)
{
    memset(c, 0, sizeof(*c));
    struct scan s;
    memset(&s, 0, sizeof(s));
    s.read = calloc(o->node_count, sizeof(*s.read));
    int rc = s.read ? collect(h, o, &s) : -1;
    if (rc == 0) {
        c->present = true;
        c->nodes = o->node_count;
        c->values = s.seen.n;
        rc = tally(h, &s, o, c);
    }
    vset_release(&s.seen);
    free(s.finals);
    free(s.read);
    if (rc != 0) convergence_release(c);
    return rc;
}
