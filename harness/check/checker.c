/*
 * checker.c: Maelstrom's broadcast checkers, pure (no IO, no clock, no globals). The set-full
 * check follows Jepsen's set-full exactly (spec §5.1): every ok read updates every element
 * created so far. That is O(elements x reads), done with a bitset of the read's members and flat
 * arrays of per-element state, so a 25-node run (1000 elements, 1000 reads) costs ~1M cheap steps.
 */
#include "checker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "rng.h"
#include "strbuf.h"

#include "banned.h"

const double quantile_points[QUANTILE_N] = { 0.0, 0.5, 0.95, 0.99, 1.0 };

enum validity validity_merge(enum validity a, enum validity b)
{
    if (a == VALID_FALSE || b == VALID_FALSE) return VALID_FALSE;
    if (a == VALID_UNKNOWN || b == VALID_UNKNOWN) return VALID_UNKNOWN;
    return VALID_TRUE;
}

int validity_exit_status(enum validity v)
{
    return v == VALID_TRUE ? 0 : v == VALID_FALSE ? 1 : 2;
}

void results_init(struct results *r)
{
    memset(r, 0, sizeof(*r));
}

void results_release(struct results *r)
{
    for (size_t i = 0; i < r->n_exceptions; i++)
        free(r->exceptions[i].class_name);
    free(r->exceptions);
    free(r->lost.v);
    free(r->stale.v);
    free(r->never_read.v);
    history_free(r->ops);
    convergence_release(&r->convergence);
    memset(r, 0, sizeof(*r));
}

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

/*
 * Per-element state in creation order (spec §5.1), as parallel arrays so the per-read loop
 * streams through them: the last present / absent read invocation is kept as its :index (-1 for
 * none) and mapped back to its history position at the end through inv_pos.
 */
struct setfull {
    const struct history *h;
    size_t n, cap;
    int64_t *value;
    size_t *known;      /* history position, or NONE */
    int64_t *lp, *la;   /* :index of the last present / absent read invocation, or -1 */
    uint64_t *present;  /* bitset: members of the read being applied */
    uint64_t *is_known; /* bitset: known != NONE */
    size_t *direct;     /* element of value v, for 0 <= v < ndirect (NONE: not created) */
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
    /* Six arrays grow in step (s->cap elements, the two bitsets s->cap / 64 words): each gets a
     * copy of the old capacity, and s->cap moves only once all of them fit. */
    size_t c[4] = { s->cap, s->cap, s->cap, s->cap }, w[2] = { old_words, old_words };
    if (GL_GROW(s->value, ncap, c[0]) != 0 || GL_GROW(s->known, ncap, c[1]) != 0 ||
        GL_GROW(s->lp, ncap, c[2]) != 0 || GL_GROW(s->la, ncap, c[3]) != 0 ||
        GL_GROW(s->present, words, w[0]) != 0 || GL_GROW(s->is_known, words, w[1]) != 0)
        return -1;
    memset(s->present + old_words, 0, (words - old_words) * sizeof(*s->present));
    memset(s->is_known + old_words, 0, (words - old_words) * sizeof(*s->is_known));
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

static int add_invoke(struct setfull *s, int64_t v)
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

/* Runs spec §5.1 over the history. */
static int setfull_scan(struct setfull *s)
{
    for (size_t pos = 0; pos < history_len(s->h); pos++) {
        const struct hist_op *op = history_op(s->h, pos);
        if (op->process < 0) continue;
        if (op->f == HF_BROADCAST && op->vkind == HV_INT) {
            if (op->type == HT_INVOKE && add_invoke(s, op->value) != 0) return -1;
            size_t e = elem_of(s, op->value);
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
            if (op->type == HT_OK && inv != NONE) read_ok(s, pos, history_op(s->h, inv)->index);
        }
    }
    return 0;
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
    if (rc == 0) qsort(j, n, sizeof(*j), cmp_value);
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

static int check_workload(const struct history *h, struct results *r)
{
    struct setfull s;
    memset(&s, 0, sizeof(s));
    s.h = h;
    int rc = setfull_scan(&s);
    if (rc == 0) rc = setfull_results(&s, r);
    free(s.value);
    free(s.known);
    free(s.lp);
    free(s.la);
    free(s.present);
    free(s.is_known);
    free(s.direct);
    imap_release(&s.by_value);
    imap_release(&s.reads);
    imap_release(&s.inv_pos);
    return rc;
}

/* ---- :stats, :availability, :net, :exceptions --------------------------------------------- */

static void count_into(struct stats_counts *c, enum hist_type t)
{
    c->present = true;
    c->count++;
    c->ok_count += t == HT_OK;
    c->fail_count += t == HT_FAIL;
    c->info_count += t == HT_INFO;
}

/* Spec §4.2: client completions, overall and by :f; an :f is valid iff it has an :ok. */
static void check_stats(const struct history *h, struct results *r)
{
    for (size_t i = 0; i < history_len(h); i++) {
        const struct hist_op *op = history_op(h, i);
        if (op->process < 0 || op->type == HT_INVOKE) continue;
        count_into(&r->stats, op->type);
        if (op->f == HF_BROADCAST) count_into(&r->by_broadcast, op->type);
        if (op->f == HF_READ) count_into(&r->by_read, op->type);
    }
    r->stats.present = true;
    r->by_broadcast.valid = r->by_broadcast.ok_count > 0;
    r->by_read.valid = r->by_read.ok_count > 0;
    r->stats.valid = (!r->by_broadcast.present || r->by_broadcast.valid) &&
                     (!r->by_read.present || r->by_read.valid);
}

uint64_t checker_op_count(const struct history *h)
{
    uint64_t n = 0;
    for (size_t i = 0; i < history_len(h); i++) {
        const struct hist_op *op = history_op(h, i);
        n += op->type == HT_INVOKE && op->process >= 0;
    }
    return n;
}

/* Spec §4.3. */
static void check_availability(const struct history *h, const struct checker_opts *o,
                               struct results *r)
{
    uint64_t oks = 0, invokes = 0;
    for (size_t i = 0; i < history_len(h); i++) {
        const struct hist_op *op = history_op(h, i);
        oks += op->type == HT_OK;
        invokes += op->type == HT_INVOKE;
    }
    r->ok_fraction = invokes ? (float)((double)oks / (double)invokes) : 1.0f;
    r->avail_valid = true;
    if (o->avail == AVAIL_TOTAL) r->avail_valid = r->ok_fraction == 1.0f;
    if (o->avail == AVAIL_FRACTION) r->avail_valid = (double)r->ok_fraction >= o->avail_min;
}

/* Spec §4.1. */
static void check_net(const struct history *h, const struct net_counts *net, struct results *r)
{
    r->has_net = true;
    r->net = *net;
    uint64_t ops = checker_op_count(h);
    r->has_msgs_per_op = ops > 0;
    if (ops) {
        r->msgs_per_op_all = (float)((double)net->all.msg_count / (double)ops);
        r->msgs_per_op_servers = (float)((double)net->servers.msg_count / (double)ops);
    }
}

/* Spec §5.5: :info ops with an :exception, grouped by class, most frequent first. */
static int check_exceptions(const struct history *h, struct results *r)
{
    size_t cap = 0;
    for (size_t i = 0; i < history_len(h); i++) {
        const struct hist_op *op = history_op(h, i);
        if (op->type != HT_INFO || op->exc_off == HIST_NONE) continue;
        const char *cls = history_text(h, op->exc_class_off);
        if (!cls) cls = "nil";
        size_t g = 0;
        while (g < r->n_exceptions && strcmp(r->exceptions[g].class_name, cls))
            g++;
        if (g == r->n_exceptions) {
            if (GL_GROW(r->exceptions, g + 1, cap) != 0) return -1;
            struct exception_group *x = &r->exceptions[r->n_exceptions];
            x->count = 0;
            x->example_op = history_len(r->ops);
            x->class_name = malloc(strlen(cls) + 1);
            if (!x->class_name) return -1;
            memcpy(x->class_name, cls, strlen(cls) + 1);
            r->n_exceptions++;
            if (history_copy_op(r->ops, h, i) != 0) return -1;
        }
        r->exceptions[g].count++;
    }
    /* Jepsen sorts by count ascending (stably) and reverses: ties put later groups first. */
    for (size_t i = 0; i < r->n_exceptions / 2; i++) {
        struct exception_group t = r->exceptions[i];
        r->exceptions[i] = r->exceptions[r->n_exceptions - 1 - i];
        r->exceptions[r->n_exceptions - 1 - i] = t;
    }
    for (size_t i = 1; i < r->n_exceptions; i++) {
        struct exception_group t = r->exceptions[i];
        size_t k = i;
        for (; k > 0 && r->exceptions[k - 1].count < t.count; k--)
            r->exceptions[k] = r->exceptions[k - 1];
        r->exceptions[k] = t;
    }
    return 0;
}

int checker_run(const struct history *h, const struct checker_opts *o, struct results *r, char *err,
                size_t errlen)
{
    results_init(r);
    r->ops = history_new();
    int rc = r->ops ? 0 : -1;
    if (rc == 0) rc = check_exceptions(h, r);
    if (rc == 0) rc = check_workload(h, r);
    if (rc == 0 && o->convergence) rc = convergence_run(h, o->convergence, &r->convergence);
    if (rc != 0) {
        results_release(r);
        return gl_errorf(err, errlen, "out of memory");
    }
    check_stats(h, r);
    check_availability(h, o, r);
    if (o->net) check_net(h, o->net, r);
    enum validity v = r->workload_valid;
    v = validity_merge(v, r->stats.valid ? VALID_TRUE : VALID_FALSE);
    v = validity_merge(v, r->avail_valid ? VALID_TRUE : VALID_FALSE);
    r->valid = v;
    return 0;
}
