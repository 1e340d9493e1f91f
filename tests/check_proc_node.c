/*
 * check_proc_node: proves how the process driver keeps a node's stderr for crash reports: the
 * last 32 lines through the one line framer, a long line cut at 199 bytes, the incomplete last
 * line shown, and the report built in a bounded builder that never writes past its array,
 * whatever its size. Runs a real /bin/sh as the node.
 */
#include <check.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "check_run.h"
#include "proc_node.h"

/* Runs sh -c script as a node and reads its stderr to the end; the node is reaped. */
static void run_node(struct proc_node *nd, const char *script)
{
    char err[512];
    char sh[] = "/bin/sh", c[] = "-c", cmd[4096];
    ck_assert_uint_lt(strlen(script), sizeof(cmd));
    memcpy(cmd, script, strlen(script) + 1);
    char *const argv[] = { sh, c, cmd, NULL };
    proc_node_init(nd);
    ck_assert_msg(proc_node_spawn(nd, "n0", argv, NULL, err, sizeof(err)) == 0, "%s", err);
    ck_assert_msg(proc_node_spawn_wait(nd, "/bin/sh", err, sizeof(err)) == 0, "%s", err);
    char buf[4096];
    while (nd->fd_err >= 0) {
        struct pollfd pfd = { .fd = nd->fd_err, .events = POLLIN };
        ck_assert_int_ge(poll(&pfd, 1, 5000), 1);
        ck_assert_int_eq(proc_node_read_stderr(nd, buf, sizeof(buf), sizeof(buf)), 0);
    }
    ck_assert_int_eq(waitpid(nd->pid, &nd->status, 0), nd->pid);
    nd->reaped = true;
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
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    return check_run(proc_node_suite());
}
