/*
 * proc_guard: the process that makes every node's process tree die with the harness, however the
 * harness goes — SIGKILL included, which no handler of ours can see.
 *
 * Why a separate process. Each node runs in its own process group (pgid = its pid) with
 * PR_SET_PDEATHSIG(SIGKILL), but that death signal reaches only the node itself: a node that is
 * a wrapper script starting children leaves them running when the harness is SIGKILLed (the
 * death signal is not inherited across fork, and the harness is no longer there to kill the
 * group). The guard is forked by the harness before any node, in a process group of its own
 * (a terminal's Ctrl-C or a signal to the harness's group does not reach it) and ignoring
 * SIGINT, SIGTERM, SIGHUP and SIGQUIT. Every node registers its process group with it between
 * fork and exec — before it can start any child — by writing its pid on the guard's pipe. The
 * harness holds the pipe's only write end, so the guard reads end-of-file exactly when the
 * harness process is gone: it then kills every registered group with SIGKILL and exits. At a
 * normal end the harness kills the groups itself, then disarms the guard (proc_guard_stop), which
 * exits without killing anything.
 *
 * What it does not follow: a descendant that leaves its node's process group (setsid, setpgid,
 * a daemon) is not in any group the guard knows. Not reentrant; one guard per run.
 */
#ifndef GL_PROC_GUARD_H
#define GL_PROC_GUARD_H

#include <stddef.h>
#include <sys/types.h>

/* The guard's process name (ps's comm), at most 15 bytes. */
#define PROC_GUARD_NAME "harness-guard"

struct proc_guard {
    pid_t pid; /* the guard process, 0 when not running */
    int fd;    /* the pipe's write end (close-on-exec), -1 when not running */
};

/* A guard that is not running. */
void proc_guard_init(struct proc_guard *g);

/*
 * Forks the guard. Call before starting any node, from the only thread. Returns 0, or -1 with
 * err (no pipe, no fork).
 */
int proc_guard_start(struct proc_guard *g, char *err, size_t errlen);

/*
 * In a node's child, between fork and exec, after setpgid(0, 0): registers the caller's
 * process group on fd (the guard's write end). Async-signal-safe. Returns 0, or -1 with errno
 * (EPIPE: the guard is gone).
 */
int proc_guard_register(int fd);

/*
 * Disarms the guard (it exits without killing: the caller has killed the groups itself) and
 * reaps it. Harmless on a guard that is not running.
 */
void proc_guard_stop(struct proc_guard *g);

#endif
