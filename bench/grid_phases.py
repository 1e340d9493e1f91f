#!/usr/bin/env python3
"""bench/grid_phases.py: where each node's batch grid sits against the hub's, from a run's journal.

    bench/grid_phases.py PERIOD_MS STORE_RUN_DIR [STORE_RUN_DIR...]    (each holds journal.jsonl)

For a batched design with one hub (star: the node that sends to the most peers), prints per run
the hub and, for every other node, how many ms its broadcast_internal sends come before the hub's
(the median of each node's send times modulo PERIOD_MS, against the hub's), sorted by node id,
then the range. With `[batch] phase = start` or `init` each node's grid is anchored at its own
process start or init; docs/experiments.md (the search, virtual time against real processes)
uses it to show the process runner's start spread: a leaf whose batch leaves less than one link
latency before the hub's flush misses it.
"""
import collections
import json
import sys


def grid(path, period_us):
    sends = collections.defaultdict(list)
    dests = collections.defaultdict(set)
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            if r["type"] == "broadcast_internal" and r["src"].startswith("n"):
                sends[r["src"]].append(r["send_ns"] // 1000)
                dests[r["src"]].add(r["dest"])
    if not sends:
        sys.exit(f"{path}: no broadcast_internal sends")
    hub = max(sorted(dests), key=lambda n: len(dests[n]))

    def phase(n):
        xs = sorted(t % period_us for t in sends[n])
        return xs[len(xs) // 2]

    h = phase(hub)
    half = period_us // 2
    return hub, {n: -((phase(n) - h + half) % period_us - half) / 1000 for n in sends if n != hub}


def main(argv):
    if len(argv) < 3 or not argv[1].isdigit() or int(argv[1]) == 0:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    period_us = int(argv[1]) * 1000
    for d in argv[2:]:
        hub, before = grid(d.rstrip("/") + "/journal.jsonl", period_us)
        nodes = sorted(before, key=lambda n: int(n[1:]))
        print(f"{d}: hub {hub}; ms before the hub's flush: " + " ".join(f"{n}:{before[n]:.1f}" for n in nodes))
        print(f"  range {min(before.values()):.1f}..{max(before.values()):.1f} ms")


if __name__ == "__main__":
    main(sys.argv)
