/*
 * drv_proc: runs a Maelstrom test on real node processes in real time (spec §1.1, §1.6(4)).
 * It spawns one process per node on pipes, runs one poll() loop whose timers are the world's
 * event heap on CLOCK_MONOTONIC, frames each node's stdout into lines for the world, writes the
 * world's deliveries to the nodes' stdin, appends each node's stderr to node-logs/<id>.log and
 * reports a node that exits or crashes. It holds no test logic: that is the world's.
 *
 * No node outlives the harness, nor anything a node started in its process group: every node
 * runs in its own process group with PR_SET_PDEATHSIG(SIGKILL); the end of a run, SIGINT,
 * SIGTERM and SIGHUP kill every group and reap the nodes; if the harness dies any other way
 * (SIGKILL, a crash), the process guard kills every group (proc_guard.h). Each node's log keeps
 * at most log_max_bytes of its stderr. Not reentrant: the signal handlers it installs for the
 * run are process-wide.
 */
#ifndef GL_DRV_PROC_H
#define GL_DRV_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "time.h"
#include "world.h"

struct proc_opts {
    const char *bin;   /* --bin: resolved to a canonical absolute path, as Maelstrom does */
    char *const *args; /* extra arguments passed to the binary */
    size_t n_args;
    const char *log_dir;    /* node-logs directory, created if missing; NULL discards stderr */
    uint64_t log_max_bytes; /* stderr bytes kept per node log; 0: PROC_LOG_MAX_MB_DEFAULT MiB */
};

/* How much of each node's stderr its log keeps by default (harness test --node-log-max-mb). */
#define PROC_LOG_MAX_MB_DEFAULT 64u

/* What a run cost, for the benchmark and the summary. */
struct proc_stats {
    time_us spawn_us;        /* starting every node process */
    time_us spawn_spread_us; /* the first node's fork to the last's (paced by init offsets) */
    time_us run_us;          /* world_start to the end of the test (world time at the end) */
    time_us teardown_us;     /* the end of the test to the last node reaped */
    time_us wall_us;         /* the whole of drv_proc_run */
    uint64_t cpu_self_us;    /* the harness's own user + system CPU (getrusage RUSAGE_SELF) */
    uint64_t cpu_nodes_us;   /* the reaped nodes' user + system CPU (RUSAGE_CHILDREN) */
    uint64_t lines_in;       /* lines read from the nodes' stdout */
    uint64_t lines_out;      /* lines written to the nodes' stdin */
    uint64_t loops;          /* poll loop iterations */
    /*
     * When the test aborted, the last stderr lines of every node its verdict names (init or
     * topology never answered, ...), so the user sees why; "" otherwise. A crash carries its
     * stderr lines in the verdict itself.
     */
    char stderr_report[4096];
};

/*
 * Creates the world with this driver, runs the test on real processes until it is done, aborted
 * or interrupted (SIGINT/SIGTERM/SIGHUP: the world's verdict is then WORLD_INTERRUPTED,
 * "interrupted by SIGHUP"), kills and reaps every node, and returns the world (the caller frees it
 * with world_free). Returns NULL with err when the test could not start (bad options, --bin not
 * executable, log directory). stats may be NULL.
 */
struct world *drv_proc_run(const struct world_opts *wo, const struct proc_opts *po,
                           struct proc_stats *stats, char *err, size_t errlen);

/*
 * Writes the stats (without stderr_report) as one JSON object and a newline, e.g. for
 * proc-stats.json in the store, which bench/harness_proc.sh reads. 0, or -1 on a write error.
 */
int proc_stats_write_json(const struct proc_stats *st, FILE *out);

#endif
