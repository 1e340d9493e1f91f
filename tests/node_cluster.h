/*
 * node_cluster: a test bench for node cores (check_node, check_node_modes): N real cores in one
 * process on a fake clock with a tiny message pump: instant, FIFO delivery, every message logged
 * with its time, optional drops of broadcast_internal messages (to any node or to one).
 */
#ifndef GL_TESTS_NODE_CLUSTER_H
#define GL_TESTS_NODE_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg.h"
#include "core.h"
#include "msg.h"
#include "topo.h"

#define MAXN 32

/* Every message a node emitted, with the time it did. */
struct sent {
    time_us at;
    struct msg m;
};

struct cluster {
    struct node *node[MAXN];
    uint32_t n;
    time_us now;
    struct msg *q; /* node-to-node messages not yet delivered (FIFO from q_head) */
    size_t q_head, q_n, q_cap;
    struct sent *log;
    size_t n_log, cap_log;
    unsigned drop_internal; /* drop this many of the next broadcast_internal deliveries */
    const char *drop_dest;  /* ... only those to this node (NULL: to any) */
    bool by_index;          /* deliver node-to-node messages with node_on_message_at */
};

/* The defaults (cfg_defaults) with a built-in strategy, one batch period and a delivery mode. */
struct cfg make_cfg(enum topo_kind kind, time_us batch_us, enum delivery_mode mode);

/* A request from src to dest of type t (msg_id 0: none). */
struct msg request(const char *src, const char *dest, enum msg_type t, int64_t msg_id);

/* n nodes n0.. of cfg, each initialised at cl->now (0) by a client. */
void cluster_new(struct cluster *cl, uint32_t n, const struct cfg *cfg);
void cluster_free(struct cluster *cl);

/* A client message to node k at the current time, then everything it causes. */
void inject(struct cluster *cl, uint32_t k, struct msg *m);
void client_broadcast(struct cluster *cl, uint32_t k, int64_t value);

/* Runs every node's timers due up to t, in time order, delivering instantly; then now = t. */
void run_until(struct cluster *cl, time_us t);

/* Messages of type t logged from index `from` on. */
unsigned count_from(const struct cluster *cl, size_t from, enum msg_type t);

/* The last logged message: a node's most recent output. */
const struct msg *last(const struct cluster *cl);

#endif
