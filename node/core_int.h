/*
 * core_int.h: the node's state and the functions core.c (messages, sending, timers) and
 * core_setup.c (the cluster, routes and seams built at init, node_new / node_free) share. Private
 * to the core: everything else goes through core.h.
 */
#ifndef GL_NODE_CORE_INT_H
#define GL_NODE_CORE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "batch.h"
#include "cfg.h"
#include "core.h"
#include "delivery.h"
#include "msg.h"
#include "route.h"
#include "sync.h"
#include "timers.h"
#include "topo.h"
#include "valset.h"

/* Maelstrom error codes we answer with (spec §1.5). */
enum {
    ERR_NOT_SUPPORTED = 10,
    ERR_TEMPORARILY_UNAVAILABLE = 11,
    ERR_MALFORMED_REQUEST = 12,
    ERR_CRASH = 13,
    ERR_PRECONDITION_FAILED = 22,
};

enum { SLOT_SYNC = BATCH_DIRS, SLOT_DELIVERY0 };

/* What a broadcast_internal is for: it decides what delivery and sync add to it. */
enum emit_kind {
    EMIT_DATA,   /* routed values: recorded by the delivery mode, may carry a digest */
    EMIT_BARE,   /* no values: a stand-alone ack */
    EMIT_DIGEST, /* no values: a stand-alone digest */
    EMIT_REPAIR, /* values (and "need") answering a digest: not recorded, no digest */
};

struct node {
    struct cfg cfg;
    struct topo file_topo; /* CFG_STRATEGY_FILE only */

    bool initialised;
    char self[GL_ID_MAX];
    uint32_t self_idx;
    /* The cluster, in init order. Maelstrom names it n0, n1, ... n(N-1): then nothing is stored
     * (canonical: an id's number is its index). Otherwise id k is the string at id_text +
     * id_off[k], packed: a 1,000-node cluster's ids in ~10 KB, not 32 KB of GL_ID_MAX arrays per
     * node (a node core per cluster node: N² bytes in all). */
    bool canonical;
    uint32_t name_peer[8]; /* canonical: the peers whose names name_of holds, by peer % 8 */
    char name_of[8][8]; /* ("n1023" and its NUL fit): a node sends to few peers, again and again */
    char *id_text;
    uint32_t *id_off;
    uint32_t n_ids;
    uint16_t *names; /* hash of ids: 0 = empty, else 1 + index (GL_MAX_NODES < 65535) */
    size_t names_cap;
    time_us start_us; /* process start (node_set_start_us), for [batch] phase = start */

    struct route route;
    uint32_t *targets; /* scratch for route_client / route_relay: route.n_links entries */
    struct valset values;
    struct timers timers;
    struct batch batch;
    struct delivery delivery;
    struct sync sync;
    struct sync_reply reply;
    struct outbox *out; /* the outbox of the call in progress (for the delivery port) */

    struct node_stats stats;
};

/* The delivery port (core.c): a retry's values back on a pending list; a stand-alone ack. */
int core_requeue(void *ctx, uint32_t peer, const int64_t *vals, size_t count, time_us now_us);
int core_send_bare(void *ctx, uint32_t peer, time_us now_us);

/* core_setup.c */

/* Index of a cluster node by name, or -1. */
int32_t core_peer_find(const struct node *n, const char *name);

/* The id of the cluster's node k: the node's own copy, or written into buf (canonical ids). */
const char *core_peer_name(const struct node *n, uint32_t k, char buf[GL_ID_MAX]);

/* The same for a message the node sends: a canonical name is written once into a small cache. */
const char *core_dest_name(struct node *n, uint32_t k);

/*
 * Learns the cluster from init (ids, name hash) and builds the routes, the batcher, the delivery
 * mode and anti-entropy. Returns 0, or -1 with why and the error code to answer in *code
 * (12 malformed init, 13 our configuration does not fit the cluster).
 */
int core_set_cluster(struct node *n, time_us now_us, const struct msg *in, int64_t *code, char *why,
                     size_t whylen);

/* Frees everything core_set_cluster built; the node is uninitialised again. */
void core_forget_cluster(struct node *n);

/* The maelstrom strategy's routes from the controller's map (names outside the cluster are
 * skipped). Returns 0, or -1 with why. */
int core_adopt_map(struct node *n, const struct topo *t, time_us now_us, char *why, size_t whylen);

#endif
