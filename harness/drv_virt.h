/*
 * drv_virt: runs our node cores in-process under a virtual clock. Events (message deliveries,
 * node ticks, generator wake-ups) sit on the world's heap ordered by (time, sequence); time jumps
 * to the next event. No clock, no threads, no IO: the same seed gives a byte-identical run.
 */
#ifndef GL_DRV_VIRT_H
#define GL_DRV_VIRT_H

#include <stddef.h>
#include <stdint.h>

#include "cfg.h"
#include "topo.h"
#include "world.h"

struct virt_stats {
    uint64_t events;        /* world events processed (deliveries, ticks, ...) */
    uint64_t node_messages; /* messages handed to node cores */
    uint64_t node_ticks;    /* node_on_tick calls */
    time_us end_us;         /* virtual time at the end of the run */
};

/*
 * Creates a world whose nodes are node cores configured by node_cfg (file_topo: the topology
 * for strategy `file`, or NULL), runs the test to its end and returns the world (the caller frees
 * it with world_free), or NULL with err. stats may be NULL.
 */
struct world *drv_virt_run(const struct world_opts *wo, const struct cfg *node_cfg,
                           const struct topo *file_topo, struct virt_stats *stats, char *err,
                           size_t errlen);

#endif
