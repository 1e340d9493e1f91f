/*
 * hugepages: a large virtual run on transparent huge pages. A simulation of hundreds of nodes
 * touches a few hundred MiB of heap at random: over 4 KiB pages, a fifth of its time went to TLB
 * misses (bench/harness_scale.sh, GL_HUGEPAGES=0 against the default). glibc puts its heap on
 * transparent huge pages (madvise) when its tunable glibc.malloc.hugetlb is 1, and reads
 * tunables only when a process starts: so a large run executes the harness again, once, with the
 * tunable added. The second start puts the environment back as it was (processes it starts see
 * the user's), and keeps the first start's clock for run-stats.json.
 */
#ifndef GL_HUGEPAGES_H
#define GL_HUGEPAGES_H

#include <stdbool.h>

#include "time.h"

/*
 * Whether to execute again: for a large run (cmd_test_is_large), unless this process is that
 * second start; GL_HUGEPAGES=0 in the environment says never, GL_HUGEPAGES=1 always.
 */
bool hugepages_wanted(bool large);

/* Executes argv (main's) again with the tunable set; returns only when the exec failed (the run
 * then goes on as it is, with the environment as it was). */
void hugepages_reexec(char **argv);

/*
 * In the second start: restores the environment of the first, sets *active and returns the first
 * start's time (gl_monotonic_us); else clears *active and returns now.
 */
time_us hugepages_started_us(bool *active);

#endif
