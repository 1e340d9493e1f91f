#!/bin/sh
# log_start.sh NODE [ARGS...]: writes "start_ns <wall clock ns>" on stderr (the node's log), then
# becomes NODE. harness_spawn compares these start times with the inits' send times.
echo "start_ns $(date +%s%N)" >&2
exec "$@"
