/*
 * cfg: the node's INI configuration, parsed with inih into a typed struct. Defaults first; an
 * unknown section or key, a key given twice, or a value out of range, is an error naming the file
 * and line: "configs/x.ini:7: unknown key 'timeout' in section [batch]".
 *
 *   [topology]
 *   strategy = grid | tree | star | flat | line | tree2 | tree3 | tree4 | total | maelstrom | file
 *   root     = n12        ; tree/star: root or hub (default: the grid centre)
 *   file     = topo.json  ; file: Maelstrom topology JSON, relative to the INI's directory
 *   [batch]
 *   timeout_ms = 0        ; 0 = send at once; else flush per-peer batches every timeout_ms
 *   [delivery]
 *   mode     = acks | fire-and-forget
 *   retry_ms = 500        ; acks: re-send an unacknowledged value after this long
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

enum delivery_mode {
    DELIVERY_ACKS,
    DELIVERY_FIRE_AND_FORGET,
};

struct cfg {
    enum cfg_strategy strategy;
    enum topo_kind kind;             /* with CFG_STRATEGY_BUILTIN */
    char root[GL_ID_MAX];            /* "" = default */
    char topology_file[GL_MAX_PATH]; /* with CFG_STRATEGY_FILE, resolved against the INI dir */
    time_us batch_timeout_us;        /* 0 = no batching */
    enum delivery_mode delivery;
    time_us retry_us;
};

/* Limits checked after parsing. */
#define CFG_MAX_BATCH_TIMEOUT_MS 60000u
#define CFG_MIN_RETRY_MS         1u
#define CFG_MAX_RETRY_MS         60000u

/* The documented defaults: grid, no batching, acks, retry 500 ms. */
void cfg_defaults(struct cfg *c);

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

/* "grid", "tree", ..., "maelstrom", "file": the strategy as written in INI files. */
const char *cfg_strategy_name(const struct cfg *c);

/* The i-th strategy name an INI file may give (grid, tree, star, flat, line, tree2, tree3, tree4,
 * total, maelstrom, file: the order of `broadcast-node --list-strategies`), NULL past the last.
 * Every name listed loads; every other name is refused. */
const char *cfg_strategy_at(size_t i);

/* Describes the i-th INI key in one line "section.key type accepted" (`broadcast-node
 * --list-keys`), e.g. "delivery.mode one-of acks|fire-and-forget": type is one-of (accepted: the
 * values joined with '|'), integer (an inclusive range lo..hi), string (a length range) or path.
 * Returns 0, or -1 past the last key (or when buf is too small). */
int cfg_describe_key(size_t i, char *buf, size_t len);

#endif
