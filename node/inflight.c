/*
 * inflight: messages awaiting broadcast_internal_ok (see inflight.h). Finished messages in the
 * middle of the ring stay until the head passes them, so the head is always a live message and
 * the next retry; the ring holds about one retry period's worth of messages.
 */
#include "inflight.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static struct inflight_msg *at(const struct inflight *f, size_t k)
{
    return &f->v[(f->head + k) & (f->cap - 1)]; /* cap: a power of two */
}

static void drop_values(struct inflight_msg *m)
{
    if (m->n > 1) free(m->u.many);
    m->n = 0;
}

void inflight_init(struct inflight *f)
{
    memset(f, 0, sizeof *f);
}

void inflight_release(struct inflight *f)
{
    for (size_t k = 0; k < f->len; k++)
        drop_values(at(f, k));
    free(f->v);
    inflight_init(f);
}

static int grow(struct inflight *f)
{
    size_t cap = f->cap ? f->cap * 2 : 64;
    struct inflight_msg *v = malloc(cap * sizeof *v);
    if (!v) return -1;
    for (size_t k = 0; k < f->len; k++)
        v[k] = *at(f, k);
    free(f->v);
    f->v = v;
    f->cap = cap;
    f->head = 0;
    return 0;
}

/* Pops finished messages off the head. */
static void trim(struct inflight *f)
{
    while (f->len > 0 && at(f, 0)->done) {
        f->head = (f->head + 1) & (f->cap - 1);
        f->len--;
        f->head_id++;
    }
}

int inflight_push(struct inflight *f, int64_t msg_id, uint32_t peer, const int64_t *vals, size_t n,
                  time_us retry_at_us)
{
    if (f->len == f->cap && grow(f) != 0) return -1;
    if (f->len == 0) f->head_id = msg_id;
    assert(msg_id == f->head_id + (int64_t)f->len);
    struct inflight_msg *m = at(f, f->len);
    f->len++; /* even on failure below: the ids in the ring must stay consecutive */
    m->peer = peer;
    m->done = false;
    m->retry_at_us = retry_at_us;
    m->n = 0;
    if (n == 1) {
        m->u.one = vals[0];
        m->n = 1;
        return 0;
    }
    m->u.many = n > 1 && n <= UINT32_MAX ? malloc(n * sizeof *m->u.many) : NULL;
    if (m->u.many) {
        memcpy(m->u.many, vals, n * sizeof *m->u.many);
        m->n = (uint32_t)n;
        return 0;
    }
    if (n == 0) return 0;
    m->done = true;
    trim(f);
    return -1;
}

bool inflight_ack(struct inflight *f, int64_t msg_id, uint32_t peer)
{
    if (f->len == 0) return false;
    int64_t k = msg_id - f->head_id;
    if (k < 0 || k >= (int64_t)f->len) return false;
    struct inflight_msg *m = at(f, (size_t)k);
    if (m->done || m->peer != peer) return false;
    m->done = true;
    drop_values(m);
    trim(f);
    return true;
}

const struct inflight_msg *inflight_due(const struct inflight *f, time_us now_us)
{
    if (f->len == 0 || at(f, 0)->retry_at_us > now_us) return NULL;
    return at(f, 0);
}

void inflight_pop_due(struct inflight *f)
{
    assert(f->len > 0);
    struct inflight_msg *m = at(f, 0);
    drop_values(m);
    m->done = true;
    trim(f);
}
