#!/usr/bin/env python3
"""The hottest functions of a Chromium `.cpuprofile` (from `browser_bench --cpuprofile DIR`).

    python3 bench/cpuprofile_top.py target/bench/prof/keystrokes.cpuprofile [N]

Prints the top N (default 25) functions by self time and by total (inclusive) time, in ms and
as a share of the non-idle time. `(program)` is the renderer's native work (style, layout,
paint, DOM internals), not attributed to any script. Wasm functions have names only when the wasm keeps its name
section (the release build strips it; see README "Performance" for a profiling build).
"""

import json
import sys
from collections import defaultdict


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    with open(path) as f:
        profile = json.load(f)
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent = {}
    for n in profile["nodes"]:
        for c in n.get("children", []):
            parent[c] = n["id"]

    def name(node_id):
        frame = nodes[node_id]["callFrame"]
        fn = frame["functionName"] or "(anonymous)"
        url = frame.get("url", "").rsplit("/", 1)[-1]
        return f"{fn} [{url}]" if url and not fn.startswith("(") else fn

    self_ms = defaultdict(float)
    total_ms = defaultdict(float)
    busy = 0.0
    samples = profile["samples"]
    deltas = profile["timeDeltas"]
    for i, node_id in enumerate(samples):
        # A sample's duration is the gap to the next sample.
        dt = (deltas[i + 1] if i + 1 < len(deltas) else 0) / 1000.0
        label = name(node_id)
        if label == "(idle)":
            continue
        self_ms[label] += dt
        busy += dt
        seen = set()
        n = node_id
        while n is not None:
            label = name(n)
            if label not in seen:
                seen.add(label)
                total_ms[label] += dt
            n = parent.get(n)

    span = (profile["endTime"] - profile["startTime"]) / 1000.0
    print(f"{path}: {span:.0f} ms profiled, {busy:.0f} ms not idle")
    print(f"\nself time (top {top}):")
    for label, ms in sorted(self_ms.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {ms:9.1f} ms {100 * ms / max(busy, 1e-9):5.1f}%  {label}")
    print(f"\ntotal time (top {top}):")
    for label, ms in sorted(total_ms.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {ms:9.1f} ms {100 * ms / max(busy, 1e-9):5.1f}%  {label}")


if __name__ == "__main__":
    main()
