/*
 * evq.c: a timing wheel and a heap of events (see evq.h). Where an event goes depends on how
 * far ahead it is:
 *   - within EVQ_WHEEL µs of the last event popped (base): the wheel, one bucket per µs, each a
 *     circular list of nodes in seq order, found through a two-level bitmap. A push appends to
 *     its bucket (new seqs are the largest), a pop unlinks a bucket's first node: a few
 *     instructions, on memory near the present, where a simulation spends its time;
 *   - further ahead (retries, timeouts, ticks): an indexed 4-ary min-heap.
 * The next event is the smaller of the wheel's first and the heap's top, so the order is exactly
 * (at_us, seq) whatever went where. Every event in the wheel lies in [base, base + EVQ_WHEEL):
 * popping in order never leaves one behind base, so a bucket's index (at_us mod EVQ_WHEEL) names
 * one time. Events live in nodes of one array, reused through a free list.
 *
 * The next event's node is remembered (next_node) from the moment it is looked for until it is
 * popped or removed: an event filed in front of it takes its place, so evq_peek, and the
 * evq_pop_due that finds nothing due after a run of pops, cost a load instead of a search.
 * A lane is only a count and its last event: dropping a lane of one event (a timer) removes that
 * node; a lane of several is found by a walk over the nodes, which no hot path needs.
 */
#include "evq.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

#include "banned.h"

#define NIL        EVQ_NIL
#define WHEEL_MASK ((time_us)EVQ_WHEEL - 1)
#define WORDS      (EVQ_WHEEL / 64)
#define SUMMARY    (WORDS / 64)

_Static_assert((EVQ_WHEEL & (EVQ_WHEEL - 1)) == 0 && EVQ_WHEEL >= 4096,
               "the wheel is a power of two of at least one summary word");

void evq_init(struct evq *q)
{
    memset(q, 0, sizeof(*q));
    q->free_node = NIL;
    q->next_node = NIL;
}

void evq_release(struct evq *q)
{
    free(q->node);
    free(q->heap);
    free(q->ln);
    free(q->bucket);
    free(q->bits);
    free(q->summary);
    evq_init(q);
}

int64_t evq_add_lanes(struct evq *q, uint32_t n)
{
    if (!q->bucket) {
        q->bucket = malloc(EVQ_WHEEL * sizeof(*q->bucket));
        q->bits = calloc(WORDS, sizeof(*q->bits));
        q->summary = calloc(SUMMARY, sizeof(*q->summary));
        if (!q->bucket || !q->bits || !q->summary) return -1;
        memset(q->bucket, 0xff, EVQ_WHEEL * sizeof(*q->bucket)); /* NIL */
    }
    size_t need = q->n_lanes + n;
    if (need >= NIL || GL_GROW(q->ln, need, q->cap_lanes) != 0) return -1;
    int64_t first = (int64_t)q->n_lanes;
    for (size_t i = q->n_lanes; i < need; i++)
        q->ln[i] = (struct evq_lane){ 0, NIL, 0 };
    q->n_lanes = need;
    return first;
}

/* ---- the heap of far events ------------------------------------------------------------ */

static bool key_less(time_us at_a, uint64_t seq_a, time_us at_b, uint64_t seq_b)
{
    __extension__ typedef unsigned __int128 u128;
    return ((u128)at_a << 64 | seq_a) < ((u128)at_b << 64 | seq_b);
}

static bool entry_less(const struct heap_entry *a, const struct heap_entry *b)
{
    return key_less(a->at_us, a->seq, b->at_us, b->seq);
}

static bool slot_less(const struct evq_slot *a, const struct evq_slot *b)
{
    return key_less(a->at_us, a->seq, b->at_us, b->seq);
}

static void place(struct evq *q, size_t i, const struct evq_slot *s)
{
    q->heap[i] = *s;
    q->node[s->node].pos = (uint32_t)i;
}

#define EVQ_ARITY 4u

static void sift_up(struct evq *q, size_t i)
{
    struct evq_slot s = q->heap[i];
    while (i > 0) {
        size_t parent = (i - 1) / EVQ_ARITY;
        if (!slot_less(&s, &q->heap[parent])) break;
        place(q, i, &q->heap[parent]);
        i = parent;
    }
    place(q, i, &s);
}

static void sift_down(struct evq *q, size_t i)
{
    struct evq_slot s = q->heap[i];
    for (;;) {
        size_t first = EVQ_ARITY * i + 1;
        if (first >= q->n_heap) break;
        size_t end = first + EVQ_ARITY < q->n_heap ? first + EVQ_ARITY : q->n_heap;
        size_t c = first;
        for (size_t k = first + 1; k < end; k++)
            if (slot_less(&q->heap[k], &q->heap[c])) c = k;
        if (!slot_less(&q->heap[c], &s)) break;
        place(q, i, &q->heap[c]);
        i = c;
    }
    place(q, i, &s);
}

/* Restores the heap around slot i, whose key changed (or which was just filled). */
static void sift(struct evq *q, size_t i)
{
    if (i > 0 && slot_less(&q->heap[i], &q->heap[(i - 1) / EVQ_ARITY]))
        sift_up(q, i);
    else
        sift_down(q, i);
}

__attribute__((noinline)) static void heap_insert(struct evq *q, uint32_t k)
{
    struct evq_slot s = { q->node[k].e.at_us, q->node[k].e.seq, k };
    q->heap[q->n_heap++] = s;
    sift_up(q, q->n_heap - 1);
}

/*
 * A slot's key may lag behind its event's (a timer moved later, evq_reschedule): it is a lower
 * bound then, and the heap is ordered by the slots' keys. Only the top must be exact (it is
 * compared with the wheel's first): settle brings each stale top up to date and sinks it.
 */
static void settle(struct evq *q)
{
    while (q->n_heap) {
        struct evq_slot *top = &q->heap[0];
        const struct heap_entry *e = &q->node[top->node].e;
        if (top->at_us == e->at_us && top->seq == e->seq) return;
        top->at_us = e->at_us;
        top->seq = e->seq;
        sift_down(q, 0);
    }
}

__attribute__((noinline)) static void heap_remove(struct evq *q, uint32_t k)
{
    size_t i = q->node[k].pos;
    struct evq_slot last = q->heap[--q->n_heap];
    if (i != q->n_heap) {
        place(q, i, &last);
        sift(q, i);
    }
    settle(q);
}

/*
 * Node k, in the heap, has a new key (later or earlier): an earlier key rises at once, a later
 * one is left for settle unless the node is at the top.
 */
static void heap_moved(struct evq *q, uint32_t k)
{
    const struct heap_entry *e = &q->node[k].e;
    struct evq_slot *s = &q->heap[q->node[k].pos];
    if (key_less(e->at_us, e->seq, s->at_us, s->seq)) {
        s->at_us = e->at_us;
        s->seq = e->seq;
        sift_up(q, q->node[k].pos);
    } else if (q->node[k].pos == 0) {
        settle(q);
    }
}

/* ---- the wheel of near events ----------------------------------------------------------- */

static inline void mark(struct evq *q, size_t b)
{
    q->bits[b / 64] |= (uint64_t)1 << (b % 64);
    q->summary[b / 4096] |= (uint64_t)1 << (b / 64 % 64);
}

static inline void unmark(struct evq *q, size_t b)
{
    q->bits[b / 64] &= ~((uint64_t)1 << (b % 64));
    if (q->bits[b / 64] == 0) q->summary[b / 4096] &= ~((uint64_t)1 << (b / 64 % 64));
}

/* Links node k into its bucket, after the nodes with a smaller seq (usually: at the end). */
static inline void wheel_insert(struct evq *q, uint32_t k)
{
    struct evq_node *nd = q->node, *p = &nd[k];
    size_t b = (size_t)(p->e.at_us & WHEEL_MASK);
    uint32_t first = q->bucket[b];
    p->pos = EVQ_IN_WHEEL;
    if (first == NIL) {
        q->bucket[b] = k;
        p->next = p->prev = k; /* a circular list: first's prev is the last */
        mark(q, b);
        return;
    }
    uint64_t seq = p->e.seq;
    uint32_t after = nd[first].prev; /* the last: new seqs are the largest, as a rule */
    while (nd[after].e.seq > seq) {
        if (after == first) { /* before every node in the bucket: the new first */
            after = nd[first].prev;
            q->bucket[b] = k;
            break;
        }
        after = nd[after].prev;
    }
    uint32_t next = nd[after].next;
    p->next = next;
    p->prev = after;
    nd[after].next = k;
    nd[next].prev = k;
}

static inline void wheel_remove(struct evq *q, uint32_t k)
{
    struct evq_node *nd = q->node, *p = &nd[k];
    size_t b = (size_t)(p->e.at_us & WHEEL_MASK);
    uint32_t next = p->next, prev = p->prev;
    if (next == k) {
        q->bucket[b] = NIL;
        unmark(q, b);
        return;
    }
    nd[prev].next = next;
    nd[next].prev = prev;
    if (q->bucket[b] == k) q->bucket[b] = next;
}

/* The first marked bucket at or after b (not wrapping), or NIL. */
static uint32_t scan_from(const struct evq *q, size_t b)
{
    size_t w = b / 64;
    uint64_t bits = q->bits[w] & (~(uint64_t)0 << (b % 64));
    if (bits) return (uint32_t)(w * 64 + (size_t)__builtin_ctzll(bits));
    for (size_t nw = w + 1; nw < WORDS; nw = (nw / 64 + 1) * 64) {
        uint64_t sum = q->summary[nw / 64] & (~(uint64_t)0 << (nw % 64));
        if (!sum) continue;
        size_t word = nw / 64 * 64 + (size_t)__builtin_ctzll(sum);
        return (uint32_t)(word * 64 + (size_t)__builtin_ctzll(q->bits[word]));
    }
    return NIL;
}

/* The first marked bucket at or after b, circularly: the earliest time from b's. */
static uint32_t next_marked(const struct evq *q, size_t b)
{
    uint32_t k = scan_from(q, b);
    return k != NIL || b == 0 ? k : scan_from(q, 0);
}

/* ---- events ----------------------------------------------------------------------------- */

/* Files node k (its event set) in the wheel or the heap; it becomes next_node if it is first. */
__attribute__((always_inline)) static inline void file(struct evq *q, uint32_t k)
{
    const struct heap_entry *e = &q->node[k].e;
    if (e->at_us >= q->base && e->at_us - q->base < EVQ_WHEEL) {
        q->n_wheel++;
        wheel_insert(q, k);
    } else {
        heap_insert(q, k);
    }
    uint32_t nx = q->next_node;
    if (nx != NIL && entry_less(e, &q->node[nx].e)) q->next_node = k;
}

static inline void unfile(struct evq *q, uint32_t k)
{
    if (q->node[k].pos == EVQ_IN_WHEEL) {
        wheel_remove(q, k);
        q->n_wheel--;
    } else {
        heap_remove(q, k);
    }
    if (q->next_node == k) q->next_node = NIL;
}

/* Unfiles node k and puts it on the free list. */
static inline void release_node(struct evq *q, uint32_t k)
{
    unfile(q, k);
    q->node[k].pos = EVQ_FREE;
    q->node[k].next = q->free_node;
    q->free_node = k;
}

/* A free node (the heap can take it too), or NIL when out of memory. */
static inline uint32_t take_node(struct evq *q)
{
    uint32_t k = q->free_node;
    if (k != NIL) {
        q->free_node = q->node[k].next;
        return k;
    }
    if (q->n_nodes >= NIL - 2 || GL_GROW(q->node, q->n_nodes + 1, q->cap_nodes) != 0 ||
        GL_GROW(q->heap, q->cap_nodes, q->cap_heap) != 0)
        return NIL;
    k = (uint32_t)q->n_nodes++;
    q->node[k].gen = 0;
    return k;
}

uint64_t evq_take_seq(struct evq *q)
{
    return q->next_seq++;
}

int evq_push_seq(struct evq *q, uint32_t lane, time_us at_us, uint64_t seq, void *data,
                 uint64_t tag)
{
    assert(lane < q->n_lanes);
    uint32_t k = take_node(q);
    if (k == NIL) return -1;
    struct evq_node *p = &q->node[k];
    p->e = (struct heap_entry){ .at_us = at_us, .seq = seq, .data = data, .tag = tag };
    p->lane = lane;
    p->gen++;
    file(q, k);
    struct evq_lane *l = &q->ln[lane];
    l->n++;
    l->last = k;
    l->last_gen = p->gen;
    q->n_events++;
    return 0;
}

/* The node of the next event, or NIL. */
static inline uint32_t first_node(const struct evq *q)
{
    if (q->n_wheel == 0) return q->n_heap ? q->heap[0].node : NIL;
    uint32_t w = q->bucket[next_marked(q, (size_t)(q->base & WHEEL_MASK))];
    if (q->n_heap == 0) return w;
    const struct evq_slot *top = &q->heap[0];
    const struct heap_entry *h = &q->node[w].e;
    return key_less(top->at_us, top->seq, h->at_us, h->seq) ? top->node : w;
}

const struct heap_entry *evq_find_next(const struct evq *q, uint32_t *lane)
{
    uint32_t k = first_node(q);
    if (k == NIL) return NULL;
    if (lane) *lane = q->node[k].lane;
    return &q->node[k].e;
}

int evq_pop(struct evq *q, struct heap_entry *out, uint32_t *lane)
{
    return evq_pop_due(q, TIME_NEVER, out, lane);
}

int evq_pop_due(struct evq *q, time_us until_us, struct heap_entry *out, uint32_t *lane)
{
    uint32_t k = q->next_node;
    if (k == NIL) {
        k = first_node(q);
        if (k == NIL) return -1;
        q->next_node = k;
    }
    struct evq_node *p = &q->node[k];
    if (p->e.at_us > until_us) return -1;
    *out = p->e;
    if (lane) *lane = p->lane;
    q->ln[p->lane].n--;
    q->n_events--;
    release_node(q, k);
    if (out->at_us > q->base) q->base = out->at_us;
    return 0;
}

/* The node of lane's only event (its last one pushed), or NIL if it has not exactly one. */
static uint32_t lone_node(const struct evq *q, uint32_t lane)
{
    const struct evq_lane *l = &q->ln[lane];
    if (l->n != 1) return NIL;
    const struct evq_node *p = &q->node[l->last];
    return p->gen == l->last_gen && p->pos != EVQ_FREE ? l->last : NIL;
}

int evq_reschedule(struct evq *q, uint32_t lane, time_us at_us, uint64_t seq, void *data,
                   uint64_t tag)
{
    assert(lane < q->n_lanes);
    uint32_t k = lone_node(q, lane);
    if (k == NIL) {
        evq_drop_lane(q, lane);
        return evq_push_seq(q, lane, at_us, seq, data, tag);
    }
    /* The lane's one timer moves: its node stays, its key changes. */
    struct evq_node *p = &q->node[k];
    bool near = at_us >= q->base && at_us - q->base < EVQ_WHEEL;
    if (p->pos == EVQ_IN_WHEEL || near) {
        unfile(q, k);
        p->e = (struct heap_entry){ .at_us = at_us, .seq = seq, .data = data, .tag = tag };
        file(q, k);
        return 0;
    }
    /* Far, and staying far: an earlier key rises in the heap, a later one waits (settle). */
    p->e = (struct heap_entry){ .at_us = at_us, .seq = seq, .data = data, .tag = tag };
    heap_moved(q, k);
    uint32_t nx = q->next_node;
    if (nx == k)
        q->next_node = NIL; /* it may have moved back */
    else if (nx != NIL && entry_less(&p->e, &q->node[nx].e))
        q->next_node = k;
    return 0;
}

void evq_drop_lane(struct evq *q, uint32_t lane)
{
    assert(lane < q->n_lanes);
    struct evq_lane *l = &q->ln[lane];
    if (l->n == 0) return;
    uint32_t k = lone_node(q, lane);
    if (k != NIL) {
        release_node(q, k);
    } else {
        for (uint32_t i = 0; i < q->n_nodes; i++)
            if (q->node[i].pos != EVQ_FREE && q->node[i].lane == lane) release_node(q, i);
    }
    q->n_events -= l->n;
    l->n = 0;
}

void evq_clear(struct evq *q)
{
    for (uint32_t i = 0; i < q->n_nodes; i++)
        if (q->node[i].pos != EVQ_FREE) release_node(q, i);
    for (size_t i = 0; i < q->n_lanes; i++)
        q->ln[i].n = 0;
    q->n_events = 0;
}
