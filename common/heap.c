/*
 * heap.c: array-backed binary min-heap keyed by (at_us, seq). Pure: no clock, no globals.
 */
#include "heap.h"

#include <stdlib.h>

#include "strbuf.h"

#include "banned.h"

static int entry_less(const struct heap_entry *a, const struct heap_entry *b)
{
    if (a->at_us != b->at_us) return a->at_us < b->at_us;
    return a->seq < b->seq;
}

void heap_init(struct heap *h)
{
    h->v = NULL;
    h->n = 0;
    h->cap = 0;
    h->next_seq = 0;
}

void heap_release(struct heap *h)
{
    free(h->v);
    heap_init(h);
}

int heap_push(struct heap *h, time_us at_us, void *data, uint64_t tag)
{
    if (heap_push_seq(h, at_us, h->next_seq, data, tag) != 0) return -1;
    h->next_seq++;
    return 0;
}

int heap_push_seq(struct heap *h, time_us at_us, uint64_t seq, void *data, uint64_t tag)
{
    if (GL_GROW(h->v, h->n + 1, h->cap) != 0) return -1;
    struct heap_entry e = { .at_us = at_us, .seq = seq, .data = data, .tag = tag };
    size_t i = h->n++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!entry_less(&e, &h->v[parent])) break;
        h->v[i] = h->v[parent];
        i = parent;
    }
    h->v[i] = e;
    return 0;
}

const struct heap_entry *heap_peek(const struct heap *h)
{
    return h->n ? &h->v[0] : NULL;
}

int heap_pop(struct heap *h, struct heap_entry *out)
{
    if (h->n == 0) return -1;
    *out = h->v[0];
    struct heap_entry last = h->v[--h->n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1;
        if (l >= h->n) break;
        size_t c = l;
        if (l + 1 < h->n && entry_less(&h->v[l + 1], &h->v[l])) c = l + 1;
        if (!entry_less(&h->v[c], &last)) break;
        h->v[i] = h->v[c];
        i = c;
    }
    if (h->n) h->v[i] = last;
    return 0;
}
