/*
 * sync: anti-entropy ([delivery] sync_ms > 0), usable with every delivery mode and strategy.
 * A node describes the values it has known for at least sync_age_ms as a digest of intervals
 * (ranges.h: Maelstrom's values are one dense sequence, so a digest is a few pairs), "have".
 * The digest rides on a message already going to a peer at most once per sync_ms per peer, and
 * when a node has sent no digest at all for sync_ms it sends one on its own to its next sync peer
 * (round robin over its links and its parent). A node receiving a digest answers, in one repair
 * message, with exactly
 *   - the values it has known for at least 2 * sync_age_ms that the digest lacks (up to the
 *     digest's highest value: above it the sender said nothing), and
 *   - "need": the intervals of the digest it lacks itself,
 * and a node receiving "need" answers with the values it has in those intervals. Values known
 * for less than the age are left out on both sides, so values merely in flight are not
 * "repaired": a value is missing from a digest only when the sender learned it more than
 * sync_age_ms after the receiver, which normal propagation never takes. Values that arrive in a
 * repair are old by definition and join the digests at once, so a repair spreads on the next
 * round; and a node that learned something from a repair, or gave one, sends its next digest at
 * once instead of at the end of its period, so a repair spreads like an epidemic (each repair
 * starts two more rounds) and an idle, converged cluster costs one digest per node per period.
 * Repair messages carry "repair": true and no digest (a digest is never answered with one),
 * and are not recorded for re-sending: a lost repair is redone by the next digest.
 * Pure: no clock, no IO.
 */
#ifndef GL_NODE_SYNC_H
#define GL_NODE_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "msg.h"
#include "ranges.h"
#include "time.h"
#include "timers.h"

struct sync_learned {
    time_us at_us;
    int64_t v;
};

struct sync {
    time_us period_us; /* 0: off */
    time_us age_us;
    struct ranges all;         /* every value known */
    struct ranges mature;      /* known for at least age_us: the digest */
    struct ranges old;         /* known for at least 2 * age_us: what we give */
    struct sync_learned *fifo; /* values waiting to mature, in learning order */
    size_t len, cap, i_mature, i_old;
    time_us *next_digest_us; /* per peer: when a digest may ride to it again (0: at once) */
    time_us last_any_us;     /* the last digest sent to anyone */
    uint32_t *peers;         /* sync peers, round robin */
    uint32_t n_peers, next_peer, n_ids;
    struct timers *timers;
    uint32_t slot;
    bool hurry; /* a repair happened: the next round goes out at once */
    struct ranges scratch;
    uint64_t digests, repairs; /* digests sent; repair messages asked for */
};

/* What a digest or a need asks this node to send back (sync_on_receive). */
struct sync_reply {
    struct msg_values give; /* values for the peer */
    struct ranges need;     /* intervals to ask the peer for */
};

void sync_init(struct sync *s);
void sync_release(struct sync *s);
void sync_reply_init(struct sync_reply *r);
void sync_reply_release(struct sync_reply *r);

/*
 * Turns anti-entropy on (period_us > 0) for a cluster of n_ids nodes: peers[0..n) are the sync
 * peers, the round trip timer on timers' slot, first armed at now_us + period_us. Returns 0 or
 * -1 (memory). With period_us == 0 every other call does nothing.
 */
int sync_setup(struct sync *s, time_us period_us, time_us age_us, uint32_t n_ids,
               const uint32_t *peers, uint32_t n, struct timers *timers, uint32_t slot,
               time_us now_us);

static inline bool sync_enabled(const struct sync *s)
{
    return s->period_us > 0;
}

/* A value seen for the first time; repaired: it came in a repair, and is old already. */
int sync_learned(struct sync *s, int64_t v, bool repaired, time_us now_us);

/* Adds the digest to m (a broadcast_internal to peer) when one is due for peer, or always with
 * force. Returns 0 or -1 (memory). */
int sync_stamp(struct sync *s, uint32_t peer, struct msg *m, bool force, time_us now_us);

/* A broadcast_internal from a peer: what its "have" and "need" ask us to send back (reply
 * cleared first). Returns 0 or -1 (memory). */
int sync_on_receive(struct sync *s, const struct msg *in, struct sync_reply *reply, time_us now_us);

/* The round timer fired: the peer a stand-alone digest should go to now, or -1 (a digest went
 * out recently). Re-arms the timer. */
int32_t sync_on_timer(struct sync *s, time_us now_us);

#endif
