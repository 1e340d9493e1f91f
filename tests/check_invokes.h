/*
 * check_invokes: a test helper shared by the suites that run the workload (check_world,
 * check_workload): counts a history's client invocations so a test can assert the op rate, the
 * cutoff and the final reads. Test code only.
 */
#ifndef GL_CHECK_INVOKES_H
#define GL_CHECK_INVOKES_H

#include <stdbool.h>
#include <stdint.h>

#include "history.h"

struct inv_stats {
    uint64_t main_invokes, final_invokes, broadcasts;
    int64_t first_ns;      /* the first main-phase invocation, or -1 */
    int64_t last_main_ns;  /* the last main-phase invocation, or -1 */
    int64_t final_ns;      /* the (last) final read's invocation, or -1 */
    int64_t last_ns;       /* the last op of any kind (nemesis included), or -1 */
    bool finals_same_time; /* every final read was invoked at the same time */
};

static inline struct inv_stats count_invokes(const struct history *h)
{
    struct inv_stats s = { 0, 0, 0, -1, -1, -1, -1, true };
    for (size_t i = 0; i < history_len(h); i++) {
        const struct hist_op *op = history_op(h, i);
        s.last_ns = op->time_ns;
        if (op->type != HT_INVOKE || op->process == HIST_NEMESIS) continue;
        if (op->final) {
            if (s.final_ns >= 0 && s.final_ns != op->time_ns) s.finals_same_time = false;
            s.final_ns = op->time_ns;
            s.final_invokes++;
            continue;
        }
        if (s.first_ns < 0) s.first_ns = op->time_ns;
        s.last_main_ns = op->time_ns;
        s.main_invokes++;
        if (op->f == HF_BROADCAST) s.broadcasts++;
    }
    return s;
}

#endif
