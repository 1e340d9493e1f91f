/*
 * test_opts: the `harness test` command line, Maelstrom's flags and defaults (spec §6.3) plus
 * gossip-lab's own. Parsing only; cmd_test runs the test.
 */
#ifndef GL_TEST_OPTS_H
#define GL_TEST_OPTS_H

#include <stdbool.h>
#include <stddef.h>

#include "world.h"

#define TEST_MAX_ARGS 64

struct test_opts {
    struct world_opts world;
    const char *workload;
    const char *bin;
    char *args[TEST_MAX_ARGS]; /* positional arguments passed to the node binary */
    size_t n_args;
    const char *concurrency; /* as given: "1n", "3n", "10" */
    const char *store;
    const char *node_config;
    const char *availability; /* NULL, "total" or a fraction */
    bool virtual_time;
    bool no_history;        /* skip history.jsonl / history.edn (huge for long, fast runs) */
    int journal;            /* journal.jsonl: 1 --journal, 0 --no-journal, -1 unless no_history */
    uint64_t node_delay_us; /* --virtual: each node handles a message U[0, this) later */
    bool node_delay_given;
    uint64_t node_log_max_mb; /* real processes: MiB of stderr each node-logs/<id>.log keeps */
    bool node_log_max_given;
    bool help;
};

void test_opts_defaults(struct test_opts *t);

/* Parses argv (after "test"); returns 0, or -1 with a usage error in err. */
int test_opts_parse(struct test_opts *t, int argc, char **argv, char *err, size_t errlen);

#endif
