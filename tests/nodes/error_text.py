#!/usr/bin/env python3
"""A Maelstrom node whose error replies carry text that is hostile to EDN.

It answers init and topology, refuses every broadcast with error 11 (temporarily-unavailable),
whose text holds a quote, a ';', a backslash, brackets and a newline, and answers every read with
an empty read_ok. The harness must record those texts so that history.edn stays readable
(tests/cli/check_histories.sh). Standard library only; stdout carries protocol lines only.
"""

import json
import sys

TEXT = 'x"] ; y \\ z\n#_ w}'


def main():
    for line in sys.stdin:
        msg = json.loads(line)
        body = msg["body"]
        kind = body.get("type")
        reply = {"in_reply_to": body.get("msg_id")}
        if kind == "init":
            reply["type"] = "init_ok"
        elif kind == "topology":
            reply["type"] = "topology_ok"
        elif kind == "read":
            reply.update(type="read_ok", messages=[])
        else:
            reply.update(type="error", code=11, text=TEXT)
        out = {"src": msg["dest"], "dest": msg["src"], "body": reply}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
