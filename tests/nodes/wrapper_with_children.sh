#!/bin/sh
# A node that is a wrapper script, as many real ones are: it starts a helper in the background
# and runs the real node (py_broadcast.py) as its child, not with exec, then waits for it. The
# helper and the node are the harness's grandchildren, which must die with the harness however
# it ends (harness_processes). Both pids are appended to the file named by $1, one a line.
# With $2 = chatty, the helper first writes 3 MiB of numbered lines on stderr.
set -eu
pids="$1"
if [ "${2:-}" = chatty ]; then
    (seq 1 400000 | sed 's/^/chatty: line /' | head -c 3145728 >&2; exec sleep 600) &
else
    sleep 600 &
fi
echo "$!" >>"$pids"
# A background job's stdin would be /dev/null: hand it ours through fd 3.
exec 3<&0
"$(dirname "$0")/py_broadcast.py" <&3 3<&- &
node=$!
echo "$node" >>"$pids"
wait "$node"
