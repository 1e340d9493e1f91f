#!/usr/bin/env bash
# msgs_per_broadcast: prints how many internal messages one client broadcast costs under each
# node strategy, measured on the real node cores (node-fanout: an in-process cluster, instant
# delivery, one fresh cluster per origin, acks and fire-and-forget). Builds the release preset
# first unless BIN_DIR names a directory holding node-fanout.
#   bench/msgs_per_broadcast.sh [-n NODES]      default 25
set -eu -o pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh

if [ -z "${BIN_DIR:-}" ]; then
    bench_build node-fanout
    BIN_DIR=build/release/bin
fi
exec "$BIN_DIR/node-fanout" "$@"
