/*
 * sync: anti-entropy digests and repairs (see sync.h). The three interval sets grow as values
 * are learned (all) and mature (mature after age_us, old after 2 * age_us); maturing walks a FIFO
 * of (learning time, value) with two cursors, lazily, whenever a digest is built or compared.
 */
#include "sync.h"

#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "strbuf.h"

#include "banned.h"

void sync_init(struct sync *s)
{
    memset(s, 0, sizeof(*s));
    ranges_init(&s->all);
    ranges_init(&s->mature);
    ranges_init(&s->old);
    ranges_init(&s->scratch);
}

void sync_release(struct sync *s)
{
    ranges_release(&s->all);
    ranges_release(&s->mature);
    ranges_release(&s->old);
    ranges_release(&s->scratch);
    free(s->fifo);
    free(s->next_digest_us);
    free(s->peers);
    sync_init(s);
}

void sync_reply_init(struct sync_reply *r)
{
    memset(&r->give, 0, sizeof(r->give));
    ranges_init(&r->need);
}

void sync_reply_release(struct sync_reply *r)
{
    free(r->give.v);
    ranges_release(&r->need);
    sync_reply_init(r);
}

int sync_setup(struct sync *s, time_us period_us, time_us age_us, uint32_t n_ids,
               const uint32_t *peers, uint32_t n, struct timers *timers, uint32_t slot,
               time_us now_us)
{
    sync_release(s);
    s->period_us = period_us;
    s->age_us = age_us;
    if (!period_us) return 0;
    s->next_digest_us = calloc(n_ids ? n_ids : 1, sizeof(*s->next_digest_us));
    s->peers = malloc((n ? n : 1) * sizeof(*s->peers));
    if (!s->next_digest_us || !s->peers) return -1;
    memcpy(s->peers, peers, n * sizeof(*peers));
    s->n_peers = n;
    s->n_ids = n_ids;
    s->timers = timers;
    s->slot = slot;
    s->last_any_us = now_us;
    return timers_arm(timers, slot, now_us + period_us);
}

/* Moves the values that have come of age into mature and old; drops what both have taken. */
static int advance(struct sync *s, time_us now_us)
{
    for (; s->i_mature < s->len && s->fifo[s->i_mature].at_us + s->age_us <= now_us; s->i_mature++)
        if (ranges_add(&s->mature, s->fifo[s->i_mature].v) < 0) return -1;
    for (; s->i_old < s->len && s->fifo[s->i_old].at_us + 2 * s->age_us <= now_us; s->i_old++)
        if (ranges_add(&s->old, s->fifo[s->i_old].v) < 0) return -1;
    if (s->i_old > 0 && s->i_old * 2 >= s->len) { /* both cursors passed them: drop */
        memmove(s->fifo, s->fifo + s->i_old, (s->len - s->i_old) * sizeof(*s->fifo));
        s->len -= s->i_old;
        s->i_mature -= s->i_old;
        s->i_old = 0;
    }
    return 0;
}

/* Something was missing somewhere: the next round goes out now rather than in its period. */
static int hurry(struct sync *s, time_us now_us)
{
    s->hurry = true;
    return timers_arm_min(s->timers, s->slot, now_us);
}

int sync_learned(struct sync *s, int64_t v, bool repaired, time_us now_us)
{
    if (!s->period_us) return 0;
    if (ranges_add(&s->all, v) < 0) return -1;
    if (repaired)
        return ranges_add(&s->mature, v) < 0 || ranges_add(&s->old, v) < 0 ? -1 : hurry(s, now_us);
    if (GL_GROW(s->fifo, s->len + 1, s->cap) != 0) return -1;
    s->fifo[s->len++] = (struct sync_learned){ now_us, v };
    return 0;
}

int sync_stamp(struct sync *s, uint32_t peer, struct msg *m, bool force, time_us now_us)
{
    if (!s->period_us || m->repair) return 0;
    if (!force && now_us < s->next_digest_us[peer]) return 0;
    if (advance(s, now_us) != 0) return -1;
    size_t n = s->mature.n < GL_MAX_SYNC_RANGES ? s->mature.n : GL_MAX_SYNC_RANGES;
    for (size_t k = 0; k < 2 * n; k++)
        if (msg_values_push(&m->have, s->mature.v[k]) != 0) return -1;
    m->has_have = true;
    s->next_digest_us[peer] = now_us + s->period_us;
    s->last_any_us = now_us;
    s->digests++;
    return 0;
}

/* The values of need that we have (need ∩ all), at most GL_MAX_BATCH_VALUES, into give. */
static int gather(const struct ranges *all, const int64_t *need, size_t n_need,
                  struct msg_values *give)
{
    size_t j = 0;
    for (size_t i = 0; i < n_need; i++) {
        int64_t lo = need[2 * i], hi = need[2 * i + 1];
        while (j < all->n && all->v[2 * j + 1] < lo)
            j++;
        for (size_t k = j; k < all->n && all->v[2 * k] <= hi; k++) {
            int64_t a = all->v[2 * k] > lo ? all->v[2 * k] : lo;
            int64_t b = all->v[2 * k + 1] < hi ? all->v[2 * k + 1] : hi;
            for (int64_t v = a;; v++) {
                if (give->n >= GL_MAX_BATCH_VALUES) return 0;
                if (msg_values_push(give, v) != 0) return -1;
                if (v == b) break;
            }
        }
    }
    return 0;
}

int sync_on_receive(struct sync *s, const struct msg *in, struct sync_reply *reply, time_us now_us)
{
    reply->give.n = 0;
    ranges_clear(&reply->need);
    if (!s->period_us) return 0;
    if (in->need.n > 0 && gather(&s->all, in->need.v, in->need.n / 2, &reply->give) != 0) return -1;
    if (!in->has_have || in->have.n == 0) return 0;
    if (advance(s, now_us) != 0) return -1;
    size_t n_have = in->have.n / 2;
    int64_t top = in->have.v[in->have.n - 1];
    /* What we have had long enough and the digest lacks: give it. */
    if (ranges_subtract(s->old.v, s->old.n, in->have.v, n_have, top, &s->scratch) != 0 ||
        gather(&s->scratch, s->scratch.v, s->scratch.n, &reply->give) != 0)
        return -1;
    /* What the digest holds and we lack: ask for it. */
    if (ranges_subtract(in->have.v, n_have, s->all.v, s->all.n, INT64_MAX, &reply->need) != 0)
        return -1;
    if (reply->need.n > GL_MAX_SYNC_RANGES) reply->need.n = GL_MAX_SYNC_RANGES;
    if (reply->give.n || reply->need.n) s->repairs++;
    return reply->give.n ? hurry(s, now_us) : 0;
}

int32_t sync_on_timer(struct sync *s, time_us now_us)
{
    if (!s->period_us) return -1;
    int32_t peer = -1;
    if ((s->hurry || s->last_any_us + s->period_us <= now_us) && s->n_peers > 0) {
        peer = (int32_t)s->peers[s->next_peer];
        s->next_peer = (s->next_peer + 1) % s->n_peers;
    }
    s->hurry = false;
    time_us next = (peer >= 0 ? now_us : s->last_any_us) + s->period_us;
    timers_arm(s->timers, s->slot, next > now_us ? next : now_us + s->period_us);
    return peer;
}
