/*
 * checker_setfull.c: the set-full :workload check (spec §5.1-§5.3), pure. Jepsen's set-full
 * updates every element created so far at every ok read: O(elements x reads), 10 % of a
 * 500-node run even with a bitset of the read's members and flat per-element arrays (the
 * reference path below). A broadcast node's reads grow: each read of a process returns what the
 * previous one did and more, so an element, once in a process's reads, stays in them. The fast
 * path uses that: it reads only what each read adds to its process's previous one, and settles
 * every element's last present / last absent read from each process's last read at the end.
 * Any history not of that shape is checked by the reference path (checker_int.h).
 */
#include <stdlib.h>
#include <string.h>

#include "checker_int.h"
#include "rng.h"
#include "strbuf.h"

#include "banned.h"

/* ---- an int64 -> size_t hash map (open addressing, linear probing) ----------------------- */

struct imap {
    int64_t *keys;
    size_t *vals; /* SIZE_MAX = empty slot */
    size_t cap, n;
};

static int imap_grow(struct imap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 1024;
    int64_t *nk = malloc(ncap * sizeof(*nk));
    size_t *nv = malloc(ncap * sizeof(*nv));
    if (!nk || !nv) {
        free(nk);
        free(nv);
        return -1;
    }
    memset(nv, 0xff, ncap * sizeof(*nv));
    for (size_t i = 0; i < m->cap; i++) {
        if (m->vals[i] == SIZE_MAX) continue;
        size_t j = rng_mix64((uint64_t)m->keys[i]) & (ncap - 1);
        while (nv[j] != SIZE_MAX)
            j = (j + 1) & (ncap - 1);
        nk[j] = m->keys[i];
        nv[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = nk;
    m->vals = nv;
    m->cap = ncap;
    return 0;
}

/* The slot of key k (occupied or the empty one where it would go). */
static size_t imap_slot(const struct imap *m, int64_t k)
{
    size_t j = rng_mix64((uint64_t)k) & (m->cap - 1);
    while (m->vals[j] != SIZE_MAX && m->keys[j] != k)
        j = (j + 1) & (m->cap - 1);
    return j;
}

static size_t imap_get(const struct imap *m, int64_t k)
{
    return m->cap ? m->vals[imap_slot(m, k)] : SIZE_MAX;
}

static int imap_put(struct imap *m, int64_t k, size_t v)
{
    if ((m->n + 1) * 2 > m->cap && imap_grow(m) != 0) return -1;
    size_t j = imap_slot(m, k);
    if (m->vals[j] == SIZE_MAX) m->n++;
    m->keys[j] = k;
    m->vals[j] = v;
    return 0;
}

static void imap_del(struct imap *m, int64_t k)
{
    /* Deletion with backward-shift so probing stays correct. */
    if (!m->cap) return;
    size_t j = imap_slot(m, k);
    if (m->vals[j] == SIZE_MAX) return;
    m->vals[j] = SIZE_MAX;
    m->n--;
    for (size_t i = (j + 1) & (m->cap - 1); m->vals[i] != SIZE_MAX; i = (i + 1) & (m->cap - 1)) {
        int64_t key = m->keys[i];
        size_t val = m->vals[i];
        m->vals[i] = SIZE_MAX;
        /* One slot for both: once vals is written, a second lookup would probe past it. */
        size_t to = imap_slot(m, key);
        m->keys[to] = key;
        m->vals[to] = val;
    }
}

static void imap_release(struct imap *m)
{
    free(m->keys);
    free(m->vals);
}

/* ---- set-full ----------------------------------------------------------------------------- */

#define NONE SIZE_MAX

enum outcome {
    OUT_STABLE,
    OUT_LOST,
    OUT_NEVER_READ,
};

struct judged {
    int64_t value;
    enum outcome outcome;
    int64_t latency_ms; /* stable or lost latency */
    size_t elem;
};

/* The fast path's state of one client process: its last ok read. */
struct sf_proc {
    uint64_t *m;      /* bitset: the elements that read holds */
    size_t words;     /* of m */
    size_t members;   /* bits set in m */
    int64_t last_inv; /* :index of that read's invocation, -1 before the first */
    size_t last_pos;  /* position of that read's completion */
};

/*
 * Per-element state in creation order (spec §5.1), as parallel arrays so the per-read loop
 * streams through them: the last present / absent read invocation is kept as its :index (-1 for
 * none) and mapped back to its history position at the end through inv_pos.
 */
struct setfull {
    const struct history *h;
    size_t n, cap;
    int64_t *value;
    size_t *known;         /* history position, or NONE */
    int64_t *lp, *la;      /* :index of the last present / absent read invocation, or -1 */
    size_t *created;       /* position of the element's last add invocation */
    uint64_t *present;     /* bitset: members of the read being applied */
    uint64_t *is_known;    /* bitset: known != NONE */
    uint64_t *read_any;    /* bitset, fast path: in some process's last read */
    struct sf_proc *procs; /* fast path: the client processes, by proc_of */
    size_t nprocs, cap_procs;
    struct imap proc_of; /* process -> its index in procs */
    size_t *direct;      /* element of value v, for 0 <= v < ndirect (NONE: not created) */
    size_t ndirect;
    struct imap by_value; /* element of any other value */
    struct imap reads;    /* process -> position of its pending read invocation */
    struct imap inv_pos;  /* :index of a read invocation -> its position */
};

static int64_t op_time(const struct setfull *s, size_t pos)
{
    return history_op(s->h, pos)->time_ns;
}

static int setfull_grow(struct setfull *s)
{
    size_t ncap = s->cap ? s->cap * 2 : 1024, words = ncap / 64, old_words = s->cap / 64;
    /* Eight arrays grow in step (s->cap elements, the three bitsets s->cap / 64 words): each
     * gets a copy of the old capacity, and s->cap moves only once all of them fit. */
    size_t c[5] = { s->cap, s->cap, s->cap, s->cap, s->cap };
    size_t w[3] = { old_words, old_words, old_words };
    if (GL_GROW(s->value, ncap, c[0]) != 0 || GL_GROW(s->known, ncap, c[1]) != 0 ||
        GL_GROW(s->lp, ncap, c[2]) != 0 || GL_GROW(s->la, ncap, c[3]) != 0 ||
        GL_GROW(s->created, ncap, c[4]) != 0 || GL_GROW(s->present, words, w[0]) != 0 ||
        GL_GROW(s->is_known, words, w[1]) != 0 || GL_GROW(s->read_any, words, w[2]) != 0)
        return -1;
    memset(s->present + old_words, 0, (words - old_words) * sizeof(*s->present));
    memset(s->is_known + old_words, 0, (words - old_words) * sizeof(*s->is_known));
    memset(s->read_any + old_words, 0, (words - old_words) * sizeof(*s->read_any));
    s->cap = ncap;
    return 0;
}

/*
 * Small values go through a direct table (Maelstrom's are 0, 1, 2, ...): a value v gets a slot
 * when v < 8 * (elements + 1024), so the table stays proportional to the elements; any other
 * value goes through the hash map. A lookup tries the table, then the map.
 */
static size_t elem_of(const struct setfull *s, int64_t v)
{
    if (v >= 0 && (uint64_t)v < s->ndirect && s->direct[v] != NONE) return s->direct[v];
    return imap_get(&s->by_value, v);
}

static int elem_put(struct setfull *s, int64_t v, size_t e)
{
    uint64_t bound = 8u * ((uint64_t)s->n + 1024u);
    if (v < 0 || ((uint64_t)v >= s->ndirect && (uint64_t)v >= bound))
        return imap_put(&s->by_value, v, e);
    if ((uint64_t)v >= s->ndirect) {
        size_t old = s->ndirect;
        if (GL_GROW(s->direct, (size_t)v + 1, s->ndirect) != 0) return -1;
        memset(s->direct + old, 0xff, (s->ndirect - old) * sizeof(*s->direct));
    }
    s->direct[v] = e;
    return 0;
}

static void set_known(struct setfull *s, size_t e, size_t pos)
{
    s->known[e] = pos;
    s->is_known[e / 64] |= (uint64_t)1 << (e % 64);
}

static bool has_bit(const uint64_t *set, size_t e)
{
    return (set[e / 64] >> (e % 64)) & 1u;
}

/* An add invocation of v at pos: a new element, or (a value added again) its state reset. */
static int add_invoke(struct setfull *s, int64_t v, size_t pos)
{
    size_t e = elem_of(s, v);
    if (e == NONE) {
        if (s->n == s->cap && setfull_grow(s) != 0) return -1;
        e = s->n++;
        if (elem_put(s, v, e) != 0) return -1;
    }
    /* A repeated value resets its state, as Jepsen's assoc does. */
    s->value[e] = v;
    s->known[e] = NONE;
    s->is_known[e / 64] &= ~((uint64_t)1 << (e % 64));
    s->lp[e] = s->la[e] = -1;
    s->created[e] = pos;
    return 0;
}

static void mark(struct setfull *s, const int64_t *vals, size_t nv)
{
    for (size_t i = 0; i < nv; i++) {
        size_t e = elem_of(s, vals[i]);
        if (e != NONE) s->present[e / 64] |= (uint64_t)1 << (e % 64);
    }
}

/* Applies one ok read (completion at pos, invoked with :index inv) to every element. */
static void read_ok(struct setfull *s, size_t pos, int64_t inv)
{
    size_t nv;
    const int64_t *vals = history_vals(s->h, history_op(s->h, pos), &nv);
    mark(s, vals, nv);
    for (size_t base = 0; base < s->n; base += 64) {
        size_t w = base / 64, cnt = s->n - base < 64 ? s->n - base : 64;
        uint64_t all = cnt == 64 ? ~(uint64_t)0 : ((uint64_t)1 << cnt) - 1;
        uint64_t p = s->present[w] & all;
        for (uint64_t fresh = p & ~s->is_known[w]; fresh; fresh &= fresh - 1)
            s->known[base + (size_t)__builtin_ctzll(fresh)] = pos;
        s->is_known[w] |= p;
        int64_t *lp = s->lp + base, *la = s->la + base;
        if (p == all) {
            for (size_t j = 0; j < cnt; j++)
                lp[j] = lp[j] < inv ? inv : lp[j];
        } else if (p == 0) {
            for (size_t j = 0; j < cnt; j++)
                la[j] = la[j] < inv ? inv : la[j];
        } else {
            for (size_t j = 0; j < cnt; j++) {
                int64_t *t = (p >> j) & 1u ? &lp[j] : &la[j];
                *t = *t < inv ? inv : *t;
            }
        }
    }
    if (s->n) memset(s->present, 0, (s->n + 63) / 64 * sizeof(*s->present));
}

/* ---- the fast path ------------------------------------------------------------------------ */

/* fast_*: 0, -1 out of memory, or NOT_FAST: the history is not of the fast path's shape. */
#define NOT_FAST 1

static struct sf_proc *proc_get(struct setfull *s, int64_t process)
{
    size_t q = imap_get(&s->proc_of, process);
    if (q != NONE) return &s->procs[q];
    if (GL_GROW(s->procs, s->nprocs + 1, s->cap_procs) != 0 ||
        imap_put(&s->proc_of, process, s->nprocs) != 0)
        return NULL;
    s->procs[s->nprocs] = (struct sf_proc){ NULL, 0, 0, -1, 0 };
    return &s->procs[s->nprocs++];
}

/*
 * Element e joins process q's reads at the read completed at pos: the first read holding it is
 * when it became known, unless it already was; q's previous read (the last one of q without e,
 * for its reads only grow), when it came after e's add, is a read that lacked it.
 */
static void join(struct setfull *s, struct sf_proc *q, size_t e, size_t pos)
{
    uint64_t bit = (uint64_t)1 << (e % 64);
    q->m[e / 64] |= bit;
    s->read_any[e / 64] |= bit;
    q->members++;
    if (s->known[e] == NONE) set_known(s, e, pos);
    if (q->last_inv >= 0 && q->last_pos > s->created[e] && s->la[e] < q->last_inv)
        s->la[e] = q->last_inv;
}

/* One ok read (completion at pos, invoked with :index inv): what it adds joins its process. */
static int fast_read(struct setfull *s, size_t pos, int64_t inv)
{
    const struct hist_op *op = history_op(s->h, pos);
    struct sf_proc *q = proc_get(s, op->process);
    if (!q) return -1;
    if (q->last_inv >= 0 && inv <= q->last_inv) return NOT_FAST;
    size_t n = 0, base;
    const int64_t *v;
    if (q->members == 0)
        v = history_vals(s->h, op, &n); /* its earlier reads (if any) were empty */
    else if (!history_vals_suffix(s->h, op, &n, &base, &v) || base != q->last_pos)
        return NOT_FAST;
    size_t words = s->cap / 64;
    if (q->words < words) {
        size_t old = q->words;
        if (GL_GROW(q->m, words, q->words) != 0) return -1;
        memset(q->m + old, 0, (q->words - old) * sizeof(*q->m));
    }
    for (size_t i = 0; i < n; i++) {
        size_t e = elem_of(s, v[i]);
        if (e == NONE) return NOT_FAST; /* a value read before it was added */
        if (!has_bit(q->m, e)) join(s, q, e, pos);
    }
    q->last_inv = inv;
    q->last_pos = pos;
    return 0;
}

static int cmp_last_inv_desc(const void *pa, const void *pb)
{
    const struct sf_proc *a = *(const struct sf_proc *const *)pa;
    const struct sf_proc *b = *(const struct sf_proc *const *)pb;
    return a->last_inv > b->last_inv ? -1 : a->last_inv < b->last_inv;
}

/*
 * Settles what the processes' last reads say, processes by their last read's :index, largest
 * first: an element's last present read is the first of them that holds it (each of its reads
 * since the element joined did); its last absent read is the larger of what join() kept and the
 * first of them that lacks it yet came after its add (each of that process's reads lacked it).
 */
static int fast_finish(struct setfull *s)
{
    size_t words = (s->n + 63) / 64;
    struct sf_proc **order = malloc((s->nprocs ? s->nprocs : 1) * sizeof(*order));
    uint64_t *lp_done = calloc(words ? words : 1, sizeof(*lp_done));
    uint64_t *la_done = calloc(words ? words : 1, sizeof(*la_done));
    int rc = order && lp_done && la_done ? 0 : -1;
    size_t k = 0;
    for (size_t i = 0; rc == 0 && i < s->nprocs; i++)
        if (s->procs[i].last_inv >= 0) order[k++] = &s->procs[i];
    if (rc == 0) qsort(order, k, sizeof(*order), cmp_last_inv_desc);
    for (size_t i = 0; rc == 0 && i < k; i++) {
        const struct sf_proc *q = order[i];
        for (size_t w = 0; w < words; w++) {
            size_t cnt = s->n - w * 64 < 64 ? s->n - w * 64 : 64;
            uint64_t all = cnt == 64 ? ~(uint64_t)0 : ((uint64_t)1 << cnt) - 1;
            uint64_t m = w < q->words ? q->m[w] : 0;
            for (uint64_t b = m & ~lp_done[w]; b; b &= b - 1)
                s->lp[w * 64 + (size_t)__builtin_ctzll(b)] = q->last_inv;
            lp_done[w] |= m;
            for (uint64_t b = ~m & all & ~la_done[w]; b; b &= b - 1) {
                size_t e = w * 64 + (size_t)__builtin_ctzll(b);
                if (s->created[e] >= q->last_pos) continue; /* added after q's last read */
                if (s->la[e] < q->last_inv) s->la[e] = q->last_inv;
                la_done[w] |= (uint64_t)1 << (e % 64);
            }
        }
    }
    free(order);
    free(lp_done);
    free(la_done);
    return rc;
}

/* ---- the scan ------------------------------------------------------------------------------- */

/* Runs spec §5.1 over the history, the fast way or the reference one: 0, -1 or NOT_FAST. */
static int setfull_scan(struct setfull *s, bool fast)
{
    for (size_t pos = 0; pos < history_len(s->h); pos++) {
        const struct hist_op *op = history_op(s->h, pos);
        if (op->process < 0) continue;
        if (op->f == HF_BROADCAST && op->vkind == HV_INT) {
            size_t e = elem_of(s, op->value);
            if (op->type == HT_INVOKE) {
                /* The fast path knows no way back for a value read: only the reference does. */
                if (fast && e != NONE && has_bit(s->read_any, e)) return NOT_FAST;
                if (add_invoke(s, op->value, pos) != 0) return -1;
                e = elem_of(s, op->value);
            }
            if (op->type == HT_OK && e != NONE && s->known[e] == NONE) set_known(s, e, pos);
        } else if (op->f == HF_READ) {
            size_t inv = imap_get(&s->reads, op->process);
            if (op->type == HT_INVOKE) {
                if (imap_put(&s->reads, op->process, pos) != 0 ||
                    imap_put(&s->inv_pos, op->index, pos) != 0)
                    return -1;
                continue;
            }
            imap_del(&s->reads, op->process);
            /* An ok read without an invocation is ignored (Jepsen would fail on it). */
            if (op->type != HT_OK || inv == NONE) continue;
            int64_t inv_index = history_op(s->h, inv)->index;
            if (!fast) {
                read_ok(s, pos, inv_index);
                continue;
            }
            int rc = fast_read(s, pos, inv_index);
            if (rc != 0) return rc;
        }
    }
    return fast ? fast_finish(s) : 0;
}

static int64_t trunc_ms(int64_t ns)
{
    return ns > 0 ? ns / 1000000 : 0;
}

/* Outcome and latency of one element (spec §5.2). */
static struct judged judge(const struct setfull *s, size_t e)
{
    struct judged j = { s->value[e], OUT_NEVER_READ, 0, e };
    int64_t lp = s->lp[e], la = s->la[e];
    size_t known = s->known[e];
    int64_t known_index = known == NONE ? -1 : history_op(s->h, known)->index;
    if (lp >= 0 && la < lp) {
        j.outcome = OUT_STABLE;
        int64_t t = la >= 0 ? op_time(s, imap_get(&s->inv_pos, la)) + 1 : 0;
        j.latency_ms = trunc_ms(t - op_time(s, known));
    } else if (known != NONE && la >= 0 && lp < la && known_index < la) {
        j.outcome = OUT_LOST;
        int64_t t = lp >= 0 ? op_time(s, imap_get(&s->inv_pos, lp)) + 1 : 0;
        j.latency_ms = trunc_ms(t - op_time(s, known));
    }
    return j;
}

static int cmp_i64(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return a < b ? -1 : a > b;
}

/* Jepsen's frequency-distribution: sorted[min(n-1, floor(n*p))]; v is sorted here. */
static void quantiles_of(int64_t *v, size_t n, struct quantiles *q)
{
    q->present = n > 0;
    if (!n) return;
    qsort(v, n, sizeof(*v), cmp_i64);
    for (int k = 0; k < QUANTILE_N; k++) {
        double idx = (double)n * quantile_points[k];
        size_t i = idx >= (double)(n - 1) ? n - 1 : (size_t)idx;
        q->q[k] = v[i];
    }
}

/* Worst first: stable latency descending, ties larger element first (spec §5.3). */
static int cmp_worst(const void *pa, const void *pb)
{
    const struct judged *a = pa, *b = pb;
    if (a->latency_ms != b->latency_ms) return a->latency_ms > b->latency_ms ? -1 : 1;
    return a->value > b->value ? -1 : a->value < b->value;
}

static int cmp_value(const void *pa, const void *pb)
{
    const struct judged *a = pa, *b = pb;
    return a->value < b->value ? -1 : a->value > b->value;
}

static int list_push(struct int_list *l, int64_t v, size_t cap)
{
    if (!l->v && !(l->v = malloc((cap ? cap : 1) * sizeof(*l->v)))) return -1;
    l->v[l->n++] = v;
    return 0;
}

static int worst_stale(const struct setfull *s, struct judged *stale, size_t n, struct results *r)
{
    qsort(stale, n, sizeof(*stale), cmp_worst);
    for (size_t i = 0; i < n && i < WORST_STALE_MAX; i++) {
        size_t e = stale[i].elem;
        struct stale_entry *w = &r->worst_stale[r->n_worst_stale++];
        w->element = stale[i].value;
        w->stable_latency_ms = stale[i].latency_ms;
        w->known_op = history_len(r->ops);
        w->last_absent_op = w->known_op + 1;
        if (history_copy_op(r->ops, s->h, s->known[e]) != 0 ||
            history_copy_op(r->ops, s->h, imap_get(&s->inv_pos, s->la[e])) != 0)
            return -1;
    }
    return 0;
}

/* Spec §5.2-§5.3 from the scanned state into r. */
static int setfull_results(const struct setfull *s, struct results *r)
{
    size_t n = s->n;
    struct judged *j = malloc((n ? n : 1) * sizeof(*j));
    int64_t *stable_lat = malloc((n ? n : 1) * sizeof(*stable_lat));
    int64_t *lost_lat = malloc((n ? n : 1) * sizeof(*lost_lat));
    struct judged *stale = malloc((n ? n : 1) * sizeof(*stale));
    int rc = j && stable_lat && lost_lat && stale ? 0 : -1;
    size_t ns = 0, nl = 0, nst = 0;
    for (size_t e = 0; rc == 0 && e < n; e++)
        j[e] = judge(s, e);
    /* Elements are in creation order: Maelstrom's values, 0, 1, 2, ..., are sorted already. */
    bool sorted = true;
    for (size_t e = 1; rc == 0 && sorted && e < n; e++)
        sorted = j[e - 1].value < j[e].value;
    if (rc == 0 && !sorted) qsort(j, n, sizeof(*j), cmp_value);
    for (size_t e = 0; rc == 0 && e < n; e++) {
        if (j[e].outcome == OUT_STABLE) {
            stable_lat[ns++] = j[e].latency_ms;
            if (j[e].latency_ms > 0) {
                stale[nst++] = j[e];
                rc = list_push(&r->stale, j[e].value, n);
            }
        } else if (j[e].outcome == OUT_LOST) {
            lost_lat[nl++] = j[e].latency_ms;
            rc = list_push(&r->lost, j[e].value, n);
        } else {
            rc = list_push(&r->never_read, j[e].value, n);
        }
    }
    if (rc == 0) {
        r->has_workload = true;
        r->attempt_count = n;
        r->stable_count = ns;
        quantiles_of(stable_lat, ns, &r->stable_latencies);
        quantiles_of(lost_lat, nl, &r->lost_latencies);
        r->workload_valid = nl ? VALID_FALSE : ns ? VALID_TRUE : VALID_UNKNOWN;
        rc = worst_stale(s, stale, nst, r);
    }
    free(j);
    free(stable_lat);
    free(lost_lat);
    free(stale);
    return rc;
}

static void setfull_release(struct setfull *s)
{
    free(s->value);
    free(s->known);
    free(s->lp);
    free(s->la);
    free(s->created);
    free(s->present);
    free(s->is_known);
    free(s->read_any);
    free(s->direct);
    for (size_t i = 0; i < s->nprocs; i++)
        free(s->procs[i].m);
    free(s->procs);
    imap_release(&s->by_value);
    imap_release(&s->reads);
    imap_release(&s->inv_pos);
    imap_release(&s->proc_of);
    memset(s, 0, sizeof(*s));
}

int checker_setfull(const struct history *h, enum setfull_path want, struct results *r,
                    enum setfull_path *used)
{
    struct setfull s;
    memset(&s, 0, sizeof(s));
    s.h = h;
    bool fast = want != SETFULL_REFERENCE;
    int rc = setfull_scan(&s, fast);
    if (rc == NOT_FAST) {
        setfull_release(&s);
        s.h = h;
        fast = false;
        rc = setfull_scan(&s, false);
    }
    if (used) *used = fast ? SETFULL_FAST : SETFULL_REFERENCE;
    if (rc == 0) rc = setfull_results(&s, r);
    setfull_release(&s);
    return rc;
}
