/*
 * checker: Maelstrom's checkers for the broadcast workload as one pure function from a history
 * (and the journal's counters, when known) to a struct results: :net (spec §4.1), :stats (§4.2),
 * :availability (§4.3), :exceptions (§5.5), the set-full :workload check (§5.1-§5.3) and the
 * overall validity with Maelstrom's exit status (§5.4). It never does IO and keeps no state.
 *
 * The same struct results is what results.h writes (results.json, results.edn, the summary) and
 * reads back (Maelstrom's results.edn, our results.json).
 */
#ifndef GL_CHECKER_H
#define GL_CHECKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "convergence.h"
#include "history.h"
#include "journal.h"

/* Jepsen's three-valued validity; merge priority false > unknown > true. */
enum validity {
    VALID_TRUE,
    VALID_FALSE,
    VALID_UNKNOWN,
};

/* Merges two validities (Jepsen's merge-valid). */
enum validity validity_merge(enum validity a, enum validity b);
/* Maelstrom's exit status: 0 true, 1 false, 2 unknown. */
int validity_exit_status(enum validity v);

/* The quantile points of frequency-distribution, in this order: 0, 0.5, 0.95, 0.99, 1. */
#define QUANTILE_N 5
extern const double quantile_points[QUANTILE_N];

struct quantiles {
    bool present;
    int64_t q[QUANTILE_N];
};

struct stats_counts {
    bool present; /* by-f entries: this :f occurred */
    bool valid;
    uint64_t count, ok_count, fail_count, info_count;
};

/* An entry of :worst-stale. The two ops are records of results->ops. */
struct stale_entry {
    int64_t element;
    int64_t stable_latency_ms;
    size_t known_op, last_absent_op;
};

/* A group of :exceptions; the example is record `example_op` of results->ops. */
struct exception_group {
    uint64_t count;
    char *class_name; /* malloc'd */
    size_t example_op;
};

/* The size of :worst-stale. */
#define WORST_STALE_MAX 8

struct int_list {
    int64_t *v;
    size_t n;
};

enum avail_mode {
    AVAIL_NONE,     /* no --availability: always valid */
    AVAIL_TOTAL,    /* ok-fraction must be 1 */
    AVAIL_FRACTION, /* ok-fraction must be >= avail_min */
};

struct checker_opts {
    const struct net_counts *net; /* NULL: no :net in the results */
    /* Not Maelstrom's: how many nodes lack how many values at the final reads (convergence.h).
     * NULL: not computed (`harness check` knows no node count). */
    const struct convergence_opts *convergence;
    enum avail_mode avail;
    double avail_min;
};

struct results {
    /* :exceptions */
    struct exception_group *exceptions;
    size_t n_exceptions;

    /* :stats */
    struct stats_counts stats;
    struct stats_counts by_broadcast, by_read;

    /* :availability */
    bool avail_valid;
    float ok_fraction;

    /* :net */
    bool has_net;
    struct net_counts net;
    bool has_msgs_per_op; /* op-count > 0 */
    float msgs_per_op_all, msgs_per_op_servers;

    /* :workload */
    bool has_workload;
    enum validity workload_valid;
    uint64_t attempt_count, stable_count;
    struct int_list lost, stale, never_read; /* sorted ascending */
    struct quantiles stable_latencies, lost_latencies;
    struct stale_entry worst_stale[WORST_STALE_MAX];
    size_t n_worst_stale;

    /* Overall :valid? */
    enum validity valid;

    /* gossip-lab's own, outside Maelstrom's keys; never part of :valid?. */
    struct convergence convergence;

    /* Copies of the ops that :worst-stale and :exceptions show in full. */
    struct history *ops;
};

/* Zeroes r; results_release() frees what a checker run or a reader put in it. */
void results_init(struct results *r);
void results_release(struct results *r);

/*
 * Checks history h. On success returns 0 and fills r (initialised here; release it with
 * results_release). Returns -1 with err only when out of memory.
 */
int checker_run(const struct history *h, const struct checker_opts *o, struct results *r, char *err,
                size_t errlen);

/* The number of client invocations: the op-count of :msgs-per-op. */
uint64_t checker_op_count(const struct history *h);

#endif
