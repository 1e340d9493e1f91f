#!/usr/bin/env python3
"""A broadcast node for Maelstrom, independent of gossip-lab's C node.

Written from Maelstrom's protocol document (doc/protocol.md, doc/workloads.md#broadcast) with the
standard library only, so the harness can be shown to serve nodes other than ours: it answers
init, topology, broadcast and read; unknown request types get error 10 (not-supported).

Gossip: a value seen for the first time is sent to every neighbour of the topology message except
the one it came from, one "gossip" message per value. Every gossip is acknowledged with
"gossip_ok"; whatever a neighbour has not acknowledged is re-sent, batched, every RETRY_S
seconds, so values cross a partition once it heals. stdout carries protocol lines only, one JSON
object per line, flushed per line; logs go to stderr.
"""

import json
import os
import select
import sys
import time

RETRY_S = 0.5  # re-send unacknowledged values this often (Maelstrom partitions last seconds)


def log(text):
    sys.stderr.write("py_broadcast: %s\n" % text)
    sys.stderr.flush()


class Node:
    def __init__(self):
        self.node_id = None
        self.node_ids = []
        self.neighbours = []
        self.next_msg_id = 0
        self.values = []  # in the order first seen, for read_ok
        self.seen = set()
        self.unacked = {}  # peer -> {value: when last sent} not acknowledged yet
        self.inflight = {}  # peer -> {msg_id: [values]}

    def send(self, dest, body):
        line = json.dumps({"src": self.node_id, "dest": dest, "body": body},
                          separators=(",", ":"))
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    def reply(self, req, body):
        if "msg_id" in req["body"]:
            body["in_reply_to"] = req["body"]["msg_id"]
        self.send(req["src"], body)

    def msg_id(self):
        self.next_msg_id += 1
        return self.next_msg_id

    def gossip(self, peer, values):
        mid = self.msg_id()
        self.inflight.setdefault(peer, {})[mid] = list(values)
        self.send(peer, {"type": "gossip", "messages": list(values), "msg_id": mid})

    def learn(self, value, came_from):
        if value in self.seen:
            return
        self.seen.add(value)
        self.values.append(value)
        for peer in self.neighbours:
            if peer == came_from:
                continue
            self.unacked.setdefault(peer, {})[value] = time.monotonic()
            self.gossip(peer, [value])

    def handle(self, msg):
        body = msg["body"]
        kind = body.get("type")
        if kind == "init":
            self.node_id = body["node_id"]
            self.node_ids = list(body["node_ids"])
            log("initialised as %s of %d nodes" % (self.node_id, len(self.node_ids)))
            self.reply(msg, {"type": "init_ok"})
        elif kind == "topology":
            self.neighbours = list(body["topology"].get(self.node_id, []))
            log("neighbours: %s" % ", ".join(self.neighbours))
            self.reply(msg, {"type": "topology_ok"})
        elif kind == "broadcast":
            self.learn(body["message"], None)
            self.reply(msg, {"type": "broadcast_ok"})
        elif kind == "read":
            self.reply(msg, {"type": "read_ok", "messages": list(self.values)})
        elif kind == "gossip":
            for value in body["messages"]:
                self.learn(value, msg["src"])
            self.reply(msg, {"type": "gossip_ok"})
        elif kind == "gossip_ok":
            sent = self.inflight.get(msg["src"], {}).pop(body.get("in_reply_to"), [])
            unacked = self.unacked.get(msg["src"], {})
            for value in sent:
                unacked.pop(value, None)
        elif kind == "error":
            log("error from %s: %s" % (msg["src"], body))
        elif "msg_id" in body:
            self.reply(msg, {"type": "error", "code": 10,
                             "text": "unsupported request type %r" % kind})

    def retry(self, now):
        """Re-sends, in one message per peer, the values unacknowledged for RETRY_S."""
        for peer, unacked in self.unacked.items():
            due = sorted(v for v, sent in unacked.items() if now - sent >= RETRY_S)
            if due:
                for value in due:
                    unacked[value] = now
                self.gossip(peer, due)


def main():
    node = Node()
    pending = b""
    next_retry = time.monotonic() + RETRY_S / 5
    while True:
        timeout = max(0.0, next_retry - time.monotonic())
        ready, _, _ = select.select([0], [], [], timeout)
        if ready:
            chunk = os.read(0, 65536)
            if not chunk:
                log("stdin closed, exiting")
                return 0
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                if line.strip():
                    node.handle(json.loads(line))
        now = time.monotonic()
        if now >= next_retry:
            node.retry(now)
            next_retry = now + RETRY_S / 5


if __name__ == "__main__":
    sys.exit(main())
