#!/usr/bin/env bash
# node_conversation: proves the real broadcast-node binary answers a scripted Maelstrom
# conversation on stdin (init, topology, reads, broadcasts, peer messages and acks, a malformed
# line, a bad body, an overlong line, unknown types) with exactly the golden reply lines, keeps
# serving after every bad line with one diagnostic each on stderr, and refuses bad INI files
# and bad flags with "file:line: ..." messages and the documented exit codes.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
# shellcheck disable=SC2015 # "a && b || fail" is meant: fail when any step of the chain fails.
set -eu -o pipefail

# A failing command in the middle of an && chain does not trip set -e; every chain therefore
# ends in "|| fail", which does.
fail() {
    echo "node_conversation: FAILED: $1" >&2
    exit 1
}

node="$BIN_DIR/broadcast-node"
golden="$SRC_DIR/tests/golden"
rm -rf "$WORK_DIR" && mkdir -p "$WORK_DIR" && cd "$WORK_DIR" || fail "work dir"

# The conversation, with its OVERLONG placeholder replaced by a line of GL_MAX_LINE + 100 bytes.
printf '%*s' 4194404 '' >spaces &&
tr ' ' x <spaces >overlong && echo >>overlong &&
sed '/^OVERLONG$/,$d' "$golden/node_conversation.in" >input &&
cat overlong >>input &&
sed '1,/^OVERLONG$/d' "$golden/node_conversation.in" >>input &&
"$node" "$SRC_DIR/configs/centred-tree.ini" <input >stdout 2>stderr &&
diff -u "$golden/node_conversation.out" stdout &&
grep -qxF 'broadcast-node: line 9: not JSON (error at byte 0)' stderr &&
grep -qxF 'broadcast-node: line 14: body.message: expected an integer' stderr &&
grep -qxF 'broadcast-node: line 15: longer than 4194304 bytes, skipped' stderr &&
test "$(grep -c 'line [0-9]*:' stderr)" -eq 3 &&
grep -qF 'strategy tree, batch 0 ms, delivery acks (retry 500 ms)' stderr ||
    fail "the conversation's replies or diagnostics"

# The file strategy (configs/file.ini: a depth-2 tree from file-topology.json) at hub n11: a
# client broadcast goes to its five leaves and the root; the root's value (no msg_id: no ok)
# goes to the leaves only.
"$node" "$SRC_DIR/configs/file.ini" <"$golden/node_file.in" >file-stdout 2>file-stderr &&
diff -u "$golden/node_file.out" file-stdout || fail "the file strategy's replies"

# Fire-and-forget on the default grid: n7 floods its 4 neighbours, without msg_ids.
printf '%s\n' '[delivery]' 'mode = fire-and-forget' >ff.ini ||
    fail "write an INI file"
sed -n '1,4p' "$golden/node_conversation.in" >ff-input &&
"$node" ff.ini <ff-input >ff-stdout 2>ff-stderr &&
test "$(grep -c '"broadcast_internal"' ff-stdout)" -eq 4 &&
test "$(grep -c '"broadcast_internal","messages":\[4\]}' ff-stdout)" -eq 4 ||
    fail "fire-and-forget"

# Bad INI values: "path:line: message" on stderr, exit 1, nothing on stdout.
printf '%s\n' '[topology]' 'strategy = tree' '' '[batch]' 'timeout_ms = -5' >bad-range.ini ||
    fail "write an INI file"
rc=0 && "$node" bad-range.ini </dev/null >out 2>err || rc=$?
test "$rc" -eq 1 && test ! -s out &&
grep -qF 'broadcast-node: bad-range.ini:5: ' err && grep -qF 'timeout_ms' err ||
    fail "out-of-range INI value"

printf '%s\n' '[delivery]' 'retry = 5' >bad-key.ini ||
    fail "write an INI file"
rc=0 && "$node" bad-key.ini </dev/null >out 2>err || rc=$?
test "$rc" -eq 1 && test ! -s out &&
grep -qF "broadcast-node: bad-key.ini:2: unknown key 'retry'" err || fail "unknown INI key"

printf '%s\n' '[topology]' 'strategy = file' 'file = missing.json' >bad-file.ini ||
    fail "write an INI file"
rc=0 && "$node" bad-file.ini </dev/null >out 2>err || rc=$?
test "$rc" -eq 1 && test ! -s out && grep -qF 'missing.json' err || fail "missing topology file"

# Flags: help goes to stderr with status 0; an unknown flag is status 2; stdout stays empty.
rc=0 && "$node" --help </dev/null >out 2>err || rc=$?
test "$rc" -eq 0 && test ! -s out && grep -qF 'usage: broadcast-node [config.ini]' err ||
    fail "--help"
rc=0 && "$node" --bogus </dev/null >out 2>err || rc=$?
test "$rc" -eq 2 && test ! -s out && grep -qF "unknown option '--bogus'" err ||
    fail "unknown flag"

echo "node_conversation: ok"
