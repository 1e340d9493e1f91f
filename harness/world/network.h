/*
 * network: Maelstrom's simulated network (spec §3, §4.1), as a module of the world.
 *
 * Every endpoint (a registered id: server node or client) has one queue ordered by
 * (deadline, send order) and one delivery "thread". The thread takes the earliest queued message
 * as soon as one exists — even if it is not yet due —, applies the partition check at that
 * moment, sleeps until about the message's deadline (struct network_timing: Maelstrom's thread
 * truncates its sleep to whole ms) and delivers it. A message queued meanwhile waits,
 * even if its own deadline is earlier: head-of-line blocking, which delays client requests behind
 * server traffic (spec §3.2). Latency applies only when neither end is a client (spec §3.1).
 *
 * What it is not: it knows no names, no phases, no workload and no clock. The owner adds the
 * endpoints, sends messages, and arms a timer for each endpoint when asked (wake); when the timer
 * fires it calls network_on_wake(), and the network hands the message to deliver(). Pure: told
 * the time, never reads a clock, never does IO; every latency draw comes from the rng passed in.
 */
#ifndef GL_NETWORK_H
#define GL_NETWORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "journal.h"
#include "msg.h"
#include "rng.h"
#include "time.h"

struct topo;

enum latency_dist {
    LATENCY_CONSTANT,
    LATENCY_UNIFORM,
    LATENCY_EXPONENTIAL,
};

/* Maelstrom's names of the distributions ("constant", "uniform", "exponential"). */
const char *latency_dist_name(enum latency_dist d);
/* The distribution named s; 0, or -1 for a name that is none of them. */
int latency_dist_parse(const char *s, enum latency_dist *out);

/*
 * A message as the network hands it out: delivered, dropped or drained. Every message has its
 * decoded form `m` when the world or a core made it, or when it is addressed to a client.
 * Messages between foreign nodes (drv_proc) keep their body as raw JSON text in `raw_body`
 * (unconstrained, spec §1.2) and only m.src, m.dest and m.type_name are meaningful. In flight the
 * network keeps it smaller (packed: msg.h); this view exists only while a callback runs.
 *
 * With network_opts.deliver_packed, a delivered message may still be packed (`packed`: no
 * journal wants it decoded): then `m` is not set and the message is `body`, which a driver that
 * queues it may move out as it is (drv_virt); network_unpack() makes `m` (every reader of `m`
 * calls it first; the network calls it before the journal sees a message).
 */
struct wmsg {
    uint64_t id;        /* Maelstrom's global message id, from 0 */
    uint32_t src, dest; /* endpoint indices */
    time_us sent_us, deadline_us;
    bool packed;            /* body holds the message, m is not set */
    struct msg_packed body; /* when packed */
    struct msg m;           /* when not packed */
    int64_t one;            /* m's lone value, lent (msg_unpack) */
    char *raw_body;         /* malloc'd or NULL */
    bool topology_borrowed; /* the topology is the owner's map (network_opts.shared_topology) */
};

/*
 * Message journal sink: called once per message at its final disposition — delivered (at
 * recv_us), dropped by a partition, or still queued when network_drain() runs (both with
 * delivered false and recv_us 0). m->m.src and m->m.dest name the ends.
 */
typedef void (*network_journal_fn)(void *ctx, const struct wmsg *m, bool delivered,
                                   time_us recv_us);

/*
 * The timing of Maelstrom's delivery thread (spec §3.2), in µs. The thread takes a message,
 * computes dt = deadline - now *after* waking, sleeps (long) dt whole milliseconds when dt > 0,
 * and writes the line; Thread.sleep returns a little late. So a message arrives up to 1 ms
 * before its deadline, never exactly on it. All zero: delivery exactly at the deadline.
 */
struct network_timing {
    time_us wake_us;          /* an idle (parked) thread's wake-up, to dt and the write */
    time_us sleep_quantum_us; /* the sleep is truncated to a multiple of this; 0: exact */
    time_us overshoot_us;     /* a sleep of at least one quantum returns this much late */
};

/*
 * Defaults, measured of OpenJDK 17 on the project's machine with bench/jvm_sleep.sh (five runs'
 * medians, docs/experiments.md): put() to a parked poll() and the line written, 40-94 µs;
 * Thread.sleep(99) returns 126-219 µs late; a 100 ms message arrives 99.24-99.30 ms after it was
 * sent, which these give as 50 + 99000 + 200 = 99.25 ms.
 */
#define NETWORK_WAKE_US_DEFAULT          50u
#define NETWORK_SLEEP_QUANTUM_US_DEFAULT 1000u
#define NETWORK_OVERSHOOT_US_DEFAULT     200u

/*
 * When the delivery thread hands over a message with deadline deadline_us that it took at
 * take_us: woke says it was parked (idle) until then and pays wake_us first; a busy thread goes
 * straight from one delivery to the next poll, which costs ~2 µs (measured) and is taken as 0.
 * Never earlier than take_us; exactly max(take_us, deadline_us) when t is all zero.
 */
time_us network_delivery_time_us(const struct network_timing *t, time_us take_us, bool woke,
                                 time_us deadline_us);

struct network_opts {
    /*
     * The first n_nodes endpoints added are the server nodes: the only ones a partition can cut
     * (clients and anything added later never are, spec §3.3).
     */
    uint32_t n_nodes;
    uint64_t latency_ms; /* mean server<->server latency */
    enum latency_dist latency_dist;
    struct network_timing timing; /* the delivery thread's; zero: exact deadlines */
    struct rng *rng;              /* latency draws, one per server<->server message; borrowed */
    /* Messages whose m.topology is this map borrow it: the network never frees it. May be NULL. */
    const struct topo *shared_topology;
    /* Delivered messages may come packed (struct wmsg): the owner unpacks what it reads. */
    bool deliver_packed;
    network_journal_fn journal; /* NULL: no journal */
    void *journal_ctx;
};

/* What the network needs from its owner. */
struct network_cbs {
    void *ctx;
    /*
     * The id of an endpoint ("n3", "c17"), or NULL for this callback: then every message travels
     * whole. With it, the owner vouches that every message's src and dest are its ends' ids (the
     * world checks them before it sends: endpoints_route), messages travel packed (msg_pack) and
     * get their ids back from it on delivery.
     */
    const char *(*name)(void *ctx, uint32_t endpoint);
    /* Call network_on_wake(net, endpoint, t) at time at_us (never earlier than now). */
    void (*wake)(void *ctx, uint32_t endpoint, time_us at_us);
    /*
     * Message m arrives at endpoint now. The owner may move m->m's contents out (leaving m->m
     * msg_init()ed); the network frees the rest of m when this returns. It may call back into the
     * network (send, cut, heal, drain). Returns false when the owner has ended the run: the
     * network then takes no further message for this endpoint (what is queued stays queued, for
     * network_drain()).
     */
    bool (*deliver)(void *ctx, uint32_t endpoint, struct wmsg *m, time_us now_us);
};

struct network;

/* A network without endpoints, or NULL when out of memory. Free with network_free(). */
struct network *network_new(const struct network_opts *opts, const struct network_cbs *cbs);
/* Frees the network and every message still in it, without journaling them. NULL is fine. */
void network_free(struct network *net);

/* Registers an endpoint; its index (0, 1, ... in order of addition), or -1 when out of memory. */
int32_t network_add_endpoint(struct network *net, bool client);
uint32_t network_endpoint_count(const struct network *net);

/*
 * Sends m from endpoint src to endpoint dest at now_us: it gets the next message id and its
 * deadline (now, or now + a latency draw between two non-clients), is counted as sent, and is
 * queued at dest (whose delivery thread takes it at once if idle). Ownership of m's arrays and of
 * raw_body (malloc'd or NULL) moves to the network; m is left msg_init()ed. Returns 0, or -1 when
 * out of memory: the message is then freed and never journaled (nor delivered).
 */
int network_send(struct network *net, uint32_t src, uint32_t dest, struct msg *m, char *raw_body,
                 time_us now_us);

/* Makes m's decoded form (m->m) when it is still packed; nothing otherwise. */
void network_unpack(const struct network *net, struct wmsg *m);

/* The wake-up asked for with cbs.wake: delivers the endpoint's message in flight, if any. */
void network_on_wake(struct network *net, uint32_t endpoint, time_us now_us);

/*
 * Partition (spec §3.3): from now on, messages from node src that node dest's delivery thread
 * takes are dropped (journaled as undelivered, counted as sent only). A message already taken
 * is still delivered. Both must be server nodes (< n_nodes).
 */
void network_cut(struct network *net, uint32_t dest, uint32_t src);
/* Clears every cut. */
void network_heal(struct network *net);
/* True when dest currently ignores src. */
bool network_is_cut(const struct network *net, uint32_t dest, uint32_t src);

/*
 * End of run: every message still in flight or queued is journaled as undelivered and freed, in
 * endpoint order (the one in flight first, then the queue by deadline).
 */
void network_drain(struct network *net);

/* The :net counters of spec §4.1: a send is counted when accepted (before any drop), a receive
 * on delivery; client groups are the messages with a client at either end. */
const struct net_counts *network_counts(const struct network *net);

/* One latency draw in microseconds for mean_ms and dist (spec §3.1): whole milliseconds. */
time_us network_draw_latency_us(struct rng *r, uint64_t mean_ms, enum latency_dist dist);

#endif
