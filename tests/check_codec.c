/*
 * check_codec: proves that the codec speaks Maelstrom's wire format exactly — every message type
 * round-trips byte for byte, replies carry only the keys of their closed schemas in Maelstrom's
 * order, integers are exact over all of int64 (no 2^53 limit, 5.0 is not 5), malformed lines and
 * bodies are rejected with the right status and message, and topology maps decode and encode
 * in key order, including the empty map.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "codec.h"
#include "topo.h"

static enum codec_status dec(const char *line, struct msg *m, char *err)
{
    return codec_decode(line, strlen(line), m, err, 256);
}

/* Encodes m and compares the exact bytes. */
static void expect_encoded(const struct msg *m, const char *want)
{
    char *out = NULL;
    size_t len = 0;
    ck_assert_int_eq(codec_encode(m, &out, &len), 0);
    ck_assert_ptr_nonnull(out);
    ck_assert_str_eq(out, want);
    ck_assert_uint_eq(len, strlen(want));
    free(out);
}

/* Lines in canonical form (Maelstrom's key order): decode, then encode gives the same bytes. */
static const char *const canonical[] = {
    "{\"id\":0,\"src\":\"c0\",\"dest\":\"n0\",\"body\":{\"type\":\"init\",\"node_id\":\"n0\","
    "\"node_ids\":[\"n0\",\"n1\",\"n2\"],\"msg_id\":1}}",
    "{\"src\":\"n0\",\"dest\":\"c0\",\"body\":{\"type\":\"init_ok\",\"in_reply_to\":1}}",
    "{\"id\":7,\"src\":\"c5\",\"dest\":\"n0\",\"body\":{\"type\":\"topology\",\"topology\":{"
    "\"n0\":[\"n3\",\"n1\"],\"n1\":[\"n4\",\"n2\",\"n0\"],\"n2\":[\"n1\"],\"n3\":[\"n0\",\"n4\"],"
    "\"n4\":[\"n1\",\"n3\"]},\"msg_id\":1}}",
    "{\"src\":\"n0\",\"dest\":\"c5\",\"body\":{\"type\":\"topology_ok\",\"in_reply_to\":1}}",
    "{\"id\":12,\"src\":\"c10\",\"dest\":\"n3\",\"body\":{\"type\":\"broadcast\",\"message\":0,"
    "\"msg_id\":1}}",
    "{\"src\":\"n3\",\"dest\":\"c10\",\"body\":{\"type\":\"broadcast_ok\",\"msg_id\":4,"
    "\"in_reply_to\":1}}",
    "{\"id\":13,\"src\":\"c11\",\"dest\":\"n1\",\"body\":{\"type\":\"read\",\"msg_id\":2}}",
    "{\"src\":\"n1\",\"dest\":\"c11\",\"body\":{\"type\":\"read_ok\",\"messages\":[0,1,2,-3],"
    "\"in_reply_to\":2}}",
    "{\"src\":\"n1\",\"dest\":\"c11\",\"body\":{\"type\":\"read_ok\",\"messages\":[],"
    "\"in_reply_to\":3}}",
    "{\"src\":\"n1\",\"dest\":\"n2\",\"body\":{\"type\":\"broadcast_internal\",\"messages\":[5,6],"
    "\"msg_id\":9}}",
    "{\"src\":\"n2\",\"dest\":\"n1\",\"body\":{\"type\":\"broadcast_internal_ok\","
    "\"in_reply_to\":9}}",
    "{\"src\":\"n1\",\"dest\":\"c11\",\"body\":{\"type\":\"error\",\"code\":12,\"text\":\"bad "
    "request\",\"in_reply_to\":4}}",
    "{\"src\":\"n1\",\"dest\":\"c11\",\"body\":{\"type\":\"error\",\"code\":1000}}",
    "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"echo\",\"msg_id\":3}}",
};

START_TEST(canonical_round_trip)
{
    struct msg m, copy;
    char err[256];
    const char *line = canonical[_i];
    ck_assert_msg(dec(line, &m, err) == CODEC_OK, "%s: %s", line, err);
    ck_assert_uint_eq(m.flags, 0);
    expect_encoded(&m, line);
    ck_assert_int_eq(msg_copy(&copy, &m), 0); /* a deep copy encodes identically */
    msg_release(&m);
    expect_encoded(&copy, line);
    msg_release(&copy);
}
END_TEST

START_TEST(decoded_fields)
{
    struct msg m;
    char err[256];
    ck_assert_int_eq(dec(canonical[0], &m, err), CODEC_OK);
    ck_assert_int_eq(m.type, MSG_INIT);
    ck_assert_str_eq(m.type_name, "init");
    ck_assert(m.has_id && m.id == 0);
    ck_assert_str_eq(m.src, "c0");
    ck_assert_str_eq(m.dest, "n0");
    ck_assert_str_eq(m.node_id, "n0");
    ck_assert_uint_eq(m.n_node_ids, 3);
    ck_assert_str_eq(m.node_ids[2], "n2");
    ck_assert(m.has_msg_id && m.msg_id == 1 && !m.has_in_reply_to);
    msg_release(&m);

    ck_assert_int_eq(dec(canonical[2], &m, err), CODEC_OK);
    ck_assert_int_eq(m.type, MSG_TOPOLOGY);
    ck_assert_ptr_nonnull(m.topology);
    ck_assert_uint_eq(m.topology->n, 5);
    ck_assert_int_eq(m.topology->kind, TOPO_CUSTOM);
    ck_assert_uint_eq(m.topology->nodes[1].deg, 3);
    ck_assert_str_eq(m.topology->nodes[m.topology->nodes[1].adj[0]].name, "n4");
    msg_release(&m);

    ck_assert_int_eq(dec(canonical[4], &m, err), CODEC_OK);
    ck_assert_int_eq(m.type, MSG_BROADCAST);
    ck_assert_int_eq(m.message, 0);
    msg_release(&m);

    ck_assert_int_eq(dec(canonical[7], &m, err), CODEC_OK);
    ck_assert_int_eq(m.type, MSG_READ_OK);
    ck_assert_uint_eq(m.values.n, 4);
    ck_assert_int_eq(m.values.v[3], -3);
    ck_assert(m.has_in_reply_to && m.in_reply_to == 2 && !m.has_msg_id);
    msg_release(&m);

    ck_assert_int_eq(dec(canonical[11], &m, err), CODEC_OK);
    ck_assert_int_eq(m.type, MSG_ERROR);
    ck_assert_int_eq(m.code, 12);
    ck_assert_str_eq(m.text, "bad request");
    msg_release(&m);

    ck_assert_int_eq(dec(canonical[13], &m, err), CODEC_OK);
    ck_assert_int_eq(m.type, MSG_OTHER);
    ck_assert_str_eq(m.type_name, "echo");
    msg_release(&m);
}
END_TEST

/* Whitespace anywhere (and a trailing CR) is fine; key order in the input does not matter. */
START_TEST(whitespace_and_key_order)
{
    struct msg m;
    char err[256];
    const char *line =
        " { \"body\" : { \"msg_id\" : 2 , \"message\" : 17, \"type\" : \"broadcast\" "
        "} ,\t\"dest\":\"n1\", \"src\":\"c4\" , \"id\" : 3 } \r";
    ck_assert_msg(dec(line, &m, err) == CODEC_OK, "%s", err);
    expect_encoded(&m, "{\"id\":3,\"src\":\"c4\",\"dest\":\"n1\",\"body\":{\"type\":\"broadcast\","
                       "\"message\":17,\"msg_id\":2}}");
    msg_release(&m);
}
END_TEST

/* A request to answer, as the node gets it. */
static void sample_request(struct msg *req)
{
    msg_init(req);
    strcpy(req->src, "c7");
    strcpy(req->dest, "n2");
    req->type = MSG_BROADCAST;
    req->has_msg_id = true;
    req->msg_id = 3;
}

START_TEST(reply_bytes)
{
    static const struct {
        enum msg_type type;
        const char *want;
    } cases[] = {
        { MSG_INIT_OK, "{\"src\":\"n2\",\"dest\":\"c7\",\"body\":{\"type\":\"init_ok\","
                       "\"in_reply_to\":3}}" },
        { MSG_TOPOLOGY_OK, "{\"src\":\"n2\",\"dest\":\"c7\",\"body\":{\"type\":\"topology_ok\","
                           "\"in_reply_to\":3}}" },
        { MSG_BROADCAST_OK, "{\"src\":\"n2\",\"dest\":\"c7\",\"body\":{\"type\":\"broadcast_ok\","
                            "\"in_reply_to\":3}}" },
        { MSG_READ_OK, "{\"src\":\"n2\",\"dest\":\"c7\",\"body\":{\"type\":\"read_ok\","
                       "\"messages\":[],\"in_reply_to\":3}}" },
        { MSG_INTERNAL_OK, "{\"src\":\"n2\",\"dest\":\"c7\",\"body\":{\"type\":"
                           "\"broadcast_internal_ok\",\"in_reply_to\":3}}" },
        { MSG_ERROR, "{\"src\":\"n2\",\"dest\":\"c7\",\"body\":{\"type\":\"error\",\"code\":0,"
                     "\"in_reply_to\":3}}" },
    };
    struct msg req, rep;
    sample_request(&req);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        msg_reply(&rep, &req, cases[i].type);
        expect_encoded(&rep, cases[i].want);
        msg_release(&rep);
    }
}
END_TEST

/* Fields a reply's type does not own are never written, whatever the struct holds. */
START_TEST(replies_carry_only_schema_keys)
{
    struct msg req, rep;
    sample_request(&req);
    msg_reply(&rep, &req, MSG_BROADCAST_OK);
    rep.message = 99;
    rep.code = 12;
    strcpy(rep.text, "nope");
    strcpy(rep.node_id, "n2");
    ck_assert_int_eq(msg_values_push(&rep.values, 1), 0);
    expect_encoded(&rep, "{\"src\":\"n2\",\"dest\":\"c7\",\"body\":{\"type\":\"broadcast_ok\","
                         "\"in_reply_to\":3}}");
    rep.type = MSG_READ_OK;
    ck_assert_int_eq(msg_values_push(&rep.values, 2), 0);
    rep.has_msg_id = true;
    rep.msg_id = 11;
    expect_encoded(&rep, "{\"src\":\"n2\",\"dest\":\"c7\",\"body\":{\"type\":\"read_ok\","
                         "\"messages\":[1,2],\"msg_id\":11,\"in_reply_to\":3}}");
    rep.type = MSG_ERROR;
    expect_encoded(&rep, "{\"src\":\"n2\",\"dest\":\"c7\",\"body\":{\"type\":\"error\",\"code\":12,"
                         "\"text\":\"nope\",\"msg_id\":11,\"in_reply_to\":3}}");
    msg_release(&rep);
}
END_TEST

START_TEST(unencodable)
{
    struct msg m;
    char junk[] = "untouched";
    char *out = junk;
    size_t len = 5;
    msg_init(&m); /* MSG_OTHER without a type name */
    ck_assert_int_eq(codec_encode(&m, &out, &len), -1);
    ck_assert_ptr_null(out);
    m.type = MSG_TOPOLOGY; /* a topology message without a topology */
    ck_assert_int_eq(codec_encode(&m, &out, &len), -1);
    m.type = MSG_OTHER;
    strcpy(m.type_name, "echo");
    ck_assert_int_eq(codec_encode(&m, &out, &len), 0);
    ck_assert_str_eq(out, "{\"src\":\"\",\"dest\":\"\",\"body\":{\"type\":\"echo\"}}");
    free(out);
}
END_TEST

/* codec_encode_to appends to what the builder holds, and leaves it as it was on failure. */
START_TEST(encode_appends)
{
    struct msg m;
    msg_init(&m);
    struct strbuf sb = STRBUF_INIT;
    strbuf_addstr(&sb, "prefix|");
    m.type = MSG_TOPOLOGY; /* no topology: cannot be encoded */
    ck_assert_int_eq(codec_encode_to(&m, &sb), -1);
    ck_assert_str_eq(sb.buf, "prefix|");
    ck_assert(!sb.failed);
    m.type = MSG_BROADCAST_OK;
    m.has_in_reply_to = true;
    m.in_reply_to = 7;
    strcpy(m.src, "n1");
    strcpy(m.dest, "c2");
    ck_assert_int_eq(codec_encode_to(&m, &sb), 0);
    char *one;
    size_t len;
    ck_assert_int_eq(codec_encode(&m, &one, &len), 0);
    ck_assert_uint_eq(sb.len, strlen("prefix|") + len);
    ck_assert_str_eq(sb.buf + strlen("prefix|"), one);
    free(one);
    strbuf_release(&sb);
}
END_TEST

START_TEST(strings_are_escaped)
{
    struct msg m, back;
    char err[256];
    msg_init(&m);
    strcpy(m.src, "n\"1");
    strcpy(m.dest, "c\\2");
    m.type = MSG_ERROR;
    m.code = 13;
    strcpy(m.text, "a\"b\\c\nd\te\x01\x1f\r/\xc3\xa9");
    expect_encoded(&m, "{\"src\":\"n\\\"1\",\"dest\":\"c\\\\2\",\"body\":{\"type\":\"error\","
                       "\"code\":13,\"text\":\"a\\\"b\\\\c\\nd\\te\\u0001\\u001f\\r/\xc3\xa9\"}}");
    char *out;
    size_t len;
    ck_assert_int_eq(codec_encode(&m, &out, &len), 0);
    ck_assert_msg(codec_decode(out, len, &back, err, sizeof(err)) == CODEC_OK, "%s", err);
    ck_assert_str_eq(back.src, m.src);
    ck_assert_str_eq(back.dest, m.dest);
    ck_assert_str_eq(back.text, m.text);
    free(out);
    msg_release(&back);
}
END_TEST

START_TEST(long_text_is_cut_on_a_character)
{
    char line[1024], text[400];
    struct msg m;
    char err[256];
    memset(text, 'x', 300);
    text[300] = '\0';
    snprintf(
        line, sizeof(line),
        "{\"src\":\"a\",\"dest\":\"b\",\"body\":{\"type\":\"error\",\"code\":1,\"text\":\"%s\"}}",
        text);
    ck_assert_int_eq(dec(line, &m, err), CODEC_OK);
    ck_assert_uint_eq(strlen(m.text), GL_MAX_TEXT - 1);
    msg_release(&m);
    /* An "é" (2 bytes) straddling the cut is dropped whole. */
    memset(text, 'x', GL_MAX_TEXT - 2);
    strcpy(text + GL_MAX_TEXT - 2, "\xc3\xa9yy");
    snprintf(
        line, sizeof(line),
        "{\"src\":\"a\",\"dest\":\"b\",\"body\":{\"type\":\"error\",\"code\":1,\"text\":\"%s\"}}",
        text);
    ck_assert_int_eq(dec(line, &m, err), CODEC_OK);
    ck_assert_uint_eq(strlen(m.text), GL_MAX_TEXT - 2);
    msg_release(&m);
}
END_TEST

/* Lines that are not one valid envelope: CODEC_BAD_LINE with a precise message. */
static const struct {
    const char *line, *err;
} bad_lines[] = {
    { "", "empty line" },
    { "not json", "not JSON (error at byte 0)" },
    { "{\"src\":\"c1\",", "not JSON" },
    { "[1,2]", "expected a JSON object, got an array" },
    { "\"x\"", "expected a JSON object, got a string" },
    { "42", "expected a JSON object, got a number" },
    { "{}", "missing key 'src'" },
    { "{\"src\":\"c1\",\"body\":{\"type\":\"read\"}}", "missing key 'dest'" },
    { "{\"src\":\"c1\",\"dest\":\"n1\"}", "missing key 'body'" },
    { "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"read\"},\"extra\":1}",
      "unexpected top-level key 'extra'" },
    { "{\"src\":\"c1\",\"src\":\"c2\",\"dest\":\"n1\",\"body\":{\"type\":\"read\"}}",
      "duplicate top-level key 'src'" },
    { "{\"src\":1,\"dest\":\"n1\",\"body\":{\"type\":\"read\"}}", "src: expected a string" },
    { "{\"src\":\"c1\",\"dest\":null,\"body\":{\"type\":\"read\"}}", "dest: expected a string" },
    { "{\"src\":\"\",\"dest\":\"n1\",\"body\":{\"type\":\"read\"}}",
      "src: id must have 1 to 31 bytes" },
    { "{\"src\":\"c1234567890123456789012345678901\",\"dest\":\"n1\",\"body\":{\"type\":\"read\"}}",
      "src: id must have 1 to 31 bytes" },
    { "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":[]}", "body: expected an object, got an array" },
    { "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{}}", "body.type: missing" },
    { "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":5}}",
      "body.type: expected a string, got a number" },
    { "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"\"}}",
      "body.type: must have 1 to 63 bytes" },
    { "{\"id\":1.5,\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"read\"}}",
      "id: expected an integer" },
    { "{\"id\":\"1\",\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"read\"}}",
      "id: expected an integer" },
    { "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"read\"}} x",
      "not one JSON value (trailing data at byte 48)" },
    { "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"read\"}}{}",
      "not one JSON value (trailing data at byte 47)" },
    /* An id, a type or a key holding a NUL (\u0000) would be read cut at the NUL: "c1". */
    { "{\"src\":\"c1\\u0000x\",\"dest\":\"n1\",\"body\":{\"type\":\"read\"}}",
      "src: contains a NUL character (\\u0000)" },
    { "{\"src\":\"c1\",\"dest\":\"n1\\u0000\",\"body\":{\"type\":\"read\"}}",
      "dest: contains a NUL character (\\u0000)" },
    { "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"read\\u0000ok\"}}",
      "body.type: contains a NUL character (\\u0000)" },
    { "{\"src\\u0000\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"read\"}}",
      "key 'src' contains a NUL character (\\u0000)" },
    { "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\\u0000\":\"read\"}}",
      "key 'type' contains a NUL character (\\u0000)" },
};

START_TEST(bad_line)
{
    struct msg m;
    char err[256];
    ck_assert_int_eq(dec(bad_lines[_i].line, &m, err), CODEC_BAD_LINE);
    ck_assert_msg(strncmp(err, bad_lines[_i].err, strlen(bad_lines[_i].err)) == 0,
                  "line %s: got '%s', want '%s'", bad_lines[_i].line, err, bad_lines[_i].err);
    ck_assert_int_eq(m.type, MSG_OTHER); /* nothing half-decoded is left behind */
    ck_assert_str_eq(m.src, "");
    msg_release(&m);
}
END_TEST

/*
 * A NUL only matters where it would cut an id: an error text keeps what precedes it, an ignored
 * key's value is ignored, and "\\u0000" (an escaped backslash, then "u0000") is no NUL at all.
 */
START_TEST(nul_escape_outside_ids)
{
    struct msg m;
    char err[256];
    const char *line = "{\"src\":\"c\\\\u0000\",\"dest\":\"n1\",\"body\":{\"type\":\"error\","
                       "\"code\":12,\"text\":\"ab\\u0000cd\",\"note\":\"\\u0000\"}}";
    ck_assert_msg(dec(line, &m, err) == CODEC_OK, "%s", err);
    ck_assert_str_eq(m.src, "c\\u0000");
    ck_assert_str_eq(m.text, "ab");
    msg_release(&m);
}
END_TEST

START_TEST(nul_byte_and_huge_line)
{
    struct msg m;
    char err[256];
    static const char line[] = "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"read\"}}\0";
    ck_assert_int_eq(codec_decode(line, sizeof(line) - 1, &m, err, sizeof(err)), CODEC_BAD_LINE);
    ck_assert_str_eq(err, "NUL byte in line");
    ck_assert_int_eq(codec_decode(line, GL_MAX_LINE + 1u, &m, err, sizeof(err)), CODEC_BAD_LINE);
    ck_assert_str_eq(err, "line longer than 4194304 bytes");
    /* A line passed with its exact length needs no NUL terminator. */
    ck_assert_int_eq(codec_decode(line, sizeof(line) - 2, &m, err, sizeof(err)), CODEC_OK);
    msg_release(&m);
    /* errlen 0: no message written, status still right */
    ck_assert_int_eq(codec_decode("x", 1, &m, NULL, 0), CODEC_BAD_LINE);
}
END_TEST

/* Well-formed envelopes whose body breaks its type: CODEC_BAD_BODY, with msg_id kept. */
static const struct {
    const char *body, *err;
} bad_bodies[] = {
    { "\"type\":\"broadcast\",\"message\":\"x\"", "body.message: expected an integer" },
    { "\"type\":\"broadcast\",\"message\":5.0", "body.message: expected an integer" },
    { "\"type\":\"broadcast\",\"message\":1e3", "body.message: expected an integer" },
    { "\"type\":\"broadcast\",\"message\":null", "body.message: expected an integer" },
    { "\"type\":\"broadcast\",\"message\":9223372036854775808",
      "body.message: integer out of range" },
    { "\"type\":\"broadcast\"", "body.message: missing" },
    { "\"type\":\"read_ok\",\"messages\":{}", "body.messages: expected an array, got an object" },
    { "\"type\":\"read_ok\",\"messages\":7", "body.messages: expected an array, got a number" },
    { "\"type\":\"read_ok\"", "body.messages: missing" },
    { "\"type\":\"broadcast_internal\",\"messages\":\"1,2\"",
      "body.messages: expected an array, got a string" },
    { "\"type\":\"init\",\"node_ids\":[\"n1\"]", "body.node_id: missing" },
    { "\"type\":\"init\",\"node_id\":\"n1\"", "body.node_ids: missing" },
    { "\"type\":\"init\",\"node_id\":\"n1\",\"node_ids\":\"n1\"",
      "body.node_ids: expected an array, got a string" },
    { "\"type\":\"init\",\"node_id\":\"n1\",\"node_ids\":[\"n1\",2]",
      "body.node_ids: expected a string" },
    { "\"type\":\"init\",\"node_id\":7,\"node_ids\":[]", "body.node_id: expected a string" },
    { "\"type\":\"topology\",\"topology\":[]", "body.topology: expected an object, got an array" },
    { "\"type\":\"topology\",\"topology\":{\"n0\":\"n1\"}",
      "body.topology.n0: expected an array, got a string" },
    { "\"type\":\"topology\",\"topology\":{\"n0\":[\"n1\",3]}",
      "body.topology.n0: expected a string" },
    { "\"type\":\"topology\",\"topology\":{\"n0\":[],\"n0\":[]}",
      "body.topology: duplicate node 'n0'" },
    { "\"type\":\"topology\"", "body.topology: missing" },
    { "\"type\":\"error\",\"text\":\"x\"", "body.code: missing" },
    { "\"type\":\"error\",\"code\":1,\"text\":5", "body.text: expected a string, got a number" },
    { "\"type\":\"read\",\"in_reply_to\":\"x\"", "body.in_reply_to: expected an integer" },
    { "\"type\":\"broadcast\",\"message\":1,\"message\":2", "body: duplicate key 'message'" },
    { "\"type\":\"init\",\"node_id\":\"n1\\u0000\",\"node_ids\":[\"n1\"]",
      "body.node_id: contains a NUL character (\\u0000)" },
    { "\"type\":\"init\",\"node_id\":\"n1\",\"node_ids\":[\"n1\",\"n\\u00002\"]",
      "body.node_ids: contains a NUL character (\\u0000)" },
    { "\"type\":\"topology\",\"topology\":{\"n0\":[\"n1\\u0000\"]}",
      "body.topology.n0: contains a NUL character (\\u0000)" },
};

START_TEST(bad_body_keeps_envelope_and_msg_id)
{
    char line[512];
    struct msg m;
    char err[256];
    /* msg_id last, so it is decoded even when the broken key comes first */
    snprintf(line, sizeof(line),
             "{\"id\":4,\"src\":\"c9\",\"dest\":\"n3\",\"body\":{%s,\"msg_id\":77}}",
             bad_bodies[_i].body);
    ck_assert_int_eq(dec(line, &m, err), CODEC_BAD_BODY);
    ck_assert_msg(strcmp(err, bad_bodies[_i].err) == 0, "%s: got '%s', want '%s'", line, err,
                  bad_bodies[_i].err);
    ck_assert_str_eq(m.src, "c9");
    ck_assert_str_eq(m.dest, "n3");
    ck_assert(m.has_msg_id);
    ck_assert_int_eq(m.msg_id, 77);
    ck_assert_int_ne(m.type, MSG_OTHER);
    ck_assert_str_eq(m.type_name, msg_type_name(m.type));
    /* Half-decoded arrays were freed. */
    ck_assert_ptr_null(m.values.v);
    ck_assert_ptr_null(m.node_ids);
    ck_assert_ptr_null(m.topology);
    msg_release(&m);
}
END_TEST

START_TEST(msg_id_itself_bad)
{
    struct msg m;
    char err[256];
    ck_assert_int_eq(
        dec("{\"src\":\"c9\",\"dest\":\"n3\",\"body\":{\"type\":\"read\",\"msg_id\":1.5}}", &m,
            err),
        CODEC_BAD_BODY);
    ck_assert_str_eq(err, "body.msg_id: expected an integer");
    ck_assert(!m.has_msg_id);
    ck_assert_int_eq(m.type, MSG_READ);
    msg_release(&m);
    ck_assert_int_eq(dec("{\"src\":\"c9\",\"dest\":\"n3\",\"body\":{\"type\":\"echo\",\"msg_id\":2,"
                         "\"msg_id\":3}}",
                         &m, err),
                     CODEC_BAD_BODY);
    ck_assert_str_eq(err, "body: duplicate key 'msg_id'");
    msg_release(&m);
}
END_TEST

/* Integer literals at the edges: exact over int64, including just above 2^53. */
static const struct {
    const char *lit;
    enum codec_status st;
    int64_t v;
} ints[] = {
    { "0", CODEC_OK, 0 },
    { "-0", CODEC_OK, 0 },
    { "9007199254740991", CODEC_OK, 9007199254740991 },   /* 2^53 - 1 */
    { "9007199254740992", CODEC_OK, 9007199254740992 },   /* 2^53 */
    { "9007199254740993", CODEC_OK, 9007199254740993 },   /* 2^53 + 1: a double would round */
    { "-9007199254740993", CODEC_OK, -9007199254740993 }, /* -(2^53 + 1) */
    { "9223372036854775807", CODEC_OK, INT64_MAX },
    { "-9223372036854775808", CODEC_OK, INT64_MIN },
    { "9223372036854775806", CODEC_OK, INT64_MAX - 1 },
    { "9223372036854775808", CODEC_BAD_BODY, 0 },
    { "-9223372036854775809", CODEC_BAD_BODY, 0 },
    { "18446744073709551616", CODEC_BAD_BODY, 0 },
    { "100000000000000000000000000000", CODEC_BAD_BODY, 0 },
    { "5.0", CODEC_BAD_BODY, 0 },
    { "5.5", CODEC_BAD_BODY, 0 },
    { "1e3", CODEC_BAD_BODY, 0 },
    { "1E3", CODEC_BAD_BODY, 0 },
    { "1e400", CODEC_BAD_BODY, 0 },
    { "-0.0", CODEC_BAD_BODY, 0 },
    { "01", CODEC_BAD_BODY, 0 },
};

START_TEST(integer_edges)
{
    char line[256];
    struct msg m;
    char err[256];
    snprintf(line, sizeof(line),
             "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"broadcast\",\"message\":%s}}",
             ints[_i].lit);
    ck_assert_msg(dec(line, &m, err) == ints[_i].st, "%s: %s", ints[_i].lit, err);
    if (ints[_i].st == CODEC_OK) {
        ck_assert_int_eq(m.message, ints[_i].v);
        /* and back out, exactly */
        snprintf(
            line, sizeof(line),
            "{\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":\"broadcast\",\"message\":%lld}}",
            (long long)ints[_i].v);
        expect_encoded(&m, line);
    }
    msg_release(&m);
}
END_TEST

START_TEST(envelope_ids_are_exact)
{
    struct msg m;
    char err[256];
    const char *line =
        "{\"id\":9223372036854775807,\"src\":\"c1\",\"dest\":\"n1\",\"body\":{\"type\":"
        "\"read\",\"msg_id\":-9223372036854775808,\"in_reply_to\":9007199254740993}}";
    ck_assert_msg(dec(line, &m, err) == CODEC_OK, "%s", err);
    ck_assert_int_eq(m.id, INT64_MAX);
    ck_assert_int_eq(m.msg_id, INT64_MIN);
    ck_assert_int_eq(m.in_reply_to, 9007199254740993);
    expect_encoded(&m, line);
    msg_release(&m);
}
END_TEST

START_TEST(non_int_values_dropped_and_flagged)
{
    struct msg m;
    char err[256];
    const char *line =
        "{\"src\":\"n1\",\"dest\":\"c1\",\"body\":{\"type\":\"read_ok\",\"messages\":[1,5.0,\"5\","
        "9007199254740993,null,true,[2],{\"a\":3},1e2,9223372036854775808,-9223372036854775808,"
        "1,-0],\"in_reply_to\":1}}";
    ck_assert_msg(dec(line, &m, err) == CODEC_OK, "%s", err);
    ck_assert_uint_eq(m.flags, MSG_F_NON_INT_VALUES);
    const int64_t want[] = { 1, 9007199254740993, INT64_MIN, 1, 0 };
    ck_assert_uint_eq(m.values.n, 5);
    for (size_t i = 0; i < 5; i++)
        ck_assert_int_eq(m.values.v[i], want[i]);
    msg_release(&m);
    /* The same for broadcast_internal; all-integer arrays are not flagged. */
    ck_assert_int_eq(
        dec("{\"src\":\"n1\",\"dest\":\"n2\",\"body\":{\"type\":\"broadcast_internal\","
            "\"messages\":[1.5]}}",
            &m, err),
        CODEC_OK);
    ck_assert_uint_eq(m.flags, MSG_F_NON_INT_VALUES);
    ck_assert_uint_eq(m.values.n, 0);
    msg_release(&m);
    ck_assert_int_eq(
        dec("{\"src\":\"n1\",\"dest\":\"n2\",\"body\":{\"type\":\"broadcast_internal\","
            "\"messages\":[1,2]}}",
            &m, err),
        CODEC_OK);
    ck_assert_uint_eq(m.flags, 0);
    msg_release(&m);
}
END_TEST

/* Which bodies set MSG_F_EXTRA_KEYS (spec §1.6(3)). */
static const struct {
    const char *body;
    unsigned flags;
} extra[] = {
    { "\"type\":\"broadcast_ok\",\"in_reply_to\":1", 0 },
    { "\"type\":\"broadcast_ok\",\"in_reply_to\":1,\"msg_id\":2", 0 },
    { "\"type\":\"broadcast_ok\",\"in_reply_to\":1,\"foo\":1", MSG_F_EXTRA_KEYS },
    { "\"type\":\"broadcast_ok\",\"in_reply_to\":1,\"message\":1", MSG_F_EXTRA_KEYS },
    { "\"type\":\"topology_ok\",\"in_reply_to\":1,\"messages\":[]", MSG_F_EXTRA_KEYS },
    { "\"type\":\"topology_ok\",\"in_reply_to\":1", 0 },
    { "\"type\":\"read_ok\",\"in_reply_to\":1,\"messages\":[1],\"msg_id\":3", 0 },
    { "\"type\":\"read_ok\",\"in_reply_to\":1,\"messages\":[1],\"message\":1", MSG_F_EXTRA_KEYS },
    { "\"type\":\"read_ok\",\"messages\":[1.5],\"x\":null",
      MSG_F_EXTRA_KEYS | MSG_F_NON_INT_VALUES },
    { "\"type\":\"init_ok\",\"in_reply_to\":1,\"node_id\":\"n1\"", MSG_F_EXTRA_KEYS },
    /* open bodies: requests, server-to-server messages and errors */
    { "\"type\":\"broadcast_internal_ok\",\"in_reply_to\":1,\"values\":[1]", 0 },
    { "\"type\":\"broadcast_internal\",\"messages\":[],\"origin\":\"n0\"", 0 },
    { "\"type\":\"error\",\"code\":11,\"extra\":true", 0 },
    { "\"type\":\"broadcast\",\"message\":1,\"foo\":1", 0 },
    { "\"type\":\"read\",\"foo\":1", 0 },
    { "\"type\":\"echo\",\"echo\":\"hi\"", 0 },
};

START_TEST(extra_keys_flag)
{
    char line[512];
    struct msg m;
    char err[256];
    snprintf(line, sizeof(line), "{\"src\":\"n1\",\"dest\":\"c1\",\"body\":{%s}}", extra[_i].body);
    ck_assert_msg(dec(line, &m, err) == CODEC_OK, "%s: %s", line, err);
    ck_assert_msg(m.flags == extra[_i].flags, "%s: flags %u", line, m.flags);
    msg_release(&m);
}
END_TEST

/* Appends text to a growing buffer (test helper). */
static void append(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *buf = realloc(*buf, *cap);
        ck_assert_ptr_nonnull(*buf);
    }
    memcpy(*buf + *len, s, n + 1);
    *len += n;
}

/* 400 000 values (~3.4 MB): linear decode and encode, exact bytes back. */
START_TEST(big_messages_array)
{
    enum { N = 400000 };
    char *line = NULL;
    size_t len = 0, cap = 0;
    char num[32];
    append(&line, &len, &cap,
           "{\"src\":\"n1\",\"dest\":\"c1\",\"body\":{\"type\":\"read_ok\","
           "\"messages\":[");
    for (int i = 0; i < N; i++) {
        snprintf(num, sizeof(num), i ? ",%d" : "%d", i * 7 - 1000);
        append(&line, &len, &cap, num);
    }
    append(&line, &len, &cap, "],\"in_reply_to\":1}}");
    ck_assert_uint_lt(len, GL_MAX_LINE);
    struct msg m;
    char err[256];
    ck_assert_msg(codec_decode(line, len, &m, err, sizeof(err)) == CODEC_OK, "%s", err);
    ck_assert_uint_eq(m.values.n, N);
    ck_assert_int_eq(m.values.v[N - 1], (int64_t)(N - 1) * 7 - 1000);
    char *out;
    size_t out_len;
    ck_assert_int_eq(codec_encode(&m, &out, &out_len), 0);
    ck_assert_uint_eq(out_len, len);
    ck_assert(memcmp(out, line, len) == 0);
    free(out);
    free(line);
    msg_release(&m);
}
END_TEST

START_TEST(batch_limit)
{
    char *line = NULL;
    size_t len = 0, cap = 0;
    append(&line, &len, &cap,
           "{\"src\":\"n1\",\"dest\":\"n2\",\"body\":{\"type\":"
           "\"broadcast_internal\",\"msg_id\":5,\"messages\":[0");
    for (int i = 1; i <= GL_MAX_BATCH_VALUES; i++)
        append(&line, &len, &cap, ",1");
    append(&line, &len, &cap, "]}}");
    struct msg m;
    char err[256];
    ck_assert_int_eq(codec_decode(line, len, &m, err, sizeof(err)), CODEC_BAD_BODY);
    ck_assert_str_eq(err, "body.messages: more than 65536 values");
    ck_assert_int_eq(m.msg_id, 5);
    msg_release(&m);
    free(line);
}
END_TEST

/* 100 000 small lines through decode and encode: the harness's hot path. */
START_TEST(many_small_lines)
{
    char line[256];
    struct msg m;
    char err[256];
    for (int i = 0; i < 100000; i++) {
        int n = snprintf(line, sizeof(line),
                         "{\"id\":%d,\"src\":\"c%d\",\"dest\":\"n%d\",\"body\":{\"type\":"
                         "\"broadcast\",\"message\":%d,\"msg_id\":%d}}",
                         i, i % 50, i % 25, i, i + 1);
        ck_assert_int_eq(codec_decode(line, (size_t)n, &m, err, sizeof(err)), CODEC_OK);
        char *out;
        size_t len;
        ck_assert_int_eq(codec_encode(&m, &out, &len), 0);
        ck_assert_uint_eq(len, (size_t)n);
        ck_assert(memcmp(out, line, len) == 0);
        free(out);
        msg_release(&m);
    }
}
END_TEST

/* ---- topology maps ---- */

static void expect_topo_encoded(const struct topo *t, const char *want)
{
    char *out;
    size_t len;
    ck_assert_int_eq(codec_topo_encode(t, &out, &len), 0);
    ck_assert_str_eq(out, want);
    ck_assert_uint_eq(len, strlen(want));
    free(out);
}

START_TEST(topo_empty_map)
{
    struct topo t;
    char err[256];
    ck_assert_int_eq(codec_topo_decode("{}", 2, &t, err, sizeof(err)), 0);
    ck_assert_uint_eq(t.n, 0);
    ck_assert_int_eq(t.kind, TOPO_CUSTOM);
    expect_topo_encoded(&t, "{}");
    topo_release(&t);
    ck_assert_int_eq(codec_topo_decode(" { }\n", 5, &t, err, sizeof(err)), 0);
    ck_assert_uint_eq(t.n, 0);
    topo_release(&t);
}
END_TEST

START_TEST(topo_key_order_and_unlisted)
{
    /* n9 is listed first; n5 and n7 appear only as neighbours and come last, unlisted. */
    const char *json = "{\"n9\":[\"n5\",\"n0\"],\"n0\":[\"n9\",\"n7\"],\"n3\":[]}";
    struct topo t;
    char err[256];
    ck_assert_msg(codec_topo_decode(json, strlen(json), &t, err, sizeof(err)) == 0, "%s", err);
    ck_assert_uint_eq(t.n, 5);
    const char *names[] = { "n9", "n0", "n3", "n5", "n7" };
    const bool listed[] = { true, true, true, false, false };
    for (uint32_t i = 0; i < 5; i++) {
        ck_assert_str_eq(t.nodes[i].name, names[i]);
        ck_assert(t.nodes[i].listed == listed[i]);
    }
    ck_assert_uint_eq(t.nodes[0].deg, 2);
    ck_assert_uint_eq(t.nodes[0].adj[0], 3);
    ck_assert_uint_eq(t.nodes[0].adj[1], 1);
    ck_assert_uint_eq(t.nodes[1].adj[1], 4);
    ck_assert_uint_eq(t.nodes[2].deg, 0);
    ck_assert_uint_eq(t.nodes[3].deg, 0);
    ck_assert_int_eq(t.root, -1);
    expect_topo_encoded(&t, json); /* only listed nodes, in node order */
    topo_release(&t);
}
END_TEST

START_TEST(topo_built_by_hand)
{
    struct topo t;
    topo_init(&t);
    ck_assert_int_eq(topo_add_node(&t, "n0"), 0);
    ck_assert_int_eq(topo_add_node(&t, "n1"), 1);
    ck_assert_int_eq(topo_add_arc(&t, 0, 1), 0);
    ck_assert_int_eq(topo_add_arc(&t, 1, 0), 0);
    expect_topo_encoded(&t, "{\"n0\":[\"n1\"],\"n1\":[\"n0\"]}");
    topo_release(&t);
}
END_TEST

static const struct {
    const char *json, *err;
} bad_topos[] = {
    { "", "empty line" },
    { "{", "not JSON" },
    { "[]", "expected a JSON object, got an array" },
    { "{\"n0\":\"n1\"}", "topology.n0: expected an array, got a string" },
    { "{\"n0\":[1]}", "topology.n0: expected a string" },
    { "{\"n0\":[\"\"]}", "topology.n0: id must have 1 to 31 bytes" },
    { "{\"n0\":[],\"n0\":[]}", "topology: duplicate node 'n0'" },
    { "{\"\":[]}", "topology: node name '' must have 1 to 31 bytes" },
    { "{\"n0\":[]} []", "not one JSON value" },
    { "{\"n0\":[\"n1\\u0000\"]}", "topology.n0: contains a NUL character (\\u0000)" },
    { "{\"n0\\u0000\":[]}", "key 'n0' contains a NUL character (\\u0000)" },
};

START_TEST(topo_rejections)
{
    struct topo t;
    char err[256];
    const char *json = bad_topos[_i].json;
    ck_assert_int_eq(codec_topo_decode(json, strlen(json), &t, err, sizeof(err)), -1);
    ck_assert_msg(strncmp(err, bad_topos[_i].err, strlen(bad_topos[_i].err)) == 0,
                  "%s: got '%s', want '%s'", json, err, bad_topos[_i].err);
    ck_assert_uint_eq(t.n, 0); /* left empty */
    topo_release(&t);
}
END_TEST

START_TEST(topo_node_limit)
{
    char *json = NULL;
    size_t len = 0, cap = 0;
    char item[64];
    append(&json, &len, &cap, "{\"n0\":[");
    for (int i = 1; i <= GL_MAX_NODES; i++) {
        snprintf(item, sizeof(item), i > 1 ? ",\"n%d\"" : "\"n%d\"", i);
        append(&json, &len, &cap, item);
    }
    append(&json, &len, &cap, "]}");
    struct topo t;
    char err[256];
    ck_assert_int_eq(codec_topo_decode(json, len, &t, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "topology.n0: more than 1024 nodes");
    topo_release(&t);
    free(json);
}
END_TEST

/* Maelstrom's "total" over 500 nodes: 249 500 arcs, decoded and encoded back exactly. */
START_TEST(topo_total_500)
{
    enum { N = 500 };
    char *json = NULL;
    size_t len = 0, cap = 0;
    char item[64];
    append(&json, &len, &cap, "{");
    for (int i = 0; i < N; i++) {
        snprintf(item, sizeof(item), "%s\"n%d\":[", i ? "," : "", i);
        append(&json, &len, &cap, item);
        bool first = true;
        for (int k = 0; k < N; k++) {
            if (k == i) continue;
            snprintf(item, sizeof(item), "%s\"n%d\"", first ? "" : ",", k);
            append(&json, &len, &cap, item);
            first = false;
        }
        append(&json, &len, &cap, "]");
    }
    append(&json, &len, &cap, "}");
    struct topo t;
    char err[256];
    ck_assert_msg(codec_topo_decode(json, len, &t, err, sizeof(err)) == 0, "%s", err);
    ck_assert_uint_eq(t.n, N);
    ck_assert_uint_eq(t.nodes[N - 1].deg, N - 1);
    char *out;
    size_t out_len;
    ck_assert_int_eq(codec_topo_encode(&t, &out, &out_len), 0);
    ck_assert_uint_eq(out_len, len);
    ck_assert(memcmp(out, json, len) == 0);
    free(out);
    free(json);
    topo_release(&t);
}
END_TEST

static Suite *codec_suite(void)
{
    Suite *s = suite_create("codec");
    TCase *tc = tcase_create("messages");
    tcase_set_timeout(tc, 30);
    tcase_add_loop_test(tc, canonical_round_trip, 0, sizeof(canonical) / sizeof(canonical[0]));
    tcase_add_test(tc, decoded_fields);
    tcase_add_test(tc, encode_appends);
    tcase_add_test(tc, whitespace_and_key_order);
    tcase_add_test(tc, reply_bytes);
    tcase_add_test(tc, replies_carry_only_schema_keys);
    tcase_add_test(tc, unencodable);
    tcase_add_test(tc, strings_are_escaped);
    tcase_add_test(tc, long_text_is_cut_on_a_character);
    tcase_add_loop_test(tc, bad_line, 0, sizeof(bad_lines) / sizeof(bad_lines[0]));
    tcase_add_test(tc, nul_byte_and_huge_line);
    tcase_add_test(tc, nul_escape_outside_ids);
    tcase_add_loop_test(tc, bad_body_keeps_envelope_and_msg_id, 0,
                        sizeof(bad_bodies) / sizeof(bad_bodies[0]));
    tcase_add_test(tc, msg_id_itself_bad);
    tcase_add_loop_test(tc, integer_edges, 0, sizeof(ints) / sizeof(ints[0]));
    tcase_add_test(tc, envelope_ids_are_exact);
    tcase_add_test(tc, non_int_values_dropped_and_flagged);
    tcase_add_loop_test(tc, extra_keys_flag, 0, sizeof(extra) / sizeof(extra[0]));
    tcase_add_test(tc, big_messages_array);
    tcase_add_test(tc, batch_limit);
    tcase_add_test(tc, many_small_lines);
    suite_add_tcase(s, tc);

    TCase *tt = tcase_create("topology");
    tcase_set_timeout(tt, 30);
    tcase_add_test(tt, topo_empty_map);
    tcase_add_test(tt, topo_key_order_and_unlisted);
    tcase_add_test(tt, topo_built_by_hand);
    tcase_add_loop_test(tt, topo_rejections, 0, sizeof(bad_topos) / sizeof(bad_topos[0]));
    tcase_add_test(tt, topo_node_limit);
    tcase_add_test(tt, topo_total_500);
    suite_add_tcase(s, tt);
    return s;
}

int main(void)
{
    return check_run(codec_suite());
}
