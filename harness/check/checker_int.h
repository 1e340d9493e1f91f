/*
 * checker_int: what checker.c shares with checker_setfull.c (the set-full :workload check) and
 * the tests that hold its two paths against each other. Not part of the checker API.
 */
#ifndef GL_CHECKER_INT_H
#define GL_CHECKER_INT_H

#include "checker.h"
#include "history.h"

/*
 * How checker_setfull computes spec §5.1's per-element state; both give the same results.
 *   SETFULL_REFERENCE: as Jepsen does, every ok read updating every element created so far
 *     (O(elements x reads));
 *   SETFULL_FAST: from what each read adds to its process's previous read (history_vals_suffix),
 *     the per-element state settled at the end (O(values added + processes x elements / 64));
 *     it applies when every ok read of a process extends that process's previous ok read (its
 *     values in the same order, more after them), the processes' read invocations' :index
 *     increase, no read holds a value not yet added, and no value read is added again;
 *   SETFULL_AUTO: the fast path, or the reference when the history is not of that shape.
 */
enum setfull_path {
    SETFULL_AUTO,
    SETFULL_REFERENCE,
    SETFULL_FAST,
};

/*
 * The :workload part of r (spec §5.1-§5.3) for history h, the ops :worst-stale shows copied to
 * r->ops. *used (when not NULL) gets the path taken: SETFULL_FAST or SETFULL_REFERENCE. Returns
 * 0, or -1 when out of memory.
 */
int checker_setfull(const struct history *h, enum setfull_path want, struct results *r,
                    enum setfull_path *used);

#endif
