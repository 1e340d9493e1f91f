/*
 * proc_node.c: one node process — spawning with the guarantees of proc_node.h, the stdin buffer,
 * the stderr log and ring. The child side (between fork and exec) runs in a copy of a
 * single-threaded parent, so opendir()/malloc() there are safe in practice.
 */
#include "proc_node.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "errmsg.h"
#include "limits.h"
#include "proc_guard.h"
#include "strbuf.h"

void proc_node_init(struct proc_node *nd)
{
    memset(nd, 0, sizeof(*nd));
    nd->fd_in = nd->fd_out = nd->fd_err = nd->fd_log = nd->fd_exec = nd->guard_fd = -1;
    nd->log_max = UINT64_MAX;
    nd->log_line_start = true;
    linebuf_init(&nd->out_lines, GL_MAX_LINE);
    linebuf_init(&nd->err.framer, PROC_NODE_RING_LINE_MAX - 1);
}

static void close_fd(int *fd)
{
    if (*fd >= 0) close(*fd);
    *fd = -1;
}

void proc_node_release(struct proc_node *nd)
{
    close_fd(&nd->fd_in);
    close_fd(&nd->fd_out);
    close_fd(&nd->fd_err);
    close_fd(&nd->fd_log);
    close_fd(&nd->fd_exec);
    linebuf_release(&nd->out_lines);
    linebuf_release(&nd->err.framer);
    free(nd->obuf);
    nd->obuf = NULL;
}

static int set_flags(int fd, bool nonblock)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) return -1;
    if (nonblock && fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) return -1;
    return 0;
}

/* mkdir -p: the store creates the run directory; node-logs/ and any missing parent are ours. */
int proc_node_make_dirs(const char *path, char *err, size_t errlen)
{
    char buf[GL_MAX_PATH];
    if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
        return gl_errorf(err, errlen, "log directory path too long: '%.100s...'", path);
    }
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0') continue;
        char c = *p;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
            return gl_errorf(err, errlen, "cannot create log directory '%s': %s", buf,
                             strerror(errno));
        }
        *p = c;
        if (c == '\0') return 0;
    }
}

/* In the child: close every fd above stderr but `keep` (ours are close-on-exec, others may not). */
static void close_other_fds(int keep)
{
    int max = -1;
    DIR *d = opendir("/proc/self/fd"); /* single-threaded parent: malloc is safe after fork */
    if (d) {
        int self = dirfd(d);
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            int fd = atoi(e->d_name);
            if (fd > max && fd != self) max = fd;
        }
        closedir(d);
    } else {
        struct rlimit rl;
        max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536 ? (int)rl.rlim_cur : 65536;
    }
    for (int fd = 3; fd <= max; fd++) {
        if (fd != keep) close(fd);
    }
}

/*
 * The child: dies with the harness (and re-checks that the harness is still there, since it may
 * have died before prctl), gets its own process group so that a terminal's Ctrl-C reaches only
 * the harness, which then kills the whole group, and registers that group with the guard before
 * anything can join it (so the guard kills it if the harness dies, proc_guard.h); stdio on the
 * pipes; cwd /tmp like Maelstrom. An exec failure is reported to the parent as an errno on
 * status_fd, a failed registration as minus the errno.
 */
static _Noreturn void child_exec(char *const argv[], pid_t parent, const int io[3], int status_fd,
                                 int guard_fd)
{
    int e = 0;
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) _exit(127);
    setpgid(0, 0);
    /* Before SIGPIPE's default comes back: a guard that is gone is EPIPE, not our death. */
    if (guard_fd >= 0 && proc_guard_register(guard_fd) != 0) e = -errno;
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = SIG_DFL; /* ignored signals stay ignored across exec: undo our SIGPIPE */
    sigaction(SIGPIPE, &sa, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    for (int k = 0; k < 3 && e == 0; k++) {
        if (dup2(io[k], k) < 0) e = errno;
    }
    close_other_fds(status_fd);
    if (chdir("/tmp") != 0) {
        /* Maelstrom runs nodes in the JVM's temp dir; without /tmp, the current one will do. */
    }
    if (e == 0) {
        execv(argv[0], argv);
        e = errno;
    }
    ssize_t k = write(status_fd, &e, sizeof(e));
    (void)k;
    _exit(127);
}

static int open_log(const char *log_dir, const char *name, char *err, size_t errlen)
{
    if (!log_dir) return -1;
    char path[GL_MAX_PATH];
    if (snprintf(path, sizeof(path), "%s/%s.log", log_dir, name) >= (int)sizeof(path)) {
        snprintf(err, errlen, "log path too long in '%.100s...'", log_dir);
        return -2;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open node log '%s': %s", path, strerror(errno));
        return -2;
    }
    return fd;
}

/* Pipes for one node: [0] stdin, [1] stdout, [2] stderr, [3] exec status; all close-on-exec. */
static int make_pipes(int fds[4][2])
{
    for (int k = 0; k < 4; k++) {
        if (pipe(fds[k]) != 0) return -1;
        /* The parent's ends never block: stdin's write end, stdout's and stderr's read ends. */
        if (set_flags(fds[k][0], k == 1 || k == 2) != 0 || set_flags(fds[k][1], k == 0) != 0)
            return -1;
    }
    return 0;
}

static void close_pipes(int fds[4][2])
{
    for (int k = 0; k < 4; k++) {
        close_fd(&fds[k][0]);
        close_fd(&fds[k][1]);
    }
}

int proc_node_spawn(struct proc_node *nd, const char *name, char *const argv[], const char *log_dir,
                    char *err, size_t errlen)
{
    int fds[4][2] = { { -1, -1 }, { -1, -1 }, { -1, -1 }, { -1, -1 } };
    nd->fd_log = open_log(log_dir, name, err, errlen);
    if (nd->fd_log == -2) return -1;
    if (make_pipes(fds) != 0) {
        snprintf(err, errlen, "cannot create pipes for node %s: %s", name, strerror(errno));
        close_pipes(fds);
        return -1;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        int io[3] = { fds[0][0], fds[1][1], fds[2][1] };
        child_exec(argv, parent, io, fds[3][1], nd->guard_fd);
    }
    int fork_errno = errno;
    close_fd(&fds[0][0]);
    close_fd(&fds[1][1]);
    close_fd(&fds[2][1]);
    close_fd(&fds[3][1]);
    if (pid < 0) {
        snprintf(err, errlen, "cannot fork node %s: %s", name, strerror(fork_errno));
        close_pipes(fds);
        return -1;
    }
    setpgid(pid, pid); /* also here, so the group exists before we might kill it */
    nd->pid = pid;
    nd->fd_exec = fds[3][0];
    nd->fd_in = fds[0][1];
    nd->fd_out = fds[1][0];
    nd->fd_err = fds[2][0];
    return 0;
}

int proc_node_spawn_wait(struct proc_node *nd, const char *path, char *err, size_t errlen)
{
    if (nd->fd_exec < 0) return 0;
    int e = 0;
    ssize_t k;
    do
        k = read(nd->fd_exec, &e, sizeof(e));
    while (k < 0 && errno == EINTR);
    close_fd(&nd->fd_exec);
    if (k <= 0) return 0; /* exec succeeded: the status pipe closed on exec */
    while (waitpid(nd->pid, &nd->status, 0) < 0 && errno == EINTR) {
    }
    nd->reaped = true;
    if (e < 0)
        return gl_errorf(err, errlen, "cannot register a node with the process guard: %s",
                         strerror(-e));
    return gl_errorf(err, errlen, "cannot run node binary '%s': %s", path, strerror(e));
}

/* The stderr framer's callback: every line, cut or not, takes the next slot of the ring. */
static void ring_push(void *ctx, enum linebuf_event ev, const char *line, size_t len)
{
    (void)ev; /* a line cut at the framer's limit (or by a failed allocation) is kept as cut */
    struct proc_node_ring *r = ctx;
    uint32_t slot;
    if (r->n == PROC_NODE_RING_LINES) {
        slot = r->head;
        r->head = (r->head + 1) % PROC_NODE_RING_LINES;
    } else {
        slot = (r->head + r->n++) % PROC_NODE_RING_LINES;
    }
    if (len > PROC_NODE_RING_LINE_MAX - 1) len = PROC_NODE_RING_LINE_MAX - 1;
    memcpy(r->line[slot], line, len);
    r->line[slot][len] = '\0';
}

static int write_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

/*
 * Appends buf[0..n) to the log, as far as the cap allows; at the cap, the cut note (on a line of
 * its own) and the log is closed. Returns 0, 1 when the cap was reached now, -1 on a write error.
 */
static int log_append(struct proc_node *nd, const char *buf, size_t n)
{
    if (nd->fd_log < 0) return 0;
    uint64_t room = nd->log_max - nd->log_bytes;
    size_t w = n < room ? n : (size_t)room;
    int rc = 0;
    if (w > 0 && write_all(nd->fd_log, buf, w) != 0) {
        rc = -1;
    } else if (w > 0) {
        nd->log_bytes += w;
        nd->log_line_start = buf[w - 1] == '\n';
    }
    if (rc == 0 && w < n) {
        char note[256];
        int len = snprintf(note, sizeof(note), "%s" PROC_NODE_LOG_CUT_NOTE,
                           nd->log_line_start ? "" : "\n", (unsigned long long)nd->log_max);
        rc = write_all(nd->fd_log, note, (size_t)len) != 0 ? -1 : 1;
        nd->log_cut = true;
    }
    if (rc != 0) {
        int e = errno;
        close_fd(&nd->fd_log);
        errno = e;
    }
    return rc;
}

int proc_node_read_stderr(struct proc_node *nd, char *buf, size_t buflen, size_t max)
{
    int rc = 0;
    size_t total = 0;
    while (nd->fd_err >= 0 && total < max) {
        ssize_t k = read(nd->fd_err, buf, buflen);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (k <= 0) {
            close_fd(&nd->fd_err);
            break;
        }
        total += (size_t)k;
        linebuf_feed(&nd->err.framer, buf, (size_t)k, ring_push, &nd->err);
        int r = log_append(nd, buf, (size_t)k);
        if (r != 0 && rc >= 0) rc = r;
    }
    return rc;
}

size_t proc_node_stderr_tail(struct proc_node *nd, struct strbuf *out, size_t max,
                             const char *indent)
{
    struct proc_node_ring *r = &nd->err;
    const struct linebuf *cur = &r->framer;
    const char *lines[PROC_NODE_RING_LINES + 1];
    size_t lens[PROC_NODE_RING_LINES + 1];
    size_t n = 0;
    for (uint32_t k = 0; k < r->n; k++) {
        lines[n] = r->line[(r->head + k) % PROC_NODE_RING_LINES];
        lens[n] = strlen(lines[n]);
        n++;
    }
    if (cur->len > 0 && !cur->skipping) { /* the line being received */
        lines[n] = cur->buf;
        lens[n++] = cur->len;
    }
    size_t first = n, used = 0, per = strlen(indent) + 1;
    while (first > 0 && used + per + lens[first - 1] <= max)
        used += per + lens[--first];
    for (size_t k = first; k < n; k++) {
        strbuf_addstr(out, indent);
        strbuf_add(out, lines[k], lens[k]);
        strbuf_addch(out, '\n');
    }
    return n - first;
}

void proc_node_flush(struct proc_node *nd)
{
    while (nd->fd_in >= 0 && nd->obuf_off < nd->obuf_len) {
        ssize_t k = write(nd->fd_in, nd->obuf + nd->obuf_off, nd->obuf_len - nd->obuf_off);
        if (k > 0) {
            nd->obuf_off += (size_t)k;
            continue;
        }
        if (k < 0 && errno == EINTR) continue;
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        /* EPIPE: the node is gone. Writes to it fail silently, as in Maelstrom (spec §1.6(4)). */
        close_fd(&nd->fd_in);
    }
    nd->obuf_off = nd->obuf_len = 0;
}

size_t proc_node_pending(const struct proc_node *nd)
{
    return nd->obuf_len - nd->obuf_off;
}

int proc_node_queue(struct proc_node *nd, const char *s, size_t n)
{
    if (nd->obuf_off > 0 && nd->obuf_off >= nd->obuf_len / 2) {
        memmove(nd->obuf, nd->obuf + nd->obuf_off, nd->obuf_len - nd->obuf_off);
        nd->obuf_len -= nd->obuf_off;
        nd->obuf_off = 0;
    }
    if (GL_GROW(nd->obuf, nd->obuf_len + n, nd->obuf_cap) != 0) return -1;
    memcpy(nd->obuf + nd->obuf_len, s, n);
    nd->obuf_len += n;
    return 0;
}

bool proc_node_has_stderr(const struct proc_node *nd)
{
    return nd->err.n > 0 || nd->err.framer.len > 0;
}

void proc_node_describe_exit(struct proc_node *nd, char *out, size_t cap)
{
    struct strbuf sb;
    strbuf_fixed(&sb, out, cap);
    int st = nd->status;
    if (WIFSIGNALED(st))
        strbuf_addf(&sb, "killed by signal %d (%s)", WTERMSIG(st), strsignal(WTERMSIG(st)));
    else
        strbuf_addf(&sb, "exit status %d", WEXITSTATUS(st));
    if (!proc_node_has_stderr(nd)) {
        strbuf_addstr(&sb, "; no stderr output");
        return;
    }
    strbuf_addstr(&sb, "; last stderr lines:\n");
    if (sb.len + 1 < cap) proc_node_stderr_tail(nd, &sb, cap - 1 - sb.len, "    ");
    if (sb.len > 0 && out[sb.len - 1] == '\n') out[--sb.len] = '\0';
}
