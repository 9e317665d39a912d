#!/usr/bin/env python3
"""Helpers of bench/compare.sh.

  compare.py iterations JMH_TEXT    prints "benchmark|param|ops/s" per measured iteration (all forks)
  compare.py table RESULTS          the markdown table of base vs head from "side|round|bench|param|ops/s"
"""
import re
import statistics
import sys


def iterations(path):
    bench = param = ""
    for line in open(path, encoding="utf-8", errors="replace"):
        line = line.strip()
        m = re.match(r"# Benchmark: \S+\.(\w+\.\w+)$", line)
        if m:
            bench, param = m.group(1), ""
        m = re.match(r"# Parameters: \(\w+ = ([^)]*)\)", line)
        if m:
            param = m.group(1)
        m = re.match(r"Iteration\s+\d+: ([0-9.]+) ops/s", line)
        if m:
            print(f"{bench}|{param}|{m.group(1)}")


def table(path):
    rows = {}
    for line in open(path):
        side, rnd, bench, param, score = line.strip().split("|")
        v = rows.setdefault((bench, param), {"base": {}, "head": {}})[side]
        v.setdefault(rnd, []).append(float(score))
    print(
        "| benchmark | file | base: median per round (ops/s) | head: median per round (ops/s)"
        " | base median | head median | head / base | within 5 % |"
    )
    print("| --- | --- | --- | --- | ---: | ---: | ---: | --- |")
    worst = None
    for (bench, param), v in sorted(rows.items()):
        b = statistics.median([x for r in v["base"].values() for x in r])
        h = statistics.median([x for r in v["head"].values() for x in r])
        ratio = h / b
        worst = ratio if worst is None else min(worst, ratio)

        def rounds(d):
            return " ".join(f"{statistics.median(d[k]):,.1f}" for k in sorted(d))

        ok = "yes" if ratio >= 0.95 else "**no**"
        print(
            f"| `{bench}` | {param or '–'} | {rounds(v['base'])} | {rounds(v['head'])}"
            f" | {b:,.1f} | {h:,.1f} | {ratio:.3f} | {ok} |"
        )
    print()
    verdict = "every benchmark within 5 %" if worst >= 0.95 else "NOT every benchmark within 5 %"
    print(
        f"Lowest head / base: {worst:.3f} ({verdict}; above 1.0 is faster). A median is over every"
        " measured iteration of every fork and round of that side."
    )


if __name__ == "__main__":
    {"iterations": iterations, "table": table}[sys.argv[1]](sys.argv[2])
