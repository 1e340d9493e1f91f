/*
 * delivery: how a node makes sure what it sends arrives, as an interface with one implementation
 * per [delivery] mode. The core calls it at four points and it answers through a port:
 *   on_send     a broadcast_internal to a peer is about to leave with its final values: stamp
 *               it (msg_id, sequence numbers, a piggy-backed ack) and record what must be
 *               re-sent if it is lost (record = false: a repair message, nothing to record);
 *   on_receive  a broadcast_internal from a peer arrived: note what it acknowledges and what we
 *               now owe the peer;
 *   on_ok       a broadcast_internal_ok from a peer arrived;
 *   on_timer    one of the mode's timer slots is due: values whose acknowledgement is overdue go
 *               back to the peer's pending list (port.requeue), an ack owed too long goes out on
 *               its own (port.send_bare: an empty broadcast_internal that on_send stamps).
 * Timers live on the node's timers (timers.h), in slots slot0 .. slot0 + delivery_slots() - 1,
 * so the node's next deadline covers them. Replying broadcast_internal_ok to a message that
 * carries a msg_id is the core's: the sender's mode decides, whatever ours is.
 *
 * Modes (delivery.c, cumack.c):
 *   fire-and-forget  nothing stamped, nothing recorded: one message per hop, a loss is final;
 *   acks             every broadcast_internal carries a msg_id and is re-sent after retry_us
 *                    until its broadcast_internal_ok arrives (inflight.h);
 *   cumulative       per link a sequence of sent values; every message carries the highest
 *                    contiguous sequence received from its destination; values unacknowledged
 *                    after retry_us are re-sent (batched); a stand-alone ack goes out only when
 *                    one has been owed for ack_delay_us with no message to carry it.
 * Pure: no clock, no IO.
 */
#ifndef GL_NODE_DELIVERY_H
#define GL_NODE_DELIVERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg.h"
#include "msg.h"
#include "time.h"
#include "timers.h"

/* What a delivery mode may ask of the node. */
struct delivery_port {
    void *ctx;
    /* Puts values back on peer's pending list, to go out with its next flush (a retry). */
    int (*requeue)(void *ctx, uint32_t peer, const int64_t *vals, size_t n, time_us now_us);
    /* Sends peer an empty broadcast_internal now (stamped by on_send): a stand-alone ack. */
    int (*send_bare)(void *ctx, uint32_t peer, time_us now_us);
};

struct delivery;

struct delivery_ops {
    int (*on_send)(struct delivery *d, uint32_t peer, struct msg *m, bool record, time_us now_us);
    int (*on_receive)(struct delivery *d, uint32_t peer, const struct msg *in, time_us now_us);
    int (*on_ok)(struct delivery *d, uint32_t peer, const struct msg *in, time_us now_us);
    int (*on_timer)(struct delivery *d, uint32_t slot, time_us now_us); /* slot - slot0 */
    void (*release)(struct delivery *d);
};

struct delivery {
    const struct delivery_ops *ops;
    void *state; /* the mode's own */
    struct timers *timers;
    uint32_t slot0;
    struct delivery_port port;
    uint32_t n_peers;
    time_us retry_us, ack_delay_us;
    uint64_t retries;    /* messages (acks) or lists (cumulative) handed back for re-sending */
    uint64_t acks_alone; /* cumulative: stand-alone acks sent */
};

/* Timer slots a mode needs for n_peers peers. */
uint32_t delivery_slots(enum delivery_mode mode, uint32_t n_peers);

/*
 * Sets d up for cfg's mode over n_peers peers, its timers on slots slot0 .. + delivery_slots().
 * Returns 0 or -1 (memory). delivery_release frees what the mode holds.
 */
int delivery_setup(struct delivery *d, const struct cfg *cfg, uint32_t n_peers,
                   struct timers *timers, uint32_t slot0, struct delivery_port port);
void delivery_release(struct delivery *d);

/* The cumulative mode's setup (cumack.c); the other modes live in delivery.c. */
int delivery_cumulative_setup(struct delivery *d);

static inline int delivery_on_send(struct delivery *d, uint32_t peer, struct msg *m, bool record,
                                   time_us now_us)
{
    return d->ops ? d->ops->on_send(d, peer, m, record, now_us) : 0;
}

static inline int delivery_on_receive(struct delivery *d, uint32_t peer, const struct msg *in,
                                      time_us now_us)
{
    return d->ops ? d->ops->on_receive(d, peer, in, now_us) : 0;
}

static inline int delivery_on_ok(struct delivery *d, uint32_t peer, const struct msg *in,
                                 time_us now_us)
{
    return d->ops ? d->ops->on_ok(d, peer, in, now_us) : 0;
}

static inline int delivery_on_timer(struct delivery *d, uint32_t slot, time_us now_us)
{
    return d->ops ? d->ops->on_timer(d, slot - d->slot0, now_us) : 0;
}

#endif
