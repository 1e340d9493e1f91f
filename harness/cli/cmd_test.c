/*
 * cmd_test: `harness test -w broadcast --bin PATH [ARGS...] [Maelstrom's flags]` and
 * `harness test -w broadcast --virtual --node-config FILE ...`. Runs the world on a driver, then
 * the checker, writes the store directory (results.json, results.edn, history.jsonl,
 * history.edn, journal.jsonl, test.json, node-logs/) and prints the summary. Exit status as
 * Maelstrom: 0 valid, 1 invalid, 2 unknown, 254 bad arguments, 255 the test could not run.
 */
/* realpath() is XSI: ask for it explicitly on top of _POSIX_C_SOURCE. */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cfg.h"
#include "checker.h"
#include "clock.h"
#include "cmds.h"
#include "drv_proc.h"
#include "drv_virt.h"
#include "errmsg.h"
#include "history.h"
#include "hugepages.h"
#include "journal.h"
#include "json.h"
#include "results.h"
#include "store.h"
#include "strbuf.h"
#include "test_opts.h"
#include "world.h"

#define CMD_EXIT_CRASH 255

static const char usage[] =
    "usage: harness test -w broadcast --bin PATH [ARGS...] [options]\n"
    "       harness test -w broadcast --virtual [--node-config FILE] [options]\n"
    "\n"
    "Maelstrom's options (same defaults):\n"
    "  --node-count N          nodes n0..n(N-1) (default: n1..n5)\n"
    "  --time-limit S          main phase in seconds (60)\n"
    "  --rate R                total ops/s over all clients (5)\n"
    "  --latency MS            mean server<->server latency (0)\n"
    "  --latency-dist D        constant | uniform | exponential (constant)\n"
    "  --concurrency X         client workers: an integer or Kn = K x nodes (1n)\n"
    "  --nemesis partition     partition the network now and then\n"
    "  --nemesis-interval S    mean seconds between nemesis ops (10)\n"
    "  --topology T            grid | line | tree | tree2 | tree3 | tree4 | total (grid)\n"
    "  --availability A        total, or the minimum fraction of ok ops\n"
    "gossip-lab's own:\n"
    "  --seed N                seed of every random choice (0)\n"
    "  --store DIR             where run directories go (store)\n"
    "  --recovery-wait S       seconds between the final heal and the final reads (10)\n"
    "  --virtual               run our node core in-process under a virtual clock\n"
    "  --node-config FILE      the node's INI file, with --virtual (defaults otherwise)\n"
    "  --net-wake-us N         Maelstrom's delivery thread: an idle thread's wake-up (50)\n"
    "  --net-sleep-quantum-us N  ... its sleep is truncated to a multiple of N (1000; 0 = exact)\n"
    "  --net-overshoot-us N    ... each sleep returns N us late (200); all three 0 = every\n"
    "                          message exactly on its deadline\n"
    "  --init-spread-us N      each node's init goes out at a seeded U[0, N) us (10000; 0 = all\n"
    "                          at once)\n"
    "  --node-delay-us N       with --virtual: each node handles each message a seeded\n"
    "                          U[0, N) us later, in order, like a real process (250; 0 = none)\n"
    "  --no-history            do not write history.jsonl / history.edn (results still are);\n"
    "                          implies --no-journal\n"
    "  --journal, --no-journal write journal.jsonl, one line per message, or not (default:\n"
    "                          written unless --no-history)\n"
    "  --node-log-max-mb N     with --bin: each node-logs/<id>.log keeps the first N MiB of\n"
    "                          the node's stderr, then a line saying it was cut (64)\n"
    "Exit status: 0 valid, 1 invalid, 2 unknown, 254 bad arguments, 255 the test could not\n"
    "run or was interrupted (SIGINT, SIGTERM, SIGHUP: history.jsonl keeps what ran).\n";

static void journal_cb(void *ctx, const struct wmsg *m, bool delivered, time_us recv_us)
{
    struct journal_rec r = {
        .id = m->id,
        .send_ns = (int64_t)m->sent_us * 1000,
        .recv_ns = delivered ? (int64_t)recv_us * 1000 : -1,
        .src = m->m.src,
        .dest = m->m.dest,
        .type = m->m.type_name,
    };
    /* The ends' indices and the type's number spare looking the names up. */
    struct journal_keys k = { m->src, m->dest, (uint32_t)m->m.type };
    journal_writer_add(ctx, &r, &k);
}

/* test.json: the command line and every parameter, so the run can be repeated exactly. */
static void write_test_json(const struct store *s, const struct test_opts *t, int argc, char **argv)
{
    const struct world_opts *o = &t->world;
    struct strbuf sb = STRBUF_INIT;
    strbuf_addstr(&sb, "{\"argv\":[");
    for (int i = 0; i < argc; i++) {
        if (i) strbuf_addch(&sb, ',');
        json_add_str(&sb, argv[i]);
    }
    strbuf_addf(&sb, "],\"workload\":\"broadcast\",\"runner\":\"%s\",",
                t->virtual_time ? "virtual" : "process");
    strbuf_addstr(&sb, "\"bin\":");
    if (t->bin)
        json_add_str(&sb, t->bin);
    else
        strbuf_addstr(&sb, "null");
    strbuf_addstr(&sb, ",\"node_config\":");
    if (t->node_config)
        json_add_str(&sb, t->node_config);
    else
        strbuf_addstr(&sb, "null");
    strbuf_addf(
        &sb,
        ",\"node_count\":%u,\"time_limit_s\":%llu,\"rate\":%.17g,\"latency_ms\":%llu,"
        "\"latency_dist\":\"%s\",\"concurrency\":%u,\"nemesis\":%s,\"nemesis_interval_s\":%.17g,"
        "\"topology\":\"%s\",\"seed\":%llu,\"recovery_wait_us\":%llu,\"node_delay_us\":%llu,"
        "\"node_log_max_mb\":%llu,\"net_wake_us\":%llu,\"net_sleep_quantum_us\":%llu,"
        "\"net_overshoot_us\":%llu,\"init_spread_us\":%llu}\n",
        o->node_count, (unsigned long long)o->time_limit_s, o->rate,
        (unsigned long long)o->latency_ms, latency_dist_name(o->latency_dist), o->concurrency,
        o->nemesis_partition ? "[\"partition\"]" : "[]", o->nemesis_interval_s,
        topo_kind_name(o->topology), (unsigned long long)o->seed,
        (unsigned long long)o->recovery_us,
        (unsigned long long)(t->virtual_time ? t->node_delay_us : 0),
        (unsigned long long)(t->virtual_time ? 0 : t->node_log_max_mb),
        (unsigned long long)o->net_timing.wake_us,
        (unsigned long long)o->net_timing.sleep_quantum_us,
        (unsigned long long)o->net_timing.overshoot_us, (unsigned long long)o->init_spread_us);
    char err[256];
    if (!sb.failed) (void)store_write(s, "test.json", sb.buf, sb.len, err, sizeof(err));
    strbuf_release(&sb);
}

static int load_node_config(const struct test_opts *t, struct cfg *c, struct topo *file_topo)
{
    char err[512];
    if (cfg_load_node(c, t->node_config, file_topo, err, sizeof(err)) == 0) return 0;
    fprintf(stderr, "harness test: %s\n", err);
    return -1;
}

/*
 * Nodes run in /tmp, as under Maelstrom (spec §1.1), so a relative path among the node's
 * arguments that exists here will not be found there: say so before the run, with the fix.
 */
static void warn_relative_args(const struct test_opts *t)
{
    for (size_t i = 0; i < t->n_args; i++) {
        const char *a = t->args[i];
        if (a[0] == '/' || access(a, F_OK) != 0) continue;
        char *abs = realpath(a, NULL);
        fprintf(stderr,
                "harness test: warning: nodes run in /tmp, as under Maelstrom: the relative path "
                "'%s' will not be found there; pass '%s'\n",
                a, abs ? abs : a);
        free(abs);
    }
}

/* A node config given with --virtual, loaded before anything runs (see cmd_test). */
struct virt_node {
    struct cfg cfg;
    struct topo file_topo;
};

static struct world *run(struct test_opts *t, const struct virt_node *vn, const struct store *s,
                         struct journal_writer *j, struct proc_stats *ps)
{
    char err[1024] = "";
    struct world *w = NULL;
    if (j) {
        t->world.journal = journal_cb;
        t->world.journal_ctx = j;
    }
    if (t->virtual_time) {
        w = drv_virt_run(&t->world, &vn->cfg, &vn->file_topo, t->node_delay_us, err, sizeof(err));
    } else {
        warn_relative_args(t);
        char logs[GL_MAX_PATH];
        store_path(s, "node-logs", logs, sizeof(logs));
        struct proc_opts po = { .bin = t->bin,
                                .args = t->args,
                                .n_args = t->n_args,
                                .log_dir = logs,
                                .log_max_bytes = t->node_log_max_mb * 1024u * 1024u };
        w = drv_proc_run(&t->world, &po, ps, err, sizeof(err));
        FILE *f = w ? store_create(s, "proc-stats.json", err, sizeof(err)) : NULL;
        if (f) {
            proc_stats_write_json(ps, f);
            fclose(f);
        }
    }
    if (!w && err[0]) fprintf(stderr, "harness test: %s\n", err);
    return w;
}

/* history.jsonl, and history.edn with `with_edn`, into the run's directory. */
static int save_history(const struct world *w, const struct store *s, bool with_edn, char *err,
                        size_t errlen)
{
    char path[GL_MAX_PATH];
    store_path(s, "history.jsonl", path, sizeof(path));
    if (history_save(world_history(w), HISTORY_JSON, path, err, errlen) != 0) return -1;
    if (!with_edn) return 0;
    store_path(s, "history.edn", path, sizeof(path));
    return history_save(world_history(w), HISTORY_EDN, path, err, errlen);
}

/*
 * Where the harness's wall time went, for run-stats.json: the run (the world on its driver, the
 * journal recorded as it goes and written beside it), the checker (with convergence), writing
 * history.jsonl and history.edn (each on a thread beside the checker: from the checker's start to
 * the last file written), and the results: their text (made after the check, while the history
 * files may still be being written) and their files and the summary. 0 for a phase that did not
 * run.
 */
struct phases {
    time_us run_us, check_us, history_us, results_us;
};

/* Microseconds since *mark; moves *mark to now. */
static time_us lap_us(time_us *mark)
{
    time_us now = gl_monotonic_us(), d = now - *mark;
    *mark = now;
    return d;
}

/*
 * One history file written on a thread of its own, beside the checker: history_write reads the
 * history with buffers of its own, and nothing changes the history any more.
 */
struct hist_saver {
    const struct history *h;
    enum history_format fmt;
    char path[GL_MAX_PATH];
    char err[512];
    int rc;
    bool started; /* on a thread, to be joined */
    pthread_t thread;
};

static void *save_one(void *arg)
{
    struct hist_saver *sv = arg;
    sv->rc = history_save(sv->h, sv->fmt, sv->path, sv->err, sizeof(sv->err));
    return NULL;
}

/* Starts writing history.jsonl and history.edn, each on a thread (at once if none starts). */
static void savers_start(struct hist_saver sv[2], const struct world *w, const struct store *s)
{
    static const char *const names[2] = { "history.jsonl", "history.edn" };
    for (int k = 0; k < 2; k++) {
        sv[k].h = world_history(w);
        sv[k].fmt = k ? HISTORY_EDN : HISTORY_JSON;
        sv[k].rc = 0;
        sv[k].err[0] = '\0';
        store_path(s, names[k], sv[k].path, sizeof(sv[k].path));
        sv[k].started = pthread_create(&sv[k].thread, NULL, save_one, &sv[k]) == 0;
        if (!sv[k].started) save_one(&sv[k]);
    }
}

/* Waits for both files: 0, or -1 with the first one's error. */
static int savers_finish(struct hist_saver sv[2], char *err, size_t errlen)
{
    int rc = 0;
    for (int k = 0; k < 2; k++) {
        if (sv[k].started) pthread_join(sv[k].thread, NULL);
        if (sv[k].rc != 0 && rc == 0) rc = gl_errorf(err, errlen, "%s", sv[k].err);
    }
    return rc;
}

static int check_and_report(struct world *w, const struct test_opts *t, const struct store *s,
                            struct phases *ph)
{
    time_us start = gl_monotonic_us(), mark = start;
    struct hist_saver savers[2];
    if (!t->no_history) savers_start(savers, w, s);
    char err[1024], path[GL_MAX_PATH];
    struct checker_opts co = { .net = world_net(w), .avail = AVAIL_NONE, .avail_min = 0 };
    if (t->availability) {
        co.avail = strcmp(t->availability, "total") ? AVAIL_FRACTION : AVAIL_TOTAL;
        co.avail_min = co.avail == AVAIL_FRACTION ? strtod(t->availability, NULL) : 1.0;
    }
    /* Our convergence check needs each final read's node: the world's names and workers. */
    uint32_t n = world_node_count(w);
    char(*names)[GL_ID_MAX] = calloc(n ? n : 1, sizeof(*names));
    if (!names) {
        fprintf(stderr, "harness test: out of memory\n");
        return CMD_EXIT_CRASH;
    }
    for (uint32_t i = 0; i < n; i++)
        snprintf(names[i], sizeof(names[i]), "%s", world_node_name(w, i));
    struct convergence_opts conv = {
        .node_count = n,
        .concurrency = t->world.concurrency,
        .node_names = (const char(*)[GL_ID_MAX])names,
    };
    co.convergence = n > 0 && t->world.concurrency > 0 ? &conv : NULL;
    struct results r;
    int checked = checker_run(world_history(w), &co, &r, err, sizeof(err));
    free(names);
    ph->check_us = lap_us(&mark);
    /* The results' text is made while the history files are still being written. */
    struct strbuf json = STRBUF_INIT, edn = STRBUF_INIT;
    if (checked == 0) {
        results_format_json(&r, &json);
        results_format_edn(&r, &edn);
    }
    ph->results_us = lap_us(&mark);
    int rc = 0;
    char history_err[1024];
    if (!t->no_history) {
        rc = savers_finish(savers, history_err, sizeof(history_err));
        ph->history_us = gl_monotonic_us() - start; /* beside the check, from its start */
        mark = gl_monotonic_us();
    }
    if (checked != 0) {
        fprintf(stderr, "harness test: checker: %s\n", err);
        return CMD_EXIT_CRASH;
    }
    if (rc != 0) memcpy(err, history_err, sizeof(err));
    if (rc == 0 && store_path(s, "results.json", path, sizeof(path)) == 0)
        rc = results_save(&json, path, err, sizeof(err));
    if (rc == 0 && store_path(s, "results.edn", path, sizeof(path)) == 0)
        rc = results_save(&edn, path, err, sizeof(err));
    strbuf_release(&json);
    strbuf_release(&edn);
    if (rc != 0) fprintf(stderr, "harness test: %s\n", err);
    results_write_summary(&r, stdout);
    printf("store: %s\n", s->dir);
    fflush(stdout);
    int status = rc == 0 ? validity_exit_status(r.valid) : CMD_EXIT_CRASH;
    results_release(&r);
    ph->results_us += lap_us(&mark);
    return status;
}

static void report_faults(const struct world *w, const struct store *s)
{
    const char *faults = world_faults(w);
    if (!*faults) return;
    char err[256];
    fprintf(stderr, "harness test: faults during the run:\n%s", faults);
    store_write(s, "faults.txt", faults, strlen(faults), err, sizeof(err));
}

/*
 * run-stats.json: what the harness process itself cost, from its start to the end of the
 * checks (the node processes of the process runner are not in it: see proc-stats.json). A
 * benchmark reads it instead of an external timer (bench/harness_scale.sh).
 */
static void write_run_stats(const struct store *s, time_us start_us, bool huge_pages,
                            const struct phases *ph)
{
    time_us wall_us = gl_monotonic_us() - start_us;
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) memset(&ru, 0, sizeof(ru));
    time_us cpu_us = gl_timeval_us(ru.ru_utime) + gl_timeval_us(ru.ru_stime);
    char err[512];
    FILE *f = store_create(s, "run-stats.json", err, sizeof(err));
    if (!f) {
        fprintf(stderr, "harness test: %s\n", err);
        return;
    }
    fprintf(f,
            "{\"wall_us\":%llu,\"cpu_us\":%llu,\"max_rss_kib\":%ld,\"phases_us\":{\"run\":%llu,"
            "\"check\":%llu,\"history\":%llu,\"results\":%llu},\"huge_pages\":%s}\n",
            (unsigned long long)wall_us, (unsigned long long)cpu_us, ru.ru_maxrss,
            (unsigned long long)ph->run_us, (unsigned long long)ph->check_us,
            (unsigned long long)ph->history_us, (unsigned long long)ph->results_us,
            huge_pages ? "true" : "false");
    if (fclose(f) != 0)
        fprintf(stderr, "harness test: cannot write run-stats.json in %s\n", s->dir);
}

/* Nodes x ops from which a virtual run goes on huge pages: 100 nodes x 10,000 ops and up. */
#define LARGE_NODE_OPS 1000000.0

bool cmd_test_is_large(int argc, char **argv)
{
    struct test_opts t;
    char err[1024];
    test_opts_defaults(&t);
    if (test_opts_parse(&t, argc - 1, argv + 1, err, sizeof(err)) != 0 || t.help || !t.virtual_time)
        return false;
    double ops = t.world.rate * (double)t.world.time_limit_s;
    return (double)t.world.node_count * ops >= LARGE_NODE_OPS;
}

int cmd_test(int argc, char **argv)
{
    bool huge_pages;
    time_us start_us = hugepages_started_us(&huge_pages);
    struct test_opts t;
    char err[1024];
    test_opts_defaults(&t);
    if (test_opts_parse(&t, argc - 1, argv + 1, err, sizeof(err)) != 0) {
        fprintf(stderr, "harness test: %s\n(see harness test --help)\n", err);
        return CMD_EXIT_USAGE;
    }
    if (t.help) {
        fputs(usage, stdout);
        return 0;
    }
    /* The node's config is an argument: unreadable or invalid, it is bad arguments (254),
     * found before a store directory is made. */
    struct virt_node vn;
    topo_init(&vn.file_topo);
    if (t.virtual_time && load_node_config(&t, &vn.cfg, &vn.file_topo) != 0) {
        topo_release(&vn.file_topo);
        return CMD_EXIT_USAGE;
    }
    struct store s;
    if (store_open(&s, t.store, "broadcast", err, sizeof(err)) != 0) {
        fprintf(stderr, "harness test: %s\n", err);
        topo_release(&vn.file_topo);
        return CMD_EXIT_CRASH;
    }
    write_test_json(&s, &t, argc, argv);
    FILE *jf = t.journal ? store_create(&s, "journal.jsonl", err, sizeof(err)) : NULL;
    struct journal_writer *j = jf ? journal_writer_new(jf) : NULL;
    if (jf && !j) {
        fprintf(stderr, "harness test: out of memory\n");
        fclose(jf);
        topo_release(&vn.file_topo);
        return CMD_EXIT_CRASH;
    }
    struct proc_stats ps;
    memset(&ps, 0, sizeof(ps));
    struct phases ph = { 0, 0, 0, 0 };
    time_us mark = gl_monotonic_us();
    struct world *w = run(&t, &vn, &s, j, &ps);
    topo_release(&vn.file_topo);
    int jrc = journal_writer_finish(j);
    if (jf && (fclose(jf) != 0 || jrc != 0))
        fprintf(stderr, "harness test: cannot write the journal in %s\n", s.dir);
    ph.run_us = lap_us(&mark);
    if (!w) return CMD_EXIT_CRASH;
    report_faults(w, &s);
    const char *detail;
    int status;
    if (world_abort_reason(w, &detail) != WORLD_OK || !world_done(w)) {
        fprintf(stderr, "harness test: the test did not complete: %s\n",
                world_done(w) ? detail : "the run stalled");
        if (ps.stderr_report[0]) fprintf(stderr, "%s", ps.stderr_report);
        /* No results, as with Maelstrom; the history so far still helps find out why. */
        if (save_history(w, &s, false, err, sizeof(err)) != 0)
            fprintf(stderr, "harness test: %s\n", err);
        fprintf(stderr, "store: %s\n", s.dir);
        status = CMD_EXIT_CRASH;
    } else {
        status = check_and_report(w, &t, &s, &ph);
    }
    world_free(w);
    write_run_stats(&s, start_us, huge_pages, &ph);
    return status;
}
