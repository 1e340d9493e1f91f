#!/usr/bin/env bash
# node_conversation: proves the real broadcast-node binary answers a scripted Maelstrom
# conversation on stdin (init, topology, reads, broadcasts, peer messages and acks, a malformed
# line, a bad body, an overlong line, unknown types) with exactly the golden reply lines, keeps
# serving after every bad line with one diagnostic each on stderr, and refuses bad INI files
# and bad flags with "file:line: ..." messages and the documented exit codes.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
node="$BIN_DIR/broadcast-node"
golden="$SRC_DIR/tests/golden"
setup_work_dir

# The conversation, with its OVERLONG placeholder replaced by a line of GL_MAX_LINE + 100 bytes.
step "write the conversation"
printf '%*s' 4194404 '' >spaces || fail "write spaces"
tr ' ' x <spaces >overlong || fail "write the overlong line"
echo >>overlong || fail "end the overlong line"
sed '/^OVERLONG$/,$d' "$golden/node_conversation.in" >input || fail "write input"
cat overlong >>input || fail "append the overlong line"
sed '1,/^OVERLONG$/d' "$golden/node_conversation.in" >>input || fail "append the rest"
check "the conversation" "$node" "$SRC_DIR/configs/centred-tree.ini" <input >stdout 2>stderr
step "the conversation's replies"
same_file "$golden/node_conversation.out" stdout
step "the conversation's diagnostics"
has_line stderr 'broadcast-node: line 9: not JSON (error at byte 0)'
has_line stderr 'broadcast-node: line 14: body.message: expected an integer'
has_line stderr 'broadcast-node: line 15: longer than 4194304 bytes, skipped'
count_lines stderr 'line [0-9]*:' 3
contains stderr 'strategy tree, batch 0 ms, delivery acks (retry 500 ms)'

# The file strategy (configs/file.ini: a depth-2 tree from file-topology.json) at hub n11: a
# client broadcast goes to its five leaves and the root; the root's value (no msg_id: no ok)
# goes to the leaves only.
check "the file strategy" "$node" "$SRC_DIR/configs/file.ini" <"$golden/node_file.in" \
    >file-stdout 2>file-stderr
same_file "$golden/node_file.out" file-stdout

# Fire-and-forget on the default grid: n7 floods its 4 neighbours, without msg_ids.
step "fire-and-forget"
printf '%s\n' '[delivery]' 'mode = fire-and-forget' >ff.ini || fail "write ff.ini"
sed -n '1,4p' "$golden/node_conversation.in" >ff-input || fail "write ff-input"
check "fire-and-forget" "$node" ff.ini <ff-input >ff-stdout 2>ff-stderr
count_lines ff-stdout '"broadcast_internal"' 4
count_lines ff-stdout '"broadcast_internal","messages":\[4\]}' 4

# Bad INI values: "path:line: message" on stderr, exit 1, nothing on stdout.
step "out-of-range INI value"
printf '%s\n' '[topology]' 'strategy = tree' '' '[batch]' 'timeout_ms = -5' >bad-range.ini ||
    fail "write an INI file"
rejects 1 "$node" bad-range.ini </dev/null 2>err
contains err 'broadcast-node: bad-range.ini:5: '
contains err 'timeout_ms'

step "unknown INI key"
printf '%s\n' '[delivery]' 'retry = 5' >bad-key.ini || fail "write an INI file"
rejects 1 "$node" bad-key.ini </dev/null 2>err
contains err "broadcast-node: bad-key.ini:2: unknown key 'retry'"

step "missing topology file"
printf '%s\n' '[topology]' 'strategy = file' 'file = missing.json' >bad-file.ini ||
    fail "write an INI file"
rejects 1 "$node" bad-file.ini </dev/null 2>err
contains err 'missing.json'

# Flags: help goes to stderr with status 0; an unknown flag is status 2; stdout stays empty.
check "--help" "$node" --help </dev/null >out 2>err
empty out
contains err 'usage: broadcast-node [config.ini]'
step "unknown flag"
rejects 2 "$node" --bogus </dev/null 2>err
contains err "unknown option '--bogus'"
finish
