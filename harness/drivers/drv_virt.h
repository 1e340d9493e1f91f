/*
 * drv_virt: runs our node cores in-process under a virtual clock. Events (message deliveries,
 * node ticks, generator wake-ups) sit on the world's event queue ordered by (time, sequence);
 * time jumps to the next event. No clock, no threads, no IO: the same seed gives a byte-identical
 * run.
 */
#ifndef GL_DRV_VIRT_H
#define GL_DRV_VIRT_H

#include <stddef.h>
#include <stdint.h>

#include "cfg.h"
#include "topo.h"
#include "world.h"

/*
 * A real node process takes a little time to handle each message; a core in virtual time takes
 * none. So each message a node receives is handled after a seeded delay U[0, node_delay_us), in
 * arrival order (a node is one thread). 0: instantaneous. The default is about twice the median
 * time a real broadcast-node takes to answer a request on the process runner, both pipes and
 * wake-ups included (bench/node_turnaround.sh: 127 and 147 us in two runs). It was 1000 before
 * the network modelled Maelstrom's delivery thread and setup spread (issue 10): it then stood in
 * for the only timing that kept every ticker from running in exact phase; now 1000 makes batched
 * runs 15-30 ms slower than 250 or 0, which agree within a few ms (docs/experiments.md).
 */
#define VIRT_NODE_DELAY_US_DEFAULT 250u

/*
 * Creates a world whose nodes are node cores configured by node_cfg (file_topo: the topology
 * for strategy `file`, or NULL), runs the test to its end and returns the world (the caller frees
 * it with world_free), or NULL with err.
 */
struct world *drv_virt_run(const struct world_opts *wo, const struct cfg *node_cfg,
                           const struct topo *file_topo, time_us node_delay_us, char *err,
                           size_t errlen);

#endif
