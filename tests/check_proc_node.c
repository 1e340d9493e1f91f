/*
 * check_proc_node: proves how the process driver keeps a node's stderr for crash reports: the
 * last 32 lines through the one line framer, a long line cut at 199 bytes, the incomplete last
 * line shown, and the report built in a bounded builder that never writes past its array,
 * whatever its size; the log capped at exactly its limit with a closing note; and the process
 * guard killing a node's whole group (grandchildren included) when orphaned, and nothing when
 * disarmed. Runs a real /bin/sh as the node.
 */
#include <check.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_run.h"
#include "proc_guard.h"
#include "proc_node.h"

/* Starts sh -c script as node n0 (nd already proc_node_init'ed), logging into log_dir. */
static void spawn_sh(struct proc_node *nd, const char *script, const char *log_dir)
{
    char err[512];
    char sh[] = "/bin/sh", c[] = "-c", cmd[4096];
    ck_assert_uint_lt(strlen(script), sizeof(cmd));
    memcpy(cmd, script, strlen(script) + 1);
    char *const argv[] = { sh, c, cmd, NULL };
    ck_assert_msg(proc_node_spawn(nd, "n0", argv, log_dir, err, sizeof(err)) == 0, "%s", err);
    ck_assert_msg(proc_node_spawn_wait(nd, "/bin/sh", err, sizeof(err)) == 0, "%s", err);
}

/*
 * Reads the node's stderr to the end; returns the last non-zero status of
 * proc_node_read_stderr (0 if none), after reaping the node.
 */
static int drain_stderr(struct proc_node *nd)
{
    char buf[4096];
    int seen = 0;
    while (nd->fd_err >= 0) {
        struct pollfd pfd = { .fd = nd->fd_err, .events = POLLIN };
        ck_assert_int_ge(poll(&pfd, 1, 5000), 1);
        int rc = proc_node_read_stderr(nd, buf, sizeof(buf), sizeof(buf));
        ck_assert_int_ge(rc, 0);
        if (rc) seen = rc;
    }
    ck_assert_int_eq(waitpid(nd->pid, &nd->status, 0), nd->pid);
    nd->reaped = true;
    return seen;
}

/* Runs sh -c script as a node and reads its stderr to the end; the node is reaped. */
static void run_node(struct proc_node *nd, const char *script)
{
    proc_node_init(nd);
    spawn_sh(nd, script, NULL);
    ck_assert_int_eq(drain_stderr(nd), 0);
}

/* 40 numbered lines, one of 300 'x', then "tail" without a newline; exit status 3. */
static const char *const SCRIPT =
    "i=1; while [ $i -le 40 ]; do echo \"line $i\" >&2; i=$((i+1)); done; "
    "printf '%0300d\\n' 0 | tr 0 x >&2; printf tail >&2; exit 3";

START_TEST(keeps_last_lines_cut_and_incomplete)
{
    struct proc_node nd;
    run_node(&nd, SCRIPT);
    ck_assert(proc_node_has_stderr(&nd));
    struct strbuf sb = STRBUF_INIT;
    size_t n = proc_node_stderr_tail(&nd, &sb, 1 << 20, "> ");
    /* 32 complete lines (line 10 .. line 40 and the long one) and the incomplete one. */
    ck_assert_uint_eq(n, 33);
    char want[1 << 14];
    struct strbuf w;
    strbuf_fixed(&w, want, sizeof(want));
    for (int i = 10; i <= 40; i++)
        strbuf_addf(&w, "> line %d\n", i);
    strbuf_addstr(&w, "> ");
    for (int i = 0; i < PROC_NODE_RING_LINE_MAX - 1; i++)
        strbuf_addch(&w, 'x');
    strbuf_addstr(&w, "\n> tail\n");
    ck_assert(!w.failed);
    ck_assert_str_eq(sb.buf, want);
    strbuf_release(&sb);
    proc_node_release(&nd);
}
END_TEST

START_TEST(tail_keeps_the_newest_that_fit)
{
    struct proc_node nd;
    run_node(&nd, "echo one >&2; echo two >&2; echo three >&2");
    struct strbuf sb = STRBUF_INIT;
    /* "  three\n" is 8 bytes, "  two\n" 6: 14 bytes hold the last two lines, 13 only one. */
    ck_assert_uint_eq(proc_node_stderr_tail(&nd, &sb, 14, "  "), 2);
    ck_assert_str_eq(sb.buf, "  two\n  three\n");
    strbuf_reset(&sb);
    ck_assert_uint_eq(proc_node_stderr_tail(&nd, &sb, 13, "  "), 1);
    ck_assert_str_eq(sb.buf, "  three\n");
    strbuf_release(&sb);
    proc_node_release(&nd);
}
END_TEST

START_TEST(describe_exit_never_overruns)
{
    /* _i is the report's array size; the bytes after it must stay untouched. */
    struct proc_node nd;
    run_node(&nd, SCRIPT);
    size_t cap = (size_t)_i;
    char area[16384];
    memset(area, 'Z', sizeof(area));
    proc_node_describe_exit(&nd, area, cap);
    for (size_t k = cap; k < sizeof(area); k++)
        ck_assert_int_eq(area[k], 'Z');
    ck_assert_uint_lt(strlen(area), cap);
    /* The head (its newline dropped when no line follows), cut where the array ends. */
    const char *head = "exit status 3; last stderr lines:";
    ck_assert_int_eq(strncmp(area, head, cap - 1 < strlen(head) ? cap - 1 : strlen(head)), 0);
    if (cap > 8000) { /* room for everything: the report ends with the incomplete line */
        size_t len = strlen(area);
        ck_assert_str_eq(area + len - strlen("\n    tail"), "\n    tail");
    }
    proc_node_release(&nd);
}
END_TEST

START_TEST(no_stderr_said_so)
{
    struct proc_node nd;
    run_node(&nd, "exit 0");
    ck_assert(!proc_node_has_stderr(&nd));
    char out[128];
    proc_node_describe_exit(&nd, out, sizeof(out));
    ck_assert_str_eq(out, "exit status 0; no stderr output");
    proc_node_release(&nd);
}
END_TEST

/*
 * The log keeps exactly log_max bytes of stderr, then the note on a line of its own (a newline
 * first when the cut fell inside a line); the ring still sees the end. 4000 bytes of "abc\n":
 * a cap of 1000 falls between lines, 1001 inside one; a cap above the output cuts nothing.
 */
START_TEST(log_capped_with_a_note)
{
    static const struct {
        uint64_t cap;
        const char *sep; /* between the kept bytes and the note */
        bool cut;
    } cases[] = { { 1000, "", true }, { 1001, "\n", true }, { 4000, "", false } };
    char dir[] = "/tmp/check_proc_node.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[128], want[8192], got[8192], note[256];
    snprintf(path, sizeof path, "%s/n0.log", dir);
    char stream[4001];
    for (int i = 0; i < 1000; i++)
        memcpy(stream + 4 * i, "abc\n", 4);
    stream[4000] = '\0';
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct proc_node nd;
        proc_node_init(&nd);
        nd.log_max = cases[k].cap;
        spawn_sh(&nd, "i=0; while [ $i -lt 1000 ]; do echo abc >&2; i=$((i+1)); done", dir);
        ck_assert_int_eq(drain_stderr(&nd), cases[k].cut ? 1 : 0);
        ck_assert(nd.log_cut == cases[k].cut);
        FILE *f = fopen(path, "rb");
        ck_assert_ptr_nonnull(f);
        size_t n = fread(got, 1, sizeof got - 1, f);
        fclose(f);
        got[n] = '\0';
        snprintf(note, sizeof note, PROC_NODE_LOG_CUT_NOTE, (unsigned long long)cases[k].cap);
        snprintf(want, sizeof want, "%.*s%s%s", (int)cases[k].cap, stream, cases[k].sep,
                 cases[k].cut ? note : "");
        ck_assert_str_eq(got, want);
        struct strbuf sb = STRBUF_INIT;
        ck_assert_uint_eq(proc_node_stderr_tail(&nd, &sb, 1 << 20, ""), 32);
        strbuf_release(&sb);
        proc_node_release(&nd);
        ck_assert_int_eq(unlink(path), 0);
    }
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* The state letter of /proc/PID/stat ('Z' zombie), or 0 when the process is gone. */
static char proc_state(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')');
    return p && p[1] == ' ' ? p[2] : '?';
}

/*
 * The guard: a node (sh) that starts a grandchild (sleep) in its group. Disarmed, the guard
 * exits and both live on; orphaned (its pipe closed without a word, as when the harness dies),
 * it kills the whole group. We are a subreaper, so the orphaned sleep comes back to us to reap.
 */
START_TEST(guard_kills_groups_only_when_orphaned)
{
    ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    for (int disarm = 0; disarm < 2; disarm++) {
        struct proc_guard g;
        char err[256];
        ck_assert_msg(proc_guard_start(&g, err, sizeof err) == 0, "%s", err);
        struct proc_node nd;
        proc_node_init(&nd);
        nd.guard_fd = g.fd;
        spawn_sh(&nd, "sleep 600 & echo $!; wait", NULL);
        char line[64] = "";
        size_t got = 0;
        while (got == 0 || line[got - 1] != '\n') {
            struct pollfd pfd = { .fd = nd.fd_out, .events = POLLIN };
            ck_assert_int_eq(poll(&pfd, 1, 5000), 1);
            ssize_t k = read(nd.fd_out, line + got, sizeof line - 1 - got);
            ck_assert_int_gt(k, 0);
            got += (size_t)k;
        }
        pid_t sleeper = (pid_t)atoi(line);
        ck_assert_int_gt(sleeper, 0);
        int st;
        if (disarm) {
            proc_guard_stop(&g);
            ck_assert_int_eq(g.pid, 0);
            poll(NULL, 0, 100);                    /* time for a (wrong) kill to land */
            ck_assert_int_eq(kill(-nd.pid, 0), 0); /* the group lives on */
            ck_assert_int_eq(proc_state(sleeper), 'S');
            ck_assert_int_eq(kill(-nd.pid, SIGKILL), 0);
        } else {
            close(g.fd); /* the harness is gone */
            ck_assert_int_eq(waitpid(g.pid, &st, 0), g.pid);
            ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
        }
        ck_assert_int_eq(waitpid(nd.pid, &st, 0), nd.pid);
        ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
        ck_assert_int_eq(waitpid(sleeper, &st, 0), sleeper); /* orphaned: ours to reap */
        ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
        nd.reaped = true;
        proc_node_release(&nd);
    }
}
END_TEST

static Suite *proc_node_suite(void)
{
    Suite *s = suite_create("proc_node");
    TCase *tc = tcase_create("stderr");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, keeps_last_lines_cut_and_incomplete);
    tcase_add_test(tc, tail_keeps_the_newest_that_fit);
    tcase_add_loop_test(tc, describe_exit_never_overruns, 1, 64);
    tcase_add_loop_test(tc, describe_exit_never_overruns, 200, 204);
    tcase_add_loop_test(tc, describe_exit_never_overruns, 9000, 9001);
    tcase_add_test(tc, no_stderr_said_so);
    tcase_add_test(tc, log_capped_with_a_note);
    tcase_add_test(tc, guard_kills_groups_only_when_orphaned);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    return check_run(proc_node_suite());
}
