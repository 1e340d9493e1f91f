/*
 * netq.c: an endpoint's delivery queue (see netq.h): a ring of whole messages for those that
 * come in (deadline, id) order, a heap of pooled ones for the rest.
 */
#include "netq.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

#include "banned.h"

#define NMSG_SLAB     1024u
#define NETQ_MIN_RING 8u

void nmsg_release(struct nmsg *m, const struct topo *shared)
{
    if (msg_packed_is_full(&m->body) && m->body.u.full->topology == shared)
        m->body.u.full->topology = NULL;
    msg_packed_release(&m->body);
}

void nmsg_pool_init(struct nmsg_pool *p)
{
    memset(p, 0, sizeof(*p));
}

void nmsg_pool_release(struct nmsg_pool *p)
{
    for (size_t k = 0; k < p->n_slabs; k++)
        free(p->slabs[k]);
    free(p->slabs);
    free(p->free);
    nmsg_pool_init(p);
}

static struct nmsg *pool_get(struct nmsg_pool *p)
{
    if (p->n_free == 0) {
        /* The free stack must hold every message there is: they may all come back at once. */
        if (GL_GROW(p->slabs, p->n_slabs + 1, p->cap_slabs) != 0 ||
            GL_GROW(p->free, (p->n_slabs + 1) * NMSG_SLAB, p->cap_free) != 0)
            return NULL;
        struct nmsg *slab = malloc(NMSG_SLAB * sizeof(*slab));
        if (!slab) return NULL;
        p->slabs[p->n_slabs++] = slab;
        for (size_t k = NMSG_SLAB; k-- > 0;)
            p->free[p->n_free++] = &slab[k];
    }
    return p->free[--p->n_free];
}

static void pool_put(struct nmsg_pool *p, struct nmsg *m)
{
    p->free[p->n_free++] = m;
}

void netq_init(struct netq *q)
{
    q->ring = NULL;
    q->head = q->len = q->cap = 0;
    q->tail_deadline_us = 0;
    q->tail_id = 0;
    heap_init(&q->late);
}

void netq_release(struct netq *q, struct nmsg_pool *pool, const struct topo *shared)
{
    struct nmsg m;
    while (netq_take(q, pool, &m))
        nmsg_release(&m, shared);
    free(q->ring);
    heap_release(&q->late);
    netq_init(q);
}

static struct nmsg *ring_at(const struct netq *q, size_t k)
{
    return &q->ring[(q->head + k) & (q->cap - 1)];
}

static bool before(time_us at_a, uint64_t id_a, time_us at_b, uint64_t id_b)
{
    return at_a != at_b ? at_a < at_b : id_a < id_b;
}

int netq_push(struct netq *q, struct nmsg_pool *pool, const struct nmsg *m)
{
    if (q->len && before(m->deadline_us, m->id, q->tail_deadline_us, q->tail_id)) {
        struct nmsg *p = pool_get(pool);
        if (!p) return -1;
        *p = *m;
        if (heap_push_seq(&q->late, m->deadline_us, m->id, p, 0) != 0) {
            pool_put(pool, p);
            return -1;
        }
        return 0;
    }
    if (q->len == q->cap &&
        gl_ring_grow(&q->ring, sizeof(*q->ring), &q->head, q->len, &q->cap, NETQ_MIN_RING) != 0)
        return -1;
    *ring_at(q, q->len) = *m;
    q->len++;
    q->tail_deadline_us = m->deadline_us;
    q->tail_id = m->id;
    /* The next push writes the next slot: fetched now, it is there when that comes. */
    if (q->len < q->cap) __builtin_prefetch(ring_at(q, q->len), 1);
    return 0;
}

bool netq_take(struct netq *q, struct nmsg_pool *pool, struct nmsg *out)
{
    const struct heap_entry *late = heap_peek(&q->late);
    if (q->len > 0) {
        const struct nmsg *first = ring_at(q, 0);
        if (!late || before(first->deadline_us, first->id, late->at_us, late->seq)) {
            *out = *first;
            q->head = (q->head + 1) & (q->cap - 1);
            q->len--;
            return true;
        }
    }
    if (!late) return false;
    struct heap_entry he;
    heap_pop(&q->late, &he);
    *out = *(struct nmsg *)he.data;
    pool_put(pool, he.data);
    return true;
}
