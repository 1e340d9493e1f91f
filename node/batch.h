/*
 * batch: what a node has decided to send and not sent yet. One pending list per peer, and per
 * direction of a link (cfg.h's batch_dir: up, down, across) a flush schedule: a period and a
 * phase on a grid anchored at init, at process start or at time 0 of the clock
 * ([batch] phase). A value queued at t leaves at the first tick of its peer's schedule strictly
 * after t, all of a peer's pending values in one broadcast_internal; a period of 0 means "at the
 * end of the call that queued it". An optional size trigger flushes a peer's list as soon as it
 * holds max_values values.
 *
 * The batcher decides *when*; the caller sends. It keeps one dirty list in the order peers got
 * their first pending value, so schedules that tick together flush in one order whatever their
 * number. State is kept only for the peers a node sends to (its out-links, named at setup, and
 * any other peer the first time it gets a value): a node of a 1,000-node tree keeps a handful of
 * lists and a 2-byte index per cluster node, not 1,000 lists. Each schedule's next tick is a timer
 * slot (timers.h) armed only while one of its peers has something pending: an idle node has no
 * deadline. Pure: no clock, no IO.
 */
#ifndef GL_NODE_BATCH_H
#define GL_NODE_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg.h"
#include "time.h"
#include "timers.h"

struct batch_peer {
    int64_t *v; /* pending values, in the order queued */
    size_t n, cap;
    uint32_t peer; /* its cluster index */
    uint8_t dir;   /* enum batch_dir: which schedule */
    bool dirty;    /* on the dirty list */
};

struct batch {
    struct batch_peer *peer; /* the peers with state, in the order they got it */
    uint32_t n_slots;
    size_t cap_slots;
    uint16_t *slot_of; /* slot_of[peer]: 0 = no state yet, else 1 + index into peer */
    uint32_t n_peers;  /* cluster size */
    uint32_t *dirty;   /* slots with pending values, in the order they got their first one */
    uint32_t n_dirty;
    size_t cap_dirty;              /* room for every slot */
    bool timed;                    /* some schedule has a period: ticks may be armed */
    time_us period_us[BATCH_DIRS]; /* 0: immediate */
    time_us phase_us[BATCH_DIRS];  /* anchor + offset, reduced modulo the period */
    uint32_t max_values;           /* 0: no size trigger */
    struct timers *timers;
    uint32_t slot0; /* slots slot0 .. slot0 + BATCH_DIRS - 1: each schedule's next tick */
};

void batch_init(struct batch *b);
void batch_release(struct batch *b);

/*
 * Sets up a cluster of n_peers peers with cfg's periods and offsets on a grid anchored at
 * anchor_us, ticks armed on timers' slots slot0 .. slot0 + BATCH_DIRS - 1: links[k] (k < n_links)
 * follows schedule dir[k]; any other peer, should it get a value (a link learned later: the
 * maelstrom strategy's flood links), the across schedule. depth: this node's hops from the root;
 * its down schedule's offset is down_offset_ms * (depth + 1), so each level of a tree flushes one
 * offset after its parent. Returns 0 or -1 (memory).
 */
int batch_setup(struct batch *b, const struct cfg *cfg, uint32_t n_peers, const uint32_t *links,
                const uint8_t *dir, uint32_t n_links, uint32_t depth, time_us anchor_us,
                struct timers *timers, uint32_t slot0);

/* The first tick of schedule d strictly after now_us (d must have a period). */
time_us batch_next_tick_us(const struct batch *b, enum batch_dir d, time_us now_us);

/*
 * Queues v for peer at now_us and arms its schedule's tick. Returns 0, 1 when the peer's list
 * has reached the size trigger (the caller flushes it now), or -1 when memory runs out.
 */
int batch_add(struct batch *b, uint32_t peer, int64_t v, time_us now_us);

/* peer's state, or NULL when it has never had a value and is not a link. */
struct batch_peer *batch_peer_of(const struct batch *b, uint32_t peer);

/* The d-th peer of the dirty list (d < n_dirty): its state. */
static inline struct batch_peer *batch_dirty(const struct batch *b, uint32_t d)
{
    return &b->peer[b->dirty[d]];
}

/* Whether schedule dir sends at once (period 0). */
static inline bool batch_immediate(const struct batch *b, enum batch_dir dir)
{
    return b->period_us[dir] == 0;
}

/* A peer's pending values (valid until the next call that changes the batch). */
const int64_t *batch_pending(const struct batch_peer *p, size_t *n);

/* Empties peer's list after the caller has sent it (it stays on the dirty list until
 * batch_compact, so a flush can walk the list while clearing). */
void batch_clear(struct batch_peer *p);

/* Drops cleared peers from the dirty list (order kept). */
void batch_compact(struct batch *b);

#endif
