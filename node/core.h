/*
 * core: the broadcast node as a pure state machine (sans-IO). It never reads a clock, never calls
 * rand(), never touches stdio and holds no globals, so N nodes can live in one process under a
 * virtual clock (harness --virtual) as well as behind the stdio driver (main.c).
 *
 * Drivers feed it messages and ticks with the current time and drain its outbox:
 *   node_on_message(n, now_us, &msg, &outbox)   a decoded message addressed to this node
 *   node_on_tick(n, now_us, &outbox)            call when now_us >= node_next_deadline_us(n)
 * Inside, four seams (docs/node.md):
 *   route (common/route.h): where a value goes. flood (grid, line, tree2-4, total, maelstrom,
 *       file without a root): on first sight, to every neighbour except the sender; rooted (tree,
 *       star, kary, file holding an arborescence): a client broadcast to the node's children and
 *       the root, a peer's value to the children except the sender; flat: the origin sends to
 *       every other node; mesh (hubs): a leaf sends to its hub, a hub relays its leaves' values
 *       to the other hubs and its leaves and other hubs' values to its leaves.
 *   batch (batch.h): when it goes. Per-peer pending lists flushed on a grid per direction of a
 *       link (up / down / across: [batch] up_ms, down_ms, across_ms and their offsets, timeout_ms
 *       for all), anchored at init, process start or the clock's 0 ([batch] phase).
 *   delivery (delivery.h): fire-and-forget, acks (a msg_id per message, answered with
 *       broadcast_internal_ok), cumulative (sequence numbers per link, acks riding on messages).
 *       A receiver answers broadcast_internal_ok exactly when the message has a msg_id, so the
 *       sender's mode decides.
 *   sync (sync.h): anti-entropy digests and repairs ([delivery] sync_ms), with any mode.
 * All their timers are on one heap; node_next_deadline_us is its earliest, TIME_NEVER when idle.
 */
#ifndef GL_NODE_CORE_H
#define GL_NODE_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "cfg.h"
#include "msg.h"
#include "time.h"
#include "topo.h"

struct node;

/* Counters for tests, logs and the harness. */
struct node_stats {
    uint64_t internal_sent;    /* broadcast_internal messages emitted (all kinds, incl. retries) */
    uint64_t internal_ok_sent; /* broadcast_internal_ok emitted */
    uint64_t retries;          /* unacknowledged values put back for re-sending (per message with
                                  acks, per peer list with cumulative) */
    uint64_t acks_sent;        /* cumulative: stand-alone acks (empty broadcast_internal) */
    uint64_t digests_sent;     /* anti-entropy digests (riding or alone) */
    uint64_t repairs_sent;     /* anti-entropy repair messages */
    uint64_t duplicates;       /* values received that were already known */
    uint64_t errors_sent;      /* error replies (unknown type, bad request, ...) */
};

/*
 * A new node for cfg. file_topo: the topology for CFG_STRATEGY_FILE (copied; NULL otherwise).
 * Returns NULL with a message in err. The caller frees with node_free().
 */
struct node *node_new(const struct cfg *cfg, const struct topo *file_topo, char *err,
                      size_t errlen);
void node_free(struct node *n);

/*
 * The node's process started at start_us (the driver's clock; 0 if never called). With [batch]
 * phase = start the batch grid is anchored there instead of at init.
 */
void node_set_start_us(struct node *n, time_us start_us);

/*
 * Handles one message addressed to this node; replies and peer messages go to out.
 * Returns 0, or -1 when the message could not be fully served: a limit was hit, memory ran out,
 * init was refused, or the message was refused (err says why, for the driver's log; the message
 * was answered with an error where it had a msg_id). Errors: 10 unknown type, 11 before init,
 * 12 malformed (see node_reply_malformed; also a broadcast_internal from a sender that is not a
 * node of the cluster or holding an element that is not an integer, of which nothing is stored,
 * and a topology naming no node of the cluster), 13 the configuration does not fit the cluster
 * or a value cannot be stored, 22 a second init. After init, a message whose dest is not this
 * node is dropped unanswered, -1 with err naming both ids.
 */
int node_on_message(struct node *n, time_us now_us, const struct msg *in, struct outbox *out,
                    char *err, size_t errlen);

/*
 * node_on_message with the message's ends resolved by the driver, for drivers that know them as
 * indices (drv_virt): src is the sender's index in the cluster (node_cluster_id's order) or -1 when
 * it is not a node of the cluster (a client), dest the addressee's likewise; in->src and
 * in->dest must name the same ends (replies are addressed by name). The core then compares no
 * names. Before init the node has no cluster, and the names are used.
 */
int node_on_message_at(struct node *n, time_us now_us, const struct msg *in, int32_t src,
                       int32_t dest, struct outbox *out, char *err, size_t errlen);

/* The cluster's size from init (0 before init). */
uint32_t node_cluster_size(const struct node *n);

/* The id of the cluster's node k (k < node_cluster_size), in init's order: in the node's memory
 * (valid while the node lives and is not re-initialised) or written into buf. */
const char *node_cluster_id(const struct node *n, uint32_t k, char buf[GL_ID_MAX]);

/*
 * Answers a request the codec could not decode (CODEC_BAD_BODY: src, dest, type and msg_id are
 * filled) with error 12 malformed-request whose text is why; nothing when it has no msg_id.
 * Returns 0, or -1 when memory runs out.
 */
int node_reply_malformed(struct node *n, const struct msg *req, const char *why,
                         struct outbox *out);

/* Runs due timers (batch flushes, retries, owed acks, anti-entropy rounds). */
void node_on_tick(struct node *n, time_us now_us, struct outbox *out);

/* The earliest time node_on_tick has work, or TIME_NEVER. */
time_us node_next_deadline_us(const struct node *n);

/* This node's id ("" before init). */
const char *node_id(const struct node *n);

/* How many values this node knows. */
size_t node_value_count(const struct node *n);

/* Copies the values known, in the order first seen, to out (room for node_value_count). */
void node_values_copy(const struct node *n, int64_t *out);

const struct node_stats *node_get_stats(const struct node *n);

#endif
