/*
 * cfg: the node's INI configuration, parsed with inih into a typed struct. Defaults first; an
 * unknown section or key, a key given twice, or a value out of range, is an error naming the file
 * and line: "configs/x.ini:7: unknown key 'timeout' in section [batch]".
 *
 *   [topology]
 *   strategy = grid | tree | star | flat | hubs | kary | line | tree2 | tree3 | tree4 | total
 *              | maelstrom | file
 *   root     = n12        ; tree/star/kary: root or hub (default: the grid centre; kary n0)
 *   file     = topo.json  ; file: Maelstrom topology JSON, relative to the INI's directory
 *   hubs     = 5          ; hubs: how many hubs (default ceil(sqrt N))
 *   fanout   = 2          ; kary: children per node
 *   [batch]
 *   timeout_ms = 0        ; 0 = send at once; else flush per-peer batches every timeout_ms
 *   up_ms, down_ms, across_ms = timeout_ms   ; the period of each direction of a link
 *   up_offset_ms, down_offset_ms, across_offset_ms = 0   ; each direction's phase
 *   phase      = init     ; init | start | clock: where the flush grid is anchored
 *   max_values = 0        ; flush a peer's list once it holds this many values (0: never)
 *   [delivery]
 *   mode         = acks | fire-and-forget | cumulative
 *   retry_ms     = 500    ; acks, cumulative: re-send an unacknowledged value after this long
 *   ack_delay_ms = 250    ; cumulative: a stand-alone ack after owing one this long
 *   sync_ms      = 0      ; anti-entropy: a digest at least this often (0: off)
 *   sync_age_ms  = 1000   ; anti-entropy: values younger than this are not compared yet
 */
#ifndef GL_CFG_H
#define GL_CFG_H

#include <stddef.h>

#include "limits.h"
#include "time.h"
#include "topo.h"

enum cfg_strategy {
    CFG_STRATEGY_BUILTIN,   /* a topo_kind built over the node ids from init */
    CFG_STRATEGY_MAELSTROM, /* the topology the controller sends */
    CFG_STRATEGY_FILE,      /* a topology JSON file */
};

/* Where the batch ticker's grid (anchor + offset + k * period) is anchored. */
enum batch_phase {
    BATCH_PHASE_INIT,  /* when init arrives */
    BATCH_PHASE_START, /* when the process starts (node_set_start_us), as a node that creates
                          its ticker at start-up does */
    BATCH_PHASE_CLOCK, /* at time 0 of the clock: every node on one host shares the grid */
};

/* The direction of a link, for its flush schedule (route.h's roles: up, down, the rest across). */
enum batch_dir {
    BATCH_UP,     /* towards the root: leaf -> hub */
    BATCH_DOWN,   /* away from the root: hub -> leaves */
    BATCH_ACROSS, /* hub <-> hub, flat, flood */
};
#define BATCH_DIRS 3

enum delivery_mode {
    DELIVERY_ACKS,
    DELIVERY_FIRE_AND_FORGET,
    DELIVERY_CUMULATIVE,
};

struct cfg {
    enum cfg_strategy strategy;
    enum topo_kind kind;                 /* with CFG_STRATEGY_BUILTIN */
    char root[GL_ID_MAX];                /* "" = default */
    char topology_file[GL_MAX_PATH];     /* with CFG_STRATEGY_FILE, resolved against the INI dir */
    uint32_t topo_k;                     /* hubs: hubs, kary: fan-out; 0 = the default */
    time_us batch_timeout_us;            /* 0 = no batching; the period of every unset direction */
    time_us batch_period_us[BATCH_DIRS]; /* when batch_period_set has the direction's bit */
    unsigned batch_period_set;
    time_us batch_offset_us[BATCH_DIRS]; /* each direction's phase: ticks at offset + k*period */
    enum batch_phase batch_phase;
    uint32_t batch_max_values; /* 0 = no size trigger */
    enum delivery_mode delivery;
    time_us retry_us;
    time_us ack_delay_us; /* cumulative */
    time_us sync_us;      /* 0 = no anti-entropy */
    time_us sync_age_us;
};

/* Limits checked after parsing. */
#define CFG_MAX_BATCH_TIMEOUT_MS 60000u
#define CFG_MIN_RETRY_MS         1u
#define CFG_MAX_RETRY_MS         60000u
#define CFG_MAX_MS               60000u /* every other time key */

/* The documented defaults: grid, no batching (phase init), acks, retry 500 ms, ack delay 250
 * ms, no anti-entropy (sync age 1000 ms). */
void cfg_defaults(struct cfg *c);

/* The flush period of a direction: its own key when set, else timeout_ms (0: immediate). */
time_us cfg_batch_period_us(const struct cfg *c, enum batch_dir d);

/*
 * Parses an INI file over the defaults. Returns 0, or -1 with "path:line: message" in err. A
 * key given twice is an error; lines may be GL_MAX_INI_LINE bytes long; path must be a regular
 * file ("path: not a regular file (a FIFO)").
 */
int cfg_load(struct cfg *c, const char *path, char *err, size_t errlen);

/*
 * What a node starts from: the defaults, the INI file at path over them (NULL: none), and for the
 * file strategy its topology JSON into *file_topo (topo_init'ed by the caller, who releases it).
 * Returns 0, or -1 with the loader's message in err ("x.ini:7: ...", "topo.json: ...").
 */
int cfg_load_node(struct cfg *c, const char *path, struct topo *file_topo, char *err,
                  size_t errlen);

/* Same for INI text in memory; name is used in messages in place of a path. */
int cfg_parse_string(struct cfg *c, const char *text, const char *name, char *err, size_t errlen);

/* "init", "start", "clock" and "acks", "fire-and-forget", "cumulative", as in INI files. */
const char *cfg_phase_name(enum batch_phase p);
const char *cfg_delivery_name(enum delivery_mode m);

/* "grid", "tree", ..., "maelstrom", "file": the strategy as written in INI files. */
const char *cfg_strategy_name(const struct cfg *c);

/* The i-th strategy name an INI file may give (grid, tree, star, flat, hubs, kary, line, tree2,
 * tree3, tree4, total, maelstrom, file: the order of `broadcast-node --list-strategies`), NULL
 * past the last.
 * Every name listed loads; every other name is refused. */
const char *cfg_strategy_at(size_t i);

/* Describes the i-th INI key in one line "section.key type accepted" (`broadcast-node
 * --list-keys`), e.g. "batch.phase one-of init|start|clock": type is one-of (accepted: the
 * values joined with '|'), integer (an inclusive range lo..hi), string (a length range) or path.
 * Returns 0, or -1 past the last key (or when buf is too small). */
int cfg_describe_key(size_t i, char *buf, size_t len);

#endif
