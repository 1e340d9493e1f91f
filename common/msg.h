/*
 * msg: plain message structs shared by the node, the harness and the codec. No JSON here: the
 * codec turns lines into struct msg and back. A struct msg owns its arrays (values, node ids,
 * topology); msg_release() frees them.
 */
#ifndef GL_MSG_H
#define GL_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "limits.h"

struct topo;

enum msg_type {
    MSG_INIT,
    MSG_INIT_OK,
    MSG_TOPOLOGY,
    MSG_TOPOLOGY_OK,
    MSG_BROADCAST,
    MSG_BROADCAST_OK,
    MSG_READ,
    MSG_READ_OK,
    MSG_INTERNAL,    /* "broadcast_internal": {"messages": [values...]} */
    MSG_INTERNAL_OK, /* "broadcast_internal_ok" */
    MSG_ERROR,
    MSG_OTHER, /* any other type; its name is in type_name */
};

/* Decode-time facts the harness needs to judge replies exactly as Maelstrom (spec §1.6). */
enum msg_flag {
    MSG_F_EXTRA_KEYS = 1u << 0,     /* the body had a key outside its type's closed schema */
    MSG_F_NON_INT_VALUES = 1u << 1, /* a "messages" element was not an integer (dropped) */
};

/* A growable array of integer values; owned by its struct msg. */
struct msg_values {
    int64_t *v;
    size_t n, cap;
};

struct msg {
    bool has_id; /* Maelstrom's envelope "id" (stdin lines carry one) */
    int64_t id;
    char src[GL_ID_MAX];
    char dest[GL_ID_MAX];
    enum msg_type type;
    char type_name[GL_TYPE_MAX]; /* the body's "type" as written, for every type */
    bool has_msg_id;
    int64_t msg_id;
    bool has_in_reply_to;
    int64_t in_reply_to;
    unsigned flags; /* enum msg_flag bits, set by the decoder */

    int64_t message;          /* MSG_BROADCAST */
    struct msg_values values; /* MSG_READ_OK "messages", MSG_INTERNAL "messages" */
    bool values_lent;         /* values.v is another's (msg_unpack): never freed or grown */

    /* MSG_INTERNAL's optional keys, for the node's delivery modes and anti-entropy
     * (node/delivery.h, node/sync.h); each absent unless has_* (or non-empty). */
    bool has_seq, has_base, has_ack, has_have;
    int64_t seq;            /* "seq": the link sequence number of values.v[0] (>= 1) */
    int64_t base;           /* "base": the sender still waits for acks from this number on */
    int64_t ack;            /* "ack": every number up to this one has arrived from dest */
    struct msg_values have; /* "have": the sender's digest, pairs lo, hi in increasing order */
    struct msg_values need; /* "need": pairs lo, hi the sender asks for */
    bool repair;            /* "repair": true: the values answer a digest or a need */

    char node_id[GL_ID_MAX]; /* MSG_INIT */
    char (*node_ids)[GL_ID_MAX];
    size_t n_node_ids;

    struct topo *topology; /* MSG_TOPOLOGY: owned, NULL otherwise */

    int64_t code; /* MSG_ERROR */
    char text[GL_MAX_TEXT];
};

/* Protocol name of a type ("broadcast_internal"); NULL for MSG_OTHER. */
const char *msg_type_name(enum msg_type t);

/* The type for a protocol name; MSG_OTHER when unknown. */
enum msg_type msg_type_from_name(const char *name);

void msg_init(struct msg *m);
void msg_release(struct msg *m); /* frees owned arrays; leaves *m initialised and empty */

/*
 * The cheap ends of a message, for hot paths (a struct msg is ~600 bytes; msg_init clears them
 * all): msg_drop frees the owned arrays and leaves *m to be discarded or msg_init()ed before any
 * other use; msg_disown forgets them without freeing (they were moved elsewhere), leaving the
 * scalars as they were.
 */
void msg_drop(struct msg *m);
void msg_disown(struct msg *m);

/* Deep copy; returns 0, or -1 when memory runs out (dst is then released). */
int msg_copy(struct msg *dst, const struct msg *src);

/*
 * Starts a reply of the given type to req: src/dest swapped, in_reply_to = req's msg_id.
 * *reply is msg_init()ed first, so pass an empty message (an outbox_add() slot).
 */
void msg_reply(struct msg *reply, const struct msg *req, enum msg_type type);

/*
 * Sets m's src, dest (each cut to GL_ID_MAX - 1 bytes, as snprintf would) and type with its
 * protocol name: the envelope of a message a core makes, without formatting.
 */
void msg_address(struct msg *m, const char *src, const char *dest, enum msg_type type);
/* msg_address's two halves: m's src and dest only; m's type and its protocol name only ("" for
 * MSG_OTHER, whose name the caller writes). */
void msg_set_ends(struct msg *m, const char *src, const char *dest);
void msg_set_type(struct msg *m, enum msg_type type);

int msg_values_push(struct msg_values *vals, int64_t v);

/* Sets node_ids to a copy of ids[0..n); returns 0 or -1 when memory runs out. */
int msg_set_node_ids(struct msg *m, const char (*ids)[GL_ID_MAX], size_t n);

/*
 * A message in a fraction of the room: what a message between node cores carries (its type, ids,
 * flags, broadcast value and values) with src and dest left to the holder, who knows them as
 * endpoint indices. 32 bytes instead of the ~600 of a struct msg, which matters when a
 * simulation holds a hundred thousand messages in flight: a broadcast's value or a lone value
 * (the common broadcast_internal without batching) sits in the struct itself, so reading it
 * touches no other memory. A message with anything else (another type, a type name of its own,
 * an envelope id, init's node ids, a topology, an error's code or text, the delivery modes' and
 * anti-entropy's keys, both a broadcast value and values) is kept whole in `u.full`, and so is
 * any message whose holder does not know its ids.
 */
enum msg_packed_bits {
    MSG_PK_FULL = 1u << 0, /* u.full holds the whole message */
    MSG_PK_MSG_ID = 1u << 1,
    MSG_PK_IN_REPLY_TO = 1u << 2,
};

struct msg_packed {
    uint8_t type;  /* enum msg_type */
    uint8_t flags; /* enum msg_flag */
    uint8_t bits;  /* enum msg_packed_bits */
    uint32_t n;    /* values: one in u.value, more at u.v */
    int64_t msg_id, in_reply_to;
    union {
        int64_t message;  /* a broadcast's (n == 0) */
        int64_t value;    /* the one value (n == 1) */
        int64_t *v;       /* n >= 2: malloc'd, owned */
        struct msg *full; /* MSG_PK_FULL: malloc'd, owned */
    } u;
};

static inline bool msg_packed_is_full(const struct msg_packed *p)
{
    return (p->bits & MSG_PK_FULL) != 0;
}

/*
 * Moves m into p, packed when ids_known (the holder knows m's src and dest and will give exactly
 * them to msg_unpack) and m carries nothing else; m is left owning nothing (msg_disown). 0, or -1
 * when memory ran out (m is left as it was).
 */
int msg_pack(struct msg_packed *p, struct msg *m, bool ids_known);

/*
 * Moves p into out (src and dest from the ids), leaving p empty. It never allocates: a lone
 * value is lent at *one (out->values_lent), so out must not outlive *one; whatever takes out's
 * values (msg_pack, msg_copy, msg_values_push) copies a lent one.
 */
void msg_unpack(struct msg_packed *p, struct msg *out, const char *src_id, const char *dest_id,
                int64_t *one);

/* Frees what p owns; leaves it empty. */
void msg_packed_release(struct msg_packed *p);

/*
 * Messages a core emits; the driver drains and clears it. Owns its messages. to[k] is v[k]'s
 * destination as an index in the core's cluster when the core knows it (a peer), else -1: a
 * driver whose endpoints are the cluster's in order routes by it without reading names.
 */
struct outbox {
    struct msg *v;
    int32_t *to;
    int64_t *one; /* one[k]: v[k]'s lone value when lent (outbox_lend_one) */
    size_t n, cap, cap_to, cap_one;
};

void outbox_init(struct outbox *o);
void outbox_release(struct outbox *o);
void outbox_clear(struct outbox *o); /* releases every message, keeps the array */

/* A new, msg_init()ed slot at the end, or NULL when memory runs out. */
struct msg *outbox_add(struct outbox *o);

/* outbox_add, for a message to the cluster's node of index to (-1: not known). */
struct msg *outbox_add_to(struct outbox *o, int32_t to);

/*
 * Gives the newest message (the last outbox_add) one value, lent from the outbox
 * (msg.values_lent): no array of its own to allocate and, once packed (msg_pack copies a lent
 * value), to free. Its values must not be pushed to afterwards.
 */
void outbox_lend_one(struct outbox *o, int64_t value);

/*
 * Gives m's values an array of their own when they are lent (an outbox's lone value, an
 * unpacked one): what a driver calls on an outbox message before it moves it out by copying the
 * struct (the outbox reuses what it lends). 0, or -1 when out of memory (m unchanged).
 */
int msg_own_values(struct msg *m);

#endif
