/*
 * core: the broadcast node as a pure state machine (see core.h for the contract). Sans-IO: it
 * never reads a clock, never calls rand(), never prints and holds no globals; time comes in as
 * now_us and everything it wants to say goes into the caller's outbox.
 *
 * The core is the glue between four seams, each its own module:
 *   route     (common/route.h)  where a value goes: the out-links of this node and their roles;
 *   batch     (batch.h)         when it goes: per-peer pending lists, a flush schedule per
 *                               direction of a link;
 *   delivery  (delivery.h)      how it is made sure to arrive: fire-and-forget, acks, cumulative;
 *   sync      (sync.h)          anti-entropy digests and repairs, with any delivery mode;
 * and every timer of all four lives on one heap (timers.h). The core itself holds the cluster
 * (ids from init and a name -> index hash), the values (valset) and the message handlers.
 *
 * Timer slots: 0 .. BATCH_DIRS - 1 the batch schedules, SLOT_SYNC the anti-entropy round, then
 * the delivery mode's slots (delivery_slots()).
 */
#include "core.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"
#include "errmsg.h"
#include "strbuf.h"

#include "banned.h"

/* ---- small helpers ---------------------------------------------------------------------- */

static void set_err(char *err, size_t errlen, const char *what)
{
    if (err && errlen) snprintf(err, errlen, "%s", what);
}

/* ---- outgoing messages ------------------------------------------------------------------ */

/* A message from src to dest, dest being the cluster's node of index to (-1: not a node). */
static struct msg *new_msg(struct outbox *out, const char *src, const char *dest, int32_t to,
                           enum msg_type type)
{
    struct msg *m = outbox_add_to(out, to);
    if (!m) return NULL;
    msg_address(m, src, dest, type);
    return m;
}

/* Our id once initialised; before that, whatever the request was addressed to. */
static const char *reply_src(const struct node *n, const struct msg *req)
{
    return n->initialised ? n->self : req->dest;
}

/* A reply to req, whose sender is the cluster's node of index from (-1: not a node). */
static struct msg *new_reply_to(struct node *n, struct outbox *out, const struct msg *req,
                                int32_t from, enum msg_type type)
{
    struct msg *m = new_msg(out, reply_src(n, req), req->src, from, type);
    if (!m) return NULL;
    m->has_in_reply_to = req->has_msg_id;
    m->in_reply_to = req->msg_id;
    return m;
}

static struct msg *new_reply(struct node *n, struct outbox *out, const struct msg *req,
                             enum msg_type type)
{
    return new_reply_to(n, out, req, -1, type);
}

/* An error reply; nothing when the request has no msg_id (nobody could match the answer). */
static int reply_error(struct node *n, struct outbox *out, const struct msg *req, int64_t code,
                       const char *text)
{
    if (!req->has_msg_id) return 0;
    struct msg *m = new_reply(n, out, req, MSG_ERROR);
    if (!m) return -1;
    m->code = code;
    snprintf(m->text, sizeof m->text, "%s", text);
    n->stats.errors_sent++;
    return 0;
}

/* ---- sending ------------------------------------------------------------------------------ */

/*
 * One broadcast_internal to peer carrying vals[0..count) (and need, for a repair), stamped by
 * the delivery mode and, where due, carrying the anti-entropy digest.
 */
static int emit(struct node *n, uint32_t peer, const int64_t *vals, size_t count,
                const struct ranges *need, enum emit_kind kind, time_us now_us)
{
    struct msg *m = new_msg(n->out, n->self, core_dest_name(n, peer), (int32_t)peer, MSG_INTERNAL);
    if (!m) return -1;
    if (count == 1)
        outbox_lend_one(n->out, vals[0]); /* the common case: no array to allocate */
    else
        for (size_t k = 0; k < count; k++)
            if (msg_values_push(&m->values, vals[k]) != 0) return -1;
    for (size_t k = 0; need && k < 2 * need->n; k++)
        if (msg_values_push(&m->need, need->v[k]) != 0) return -1;
    m->repair = kind == EMIT_REPAIR;
    n->stats.internal_sent++;
    if (kind == EMIT_REPAIR) n->stats.repairs_sent++;
    if (delivery_on_send(&n->delivery, peer, m, kind == EMIT_DATA, now_us) != 0) return -1;
    return sync_enabled(&n->sync) ? sync_stamp(&n->sync, peer, m, kind == EMIT_DIGEST, now_us) : 0;
}

/* Sends a peer's pending list (split at GL_MAX_BATCH_VALUES) and empties it. */
static int flush_peer(struct node *n, struct batch_peer *p, time_us now_us)
{
    size_t count;
    const int64_t *v = batch_pending(p, &count);
    int rc = 0;
    for (size_t off = 0; off < count && rc == 0; off += GL_MAX_BATCH_VALUES) {
        size_t left = count - off;
        rc = emit(n, p->peer, v + off, left < GL_MAX_BATCH_VALUES ? left : GL_MAX_BATCH_VALUES,
                  NULL, EMIT_DATA, now_us);
    }
    batch_clear(p);
    return rc;
}

/*
 * Flushes every pending list whose schedule is due (bit d of due_dirs) or immediate, in the
 * order the peers got their first pending value, then forgets the ticks of schedules left with
 * nothing pending (an idle node has no deadline). Without periods no tick is ever armed, and a
 * node with nothing pending has nothing to do.
 */
static int flush_due(struct node *n, unsigned due_dirs, time_us now_us)
{
    int rc = 0;
    struct batch *b = &n->batch;
    if (b->n_dirty == 0 && !b->timed) return 0;
    for (uint32_t d = 0; d < b->n_dirty && rc == 0; d++) {
        struct batch_peer *p = batch_dirty(b, d);
        if ((due_dirs & (1u << p->dir)) || batch_immediate(b, (enum batch_dir)p->dir))
            rc = flush_peer(n, p, now_us);
    }
    batch_compact(b);
    if (!b->timed) return rc;
    unsigned busy = 0;
    for (uint32_t d = 0; d < b->n_dirty; d++)
        busy |= 1u << batch_dirty(b, d)->dir;
    for (unsigned dir = 0; dir < BATCH_DIRS; dir++)
        if (!(busy & (1u << dir))) timers_disarm(&n->timers, dir);
    return rc;
}

/* Queues v for peer; a peer whose list reaches the size trigger is sent at once. */
static int enqueue(struct node *n, uint32_t peer, int64_t v, time_us now_us)
{
    int rc = batch_add(&n->batch, peer, v, now_us);
    if (rc == 1) rc = flush_peer(n, batch_peer_of(&n->batch, peer), now_us);
    return rc;
}

/* The delivery port (core_int.h): a retry puts values back on the pending list. */
int core_requeue(void *ctx, uint32_t peer, const int64_t *vals, size_t count, time_us now_us)
{
    struct node *n = ctx;
    for (size_t k = 0; k < count; k++)
        if (enqueue(n, peer, vals[k], now_us) != 0) return -1;
    return 0;
}

/* The delivery port: a stand-alone ack. */
int core_send_bare(void *ctx, uint32_t peer, time_us now_us)
{
    struct node *n = ctx;
    n->stats.acks_sent++;
    return emit(n, peer, NULL, 0, NULL, EMIT_BARE, now_us);
}

/* ---- routing ----------------------------------------------------------------------------- */

/*
 * Stores v; routes it when new. client: it came in a client broadcast; otherwise from a peer,
 * whose index is from (-1 when the sender is not a node of the cluster); repaired: it came in a
 * repair. Returns 0, or -1 with err (limit or memory).
 */
static int learn(struct node *n, int64_t v, bool client, int32_t from, bool repaired,
                 time_us now_us, char *err, size_t errlen)
{
    switch (valset_add(&n->values, v)) {
    case VALSET_NEW: {
        size_t k =
            client ? route_client(&n->route, n->targets) : route_relay(&n->route, from, n->targets);
        int rc = sync_enabled(&n->sync) ? sync_learned(&n->sync, v, repaired, now_us) : 0;
        for (size_t t = 0; t < k && rc == 0; t++)
            rc = enqueue(n, n->targets[t], v, now_us);
        if (rc == 0) return 0;
        set_err(err, errlen, "out of memory queueing a value");
        return -1;
    }
    case VALSET_DUP:
        n->stats.duplicates++;
        return 0;
    case VALSET_FULL:
        return gl_errorf(err, errlen, "value limit GL_MAX_VALUES (%u) reached: dropping %lld",
                         (unsigned)GL_MAX_VALUES, (long long)v);
    case VALSET_NOMEM:
        break;
    }
    set_err(err, errlen, "out of memory storing a value");
    return -1;
}

/* ---- message handlers -------------------------------------------------------------------- */

static int on_init(struct node *n, time_us now_us, const struct msg *in, struct outbox *out,
                   char *err, size_t errlen)
{
    char why[GL_MAX_TEXT];
    if (n->initialised) {
        snprintf(why, sizeof why, "init: already initialised as '%s'", n->self);
        set_err(err, errlen, why);
        reply_error(n, out, in, ERR_PRECONDITION_FAILED, why);
        return -1;
    }
    int64_t code;
    if (core_set_cluster(n, now_us, in, &code, why, sizeof why) != 0) {
        core_forget_cluster(n);
        set_err(err, errlen, why);
        reply_error(n, out, in, code, why);
        return -1;
    }
    n->initialised = true;
    if (new_reply(n, out, in, MSG_INIT_OK)) return 0;
    set_err(err, errlen, "out of memory");
    return -1;
}

/* True when t names at least one node of the cluster (as a key or as a neighbour). */
static bool names_a_node(const struct node *n, const struct topo *t)
{
    for (uint32_t j = 0; j < t->n; j++)
        if (core_peer_find(n, t->nodes[j].name) >= 0) return true;
    return false;
}

static int on_topology(struct node *n, time_us now_us, const struct msg *in, struct outbox *out,
                       char *err, size_t errlen)
{
    /*
     * A map that names none of our nodes was meant for another cluster (or is empty): whatever
     * the strategy, adopting or acknowledging it would hide the mistake.
     */
    if (in->topology && !names_a_node(n, in->topology)) {
        char why[GL_MAX_TEXT];
        snprintf(why, sizeof why,
                 "topology names no node of this cluster (%u names, none of %u ids)",
                 in->topology->n, n->n_ids);
        set_err(err, errlen, why);
        reply_error(n, out, in, ERR_MALFORMED_REQUEST, why);
        return -1;
    }
    /* Only the maelstrom strategy listens; the others answer and keep their own routes. Its
     * links are all flood links, so the batcher's schedules stay as they are. */
    if (n->cfg.strategy == CFG_STRATEGY_MAELSTROM && in->topology) {
        char why[GL_MAX_TEXT];
        if (core_adopt_map(n, in->topology, now_us, why, sizeof why) != 0) {
            set_err(err, errlen, why);
            reply_error(n, out, in, ERR_CRASH, why);
            return -1;
        }
    }
    if (new_reply(n, out, in, MSG_TOPOLOGY_OK)) return 0;
    set_err(err, errlen, "out of memory");
    return -1;
}

static int on_broadcast(struct node *n, time_us now_us, const struct msg *in, struct outbox *out,
                        char *err, size_t errlen)
{
    char why[GL_MAX_TEXT];
    if (learn(n, in->message, true, -1, false, now_us, why, sizeof why) != 0) {
        set_err(err, errlen, why);
        reply_error(n, out, in, ERR_CRASH, why);
        return -1;
    }
    if (new_reply(n, out, in, MSG_BROADCAST_OK)) return 0;
    set_err(err, errlen, "out of memory");
    return -1;
}

static int on_read(struct node *n, const struct msg *in, struct outbox *out, char *err,
                   size_t errlen)
{
    struct msg *m = new_reply(n, out, in, MSG_READ_OK);
    if (m && n->values.n > 0) {
        m->values.v = malloc(n->values.n * sizeof *m->values.v);
        if (m->values.v) {
            valset_copy(&n->values, m->values.v);
            m->values.n = m->values.cap = n->values.n;
        }
    }
    if (m && (n->values.n == 0 || m->values.v)) return 0;
    set_err(err, errlen, "out of memory");
    return -1;
}

/*
 * Why a broadcast_internal cannot be taken, or NULL: it is node-to-node only, and all or none of
 * its values are stored (the codec drops elements that are not integers and flags the message).
 */
static const char *internal_refusal(const struct msg *in, int32_t from, char *why, size_t whylen)
{
    if (from < 0) {
        snprintf(why, whylen,
                 "broadcast_internal from '%s', which is not a node of this cluster: only nodes "
                 "send it",
                 in->src);
        return why;
    }
    if (in->flags & MSG_F_NON_INT_VALUES) {
        snprintf(why, whylen,
                 "broadcast_internal: body.messages holds an element that is not an integer; "
                 "none of its values is stored");
        return why;
    }
    return NULL;
}

/*
 * The values of a peer's broadcast_internal. It is acknowledged first (when it asks, by
 * carrying a msg_id), even when a value hits the limit: a re-send would not fit either. One
 * that cannot be taken at all (internal_refusal) is answered with error 12 instead. The
 * delivery mode notes what it acknowledges and carries; a digest or need in it is answered with
 * one repair message.
 */
static int on_internal(struct node *n, time_us now_us, const struct msg *in, int32_t from,
                       struct outbox *out, char *err, size_t errlen)
{
    int rc = 0;
    char why[GL_MAX_TEXT];
    if (internal_refusal(in, from, why, sizeof why)) {
        set_err(err, errlen, why);
        reply_error(n, out, in, ERR_MALFORMED_REQUEST, why);
        return -1;
    }
    if (in->has_msg_id && !new_reply_to(n, out, in, from, MSG_INTERNAL_OK)) {
        set_err(err, errlen, "out of memory");
        return -1;
    }
    if (in->has_msg_id) n->stats.internal_ok_sent++;
    if (delivery_on_receive(&n->delivery, (uint32_t)from, in, now_us) != 0) {
        set_err(err, errlen, "out of memory");
        return -1;
    }
    for (size_t k = 0; k < in->values.n && rc == 0; k++)
        rc = learn(n, in->values.v[k], false, from, in->repair, now_us, err, errlen);
    if (rc != 0 || !sync_enabled(&n->sync)) return rc;
    if (sync_on_receive(&n->sync, in, &n->reply, now_us) == 0 &&
        (n->reply.give.n == 0 && n->reply.need.n == 0
             ? 0
             : emit(n, (uint32_t)from, n->reply.give.v, n->reply.give.n, &n->reply.need,
                    EMIT_REPAIR, now_us)) == 0)
        return 0;
    set_err(err, errlen, "out of memory answering a digest");
    return -1;
}

static int on_internal_ok(struct node *n, time_us now_us, const struct msg *in, int32_t from)
{
    if (from < 0) return 0;
    return delivery_on_ok(&n->delivery, (uint32_t)from, in, now_us);
}

/*
 * One message, its ends resolved at the boundary (node_on_message by name, node_on_message_at by
 * the driver's indices): from is the sender's index in the cluster or -1, for_me whether dest is
 * this node (read only once initialised).
 */
static int dispatch(struct node *n, time_us now_us, const struct msg *in, int32_t from, bool for_me,
                    struct outbox *out, char *err, size_t errlen)
{
    char why[GL_MAX_TEXT];
    /*
     * A message for another node is dropped unanswered (a reply would speak for that node);
     * err says so for the driver's log. Before init we do not know who we are.
     */
    if (n->initialised && !for_me) {
        return gl_errorf(err, errlen, "dropped a '%s' message from '%s' to '%s': this node is '%s'",
                         in->type_name, in->src, in->dest, n->self);
    }
    if (in->type == MSG_INIT) return on_init(n, now_us, in, out, err, errlen);
    switch (in->type) {
    case MSG_INIT_OK:
    case MSG_TOPOLOGY_OK:
    case MSG_BROADCAST_OK:
    case MSG_READ_OK:
    case MSG_ERROR:
        return 0; /* replies need no answer; answering them could loop */
    case MSG_OTHER:
        snprintf(why, sizeof why, "unsupported message type '%s'", in->type_name);
        return reply_error(n, out, in, ERR_NOT_SUPPORTED, why);
    case MSG_INIT:
    case MSG_TOPOLOGY:
    case MSG_BROADCAST:
    case MSG_READ:
    case MSG_INTERNAL:
    case MSG_INTERNAL_OK:
        break;
    }
    if (!n->initialised)
        return reply_error(n, out, in, ERR_TEMPORARILY_UNAVAILABLE, "not initialised yet");
    switch (in->type) {
    case MSG_TOPOLOGY:
        return on_topology(n, now_us, in, out, err, errlen);
    case MSG_BROADCAST:
        return on_broadcast(n, now_us, in, out, err, errlen);
    case MSG_READ:
        return on_read(n, in, out, err, errlen);
    case MSG_INTERNAL:
        return on_internal(n, now_us, in, from, out, err, errlen);
    case MSG_INTERNAL_OK:
        if (on_internal_ok(n, now_us, in, from) == 0) return 0;
        set_err(err, errlen, "out of memory");
        return -1;
    case MSG_INIT:
    case MSG_INIT_OK:
    case MSG_TOPOLOGY_OK:
    case MSG_BROADCAST_OK:
    case MSG_READ_OK:
    case MSG_ERROR:
    case MSG_OTHER:
        break;
    }
    return 0;
}

/* ---- public API -------------------------------------------------------------------------- */

/* The end of every call: counters kept by the seams copied in, stale timers dropped. */
static void end_call(struct node *n)
{
    n->stats.retries = n->delivery.retries;
    n->stats.digests_sent = n->sync.digests;
    timers_settle(&n->timers);
    n->out = NULL;
}

static int on_message(struct node *n, time_us now_us, const struct msg *in, int32_t from,
                      bool for_me, struct outbox *out, char *err, size_t errlen)
{
    n->out = out;
    int rc = dispatch(n, now_us, in, from, for_me, out, err, errlen);
    if (n->initialised && flush_due(n, 0, now_us) != 0 && rc == 0) {
        set_err(err, errlen, "out of memory sending");
        rc = -1;
    }
    end_call(n);
    return rc;
}

int node_on_message(struct node *n, time_us now_us, const struct msg *in, struct outbox *out,
                    char *err, size_t errlen)
{
    bool for_me = n->initialised && strcmp(in->dest, n->self) == 0;
    return on_message(n, now_us, in, n->initialised ? core_peer_find(n, in->src) : -1, for_me, out,
                      err, errlen);
}

int node_on_message_at(struct node *n, time_us now_us, const struct msg *in, int32_t src,
                       int32_t dest, struct outbox *out, char *err, size_t errlen)
{
    if (!n->initialised) return node_on_message(n, now_us, in, out, err, errlen); /* init */
    assert(src < (int32_t)n->n_ids && dest < (int32_t)n->n_ids);
    return on_message(n, now_us, in, src, dest == (int32_t)n->self_idx, out, err, errlen);
}

uint32_t node_cluster_size(const struct node *n)
{
    return n->initialised ? n->n_ids : 0;
}

const char *node_cluster_id(const struct node *n, uint32_t k, char buf[GL_ID_MAX])
{
    assert(k < node_cluster_size(n));
    return core_peer_name(n, k, buf);
}

int node_reply_malformed(struct node *n, const struct msg *req, const char *why, struct outbox *out)
{
    return reply_error(n, out, req, ERR_MALFORMED_REQUEST, why);
}

void node_on_tick(struct node *n, time_us now_us, struct outbox *out)
{
    if (!n->initialised) return;
    n->out = out;
    /* Every due timer first (retries put values back on pending lists), then one flush of the
     * due schedules, so values handed back on a tick leave with it. Out of memory here cannot be
     * answered to anyone; what stays pending goes with a later flush. */
    unsigned due = 0;
    uint32_t slot;
    int rc = 0;
    while (rc == 0 && timers_pop_due(&n->timers, now_us, &slot)) {
        if (slot < BATCH_DIRS) {
            due |= 1u << slot;
        } else if (slot == SLOT_SYNC) {
            int32_t peer = sync_on_timer(&n->sync, now_us);
            if (peer >= 0) rc = emit(n, (uint32_t)peer, NULL, 0, NULL, EMIT_DIGEST, now_us);
        } else {
            rc = delivery_on_timer(&n->delivery, slot, now_us);
        }
    }
    /* A schedule that ticks now flushes too, armed or not: values a retry handed back this
     * very moment leave with the tick, as they would with one ticker for every direction. */
    for (unsigned d = 0; due && d < BATCH_DIRS; d++)
        if (n->batch.period_us[d] && now_us > 0 &&
            batch_next_tick_us(&n->batch, (enum batch_dir)d, now_us - 1) == now_us)
            due |= 1u << d;
    flush_due(n, due, now_us);
    end_call(n);
}

time_us node_next_deadline_us(const struct node *n)
{
    return n->initialised ? timers_next_us(&n->timers) : TIME_NEVER;
}

void node_set_start_us(struct node *n, time_us start_us)
{
    n->start_us = start_us;
}

const char *node_id(const struct node *n)
{
    return n->self;
}

size_t node_value_count(const struct node *n)
{
    return n->values.n;
}

void node_values_copy(const struct node *n, int64_t *out)
{
    valset_copy(&n->values, out);
}

const struct node_stats *node_get_stats(const struct node *n)
{
    return &n->stats;
}
