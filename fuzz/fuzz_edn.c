/*
 * fuzz_edn: the EDN reader (harness/edn) on any bytes as a file of top-level forms, and the
 * printer on what it read. Properties: a refused input comes with "LINE:COL: what"; every form
 * read prints (on one line, and wrapped at 80 columns as results.edn is) as text that reads back
 * as exactly one form which prints the same: print(read(print(v))) == print(v). This is the
 * round trip every history.edn and results.edn we write relies on.
 */
#include <stdbool.h>
#include <string.h>

#include "edn.h"
#include "fuzz.h"
#include "strbuf.h"

/* v printed at width, read back, printed on one line: must be flat (v on one line). */
static void round_trip(const struct edn *v, unsigned width, const struct strbuf *flat)
{
    struct strbuf text = STRBUF_INIT, again = STRBUF_INIT;
    edn_print(&text, v, width);
    FUZZ_CHECK(!text.failed);
    struct edn_arena a;
    edn_arena_init(&a);
    struct edn *w = NULL;
    char err[256] = "";
    int rc = edn_parse_one(text.buf ? text.buf : "", text.len, &a, &w, err, sizeof err);
    if (rc != 0) fprintf(stderr, "fuzz: reading back %s: %s\n", text.buf, err);
    FUZZ_CHECK(rc == 0);
    FUZZ_CHECK(w->type == v->type);
    edn_print(&again, w, 0);
    FUZZ_CHECK(!again.failed);
    FUZZ_SAME("print(read(print(v))) == print(v)", flat->buf, flat->len, again.buf, again.len);
    edn_arena_release(&a);
    strbuf_release(&text);
    strbuf_release(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct edn_reader r;
    struct edn_arena a;
    edn_reader_init(&r, (const char *)data, size);
    edn_arena_init(&a);
    char err[256] = "";
    struct edn *v = NULL;
    int rc;
    while ((rc = edn_read(&r, &a, &v, err, sizeof err)) == 1) {
        struct strbuf flat = STRBUF_INIT;
        edn_print(&flat, v, 0);
        FUZZ_CHECK(!flat.failed);
        round_trip(v, 0, &flat);
        round_trip(v, 80, &flat);
        strbuf_release(&flat);
    }
    if (rc < 0) {
        unsigned line = 0, col = 0;
        FUZZ_CHECK(sscanf(err, "%u:%u: ", &line, &col) == 2 && line >= 1 && col >= 1);
    }
    edn_reader_release(&r);
    edn_arena_release(&a);
    return 0;
}
