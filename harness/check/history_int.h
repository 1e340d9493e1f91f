/*
 * history_int: what the history's sources share: its insides (history.c, history_last.c: each
 * process's last vector) and the records' text (history_fmt.c, for history_io.c's writers). Not
 * part of the history API.
 */
#ifndef GL_HISTORY_INT_H
#define GL_HISTORY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "history.h"
#include "strbuf.h"

/* ---- the insides (history.c, history_last.c) ------------------------------------------------ */

/* Processes below this have their last vector remembered as a base for the next one. */
#define BASE_MAX_PROCESS (1u << 20)

/*
 * The longest chain of bases: every this many vectors of a process one is stored whole, so that
 * unpacking one follows at most this many bases (each a cache miss or two: with chains of 300
 * reads, unpacking was 70 % of a 100-node run).
 */
#define BASE_MAX_CHAIN 32

/*
 * A process's last vector: its position + 1 (0: none), its depth in its chain and a copy of its
 * values, compared with a new vector's first ones to see whether the new one extends it
 * (checking that by unpacking the old vector doubled the time of a 500-node run). Copies are
 * kept while they take at most COPY_MAX_BYTES in all; a process's last vector beyond that is
 * known by a 128-bit fingerprint of its values instead, and a new vector extends it when its
 * first values have the same fingerprint (hashing a read's values took more than comparing
 * them: a tenth of a 25-node run). The fingerprint is two 64-bit sums, over the values, of a value
 * mixed with a key of its position (each sum its own keys and multiplier; the mix folds the 128-bit
 * product of the two, as wyhash does): the terms do not depend on each other, so the values are
 * hashed in parallel at a multiplication each (chained through splitmix64's finaliser, as before,
 * the hashing was a tenth of a 25-node run), and a sum over a prefix extends to the whole. Two
 * sequences that differ yet share a fingerprint are not a practical concern: about 2^-128 per read.
 */
struct fingerprint {
    uint64_t a, b;
};

struct last_vec {
    size_t pos1;
    uint32_t depth;
    int64_t *copy; /* the vector's values, or NULL: fp holds their fingerprint */
    size_t copy_cap;
    struct fingerprint fp;
};

/* The most bytes the copies of the processes' last vectors take together, unless set
 * (history_set_copy_max): 500 nodes take 80 MB. */
#define COPY_MAX_BYTES ((size_t)128 << 20)

struct history {
    struct hist_op *ops;
    size_t n, cap;
    uint8_t *packed;
    size_t npacked, cap_packed;
    char *text;
    size_t ntext, cap_text;
    struct vals_scratch *scratch;
    struct last_vec *last_vec; /* indexed by process */
    size_t cap_last_vec;
    size_t copy_bytes; /* the capacity of the last vectors' copies, in bytes */
    size_t copy_max;   /* the most copy_bytes may be */
};

/* What find_base learnt of a new vector: the fingerprint of its first fp_n values. */
struct probe {
    struct fingerprint fp;
    size_t fp_n;
};

/*
 * The position + 1 of a vector that vals[0..n) extends (the process's last one), or 0;
 * *stored_base gets the same when the new vector may be stored as that base plus its suffix
 * (its chain is short enough; else 0), *depth the new vector's depth in its chain.
 */
size_t history_find_base(struct history *h, int64_t process, const int64_t *vals, size_t n,
                         size_t *stored_base, uint32_t *depth, struct probe *pr);
/*
 * Remembers vals[0..n), the vector at pos (chain depth; ext: it extends the process's last one,
 * pr what history_find_base computed), as the process's last one.
 */
void history_note_last(struct history *h, int64_t process, size_t pos, uint32_t depth,
                       const int64_t *vals, size_t n, bool ext, const struct probe *pr);

/* ---- the records' text (history_fmt.c) ------------------------------------------------------- */

/*
 * A writer's memory: each process's last integer vector as written, and buffers of its own to
 * unpack vectors into (so a writer may run on one thread while others read the history).
 * NULL when out of memory.
 */
struct hist_fmt;
struct hist_fmt *hist_fmt_new(void);
void hist_fmt_free(struct hist_fmt *f);

/*
 * Appends record op, at position pos of h, as a line of fmt (broadcasts as :add when f_as_add,
 * EDN only). With f, a read that extends its process's previous one (history_vals_suffix) is
 * written as that one's text and its new values; with NULL, from scratch with h's own buffers.
 * Out of memory latches sb->failed.
 */
void hist_fmt_op(struct strbuf *sb, const struct history *h, const struct hist_op *op, size_t pos,
                 enum history_format fmt, bool f_as_add, struct hist_fmt *f);

#endif
