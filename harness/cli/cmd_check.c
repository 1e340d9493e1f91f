/*
 * cmd_check: `harness check` (check a history, print results) and `harness results` (print the
 * key figures of a results file). The drivers of the checker and of results.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "cmds.h"
#include "journal.h"
#include "results.h"

static int check_usage(void)
{
    fprintf(stderr, "usage: harness check HISTORY [--journal FILE | --net-counts N,N,N[,...]]\n"
                    "                     [--availability total|FRACTION] [--summary | --edn]\n"
                    "\n"
                    "Checks a history (Maelstrom's history.edn or our JSON lines) as Maelstrom's\n"
                    "broadcast checkers do and prints results.json on stdout (--edn: results.edn,\n"
                    "--summary: a short human summary). --journal or --net-counts add :net\n"
                    "(9 numbers: send,recv,msg for all, clients, servers; or 3 message counts).\n"
                    "Exit status: 0 valid, 1 invalid, 2 unknown, 254 bad arguments or input.\n");
    return CMD_EXIT_USAGE;
}

struct check_args {
    const char *history, *journal, *net_counts, *avail;
    bool summary, edn;
};

static int parse_check_args(int argc, char **argv, struct check_args *a)
{
    memset(a, 0, sizeof(*a));
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        bool has_next = i + 1 < argc;
        if (!strcmp(arg, "--summary")) {
            a->summary = true;
        } else if (!strcmp(arg, "--edn")) {
            a->edn = true;
        } else if (!strcmp(arg, "--journal") && has_next) {
            a->journal = argv[++i];
        } else if (!strcmp(arg, "--net-counts") && has_next) {
            a->net_counts = argv[++i];
        } else if (!strcmp(arg, "--availability") && has_next) {
            a->avail = argv[++i];
        } else if (arg[0] == '-' && arg[1] != '\0') {
            if (strcmp(arg, "--help") && strcmp(arg, "-h"))
                fprintf(stderr, "harness check: unknown or incomplete option '%s'\n", arg);
            return -1;
        } else if (!a->history) {
            a->history = arg;
        } else {
            fprintf(stderr, "harness check: more than one history ('%s')\n", arg);
            return -1;
        }
    }
    if (!a->history) fprintf(stderr, "harness check: no history given\n");
    if (a->journal && a->net_counts)
        fprintf(stderr, "harness check: --journal and --net-counts exclude each other\n");
    if (a->summary && a->edn)
        fprintf(stderr, "harness check: --summary and --edn exclude each other\n");
    return !a->history || (a->journal && a->net_counts) || (a->summary && a->edn) ? -1 : 0;
}

static int parse_availability(const char *s, struct checker_opts *o)
{
    if (!s) return 0;
    if (!strcmp(s, "total")) {
        o->avail = AVAIL_TOTAL;
        return 0;
    }
    char *end;
    o->avail = AVAIL_FRACTION;
    o->avail_min = strtod(s, &end);
    if (end != s && *end == '\0' && o->avail_min >= 0.0 && o->avail_min <= 1.0) return 0;
    fprintf(stderr, "harness check: bad --availability '%s': want total or a fraction\n", s);
    return -1;
}

int cmd_check(int argc, char **argv)
{
    struct check_args a;
    if (parse_check_args(argc, argv, &a) != 0) return check_usage();
    struct checker_opts o = { 0 };
    if (parse_availability(a.avail, &o) != 0) return CMD_EXIT_USAGE;
    char err[1024];
    struct net_counts net = { 0 };
    int rc = 0;
    if (a.journal) rc = journal_load_counts(a.journal, &net, err, sizeof(err));
    if (a.net_counts) rc = net_counts_parse(a.net_counts, &net, err, sizeof(err));
    if (rc != 0) {
        fprintf(stderr, "harness check: %s\n", err);
        return CMD_EXIT_USAGE;
    }
    if (a.journal || a.net_counts) o.net = &net;
    struct history *h = history_new();
    if (!h || history_load(h, a.history, err, sizeof(err)) != 0) {
        fprintf(stderr, "harness check: %s\n", h ? err : "out of memory");
        history_free(h);
        return CMD_EXIT_USAGE;
    }
    struct results r;
    rc = checker_run(h, &o, &r, err, sizeof(err));
    history_free(h);
    if (rc != 0) {
        fprintf(stderr, "harness check: %s\n", err);
        return CMD_EXIT_USAGE;
    }
    if (a.summary)
        rc = results_write_summary(&r, stdout);
    else if (a.edn)
        rc = results_write_edn(&r, stdout);
    else
        rc = results_write_json(&r, stdout);
    int status = validity_exit_status(r.valid);
    results_release(&r);
    if (rc != 0 || fflush(stdout) != 0) {
        fprintf(stderr, "harness check: cannot write the results\n");
        return CMD_EXIT_USAGE;
    }
    return status;
}

static int results_usage(void)
{
    fprintf(stderr,
            "usage: harness results FILE [--csv | --csv-header | --json | --edn]\n"
            "       harness results --csv-header\n"
            "\n"
            "Reads a results.edn (Maelstrom's or ours) or a results.json and prints its key\n"
            "figures: the summary by default, one CSV line with --csv (after the header with\n"
            "--csv-header), or the whole results as JSON or EDN.\n");
    return CMD_EXIT_USAGE;
}

int cmd_results(int argc, char **argv)
{
    const char *file = NULL, *mode = "summary";
    bool header = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--csv-header")) {
            header = true;
            mode = "csv";
        } else if (!strcmp(argv[i], "--csv") || !strcmp(argv[i], "--json") ||
                   !strcmp(argv[i], "--edn")) {
            mode = argv[i] + 2;
        } else if (argv[i][0] == '-' || file) {
            return results_usage();
        } else {
            file = argv[i];
        }
    }
    if (header && results_write_csv_header(stdout) != 0) return CMD_EXIT_USAGE;
    if (!file) return header ? 0 : results_usage();
    struct results r;
    char err[1024];
    if (results_load(&r, file, err, sizeof(err)) != 0) {
        fprintf(stderr, "harness results: %s\n", err);
        return CMD_EXIT_USAGE;
    }
    int rc;
    if (!strcmp(mode, "csv"))
        rc = results_write_csv(&r, stdout);
    else if (!strcmp(mode, "json"))
        rc = results_write_json(&r, stdout);
    else if (!strcmp(mode, "edn"))
        rc = results_write_edn(&r, stdout);
    else
        rc = results_write_summary(&r, stdout);
    results_release(&r);
    return rc == 0 && fflush(stdout) == 0 ? 0 : CMD_EXIT_USAGE;
}
