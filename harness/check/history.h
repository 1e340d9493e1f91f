/*
 * history: the op history of a test, in memory, as Jepsen records it (spec §2.7): one record per
 * invocation and per completion, in history order, with a dense 0-based index. The world appends
 * to it cheaply (no JSON, no EDN); the checker reads it; history_io.c reads and writes it as our
 * JSON lines (docs/formats.md) and as Maelstrom's history.edn.
 *
 * Values are kept in the forms the broadcast workload uses: nil, an integer, a collection of
 * integers. Anything else (a nemesis value such as [:isolated {...}], an error such as
 * [:crash "text"], an exception map) is kept verbatim as EDN text.
 *
 * Not thread-safe; one writer. Readers on several threads each bring their own buffers
 * (history_vals_in).
 */
#ifndef GL_HISTORY_H
#define GL_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "msg.h"
#include "time.h"

enum hist_type {
    HT_INVOKE,
    HT_OK,
    HT_FAIL,
    HT_INFO,
};

enum hist_f {
    HF_BROADCAST, /* also read from Maelstrom's :add (the checker's name for it) */
    HF_READ,
    HF_START_PARTITION,
    HF_STOP_PARTITION,
    HF_OTHER, /* any other :f; its name is kept in f_name */
};

enum hist_vkind {
    HV_NIL,
    HV_INT,  /* value */
    HV_INTS, /* vals_off / nvals: a vector of integers */
    HV_EDN,  /* text_off: EDN text; vals_off / nvals hold the integer members, if any */
};

/* The process of the nemesis (":process :nemesis"); client processes are >= 0. */
#define HIST_NEMESIS ((int64_t)-1)

/* "No text" for the offsets below. */
#define HIST_NONE SIZE_MAX

/*
 * One history record. Texts and integer vectors live in the history's pools: read them with
 * history_text() and history_vals(); offsets stay valid while the history grows.
 */
struct hist_op {
    int64_t index;   /* :index, dense from 0 */
    int64_t time_ns; /* :time, nanoseconds since the test's relative time 0 */
    int64_t process; /* >= 0, or HIST_NEMESIS */
    enum hist_type type;
    enum hist_f f;
    enum hist_vkind vkind;
    bool final;           /* :final? true */
    int64_t value;        /* HV_INT */
    size_t vals_off;      /* HV_INTS, HV_EDN */
    size_t nvals;         /* HV_INTS, HV_EDN */
    size_t text_off;      /* HV_EDN: the value's EDN text */
    size_t f_name_off;    /* HF_OTHER: the :f keyword's name, without ':' */
    size_t error_off;     /* :error as EDN text, or HIST_NONE */
    size_t exc_off;       /* :exception as EDN text, or HIST_NONE */
    size_t exc_class_off; /* the exception's first class (:via first :type), or HIST_NONE */
    size_t ext1;          /* the position + 1 of the record whose vector this one's begins with (its
                             process's previous vector), or 0: see history_vals_suffix */
};

struct history;

/* An empty history, or NULL when out of memory. Free with history_free(). */
struct history *history_new(void);
void history_free(struct history *h);

size_t history_len(const struct history *h);
/* The record at position i < history_len(h); valid until the history changes. */
const struct hist_op *history_op(const struct history *h, size_t i);
/*
 * The integer vector of op (HV_INTS / HV_EDN), with its length in *n. Vectors are stored packed:
 * the result is unpacked into a buffer of h's, valid until the next history_vals() on h.
 */
const int64_t *history_vals(const struct history *h, const struct hist_op *op, size_t *n);
/*
 * What op's vector adds to an earlier one: when it extends the vector of the record at position
 * *base (its process's previous one: op->ext1 = *base + 1), the values after that vector's (*n
 * of them) and true; else the whole vector, as history_vals, and false. In the same buffer as
 * history_vals. Lets a reader that has seen the base skip the values it repeats.
 */
bool history_vals_suffix(const struct history *h, const struct hist_op *op, size_t *n, size_t *base,
                         const int64_t **vals);
/*
 * Buffers to unpack vectors into. history_vals() and history_vals_suffix() use the history's
 * own; a thread that reads h while another does (cmd_test writes the history files beside the
 * checker) brings its own to the _in variants, which are the same otherwise. Nothing may change
 * h meanwhile. history_scratch_new() returns NULL when out of memory.
 */
struct vals_scratch;
struct vals_scratch *history_scratch_new(void);
void history_scratch_free(struct vals_scratch *sc);
const int64_t *history_vals_in(const struct history *h, const struct hist_op *op, size_t *n,
                               struct vals_scratch *sc);
bool history_vals_suffix_in(const struct history *h, const struct hist_op *op, size_t *n,
                            size_t *base, const int64_t **vals, struct vals_scratch *sc);
/* Bytes the packed integer vectors take (for tests and benchmarks). */
size_t history_packed_bytes(const struct history *h);
/*
 * The most bytes h keeps in copies of each process's last vector (to see at once whether the
 * next one extends it; beyond that, a fingerprint of it): 128 MiB unless set (tests set less).
 */
void history_set_copy_max(struct history *h, size_t bytes);
/* A text by offset (NULL for HIST_NONE). */
const char *history_text(const struct history *h, size_t off);
/* The :f name of op: "broadcast", "read", "start-partition", ... */
const char *history_f_name(const struct history *h, const struct hist_op *op);
const char *hist_type_name(enum hist_type t);

/*
 * Appends a record. op->index is assigned (the record's position) when it is negative and kept
 * otherwise; op->vals_off/text_off/f_name_off/error_off/exc_off/exc_class_off/ext1 are ignored and
 * taken from the arguments instead: vals (nvals integers, for HV_INTS/HV_EDN), text (HV_EDN),
 * f_name (HF_OTHER), error, exception, exc_class (each NULL for none). text, error and exception
 * must be EDN text that is safe to embed in a record, as edn_text_or_string() makes it (the
 * appenders below and the readers make it so): the writers copy them into history.edn as they
 * are. Returns 0, or -1 when out of memory.
 */
int history_push(struct history *h, const struct hist_op *op, const int64_t *vals, size_t nvals,
                 const char *text, const char *f_name, const char *error, const char *exception,
                 const char *exc_class);

/* Copies record i of `from` (another history) with its texts and values to the end of h; 0 or -1.
 */
int history_copy_op(struct history *h, const struct history *from, size_t i);

/*
 * The world's appenders (time is relative to the history's time 0, in microseconds; stored in
 * nanoseconds). A broadcast carries its value in both records; a read's invocation carries nil
 * and its ok completion the values read (`vals`, NULL otherwise). `error` is EDN text such as
 * ":net-timeout" or "[:crash \"text\"]"; any other text (not exactly one EDN form, or with a ';'
 * comment or '#_' discard in it: edn_parse_text) is kept as an EDN string.
 */
int history_invoke(struct history *h, int64_t process, enum hist_f f, bool has_value, int64_t value,
                   bool final, time_us t_us);
int history_complete(struct history *h, int64_t process, enum hist_type type, enum hist_f f,
                     bool has_value, int64_t value, const struct msg_values *vals, bool final,
                     const char *error, time_us t_us);
/*
 * A nemesis op: two :info records at time t, both :f :start-partition (start) or
 * :stop-partition. `value` (invocation) and `result` (completion) are EDN text; a bare word such
 * as "majority" or "network-healed" is taken as a keyword, and text that is not EDN text (a
 * description such as "n0:n19;n1:n19") an EDN string; NULL is nil.
 */
int history_nemesis(struct history *h, bool start, const char *value, const char *result,
                    time_us t_us);

/*
 * Attaches an exception to record i (Maelstrom's :info ops for malformed replies carry one, and
 * :exceptions groups them by class): `exception` is EDN text such as
 * {:via [{:type clojure.lang.ExceptionInfo, :message "..."}]} (kept as edn_text_or_string makes
 * it); its class is taken from it. Returns 0, or -1 when out of memory.
 */
int history_set_exception(struct history *h, size_t i, const char *exception);
/* The same with the class given (NULL: none). */
int history_attach_exception(struct history *h, size_t i, const char *exception,
                             const char *exc_class);

/* ---- reading and writing (history_io.c) ---------------------------------------------------- */

enum history_format {
    HISTORY_JSON, /* our JSON lines (docs/formats.md) */
    HISTORY_EDN,  /* Maelstrom's history.edn */
};

/* Guesses the format from the first record: `{:` is EDN, `{"` is JSON. Empty input: JSON. */
enum history_format history_detect(const char *buf, size_t len);

/*
 * Parses a whole history (either format, as detected) from buf, appending to h. Returns 0, or -1
 * with "LINE:COL: what" in err (the caller prefixes the file name).
 */
int history_parse(struct history *h, const char *buf, size_t len, char *err, size_t errlen);

/*
 * Appends one record given as an EDN op map (tagged or not). texts_are_edn: string :value,
 * :error and :exception fields hold EDN text (as in our JSON files) rather than strings, and
 * :process may be the string "nemesis". :index and :time must be non-negative integers and
 * :process a non-negative integer or :nemesis: anything else is an error, not a guess.
 * 0, or -1 with "LINE:COL: what" in err.
 */
struct edn;
int history_push_edn(struct history *h, const struct edn *op, bool texts_are_edn, char *err,
                     size_t errlen);

/* Reads a file: 0, or -1 with "PATH:LINE:COL: what" (or "PATH: strerror") in err. */
int history_load(struct history *h, const char *path, char *err, size_t errlen);

/*
 * Writes one record / the whole history; 0, or -1 on a write error. history_write reads h with
 * buffers of its own: it may run on one thread while others read h (history_vals_in).
 */
int history_write_op_json(const struct history *h, const struct hist_op *op, FILE *out);
int history_write_op_edn(const struct history *h, const struct hist_op *op, bool f_as_add,
                         FILE *out);
int history_write(const struct history *h, enum history_format fmt, FILE *out);
/* Writes the history to a file (created or truncated); 0, or -1 with err. */
int history_save(const struct history *h, enum history_format fmt, const char *path, char *err,
                 size_t errlen);

#endif
