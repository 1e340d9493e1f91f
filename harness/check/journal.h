/*
 * journal: the message journal of a test and the counters of Maelstrom's :net checker
 * (spec §4.1). One journal record per message: its id, send and receive times, src, dest and body
 * type, written as one JSON line (docs/formats.md). The counters are either accumulated by the
 * world as messages are sent and received (journal_note_send / journal_note_recv) or computed
 * from a journal file (journal_load_counts).
 *
 * Groups: a message belongs to :clients when its src or its dest is a client (an id starting
 * with 'c'), otherwise to :servers; :all holds every message.
 */
#ifndef GL_JOURNAL_H
#define GL_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "strbuf.h"

struct net_count {
    uint64_t send_count, recv_count, msg_count;
};

struct net_counts {
    struct net_count all, clients, servers;
};

/* True when id names a client (Maelstrom's rule: it starts with 'c'). */
bool journal_is_client(const char *id);

/* One message was sent (msg_count counts it too: every send has a fresh id). */
void journal_note_send(struct net_counts *c, const char *src, const char *dest);
/* One message was delivered. */
void journal_note_recv(struct net_counts *c, const char *src, const char *dest);

/* A journal record. recv_ns < 0 means never delivered (null in the file). */
struct journal_rec {
    uint64_t id;
    int64_t send_ns;
    int64_t recv_ns;
    const char *src, *dest, *type;
};

/* Writes one record as a JSON line; 0, or -1 on a write error. */
int journal_write(FILE *out, const struct journal_rec *r);

/*
 * A journal file written in bulk: records are formatted into one buffer and written out a
 * JOURNAL_CHUNK at a time, so a run of ten million messages (1 GB) costs sixteen thousand
 * writes, not ten million formatted stdio calls. 64 KiB, a buffer that stays in the cache: with
 * 1 MiB, growing the buffer (reallocations, fresh pages) took 2 ms of a 25-node run's 15. Lines
 * are exactly journal_write()'s.
 */
#define JOURNAL_CHUNK (1u << 16)

struct journal_writer {
    FILE *f;
    struct strbuf buf;
    bool failed; /* a write failed or memory ran out: the rest is dropped */
};

/*
 * Starts writing to f (not owned: the caller closes it after journal_writer_finish; NULL: a
 * writer that is never used, finished all the same).
 */
void journal_writer_init(struct journal_writer *jw, FILE *f);
void journal_writer_add(struct journal_writer *jw, const struct journal_rec *r);
/* Writes what is buffered and frees the buffer; 0, or -1 when any write failed. */
int journal_writer_finish(struct journal_writer *jw);

/*
 * Reads a journal (JSON lines) and computes its counters: send events, receive events (records
 * with a recv time) and distinct message ids per group. 0, or -1 with "PATH:LINE:COL: what".
 */
int journal_load_counts(const char *path, struct net_counts *c, char *err, size_t errlen);
/* The same from a buffer; errors are "LINE:COL: what". */
int journal_parse_counts(const char *buf, size_t len, struct net_counts *c, char *err,
                         size_t errlen);

/*
 * Parses the counters from text: 9 comma-separated integers (send,recv,msg for all, then
 * clients, then servers) or 3 (all,clients,servers message counts, used for send, recv and
 * msg alike). 0, or -1 with err.
 */
int net_counts_parse(const char *s, struct net_counts *c, char *err, size_t errlen);

#endif
