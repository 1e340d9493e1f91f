/*
 * evq.c: lanes under a timing wheel and a heap of their heads (see evq.h). A lane's head event
 * is kept apart (ln[lane].head); its other events wait in the lane's tqueue. Where the head goes
 * depends on how far ahead it is:
 *   - within EVQ_WHEEL µs of the last event popped (base): the wheel, one bucket per µs, each a
 *     list of lanes in seq order, found through a two-level bitmap. Inserting, moving and popping
 *     cost a few instructions and touch memory near the present, which is where a simulation
 *     spends its time (a delivery thread's next wake-up, a node's next handling);
 *   - further ahead (retries, timeouts, ticks): an indexed 4-ary min-heap.
 * The next event is the smaller of the wheel's first and the heap's top, so the order is exactly
 * (at_us, seq) whatever went where. Every head in the wheel lies in [base, base + EVQ_WHEEL):
 * popping in order never leaves one behind base, so a bucket's index (at_us mod EVQ_WHEEL) names
 * one time.
 *
 * The lane of the next event is remembered (next_lane) from the moment it is looked for until
 * it is popped or unfiled: a head filed in front of it takes its place, so evq_peek, and the
 * evq_pop_due that finds nothing due after a run of pops, cost a load instead of a search.
 * Whatever is cheap to tell apart is done apart: a lone timer moved within the heap is sifted
 * in place (evq_reschedule); a dropped lane keeps its arrays (the next events reuse them).
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

enum { WHERE_NONE, WHERE_WHEEL, WHERE_HEAP };

void evq_init(struct evq *q)
{
    memset(q, 0, sizeof(*q));
    q->next_lane = NIL;
}

void evq_release(struct evq *q)
{
    for (size_t i = 0; i < q->n_lanes; i++)
        tqueue_release(&q->ln[i].rest);
    free(q->ln);
    free(q->heap);
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
    if (need >= NIL) return -1;
    if (need > q->cap_lanes) {
        size_t c = need > 2 * q->cap_lanes ? need : 2 * q->cap_lanes;
        if (GL_GROW(q->ln, c, q->cap_lanes) || GL_GROW(q->heap, c, q->cap_heap)) return -1;
    }
    int64_t first = (int64_t)q->n_lanes;
    for (size_t i = q->n_lanes; i < need; i++) {
        tqueue_init(&q->ln[i].rest);
        q->ln[i].where = WHERE_NONE;
    }
    q->n_lanes = need;
    return first;
}

/* ---- the heap of far heads ------------------------------------------------------------- */

static bool key_less(time_us at_a, uint64_t seq_a, time_us at_b, uint64_t seq_b)
{
    __extension__ typedef unsigned __int128 u128;
    return ((u128)at_a << 64 | seq_a) < ((u128)at_b << 64 | seq_b);
}

static bool slot_less(const struct evq_slot *a, const struct evq_slot *b)
{
    return key_less(a->at_us, a->seq, b->at_us, b->seq);
}

static void place(struct evq *q, size_t i, const struct evq_slot *s)
{
    q->heap[i] = *s;
    q->ln[s->lane].pos = (uint32_t)i;
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

static void heap_insert(struct evq *q, uint32_t lane)
{
    struct evq_slot s = { q->ln[lane].head.at_us, q->ln[lane].head.seq, lane };
    q->heap[q->n_heap++] = s;
    sift_up(q, q->n_heap - 1);
}

static void heap_remove(struct evq *q, uint32_t lane)
{
    size_t i = q->ln[lane].pos;
    struct evq_slot last = q->heap[--q->n_heap];
    if (i == q->n_heap) return;
    place(q, i, &last);
    sift(q, i);
}

/* ---- the wheel of near heads ------------------------------------------------------------ */

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

/* Links lane into its bucket, after the lanes with a smaller seq (usually: at the end). */
static inline void wheel_insert(struct evq *q, uint32_t lane)
{
    struct evq_lane *ln = q->ln, *p = &ln[lane];
    size_t b = (size_t)(p->head.at_us & WHEEL_MASK);
    uint64_t seq = p->head.seq;
    uint32_t first = q->bucket[b];
    if (first == NIL) {
        q->bucket[b] = lane;
        p->wnext = p->wprev = lane; /* a circular list: first's prev is the last */
        mark(q, b);
        return;
    }
    uint32_t after = ln[first].wprev; /* the last: new seqs are the largest, as a rule */
    while (ln[after].head.seq > seq) {
        if (after == first) { /* before every lane in the bucket: the new first */
            after = ln[first].wprev;
            q->bucket[b] = lane;
            break;
        }
        after = ln[after].wprev;
    }
    uint32_t next = ln[after].wnext;
    p->wnext = next;
    p->wprev = after;
    ln[after].wnext = lane;
    ln[next].wprev = lane;
}

static inline void wheel_remove(struct evq *q, uint32_t lane)
{
    struct evq_lane *ln = q->ln, *p = &ln[lane];
    size_t b = (size_t)(p->head.at_us & WHEEL_MASK);
    uint32_t next = p->wnext, prev = p->wprev;
    if (next == lane) {
        q->bucket[b] = NIL;
        unmark(q, b);
        return;
    }
    ln[prev].wnext = next;
    ln[next].wprev = prev;
    if (q->bucket[b] == lane) q->bucket[b] = next;
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

/* The first marked bucket at or after b, circularly: the earliest time from b's. NIL: empty. */
static uint32_t next_marked(const struct evq *q, size_t b)
{
    uint32_t k = scan_from(q, b);
    return k != NIL || b == 0 ? k : scan_from(q, 0);
}

/* ---- lanes ------------------------------------------------------------------------------ */

/* Files lane's head (set) in the wheel or the heap; it becomes next_lane if it comes first. */
static inline void file_head(struct evq *q, uint32_t lane)
{
    struct evq_lane *p = &q->ln[lane];
    time_us at = p->head.at_us;
    if (at >= q->base && at - q->base < EVQ_WHEEL) {
        p->where = WHERE_WHEEL;
        q->n_wheel++;
        wheel_insert(q, lane);
    } else {
        p->where = WHERE_HEAP;
        heap_insert(q, lane);
    }
    uint32_t nl = q->next_lane;
    if (nl != NIL && tqueue_less(&p->head, &q->ln[nl].head)) q->next_lane = lane;
}

static inline void unfile_head(struct evq *q, uint32_t lane)
{
    struct evq_lane *p = &q->ln[lane];
    if (p->where == WHERE_WHEEL) {
        wheel_remove(q, lane);
        q->n_wheel--;
    } else if (p->where == WHERE_HEAP) {
        heap_remove(q, lane);
    }
    p->where = WHERE_NONE;
    if (q->next_lane == lane) q->next_lane = NIL;
}

uint64_t evq_take_seq(struct evq *q)
{
    return q->next_seq++;
}

int evq_push_seq(struct evq *q, uint32_t lane, time_us at_us, uint64_t seq, void *data,
                 uint64_t tag)
{
    assert(lane < q->n_lanes);
    struct evq_lane *p = &q->ln[lane];
    struct heap_entry e = { .at_us = at_us, .seq = seq, .data = data, .tag = tag };
    if (p->where == WHERE_NONE) {
        p->head = e;
        file_head(q, lane);
    } else if (!tqueue_less(&e, &p->head)) {
        if (tqueue_push_entry(&p->rest, &e) != 0) return -1;
    } else {
        /* The new event is the lane's head: the old one goes behind it. */
        if (tqueue_push_entry(&p->rest, &p->head) != 0) return -1;
        unfile_head(q, lane);
        p->head = e;
        file_head(q, lane);
    }
    q->n_events++;
    return 0;
}

/* The lane whose head is the next event, or NIL. */
static inline uint32_t first_lane(const struct evq *q)
{
    if (q->n_wheel == 0) return q->n_heap ? q->heap[0].lane : NIL;
    uint32_t w = q->bucket[next_marked(q, (size_t)(q->base & WHEEL_MASK))];
    if (q->n_heap == 0) return w;
    const struct evq_slot *top = &q->heap[0];
    const struct heap_entry *h = &q->ln[w].head;
    return key_less(top->at_us, top->seq, h->at_us, h->seq) ? top->lane : w;
}

const struct heap_entry *evq_find_next(const struct evq *q, uint32_t *lane)
{
    uint32_t l = first_lane(q);
    if (l == NIL) return NULL;
    if (lane) *lane = l;
    return &q->ln[l].head;
}

int evq_pop(struct evq *q, struct heap_entry *out, uint32_t *lane)
{
    return evq_pop_due(q, TIME_NEVER, out, lane);
}

int evq_pop_due(struct evq *q, time_us until_us, struct heap_entry *out, uint32_t *lane)
{
    uint32_t l = q->next_lane;
    if (l == NIL) {
        l = first_lane(q);
        if (l == NIL) return -1;
        q->next_lane = l;
    }
    struct evq_lane *p = &q->ln[l];
    if (p->head.at_us > until_us) return -1;
    *out = p->head;
    if (lane) *lane = l;
    q->n_events--;
    unfile_head(q, l);
    if (out->at_us > q->base) q->base = out->at_us;
    if (tqueue_pop(&p->rest, &p->head) == 0) file_head(q, l);
    return 0;
}

int evq_reschedule(struct evq *q, uint32_t lane, time_us at_us, uint64_t seq, void *data,
                   uint64_t tag)
{
    assert(lane < q->n_lanes);
    struct evq_lane *p = &q->ln[lane];
    bool near = at_us >= q->base && at_us - q->base < EVQ_WHEEL;
    if (p->where != WHERE_HEAP || near || tqueue_len(&p->rest) != 0) {
        evq_drop_lane(q, lane);
        return evq_push_seq(q, lane, at_us, seq, data, tag);
    }
    /* A lone far timer stays in the heap: its slot takes the new key and moves. */
    p->head = (struct heap_entry){ .at_us = at_us, .seq = seq, .data = data, .tag = tag };
    q->heap[p->pos].at_us = at_us;
    q->heap[p->pos].seq = seq;
    sift(q, p->pos);
    uint32_t nl = q->next_lane;
    if (nl == lane)
        q->next_lane = NIL; /* it may have moved back */
    else if (nl != NIL && tqueue_less(&p->head, &q->ln[nl].head))
        q->next_lane = lane;
    return 0;
}

void evq_drop_lane(struct evq *q, uint32_t lane)
{
    assert(lane < q->n_lanes);
    struct evq_lane *p = &q->ln[lane];
    if (p->where == WHERE_NONE) return;
    q->n_events -= 1 + tqueue_len(&p->rest);
    tqueue_clear(&p->rest);
    unfile_head(q, lane);
}

void evq_clear(struct evq *q)
{
    for (uint32_t i = 0; i < q->n_lanes; i++) {
        unfile_head(q, i);
        tqueue_release(&q->ln[i].rest);
    }
    q->n_events = 0;
    q->next_lane = NIL;
}
