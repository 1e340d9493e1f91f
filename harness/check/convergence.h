/*
 * convergence: gossip-lab's own check, beyond Maelstrom's. From the final reads of a history it
 * counts how many nodes lack how many values at the end of a test. Maelstrom's set-full rule
 * calls a value stable once the *last* read that mentions it has it, so a run is valid while some
 * nodes never got most values (their final reads came earlier, or a partition never healed for
 * them); this check looks at every node's final read instead. It never changes :valid?.
 *
 * The values a node should have are the known ones: every value whose broadcast completed :ok,
 * and every value that any ok read returned (set-full's "known", spec §5.1). A node is read when
 * at least one of its final reads (:final? true) completed :ok; it lacks a known value when none
 * of its ok final reads has it. A final read's node follows from its process as in the workload:
 * worker = process mod concurrency (a crashed process continues as process + concurrency),
 * node = worker mod node count.
 *
 * Pure: no IO, no clock; the results writers print it (results.json key
 * "gossip-lab/convergence", the summary, the CSV), docs/formats.md describes it.
 */
#ifndef GL_CONVERGENCE_H
#define GL_CONVERGENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "limits.h"

struct history;

struct convergence_opts {
    uint32_t node_count;                 /* >= 1 */
    uint32_t concurrency;                /* client workers, >= 1 */
    const char (*node_names)[GL_ID_MAX]; /* node_count names; borrowed */
};

/* A node that lacks values. */
struct convergence_node {
    char name[GL_ID_MAX];
    uint64_t lacking; /* known values missing from every one of its ok final reads */
};

struct convergence {
    bool present;                     /* computed (harness test), or read back from results.json */
    uint32_t nodes;                   /* nodes in the test */
    uint32_t nodes_read;              /* nodes with an ok final read */
    uint64_t values;                  /* known values */
    uint64_t lacking_total;           /* (node, value) pairs missing, over the nodes read */
    uint64_t lacking_max;             /* the most values one node lacks */
    struct convergence_node *lacking; /* the nodes that lack values, in node order; malloc'd */
    size_t n_lacking;
    char (*unread)[GL_ID_MAX]; /* nodes without an ok final read, in node order; malloc'd */
    size_t n_unread;
};

/* Three-valued like :valid?: converged (every node read, none lacks a value), not converged (a
 * node lacks values), or unknown (none lacks a value, but some node was not read). */
enum convergence_verdict {
    CONVERGED,
    NOT_CONVERGED,
    CONVERGENCE_UNKNOWN,
};

enum convergence_verdict convergence_verdict(const struct convergence *c);

/*
 * Computes c (zeroed first) from the final reads of h. Returns 0, or -1 when out of memory (c is
 * then released). Release c with convergence_release.
 */
int convergence_run(const struct history *h, const struct convergence_opts *o,
                    struct convergence *c);
void convergence_release(struct convergence *c);

#endif
