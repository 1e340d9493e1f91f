#!/usr/bin/env python3
"""A node that answers init, says why on stderr, then exits with status 3: the harness must
report the crash with its exit status and its last stderr lines."""
import json
import sys

line = sys.stdin.readline()
req = json.loads(line)
sys.stdout.write(json.dumps({"src": req["body"]["node_id"], "dest": req["src"],
                             "body": {"type": "init_ok",
                                      "in_reply_to": req["body"]["msg_id"]}}) + "\n")
sys.stdout.flush()
sys.stderr.write("crash_after_init: initialised as %s\n" % req["body"]["node_id"])
sys.stderr.write("crash_after_init: simulated fatal error, exiting with status 3\n")
sys.stderr.flush()
sys.exit(3)
