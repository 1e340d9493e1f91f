/*
 * file: the one whole-file reader and the one line splitter of gossip-lab (topology files, INI
 * configs, histories, journals, results). Errors read "PATH: reason", the path first, as in
 * git. Also the one way a built text (strbuf) goes to a FILE *. Not a stream reader: protocol
 * streams go through the line framer (linebuf.h).
 */
#ifndef GL_FILE_H
#define GL_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "strbuf.h"

/*
 * Reads the whole file at path into *buf (malloc'd, NUL-terminated; the caller frees) and its
 * length into *len. max bounds the size (SIZE_MAX: none); a larger file is an error. Returns 0,
 * or -1 with "PATH: reason" in err ("x.json: No such file or directory", "x.ini: larger than
 * 1048576 bytes", "...: read error", "...: out of memory") and *buf NULL.
 */
int file_read_all(const char *path, char **buf, size_t *len, size_t max, char *err, size_t errlen);

/*
 * As file_read_all, for a file that must be a regular file (a configuration, a topology): a
 * FIFO, a directory, a device or a socket is refused before anything is read, with "PATH: not a
 * regular file (a FIFO)", so a FIFO with no writer or /dev/zero is never read forever. A FIFO is
 * opened without waiting for a writer.
 */
int file_read_regular(const char *path, char **buf, size_t *len, size_t max, char *err,
                      size_t errlen);

/* A parser of a whole file's bytes, for file_load: 0, or -1 with a message in err. */
typedef int file_parse_fn(void *ctx, const char *buf, size_t len, char *err, size_t errlen);

/*
 * Reads the file at path whole (no size limit) and hands its bytes to parse(ctx, ...). Returns
 * 0, or -1 with "PATH: reason" when reading failed or "PATH:" followed by the parser's message
 * (which starts with its position, "3:7: ...", so the whole reads "x.jsonl:3:7: ...").
 */
int file_load(const char *path, file_parse_fn *parse, void *ctx, char *err, size_t errlen);

/*
 * Writes the builder's bytes to f with one fwrite (how writers that build their text in a strbuf
 * put it in a file). Returns 0, or -1 when the builder failed (cut, out of memory) or f has an
 * error (ferror). Does not flush or close f.
 */
int file_write_strbuf(FILE *f, const struct strbuf *sb);

/*
 * The line splitter: the next line of buf[0..len) at or after *pos that is not blank (only
 * spaces, tabs, CRs): its span [*start, *end) without the newline. Advances *pos past it and
 * *lineno (1-based) over every line passed, blank ones included, so messages can name the line.
 * False at the end. Pure.
 */
bool file_next_line(const char *buf, size_t len, size_t *pos, unsigned *lineno, size_t *start,
                    size_t *end);

#endif
