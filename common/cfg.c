/*
 * cfg.c: the node's INI configuration via inih. Defaults first, then the file's keys, then range
 * checks; the first error wins and is reported as "name:line: message", git style.
 *
 * inih's handler does not receive line numbers (INI_HANDLER_LINENO is a build option of the
 * library, not ours), so we feed inih through our own line reader (ini_parse_stream) and count
 * lines there: the handler runs right after its line was read, so the reader's count is its
 * line. The reader also
 *   - takes lines up to GL_MAX_INI_LINE bytes, longer than inih's own line buffer (200 bytes in
 *     Debian's build, fixed at compile time: inih would silently split a longer line and its
 *     line numbers would drift from ours). Such a line is handed to inih as "key =" while its
 *     value waits in struct parse for the handler (see long_line), and a longer one is an
 *     error,
 *   - checks section headers itself, so an unknown section is reported on its own line even when
 *     it holds no keys (inih only calls the handler for keys),
 *   - strips leading whitespace, so indented keys are plain keys: we do not support inih's
 *     multi-line values, under which an indented "retry_ms = 5" would silently become part of
 *     the previous key's value.
 * A key given twice (in one section, or in a section that appears twice) is an error naming
 * both lines: inih would let the last one win silently.
 */
#include "cfg.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <assert.h>
#include <ini.h>

#include "errmsg.h"
#include "file.h"
#include "strbuf.h"
#include "topo_json.h"

/* A configuration file is a handful of lines; anything larger is not one of ours. */
#define CFG_MAX_FILE (1u << 20)

/* Keys set so far, to refuse a second one: there are few keys, all of them short. */
#define CFG_MAX_SEEN 32
struct seen_key {
    char section[16], name[24];
    unsigned line;
};

struct parse {
    const char *name; /* for messages and for resolving a relative topology file */
    const char *text;
    size_t len, pos;
    unsigned line; /* lines handed to inih so far: the current line while inih handles it */
    struct cfg cfg;

    bool failed; /* the first error, with its line (0: none) */
    unsigned err_line;
    char msg[GL_MAX_PATH + 128];

    /* Numeric keys (num_keys[k]): read now, checked after parsing (ranges, dependencies). */
    int64_t num[16];
    char num_text[16][24];
    unsigned num_line[16]; /* 0: not given */
    unsigned strategy_line, mode_line;
    bool has_file;

    struct seen_key seen[CFG_MAX_SEEN];
    size_t n_seen;

    /* A line too long for inih (see long_line): its text, and its value once split off. */
    char long_buf[GL_MAX_INI_LINE + 1];
    const char *long_value; /* non-NULL from the reader until the handler takes it */
};

__attribute__((format(printf, 3, 4))) static int fail(struct parse *p, unsigned line,
                                                      const char *fmt, ...)
{
    if (p->failed) return 0;
    p->failed = true;
    p->err_line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
    va_end(ap);
    return 0; /* inih's "error" */
}

static const char *const sections[] = { "topology", "batch", "delivery" };

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* A section header line ("[name]", whitespace already stripped): its name must be known. */
static void check_section(struct parse *p, const char *s)
{
    if (s[0] != '[') return;
    const char *close = strchr(s, ']');
    if (!close) return; /* inih reports the malformed line */
    size_t n = (size_t)(close - s - 1);
    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
        if (strlen(sections[i]) == n && memcmp(sections[i], s + 1, n) == 0) return;
    }
    fail(p, p->line, "unknown section [%.*s]", (int)(n > 64 ? 64 : n), s + 1);
}

/* Trailing whitespace of s[0..len) off; returns the new length. */
static size_t rstrip_len(const char *s, size_t len)
{
    while (len > 0 && is_space(s[len - 1]))
        len--;
    return len;
}

/*
 * A line (whitespace-stripped, NUL-terminated in p->long_buf) too long for inih's buffer of num
 * bytes: a comment goes to inih as an empty line; a key line as "key =", its value kept in
 * p->long_value for the handler, split by inih's own rules: the key ends at the first '=' or
 * ':', the value loses its surrounding whitespace and an inline comment (';' after whitespace).
 * Returns what inih reads, or NULL after an error.
 */
static char *long_line(struct parse *p, char *str, int num)
{
    char *s = p->long_buf;
    if (s[0] == ';' || s[0] == '#') {
        memcpy(str, "\n", 2);
        return str;
    }
    check_section(p, s);
    if (p->failed) return NULL;
    if (s[0] == '[') {
        /* A known section (check_section) and a long comment: the header alone, which is all
         * inih reads of it; without ']', "[" alone gets inih's syntax error. */
        const char *close = strchr(s, ']');
        size_t n = close ? (size_t)(close - s) + 1 : 1;
        memcpy(str, s, n);
        memcpy(str + n, "\n", 2);
        return str;
    }
    size_t key_end = strcspn(s, "=:");
    for (size_t i = 1; i < key_end; i++)
        if (s[i] == ';' && is_space(s[i - 1])) key_end = i; /* a comment before any '=' */
    size_t key_len = rstrip_len(s, key_end);
    if (s[key_end] != '=' && s[key_end] != ':') { /* no key: give inih its syntax error */
        snprintf(str, (size_t)num, "%s", "?\n");
        return str;
    }
    if (key_len + 3 > (size_t)num - 2) {
        fail(p, p->line, "key longer than %d bytes", num - 5);
        return NULL;
    }
    char *v = s + key_end + 1;
    while (is_space(*v))
        v++;
    for (char *c = v; *c; c++) {
        if (*c == ';' && c > v && is_space(c[-1])) {
            *c = '\0';
            break;
        }
    }
    v[rstrip_len(v, strlen(v))] = '\0';
    p->long_value = v;
    memcpy(str, s, key_len);
    memcpy(str + key_len, "=\n", 3);
    return str;
}

/* inih's ini_reader over p->text: one whole line per call, see the file comment. */
static char *read_line(char *str, int num, void *stream)
{
    struct parse *p = stream;
    p->long_value = NULL; /* the handler took it, or inih called none for that line */
    if (p->failed || p->pos >= p->len) return NULL;
    const char *s = p->text + p->pos;
    size_t rest = p->len - p->pos;
    const char *nl = memchr(s, '\n', rest);
    size_t len = nl ? (size_t)(nl - s) + 1 : rest;
    p->pos += len;
    p->line++;
    while (len > 0 && is_space(*s) && *s != '\n') {
        s++;
        len--;
    }
    len = rstrip_len(s, len); /* inih strips it too; a newline is put back below */
    if (len > GL_MAX_INI_LINE) {
        fail(p, p->line, "line longer than %d bytes", GL_MAX_INI_LINE);
        return NULL;
    }
    assert(num >= 8);
    /* Room for the line, its newline, its NUL, and one spare byte so inih never thinks it was
     * cut; a longer line goes through long_line. */
    if (len + 3 > (size_t)num) {
        if (p->line == 1 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) { /* a BOM */
            s += 3;
            len -= 3;
        }
        memcpy(p->long_buf, s, len);
        p->long_buf[len] = '\0';
        return long_line(p, str, num);
    }
    memcpy(str, s, len);
    memcpy(str + len, "\n", 2);
    check_section(p, str);
    return p->failed ? NULL : str;
}

/* A decimal integer, optionally negative (so "-1" is out of range, not malformed). */
static int parse_int(const char *s, int64_t *out)
{
    bool neg = *s == '-';
    if (neg) s++;
    if (!*s) return -1;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return -1;
        if (v < INT64_MAX / 10) v = v * 10 + (*s - '0'); /* saturates: out of range anyway */
    }
    *out = neg ? -v : v;
    return 0;
}

/*
 * The numeric keys: where each goes in struct cfg, its inclusive range and unit. Milliseconds
 * (*_ms) become time_us, counts stay counts. Ranges are checked once every key has been read,
 * so the message names the key's own line.
 */
enum num_kind { NUM_MS, NUM_COUNT };

static const struct num_key {
    const char *section, *name;
    int64_t lo, hi;
    enum num_kind kind;
    size_t off; /* of a time_us (NUM_MS) or uint32_t (NUM_COUNT) in struct cfg */
} num_keys[] = {
    { "topology", "hubs", 1, GL_MAX_NODES, NUM_COUNT, offsetof(struct cfg, topo_k) },
    { "topology", "fanout", 1, GL_MAX_NODES, NUM_COUNT, offsetof(struct cfg, topo_k) },
    { "batch", "timeout_ms", 0, CFG_MAX_BATCH_TIMEOUT_MS, NUM_MS,
      offsetof(struct cfg, batch_timeout_us) },
    { "batch", "up_ms", 0, CFG_MAX_BATCH_TIMEOUT_MS, NUM_MS,
      offsetof(struct cfg, batch_period_us) + BATCH_UP * sizeof(time_us) },
    { "batch", "down_ms", 0, CFG_MAX_BATCH_TIMEOUT_MS, NUM_MS,
      offsetof(struct cfg, batch_period_us) + BATCH_DOWN * sizeof(time_us) },
    { "batch", "across_ms", 0, CFG_MAX_BATCH_TIMEOUT_MS, NUM_MS,
      offsetof(struct cfg, batch_period_us) + BATCH_ACROSS * sizeof(time_us) },
    { "batch", "up_offset_ms", 0, CFG_MAX_MS, NUM_MS,
      offsetof(struct cfg, batch_offset_us) + BATCH_UP * sizeof(time_us) },
    { "batch", "down_offset_ms", 0, CFG_MAX_MS, NUM_MS,
      offsetof(struct cfg, batch_offset_us) + BATCH_DOWN * sizeof(time_us) },
    { "batch", "across_offset_ms", 0, CFG_MAX_MS, NUM_MS,
      offsetof(struct cfg, batch_offset_us) + BATCH_ACROSS * sizeof(time_us) },
    { "batch", "max_values", 0, GL_MAX_BATCH_VALUES, NUM_COUNT,
      offsetof(struct cfg, batch_max_values) },
    { "delivery", "retry_ms", CFG_MIN_RETRY_MS, CFG_MAX_RETRY_MS, NUM_MS,
      offsetof(struct cfg, retry_us) },
    { "delivery", "ack_delay_ms", 0, CFG_MAX_MS, NUM_MS, offsetof(struct cfg, ack_delay_us) },
    { "delivery", "sync_ms", 0, CFG_MAX_MS, NUM_MS, offsetof(struct cfg, sync_us) },
    { "delivery", "sync_age_ms", 0, CFG_MAX_MS, NUM_MS, offsetof(struct cfg, sync_age_us) },
};
#define NUM_KEYS (sizeof(num_keys) / sizeof(num_keys[0]))
_Static_assert(NUM_KEYS <= 16, "struct parse holds 16 numeric keys");

enum { KEY_HUBS, KEY_FANOUT, KEY_TIMEOUT, KEY_UP, KEY_DOWN, KEY_ACROSS }; /* num_keys' order */
enum { KEY_RETRY = 10, KEY_ACK_DELAY = 11 };

static int num_key_find(const char *section, const char *name)
{
    for (size_t k = 0; k < NUM_KEYS; k++)
        if (!strcmp(num_keys[k].section, section) && !strcmp(num_keys[k].name, name)) return (int)k;
    return -1;
}

static int set_num(struct parse *p, int k, const char *value)
{
    const struct num_key *nk = &num_keys[k];
    if (parse_int(value, &p->num[k]) < 0)
        return fail(p, p->line, "bad value '%s' for '%s' in [%s]: expected an integer", value,
                    nk->name, nk->section);
    snprintf(p->num_text[k], sizeof(p->num_text[k]), "%s", value);
    p->num_line[k] = p->line;
    return 1;
}

/* One of names (NULL-terminated) by its position; -1 with a message naming them otherwise. */
static int set_choice(struct parse *p, const char *value, const char *const *names,
                      const char *what, int *out)
{
    for (int i = 0; names[i]; i++) {
        if (strcmp(value, names[i]) == 0) {
            *out = i;
            return 1;
        }
    }
    char list[128];
    struct strbuf sb;
    strbuf_fixed(&sb, list, sizeof list);
    for (int i = 0; names[i]; i++) {
        strbuf_addstr(&sb, i == 0 ? "" : names[i + 1] ? ", " : " or ");
        strbuf_addstr(&sb, names[i]);
    }
    return fail(p, p->line, "unknown %s '%s' (expected %s)", what, value, list);
}

static const char *const phase_names[] = { "init", "start", "clock", NULL };
static const char *const mode_names[] = { "acks", "fire-and-forget", "cumulative", NULL };

/*
 * The strategies an INI file may name, in the order we list them (`broadcast-node
 * --list-strategies`, error messages): the common ones first. The names themselves live in
 * topo.c (the built-in kinds) and cfg_strategy_name(); this table only orders them.
 */
static const struct {
    enum cfg_strategy strategy;
    enum topo_kind kind; /* with CFG_STRATEGY_BUILTIN */
} strategy_order[] = {
    { CFG_STRATEGY_BUILTIN, TOPO_GRID },  { CFG_STRATEGY_BUILTIN, TOPO_TREE },
    { CFG_STRATEGY_BUILTIN, TOPO_STAR },  { CFG_STRATEGY_BUILTIN, TOPO_FLAT },
    { CFG_STRATEGY_BUILTIN, TOPO_HUBS },  { CFG_STRATEGY_BUILTIN, TOPO_KARY },
    { CFG_STRATEGY_BUILTIN, TOPO_LINE },  { CFG_STRATEGY_BUILTIN, TOPO_TREE2 },
    { CFG_STRATEGY_BUILTIN, TOPO_TREE3 }, { CFG_STRATEGY_BUILTIN, TOPO_TREE4 },
    { CFG_STRATEGY_BUILTIN, TOPO_TOTAL }, { CFG_STRATEGY_MAELSTROM, TOPO_CUSTOM },
    { CFG_STRATEGY_FILE, TOPO_CUSTOM },
};
/* Every built-in kind but custom, plus maelstrom and file. */
_Static_assert(sizeof(strategy_order) / sizeof(strategy_order[0]) == (size_t)TOPO_CUSTOM + 2,
               "strategy_order must list every strategy once");

const char *cfg_strategy_at(size_t i)
{
    if (i >= sizeof(strategy_order) / sizeof(strategy_order[0])) return NULL;
    struct cfg c = { .strategy = strategy_order[i].strategy, .kind = strategy_order[i].kind };
    return cfg_strategy_name(&c);
}

/* The strategy names joined with sep, the last two with last: "grid, tree, ... or file"; cut
 * to fit buf (still a NUL-terminated hint). */
static void join_strategies(char *buf, size_t len, const char *sep, const char *last)
{
    struct strbuf sb;
    strbuf_fixed(&sb, buf, len);
    for (size_t i = 0; cfg_strategy_at(i); i++) {
        strbuf_addstr(&sb, i == 0 ? "" : cfg_strategy_at(i + 1) ? sep : last);
        strbuf_addstr(&sb, cfg_strategy_at(i));
    }
}

static int set_strategy(struct parse *p, const char *value)
{
    struct cfg *c = &p->cfg;
    for (size_t i = 0; cfg_strategy_at(i); i++) {
        if (strcmp(value, cfg_strategy_at(i)) == 0) {
            c->strategy = strategy_order[i].strategy;
            if (c->strategy == CFG_STRATEGY_BUILTIN) c->kind = strategy_order[i].kind;
            p->strategy_line = p->line;
            return 1;
        }
    }
    char names[256];
    join_strategies(names, sizeof names, ", ", " or ");
    return fail(p, p->line, "unknown strategy '%s' (expected %s)", value, names);
}

/* A topology file path; a relative one is taken relative to the INI file's directory. */
static int set_file(struct parse *p, const char *value)
{
    if (!value[0]) return fail(p, p->line, "empty value for 'file' in [topology]");
    const char *slash = strrchr(p->name, '/');
    int dirlen = value[0] == '/' || !slash ? 0 : (int)(slash - p->name + 1);
    int n = snprintf(p->cfg.topology_file, sizeof(p->cfg.topology_file), "%.*s%s", dirlen, p->name,
                     value);
    if (n < 0 || (size_t)n >= sizeof(p->cfg.topology_file))
        return fail(p, p->line, "topology file path longer than %d bytes", GL_MAX_PATH - 1);
    p->has_file = true;
    return 1;
}

static int handle_key(struct parse *p, const char *section, const char *name, const char *value)
{
    struct cfg *c = &p->cfg;
    if (!section[0]) return fail(p, p->line, "key '%s' outside any section", name);
    int k = num_key_find(section, name);
    if (k >= 0) return set_num(p, k, value);
    int choice;
    if (strcmp(section, "topology") == 0) {
        if (strcmp(name, "strategy") == 0) return set_strategy(p, value);
        if (strcmp(name, "file") == 0) return set_file(p, value);
        if (strcmp(name, "root") == 0) {
            size_t len = strlen(value);
            if (len == 0 || len >= sizeof(c->root))
                return fail(p, p->line,
                            "bad value '%s' for 'root' in [topology]: expected a "
                            "node id of 1 to %d bytes",
                            value, GL_ID_MAX - 1);
            memcpy(c->root, value, len + 1);
            return 1;
        }
    } else if (strcmp(section, "batch") == 0) {
        if (strcmp(name, "phase") == 0) {
            if (!set_choice(p, value, phase_names, "batch phase", &choice)) return 0;
            c->batch_phase = (enum batch_phase)choice;
            return 1;
        }
    } else if (strcmp(section, "delivery") == 0) {
        if (strcmp(name, "mode") == 0) {
            if (!set_choice(p, value, mode_names, "delivery mode", &choice)) return 0;
            c->delivery = (enum delivery_mode)choice;
            p->mode_line = p->line;
            return 1;
        }
    } else {
        return fail(p, p->line, "unknown section [%s]", section); /* the reader saw it first */
    }
    return fail(p, p->line, "unknown key '%s' in section [%s]", name, section);
}

/* The numeric key given earliest in the file whose value is out of range, or -1. */
static int first_out_of_range(const struct parse *p)
{
    int worst = -1;
    for (size_t k = 0; k < NUM_KEYS; k++) {
        if (!p->num_line[k]) continue;
        if (p->num[k] >= num_keys[k].lo && p->num[k] <= num_keys[k].hi) continue;
        if (worst < 0 || p->num_line[k] < p->num_line[worst]) worst = (int)k;
    }
    return worst;
}

/* Stores every numeric key given into the struct, in its unit. */
static void apply_numbers(struct parse *p)
{
    for (size_t k = 0; k < NUM_KEYS; k++) {
        if (!p->num_line[k]) continue;
        char *field = (char *)&p->cfg + num_keys[k].off;
        if (num_keys[k].kind == NUM_MS) {
            time_us us = time_from_ms((uint64_t)p->num[k]);
            memcpy(field, &us, sizeof us);
        } else {
            uint32_t v = (uint32_t)p->num[k];
            memcpy(field, &v, sizeof v);
        }
    }
    for (int d = 0; d < BATCH_DIRS; d++)
        if (p->num_line[KEY_UP + d]) p->cfg.batch_period_set |= 1u << d;
}

/* The line where section.name was set before, or 0. */
static unsigned seen_line(const struct parse *p, const char *section, const char *name)
{
    for (size_t i = 0; i < p->n_seen; i++)
        if (!strcmp(p->seen[i].section, section) && !strcmp(p->seen[i].name, name))
            return p->seen[i].line;
    return 0;
}

/* inih's handler: a key line (its value from long_line when the line was too long for inih). */
static int handle(void *user, const char *section, const char *name, const char *value)
{
    struct parse *p = user;
    if (p->long_value) {
        value = p->long_value;
        p->long_value = NULL;
    }
    if (p->failed) return 0;
    unsigned first = seen_line(p, section, name);
    if (first)
        return fail(p, p->line, "duplicate key '%s' in section [%s] (first set on line %u)", name,
                    section, first);
    if (!handle_key(p, section, name, value)) return 0;
    /* Only known keys get here: short names, and fewer than CFG_MAX_SEEN of them. */
    assert(p->n_seen < CFG_MAX_SEEN);
    struct seen_key *k = &p->seen[p->n_seen++];
    assert(strlen(section) < sizeof k->section && strlen(name) < sizeof k->name);
    snprintf(k->section, sizeof k->section, "%s", section);
    snprintf(k->name, sizeof k->name, "%s", name);
    k->line = p->line;
    return 1;
}

/* Range checks and dependencies between keys, once every key has been read. */
static void validate(struct parse *p)
{
    int bad = first_out_of_range(p);
    if (bad >= 0) {
        const struct num_key *nk = &num_keys[bad];
        fail(p, p->num_line[bad], "'%s' in [%s] out of range: %s (expected %lld..%lld)", nk->name,
             nk->section, p->num_text[bad], (long long)nk->lo, (long long)nk->hi);
    }
    if (p->cfg.strategy == CFG_STRATEGY_FILE && !p->has_file)
        fail(p, p->strategy_line, "strategy 'file' needs a 'file' key in [topology]");
    bool hubs = p->cfg.strategy == CFG_STRATEGY_BUILTIN && p->cfg.kind == TOPO_HUBS;
    bool kary = p->cfg.strategy == CFG_STRATEGY_BUILTIN && p->cfg.kind == TOPO_KARY;
    if (p->num_line[KEY_HUBS] && !hubs)
        fail(p, p->num_line[KEY_HUBS], "'hubs' in [topology] needs strategy = hubs");
    if (p->num_line[KEY_FANOUT] && !kary)
        fail(p, p->num_line[KEY_FANOUT], "'fanout' in [topology] needs strategy = kary");
    if (p->failed) return;
    apply_numbers(p);
    if (p->cfg.delivery == DELIVERY_CUMULATIVE && p->cfg.ack_delay_us >= p->cfg.retry_us) {
        unsigned line = p->num_line[KEY_ACK_DELAY] ? p->num_line[KEY_ACK_DELAY]
                        : p->num_line[KEY_RETRY]   ? p->num_line[KEY_RETRY]
                                                   : p->mode_line;
        fail(p, line,
             "cumulative delivery needs 'ack_delay_ms' (%llu) below 'retry_ms' (%llu) in "
             "[delivery]: the sender would re-send before the ack goes out",
             (unsigned long long)(p->cfg.ack_delay_us / US_PER_MS),
             (unsigned long long)(p->cfg.retry_us / US_PER_MS));
    }
}

/* Parses text[0..len) named name; on success *c gets the result, on failure *c is untouched. */
static int parse_text(struct cfg *c, const char *text, size_t len, const char *name, char *err,
                      size_t errlen)
{
    struct parse *p = calloc(1, sizeof(*p)); /* ~8 KiB: keep it off small thread stacks */
    if (!p) return gl_errorf(err, errlen, "%s: out of memory", name);
    p->name = name;
    p->text = text;
    p->len = len;
    cfg_defaults(&p->cfg);
    int rc = ini_parse_stream(read_line, p, handle, p);
    /* inih returns the first bad line: ours if the handler failed there, else a syntax error. */
    if (rc > 0 && (!p->failed || (unsigned)rc < p->err_line)) {
        p->failed = false;
        fail(p, (unsigned)rc, "syntax error (expected '[section]' or 'key = value')");
    } else if (!p->failed && rc < 0)
        fail(p, 0, "out of memory");
    if (!p->failed) validate(p);
    int ret = 0;
    if (p->failed) {
        if (errlen && p->err_line)
            snprintf(err, errlen, "%s:%u: %s", name, p->err_line, p->msg);
        else if (errlen)
            snprintf(err, errlen, "%s: %s", name, p->msg);
        ret = -1;
    } else {
        *c = p->cfg;
    }
    free(p);
    return ret;
}

void cfg_defaults(struct cfg *c)
{
    memset(c, 0, sizeof(*c));
    c->strategy = CFG_STRATEGY_BUILTIN;
    c->kind = TOPO_GRID;
    c->batch_timeout_us = 0;
    c->batch_phase = BATCH_PHASE_INIT;
    c->delivery = DELIVERY_ACKS;
    c->retry_us = time_from_ms(500);
    c->ack_delay_us = time_from_ms(250);
    c->sync_age_us = time_from_ms(1000);
}

time_us cfg_batch_period_us(const struct cfg *c, enum batch_dir d)
{
    return c->batch_period_set & (1u << d) ? c->batch_period_us[d] : c->batch_timeout_us;
}

const char *cfg_phase_name(enum batch_phase p)
{
    return (unsigned)p < sizeof(phase_names) / sizeof(phase_names[0]) - 1 ? phase_names[p] : "?";
}

const char *cfg_delivery_name(enum delivery_mode m)
{
    return (unsigned)m < sizeof(mode_names) / sizeof(mode_names[0]) - 1 ? mode_names[m] : "?";
}

int cfg_parse_string(struct cfg *c, const char *text, const char *name, char *err, size_t errlen)
{
    return parse_text(c, text, strlen(text), name, err, errlen);
}

int cfg_load(struct cfg *c, const char *path, char *err, size_t errlen)
{
    char *buf;
    size_t len;
    if (file_read_regular(path, &buf, &len, CFG_MAX_FILE, err, errlen) != 0) return -1;
    if (memchr(buf, '\0', len)) {
        free(buf);
        return gl_errorf(err, errlen, "%s: NUL byte in file", path);
    }
    int rc = parse_text(c, buf, len, path, err, errlen);
    free(buf);
    return rc;
}

int cfg_load_node(struct cfg *c, const char *path, struct topo *file_topo, char *err, size_t errlen)
{
    cfg_defaults(c);
    if (path && cfg_load(c, path, err, errlen) != 0) return -1;
    if (c->strategy == CFG_STRATEGY_FILE &&
        topo_load_json(file_topo, c->topology_file, err, errlen) != 0)
        return -1;
    return 0;
}

const char *cfg_strategy_name(const struct cfg *c)
{
    switch (c->strategy) {
    case CFG_STRATEGY_MAELSTROM:
        return "maelstrom";
    case CFG_STRATEGY_FILE:
        return "file";
    case CFG_STRATEGY_BUILTIN:
        break;
    }
    return topo_kind_name(c->kind);
}

/* The keys of --list-keys in the order an INI file would give them: the named ones (negative)
 * and num_keys' indices. */
enum { DESC_STRATEGY = -1, DESC_ROOT = -2, DESC_FILE = -3, DESC_PHASE = -4, DESC_MODE = -5 };
static const int describe_order[] = {
    DESC_STRATEGY, DESC_ROOT, DESC_FILE, KEY_HUBS, KEY_FANOUT, KEY_TIMEOUT, KEY_UP,    KEY_DOWN,
    KEY_ACROSS,    6,         7,         8,        DESC_PHASE, 9,           DESC_MODE, KEY_RETRY,
    KEY_ACK_DELAY, 12,        13,
};
_Static_assert(sizeof(describe_order) / sizeof(describe_order[0]) == NUM_KEYS + 5,
               "--list-keys names every key once");

/* names joined with '|' into buf. */
static void join_choices(char *buf, size_t len, const char *const *names)
{
    struct strbuf sb;
    strbuf_fixed(&sb, buf, len);
    for (size_t c = 0; names[c]; c++) {
        strbuf_addstr(&sb, c ? "|" : "");
        strbuf_addstr(&sb, names[c]);
    }
}

int cfg_describe_key(size_t i, char *buf, size_t len)
{
    if (i >= sizeof(describe_order) / sizeof(describe_order[0])) return -1;
    char names[256];
    int n;
    switch (describe_order[i]) {
    case DESC_STRATEGY:
        join_strategies(names, sizeof names, "|", "|");
        n = snprintf(buf, len, "topology.strategy one-of %s", names);
        break;
    case DESC_ROOT:
        n = snprintf(buf, len, "topology.root string 1..%d bytes", GL_ID_MAX - 1);
        break;
    case DESC_FILE:
        n = snprintf(buf, len, "topology.file path relative to the INI file's directory");
        break;
    case DESC_PHASE:
        join_choices(names, sizeof names, phase_names);
        n = snprintf(buf, len, "batch.phase one-of %s", names);
        break;
    case DESC_MODE:
        join_choices(names, sizeof names, mode_names);
        n = snprintf(buf, len, "delivery.mode one-of %s", names);
        break;
    default: {
        const struct num_key *nk = &num_keys[describe_order[i]];
        n = snprintf(buf, len, "%s.%s integer %lld..%lld", nk->section, nk->name, (long long)nk->lo,
                     (long long)nk->hi);
    }
    }
    return n < 0 || (size_t)n >= len ? -1 : 0;
}
