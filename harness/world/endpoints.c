/*
 * endpoints: the registry of ids (spec §1.3); the contract is in endpoints.h. Lookups by name
 * are constant time for Maelstrom's own names: c<k> is the k-th client, n<k> a node.
 * Pure: never reads a clock, never does IO.
 */
#include "endpoints.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

#include "banned.h"

void endpoints_init(struct endpoints *e, bool default_names)
{
    memset(e, 0, sizeof(*e));
    e->default_names = default_names;
}

void endpoints_release(struct endpoints *e)
{
    free(e->v);
    endpoints_init(e, e->default_names);
}

static int32_t add(struct endpoints *e, const char *name, bool client)
{
    if (e->n >= INT32_MAX || GL_GROW(e->v, e->n + 1, e->cap) != 0) return -1;
    struct endpoint *p = &e->v[e->n];
    memset(p, 0, sizeof(*p));
    snprintf(p->name, sizeof(p->name), "%s", name);
    p->client = client;
    p->open = true;
    p->worker = -1;
    return (int32_t)e->n++;
}

int32_t endpoints_add_node(struct endpoints *e, const char *name)
{
    assert(e->n_clients == 0);
    int32_t idx = add(e, name, false);
    if (idx >= 0) e->n_nodes++;
    return idx;
}

int32_t endpoints_add_client(struct endpoints *e, int32_t worker)
{
    char name[GL_ID_MAX];
    snprintf(name, sizeof(name), "c%u", e->n_clients);
    int32_t idx = add(e, name, true);
    if (idx < 0) return -1;
    e->n_clients++;
    e->v[idx].worker = worker;
    return idx;
}

void endpoints_drop_last(struct endpoints *e)
{
    assert(e->n > 0);
    if (e->v[--e->n].client)
        e->n_clients--;
    else
        e->n_nodes--;
}

static int32_t parse_index(const char *s)
{
    if (!*s || (s[0] == '0' && s[1])) return -1;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > INT32_MAX / 10) return -1;
        v = v * 10 + (*s - '0');
    }
    return v <= INT32_MAX ? (int32_t)v : -1;
}

int32_t endpoints_find(const struct endpoints *e, const char *name)
{
    if (name[0] == 'c') {
        int32_t k = parse_index(name + 1);
        if (k >= 0 && (uint32_t)k < e->n_clients) return (int32_t)e->n_nodes + k;
        return -1;
    }
    if (name[0] == 'n') {
        int32_t k = parse_index(name + 1) - (e->default_names ? 1 : 0);
        if (k >= 0 && (uint32_t)k < e->n_nodes && strcmp(e->v[k].name, name) == 0) return k;
    }
    return -1;
}

const char *endpoints_route(const struct endpoints *e, const char *src_name, const char *dest_name,
                            int32_t *src, int32_t *dest)
{
    *src = endpoints_find(e, src_name);
    *dest = endpoints_find(e, dest_name);
    if (*src < 0 || !e->v[*src].open) return "unknown src";
    if (*dest < 0) return "unknown dest";
    if (!e->v[*dest].open) return "dest is a closed client";
    return NULL;
}
