#!/usr/bin/env python3
"""layers.py: proves the source tree keeps the architecture of docs/architecture.md.

1. Every `#include "x.h"` of a production file resolves to a header of its own folder or of a
   folder its layer may use (LAYERS below): a lower layer never includes a higher one.
2. There is no include cycle between modules. A module is a header and the sources that
   implement it (codec.h with codec.c and codec_write.c; results.h with results_*.c and
   results_int.h); a cycle through two modules (topo.c -> codec.h -> topo.h) is a defect.
3. Every source that is not one of the listed edges (EDGES: the files that do IO) is a pure
   core: it includes "banned.h", and includes it last.

Usage: layers.py SOURCE_DIR   (exit 0: holds; 1: prints each violation)
       layers.py --selftest     (proves it finds an upward include and a cycle in a made-up tree)
"""
import os
import re
import sys

# Folder -> the folders whose headers it may include (besides its own). Order is bottom-up.
LAYERS = {
    "common": [],
    "node": ["common"],
    "harness/edn": ["common"],
    "harness/check": ["harness/edn", "common"],
    "harness/world": ["harness/check", "harness/edn", "common"],
    "harness/drivers": ["harness/world", "harness/check", "harness/edn", "node", "common"],
    "harness/cli": ["harness/drivers", "harness/world", "harness/check", "harness/edn", "node",
                    "common"],
    "topogen": ["common"],
    "experiments": ["common"],
}
# The edges: the only production sources that may do IO (and so need not include banned.h).
# Every other .c is a core and includes "banned.h" last (docs/architecture.md).
EDGES = {
    "node/main.c", "node/fanout_main.c",
    "common/cfg.c", "common/file.c", "common/topo_json.c",
    "harness/check/history_io.c", "harness/check/journal.c", "harness/check/results.c",
    "harness/check/results_out.c", "harness/check/results_read.c",
    "harness/drivers/drv_proc.c", "harness/drivers/proc_node.c", "harness/drivers/proc_guard.c",
    "harness/cli/main.c", "harness/cli/cmd_test.c", "harness/cli/cmd_check.c", "harness/cli/hugepages.c",
    "harness/cli/store.c",
    "topogen/main.c", "topogen/cmd.c", "topogen/format.c", "topogen/report.c",
    "experiments/fit_main.c", "experiments/sweeptab_write.c",
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def sources(root):
    for folder in LAYERS:
        d = os.path.join(root, folder)
        if not os.path.isdir(d):
            yield None, folder, None
            continue
        for name in sorted(os.listdir(d)):
            if name.endswith((".c", ".h")):
                yield folder, name, os.path.join(d, name)


def module_of(folder, name, headers_here):
    """The module a file belongs to: the longest header of its folder whose stem prefixes it."""
    stem = name[:-2]
    if stem == "main" or stem.endswith("_main"):
        return f"{folder}/{stem}"  # an executable's main is a module of its own
    if stem.endswith("_int"):
        stem = stem[: -len("_int")]
    best = None
    for h in headers_here:
        hs = h[:-2]
        if (stem == hs or stem.startswith(hs + "_")) and (best is None or len(hs) > len(best)):
            best = hs
    return f"{folder}/{best or stem}"


def check(root):
    errors = []
    files = [(f, n, p) for f, n, p in sources(root)]
    for f, n, p in files:
        if f is None:
            errors.append(f"missing layer folder: {n}")
    files = [(f, n, p) for f, n, p in files if f is not None]
    headers = {}  # header name -> folders holding it
    for f, n, _ in files:
        if n.endswith(".h"):
            headers.setdefault(n, []).append(f)
    for h, fs in headers.items():
        if len(fs) > 1:
            errors.append(f"header {h} exists in several layers: {', '.join(fs)}")
    per_folder = {}
    for f, n, _ in files:
        if n.endswith(".h"):
            per_folder.setdefault(f, []).append(n)

    graph = {}
    for f, n, p in files:
        mod = module_of(f, n, per_folder.get(f, []))
        graph.setdefault(mod, set())
        with open(p, encoding="utf-8") as fh:
            text = fh.read()
        incs = INCLUDE.findall(text)
        rel = f"{f}/{n}"
        if n.endswith(".c"):
            if "banned.h" in incs and incs[-1] != "banned.h":
                errors.append(f"{rel} includes {incs[-1]} after banned.h (banned.h goes last)")
            elif "banned.h" not in incs and rel not in EDGES:
                errors.append(f"{rel} is a core (not a listed edge) but does not include banned.h")
        for inc in incs:
            base = os.path.basename(inc)
            homes = headers.get(base)
            if not homes:
                continue  # a system or test header
            home = f if f in homes else homes[0]
            if home != f and home not in LAYERS[f]:
                errors.append(f"{f}/{n} includes {inc} from {home}, a layer it may not use")
            target = module_of(home, base, per_folder.get(home, []))
            if target != mod:
                graph[mod].add(target)

    # Cycles between modules (iterative DFS, colours).
    state = {}
    for start in sorted(graph):
        if state.get(start):
            continue
        stack = [(start, iter(sorted(graph[start])))]
        path = [start]
        state[start] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                path.pop()
                continue
            if state.get(nxt) == 1:
                cyc = path[path.index(nxt):] + [nxt]
                errors.append("include cycle between modules: " + " -> ".join(cyc))
            elif not state.get(nxt):
                state[nxt] = 1
                stack.append((nxt, iter(sorted(graph.get(nxt, ())))))
                path.append(nxt)
    n_edges = sum(len(v) for v in graph.values())
    summary = (f"{len(files)} files, {len(graph)} modules, {n_edges} module dependencies, "
               f"{len(errors)} violations")
    return errors, summary


def selftest():
    """A clean made-up tree passes; each kind of defect is found in a tree that has it."""
    import tempfile

    def tree(extra):
        d = tempfile.mkdtemp()
        ban = '#include "banned.h"\n'
        base = {
            "common/banned.h": "",
            "common/a.h": "", "common/a.c": '#include "a.h"\n' + ban,
            "common/b.h": '#include "a.h"\n', "common/b.c": '#include "b.h"\n' + ban,
            "harness/world/w.h": '#include "b.h"\n',
            "harness/world/w.c": '#include "w.h"\n' + ban,
        }
        base.update(extra)
        for folder in LAYERS:
            os.makedirs(os.path.join(d, folder), exist_ok=True)
        for path, text in base.items():
            with open(os.path.join(d, path), "w", encoding="utf-8") as fh:
                fh.write(text)
        return d

    ban = '#include "banned.h"\n'
    ok, _ = check(tree({}))
    upward, _ = check(tree({"common/a.c": '#include "a.h"\n#include "w.h"\n' + ban}))
    cycle, _ = check(tree({"common/a.c": '#include "a.h"\n#include "b.h"\n' + ban}))
    unbanned, _ = check(tree({"common/a.c": '#include "a.h"\n'}))
    late, _ = check(tree({"common/a.c": ban + '#include "a.h"\n'}))
    edge, _ = check(tree({"common/file.c": '#include "a.h"\n'}))
    results = [
        ("clean tree passes", ok == []),
        ("upward include found", any("a layer it may not use" in e for e in upward)),
        ("cycle found", any("common/a -> common/b -> common/a" in e for e in cycle)),
        ("core without banned.h found", any("does not include banned.h" in e for e in unbanned)),
        ("include after banned.h found", any("after banned.h" in e for e in late)),
        ("a listed edge may do without banned.h", edge == []),
    ]
    for name, good in results:
        print(f"layers selftest: {name}: {'ok' if good else 'FAILED'}")
    return 0 if all(g for _, g in results) else 1


def main():
    if sys.argv[1:] == ["--selftest"]:
        return selftest()
    errors, summary = check(sys.argv[1])
    for e in errors:
        print(f"layers: {e}", file=sys.stderr)
    print(f"layers: {summary}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
