/*
 * fuzz_topo_json: the topology file reader (common/topo_json: the codec's topology map plus the
 * arborescence test that decides how the node routes over it) on any bytes as a file's content.
 * Properties: a refused file comes with a message naming it; a loaded map is well formed (every
 * neighbour index names a node, every name is found again under its index, a root only when the
 * map is an arborescence: directed, in-degree 0 at the root and 1 elsewhere); and the map we
 * write back (topo_save_json's encoding) loads again and writes the same bytes.
 */
#include <stdbool.h>
#include <string.h>

#include "codec.h"
#include "fuzz.h"
#include "topo.h"
#include "topo_json.h"

static void check_well_formed(const struct topo *t)
{
    FUZZ_CHECK(t->kind == TOPO_CUSTOM);
    FUZZ_CHECK(t->directed == (t->root >= 0));
    uint32_t *indeg = calloc(t->n + 1u, sizeof(*indeg));
    FUZZ_CHECK(indeg != NULL);
    for (uint32_t i = 0; i < t->n; i++) {
        const struct topo_node *v = &t->nodes[i];
        FUZZ_CHECK(v->name[0] != '\0' && strlen(v->name) < GL_ID_MAX);
        FUZZ_CHECK(topo_find(t, v->name) == (int32_t)i);
        for (uint32_t k = 0; k < v->deg; k++) {
            FUZZ_CHECK(v->adj[k] < t->n);
            indeg[v->adj[k]]++;
        }
    }
    if (t->root >= 0) {
        FUZZ_CHECK((uint32_t)t->root < t->n);
        for (uint32_t i = 0; i < t->n; i++)
            FUZZ_CHECK(indeg[i] == ((int32_t)i == t->root ? 0u : 1u));
    }
    free(indeg);
}

/* Loads text as a file's content: 0, or -1 with t left empty and a message checked. */
static int load(struct topo *t, const char *text, size_t len)
{
    char err[512] = "";
    int rc = topo_parse_json(t, text, len, "fuzz.json", err, sizeof err);
    if (rc != 0) {
        FUZZ_CHECK(strncmp(err, "fuzz.json: ", 11) == 0 && err[11] != '\0');
        FUZZ_CHECK(t->n == 0);
    }
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct topo t;
    if (load(&t, (const char *)data, size) != 0) {
        topo_release(&t);
        return 0;
    }
    check_well_formed(&t);
    char *first = NULL, *second = NULL;
    size_t first_len = 0, second_len = 0;
    if (codec_topo_encode(&t, &first, &first_len) == 0) {
        FUZZ_CHECK(memchr(first, '\n', first_len) == NULL);
        struct topo again;
        FUZZ_CHECK(load(&again, first, first_len) == 0);
        check_well_formed(&again);
        FUZZ_CHECK(again.root == t.root);
        FUZZ_CHECK(codec_topo_encode(&again, &second, &second_len) == 0);
        FUZZ_SAME("encode(load(encode(t))) == encode(t)", first, first_len, second, second_len);
        topo_release(&again);
    }
    free(first);
    free(second);
    topo_release(&t);
    return 0;
}
