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
 * Appends r's line (journal_write's bytes) to sb, len[] the lengths of r's src, dest and type.
 * Out of memory latches sb->failed.
 */
void journal_format(struct strbuf *sb, const struct journal_rec *r, const size_t len[3]);

/*
 * A journal file written beside the run (journal_writer.c): the run only records each message
 * as a fixed-size record (its id, times, and its src, dest and type as indices into a table of
 * the names seen), and a thread of the writer's own turns the records into journal_write()'s
 * lines and writes them. Records go to the thread a chunk at a time (JOURNAL_CHUNK_RECS), and at
 * most JOURNAL_CHUNKS chunks exist at once: a run of ten million messages holds a few hundred
 * kilobytes of them, never all (the run waits for the thread when they are all full). A name
 * first seen travels once, in the chunk of the first record that uses it. Formatting the lines
 * was a seventh of a 25-node run's instructions; recording one costs a few comparisons.
 * Without a thread (pthread_create failed) the chunks are written on the run's thread.
 */
#define JOURNAL_CHUNK_RECS 1024u
#define JOURNAL_CHUNKS     8u
/* The text is written out JOURNAL_CHUNK bytes at a time: a buffer that stays in the cache. */
#define JOURNAL_CHUNK (1u << 16)

/*
 * Keys that make recording cheaper, JOURNAL_NO_KEY when not known: src's and dest's endpoint
 * indices and a number for the type (its enum). A name is looked up by its key first and
 * checked against the name last seen with that key, so a wrong key costs time, not bytes.
 */
#define JOURNAL_NO_KEY UINT32_MAX
struct journal_keys {
    uint32_t src, dest, type;
};

struct journal_writer; /* journal_writer.c */

/*
 * A writer of journal lines to f (not owned: the caller closes it after journal_writer_finish),
 * its thread started; NULL when memory runs out. f NULL: a writer that drops every record.
 */
struct journal_writer *journal_writer_new(FILE *f);
/* Records one message (keys may be NULL). Out of memory or a failed write: the rest is dropped. */
void journal_writer_add(struct journal_writer *jw, const struct journal_rec *r,
                        const struct journal_keys *keys);
/*
 * Writes everything recorded, waits for the thread and frees the writer (NULL is fine); 0, or
 * -1 when a write failed or memory ran out.
 */
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
