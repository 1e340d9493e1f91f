#!/usr/bin/env bash
# node_input: proves that the real broadcast-node refuses input it must not act on, with the
# golden replies on stdout and one line per refusal on stderr: an id holding a NUL (\u0000), a
# broadcast_internal with an element that is not an integer (error 12, none of it stored) or from
# a client (error 12), a message for another node (dropped, logged), a topology naming no node of
# the cluster (error 12); and that its configuration loader refuses a FIFO as the INI file or as
# the topology file at once, refuses a key given twice with FILE:LINE, and reads a line of a
# 4000-byte path.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
node="$BIN_DIR/broadcast-node"
golden="$SRC_DIR/tests/golden"
setup_work_dir

check "the conversation" "$node" <"$golden/node_input.in" >stdout 2>stderr
step "the replies"
same_file "$golden/node_input.out" stdout
step "one line per refusal"
has_line stderr 'broadcast-node: line 2: src: contains a NUL character (\u0000)'
has_line stderr 'broadcast-node: line 3: broadcast_internal: body.messages holds an element that is not an integer; none of its values is stored'
has_line stderr "broadcast-node: line 5: dropped a 'broadcast' message from 'c1' to 'n9': this node is 'n1'"
has_line stderr "broadcast-node: line 6: broadcast_internal from 'c1', which is not a node of this cluster: only nodes send it"
has_line stderr 'broadcast-node: line 7: topology names no node of this cluster (2 names, none of 3 ids)'
count_lines stderr 'line [0-9]*:' 5

# A FIFO nobody writes to: reading it would never end. `timeout` bounds a regression.
check "make a FIFO" mkfifo fifo
step "a FIFO as the INI file"
rejects 1 timeout 10 "$node" --check-config fifo 2>err
has_line err 'broadcast-node: fifo: not a regular file (a FIFO)'
step "a FIFO as the topology file"
printf '%s\n' '[topology]' 'strategy = file' 'file = fifo' >fifo-topo.ini || fail "write an INI file"
rejects 1 timeout 10 "$node" fifo-topo.ini </dev/null 2>err
has_line err 'broadcast-node: fifo: not a regular file (a FIFO)'
step "a directory as the INI file"
rejects 1 "$node" --check-config . 2>err
has_line err 'broadcast-node: .: not a regular file (a directory)'

step "a key given twice"
printf '%s\n' '[delivery]' 'retry_ms = 100' '[batch]' 'timeout_ms = 5' '[delivery]' 'retry_ms = 200' \
    >twice.ini || fail "write an INI file"
rejects 1 "$node" --check-config twice.ini 2>err
has_line err "broadcast-node: twice.ini:6: duplicate key 'retry_ms' in section [delivery] (first set on line 2)"

# file = ./././.../topo.json: a line of about 4000 bytes, longer than inih's 200-byte buffer.
step "a 4000-byte path"
printf '%s\n' '{"n0": ["n1"], "n1": ["n0"]}' >topo.json || fail "write topo.json"
dots="$(printf '%.0s./' $(seq 1990))"
printf '%s\n' '[topology]' 'strategy = file' "file = ${dots}topo.json ; the same file" >long.ini ||
    fail "write long.ini"
check "a 4000-byte path" "$node" --check-config "$WORK_DIR/long.ini"
finish
