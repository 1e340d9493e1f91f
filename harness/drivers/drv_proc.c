/*
 * drv_proc.c: the real-process driver. One poll() loop over every node's stdin, stdout and
 * stderr plus a self-pipe for signals; its timers are the world's event heap, on CLOCK_MONOTONIC
 * relative to world_start. Each iteration: wait until the world's next deadline (rounded up to a
 * millisecond, so a timer never fires early) or IO; sample now once; hand complete stdout lines
 * to the world; log stderr; reap dead nodes; world_advance(now); flush the stdin lines the world
 * delivered, once per node.
 *
 * Signals use the self-pipe trick (POSIX, no ppoll): the handlers only set a flag and write a
 * byte, so a signal between the flag check and poll() still wakes poll(). The few statics below
 * are that pipe and those flags, shared with the handlers; that is why a run is not reentrant.
 *
 * NEEDSWORK: poll() re-scans 3 fds per node on every iteration: about 15% of the harness's CPU
 * for 25 nodes at rate 100 (perf, 2026-11). epoll would remove it, at the price of portability;
 * the larger cost today is re-printing every node-to-node body in wire_parse (about 40%).
 */

/*
 * _GNU_SOURCE for ppoll() (Linux; it also brings realpath(), an XSI extension): the only way to
 * wait on many descriptors with a microsecond timeout. See wait_timeout().
 */
#define _GNU_SOURCE

#include "drv_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "codec.h"
#include "errmsg.h"
#include "linebuf.h"
#include "proc_guard.h"
#include "proc_node.h"
#include "strbuf.h"
#include "wire.h"

/* Bytes read from one fd per loop iteration, so one chatty node cannot starve the timers. */
#define READ_CHUNK        65536u
#define READ_MAX_PER_ITER (16u * READ_CHUNK)
/* Bytes read from a dead node's pipes: the rest of its output, bounded in case a child of it
 * still holds the pipe and keeps writing. */
#define READ_MAX_DRAIN (1024u * READ_CHUNK)
/* SIGTERM grace before SIGKILL when interrupted. */
#define KILL_GRACE_US (300u * US_PER_MS)

struct proc {
    struct world *w;
    struct proc_node *nodes;
    uint32_t n;
    time_us t0_us; /* world_start, on gl_monotonic_us */
    struct pollfd *pfd;
    uint32_t *pfd_node;
    bool *dropped; /* per node: stdin overflow already reported */
    struct proc_guard guard;
    uint64_t log_max; /* bytes of stderr each node's log keeps */
    struct proc_stats st;
    struct strbuf line; /* the stdin line being built, reused for every message */
    char chunk[READ_CHUNK];
};

static int sig_pipe[2] = { -1, -1 };
static volatile sig_atomic_t sig_stop;  /* SIGINT, SIGTERM or SIGHUP number, 0 if none */
static volatile sig_atomic_t sig_child; /* a child changed state */

static void on_signal(int sig)
{
    int saved = errno;
    if (sig == SIGCHLD)
        sig_child = 1;
    else
        sig_stop = sig;
    if (sig_pipe[1] >= 0) {
        ssize_t k = write(sig_pipe[1], "x", 1);
        (void)k; /* a full pipe already wakes poll() */
    }
    errno = saved;
}

struct sigsave {
    struct sigaction intr, term, hup, chld, pipe;
};

static void signals_install(struct sigsave *s)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_signal; /* no SA_RESTART: poll() returns EINTR */
    sigaction(SIGINT, &sa, &s->intr);
    sigaction(SIGTERM, &sa, &s->term);
    sigaction(SIGHUP, &sa, &s->hup); /* the terminal went away: stop as for Ctrl-C */
    sigaction(SIGCHLD, &sa, &s->chld);
    /* A write to a node that died fails with EPIPE, silently, as in Maelstrom (spec §1.6(4)). */
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, &s->pipe);
}

static void signals_restore(const struct sigsave *s)
{
    sigaction(SIGINT, &s->intr, NULL);
    sigaction(SIGTERM, &s->term, NULL);
    sigaction(SIGHUP, &s->hup, NULL);
    sigaction(SIGCHLD, &s->chld, NULL);
    sigaction(SIGPIPE, &s->pipe, NULL);
}

/* Microseconds since t0_us (a gl_monotonic_us reading). */
static time_us elapsed_us(time_us t0_us)
{
    time_us now = gl_monotonic_us();
    return now > t0_us ? now - t0_us : 0;
}

static int nonblock_cloexec(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) return -1;
    return fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ? -1 : 0;
}

static void close_fd(int *fd)
{
    if (*fd >= 0) close(*fd);
    *fd = -1;
}

static void emit_line(struct proc *p, uint32_t i, const char *s, size_t len, time_us now_us)
{
    p->st.lines_in++;
    if (!world_done(p->w)) world_on_node_line(p->w, i, s, len, now_us);
}

/* Where the lines of one node's stdout go (linebuf's callback context). */
struct stdout_ctx {
    struct proc *p;
    uint32_t i;
    time_us now_us;
};

/*
 * linebuf_fn for node stdout: complete lines go to the world. A line longer than GL_MAX_LINE is
 * handed over cut at the limit, so the world reports it as malformed, and its remainder is
 * skipped (by the framer).
 */
static void on_stdout_line(void *ctx, enum linebuf_event ev, const char *line, size_t len)
{
    struct stdout_ctx *c = ctx;
    struct proc *p = c->p;
    if (ev == LINEBUF_TOO_LONG && !world_done(p->w))
        world_fault(p->w, "node %s wrote a line longer than %u bytes: cut there",
                    world_node_name(p->w, c->i), GL_MAX_LINE);
    else if (ev == LINEBUF_NO_MEMORY && !world_done(p->w))
        world_fault(p->w, "node %s wrote a line of %zu+ bytes and memory ran out: cut",
                    world_node_name(p->w, c->i), len);
    emit_line(p, c->i, line, len, c->now_us);
}

/* Reads node i's stdout: up to READ_MAX_PER_ITER bytes, or everything when the node is dead. */
static void read_stdout(struct proc *p, uint32_t i, time_us now_us, bool drain)
{
    struct proc_node *nd = &p->nodes[i];
    struct stdout_ctx ctx = { p, i, now_us };
    size_t total = 0;
    while (nd->fd_out >= 0 && total < (drain ? READ_MAX_DRAIN : READ_MAX_PER_ITER)) {
        ssize_t k = read(nd->fd_out, p->chunk, sizeof(p->chunk));
        if (k > 0) {
            linebuf_feed(&nd->out_lines, p->chunk, (size_t)k, on_stdout_line, &ctx);
            total += (size_t)k;
            continue;
        }
        if (k < 0 && errno == EINTR) continue;
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        /* End of file: a last line without its newline is still a line (readLine returns it). */
        linebuf_finish(&nd->out_lines, on_stdout_line, &ctx);
        close_fd(&nd->fd_out);
    }
}

/* Reads node i's stderr (at most max bytes) into its log and its last lines. */
static void read_stderr(struct proc *p, uint32_t i, size_t max)
{
    const char *name = world_node_name(p->w, i);
    int rc = proc_node_read_stderr(&p->nodes[i], p->chunk, sizeof(p->chunk), max);
    if (rc < 0)
        world_fault(p->w, "cannot write the log of node %s: %s; its logging stops", name,
                    strerror(errno));
    else if (rc > 0)
        world_fault(p->w,
                    "node %s wrote more than %llu bytes on stderr: node-logs/%s.log keeps the "
                    "first %llu bytes (--node-log-max-mb)",
                    name, (unsigned long long)p->log_max, name, (unsigned long long)p->log_max);
}

/* Appends the stdin line for a message to sb: {"id":..,"src":..,"dest":..,"body":..}\n. */
static int encode_line(struct strbuf *sb, const struct wmsg *wm)
{
    if (wm->raw_body) return wire_line(sb, wm->id, wm->m.src, wm->m.dest, wm->raw_body);
    struct msg m = wm->m; /* a shallow copy: codec_encode_to only reads it, we never release it */
    m.has_id = true;
    m.id = (int64_t)wm->id;
    if (codec_encode_to(&m, sb) != 0) return -1;
    strbuf_addch(sb, '\n');
    return sb->failed ? -1 : 0;
}

/* world_driver.deliver: queue the line; the loop flushes every node once per iteration. */
static void deliver(void *ctx, uint32_t node, struct wmsg *wm, time_us now_us)
{
    struct proc *p = ctx;
    struct proc_node *nd = &p->nodes[node];
    (void)now_us;
    if (nd->fd_in < 0) return; /* a dead node: the write fails silently */
    world_unpack(p->w, wm);
    const char *name = world_node_name(p->w, node);
    struct strbuf *line = &p->line;
    strbuf_reset(line);
    if (encode_line(line, wm) != 0) {
        world_fault(p->w, "cannot encode a '%s' message to node %s", wm->m.type_name, name);
        return;
    }
    if (proc_node_pending(nd) + line->len > GL_MAX_PENDING_BYTES ||
        proc_node_queue(nd, line->buf, line->len) != 0) {
        if (!p->dropped[node])
            world_fault(p->w,
                        "node %s does not read its stdin: %zu bytes pending, messages to it are "
                        "dropped",
                        name, proc_node_pending(nd));
        p->dropped[node] = true;
    } else {
        p->st.lines_out++;
    }
}

static void on_timer(void *ctx, uint64_t tag, time_us now_us)
{
    (void)ctx, (void)tag, (void)now_us; /* drv_proc asks for no driver timers */
}

/* Reaps nodes that exited: their last output is read first, then the world hears of the crash. */
static void reap_nodes(struct proc *p, time_us now_us)
{
    for (uint32_t i = 0; i < p->n; i++) {
        struct proc_node *nd = &p->nodes[i];
        if (nd->pid <= 0 || nd->reaped) continue;
        pid_t r = waitpid(nd->pid, &nd->status, WNOHANG);
        if (r != nd->pid) continue;
        nd->reaped = true;
        read_stdout(p, i, now_us, true);
        read_stderr(p, i, READ_MAX_DRAIN);
        close_fd(&nd->fd_in);
        if (world_done(p->w)) continue;
        char what[900];
        proc_node_describe_exit(nd, what, sizeof(what));
        world_node_crashed(p->w, i, what, now_us);
    }
}

/* The poll set: the signal pipe, then each live node's stdout, stderr and (if pending) stdin. */
static nfds_t build_pollset(struct proc *p)
{
    nfds_t k = 0;
    p->pfd[k++] = (struct pollfd){ .fd = sig_pipe[0], .events = POLLIN };
    for (uint32_t i = 0; i < p->n; i++) {
        const struct proc_node *nd = &p->nodes[i];
        int fds[3] = { nd->fd_out, nd->fd_err, proc_node_pending(nd) > 0 ? nd->fd_in : -1 };
        for (int j = 0; j < 3; j++) {
            if (fds[j] < 0) continue;
            p->pfd_node[k] = i;
            p->pfd[k++] = (struct pollfd){ .fd = fds[j], .events = j == 2 ? POLLOUT : POLLIN };
        }
    }
    return k;
}

static void handle_io(struct proc *p, nfds_t nfds, time_us now_us)
{
    if (p->pfd[0].revents) {
        char buf[64];
        while (read(sig_pipe[0], buf, sizeof(buf)) > 0) {
        }
    }
    for (nfds_t k = 1; k < nfds; k++) {
        if (!p->pfd[k].revents) continue;
        uint32_t i = p->pfd_node[k];
        struct proc_node *nd = &p->nodes[i];
        int fd = p->pfd[k].fd;
        if (fd == nd->fd_out)
            read_stdout(p, i, now_us, false);
        else if (fd == nd->fd_err)
            read_stderr(p, i, READ_MAX_PER_ITER);
        else if (fd == nd->fd_in)
            proc_node_flush(nd);
    }
}

/*
 * The time until the world's next event, to the microsecond; NULL (wait for input) when it has
 * none. Not poll()'s milliseconds: rounding up made every op up to 1 ms late, and since
 * Maelstrom's stagger draws the next gap from the actual dispatch and never makes lateness up,
 * that cost ~3% of the ops at rate 50 (measured) — far more than Maelstrom's own ~0.1 ms.
 */
static const struct timespec *wait_timeout(const struct proc *p, struct timespec *ts)
{
    time_us next = world_next_deadline_us(p->w);
    if (next == TIME_NEVER) return NULL;
    time_us now = elapsed_us(p->t0_us);
    time_us wait = next > now ? next - now : 0;
    ts->tv_sec = (time_t)(wait / US_PER_SEC);
    ts->tv_nsec = (long)(wait % US_PER_SEC) * 1000;
    return ts;
}

/* The event loop; returns when the test is done or a signal asks us to stop. */
static void run_loop(struct proc *p)
{
    while (!world_done(p->w) && !sig_stop) {
        nfds_t nfds = build_pollset(p);
        struct timespec ts;
        int r = ppoll(p->pfd, nfds, wait_timeout(p, &ts), NULL);
        if (r < 0 && errno != EINTR) {
            char why[128];
            snprintf(why, sizeof(why), "ppoll failed: %s", strerror(errno));
            world_interrupt(p->w, why, elapsed_us(p->t0_us));
            return;
        }
        time_us now = elapsed_us(p->t0_us); /* sampled once for the whole iteration */
        p->st.loops++;
        if (r > 0) handle_io(p, nfds, now);
        if (sig_child) {
            sig_child = 0;
            reap_nodes(p, now);
        }
        world_advance(p->w, now);
        for (uint32_t i = 0; i < p->n; i++)
            proc_node_flush(&p->nodes[i]);
    }
}

static bool all_reaped(const struct proc *p)
{
    for (uint32_t i = 0; i < p->n; i++) {
        const struct proc_node *nd = &p->nodes[i];
        if (nd->pid > 0 && !nd->reaped) return false;
    }
    return true;
}

/*
 * Kills every node's process group and reaps every node. At the end of a normal run straight
 * with SIGKILL, as Maelstrom's destroyForcibly; when interrupted, SIGTERM first and SIGKILL after
 * a short grace.
 */
static void kill_all(struct proc *p, bool graceful)
{
    if (graceful) {
        for (uint32_t i = 0; i < p->n; i++) {
            if (p->nodes[i].pid > 0 && !p->nodes[i].reaped) kill(-p->nodes[i].pid, SIGTERM);
        }
        time_us t0_us = gl_monotonic_us();
        while (elapsed_us(t0_us) < KILL_GRACE_US) {
            for (uint32_t i = 0; i < p->n; i++) {
                struct proc_node *nd = &p->nodes[i];
                if (nd->pid > 0 && !nd->reaped && waitpid(nd->pid, &nd->status, WNOHANG) > 0)
                    nd->reaped = true;
            }
            if (all_reaped(p)) break;
            poll(NULL, 0, 5);
        }
    }
    /* Also the groups whose leader is gone: a child a node left behind dies with it. */
    for (uint32_t i = 0; i < p->n; i++) {
        if (p->nodes[i].pid > 0) kill(-p->nodes[i].pid, SIGKILL);
    }
    /* Every group is killed: the guard has nothing left to do (and must not outlive us). */
    proc_guard_stop(&p->guard);
    for (uint32_t i = 0; i < p->n; i++) {
        struct proc_node *nd = &p->nodes[i];
        while (nd->pid > 0 && !nd->reaped) {
            if (waitpid(nd->pid, &nd->status, 0) >= 0 || errno != EINTR) nd->reaped = true;
        }
    }
}

/* True when `name` occurs in s as a whole word (ids in verdicts are separated by spaces). */
static bool mentions(const char *s, const char *name)
{
    size_t n = strlen(name);
    for (const char *q = strstr(s, name); q; q = strstr(q + 1, name)) {
        bool start = q == s || q[-1] == ' ' || q[-1] == ':' || q[-1] == ',';
        bool end = q[n] == '\0' || q[n] == ' ' || q[n] == ':' || q[n] == ',' || q[n] == '\n';
        if (start && end) return true;
    }
    return false;
}

/* The last stderr lines of every node an abort verdict names (not for crashes: in the verdict). */
static void build_report(struct proc *p)
{
    struct strbuf sb;
    strbuf_fixed(&sb, p->st.stderr_report, sizeof(p->st.stderr_report));
    size_t cap = sb.cap - 1; /* bytes of text the report can hold */
    const char *detail = NULL;
    enum world_abort a = world_abort_reason(p->w, &detail);
    if (a == WORLD_OK || a == WORLD_NODE_CRASHED || a == WORLD_INTERRUPTED || !detail) return;
    for (uint32_t i = 0; i < p->n && sb.len + 64 < cap; i++) {
        struct proc_node *nd = &p->nodes[i];
        const char *name = world_node_name(p->w, i);
        if (!mentions(detail, name)) continue;
        if (!proc_node_has_stderr(nd)) {
            strbuf_addf(&sb, "node %s wrote nothing on stderr\n", name);
            continue;
        }
        strbuf_addf(&sb, "last stderr lines of node %s:\n", name);
        /* At most a quarter of the report per node, so several nodes fit. */
        size_t room = cap - sb.len < cap / 4 ? cap - sb.len : cap / 4;
        proc_node_stderr_tail(nd, &sb, room, "    ");
    }
}

static void proc_release(struct proc *p)
{
    for (uint32_t i = 0; p->nodes && i < p->n; i++)
        proc_node_release(&p->nodes[i]);
    free(p->nodes);
    free(p->pfd);
    free(p->pfd_node);
    free(p->dropped);
    strbuf_release(&p->line);
    close_fd(&sig_pipe[0]);
    close_fd(&sig_pipe[1]);
}

/* Allocates the node table and the signal pipe; returns 0 or -1 with err. */
static int proc_init(struct proc *p, const struct proc_opts *po, char *err, size_t errlen)
{
    p->n = world_node_count(p->w);
    p->nodes = calloc(p->n, sizeof(*p->nodes));
    p->pfd = calloc(1 + 3 * (size_t)p->n, sizeof(*p->pfd));
    p->pfd_node = calloc(1 + 3 * (size_t)p->n, sizeof(*p->pfd_node));
    p->dropped = calloc(p->n, sizeof(*p->dropped));
    if (!p->nodes || !p->pfd || !p->pfd_node || !p->dropped) {
        return gl_errorf(err, errlen, "out of memory for %u nodes", p->n);
    }
    for (uint32_t i = 0; i < p->n; i++)
        proc_node_init(&p->nodes[i]);
    if (pipe(sig_pipe) != 0 || nonblock_cloexec(sig_pipe[0]) || nonblock_cloexec(sig_pipe[1])) {
        return gl_errorf(err, errlen, "cannot create the signal pipe: %s", strerror(errno));
    }
    if (po->log_dir && proc_node_make_dirs(po->log_dir, err, errlen) != 0) return -1;
    p->log_max =
        po->log_max_bytes ? po->log_max_bytes : (uint64_t)PROC_LOG_MAX_MB_DEFAULT * 1024u * 1024u;
    /* Before any node: each registers its process group with the guard before it can fork. */
    return proc_guard_start(&p->guard, err, errlen);
}

/* Sleeps until gl_monotonic_us() reads at_us; returns early on a stop signal. */
static void sleep_until_us(time_us at_us)
{
    struct timespec at = { .tv_sec = (time_t)(at_us / US_PER_SEC),
                           .tv_nsec = (long)(at_us % US_PER_SEC) * 1000 };
    while (!sig_stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) == EINTR) {
    }
}

/* A node and its init offset, sorted by offset then index: spawn_all's order. */
struct spawn_slot {
    time_us off_us;
    uint32_t node;
};

static int by_offset(const void *a, const void *b)
{
    const struct spawn_slot *x = a, *y = b;
    if (x->off_us != y->off_us) return x->off_us < y->off_us ? -1 : 1;
    return (x->node > y->node) - (x->node < y->node);
}

/*
 * Spawns every node; argv = the canonical path of --bin, then the extra arguments. Maelstrom
 * starts each node and then sends its init from one thread per node (docs/maelstrom.md §2.3), so
 * a node's process start is spread like its init; the world sends node i's init at its seeded
 * offset (world_node_init_offset_us) after world_start. Each node is therefore forked at its own
 * offset after the first fork, in the order of those offsets: the starts are spread as the inits
 * are, which is what the virtual driver does (it starts each node core when its init goes out)
 * and what a node anchoring its ticker at process start ([batch] phase = start) sees. Forking all
 * at once, in id order, spread the starts over the forks' own 35-45 ms instead.
 */
static int spawn_all(struct proc *p, const struct proc_opts *po, char *err, size_t errlen)
{
    char *bin = realpath(po->bin, NULL);
    if (!bin) {
        return gl_errorf(err, errlen, "cannot find node binary '%s': %s", po->bin, strerror(errno));
    }
    char **argv = calloc(po->n_args + 2, sizeof(*argv));
    if (!argv) {
        free(bin);
        return gl_errorf(err, errlen, "out of memory");
    }
    argv[0] = bin;
    for (size_t k = 0; k < po->n_args; k++)
        argv[k + 1] = po->args[k];
    struct spawn_slot *order = malloc((p->n ? p->n : 1) * sizeof(*order));
    if (!order) {
        free(argv);
        free(bin);
        return gl_errorf(err, errlen, "out of memory");
    }
    for (uint32_t i = 0; i < p->n; i++)
        order[i] = (struct spawn_slot){ world_node_init_offset_us(p->w, i), i };
    qsort(order, p->n, sizeof(*order), by_offset);
    time_us t0_us = gl_monotonic_us();
    int rc = 0;
    for (uint32_t k = 0; k < p->n && rc == 0 && !sig_stop; k++) {
        uint32_t i = order[k].node;
        sleep_until_us(t0_us + order[k].off_us - order[0].off_us);
        if (sig_stop) break;
        p->nodes[i].guard_fd = p->guard.fd;
        p->nodes[i].log_max = p->log_max;
        rc =
            proc_node_spawn(&p->nodes[i], world_node_name(p->w, i), argv, po->log_dir, err, errlen);
        if (k + 1 == p->n) p->st.spawn_spread_us = elapsed_us(t0_us);
    }
    free(order);
    /* Then wait for every exec (all of them, to close every status pipe); the first error wins. */
    for (uint32_t i = 0; i < p->n; i++) {
        char e[512];
        if (proc_node_spawn_wait(&p->nodes[i], bin, e, sizeof(e)) != 0 && rc == 0) {
            rc = gl_errorf(err, errlen, "%s", e);
        }
    }
    free(argv);
    free(bin);
    return rc;
}

/* Runs the test on the spawned nodes until it is done or interrupted. */
static void run_test(struct proc *p)
{
    p->t0_us = gl_monotonic_us();
    world_start(p->w, 0);
    world_advance(p->w, 0);
    for (uint32_t i = 0; i < p->n; i++)
        proc_node_flush(&p->nodes[i]);
    run_loop(p);
    p->st.run_us = elapsed_us(p->t0_us);
    if (!world_done(p->w)) {
        const char *why = sig_stop == SIGTERM  ? "interrupted by SIGTERM"
                          : sig_stop == SIGHUP ? "interrupted by SIGHUP"
                                               : "interrupted by SIGINT";
        world_interrupt(p->w, why, p->st.run_us);
    }
}

/* Kills and reaps every node, completes their logs and takes the CPU figures. */
static void teardown(struct proc *p, time_us begin_us)
{
    time_us end = elapsed_us(begin_us);
    if (p->nodes) {
        kill_all(p, sig_stop != 0);
        for (uint32_t i = 0; i < p->n; i++)
            read_stderr(p, i, READ_MAX_DRAIN); /* what the nodes wrote before they died */
    }
    proc_guard_stop(&p->guard); /* when no node was ever started */
    p->st.teardown_us = elapsed_us(begin_us) - end;
    p->st.wall_us = elapsed_us(begin_us);
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        p->st.cpu_self_us = gl_timeval_us(ru.ru_utime) + gl_timeval_us(ru.ru_stime);
    if (getrusage(RUSAGE_CHILDREN, &ru) == 0)
        p->st.cpu_nodes_us = gl_timeval_us(ru.ru_utime) + gl_timeval_us(ru.ru_stime);
}

struct world *drv_proc_run(const struct world_opts *wo, const struct proc_opts *po,
                           struct proc_stats *stats, char *err, size_t errlen)
{
    static struct proc p; /* not reentrant anyway (signals); keeps the 64 KiB chunk off stack */
    memset(&p, 0, sizeof(p));
    proc_guard_init(&p.guard);
    time_us begin_us = gl_monotonic_us();
    struct world_driver drv = { .ctx = &p, .deliver = deliver, .on_timer = on_timer };
    p.w = world_new(wo, &drv, err, errlen);
    if (!p.w) return NULL;
    sig_stop = sig_child = 0;
    struct sigsave saved;
    int rc = proc_init(&p, po, err, errlen);
    bool installed = rc == 0;
    if (installed) {
        signals_install(&saved);
        rc = spawn_all(&p, po, err, errlen);
    }
    p.st.spawn_us = elapsed_us(begin_us);
    if (rc == 0) run_test(&p);
    teardown(&p, begin_us);
    if (installed) signals_restore(&saved);
    if (rc == 0) build_report(&p);
    if (stats) *stats = p.st;
    proc_release(&p);
    if (rc != 0) {
        world_free(p.w);
        return NULL;
    }
    return p.w;
}

int proc_stats_write_json(const struct proc_stats *st, FILE *out)
{
    int k = fprintf(out,
                    "{\"spawn_us\":%llu,\"spawn_spread_us\":%llu,\"run_us\":%llu,\"teardown_us\":%"
                    "llu,\"wall_us\":%llu,"
                    "\"cpu_self_us\":%llu,\"cpu_nodes_us\":%llu,\"lines_in\":%llu,"
                    "\"lines_out\":%llu,\"loops\":%llu}\n",
                    (unsigned long long)st->spawn_us, (unsigned long long)st->spawn_spread_us,
                    (unsigned long long)st->run_us, (unsigned long long)st->teardown_us,
                    (unsigned long long)st->wall_us, (unsigned long long)st->cpu_self_us,
                    (unsigned long long)st->cpu_nodes_us, (unsigned long long)st->lines_in,
                    (unsigned long long)st->lines_out, (unsigned long long)st->loops);
    return k < 0 || ferror(out) ? -1 : 0;
}
