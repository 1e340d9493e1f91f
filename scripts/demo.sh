#!/usr/bin/env bash
# The README's main command until the experiment sweep exists: set-up, a release build, and the
# broadcast node answering a short Maelstrom conversation on its stdin (3 nodes' worth of ids,
# the centred tree, two broadcasts and a read). Each protocol line the node writes is printed.
set -eu -o pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" >/dev/null
node_bin=build/release/bin/broadcast-node

conversation='{"id":0,"src":"c0","dest":"n0","body":{"type":"init","node_id":"n0","node_ids":["n0","n1","n2"],"msg_id":1}}
{"id":1,"src":"c3","dest":"n0","body":{"type":"topology","topology":{"n0":["n1"],"n1":["n0","n2"],"n2":["n1"]},"msg_id":1}}
{"id":2,"src":"c6","dest":"n0","body":{"type":"broadcast","message":7,"msg_id":1}}
{"id":3,"src":"c6","dest":"n0","body":{"type":"broadcast","message":8,"msg_id":2}}
{"id":4,"src":"c6","dest":"n0","body":{"type":"read","msg_id":3}}'

echo "== conversation (stdin of $node_bin configs/centred-tree.ini)"
printf '%s\n' "$conversation"
echo "== node output (stdout: protocol lines only)"
printf '%s\n' "$conversation" | "$node_bin" configs/centred-tree.ini
