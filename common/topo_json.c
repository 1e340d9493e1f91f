/*
 * topo_json.c: topology JSON files (topo_json.h): file.h reads, the codec decodes and encodes.
 */
#include "topo_json.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "errmsg.h"
#include "file.h"
#include "limits.h"

int topo_load_json(struct topo *t, const char *path, char *err, size_t errlen)
{
    size_t len = 0;
    char *text = NULL;
    topo_init(t);
    /* GL_MAX_LINE: a larger map could not reach a node as one topology message anyway. */
    if (file_read_regular(path, &text, &len, GL_MAX_LINE, err, errlen) != 0) return -1;
    int rc = topo_parse_json(t, text, len, path, err, errlen);
    free(text);
    return rc;
}

int topo_parse_json(struct topo *t, const char *text, size_t len, const char *name, char *err,
                    size_t errlen)
{
    char msg[256];
    if (codec_topo_decode(text, len, t, msg, sizeof(msg)) != 0)
        return gl_errorf(err, errlen, "%s: %s", name, msg);
    t->kind = TOPO_CUSTOM;
    t->root = topo_arborescence_root(t);
    t->directed = t->root >= 0;
    return 0;
}

int topo_save_json(const struct topo *t, const char *path, char *err, size_t errlen)
{
    char *text = NULL;
    size_t len = 0;
    if (codec_topo_encode(t, &text, &len) != 0)
        return gl_errorf(err, errlen, "%s: cannot encode the topology", path);
    FILE *f = fopen(path, "wb");
    if (!f) {
        free(text);
        return gl_errorf(err, errlen, "%s: %s", path, strerror(errno));
    }
    bool ok = fwrite(text, 1, len, f) == len && fputc('\n', f) != EOF;
    ok = (fclose(f) == 0) && ok;
    free(text);
    if (!ok) return gl_errorf(err, errlen, "%s: write error", path);
    return 0;
}
