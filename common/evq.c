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
 */
#include "evq.h"

#include <assert.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

#include "banned.h"

#define NIL        UINT32_MAX
#define WHEEL_MASK ((time_us)EVQ_WHEEL - 1)
#define WORDS      (EVQ_WHEEL / 64)
#define SUMMARY    (WORDS / 64)

_Static_assert((EVQ_WHEEL & (EVQ_WHEEL - 1)) == 0 && EVQ_WHEEL >= 4096,
               "the wheel is a power of two of at least one summary word");

enum { WHERE_NONE, WHERE_WHEEL, WHERE_HEAP };

void evq_init(struct evq *q)
{
    memset(q, 0, sizeof(*q));
}

void evq_release(struct evq *q)
{
    for (size_t i = 0; i < q->n_lanes; i++)
        tqueue_release(&q->lanes[i]);
    free(q->lanes);
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
        /* Every per-lane array has cap_lanes entries; each grows by itself (GL_GROW's caps). */
        size_t c = need > 2 * q->cap_lanes ? need : 2 * q->cap_lanes;
        if (GL_GROW(q->lanes, c, q->cap[0]) || GL_GROW(q->ln, c, q->cap[1]) ||
            GL_GROW(q->heap, c, q->cap[2]))
            return -1;
        q->cap_lanes = c;
    }
    int64_t first = (int64_t)q->n_lanes;
    for (size_t i = q->n_lanes; i < need; i++) {
        tqueue_init(&q->lanes[i]);
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
    if (i > 0 && slot_less(&last, &q->heap[(i - 1) / EVQ_ARITY]))
        sift_up(q, i);
    else
        sift_down(q, i);
}

/* ---- the wheel of near heads ------------------------------------------------------------ */

static void mark(struct evq *q, size_t b)
{
    q->bits[b / 64] |= (uint64_t)1 << (b % 64);
    q->summary[b / 4096] |= (uint64_t)1 << (b / 64 % 64);
}

static void unmark(struct evq *q, size_t b)
{
    q->bits[b / 64] &= ~((uint64_t)1 << (b % 64));
    if (q->bits[b / 64] == 0) q->summary[b / 4096] &= ~((uint64_t)1 << (b / 64 % 64));
}

/* Links lane into its bucket, after the lanes with a smaller seq (usually: at the end). */
static void wheel_insert(struct evq *q, uint32_t lane)
{
    size_t b = (size_t)(q->ln[lane].head.at_us & WHEEL_MASK);
    uint64_t seq = q->ln[lane].head.seq;
    uint32_t first = q->bucket[b];
    if (first == NIL) {
        q->bucket[b] = lane;
        q->ln[lane].wnext = q->ln[lane].wprev =
            lane; /* a circular list: first's prev is the last */
        mark(q, b);
        return;
    }
    uint32_t after = q->ln[first].wprev; /* the last: new seqs are the largest, as a rule */
    while (q->ln[after].head.seq > seq) {
        if (after == first) { /* before every lane in the bucket: the new first */
            after = q->ln[first].wprev;
            q->bucket[b] = lane;
            break;
        }
        after = q->ln[after].wprev;
    }
    uint32_t next = q->ln[after].wnext;
    q->ln[lane].wnext = next;
    q->ln[lane].wprev = after;
    q->ln[after].wnext = lane;
    q->ln[next].wprev = lane;
}

static void wheel_remove(struct evq *q, uint32_t lane)
{
    size_t b = (size_t)(q->ln[lane].head.at_us & WHEEL_MASK);
    uint32_t next = q->ln[lane].wnext, prev = q->ln[lane].wprev;
    if (next == lane) {
        q->bucket[b] = NIL;
        unmark(q, b);
        return;
    }
    q->ln[prev].wnext = next;
    q->ln[next].wprev = prev;
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

/* Files lane's head (ln[lane].head, set) in the wheel or the heap. */
static void file_head(struct evq *q, uint32_t lane)
{
    time_us at = q->ln[lane].head.at_us;
    if (at >= q->base && at - q->base < EVQ_WHEEL) {
        q->ln[lane].where = WHERE_WHEEL;
        q->n_wheel++;
        wheel_insert(q, lane);
    } else {
        q->ln[lane].where = WHERE_HEAP;
        heap_insert(q, lane);
    }
}

static void unfile_head(struct evq *q, uint32_t lane)
{
    if (q->ln[lane].where == WHERE_WHEEL) {
        wheel_remove(q, lane);
        q->n_wheel--;
    } else if (q->ln[lane].where == WHERE_HEAP)
        heap_remove(q, lane);
    q->ln[lane].where = WHERE_NONE;
}

uint64_t evq_take_seq(struct evq *q)
{
    return q->next_seq++;
}

int evq_push_seq(struct evq *q, uint32_t lane, time_us at_us, uint64_t seq, void *data,
                 uint64_t tag)
{
    assert(lane < q->n_lanes);
    struct heap_entry e = { .at_us = at_us, .seq = seq, .data = data, .tag = tag };
    if (q->ln[lane].where == WHERE_NONE) {
        q->ln[lane].head = e;
        file_head(q, lane);
    } else if (tqueue_less(&e, &q->ln[lane].head)) {
        /* The new event is the lane's head: the old one goes behind it. */
        const struct heap_entry *old = &q->ln[lane].head;
        if (tqueue_push(&q->lanes[lane], old->at_us, old->seq, old->data, old->tag) != 0) return -1;
        unfile_head(q, lane);
        q->ln[lane].head = e;
        file_head(q, lane);
    } else if (tqueue_push(&q->lanes[lane], at_us, seq, data, tag) != 0) {
        return -1;
    }
    q->n_events++;
    return 0;
}

int evq_push(struct evq *q, uint32_t lane, time_us at_us, void *data, uint64_t tag)
{
    if (evq_push_seq(q, lane, at_us, q->next_seq, data, tag) != 0) return -1;
    q->next_seq++;
    return 0;
}

/* The lane whose head is the next event, or NIL. */
static uint32_t first_lane(const struct evq *q)
{
    uint32_t best = NIL;
    if (q->n_heap) best = q->heap[0].lane;
    if (q->n_wheel == 0) return best;
    uint32_t b = next_marked(q, (size_t)(q->base & WHEEL_MASK));
    if (b == NIL) return best;
    uint32_t w = q->bucket[b];
    if (best == NIL || tqueue_less(&q->ln[w].head, &q->ln[best].head)) return w;
    return best;
}

const struct heap_entry *evq_peek(const struct evq *q, uint32_t *lane)
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
    uint32_t l = first_lane(q);
    if (l == NIL || q->ln[l].head.at_us > until_us) return -1;
    *out = q->ln[l].head;
    if (lane) *lane = l;
    q->n_events--;
    unfile_head(q, l);
    if (out->at_us > q->base) q->base = out->at_us;
    if (tqueue_pop(&q->lanes[l], &q->ln[l].head) == 0) file_head(q, l);
    return 0;
}

int evq_reschedule(struct evq *q, uint32_t lane, time_us at_us, uint64_t seq, void *data,
                   uint64_t tag)
{
    evq_drop_lane(q, lane);
    return evq_push_seq(q, lane, at_us, seq, data, tag);
}

void evq_drop_lane(struct evq *q, uint32_t lane)
{
    assert(lane < q->n_lanes);
    if (q->ln[lane].where == WHERE_NONE) return;
    q->n_events -= 1 + tqueue_len(&q->lanes[lane]);
    tqueue_release(&q->lanes[lane]);
    unfile_head(q, lane);
}

void evq_clear(struct evq *q)
{
    for (uint32_t i = 0; i < q->n_lanes; i++) {
        unfile_head(q, i);
        tqueue_release(&q->lanes[i]);
    }
    q->n_events = 0;
}
