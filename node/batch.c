/*
 * batch: pending lists and flush schedules (see batch.h). Sans-IO.
 */
#include "batch.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

#include "banned.h"

void batch_init(struct batch *b)
{
    memset(b, 0, sizeof(*b));
}

void batch_release(struct batch *b)
{
    for (uint32_t p = 0; b->peer && p < b->n_peers; p++)
        free(b->peer[p].v);
    free(b->peer);
    free(b->dirty);
    batch_init(b);
}

int batch_setup(struct batch *b, const struct cfg *cfg, uint32_t n_peers, const uint8_t *dir,
                uint32_t depth, time_us anchor_us, struct timers *timers, uint32_t slot0)
{
    batch_release(b);
    b->peer = calloc(n_peers ? n_peers : 1, sizeof(*b->peer));
    b->dirty = malloc((n_peers ? n_peers : 1) * sizeof(*b->dirty));
    if (!b->peer || !b->dirty) {
        batch_release(b);
        return -1;
    }
    b->n_peers = n_peers;
    for (uint32_t p = 0; p < n_peers; p++)
        b->peer[p].dir = dir[p];
    for (int d = 0; d < BATCH_DIRS; d++) {
        time_us period = cfg_batch_period_us(cfg, (enum batch_dir)d);
        time_us offset = cfg->batch_offset_us[d];
        if (d == BATCH_DOWN) offset *= (time_us)depth + 1;
        b->period_us[d] = period;
        b->phase_us[d] = period ? (anchor_us % period + offset % period) % period : 0;
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
    struct batch_peer *p = &b->peer[peer];
    if (GL_GROW(p->v, p->n + 1, p->cap) != 0) return -1;
    p->v[p->n++] = v;
    if (!p->dirty) {
        p->dirty = true;
        b->dirty[b->n_dirty++] = peer;
    }
    if (b->period_us[p->dir] != 0) {
        uint32_t slot = b->slot0 + p->dir;
        if (timers_at(b->timers, slot) == TIME_NEVER &&
            timers_arm(b->timers, slot, batch_next_tick_us(b, (enum batch_dir)p->dir, now_us)) != 0)
            return -1;
    }
    return b->max_values && p->n >= b->max_values ? 1 : 0;
}

bool batch_immediate(const struct batch *b, uint32_t peer)
{
    return b->period_us[b->peer[peer].dir] == 0;
}

const int64_t *batch_pending(const struct batch *b, uint32_t peer, size_t *n)
{
    *n = b->peer[peer].n;
    return b->peer[peer].v;
}

void batch_clear(struct batch *b, uint32_t peer)
{
    b->peer[peer].n = 0;
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
