/*
 * batch: pending lists and flush schedules (see batch.h). A peer's state is a slot, made the
 * first time it is needed (at setup for the out-links); slot_of maps a cluster index to it.
 * Sans-IO.
 */
#include "batch.h"

#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "strbuf.h"

#include "banned.h"

_Static_assert(GL_MAX_NODES < UINT16_MAX, "slot_of holds 1 + slot in 16 bits");

void batch_init(struct batch *b)
{
    memset(b, 0, sizeof(*b));
}

void batch_release(struct batch *b)
{
    for (uint32_t s = 0; s < b->n_slots; s++)
        free(b->peer[s].v);
    free(b->peer);
    free(b->slot_of);
    free(b->dirty);
    batch_init(b);
}

/* Gives peer a slot with schedule dir unless it has one. Returns its slot, or -1 (memory). */
static int32_t slot_for(struct batch *b, uint32_t peer, enum batch_dir dir)
{
    if (b->slot_of[peer] != 0) return b->slot_of[peer] - 1;
    if (GL_GROW(b->peer, b->n_slots + 1, b->cap_slots) != 0) return -1;
    if (GL_GROW(b->dirty, b->n_slots + 1, b->cap_dirty) != 0) return -1;
    struct batch_peer *p = &b->peer[b->n_slots];
    memset(p, 0, sizeof(*p));
    p->peer = peer;
    p->dir = (uint8_t)dir;
    b->slot_of[peer] = (uint16_t)(b->n_slots + 1);
    return (int32_t)b->n_slots++;
}

int batch_setup(struct batch *b, const struct cfg *cfg, uint32_t n_peers, const uint32_t *links,
                const uint8_t *dir, uint32_t n_links, uint32_t depth, time_us anchor_us,
                struct timers *timers, uint32_t slot0)
{
    batch_release(b);
    b->slot_of = calloc(n_peers ? n_peers : 1, sizeof(*b->slot_of));
    if (!b->slot_of) return -1;
    b->n_peers = n_peers;
    for (uint32_t k = 0; k < n_links; k++) {
        if (slot_for(b, links[k], (enum batch_dir)dir[k]) < 0) {
            batch_release(b);
            return -1;
        }
    }
    for (int d = 0; d < BATCH_DIRS; d++) {
        time_us period = cfg_batch_period_us(cfg, (enum batch_dir)d);
        time_us offset = cfg->batch_offset_us[d];
        if (d == BATCH_DOWN) offset *= (time_us)depth + 1;
        b->period_us[d] = period;
        b->phase_us[d] = period ? (anchor_us % period + offset % period) % period : 0;
        if (period) b->timed = true;
    }
    b->max_values = cfg->batch_max_values;
    b->timers = timers;
    b->slot0 = slot0;
    return 0;
}

time_us batch_next_tick_us(const struct batch *b, enum batch_dir d, time_us now_us)
{
    time_us period = b->period_us[d], phase = b->phase_us[d];
    /* The grid is every t = phase (mod period); the first such t > now. */
    time_us into = (now_us % period + period - phase) % period; /* now - (last grid point) */
    return now_us - into + period;
}

int batch_add(struct batch *b, uint32_t peer, int64_t v, time_us now_us)
{
    int32_t slot = b->slot_of[peer] ? b->slot_of[peer] - 1 : slot_for(b, peer, BATCH_ACROSS);
    if (slot < 0) return -1;
    struct batch_peer *p = &b->peer[slot];
    if (GL_GROW(p->v, p->n + 1, p->cap) != 0) return -1;
    p->v[p->n++] = v;
    if (!p->dirty) {
        p->dirty = true;
        b->dirty[b->n_dirty++] = (uint32_t)slot;
    }
    if (b->period_us[p->dir] != 0) {
        uint32_t t = b->slot0 + p->dir;
        if (timers_at(b->timers, t) == TIME_NEVER &&
            timers_arm(b->timers, t, batch_next_tick_us(b, (enum batch_dir)p->dir, now_us)) != 0)
            return -1;
    }
    return b->max_values && p->n >= b->max_values ? 1 : 0;
}

struct batch_peer *batch_peer_of(const struct batch *b, uint32_t peer)
{
    return b->slot_of[peer] ? &b->peer[b->slot_of[peer] - 1] : NULL;
}

const int64_t *batch_pending(const struct batch_peer *p, size_t *n)
{
    *n = p->n;
    return p->v;
}

void batch_clear(struct batch_peer *p)
{
    p->n = 0;
}

void batch_compact(struct batch *b)
{
    uint32_t k = 0;
    for (uint32_t d = 0; d < b->n_dirty; d++) {
        struct batch_peer *p = &b->peer[b->dirty[d]];
        if (p->n > 0)
            b->dirty[k++] = b->dirty[d];
        else
            p->dirty = false;
    }
    b->n_dirty = k;
}
