/*
 * endpoints: the world's registry of ids on the network (spec §1.3): the server nodes first
 * (endpoints 0..N-1), then clients in the order they were opened, named c0, c1, ... from one
 * counter, whatever they are for (init, topology, workers). An endpoint's index is also its
 * index in the network, which keeps the delivery queues. It is only a table: it sends nothing and
 * knows no phases. Pure: never reads a clock, never does IO.
 */
#ifndef GL_ENDPOINTS_H
#define GL_ENDPOINTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "limits.h"

struct endpoint {
    char name[GL_ID_MAX];
    bool client;
    bool open;           /* registered on the network: may send and be sent to */
    bool output_dead;    /* nodes: stdout ignored for the rest of the run (spec §1.6) */
    int32_t worker;      /* clients: the worker using it, or -1 (setup clients) */
    uint32_t setup_node; /* setup clients: the node they talk to */
    bool setup_done;     /* setup clients: answered */
};

struct endpoints {
    struct endpoint *v;
    size_t n, cap;
    uint32_t n_nodes, n_clients;
    bool default_names; /* nodes are Jepsen's n1..n5 rather than n0..n(N-1) */
};

void endpoints_init(struct endpoints *e, bool default_names);
void endpoints_release(struct endpoints *e);

/* Adds a server node (all before any client); its index, or -1 when out of memory. */
int32_t endpoints_add_node(struct endpoints *e, const char *name);
/* Opens client c<n_clients> for worker (-1: a setup client); its index, or -1. */
int32_t endpoints_add_client(struct endpoints *e, int32_t worker);
/* Forgets the endpoint added last (when the network could not take it). */
void endpoints_drop_last(struct endpoints *e);

/* The index of the endpoint called name, or -1 (never registered). */
int32_t endpoints_find(const struct endpoints *e, const char *name);

/*
 * Maelstrom's check of a message's ends (spec §1.2): src must be registered and open, dest
 * registered and open. NULL with their indices in *src and *dest, or why not ("unknown src",
 * "unknown dest", "dest is a closed client").
 */
const char *endpoints_route(const struct endpoints *e, const char *src_name, const char *dest_name,
                            int32_t *src, int32_t *dest);

#endif
