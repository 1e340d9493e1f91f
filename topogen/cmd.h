/*
 * cmd: topogen's three commands behind the command line (main.c parses options, owns the clock
 * and the progress display). Each writes its results to stdout, returns 0, or returns -1 with a
 * message in err (main prints it as "topogen: <err>"); on an error a command has printed
 * nothing on stdout.
 */
#ifndef GL_TG_CMD_H
#define GL_TG_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "enum.h"

struct tg_opts {
    const char *strategy; /* --strategy */
    uint32_t nodes;       /* --nodes (0: not given) */
    uint32_t hubs;        /* --hubs K (strategy hubs; 0: the default) */
    uint32_t fanout;      /* --fanout K (strategy kary; 0: the default) */
    const char *root;     /* --root: a node name, or "center" for grids */
    const char *format;   /* --format json|ini|gnuplot|dot */
    const char *file;     /* --score FILE, --from FILE */
    const char *grid;     /* --grid RxC */
    const char *depth;    /* --max-depth D|shortest|any */
    const char *within;   /* --within any|shortest|D */
    const char *fn;       /* --f */
    const char *save;     /* --save PREFIX */
    uint32_t top;         /* --top */
    uint64_t cap;         /* --cap */
    /* progress for enumerations; expected = 0 when unknown */
    void (*progress_start)(void *ctx, uint64_t expected);
    void (*progress)(void *ctx, uint64_t trees);
    void (*progress_end)(void *ctx, uint64_t trees);
    void *ctx;
};

enum tg_mode {
    TG_GENERATE, /* --strategy / --from (the default) */
    TG_SCORE,    /* --score */
    TG_ENUMERATE /* --enumerate */
};

/*
 * Checks what the arguments alone can tell (names of strategies, formats and functions, --nodes
 * given, --grid, --max-depth, --within and --root well formed and in range, FILE or --strategy):
 * 0, or -1 with err for bad usage (exit status 2), before a command prints anything. What only a
 * topology file can tell is left to the commands (exit status 1).
 */
int tg_check_usage(const struct tg_opts *o, enum tg_mode mode, char *err, size_t errlen);

int tg_cmd_generate(const struct tg_opts *o, char *err, size_t errlen);
int tg_cmd_score(const struct tg_opts *o, char *err, size_t errlen);
int tg_cmd_enumerate(const struct tg_opts *o, char *err, size_t errlen);

/* Parses --max-depth / --within values: "any", "shortest" or a depth. */
int tg_class_parse(const char *s, struct tg_class *cls, char *err, size_t errlen);

#endif
