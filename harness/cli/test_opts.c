/*
 * test_opts: parses `harness test` arguments with Maelstrom's flags and defaults (spec §6.3)
 * plus gossip-lab's own (--seed, --store, --recovery-wait, --virtual, --node-config, the
 * delivery thread's and the setup's timing). Pure: no IO
 * beyond filling err.
 */
#include "test_opts.h"

#include "drv_proc.h"
#include "drv_virt.h"
#include "errmsg.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

static int bad(char *err, size_t errlen, const char *flag, const char *value, const char *want)
{
    return gl_errorf(err, errlen, "invalid value '%s' for %s: %s", value, flag, want);
}

static int parse_u64(const char *flag, const char *s, uint64_t max, uint64_t *out, char *err,
                     size_t errlen)
{
    char *end;
    errno = 0;
    if (!*s || *s == '-' || *s == '+') return bad(err, errlen, flag, s, "expected an integer");
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max) {
        char want[64];
        snprintf(want, sizeof(want), "expected an integer 0..%llu", (unsigned long long)max);
        return bad(err, errlen, flag, s, want);
    }
    *out = v;
    return 0;
}

static int parse_double(const char *flag, const char *s, double min, double max, double *out,
                        char *err, size_t errlen)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || errno || *end || !isfinite(v) || v < min || v > max) {
        char want[64];
        snprintf(want, sizeof(want), "expected a number %g..%g", min, max);
        return bad(err, errlen, flag, s, want);
    }
    *out = v;
    return 0;
}

static int parse_latency_dist(const char *s, enum latency_dist *out, char *err, size_t errlen)
{
    if (latency_dist_parse(s, out) == 0) return 0;
    return bad(err, errlen, "--latency-dist", s, "expected constant, uniform or exponential");
}

static int parse_topology(const char *s, enum topo_kind *out, char *err, size_t errlen)
{
    /* Maelstrom's names; its `tree` is an alias of tree2 (spec §2.2). */
    static const struct {
        const char *name;
        enum topo_kind kind;
    } names[] = {
        { "grid", TOPO_GRID },   { "line", TOPO_LINE },   { "tree", TOPO_TREE2 },
        { "tree2", TOPO_TREE2 }, { "tree3", TOPO_TREE3 }, { "tree4", TOPO_TREE4 },
        { "total", TOPO_TOTAL },
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (!strcmp(s, names[i].name)) {
            *out = names[i].kind;
            return 0;
        }
    }
    return bad(err, errlen, "--topology", s,
               "expected grid, line, tree, tree2, tree3, tree4 or total");
}

void test_opts_defaults(struct test_opts *t)
{
    memset(t, 0, sizeof(*t));
    world_opts_defaults(&t->world);
    t->journal = -1;
    t->workload = "lin-kv"; /* Maelstrom's default: we say clearly that only broadcast exists */
    t->store = "store";
    t->concurrency = "1n";
    t->node_delay_us = VIRT_NODE_DELAY_US_DEFAULT;
    t->node_log_max_mb = PROC_LOG_MAX_MB_DEFAULT;
}

/* Resolves --concurrency after --node-count is known: "Kn" = K x N, or a plain integer. */
static int resolve_concurrency(struct test_opts *t, char *err, size_t errlen)
{
    const char *s = t->concurrency;
    size_t len = strlen(s);
    uint64_t k;
    char buf[32];
    if (len > 0 && len < sizeof(buf) && s[len - 1] == 'n') {
        memcpy(buf, s, len - 1);
        buf[len - 1] = '\0';
        if (parse_u64("--concurrency", buf, 1000, &k, err, errlen) != 0 || k == 0)
            return bad(err, errlen, "--concurrency", s, "expected an integer or Kn with K >= 1");
        k *= t->world.node_count;
    } else if (parse_u64("--concurrency", s, 100000, &k, err, errlen) != 0 || k == 0) {
        return bad(err, errlen, "--concurrency", s, "expected an integer or Kn with K >= 1");
    }
    t->world.concurrency = (uint32_t)k;
    return 0;
}

/* One option with a value; returns 1 if consumed, 0 if not an option we know, -1 on error. */
static int parse_valued(struct test_opts *t, const char *flag, const char *v, char *err,
                        size_t errlen)
{
    struct world_opts *o = &t->world;
    uint64_t u;
    double d;
    if (!strcmp(flag, "-w") || !strcmp(flag, "--workload")) {
        t->workload = v;
    } else if (!strcmp(flag, "--bin")) {
        t->bin = v;
    } else if (!strcmp(flag, "--node-count")) {
        if (parse_u64(flag, v, GL_MAX_NODES, &u, err, errlen) || u == 0)
            return bad(err, errlen, flag, v, "expected an integer 1..1024");
        o->node_count = (uint32_t)u;
        o->default_names = false;
    } else if (!strcmp(flag, "--time-limit")) {
        if (parse_u64(flag, v, 86400, &u, err, errlen)) return -1;
        o->time_limit_s = u;
    } else if (!strcmp(flag, "--rate")) {
        if (parse_double(flag, v, 0, 1e6, &o->rate, err, errlen)) return -1;
    } else if (!strcmp(flag, "--latency")) {
        if (parse_u64(flag, v, 3600000, &o->latency_ms, err, errlen)) return -1;
    } else if (!strcmp(flag, "--latency-dist")) {
        if (parse_latency_dist(v, &o->latency_dist, err, errlen)) return -1;
    } else if (!strcmp(flag, "--concurrency")) {
        t->concurrency = v;
    } else if (!strcmp(flag, "--nemesis")) {
        if (strcmp(v, "partition") != 0)
            return bad(err, errlen, flag, v, "the only nemesis for broadcast is partition");
        o->nemesis_partition = true;
    } else if (!strcmp(flag, "--nemesis-interval")) {
        if (parse_double(flag, v, 1e-3, 86400, &o->nemesis_interval_s, err, errlen)) return -1;
    } else if (!strcmp(flag, "--topology")) {
        if (parse_topology(v, &o->topology, err, errlen)) return -1;
    } else if (!strcmp(flag, "--seed")) {
        if (parse_u64(flag, v, UINT64_MAX, &o->seed, err, errlen)) return -1;
    } else if (!strcmp(flag, "--store")) {
        t->store = v;
    } else if (!strcmp(flag, "--recovery-wait")) {
        if (parse_double(flag, v, 0, 3600, &d, err, errlen)) return -1;
        o->recovery_us = (time_us)llround(d * US_PER_SEC);
    } else if (!strcmp(flag, "--net-wake-us")) {
        if (parse_u64(flag, v, 1000000, &o->net_timing.wake_us, err, errlen)) return -1;
    } else if (!strcmp(flag, "--net-sleep-quantum-us")) {
        if (parse_u64(flag, v, 1000000, &o->net_timing.sleep_quantum_us, err, errlen)) return -1;
    } else if (!strcmp(flag, "--net-overshoot-us")) {
        if (parse_u64(flag, v, 1000000, &o->net_timing.overshoot_us, err, errlen)) return -1;
    } else if (!strcmp(flag, "--init-spread-us")) {
        if (parse_u64(flag, v, WORLD_INIT_SPREAD_US_MAX, &o->init_spread_us, err, errlen))
            return -1;
    } else if (!strcmp(flag, "--node-delay-us")) {
        if (parse_u64(flag, v, 1000000, &t->node_delay_us, err, errlen)) return -1;
        t->node_delay_given = true;
    } else if (!strcmp(flag, "--node-log-max-mb")) {
        /* 1 TiB: far beyond any disk a run should fill, and no overflow in bytes. */
        if (parse_u64(flag, v, 1u << 20, &t->node_log_max_mb, err, errlen) ||
            t->node_log_max_mb == 0)
            return bad(err, errlen, flag, v, "expected an integer 1..1048576 (MiB)");
        t->node_log_max_given = true;
    } else if (!strcmp(flag, "--node-config")) {
        t->node_config = v;
    } else if (!strcmp(flag, "--availability")) {
        t->availability = v;
        if (strcmp(v, "total") != 0 && parse_double(flag, v, 0, 1, &d, err, errlen)) return -1;
    } else {
        return 0;
    }
    return 1;
}

int test_opts_parse(struct test_opts *t, int argc, char **argv, char *err, size_t errlen)
{
    bool only_args = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (only_args || a[0] != '-' || !a[1]) {
            if (t->n_args >= TEST_MAX_ARGS) {
                return gl_errorf(err, errlen, "too many arguments for the node (max %d)",
                                 TEST_MAX_ARGS);
            }
            t->args[t->n_args++] = argv[i];
            continue;
        }
        if (!strcmp(a, "--")) {
            only_args = true;
            continue;
        }
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            t->help = true;
            return 0;
        }
        if (!strcmp(a, "--virtual")) {
            t->virtual_time = true;
            continue;
        }
        if (!strcmp(a, "--no-history")) {
            t->no_history = true;
            continue;
        }
        if (!strcmp(a, "--journal") || !strcmp(a, "--no-journal")) {
            t->journal = a[2] == 'j';
            continue;
        }
        if (!strcmp(a, "--log-stderr") || !strcmp(a, "--log-net-send") ||
            !strcmp(a, "--log-net-recv")) {
            continue; /* accepted for compatibility; node stderr always goes to node-logs/ */
        }
        char flag[64];
        const char *value;
        const char *eq = strchr(a, '=');
        if (eq && a[1] == '-') {
            size_t fl = (size_t)(eq - a);
            if (fl >= sizeof(flag)) fl = sizeof(flag) - 1;
            memcpy(flag, a, fl);
            flag[fl] = '\0';
            value = eq + 1;
        } else {
            snprintf(flag, sizeof(flag), "%s", a);
            value = i + 1 < argc ? argv[i + 1] : NULL;
        }
        if (!value) {
            return gl_errorf(err, errlen, "option %s needs a value", flag);
        }
        int rc = parse_valued(t, flag, value, err, errlen);
        if (rc < 0) return -1;
        if (rc == 0) {
            return gl_errorf(err, errlen, "unknown option '%s'", flag);
        }
        if (!eq || a[1] != '-') i++;
    }
    if (strcmp(t->workload, "broadcast") != 0) {
        return gl_errorf(err, errlen, "unsupported workload '%s': gossip-lab runs -w broadcast",
                         t->workload);
    }
    if (t->virtual_time && t->bin) {
        snprintf(err, errlen,
                 "--virtual runs our node core in-process: give --node-config, not --bin");
        return -1;
    }
    if (!t->virtual_time && !t->bin) {
        return gl_errorf(err, errlen, "--bin is required (or --virtual --node-config FILE)");
    }
    if (!t->virtual_time && t->node_delay_given) {
        snprintf(err, errlen,
                 "--node-delay-us goes with --virtual (real nodes take their own time)");
        return -1;
    }
    if (t->virtual_time && t->node_log_max_given) {
        snprintf(err, errlen,
                 "--node-log-max-mb goes with --bin (nodes in virtual time write no logs)");
        return -1;
    }
    if (!t->virtual_time && t->node_config) {
        snprintf(err, errlen,
                 "--node-config goes with --virtual (pass a config to --bin as an argument)");
        return -1;
    }
    if (t->journal < 0) t->journal = !t->no_history;
    return resolve_concurrency(t, err, errlen);
}
