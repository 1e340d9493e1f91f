/*
 * check_node_input: proves that the node core refuses input it must not act on, each refusal
 * with the documented reply (or none) and a reason for the driver's log (-1 and err), and that
 * nothing of a refused message is stored: a broadcast_internal holding an element that is not an
 * integer (error 12, none of its values kept), one from a client or an unknown node (error 12),
 * a message addressed to another node (dropped unanswered), a topology naming no node of the
 * cluster (error 12, whatever the strategy). The messages are decoded from Maelstrom lines by the
 * codec, exactly as broadcast-node does.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "check_run.h"
#include "codec.h"
#include "core.h"
#include "msg.h"

/* One node n1 of n0..n2, initialised, its replies in out. */
struct fixture {
    struct node *n;
    struct outbox out;
    char err[512];
};

/* Feeds one line to the node; returns node_on_message's status. The outbox is cleared first. */
static int feed(struct fixture *f, const char *line)
{
    struct msg m;
    char why[256];
    ck_assert_msg(codec_decode(line, strlen(line), &m, why, sizeof why) == CODEC_OK, "%s: %s", line,
                  why);
    outbox_clear(&f->out);
    f->err[0] = '\0';
    int rc = node_on_message(f->n, 0, &m, &f->out, f->err, sizeof f->err);
    msg_release(&m);
    return rc;
}

static void setup(struct fixture *f, enum cfg_strategy strategy)
{
    struct cfg cfg;
    cfg_defaults(&cfg);
    cfg.strategy = strategy;
    f->n = node_new(&cfg, NULL, f->err, sizeof f->err);
    ck_assert_msg(f->n != NULL, "%s", f->err);
    outbox_init(&f->out);
    ck_assert_int_eq(feed(f,
                          "{\"src\":\"c0\",\"dest\":\"n1\",\"body\":{\"type\":\"init\","
                          "\"node_id\":\"n1\",\"node_ids\":[\"n0\",\"n1\",\"n2\"],\"msg_id\":1}}"),
                     0);
    ck_assert_uint_eq(f->out.n, 1);
    ck_assert_int_eq(f->out.v[0].type, MSG_INIT_OK);
}

static void teardown(struct fixture *f)
{
    outbox_release(&f->out);
    node_free(f->n);
}

/* The one reply in the outbox is error `code` to `dest`, in reply to msg_id, its text `text`. */
static void expect_error(const struct fixture *f, int64_t code, const char *dest, int64_t msg_id,
                         const char *text)
{
    ck_assert_uint_eq(f->out.n, 1);
    const struct msg *r = &f->out.v[0];
    ck_assert_int_eq(r->type, MSG_ERROR);
    ck_assert_int_eq(r->code, code);
    ck_assert_str_eq(r->src, "n1");
    ck_assert_str_eq(r->dest, dest);
    ck_assert(r->has_in_reply_to);
    ck_assert_int_eq(r->in_reply_to, msg_id);
    ck_assert_str_eq(r->text, text);
    ck_assert_str_eq(f->err, text); /* the same reason for the log */
}

/* The node's values, as "1,2,3". */
static const char *values(const struct fixture *f)
{
    static char buf[256];
    int64_t v[64];
    size_t n = node_value_count(f->n);
    ck_assert_uint_le(n, 64);
    node_values_copy(f->n, v);
    buf[0] = '\0';
    for (size_t k = 0; k < n; k++) {
        size_t len = strlen(buf);
        snprintf(buf + len, sizeof buf - len, "%s%lld", k ? "," : "", (long long)v[k]);
    }
    return buf;
}

/* Elements 5.0, "6", 1e3 or out of int64 among integers: error 12, none of the integers kept. */
static const char *const bad_elements[] = { "5.0",  "\"6\"", "1e3", "9223372036854775808",
                                            "null", "[7]" };

START_TEST(internal_with_a_non_integer_stores_nothing)
{
    struct fixture f;
    setup(&f, CFG_STRATEGY_BUILTIN);
    char line[256];
    snprintf(line, sizeof line,
             "{\"src\":\"n0\",\"dest\":\"n1\",\"body\":{\"type\":\"broadcast_internal\","
             "\"messages\":[1,%s,3],\"msg_id\":9}}",
             bad_elements[_i]);
    ck_assert_int_eq(feed(&f, line), -1);
    expect_error(&f, 12, "n0", 9,
                 "broadcast_internal: body.messages holds an element that is not an integer; "
                 "none of its values is stored");
    ck_assert_str_eq(values(&f), "");
    ck_assert_uint_eq(node_get_stats(f.n)->internal_ok_sent, 0);
    ck_assert_uint_eq(node_get_stats(f.n)->internal_sent, 0); /* nothing routed on either */
    /* The same values as integers are taken and acknowledged. */
    ck_assert_int_eq(feed(&f, "{\"src\":\"n0\",\"dest\":\"n1\",\"body\":{\"type\":"
                              "\"broadcast_internal\",\"messages\":[1,3],\"msg_id\":10}}"),
                     0);
    ck_assert_int_eq(f.out.v[0].type, MSG_INTERNAL_OK);
    ck_assert_str_eq(values(&f), "1,3");
    teardown(&f);
}
END_TEST

/* Senders that are not nodes of the cluster: a client, an unknown node, with or without msg_id. */
START_TEST(internal_from_a_non_node_is_refused)
{
    static const char *const senders[] = { "c4", "n9", "lin-kv" };
    struct fixture f;
    setup(&f, CFG_STRATEGY_BUILTIN);
    for (size_t k = 0; k < sizeof senders / sizeof senders[0]; k++) {
        char line[256], text[256];
        snprintf(line, sizeof line,
                 "{\"src\":\"%s\",\"dest\":\"n1\",\"body\":{\"type\":\"broadcast_internal\","
                 "\"messages\":[4],\"msg_id\":3}}",
                 senders[k]);
        snprintf(text, sizeof text,
                 "broadcast_internal from '%s', which is not a node of this cluster: only nodes "
                 "send it",
                 senders[k]);
        ck_assert_int_eq(feed(&f, line), -1);
        expect_error(&f, 12, senders[k], 3, text);
        /* Without a msg_id nobody can match an answer: refused silently, still logged. */
        snprintf(line, sizeof line,
                 "{\"src\":\"%s\",\"dest\":\"n1\",\"body\":{\"type\":\"broadcast_internal\","
                 "\"messages\":[5]}}",
                 senders[k]);
        ck_assert_int_eq(feed(&f, line), -1);
        ck_assert_uint_eq(f.out.n, 0);
        ck_assert_str_eq(f.err, text);
    }
    ck_assert_str_eq(values(&f), "");
    ck_assert_uint_eq(node_get_stats(f.n)->errors_sent, 3);
    teardown(&f);
}
END_TEST

/* A message for another node, of any type, is dropped: no reply, no value, a reason. */
START_TEST(message_for_another_node_is_dropped)
{
    static const char *const bodies[] = {
        "{\"type\":\"read\",\"msg_id\":2}",
        "{\"type\":\"broadcast\",\"message\":8,\"msg_id\":2}",
        "{\"type\":\"broadcast_internal\",\"messages\":[8],\"msg_id\":2}",
        "{\"type\":\"topology\",\"topology\":{\"n1\":[\"n0\"]},\"msg_id\":2}",
        "{\"type\":\"cas\",\"msg_id\":2}",
    };
    struct fixture f;
    setup(&f, CFG_STRATEGY_BUILTIN);
    for (size_t k = 0; k < sizeof bodies / sizeof bodies[0]; k++) {
        char line[256];
        snprintf(line, sizeof line, "{\"src\":\"n0\",\"dest\":\"n2\",\"body\":%s}", bodies[k]);
        ck_assert_int_eq(feed(&f, line), -1);
        ck_assert_uint_eq(f.out.n, 0);
        ck_assert_msg(strstr(f.err, "from 'n0' to 'n2': this node is 'n1'") != NULL, "%s", f.err);
        ck_assert_msg(strncmp(f.err, "dropped a '", 11) == 0, "%s", f.err);
    }
    ck_assert_str_eq(values(&f), "");
    ck_assert_uint_eq(node_get_stats(f.n)->errors_sent, 0);
    /* The same read for n1 is answered. */
    ck_assert_int_eq(feed(&f, "{\"src\":\"c3\",\"dest\":\"n1\",\"body\":{\"type\":\"read\","
                              "\"msg_id\":4}}"),
                     0);
    ck_assert_int_eq(f.out.v[0].type, MSG_READ_OK);
    teardown(&f);
}
END_TEST

/* A topology naming none of n0..n2 is error 12 under every strategy kind; one naming us is ok. */
START_TEST(topology_naming_no_node_is_an_error)
{
    static const enum cfg_strategy kinds[] = { CFG_STRATEGY_BUILTIN, CFG_STRATEGY_MAELSTROM };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        struct fixture f;
        setup(&f, kinds[k]);
        ck_assert_int_eq(feed(&f, "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"topology\","
                                  "\"topology\":{\"x\":[\"y\"],\"n7\":[]},\"msg_id\":5}}"),
                         -1);
        expect_error(&f, 12, "c1", 5,
                     "topology names no node of this cluster (3 names, none of 3 ids)");
        ck_assert_int_eq(feed(&f, "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"topology\","
                                  "\"topology\":{},\"msg_id\":6}}"),
                         -1);
        expect_error(&f, 12, "c1", 6,
                     "topology names no node of this cluster (0 names, none of 3 ids)");
        /* One known name is enough (Maelstrom's maps name every node). */
        ck_assert_int_eq(feed(&f, "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"topology\","
                                  "\"topology\":{\"x\":[\"n0\"]},\"msg_id\":7}}"),
                         0);
        ck_assert_int_eq(f.out.v[0].type, MSG_TOPOLOGY_OK);
        teardown(&f);
    }
}
END_TEST

static Suite *node_input_suite(void)
{
    Suite *s = suite_create("node_input");
    TCase *tc = tcase_create("refusals");
    tcase_add_loop_test(tc, internal_with_a_non_integer_stores_nothing, 0,
                        sizeof bad_elements / sizeof bad_elements[0]);
    tcase_add_test(tc, internal_from_a_non_node_is_refused);
    tcase_add_test(tc, message_for_another_node_is_dropped);
    tcase_add_test(tc, topology_naming_no_node_is_an_error);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_run(node_input_suite());
}
