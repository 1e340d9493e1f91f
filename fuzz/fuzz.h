/*
 * fuzz.h: what the libFuzzer targets of fuzz/ share. Each target is one LLVMFuzzerTestOneInput
 * that feeds the input to one reader of the code base and then checks properties of what came
 * out: a reader refuses bad input with a message (never a crash, a leak or undefined behaviour:
 * ASan and UBSan watch every run), and what our writers print reads back to the same value.
 * A failed property aborts, so libFuzzer keeps the input as a crash artifact.
 *
 * Not a test framework: the targets run under bench/fuzz.sh (and .ci/run), built by the fuzz
 * preset (clang, -fsanitize=fuzzer,address,undefined).
 */
#ifndef GL_FUZZ_H
#define GL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libFuzzer's entry point: one input, 0 when done (never anything else). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with the failed property's text and place: libFuzzer saves the input. */
#define FUZZ_CHECK(cond)                                                                      \
    do {                                                                                      \
        if (!(cond)) {                                                                        \
            fprintf(stderr, "fuzz: %s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                          \
        }                                                                                     \
    } while (0)

/* Text written through a FILE into memory (open_memstream): open, write, close, read, free. */
struct fuzz_mem {
    char *buf;
    size_t len;
    FILE *f;
};

static inline FILE *fuzz_mem_open(struct fuzz_mem *m)
{
    m->buf = NULL;
    m->len = 0;
    m->f = open_memstream(&m->buf, &m->len);
    FUZZ_CHECK(m->f != NULL);
    return m->f;
}

/* Closes the stream: m->buf (NUL-terminated) and m->len hold what was written. */
static inline void fuzz_mem_close(struct fuzz_mem *m)
{
    FUZZ_CHECK(fclose(m->f) == 0);
    m->f = NULL;
}

static inline void fuzz_mem_free(struct fuzz_mem *m)
{
    free(m->buf);
    m->buf = NULL;
    m->len = 0;
}

/* Aborts unless a and b are the same bytes, printing both (what names the property). */
#define FUZZ_SAME(what, a, alen, b, blen) fuzz_same(what, a, alen, b, blen, __FILE__, __LINE__)

static inline void fuzz_same(const char *what, const char *a, size_t alen, const char *b,
                             size_t blen, const char *file, int line)
{
    if (alen == blen && (alen == 0 || memcmp(a, b, alen) == 0)) return;
    fprintf(stderr,
            "fuzz: %s:%d: property failed: %s\n--- first (%zu bytes)\n%.*s\n--- second "
            "(%zu bytes)\n%.*s\n---\n",
            file, line, what, alen, (int)(alen > 4096 ? 4096 : alen), a ? a : "", blen,
            (int)(blen > 4096 ? 4096 : blen), b ? b : "");
    abort();
}

#endif
