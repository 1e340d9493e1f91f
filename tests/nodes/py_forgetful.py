#!/usr/bin/env python3
"""py_broadcast.py's node, except that node n1 forgets what its neighbours tell it.

n1 acknowledges every gossip and drops its values, so it only ever holds the values clients
broadcast to it directly; every other node behaves as in py_broadcast.py (and relays through n1
as far as n1's own values go). A test node for the harness's convergence report: at the final
reads n1 lacks values that every other node has, which Maelstrom's set-full rule can still call
valid.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import py_broadcast  # noqa: E402

FORGETFUL = "n1"


class Forgetful(py_broadcast.Node):
    def handle(self, msg):
        if self.node_id == FORGETFUL and msg["body"].get("type") == "gossip":
            self.reply(msg, {"type": "gossip_ok"})
            return
        super().handle(msg)


if __name__ == "__main__":
    py_broadcast.Node = Forgetful
    sys.exit(py_broadcast.main())
