/*
 * limits.h: every hard limit of gossip-lab in one place (SQLite's sqliteLimit.h). Each limit
 * says why it has its value; code that hits one reports it clearly instead of growing unbounded.
 */
#ifndef GL_LIMITS_H
#define GL_LIMITS_H

/* Largest cluster: the scaling benchmark runs 500 nodes; leave headroom for experiments. */
#define GL_MAX_NODES 1024

/* A node or client id ("n12", "c4711", "lin-kv") including its NUL. Maelstrom ids are short. */
#define GL_ID_MAX 32

/* A body "type" string including its NUL; longer types are malformed for us. */
#define GL_TYPE_MAX 64

/*
 * Longest protocol line. A read_ok of a 60 s run at rate 1000 carries ~30 000 values of up to
 * 6 digits: ~210 KiB. 4 MiB leaves room for larger runs while bounding a runaway peer.
 */
#define GL_MAX_LINE (4u * 1024u * 1024u)

/* Longest error text we keep from an error body. */
#define GL_MAX_TEXT 256

/* Values carried by one broadcast_internal message (a batch). */
#define GL_MAX_BATCH_VALUES 65536

/*
 * Intervals in one anti-entropy digest or need list ("have", "need" in broadcast_internal): 16
 * bytes of JSON each at most ~40, so ~2.6 MiB, within a line. Maelstrom's values form a few
 * intervals; a digest past the limit describes its lowest intervals only.
 */
#define GL_MAX_SYNC_RANGES 65536

/* Distinct values one node stores (one broadcast per op: 1000 ops/s for 10 minutes). */
#define GL_MAX_VALUES 1000000

/*
 * Bytes queued for one node's stdin that it has not read yet (harness, real processes).
 * Maelstrom's queues are unbounded; a node that stops reading its stdin for this long has failed
 * anyway, so the harness drops and reports what does not fit.
 */
#define GL_MAX_PENDING_BYTES (64u * 1024u * 1024u)

/* Longest path we store (config files, topology files). */
#define GL_MAX_PATH 4096

/*
 * Longest line of a node INI file: a `file = PATH` line with a path of GL_MAX_PATH bytes, its
 * key, the spaces around '=' and a short inline comment.
 */
#define GL_MAX_INI_LINE (GL_MAX_PATH + 256)

_Static_assert(GL_MAX_NODES >= 500, "the scaling benchmark needs 500 nodes");
_Static_assert(GL_ID_MAX >= 8, "ids like c1000000 must fit");
_Static_assert(GL_MAX_LINE >= 65536, "a read_ok of a normal run must fit in one line");
_Static_assert(GL_MAX_SYNC_RANGES * 2 * 20 < GL_MAX_LINE, "a full digest must fit in one line");
_Static_assert(GL_MAX_INI_LINE > GL_MAX_PATH + 16, "a 'file = PATH' line must fit");

#endif
