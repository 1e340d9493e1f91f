/*
 * proc_node: one node process of drv_proc — how it is started (fork/exec on pipes, its own process
 * group, registered with the process guard, killed with the harness), its stdin output buffer,
 * its stderr (appended to its log file up to a cap, and kept as the last 32 lines for crash
 * reports, spec §1.1) and how its death is described.
 * No poll loop and no world here: drv_proc drives a table of these. Not async-safe, not shared
 * between threads.
 */
#ifndef GL_PROC_NODE_H
#define GL_PROC_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "linebuf.h"
#include "strbuf.h"

/* Maelstrom keeps the last 32 stderr lines of a node for its crash report (spec §1.1). */
#define PROC_NODE_RING_LINES 32
/* Longer stderr lines are cut in the ring (never in the log): a crash report stays readable. */
#define PROC_NODE_RING_LINE_MAX 200
/* The line that ends a log cut at its cap (printf format: the cap in bytes). */
#define PROC_NODE_LOG_CUT_NOTE                                                                \
    "[harness] this log reached its cap of %llu bytes (harness test --node-log-max-mb): the " \
    "rest of the node's stderr is not logged\n"

struct proc_node_ring {
    char line[PROC_NODE_RING_LINES][PROC_NODE_RING_LINE_MAX];
    uint32_t head, n; /* oldest line and count */
    /* stderr's framer: lines cut at PROC_NODE_RING_LINE_MAX - 1 bytes; its tail is the line
     * being received. */
    struct linebuf framer;
};

struct proc_node {
    pid_t pid; /* 0 before proc_node_spawn */
    bool reaped;
    int status;                        /* waitpid status once reaped */
    int fd_in, fd_out, fd_err, fd_log; /* -1 when closed; fd_out/fd_err/fd_in non-blocking */
    int fd_exec; /* until proc_node_spawn_wait: closes on exec, or carries exec's errno */
    /* Set between proc_node_init and proc_node_spawn (init: no guard, no cap). */
    int guard_fd;             /* the process guard's write end (proc_guard.h), or -1 */
    uint64_t log_max;         /* bytes of stderr the log keeps; then one line says it was cut */
    uint64_t log_bytes;       /* stderr bytes written to the log so far */
    bool log_cut;             /* the log reached log_max: the rest of stderr is not logged */
    bool log_line_start;      /* the last byte logged ended a line (or none was logged) */
    struct linebuf out_lines; /* stdout's framer (fed by drv_proc), lines up to GL_MAX_LINE */
    /* stdin: bytes not written yet, from obuf_off. */
    char *obuf;
    size_t obuf_off, obuf_len, obuf_cap;
    struct proc_node_ring err;
};

/* An idle proc_node: every fd -1. */
void proc_node_init(struct proc_node *nd);
/* Closes its fds and frees its buffers (does not kill or reap). */
void proc_node_release(struct proc_node *nd);

/* mkdir -p for the node-logs directory. Returns 0 or -1 with err. */
int proc_node_make_dirs(const char *path, char *err, size_t errlen);

/*
 * Starts argv[0] (an absolute path) with argv as node `name`: stdin, stdout and stderr on pipes,
 * cwd /tmp, its own process group, registered with the guard on nd->guard_fd (if any) before
 * exec, PR_SET_PDEATHSIG(SIGKILL). Its stderr is appended to log_dir/<name>.log (log_dir NULL:
 * not logged), at most nd->log_max bytes of it. Returns 0, or -1 with err. Does not wait for
 * the exec: call proc_node_spawn_wait, after starting the other nodes, so their execs overlap.
 */
int proc_node_spawn(struct proc_node *nd, const char *name, char *const argv[], const char *log_dir,
                    char *err, size_t errlen);
/*
 * Waits until the node's exec happened. Returns 0, or -1 with err naming `path` and the errno
 * (or saying that the guard could not take the node); a child that failed is reaped (no zombie).
 */
int proc_node_spawn_wait(struct proc_node *nd, const char *path, char *err, size_t errlen);

/* Queues bytes for the node's stdin; -1 when memory runs out. */
int proc_node_queue(struct proc_node *nd, const char *s, size_t n);
/* Bytes queued and not written yet. */
size_t proc_node_pending(const struct proc_node *nd);
/*
 * Writes what is queued as far as the pipe takes it. A write to a dead node fails silently
 * (EPIPE, with SIGPIPE ignored by the caller), as in Maelstrom: stdin is closed, the rest dropped.
 */
void proc_node_flush(struct proc_node *nd);

/*
 * Reads the node's stderr into its log and its ring, up to `max` bytes, using buf as scratch.
 * The log keeps the first log_max bytes, then the line PROC_NODE_LOG_CUT_NOTE; the ring sees
 * everything. Returns 0; 1 when the log reached its cap during this call; or -1 when writing
 * the log failed (errno set; logging stops, reading goes on).
 */
int proc_node_read_stderr(struct proc_node *nd, char *buf, size_t buflen, size_t max);

/* True when the node wrote anything on stderr. */
bool proc_node_has_stderr(const struct proc_node *nd);
/*
 * Appends to out the most recent stderr lines (the incomplete last line included) whose text,
 * each as "<indent><line>\n", fits in max bytes, oldest first. Returns the number of lines.
 */
size_t proc_node_stderr_tail(struct proc_node *nd, struct strbuf *out, size_t max,
                             const char *indent);

/* "exit status 3; last stderr lines:\n    ..." or "killed by signal 9 (Killed); ..." */
void proc_node_describe_exit(struct proc_node *nd, char *out, size_t cap);

#endif
