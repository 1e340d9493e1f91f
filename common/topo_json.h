/*
 * topo_json: Maelstrom topology JSON files <-> struct topo. The file half of the topology: it
 * reads or writes one whole file (file.h) and hands the text to the codec (codec.h), the only
 * module that sees JSON. Kept apart from topo.c so the pure topology module includes nothing of
 * the codec (codec.h includes topo.h, not the other way round). Does IO: not a core.
 */
#ifndef GL_TOPO_JSON_H
#define GL_TOPO_JSON_H

#include <stddef.h>

#include "topo.h"

/*
 * Loads the map at path into *t (topo_init()ed first; left empty on failure). A map that is an
 * arborescence gets root and directed = true (routed like `tree`); anything else stays an
 * undirected neighbour map. path must be a regular file (file_read_regular: a FIFO is refused,
 * not read forever). Returns 0, or -1 with "PATH: reason" in err.
 */
int topo_load_json(struct topo *t, const char *path, char *err, size_t errlen);
/* The same for the file's bytes text[0..len) in memory, named name in messages ("NAME: reason"). */
int topo_parse_json(struct topo *t, const char *text, size_t len, const char *name, char *err,
                    size_t errlen);
/* Writes t as one line plus a newline (codec_topo_encode). Returns 0, or -1 with err. */
int topo_save_json(const struct topo *t, const char *path, char *err, size_t errlen);

#endif
