/*
 * timers: slots over one heap with lazy deletion (see timers.h). Stale entries cost nothing
 * until they surface; when they outnumber the slots the heap is rebuilt from the slot table, so
 * its size stays O(slots) however often a timer is re-armed.
 */
#include "timers.h"

#include <assert.h>
#include <stdlib.h>

#include "banned.h"

void timers_init(struct timers *t)
{
    heap_init(&t->heap);
    t->at = NULL;
    t->n_at = 0;
    t->n_slots = 0;
    t->unsettled = false;
}

void timers_release(struct timers *t)
{
    heap_release(&t->heap);
    free(t->at);
    timers_init(t);
}

int timers_setup(struct timers *t, uint32_t n_slots)
{
    timers_release(t);
    t->n_slots = n_slots;
    return 0;
}

/* Gives slot, which has none, an entry (and every slot below it), disarmed. */
static int reach(struct timers *t, uint32_t slot)
{
    assert(slot < t->n_slots && slot >= t->n_at);
    uint32_t n = t->n_at ? t->n_at : 8;
    while (n <= slot)
        n *= 2;
    if (n > t->n_slots) n = t->n_slots;
    time_us *at = realloc(t->at, n * sizeof(*at));
    if (!at) return -1;
    for (uint32_t s = t->n_at; s < n; s++)
        at[s] = TIME_NEVER;
    t->at = at;
    t->n_at = n;
    return 0;
}

static bool live(const struct timers *t, const struct heap_entry *e)
{
    return t->at[e->tag] == e->at_us;
}

/* Rebuilds the heap from the armed slots, in slot order (used when stale entries pile up). */
static int rebuild(struct timers *t)
{
    struct heap h;
    heap_init(&h);
    struct heap_entry e;
    /* Keep the live entries in their heap order so equal times keep their arming order. */
    while (heap_pop(&t->heap, &e) == 0) {
        if (live(t, &e) && heap_push(&h, e.at_us, NULL, e.tag) != 0) {
            heap_release(&h);
            return -1;
        }
    }
    heap_release(&t->heap);
    t->heap = h;
    return 0;
}

int timers_arm(struct timers *t, uint32_t slot, time_us at_us)
{
    if (timers_at(t, slot) == at_us) return 0;
    if (slot >= t->n_at && reach(t, slot) != 0) return -1;
    if (t->at[slot] != TIME_NEVER) t->unsettled = true; /* its entry goes stale */
    t->at[slot] = at_us;
    if (at_us == TIME_NEVER) return 0;
    if (heap_size(&t->heap) > 2u * t->n_slots + 64 && rebuild(t) != 0) {
        t->at[slot] = TIME_NEVER;
        return -1;
    }
    if (heap_push(&t->heap, at_us, NULL, slot) != 0) {
        t->at[slot] = TIME_NEVER;
        return -1;
    }
    return 0;
}

int timers_arm_min(struct timers *t, uint32_t slot, time_us at_us)
{
    return at_us < timers_at(t, slot) ? timers_arm(t, slot, at_us) : 0;
}

void timers_disarm(struct timers *t, uint32_t slot)
{
    if (timers_at(t, slot) == TIME_NEVER) return;
    t->unsettled = true;
    t->at[slot] = TIME_NEVER;
}

bool timers_pop_due(struct timers *t, time_us now_us, uint32_t *slot)
{
    const struct heap_entry *top;
    while ((top = heap_peek(&t->heap)) != NULL && top->at_us <= now_us) {
        struct heap_entry e;
        heap_pop(&t->heap, &e);
        t->unsettled = true; /* the next entry may be stale */
        if (!live(t, &e)) continue;
        t->at[e.tag] = TIME_NEVER;
        *slot = (uint32_t)e.tag;
        return true;
    }
    return false;
}

void timers_settle(struct timers *t)
{
    if (!t->unsettled) return;
    const struct heap_entry *top;
    struct heap_entry e;
    while ((top = heap_peek(&t->heap)) != NULL && !live(t, top))
        heap_pop(&t->heap, &e);
    t->unsettled = false;
}
