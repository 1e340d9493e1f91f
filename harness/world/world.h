/*
 * world: everything in a Maelstrom broadcast test that is not "how nodes run". Semantics: the
 * spec of Maelstrom's broadcast workload (docs/maelstrom.md), §1–§3 and the checklist of §8
 * ("spec §n" below). It is composed of two modules and owns the rest itself:
 *   - network (network.h): per-endpoint delivery queues with Maelstrom's latency, head-of-line
 *     blocking and partitions, and the :net counters;
 *   - workload (workload.h): the operation generator, client workers, the partition nemesis
 *     (its shapes: nemesis.h) and the end of test (heal, recovery wait, final reads), writing
 *     the op history;
 *   - world.c: the endpoints and their names (endpoints.h), the setup phases (init, topology),
 *     validation of node output (with wire.h), the event queue both modules schedule into, and
 *     faults.
 *
 * The world never reads a clock and never does IO: a driver tells it the time and hands it node
 * output; it asks the driver to deliver messages to nodes. Two drivers feed the same world:
 * drv_virt (node cores in-process, virtual time) and drv_proc (real processes, real time), so
 * their numbers agree by construction.
 *
 * Driver loop:
 *     world_start(w, now)
 *     while (!world_done(w)) {
 *         wait until world_next_deadline_us(w) or node output, whichever first;
 *         world_on_node_line / world_on_node_msg for each node output;
 *         world_advance(w, now);       // runs every event due at or before now
 *     }
 */
#ifndef GL_WORLD_H
#define GL_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evq.h"
#include "journal.h"
#include "limits.h"
#include "msg.h"
#include "network.h"
#include "rng.h"
#include "time.h"
#include "topo.h"

/*
 * Optional message journal sink: called once per message at its final disposition (delivered,
 * dropped by a partition, or still queued at the end). m->m.src and m->m.dest name the ends.
 * (struct wmsg and enum latency_dist come from network.h.)
 */
typedef network_journal_fn world_journal_fn;

/* A test's parameters: Maelstrom's CLI (spec §6.3) plus gossip-lab's own. */
struct world_opts {
    uint32_t node_count;   /* number of server nodes */
    bool default_names;    /* no --node-count: Jepsen's n1..n5 */
    uint64_t time_limit_s; /* main phase, seconds */
    double rate;           /* total ops/s over all clients */
    uint64_t latency_ms;   /* mean server<->server latency */
    enum latency_dist latency_dist;
    struct network_timing net_timing; /* Maelstrom's delivery thread (network.h); 0: exact */
    /*
     * Setup: each node's init is sent at a seeded offset U[0, init_spread_us) from the start,
     * as Maelstrom's one thread per node spreads them (spec §2.3 step 1). 0: all at once.
     */
    time_us init_spread_us;
    uint32_t concurrency;      /* client workers */
    bool nemesis_partition;    /* --nemesis partition */
    double nemesis_interval_s; /* mean seconds between nemesis ops */
    enum topo_kind topology;   /* --topology: a Maelstrom built-in */
    uint64_t seed;
    time_us recovery_us;      /* wait between heal and final reads (Maelstrom: 10 s) */
    time_us init_timeout_us;  /* 10 s */
    time_us op_timeout_us;    /* 5 s */
    world_journal_fn journal; /* NULL: no journal */
    void *journal_ctx;
};

/*
 * Maelstrom's setup spread: 25 threads of a just-started JVM (OpenJDK 17) that each start a node
 * process and write its init spread the writes over a median 8.7 ms (5.1-31.8 ms in 12 JVMs at a
 * load average of 5; 1.5-64 ms at 6-8), offsets roughly uniform in that span; U[0, 10 ms)
 * spreads 25 of them over ~9.2 ms (bench/jvm_sleep.sh, docs/experiments.md).
 */
#define WORLD_INIT_SPREAD_US_DEFAULT 10000u
/* Upper bound of --init-spread-us: far below the 10 s init timeout. */
#define WORLD_INIT_SPREAD_US_MAX 1000000u

void world_opts_defaults(struct world_opts *o);

/* What the world needs from a driver. */
struct world_driver {
    void *ctx;
    /*
     * Write message m to node `node` (an index < node_count) now. The driver may keep m->m's
     * contents by moving them out and leaving m->m msg_init()ed; the world frees the rest of m
     * when this returns. (m->m.topology may be the world's own map: see topology_borrowed.)
     */
    void (*deliver)(void *ctx, uint32_t node, struct wmsg *m, time_us now_us);
    /*
     * The driver takes messages still packed (m->packed, network.h) and calls world_unpack()
     * before it reads m->m: drv_virt queues them as they are.
     */
    bool takes_packed;
    /* A timer the driver asked for with world_driver_timer() is due. */
    void (*on_timer)(void *ctx, uint64_t tag, time_us now_us);
};

/* Why a test ended early, if it did. */
enum world_abort {
    WORLD_OK,
    WORLD_INIT_FAILED,     /* a node did not answer init (timeout or wrong reply) */
    WORLD_TOPOLOGY_FAILED, /* a node did not answer topology */
    WORLD_NODE_CRASHED,    /* reported by the driver */
    WORLD_INTERRUPTED,     /* the harness got SIGINT/SIGTERM (drv_proc) */
};

struct world;

/* A new world; NULL with err on bad options. The caller frees with world_free(). */
struct world *world_new(const struct world_opts *opts, const struct world_driver *drv, char *err,
                        size_t errlen);
void world_free(struct world *w);

uint32_t world_node_count(const struct world *w);
/*
 * When the world sends node's init, relative to world_start (drawn in world_new, so a driver can
 * start the node's process then: drv_virt's model of a node process started by the thread that
 * then sends its init).
 */
time_us world_node_init_offset_us(const struct world *w, uint32_t node);
const char *world_node_name(const struct world *w, uint32_t node);
/* Makes a delivered message's decoded form m->m, when it came packed (network.h). */
void world_unpack(const struct world *w, struct wmsg *m);
/* The id of any endpoint (a node or a client: struct wmsg's src and dest). */
const char *world_endpoint_name(const struct world *w, uint32_t endpoint);

/* Starts the test at time now (sends init to every node). */
void world_start(struct world *w, time_us now_us);

/* Runs every event due at or before now. */
void world_advance(struct world *w, time_us now_us);
/*
 * Virtual time: runs every event in order, each at its own time, until the test is done — the
 * driver loop above with no waiting and nothing from outside between events (drv_virt's nodes
 * answer within the events). The same events in the same order as that loop, without asking for
 * the next deadline at every step. False when the queue runs dry before the test is done.
 */
bool world_run(struct world *w);

/* The time of the next event, or TIME_NEVER. */
time_us world_next_deadline_us(const struct world *w);

/* True once the test has finished (normally or aborted). */
bool world_done(const struct world *w);

/*
 * Node output, already decoded (drv_virt: a core's outbox message; ownership of m's arrays moves
 * to the world, m is left empty). Messages to unknown or closed ids disable the node's output
 * for the rest of the run, as in Maelstrom (spec §1.6).
 */
void world_on_node_msg(struct world *w, uint32_t node, struct msg *m, time_us now_us);

/*
 * world_on_node_msg for a message the driver knows goes from node to the node of endpoint index
 * to (< world_node_count): m's src is node's name and its dest to's, so nothing is looked up by
 * name. to < 0: world_on_node_msg.
 */
void world_on_node_msg_to(struct world *w, uint32_t node, struct msg *m, int32_t to,
                          time_us now_us);

/*
 * A raw line from a node's stdout (drv_proc). Validated exactly as Maelstrom does; a malformed
 * line disables that node's output for the rest of the run (spec §1.6(1)) and is recorded as a
 * fault with the line's text.
 */
void world_on_node_line(struct world *w, uint32_t node, const char *line, size_t len,
                        time_us now_us);

/* The driver reports that a node process died; the test aborts with WORLD_NODE_CRASHED. */
void world_node_crashed(struct world *w, uint32_t node, const char *what, time_us now_us);

/* The run was interrupted (SIGINT/SIGTERM): the test ends now with WORLD_INTERRUPTED and `why`. */
void world_interrupt(struct world *w, const char *why, time_us now_us);

/* Records a fault noticed by a driver (printf-style, one line). */
void world_fault(struct world *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Asks for on_timer(tag) at `at_us`. */
void world_driver_timer(struct world *w, time_us at_us, uint64_t tag);

/*
 * Driver timers on lanes (evq.h). Every event — the world's, the network's, the driver's — runs
 * in (time, scheduling order), whatever lane it is on; a lane only tells the world that its
 * timers mostly come in time order, so it keeps them in a FIFO of their own instead of sorting
 * them among all the others. world_node_lane() is the lane of a node's delivery thread, where a
 * driver's timers for the messages it delivers (drv_virt's inbox) fit best: the lane stays busy
 * and reuses its place in the queue. world_driver_lanes() adds n lanes of the driver's own and
 * returns the first one's id (the rest follow), or -1 when out of memory;
 * world_driver_timer_on() is world_driver_timer() on a lane.
 */
uint32_t world_node_lane(const struct world *w, uint32_t node);
int64_t world_driver_lanes(struct world *w, uint32_t n);
void world_driver_timer_on(struct world *w, uint32_t lane, time_us at_us, uint64_t tag);

/*
 * For a driver that keeps timers of its own off the queue and puts them back later in the place
 * they had (drv_virt's ticks, see there): world_event_seq is the seq of the event running now
 * (every event has one, from one counter: events run in (time, seq) order, so an event with a
 * smaller (time, seq) has run); world_take_seq hands out the seq a timer scheduled now would
 * get; world_driver_timer_move replaces every timer on one of the driver's own lanes with
 * on_timer(tag) at at_us with such a seq.
 */
uint64_t world_event_seq(const struct world *w);
uint64_t world_take_seq(struct world *w);
void world_driver_timer_move(struct world *w, uint32_t lane, time_us at_us, uint64_t seq,
                             uint64_t tag);

/* Results after world_done(). */
enum world_abort world_abort_reason(const struct world *w, const char **detail);
/* The :net counters of spec §4.1, accumulated as messages were sent and delivered. */
const struct net_counts *world_net(const struct world *w);
struct history;
const struct history *world_history(const struct world *w);

/* Faults noticed during the run (malformed lines, messages to unknown ids), one per line. */
const char *world_faults(const struct world *w);

#endif
