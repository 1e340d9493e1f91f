/*
 * jsonl: the one JSON-lines reader of the check layer (our history.jsonl and journal.jsonl).
 * It walks a whole file's bytes line by line (file_next_line: blank lines skipped, numbered),
 * parses each line through jtree.h (cJSON, with integers read exactly from their literals and
 * \u0000 in strings made visible) and hands the tree to the caller's function, which decodes what
 * it needs into its own structs (reading integers with jtree_int). The tree is deleted as soon as
 * the function returns: it never outlives the call. Errors read "LINE:COL: why", COL being where
 * cJSON stopped on invalid JSON and 1 otherwise. Pure: no IO (the caller reads the file, e.g.
 * with file_load).
 */
#ifndef GL_JSONL_H
#define GL_JSONL_H

#include <stddef.h>

#include "jtree.h"

/* Decodes one line's tree (t->root): NULL, or a static text saying why the line is refused. */
typedef const char *jsonl_line_fn(void *ctx, const struct jtree *t);

/*
 * Calls fn(ctx, tree) for every non-blank line of buf[0..len), in order, and stops at the first
 * line that is not JSON or that fn refuses. 0, or -1 with "LINE:COL: why" in err.
 */
int jsonl_each(const char *buf, size_t len, jsonl_line_fn *fn, void *ctx, char *err, size_t errlen);

#endif
