/*
 * fuzz_results: the results reader (harness/check results_read: Maelstrom's results.edn, ours,
 * or our results.json, told apart by content) on any bytes, and the results writers on what it
 * accepts. Properties: a refused input comes with "LINE:COL: what"; accepted results write as
 * JSON, EDN, summary and CSV; the JSON and the EDN we write read back and write the same bytes.
 */
#include <stdbool.h>
#include <string.h>

#include "checker.h"
#include "fuzz.h"
#include "results.h"

enum form { JSON, EDN };

static void write_results(const struct results *r, enum form f, struct fuzz_mem *m)
{
    FILE *out = fuzz_mem_open(m);
    FUZZ_CHECK((f == JSON ? results_write_json(r, out) : results_write_edn(r, out)) == 0);
    fuzz_mem_close(m);
}

static void round_trip(const struct results *r, enum form f)
{
    struct fuzz_mem first, second;
    write_results(r, f, &first);
    struct results back;
    char err[512] = "";
    int rc = results_parse(&back, first.buf, first.len, err, sizeof err);
    if (rc != 0) fprintf(stderr, "fuzz: reading back our results: %s\n%s\n", err, first.buf);
    FUZZ_CHECK(rc == 0);
    FUZZ_CHECK(back.valid == r->valid);
    write_results(&back, f, &second);
    FUZZ_SAME(f == JSON ? "results.json: write(read(write(r))) == write(r)"
                        : "results.edn: write(read(write(r))) == write(r)",
              first.buf, first.len, second.buf, second.len);
    results_release(&back);
    fuzz_mem_free(&first);
    fuzz_mem_free(&second);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct results r;
    char err[512] = "";
    if (results_parse(&r, (const char *)data, size, err, sizeof err) != 0) {
        /* "LINE:COL: what"; or " what" for a JSON value, which has no position (the caller
         * prefixes "FILE:"). */
        unsigned line = 0, col = 0;
        bool positioned = sscanf(err, "%u:%u: ", &line, &col) == 2 && line >= 1 && col >= 1;
        bool whole_file = err[0] == ' ' && err[1] > ' ';
        if (!positioned && !whole_file) fprintf(stderr, "fuzz: '%s'\n", err);
        FUZZ_CHECK(positioned || whole_file);
        results_release(&r);
        return 0;
    }
    struct fuzz_mem text;
    FILE *f = fuzz_mem_open(&text);
    FUZZ_CHECK(results_write_summary(&r, f) == 0 && results_write_csv(&r, f) == 0);
    fuzz_mem_close(&text);
    fuzz_mem_free(&text);
    round_trip(&r, JSON);
    round_trip(&r, EDN);
    results_release(&r);
    return 0;
}
