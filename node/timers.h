/*
 * timers: a node's timers, one slot each (a batch schedule's next flush, a peer's retry, a peer's
 * owed ack, the anti-entropy round), on one common/heap. Arming a slot pushes (at, slot); an
 * entry whose slot has since been re-armed or disarmed is stale and skipped when it surfaces, so
 * arming is O(log n) and nothing is ever searched. Ties fire in arming order (the heap's seq).
 * Pure: no clock, no IO; the owner passes now_us.
 */
#ifndef GL_NODE_TIMERS_H
#define GL_NODE_TIMERS_H

#include <stdbool.h>
#include <stdint.h>

#include "heap.h"
#include "time.h"

struct timers {
    struct heap heap; /* (at_us, tag = slot) */
    time_us *at;      /* at[slot]: when it fires, TIME_NEVER when disarmed; n_at entries */
    uint32_t n_at;    /* slots with an entry: those ever armed and below them (grown on demand) */
    uint32_t n_slots; /* slots there may be: the heap is rebuilt above 2 * n_slots + 64 entries */
    bool unsettled;   /* the top may be stale: an armed slot changed, or an entry was popped */
};

void timers_init(struct timers *t);
void timers_release(struct timers *t);

/*
 * Sets up n_slots slots, all disarmed (forgets any earlier slots). A slot's entry is made when it
 * is first armed, so a node whose delivery mode has two slots per cluster node pays only for the
 * peers it talks to. Returns 0 or -1.
 */
int timers_setup(struct timers *t, uint32_t n_slots);

/* Sets slot to fire at at_us (replacing an earlier arming). Returns 0, or -1 when memory runs
 * out (the slot is then disarmed). */
int timers_arm(struct timers *t, uint32_t slot, time_us at_us);

/* Arms slot at at_us unless it is already armed earlier. */
int timers_arm_min(struct timers *t, uint32_t slot, time_us at_us);

void timers_disarm(struct timers *t, uint32_t slot);

/* When slot fires, or TIME_NEVER. */
static inline time_us timers_at(const struct timers *t, uint32_t slot)
{
    return slot < t->n_at ? t->at[slot] : TIME_NEVER;
}

/* Takes the earliest armed slot due at or before now_us (disarming it): true and *slot, or
 * false when none is due. */
bool timers_pop_due(struct timers *t, time_us now_us, uint32_t *slot);

/* Drops stale entries from the top of the heap, so timers_next_us is exact. Nothing to do
 * unless an armed slot was moved or disarmed, or an entry popped, since the last settle. */
void timers_settle(struct timers *t);

/* The earliest armed slot's time (after timers_settle), or TIME_NEVER. */
static inline time_us timers_next_us(const struct timers *t)
{
    return t->heap.n ? t->heap.v[0].at_us : TIME_NEVER;
}

#endif
