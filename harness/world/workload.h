/*
 * workload: the broadcast workload's operation generator, its client workers and the partition
 * nemesis, as Jepsen's interpreter runs them for Maelstrom (spec §2.4–§2.7, §3.3, checklist
 * §8.5–§8.9), from the start of the main phase to the last final read:
 *   - one global 50/50 mix of broadcasts (values 0, 1, 2, ...) and reads;
 *   - stagger(1/rate): the next op is due U[0, 2/rate) after the *actual* dispatch of the last,
 *     and lateness (no free worker) is never made up;
 *   - worker choice by a cursor over C+1 slots (the last is the nemesis): worker 0 gets ~2/(C+1);
 *     worker t talks to node t mod N for life; each has at most one request outstanding;
 *   - replies judged as Maelstrom's client does (spec §1.5, §1.6(3)); no reply within the op
 *     timeout: reads :fail, broadcasts :info; every :info gives the worker a new process
 *     (old + C) and, at its next op, a new client;
 *   - the nemesis alternates start/stop partition at stagger(interval) gaps, the first at once,
 *     each start of one of the spec's shapes (nemesis.h);
 *   - cutoff = first main-phase op + time limit; the phase ends when every worker is idle and
 *     nothing more could be scheduled before the cutoff;
 *   - then heal (with a nemesis), the recovery wait, and one final read per worker in random
 *     order, all at once.
 *
 * What it is not: it owns no network, no endpoints, no names of clients and no clock. It asks
 * its owner (the world) through struct workload_cbs to open clients, send requests, arm timers
 * and cut or heal the network; the owner routes replies and timers back. It writes the op and
 * nemesis records into the history it is given. Pure: never reads a clock, never does IO; every
 * random choice comes from the rngs passed in, each draw in a fixed order.
 */
#ifndef GL_WORKLOAD_H
#define GL_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "limits.h"
#include "msg.h"
#include "rng.h"
#include "time.h"

struct history;

struct workload_opts {
    uint32_t n_nodes;
    const char (*node_names)[GL_ID_MAX]; /* n_nodes names, for partition descriptions; borrowed */
    uint32_t concurrency;                /* client workers, >= 1 (at most 1 << 20) */
    double rate;                         /* total ops/s over all workers; 0: no client ops */
    uint64_t time_limit_s;               /* main phase, from its first op */
    bool nemesis_partition;              /* --nemesis partition */
    double nemesis_interval_s;           /* mean seconds between nemesis ops, > 0 */
    time_us recovery_us;                 /* wait between the final heal and the final reads */
    time_us op_timeout_us;               /* no reply by then: the op times out */
    struct rng *rng_gen;                 /* op kinds and gaps, ties, final-read order; borrowed */
    struct rng *rng_nem;                 /* nemesis gaps and grudges; borrowed */
    struct history *history;             /* where ops are recorded; borrowed */
};

/* What the workload needs from its owner. Each is called synchronously, in the order stated. */
struct workload_cbs {
    void *ctx;
    /*
     * Worker `worker` needs a new client (its first op, or its first op after a crash): close
     * old_client (if >= 0; Maelstrom closes it when the worker starts its next op, spec §1.6(2))
     * and open a new one. Returns the new client's id (an endpoint), or -1 when that failed (the
     * op is then not issued).
     */
    int32_t (*renew_client)(void *ctx, uint32_t worker, int32_t old_client);
    /*
     * Send request m from client to server node `node` now. m's type, type_name, msg_id and
     * message are set; the owner fills src and dest. Ownership of m's arrays moves to the owner.
     */
    void (*send)(void *ctx, uint32_t client, uint32_t node, struct msg *m, time_us now_us);
    /* Call workload_on_timer(tag) at at_us. tag < 2^56. */
    void (*schedule)(void *ctx, time_us at_us, uint64_t tag);
    /*
     * Replace any partition by this one: node d ignores node s iff cut[d * n_nodes + s] != 0
     * (cut is valid during the call only).
     */
    void (*partition)(void *ctx, const uint8_t *cut);
    /* Heal the network: clear every cut. */
    void (*heal)(void *ctx);
    /* Record a fault of the run (out of memory), one line. */
    void (*fault)(void *ctx, const char *what);
    /* The last final read completed (or could not be issued): the workload is done. Once. */
    void (*finished)(void *ctx);
};

struct workload;

/* A workload with every worker idle, or NULL when out of memory. Free with workload_free(). */
struct workload *workload_new(const struct workload_opts *opts, const struct workload_cbs *cbs);
void workload_free(struct workload *wl);

/*
 * Starts the main phase now. History times are relative to t0_us ("relative time begins now",
 * spec §3.4).
 */
void workload_start(struct workload *wl, time_us t0_us, time_us now_us);

/* A timer asked for with cbs.schedule is due. */
void workload_on_timer(struct workload *wl, uint64_t tag, time_us now_us);

/*
 * A reply reached `client`, a client opened for `worker`. Replies to a client the worker no
 * longer uses, or whose in_reply_to is not the outstanding request's msg_id, are discarded
 * (spec §1.5). Otherwise the op completes: :ok, :fail or :info as Maelstrom decides.
 */
void workload_on_reply(struct workload *wl, uint32_t worker, uint32_t client,
                       const struct msg *reply, time_us now_us);

/* True once the final reads have all completed (after cbs.finished). */
bool workload_done(const struct workload *wl);

/* Workers with a request outstanding. */
uint32_t workload_busy(const struct workload *wl);

#endif
