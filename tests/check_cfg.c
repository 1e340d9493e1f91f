/*
 * check_cfg: proves that the INI configuration has the documented defaults, reads every key and
 * strategy, resolves a relative topology file against the INI file's directory, and rejects
 * unknown sections and keys, malformed and out-of-range values with "name:line: message" naming
 * the exact line, leaving the caller's struct untouched.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg.h"
#include "check_run.h"

/* Parses text named "configs/x.ini"; returns the status and leaves the error in err. */
static int parse(const char *text, struct cfg *c, char *err, size_t errlen)
{
    cfg_defaults(c);
    return cfg_parse_string(c, text, "configs/x.ini", err, errlen);
}

START_TEST(defaults)
{
    struct cfg c;
    memset(&c, 0x5a, sizeof(c));
    cfg_defaults(&c);
    ck_assert_int_eq(c.strategy, CFG_STRATEGY_BUILTIN);
    ck_assert_int_eq(c.kind, TOPO_GRID);
    ck_assert_str_eq(cfg_strategy_name(&c), "grid");
    ck_assert_str_eq(c.root, "");
    ck_assert_str_eq(c.topology_file, "");
    ck_assert_uint_eq(c.batch_timeout_us, 0);
    ck_assert_int_eq(c.batch_phase, BATCH_PHASE_INIT);
    ck_assert_int_eq(c.delivery, DELIVERY_ACKS);
    ck_assert_uint_eq(c.retry_us, 500u * US_PER_MS);
    ck_assert_uint_eq(c.topo_k, 0);
    ck_assert_uint_eq(c.batch_period_set, 0);
    for (int d = 0; d < BATCH_DIRS; d++) {
        ck_assert_uint_eq(c.batch_offset_us[d], 0);
        ck_assert_uint_eq(cfg_batch_period_us(&c, (enum batch_dir)d), 0);
    }
    ck_assert_int_eq(c.batch_phase, BATCH_PHASE_INIT);
    ck_assert_uint_eq(c.batch_max_values, 0);
    ck_assert_uint_eq(c.ack_delay_us, 250u * US_PER_MS);
    ck_assert_uint_eq(c.sync_us, 0);
    ck_assert_uint_eq(c.sync_age_us, 1000u * US_PER_MS);
}
END_TEST

/* The design-space keys: per-direction periods and offsets, phase, size trigger, the
 * cumulative and anti-entropy keys, and the strategies' size parameters. */
START_TEST(design_keys)
{
    const char *text = "[topology]\nstrategy = hubs\nhubs = 3\n"
                       "[batch]\ntimeout_ms = 200\nup_ms = 440\ndown_ms = 0\n"
                       "down_offset_ms = 105\nacross_offset_ms = 7\nphase = clock\n"
                       "max_values = 64\n"
                       "[delivery]\nmode = cumulative\nretry_ms = 2000\nack_delay_ms = 900\n"
                       "sync_ms = 1000\nsync_age_ms = 1500\n";
    struct cfg c;
    char err[512] = "";
    ck_assert_msg(parse(text, &c, err, sizeof(err)) == 0, "%s", err);
    ck_assert_int_eq(c.kind, TOPO_HUBS);
    ck_assert_uint_eq(c.topo_k, 3);
    ck_assert_uint_eq(cfg_batch_period_us(&c, BATCH_UP), 440u * US_PER_MS);
    ck_assert_uint_eq(cfg_batch_period_us(&c, BATCH_DOWN), 0);
    ck_assert_uint_eq(cfg_batch_period_us(&c, BATCH_ACROSS), 200u * US_PER_MS); /* timeout_ms */
    ck_assert_uint_eq(c.batch_offset_us[BATCH_UP], 0);
    ck_assert_uint_eq(c.batch_offset_us[BATCH_DOWN], 105u * US_PER_MS);
    ck_assert_uint_eq(c.batch_offset_us[BATCH_ACROSS], 7u * US_PER_MS);
    ck_assert_int_eq(c.batch_phase, BATCH_PHASE_CLOCK);
    ck_assert_uint_eq(c.batch_max_values, 64);
    ck_assert_int_eq(c.delivery, DELIVERY_CUMULATIVE);
    ck_assert_uint_eq(c.retry_us, 2000u * US_PER_MS);
    ck_assert_uint_eq(c.ack_delay_us, 900u * US_PER_MS);
    ck_assert_uint_eq(c.sync_us, 1000u * US_PER_MS);
    ck_assert_uint_eq(c.sync_age_us, 1500u * US_PER_MS);
    ck_assert_msg(parse("[topology]\nstrategy = kary\nfanout = 4\n[batch]\nphase = start\n", &c,
                        err, sizeof(err)) == 0,
                  "%s", err);
    ck_assert_int_eq(c.kind, TOPO_KARY);
    ck_assert_uint_eq(c.topo_k, 4);
    ck_assert_int_eq(c.batch_phase, BATCH_PHASE_START);
    ck_assert_str_eq(cfg_phase_name(c.batch_phase), "start");
    ck_assert_str_eq(cfg_delivery_name(DELIVERY_CUMULATIVE), "cumulative");
}
END_TEST

/* Empty text, comments and empty known sections all leave the defaults. */
START_TEST(empty_files_give_defaults)
{
    static const char *const texts[] = {
        "",
        "\n\n",
        "; a comment\n# another\n",
        "[topology]\n[batch]\n[delivery]\n",
    };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
        struct cfg c, d;
        char err[512] = "";
        ck_assert_msg(parse(texts[i], &c, err, sizeof(err)) == 0, "%s", err);
        cfg_defaults(&d);
        ck_assert(memcmp(&c, &d, sizeof(c)) == 0);
    }
}
END_TEST

START_TEST(every_key)
{
    const char *text = "; the node's configuration\n"
                       "[topology]\n"
                       "strategy = tree   ; centred spanning tree\n"
                       "root     = n7\n"
                       "file     = topo.json\n"
                       "\n"
                       "[batch]\n"
                       "  timeout_ms = 250\n" /* indented keys are plain keys */
                       "phase = start\n"
                       "[delivery]\n"
                       "mode = fire-and-forget\n"
                       "retry_ms = 60000\n";
    struct cfg c;
    char err[512] = "";
    ck_assert_msg(parse(text, &c, err, sizeof(err)) == 0, "%s", err);
    ck_assert_int_eq(c.strategy, CFG_STRATEGY_BUILTIN);
    ck_assert_int_eq(c.kind, TOPO_TREE);
    ck_assert_str_eq(cfg_strategy_name(&c), "tree");
    ck_assert_str_eq(c.root, "n7");
    ck_assert_str_eq(c.topology_file, "configs/topo.json");
    ck_assert_uint_eq(c.batch_timeout_us, 250u * US_PER_MS);
    ck_assert_int_eq(c.batch_phase, BATCH_PHASE_START);
    ck_assert_int_eq(c.delivery, DELIVERY_FIRE_AND_FORGET);
    ck_assert_uint_eq(c.retry_us, 60000u * US_PER_MS);
}
END_TEST

/* CRLF line ends; a section may appear twice as long as no key does (see error_messages). */
START_TEST(crlf_and_repeated_sections)
{
    const char *text = "[delivery]\r\nmode = fire-and-forget\r\n"
                       "[batch]\r\ntimeout_ms = 5\r\nphase = init\r\n[delivery]\r\nretry_ms=7\r\n";
    struct cfg c;
    char err[512] = "";
    ck_assert_msg(parse(text, &c, err, sizeof(err)) == 0, "%s", err);
    ck_assert_int_eq(c.delivery, DELIVERY_FIRE_AND_FORGET);
    ck_assert_int_eq(c.batch_phase, BATCH_PHASE_INIT);
    ck_assert_uint_eq(c.batch_timeout_us, 5u * US_PER_MS);
    ck_assert_uint_eq(c.retry_us, 7u * US_PER_MS);
}
END_TEST

static const struct {
    const char *name;
    enum cfg_strategy strategy;
    enum topo_kind kind;
} strategies[] = {
    { "grid", CFG_STRATEGY_BUILTIN, TOPO_GRID },
    { "tree", CFG_STRATEGY_BUILTIN, TOPO_TREE },
    { "star", CFG_STRATEGY_BUILTIN, TOPO_STAR },
    { "flat", CFG_STRATEGY_BUILTIN, TOPO_FLAT },
    { "hubs", CFG_STRATEGY_BUILTIN, TOPO_HUBS },
    { "kary", CFG_STRATEGY_BUILTIN, TOPO_KARY },
    { "line", CFG_STRATEGY_BUILTIN, TOPO_LINE },
    { "tree2", CFG_STRATEGY_BUILTIN, TOPO_TREE2 },
    { "tree3", CFG_STRATEGY_BUILTIN, TOPO_TREE3 },
    { "tree4", CFG_STRATEGY_BUILTIN, TOPO_TREE4 },
    { "total", CFG_STRATEGY_BUILTIN, TOPO_TOTAL },
    { "maelstrom", CFG_STRATEGY_MAELSTROM, TOPO_GRID },
    { "file", CFG_STRATEGY_FILE, TOPO_GRID },
};

START_TEST(every_strategy)
{
    char text[128];
    snprintf(text, sizeof(text), "[topology]\nstrategy = %s\nfile = /abs/t.json\n",
             strategies[_i].name);
    struct cfg c;
    char err[512] = "";
    ck_assert_msg(parse(text, &c, err, sizeof(err)) == 0, "%s", err);
    ck_assert_int_eq(c.strategy, strategies[_i].strategy);
    if (c.strategy == CFG_STRATEGY_BUILTIN) ck_assert_int_eq(c.kind, strategies[_i].kind);
    ck_assert_str_eq(cfg_strategy_name(&c), strategies[_i].name);
    ck_assert_str_eq(c.topology_file, "/abs/t.json"); /* absolute paths are kept */
}
END_TEST

/* root is stored whatever the strategy: the node checks it against the ids from init. */
START_TEST(root_is_kept_for_any_strategy)
{
    struct cfg c;
    char err[512] = "";
    ck_assert_msg(parse("[topology]\nroot = n3\nstrategy = grid\n", &c, err, sizeof(err)) == 0,
                  "%s", err);
    ck_assert_int_eq(c.kind, TOPO_GRID);
    ck_assert_str_eq(c.root, "n3");
}
END_TEST

START_TEST(range_boundaries_accepted)
{
    struct cfg c;
    char err[512] = "";
    ck_assert_msg(
        parse("[batch]\ntimeout_ms = 0\n[delivery]\nretry_ms = 1\n", &c, err, sizeof(err)) == 0,
        "%s", err);
    ck_assert_uint_eq(c.batch_timeout_us, 0);
    ck_assert_uint_eq(c.retry_us, 1u * US_PER_MS);
    ck_assert_msg(parse("[batch]\ntimeout_ms = 60000\n", &c, err, sizeof(err)) == 0, "%s", err);
    ck_assert_uint_eq(c.batch_timeout_us, 60000u * US_PER_MS);
}
END_TEST

/* Relative topology files are relative to the INI's directory (name), if it has one. */
START_TEST(file_path_resolution_by_name)
{
    static const struct {
        const char *name, *file, *want;
    } cases[] = {
        { "configs/x.ini", "t.json", "configs/t.json" },
        { "configs/x.ini", "../topos/t.json", "configs/../topos/t.json" },
        { "/etc/gl/x.ini", "sub/t.json", "/etc/gl/sub/t.json" },
        { "x.ini", "t.json", "t.json" },
        { "/etc/gl/x.ini", "/abs/t.json", "/abs/t.json" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char text[256];
        snprintf(text, sizeof(text), "[topology]\nstrategy = file\nfile = %s\n", cases[i].file);
        struct cfg c;
        char err[512] = "";
        cfg_defaults(&c);
        ck_assert_msg(cfg_parse_string(&c, text, cases[i].name, err, sizeof(err)) == 0, "%s", err);
        ck_assert_int_eq(c.strategy, CFG_STRATEGY_FILE);
        ck_assert_str_eq(c.topology_file, cases[i].want);
    }
}
END_TEST

/* Every error, with the exact message and line. */
static const struct {
    const char *text, *err;
} errors[] = {
    { "[topology]\n\n[foo]\n", "configs/x.ini:3: unknown section [foo]" },
    { "[batch]\ntimeout_ms = 1\n[Batch]\ntimeout_ms = 2\n",
      "configs/x.ini:3: unknown section [Batch]" },
    { "; c\n[batch]\ntimeout = 10\n", "configs/x.ini:3: unknown key 'timeout' in section [batch]" },
    { "[topology]\nmode = acks\n", "configs/x.ini:2: unknown key 'mode' in section [topology]" },
    { "[delivery]\nstrategy = grid\n",
      "configs/x.ini:2: unknown key 'strategy' in section [delivery]" },
    { "strategy = grid\n", "configs/x.ini:1: key 'strategy' outside any section" },
    { "[batch]\n\ntimeout_ms = 10ms\n",
      "configs/x.ini:3: bad value '10ms' for 'timeout_ms' in [batch]: expected an integer" },
    { "[batch]\ntimeout_ms = abc\n",
      "configs/x.ini:2: bad value 'abc' for 'timeout_ms' in [batch]: expected an integer" },
    { "[batch]\ntimeout_ms =\n",
      "configs/x.ini:2: bad value '' for 'timeout_ms' in [batch]: expected an integer" },
    { "[batch]\ntimeout_ms = 1.5\n",
      "configs/x.ini:2: bad value '1.5' for 'timeout_ms' in [batch]: expected an integer" },
    { "[batch]\ntimeout_ms = +5\n",
      "configs/x.ini:2: bad value '+5' for 'timeout_ms' in [batch]: expected an integer" },
    { "[batch]\ntimeout_ms = -\n",
      "configs/x.ini:2: bad value '-' for 'timeout_ms' in [batch]: expected an integer" },
    { "[delivery]\nretry_ms = 5 ms\n",
      "configs/x.ini:2: bad value '5 ms' for 'retry_ms' in [delivery]: expected an integer" },
    { "[batch]\ntimeout_ms = -1\n",
      "configs/x.ini:2: 'timeout_ms' in [batch] out of range: -1 (expected 0..60000)" },
    { "[batch]\ntimeout_ms = 60001\n",
      "configs/x.ini:2: 'timeout_ms' in [batch] out of range: 60001 (expected 0..60000)" },
    { "[batch]\ntimeout_ms = 99999999999999999999999\n",
      "configs/x.ini:2: 'timeout_ms' in [batch] out of range: 99999999999999999999999 (expected "
      "0..60000)" },
    { "[delivery]\nmode = acks\nretry_ms = 0\n",
      "configs/x.ini:3: 'retry_ms' in [delivery] out of range: 0 (expected 1..60000)" },
    { "[delivery]\nretry_ms = 60001\n",
      "configs/x.ini:2: 'retry_ms' in [delivery] out of range: 60001 (expected 1..60000)" },
    { "[delivery]\nretry_ms = -1\n",
      "configs/x.ini:2: 'retry_ms' in [delivery] out of range: -1 (expected 1..60000)" },
    { "[topology]\nstrategy = bogus\n",
      "configs/x.ini:2: unknown strategy 'bogus' (expected grid, tree, star, flat, hubs, kary, "
      "line, tree2, tree3, tree4, total, maelstrom or file)" },
    { "[topology]\nstrategy = custom\n",
      "configs/x.ini:2: unknown strategy 'custom' (expected grid, tree, star, flat, hubs, kary, "
      "line, tree2, tree3, tree4, total, maelstrom or file)" },
    { "[topology]\nstrategy = Grid\n",
      "configs/x.ini:2: unknown strategy 'Grid' (expected grid, tree, star, flat, hubs, kary, "
      "line, tree2, tree3, tree4, total, maelstrom or file)" },
    { "[delivery]\nmode = ack\n",
      "configs/x.ini:2: unknown delivery mode 'ack' (expected acks, fire-and-forget or "
      "cumulative)" },
    { "[batch]\nphase = now\n",
      "configs/x.ini:2: unknown batch phase 'now' (expected init, start or clock)" },
    { "[batch]\nup_ms = 60001\n",
      "configs/x.ini:2: 'up_ms' in [batch] out of range: 60001 (expected 0..60000)" },
    { "[batch]\ndown_offset_ms = -5\n",
      "configs/x.ini:2: 'down_offset_ms' in [batch] out of range: -5 (expected 0..60000)" },
    { "[batch]\nmax_values = 65537\n",
      "configs/x.ini:2: 'max_values' in [batch] out of range: 65537 (expected 0..65536)" },
    { "[delivery]\nsync_ms = x\n",
      "configs/x.ini:2: bad value 'x' for 'sync_ms' in [delivery]: expected an integer" },
    { "[topology]\nstrategy = hubs\nhubs = 0\n",
      "configs/x.ini:3: 'hubs' in [topology] out of range: 0 (expected 1..1024)" },
    { "[topology]\nstrategy = kary\nfanout = 1025\n",
      "configs/x.ini:3: 'fanout' in [topology] out of range: 1025 (expected 1..1024)" },
    { "[topology]\nhubs = 3\nstrategy = star\n",
      "configs/x.ini:2: 'hubs' in [topology] needs strategy = hubs" },
    { "[topology]\nstrategy = hubs\nfanout = 3\n",
      "configs/x.ini:3: 'fanout' in [topology] needs strategy = kary" },
    /* the range error on the earliest line wins */
    { "[delivery]\nsync_ms = 70000\n[batch]\nup_ms = 70000\n",
      "configs/x.ini:2: 'sync_ms' in [delivery] out of range: 70000 (expected 0..60000)" },
    { "[delivery]\nmode = cumulative\nretry_ms = 300\nack_delay_ms = 300\n",
      "configs/x.ini:4: cumulative delivery needs 'ack_delay_ms' (300) below 'retry_ms' (300) in "
      "[delivery]: the sender would re-send before the ack goes out" },
    { "[delivery]\nmode = cumulative\nretry_ms = 200\n",
      "configs/x.ini:3: cumulative delivery needs 'ack_delay_ms' (250) below 'retry_ms' (200) in "
      "[delivery]: the sender would re-send before the ack goes out" },
    { "[batch]\nphase = Init\n",
      "configs/x.ini:2: unknown batch phase 'Init' (expected init, start or clock)" },
    { "[batch]\nphase =\n",
      "configs/x.ini:2: unknown batch phase '' (expected init, start or clock)" },
    { "[topology]\nroot =\n",
      "configs/x.ini:2: bad value '' for 'root' in [topology]: expected a node id of 1 to 31 "
      "bytes" },
    { "[topology]\nroot = n12345678901234567890123456789012\n",
      "configs/x.ini:2: bad value 'n12345678901234567890123456789012' for 'root' in [topology]: "
      "expected a node id of 1 to 31 bytes" },
    { "[topology]\nfile =\n", "configs/x.ini:2: empty value for 'file' in [topology]" },
    { "[topology]\nstrategy = file\n[batch]\ntimeout_ms = 5\n",
      "configs/x.ini:2: strategy 'file' needs a 'file' key in [topology]" },
    { "[batch]\njunk\n", "configs/x.ini:2: syntax error (expected '[section]' or 'key = value')" },
    { "[topology\nstrategy = grid\n",
      "configs/x.ini:1: syntax error (expected '[section]' or 'key = value')" },
    /* a key given twice is an error, not "the last one wins", even in a repeated section */
    { "[delivery]\nmode = fire-and-forget\nmode = acks\n",
      "configs/x.ini:3: duplicate key 'mode' in section [delivery] (first set on line 2)" },
    { "[batch]\ntimeout_ms = 5\n[delivery]\nretry_ms = 7\n[batch]\n; again\ntimeout_ms = 5\n",
      "configs/x.ini:7: duplicate key 'timeout_ms' in section [batch] (first set on line 2)" },
    { "[topology]\nstrategy = file\nfile = a.json\nroot = n1\nfile: b.json\n",
      "configs/x.ini:5: duplicate key 'file' in section [topology] (first set on line 3)" },
    /* the first error wins; range checks run after parsing, so parse errors come first */
    { "[batch]\ntimeout_ms = 70000\nfoo = 1\n",
      "configs/x.ini:3: unknown key 'foo' in section [batch]" },
    { "[batch]\ntimeout_ms = x\n[nope]\n",
      "configs/x.ini:2: bad value 'x' for 'timeout_ms' in [batch]: expected an integer" },
};

START_TEST(error_messages)
{
    struct cfg c;
    char err[512] = "";
    ck_assert_int_eq(parse(errors[_i].text, &c, err, sizeof(err)), -1);
    ck_assert_str_eq(err, errors[_i].err);
    /* On failure the caller's struct is untouched (here: the defaults). */
    struct cfg d;
    cfg_defaults(&d);
    ck_assert(memcmp(&c, &d, sizeof(c)) == 0);
}
END_TEST

START_TEST(long_line)
{
    char text[6000];
    memset(text, 'x', sizeof(text));
    memcpy(text, "[topology]\nroot = ", 18);
    text[sizeof(text) - 2] = '\n';
    text[sizeof(text) - 1] = '\0';
    struct cfg c;
    char err[512] = "";
    ck_assert_int_eq(parse(text, &c, err, sizeof(err)), -1);
    ck_assert_msg(strncmp(err, "configs/x.ini:2: line longer than ", 34) == 0, "%s", err);
}
END_TEST

/* text repeated n times, into a malloc'd string the caller frees. */
static char *repeat(const char *text, size_t n)
{
    size_t len = strlen(text);
    char *s = malloc(len * n + 1);
    ck_assert_ptr_nonnull(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * len, text, len);
    s[len * n] = '\0';
    return s;
}

/*
 * Lines longer than inih's own 200-byte buffer, up to GL_MAX_INI_LINE, are read whole: a
 * topology file path of ~4000 bytes (with an inline comment, and with ':' as separator), a long
 * comment that does not shift the lines after it, a long value reported whole; one byte more is
 * an error on its line.
 */
START_TEST(long_lines_up_to_the_limit)
{
    char *dots = repeat("./", 1990), *text = malloc(3 * GL_MAX_INI_LINE), want[GL_MAX_PATH];
    ck_assert_ptr_nonnull(text);
    struct cfg c;
    char err[GL_MAX_PATH + 256] = "";
    snprintf(want, sizeof want, "configs/%st.json", dots);
    /* With an inline comment, and with ':' as the separator. */
    for (int i = 0; i < 2; i++) {
        snprintf(text, 3 * GL_MAX_INI_LINE, "[topology]\nstrategy = file\nfile%s%st.json%s\n",
                 i ? ":" : " = ", dots, i ? "" : "   ; a comment");
        ck_assert_msg(parse(text, &c, err, sizeof(err)) == 0, "%s", err);
        ck_assert_str_eq(c.topology_file, want);
    }
    free(dots);

    char *comment = repeat("x", GL_MAX_INI_LINE - 2);
    snprintf(text, 3 * GL_MAX_INI_LINE, "; %s\n[batch]\ntimeout_ms = 5\n", comment);
    ck_assert_msg(parse(text, &c, err, sizeof(err)) == 0, "%s", err);
    ck_assert_uint_eq(c.batch_timeout_us, 5u * US_PER_MS);
    snprintf(text, 3 * GL_MAX_INI_LINE, "# %s\n[batch]\nfoo = 1\n", comment);
    ck_assert_int_eq(parse(text, &c, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "configs/x.ini:3: unknown key 'foo' in section [batch]");
    free(comment);

    /* A long header line: a known section and a comment; an unknown one; no ']'. */
    snprintf(text, 3 * GL_MAX_INI_LINE, "[batch] ; %300s\ntimeout_ms = 7\n", "x");
    ck_assert_msg(parse(text, &c, err, sizeof(err)) == 0, "%s", err);
    ck_assert_uint_eq(c.batch_timeout_us, 7u * US_PER_MS);
    snprintf(text, 3 * GL_MAX_INI_LINE, "\n[b%300s]\n", "x");
    ck_assert_int_eq(parse(text, &c, err, sizeof(err)), -1);
    ck_assert_msg(strncmp(err, "configs/x.ini:2: unknown section [b   ", 38) == 0, "%s", err);
    snprintf(text, 3 * GL_MAX_INI_LINE, "\n[batch %300s\n", "x");
    ck_assert_int_eq(parse(text, &c, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "configs/x.ini:2: syntax error (expected '[section]' or 'key = value')");

    /* Trailing whitespace does not make a line long: a header with 300 spaces after it. */
    snprintf(text, 3 * GL_MAX_INI_LINE, "[batch]%300s\ntimeout_ms = 7%300s\n", "", "");
    ck_assert_msg(parse(text, &c, err, sizeof(err)) == 0, "%s", err);
    ck_assert_uint_eq(c.batch_timeout_us, 7u * US_PER_MS);

    /* The whole value reaches the check: a 300-byte root is named whole. */
    char *root = repeat("r", 300);
    snprintf(text, 3 * GL_MAX_INI_LINE, "[topology]\nroot = %s\n", root);
    ck_assert_int_eq(parse(text, &c, err, sizeof(err)), -1);
    snprintf(want, sizeof want,
             "configs/x.ini:2: bad value '%s' for 'root' in [topology]: expected a node id of 1 to "
             "31 bytes",
             root);
    ck_assert_str_eq(err, want);
    free(root);

    /* Exactly GL_MAX_INI_LINE bytes (trailing spaces do not count) is a line; one more is not. */
    char *path = repeat("p", GL_MAX_INI_LINE - strlen("file = "));
    snprintf(text, 3 * GL_MAX_INI_LINE, "[topology]\n  file = %s  \r\n", path);
    ck_assert_int_eq(parse(text, &c, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "configs/x.ini:2: topology file path longer than 4095 bytes");
    snprintf(text, 3 * GL_MAX_INI_LINE, "[topology]\nfile = %sp\n", path);
    ck_assert_int_eq(parse(text, &c, err, sizeof(err)), -1);
    snprintf(want, sizeof want, "configs/x.ini:2: line longer than %d bytes", GL_MAX_INI_LINE);
    ck_assert_str_eq(err, want);
    /* A long line that is no key line is inih's syntax error, on its line. */
    snprintf(text, 3 * GL_MAX_INI_LINE, "[topology]\n%s ; = x\n", path);
    ck_assert_int_eq(parse(text, &c, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "configs/x.ini:2: syntax error (expected '[section]' or 'key = value')");
    free(path);
    free(text);
}
END_TEST

START_TEST(tiny_error_buffer)
{
    struct cfg c;
    char err[8];
    ck_assert_int_eq(parse("[foo]\n", &c, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "configs");
    ck_assert_int_eq(parse("[foo]\n", &c, NULL, 0), -1);
}
END_TEST

/* A real file: relative paths resolve against its directory, errors name its path. */
START_TEST(real_file)
{
    char dir[] = "/tmp/check_cfg.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[64], want[512], err[512] = "";
    snprintf(path, sizeof(path), "%s/node.ini", dir);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("[topology]\nstrategy = file\nfile = topo.json\n[batch]\ntimeout_ms = 20\n", f);
    ck_assert_int_eq(fclose(f), 0);

    struct cfg c;
    cfg_defaults(&c);
    ck_assert_msg(cfg_load(&c, path, err, sizeof(err)) == 0, "%s", err);
    ck_assert_int_eq(c.strategy, CFG_STRATEGY_FILE);
    snprintf(want, sizeof(want), "%s/topo.json", dir);
    ck_assert_str_eq(c.topology_file, want);
    ck_assert_uint_eq(c.batch_timeout_us, 20u * US_PER_MS);

    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("[topology]\nstrategy = grid\n\n[delivery]\nretry = 5\n", f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(cfg_load(&c, path, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "%s:5: unknown key 'retry' in section [delivery]", path);
    ck_assert_str_eq(err, want);
    ck_assert_int_eq(c.strategy, CFG_STRATEGY_FILE); /* untouched by the failed load */

    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(cfg_load(&c, path, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "%s: No such file or directory", path);
    ck_assert_str_eq(err, want);
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* cfg_load_node: the defaults without a file; the file strategy's topology is loaded, and its
 * absence is the topology file's error. */
START_TEST(load_node)
{
    char dir[] = "/tmp/check_cfg.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[64], topo_path[64], want[512], err[512] = "";
    snprintf(path, sizeof(path), "%s/node.ini", dir);
    snprintf(topo_path, sizeof(topo_path), "%s/topo.json", dir);
    struct cfg c;
    struct topo t;
    topo_init(&t);
    ck_assert_int_eq(cfg_load_node(&c, NULL, &t, err, sizeof(err)), 0);
    ck_assert_int_eq(c.strategy, CFG_STRATEGY_BUILTIN);
    ck_assert_int_eq(c.kind, TOPO_GRID);
    ck_assert_uint_eq(t.n, 0);

    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("[topology]\nstrategy = file\nfile = topo.json\n", f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(cfg_load_node(&c, path, &t, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "%s: No such file or directory", topo_path);
    ck_assert_str_eq(err, want);

    f = fopen(topo_path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("{\"n0\": [\"n1\"], \"n1\": [\"n0\"]}", f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_msg(cfg_load_node(&c, path, &t, err, sizeof(err)) == 0, "%s", err);
    ck_assert_int_eq(c.strategy, CFG_STRATEGY_FILE);
    ck_assert_uint_eq(t.n, 2);
    topo_release(&t);
    ck_assert_int_eq(unlink(topo_path), 0);
    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/*
 * A FIFO (no writer: reading it would wait forever), a directory or a device as the INI file or
 * as the topology file is refused at once, naming the file and what it is.
 */
START_TEST(non_regular_files_refused)
{
    char dir[] = "/tmp/check_cfg.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char fifo[64], ini[64], want[512], err[512] = "";
    snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
    snprintf(ini, sizeof(ini), "%s/node.ini", dir);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    struct cfg c;
    struct topo t;
    topo_init(&t);
    ck_assert_int_eq(cfg_load(&c, fifo, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "%s: not a regular file (a FIFO)", fifo);
    ck_assert_str_eq(err, want);
    ck_assert_int_eq(cfg_load(&c, dir, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "%s: not a regular file (a directory)", dir);
    ck_assert_str_eq(err, want);
    ck_assert_int_eq(cfg_load(&c, "/dev/zero", err, sizeof(err)), -1);
    ck_assert_str_eq(err, "/dev/zero: not a regular file (a character device)");

    FILE *f = fopen(ini, "w");
    ck_assert_ptr_nonnull(f);
    fputs("[topology]\nstrategy = file\nfile = fifo\n", f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_int_eq(cfg_load_node(&c, ini, &t, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "%s: not a regular file (a FIFO)", fifo);
    ck_assert_str_eq(err, want);
    topo_release(&t);
    ck_assert_int_eq(unlink(ini), 0);
    ck_assert_int_eq(unlink(fifo), 0);
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* cfg_strategy_at lists exactly the strategies above, in their order: each listed name loads as
 * itself (file with its 'file' key), and the list ends there. */
START_TEST(listed_strategies_load)
{
    size_t n = sizeof(strategies) / sizeof(strategies[0]);
    for (size_t i = 0; i < n; i++) {
        const char *name = cfg_strategy_at(i);
        ck_assert_ptr_nonnull(name);
        ck_assert_str_eq(name, strategies[i].name);
        char text[128], err[256];
        snprintf(text, sizeof text, "[topology]\nstrategy = %s\n%s", name,
                 strategies[i].strategy == CFG_STRATEGY_FILE ? "file = t.json\n" : "");
        struct cfg c;
        ck_assert_int_eq(parse(text, &c, err, sizeof err), 0);
        ck_assert_str_eq(cfg_strategy_name(&c), name);
    }
    ck_assert_ptr_null(cfg_strategy_at(n));
}
END_TEST

/* The key descriptions name every key once and carry the ranges the loader checks. */
START_TEST(key_descriptions)
{
    char line[512], want[64];
    size_t i = 0;
    while (cfg_describe_key(i, line, sizeof line) == 0)
        i++;
    ck_assert_uint_eq(i, 19);
    ck_assert_int_eq(cfg_describe_key(5, line, sizeof line), 0);
    snprintf(want, sizeof want, "batch.timeout_ms integer 0..%u", CFG_MAX_BATCH_TIMEOUT_MS);
    ck_assert_str_eq(line, want);
    ck_assert_int_eq(cfg_describe_key(12, line, sizeof line), 0);
    ck_assert_str_eq(line, "batch.phase one-of init|start|clock");
    ck_assert_int_eq(cfg_describe_key(14, line, sizeof line), 0);
    ck_assert_str_eq(line, "delivery.mode one-of acks|fire-and-forget|cumulative");
    ck_assert_int_eq(cfg_describe_key(3, line, sizeof line), 0);
    ck_assert_str_eq(line, "topology.hubs integer 1..1024");
    ck_assert_int_eq(cfg_describe_key(0, line, 10), -1); /* too small a buffer */
}
END_TEST

static Suite *cfg_suite(void)
{
    Suite *s = suite_create("cfg");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, defaults);
    tcase_add_test(tc, empty_files_give_defaults);
    tcase_add_test(tc, every_key);
    tcase_add_test(tc, design_keys);
    tcase_add_test(tc, crlf_and_repeated_sections);
    tcase_add_loop_test(tc, every_strategy, 0, sizeof(strategies) / sizeof(strategies[0]));
    tcase_add_test(tc, listed_strategies_load);
    tcase_add_test(tc, key_descriptions);
    tcase_add_test(tc, root_is_kept_for_any_strategy);
    tcase_add_test(tc, range_boundaries_accepted);
    tcase_add_test(tc, file_path_resolution_by_name);
    tcase_add_loop_test(tc, error_messages, 0, sizeof(errors) / sizeof(errors[0]));
    tcase_add_test(tc, long_line);
    tcase_add_test(tc, long_lines_up_to_the_limit);
    tcase_add_test(tc, tiny_error_buffer);
    tcase_add_test(tc, real_file);
    tcase_add_test(tc, load_node);
    tcase_add_test(tc, non_regular_files_refused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(cfg_suite());
}
