/*
 * results: writes a struct results (checker.h) as results.json (Maelstrom's key names and
 * nesting, keywords without their colon), as results.edn in Maelstrom's own layout (spec §6.2,
 * wrapped like fipp at 80 columns), and as the short human summary; reads results.edn (ours or
 * Maelstrom's) and results.json back into a struct results.
 *
 * Not part of the pure checker: these functions do IO on the FILE or path they are given.
 */
#ifndef GL_RESULTS_H
#define GL_RESULTS_H

#include <stddef.h>
#include <stdio.h>

#include "checker.h"
#include "strbuf.h"

/* Writes results.json / results.edn text to out; 0, or -1 on a write error or out of memory. */
int results_write_json(const struct results *r, FILE *out);
int results_write_edn(const struct results *r, FILE *out);

/*
 * The same text appended to sb (to be written later: harness test makes it while the history
 * files are still being written); 0, or -1 when memory ran out (sb->failed).
 */
int results_format_json(const struct results *r, struct strbuf *sb);
int results_format_edn(const struct results *r, struct strbuf *sb);

/*
 * Writes sb (results_format_*) to a file (created or truncated); 0, or -1 with err: "PATH:
 * reason" when it cannot be created, "PATH: write error" when writing fails or sb->failed.
 */
int results_save(const struct strbuf *sb, const char *path, char *err, size_t errlen);

/*
 * The short human summary: validity, ops, msgs-per-op (servers and all), stable-latency
 * quantiles, lost count, the convergence when computed, then Maelstrom's closing line
 * ("Everything looks good! ...").
 */
int results_write_summary(const struct results *r, FILE *out);
/* Maelstrom's closing line for a validity. */
const char *results_closing_line(enum validity v);

/*
 * One CSV line (with '\n') of the key figures, and its header:
 * ops,msgs_per_op_servers,msgs_per_op_all,stable_p0,stable_p50,stable_p95,stable_p99,
 * stable_max,lost,valid,nodes_lacking,values_lacking. Absent figures are empty fields; valid is
 * true, false or unknown; the last two are the convergence at the final reads (convergence.h):
 * nodes that lack values, and the values they lack in all.
 */
int results_write_csv(const struct results *r, FILE *out);
int results_write_csv_header(FILE *out);

/*
 * Parses results.edn (Maelstrom's or ours) or results.json (detected by content) into r
 * (initialised here). Missing sections stay absent/zero. 0, or -1 with "LINE:COL: what" in err.
 */
int results_parse(struct results *r, const char *buf, size_t len, char *err, size_t errlen);
/* The same from a file; errors are prefixed with the path. */
int results_load(struct results *r, const char *path, char *err, size_t errlen);

#endif
