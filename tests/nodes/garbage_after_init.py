#!/usr/bin/env python3
"""A node that answers init, then writes a line that is not JSON on stdout and keeps running:
the harness must report the malformed line (Maelstrom then ignores the node's output, so the
topology phase times out)."""
import json
import sys

line = sys.stdin.readline()
req = json.loads(line)
sys.stdout.write(json.dumps({"src": req["body"]["node_id"], "dest": req["src"],
                             "body": {"type": "init_ok",
                                      "in_reply_to": req["body"]["msg_id"]}}) + "\n")
sys.stdout.write("hello from garbage_after_init, this is not JSON\n")
sys.stdout.flush()
sys.stderr.write("garbage_after_init: wrote a non-JSON line, now reading stdin forever\n")
sys.stderr.flush()
for _ in sys.stdin:
    pass
