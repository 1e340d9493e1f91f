/*
 * proc_guard.c: the guard process of proc_guard.h. The protocol on its pipe is one int32 per
 * message, each written whole by one write() (4 bytes < PIPE_BUF: atomic, never interleaved):
 * a pid > 0 registers the process group of that pid; 0 disarms; end-of-file means the harness
 * is gone. The guard side runs in a fork of the single-threaded harness, so malloc is safe there;
 * it leaves with _exit, never flushing the harness's stdio buffers it inherited.
 */
#include "proc_guard.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "errmsg.h"
#include "strbuf.h"

void proc_guard_init(struct proc_guard *g)
{
    g->pid = 0;
    g->fd = -1;
}

/* Reads one whole message; 1 with *v, 0 at end-of-file, -1 on an error. */
static int read_msg(int fd, int32_t *v)
{
    char buf[sizeof(*v)];
    size_t got = 0;
    while (got < sizeof(buf)) {
        ssize_t k = read(fd, buf + got, sizeof(buf) - got);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return -1;
        if (k == 0) return got == 0 ? 0 : -1;
        got += (size_t)k;
    }
    memcpy(v, buf, sizeof(*v));
    return 1;
}

/* The guard: collects process groups until disarmed (exit quietly) or orphaned (kill them). */
static _Noreturn void guard_main(int rfd)
{
    setpgid(0, 0);
    prctl(PR_SET_NAME, PROC_GUARD_NAME); /* so that ps tells it from the harness */
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = SIG_IGN;
    const int ignored[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU };
    for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++)
        sigaction(ignored[i], &sa, NULL);
    sa.sa_handler = SIG_DFL; /* no handler of the harness runs here */
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    /* Nothing of the harness's is kept open: its pipes would never reach end-of-file. */
    struct rlimit rl;
    int max = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 65536 ? (int)rl.rlim_cur : 65536;
    for (int fd = 0; fd < max; fd++)
        if (fd != rfd) close(fd);
    pid_t *groups = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        int32_t v;
        int r = read_msg(rfd, &v);
        if (r == 1 && v == 0) _exit(0); /* disarmed */
        if (r == 1 && v > 0) {
            /* Out of memory: kill this group at once rather than lose track of it. */
            if (GL_GROW(groups, n + 1, cap) != 0)
                kill(-(pid_t)v, SIGKILL);
            else
                groups[n++] = (pid_t)v;
            continue;
        }
        break; /* end-of-file (the harness is gone), an error, or a message we never send */
    }
    for (size_t i = 0; i < n; i++)
        kill(-groups[i], SIGKILL);
    _exit(0);
}

int proc_guard_start(struct proc_guard *g, char *err, size_t errlen)
{
    int fds[2];
    proc_guard_init(g);
    if (pipe(fds) != 0)
        return gl_errorf(err, errlen, "cannot create the process guard's pipe: %s",
                         strerror(errno));
    if (fcntl(fds[0], F_SETFD, FD_CLOEXEC) != 0 || fcntl(fds[1], F_SETFD, FD_CLOEXEC) != 0) {
        int e = errno;
        close(fds[0]);
        close(fds[1]);
        return gl_errorf(err, errlen, "cannot set up the process guard's pipe: %s", strerror(e));
    }
    pid_t pid = fork();
    if (pid == 0) guard_main(fds[0]);
    int e = errno;
    close(fds[0]);
    if (pid < 0) {
        close(fds[1]);
        return gl_errorf(err, errlen, "cannot fork the process guard: %s", strerror(e));
    }
    setpgid(pid, pid); /* also here: the group exists whichever of the two runs first */
    g->pid = pid;
    g->fd = fds[1];
    return 0;
}

int proc_guard_register(int fd)
{
    int32_t v = (int32_t)getpid();
    for (;;) {
        ssize_t k = write(fd, &v, sizeof(v));
        if (k == (ssize_t)sizeof(v)) return 0;
        if (k < 0 && errno == EINTR) continue;
        if (k >= 0) errno = EIO; /* a short write cannot happen below PIPE_BUF */
        return -1;
    }
}

void proc_guard_stop(struct proc_guard *g)
{
    if (g->fd >= 0) {
        int32_t zero = 0;
        ssize_t k;
        do
            k = write(g->fd, &zero, sizeof(zero));
        while (k < 0 && errno == EINTR);
        close(g->fd); /* should the write have failed, end-of-file: the groups die twice */
        g->fd = -1;
    }
    while (g->pid > 0 && waitpid(g->pid, NULL, 0) < 0 && errno == EINTR) {
    }
    g->pid = 0;
}
