"""Decodes every HDR histogram of summary.json files with HdrHistogram's Python port, and checks it against the
figures written beside it: the same count, and p50/p90/p99 within one bucket of the summary's.

This is the check that the histograms are the standard encoding other tools read (docs/merge.md), not only ours.

Usage: python3 Scripts/check_histograms.py SUMMARY.json ...   (needs: pip install hdrhistogram)
"""
import json
import math
import sys

from hdrh.histogram import HdrHistogram


def latencies(node, path=""):
    """Every latency block (an object with count, p50 and max) with its path."""
    if isinstance(node, dict):
        if "count" in node and "p50" in node and "max" in node:
            yield path, node
            return
        for key, value in node.items():
            yield from latencies(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from latencies(value, f"{path}[{i}]")


def value_at(h: HdrHistogram, percentile: float) -> int:
    """The value at `percentile` by HdrHistogram's current rule (Java, C, Swift): the ceil(p × count)-th value, as
    the top of its bucket. (The Python port rounds the rank to the nearest instead, so small counts differ.)"""
    rank = max(1, math.ceil(percentile / 100 * h.get_total_count() - 1e-9))
    seen = 0
    for item in h.get_recorded_iterator():
        seen += item.count_at_value_iterated_to
        if seen >= rank:
            return h.get_highest_equivalent_value(item.value_iterated_to)
    return 0


def check(path: str) -> tuple[int, list[str]]:
    with open(path, encoding="utf-8") as f:
        summary = json.load(f)
    checked, problems = 0, []
    for where, block in latencies(summary):
        if block["count"] == 0:
            continue
        text = block.get("histogram")
        if text is None:
            problems.append(f"{where}: {block['count']} values but no histogram")
            continue
        h = HdrHistogram.decode(text)
        if h.get_total_count() != block["count"]:
            problems.append(f"{where}: the histogram holds {h.get_total_count()} values, count says {block['count']}")
            continue
        maximum = round(block["max"] * 1e6)
        for p, key in ((50, "p50"), (90, "p90"), (99, "p99")):
            ours = round(block[key] * 1e6)
            theirs = min(value_at(h, p), maximum)
            if not h.values_are_equivalent(ours, theirs) and abs(ours - theirs) > 1:
                problems.append(f"{where}.{key}: {ours} µs in the summary, {theirs} µs decoded")
        checked += 1
    return checked, problems


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__)
        return 2
    failed = False
    for path in paths:
        checked, problems = check(path)
        for p in problems:
            print(f"FAIL {path}: {p}")
        failed |= bool(problems) or checked == 0
        print(f"{path}: {checked} histograms decoded, {len(problems)} problems")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
