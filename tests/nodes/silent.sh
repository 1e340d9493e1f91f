#!/bin/sh
# A node that never answers init: it reads its stdin and says nothing on stdout. The harness must
# time out init after 10 s and show this node's last stderr line.
echo "silent: reading stdin, answering nothing" >&2
exec cat >/dev/null
