#!/usr/bin/env python3
"""bench/hops.py: where a batched run's latency goes, hop by hop, from a run's journal.jsonl.

    bench/hops.py [--total] STORE_RUN_DIR [STORE_RUN_DIR...]    (each holds journal.jsonl)

For batched designs that relay values (tree, star), prints per run:
  relay hops   for every broadcast_internal P -> C that was delivered, the time from P's flush
               (its send) to C's next flush towards its children (the send that carries the
               value on): one hop as the value sees it, in 10 ms buckets. C's children are the
               nodes it sends to but P and the root (the node most nodes send to); a leaf has
               none and is skipped.
  origin wait  for every client broadcast, the time from its delivery to its node to that node's
               next flush; then the same for those delivered right behind (at the same time as)
               a broadcast_internal_ok, and those right behind a broadcast_internal: queued
               behind an ack or a batch while the node's delivery thread slept on it
               (head-of-line blocking, spec 3.2).
The journal has no values, so "the flush that carries it" is the node's first broadcast_internal
send at or after the arrival; with batching that flush takes everything pending.
--total: one set of figures over all the runs given (e.g. the seeds of one configuration).
Issue 10 uses it to explain the figures at T = 50, 100 and 200 in docs/experiments.md.
"""
import bisect
import collections
import json
import sys


def hops(path):
    sends = collections.defaultdict(list)  # node -> [(send_ns, dest)]
    internal = []  # (src, dest, send_ns, recv_ns)
    bcast = []  # (node, recv_ns, the type delivered right before it at the same time, or None)
    last = {}  # node -> (type, recv_ns) of the previous delivery, in delivery order
    recs = []
    with open(path) as f:
        for line in f:
            recs.append(json.loads(line))
    # Deliveries in time order (the journal is written at each message's fate).
    for r in sorted((r for r in recs if r["recv_ns"] is not None), key=lambda r: (r["recv_ns"], r["id"])):
        d = r["dest"]
        if r["type"] == "broadcast" and d.startswith("n"):
            prev = last.get(d)
            bcast.append((d, r["recv_ns"], prev[0] if prev and prev[1] == r["recv_ns"] else None))
        if r["type"] == "broadcast_internal" and r["src"].startswith("n"):
            internal.append((r["src"], d, r["send_ns"], r["recv_ns"]))
        last[d] = (r["type"], r["recv_ns"])
    for r in recs:
        if r["type"] == "broadcast_internal" and r["src"].startswith("n"):
            sends[r["src"]].append((r["send_ns"], r["dest"]))
    times = {n: sorted(v) for n, v in sends.items()}
    senders = collections.defaultdict(set)
    for n, v in sends.items():
        for _, d in v:
            senders[d].add(n)
    root = max(senders, key=lambda d: (len(senders[d]), d)) if senders else None

    def next_flush(node, at_ns, skip=()):
        v = times.get(node, [])
        i = bisect.bisect_left(v, (at_ns, ""))
        while i < len(v) and v[i][1] in skip:
            i += 1
        return v[i][0] if i < len(v) else None

    relay = collections.Counter()
    for src, dest, s, r in internal:
        t = next_flush(dest, r, skip=(src, root))
        if t is not None and t - s < 10_000_000_000:
            relay[(t - s) // 10_000_000 * 10] += 1
    origin = collections.Counter()
    behind_ack = collections.Counter()
    behind_batch = collections.Counter()
    for node, r, prev in bcast:
        t = next_flush(node, r)
        if t is None:
            continue
        b = (t - r) // 10_000_000 * 10
        origin[b] += 1
        if prev == "broadcast_internal_ok":
            behind_ack[b] += 1
        elif prev == "broadcast_internal":
            behind_batch[b] += 1
    return relay, origin, behind_ack, behind_batch


def show(name, c):
    n = sum(c.values())
    if n == 0:
        print(f"  {name}: none")
        return
    cells = ", ".join(f"{b}-{b + 9}: {100 * k / n:.0f}%" for b, k in sorted(c.items()) if 100 * k / n >= 1)
    mean = sum((b + 5) * k for b, k in c.items()) / n if n else 0
    print(f"  {name} ({n}, mean ~{mean:.0f} ms): {cells}")


args = sys.argv[1:]
total = bool(args) and args[0] == "--total"
runs = args[1:] if total else args
if not runs:
    sys.exit("usage: bench/hops.py [--total] STORE_RUN_DIR...")
NAMES = ("relay hop ms", "origin wait ms", "origin wait behind an ack ms",
         "origin wait behind a batch ms")
sums = [collections.Counter() for _ in NAMES]
for run in runs:
    counts = hops(run.rstrip("/") + "/journal.jsonl")
    if total:
        for acc, c in zip(sums, counts):
            acc.update(c)
        continue
    print(run)
    for name, c in zip(NAMES, counts):
        show(name, c)
if total:
    print(f"{len(runs)} runs")
    for name, c in zip(NAMES, sums):
        show(name, c)
