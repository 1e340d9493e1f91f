/*
 * strbuf: the one string builder of gossip-lab (git's strbuf) and the one array-growth helper
 * (git's ALLOC_GROW), both in common/ so no module keeps a copy of its own.
 *
 * A strbuf is a NUL-terminated byte string with a length. It either grows on the heap
 * (STRBUF_INIT, strbuf_init) or writes into a fixed caller-owned array (strbuf_fixed), which it
 * never overruns: what does not fit is cut and `failed` is set. `failed` also latches when
 * memory runs out, so a caller appends freely and checks once at the end. Not async-signal-safe.
 * Pure: no IO, no clock (it may be used by the cores).
 */
#ifndef GL_STRBUF_H
#define GL_STRBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct strbuf {
    char *buf;   /* always NUL-terminated once anything was added (or after strbuf_fixed) */
    size_t len;  /* bytes before the NUL */
    size_t cap;  /* bytes of buf, NUL included; 0 before the first growth */
    bool fixed;  /* buf is the caller's array: never grown, never freed */
    bool failed; /* something was cut (fixed) or memory ran out (heap): latched */
};

#define STRBUF_INIT              \
    {                            \
        NULL, 0, 0, false, false \
    }

/* An empty heap-backed builder. */
void strbuf_init(struct strbuf *sb);
/* A builder over the caller's array buf[cap] (cap >= 1), emptied: buf[0] = '\0'. */
void strbuf_fixed(struct strbuf *sb, char *buf, size_t cap);
/* Frees a heap builder's bytes and empties it (a fixed builder is just emptied). */
void strbuf_release(struct strbuf *sb);
/* Empties the builder, keeping its memory; clears `failed`. */
void strbuf_reset(struct strbuf *sb);
/*
 * Hands a heap builder's string to the caller (who frees it; never NULL unless memory ran out:
 * an empty builder gives ""), its length in *len if len is not NULL, and empties the builder.
 */
char *strbuf_detach(struct strbuf *sb, size_t *len);
/* The string so far ("" before anything was added). */
const char *strbuf_str(const struct strbuf *sb);

/* Makes room for `extra` more bytes; false (and `failed`) when that cannot be done. */
bool strbuf_grow(struct strbuf *sb, size_t extra);
/* Append; whatever does not fit sets `failed` (fixed builders keep what fits). */
void strbuf_add(struct strbuf *sb, const void *data, size_t n);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
/* Exact decimal, never through a double. */
void strbuf_add_i64(struct strbuf *sb, int64_t v);
void strbuf_add_u64(struct strbuf *sb, uint64_t v);
/*
 * The same digits written at out (room for STRBUF_NUM_MAX bytes; no NUL), their count returned:
 * for writers that make room for a whole line once (strbuf_grow) and fill it in place.
 */
#define STRBUF_NUM_MAX 21
/* Copies the string literal `lit` at p (a char * into room made with strbuf_grow), moving p. */
#define STRBUF_PUT_LIT(p, lit)               \
    do {                                     \
        memcpy((p), (lit), sizeof(lit) - 1); \
        (p) += sizeof(lit) - 1;              \
    } while (0)
size_t strbuf_fmt_i64(char *out, int64_t v);
size_t strbuf_fmt_u64(char *out, uint64_t v);
/*
 * v[0..n) in exact decimal, separated by the one character sep: the hot path of history and
 * message writers (reads carry thousands of values), so it makes room once and formats in place.
 */
void strbuf_add_i64s(struct strbuf *sb, const int64_t *v, size_t n, char sep);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * gl_grow: makes *arrp (a pointer to an array of elem-byte elements with *cap of them) hold at
 * least `need` elements, growing geometrically (at least doubling, at least 8). 0, or -1 when
 * memory runs out or the size overflows (then *arrp and *cap are unchanged). Use GL_GROW.
 */
int gl_grow(void *arrp, size_t elem, size_t need, size_t *cap);

/*
 * GL_GROW(arr, need, cap): the array `arr` (an lvalue of type T *) with capacity `cap` (a size_t
 * lvalue, in elements) holds at least `need` elements afterwards. Evaluates to 0 or -1 (out of
 * memory: arr and cap unchanged). Cheap when there is room already.
 */
#define GL_GROW(arr, need, cap) \
    ((size_t)(need) <= (cap) ? 0 : gl_grow(&(arr), sizeof(*(arr)), (size_t)(need), &(cap)))

/* Where gl_ring_grow's rings start: a cache line. */
#define GL_RING_ALIGN 64u

/*
 * gl_ring_grow: doubles a ring buffer (netq's FIFO rings): *ringp points to *cap
 * elements of elem bytes (*cap 0, or a power of two), of which len hold entries from index *head
 * on, wrapping. The new array holds them unwrapped from index 0 (*head becomes 0), in order;
 * min_cap (a power of two) is the first capacity. 0, or -1 when memory runs out or the size
 * overflows (the ring is then unchanged).
 */
int gl_ring_grow(void *ringp, size_t elem, size_t *head, size_t len, size_t *cap, size_t min_cap);

#endif
