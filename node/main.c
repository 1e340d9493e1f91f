/*
 * broadcast-node: the stdio driver around the sans-IO core (core.h). One ppoll() loop on stdin
 * whose timeout is the core's next deadline; the bounded line framer (linebuf); codec decode ->
 * core -> codec encode; every outgoing message written as one whole line with one write(). stdout
 * carries protocol lines only; everything else goes to stderr.
 *
 *   broadcast-node [config.ini]     no argument: the documented defaults (cfg.h)
 *   broadcast-node --list-strategies | --list-keys | --check-config FILE
 *
 * The three flags answer scripts (experiments/sweep.sh) from the node's own tables instead of a
 * copy in shell; they are handled before the protocol loop starts, print on stdout and exit.
 * Without them stdout carries protocol lines only.
 */
/*
 * _GNU_SOURCE for ppoll() (Linux): a timer to the microsecond. poll()'s milliseconds, rounded up,
 * made every batch tick up to 1 ms late: a jitter of this driver, not of the node's design, that
 * the virtual runner's ticks do not have, and it decides races where a batch or an ack arrives
 * within a millisecond of a tick.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cfg.h"
#include "clock.h"
#include "codec.h"
#include "core.h"
#include "limits.h"
#include "linebuf.h"
#include "msg.h"
#include "strbuf.h"
#include "time.h"
#include "topo.h"

#define PROG "broadcast-node"

/* Bytes asked of read() at a time. */
#define READ_CHUNK 65536u

static void usage(void)
{
    fprintf(stderr,
            "usage: " PROG " [config.ini]\n"
            "  A Maelstrom broadcast node: protocol on stdin/stdout, logs on stderr.\n"
            "  Without a config: strategy grid, no batching, acks with retry 500 ms.\n"
            "  See docs/node.md and configs/*.ini.\n"
            "   or: " PROG " --list-strategies   the strategy names, one a line\n"
            "   or: " PROG " --list-keys         the INI keys: 'section.key type accepted'\n"
            "   or: " PROG " --check-config FILE load FILE (and its topology file) and exit:\n"
            "                                     0 if it loads, 1 with 'FILE:line: why'\n");
}

/* ---- output ------------------------------------------------------------------------------ */

/* Writes all of buf[0..len) with as many write() calls as the pipe needs. */
static int write_all(const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t w = write(STDOUT_FILENO, buf, len);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return -1;
        buf += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Encodes and writes every message of the outbox, then clears it. Returns 0 or -1. */
static int drain(struct strbuf *w, struct outbox *out)
{
    int rc = 0;
    for (size_t k = 0; k < out->n && rc == 0; k++) {
        strbuf_reset(w); /* the line and its newline, so one write() carries both */
        if (codec_encode_to(&out->v[k], w) != 0 && !w->failed) {
            fprintf(stderr, PROG ": cannot encode a '%s' message\n", out->v[k].type_name);
            continue;
        }
        strbuf_addch(w, '\n');
        if (w->failed) {
            fprintf(stderr, PROG ": out of memory writing a line\n");
            rc = -1;
        } else if (write_all(w->buf, w->len) != 0) {
            fprintf(stderr, PROG ": write to stdout failed: %s\n", strerror(errno));
            rc = -1;
        }
    }
    outbox_clear(out);
    return rc;
}

/* ---- input ------------------------------------------------------------------------------- */

struct driver {
    struct node *node;
    struct outbox out;
    struct strbuf w;   /* the line being written */
    struct linebuf in; /* stdin's lines */
    time_us now_us;    /* this iteration's time, for the lines the framer hands over */
    char chunk[READ_CHUNK];
};

static void handle_line(struct driver *d, const char *line, size_t len, time_us now_us)
{
    char err[512];
    struct msg m;
    enum codec_status st = codec_decode(line, len, &m, err, sizeof err);
    switch (st) {
    case CODEC_OK:
        if (node_on_message(d->node, now_us, &m, &d->out, err, sizeof err) != 0)
            fprintf(stderr, PROG ": line %llu: %s\n", (unsigned long long)d->in.lineno, err);
        break;
    case CODEC_BAD_BODY:
        fprintf(stderr, PROG ": line %llu: %s\n", (unsigned long long)d->in.lineno, err);
        if (node_reply_malformed(d->node, &m, err, &d->out) != 0)
            fprintf(stderr, PROG ": out of memory answering line %llu\n",
                    (unsigned long long)d->in.lineno);
        break;
    case CODEC_BAD_LINE:
        fprintf(stderr, PROG ": line %llu: %s\n", (unsigned long long)d->in.lineno, err);
        break;
    }
    msg_release(&m);
}

/* linebuf_fn: a line of stdin goes to the core; an over-long one is reported and skipped. */
static void on_line(void *ctx, enum linebuf_event ev, const char *line, size_t len)
{
    struct driver *d = ctx;
    switch (ev) {
    case LINEBUF_LINE:
        handle_line(d, line, len, d->now_us);
        break;
    case LINEBUF_TOO_LONG:
        fprintf(stderr, PROG ": line %llu: longer than %u bytes, skipped\n",
                (unsigned long long)d->in.lineno, (unsigned)GL_MAX_LINE);
        break;
    case LINEBUF_NO_MEMORY:
        fprintf(stderr, PROG ": line %llu: out of memory, skipped\n",
                (unsigned long long)d->in.lineno);
        break;
    }
}

/* Reads what stdin has. Returns 1 on data, 0 at EOF, -1 on error. */
static int read_input(struct driver *d, time_us now_us)
{
    d->now_us = now_us;
    ssize_t r = read(STDIN_FILENO, d->chunk, sizeof(d->chunk));
    if (r < 0) return errno == EINTR || errno == EAGAIN ? 1 : -1;
    if (r == 0) {
        linebuf_finish(&d->in, on_line, d); /* a last line without its newline is a line */
        return 0;
    }
    linebuf_feed(&d->in, d->chunk, (size_t)r, on_line, d);
    return 1;
}

/* ppoll() timeout until deadline: NULL (none) or the time left, to the microsecond. */
static const struct timespec *poll_timeout(time_us deadline_us, time_us now_us, struct timespec *ts)
{
    if (deadline_us == TIME_NEVER) return NULL;
    time_us wait = deadline_us > now_us ? deadline_us - now_us : 0;
    ts->tv_sec = (time_t)(wait / US_PER_SEC);
    ts->tv_nsec = (long)(wait % US_PER_SEC) * 1000;
    return ts;
}

static int serve(struct driver *d)
{
    struct timespec ts;
    const struct timespec *timeout = NULL;
    for (;;) {
        struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
        int ready = ppoll(&pfd, 1, timeout, NULL);
        if (ready < 0 && errno != EINTR) {
            fprintf(stderr, PROG ": ppoll: %s\n", strerror(errno));
            return 1;
        }
        time_us now_us = gl_monotonic_us(); /* once per iteration */
        int input = 1;
        if (ready > 0) input = read_input(d, now_us);
        if (input < 0) {
            fprintf(stderr, PROG ": read from stdin failed: %s\n", strerror(errno));
            return 1;
        }
        if (node_next_deadline_us(d->node) <= now_us) node_on_tick(d->node, now_us, &d->out);
        if (drain(&d->w, &d->out) != 0) return 1;
        if (input == 0) return 0;
        timeout = poll_timeout(node_next_deadline_us(d->node), now_us, &ts);
    }
}

/* ---- start-up ---------------------------------------------------------------------------- */

/* Loads the config at path (NULL: the defaults) and, for strategy file, its topology into *file
 * (topo_init'ed by the caller, who releases it). Returns 0, or -1 after saying why. */
static int load_config(const char *path, struct cfg *cfg, struct topo *file)
{
    char err[GL_MAX_PATH + 512];
    if (cfg_load_node(cfg, path, file, err, sizeof err) == 0) return 0;
    fprintf(stderr, PROG ": %s\n", err);
    return -1;
}

static unsigned long long ms(time_us us)
{
    return (unsigned long long)(us / US_PER_MS);
}

/* The start-up line: what the node runs, every key that is not at its default. */
static void log_config(const char *path, const struct cfg *cfg)
{
    fprintf(stderr, PROG ": config %s: strategy %s%s%s", path ? path : "(defaults)",
            cfg_strategy_name(cfg), cfg->root[0] ? " root " : "", cfg->root);
    if (cfg->topo_k) fprintf(stderr, " (k %u)", cfg->topo_k);
    fprintf(stderr, ", batch %llu ms", ms(cfg->batch_timeout_us));
    static const char *const dirs[BATCH_DIRS] = { "up", "down", "across" };
    for (int d = 0; d < BATCH_DIRS; d++) {
        if (cfg->batch_period_set & (1u << d) || cfg->batch_offset_us[d])
            fprintf(stderr, " (%s %llu ms +%llu)", dirs[d],
                    ms(cfg_batch_period_us(cfg, (enum batch_dir)d)), ms(cfg->batch_offset_us[d]));
    }
    if (cfg->batch_phase != BATCH_PHASE_INIT)
        fprintf(stderr, " phase %s", cfg_phase_name(cfg->batch_phase));
    if (cfg->batch_max_values) fprintf(stderr, " max %u values", cfg->batch_max_values);
    fprintf(stderr, ", delivery %s", cfg_delivery_name(cfg->delivery));
    if (cfg->delivery == DELIVERY_ACKS) fprintf(stderr, " (retry %llu ms)", ms(cfg->retry_us));
    if (cfg->delivery == DELIVERY_CUMULATIVE)
        fprintf(stderr, " (retry %llu ms, ack delay %llu ms)", ms(cfg->retry_us),
                ms(cfg->ack_delay_us));
    if (cfg->sync_us)
        fprintf(stderr, ", sync %llu ms (age %llu ms)", ms(cfg->sync_us), ms(cfg->sync_age_us));
    fprintf(stderr, "\n");
}

/* Loads the config (and topology file); returns the node or NULL after saying why. */
static struct node *start_node(const char *path)
{
    char err[GL_MAX_PATH + 512];
    struct cfg cfg;
    struct topo file;
    topo_init(&file);
    if (load_config(path, &cfg, &file) != 0) {
        topo_release(&file);
        return NULL;
    }
    struct node *node =
        node_new(&cfg, cfg.strategy == CFG_STRATEGY_FILE ? &file : NULL, err, sizeof err);
    topo_release(&file);
    if (!node) {
        fprintf(stderr, PROG ": %s\n", err);
        return NULL;
    }
    node_set_start_us(node, gl_monotonic_us()); /* [batch] phase = start anchors here */
    log_config(path, &cfg);
    return node;
}

static void log_summary(const struct node *node)
{
    size_t n_values = node_value_count(node);
    const struct node_stats *s = node_get_stats(node);
    fprintf(stderr,
            PROG ": %s: end of input: %zu values, %llu broadcast_internal sent (%llu retries, "
                 "%llu stand-alone acks, %llu digests, %llu repairs), %llu broadcast_internal_ok "
                 "sent, %llu duplicates, %llu errors sent\n",
            node_id(node)[0] ? node_id(node) : "(no init)", n_values,
            (unsigned long long)s->internal_sent, (unsigned long long)s->retries,
            (unsigned long long)s->acks_sent, (unsigned long long)s->digests_sent,
            (unsigned long long)s->repairs_sent, (unsigned long long)s->internal_ok_sent,
            (unsigned long long)s->duplicates, (unsigned long long)s->errors_sent);
}

/*
 * The flags that answer a question and exit (see the file comment): returns the exit status, or
 * -1 when argv[1] is none of them. They print on stdout: no protocol runs.
 */
static int answer_flag(int argc, char **argv)
{
    const char *flag = argv[1];
    bool check = strcmp(flag, "--check-config") == 0;
    bool strategies = strcmp(flag, "--list-strategies") == 0;
    if (!check && !strategies && strcmp(flag, "--list-keys") != 0) return -1;
    if (argc != (check ? 3 : 2)) {
        fprintf(stderr, PROG ": %s takes %s\n", flag, check ? "one argument, FILE" : "no argument");
        usage();
        return 2;
    }
    if (check) {
        struct cfg cfg;
        struct topo file;
        topo_init(&file);
        int rc = load_config(argv[2], &cfg, &file);
        topo_release(&file);
        return rc == 0 ? 0 : 1;
    }
    char line[512];
    for (size_t i = 0;; i++) {
        const char *name = cfg_strategy_at(i);
        if (strategies ? !name : cfg_describe_key(i, line, sizeof line) != 0) break;
        printf("%s\n", strategies ? name : line);
    }
    return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        usage(); /* stdout is for protocol lines only, even here */
        return 0;
    }
    int answered = argc > 1 ? answer_flag(argc, argv) : -1;
    if (answered >= 0) return answered;
    if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
        if (argc == 2)
            fprintf(stderr, PROG ": unknown option '%s'\n", argv[1]);
        else
            fprintf(stderr, PROG ": expected at most one argument, got %d\n", argc - 1);
        usage();
        return 2;
    }
    if (argc == 2) path = argv[1];

    /* A closed stdout must be an error from write(), not a silent death by SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);

    static struct driver d; /* 64 KiB of read buffer: off the stack */
    d.node = start_node(path);
    if (!d.node) return 1;
    outbox_init(&d.out);
    strbuf_init(&d.w);
    linebuf_init(&d.in, GL_MAX_LINE);
    int rc = serve(&d);
    log_summary(d.node);
    outbox_release(&d.out);
    strbuf_release(&d.w);
    linebuf_release(&d.in);
    node_free(d.node);
    return rc;
}
