#!/usr/bin/env bash
# Issue 19 acceptance 4: what the route-leak check (and the neighbour tracking of watched ASes)
# adds to the state engine's update path, in one run. LeakBench.updateStream, every configuration
# once per round (one JMH fork each), the order rotated from round to round so a drift in the
# machine's speed spreads over all of them; the figure per fork is the median over its measured
# iterations of the benchmark thread's CPU time per event, and per configuration the median of its
# forks. Each check is compared with the configuration that differs from it by that check alone.
#
# Usage: bench/leak.sh            (after `./mvnw -pl bench -am package -DskipTests`)
# Env: LEAK_ROUNDS (default 5), ROUTEWATCH_DATA (default <repo>/../shared/data),
#      LEAK_WRITE=0 to print the table without rewriting docs/benchmarks.md.
# Writes the section between <!-- leak:begin --> and <!-- leak:end --> of docs/benchmarks.md.
# Bounded: every JMH run under `timeout`; ~15 s per fork on 2 quiet cores, 6 forks per round.
set -euo pipefail
export LC_ALL=C
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
rounds="${LEAK_ROUNDS:-5}"
data="$(cd "${ROUTEWATCH_DATA:-$here/../shared/data}" && pwd)"
export ROUTEWATCH_DATA="$data"
doc="$here/docs/benchmarks.md"
out="$here/.run/leak"
mkdir -p "$out"
load() { cut -d' ' -f1-3 /proc/loadavg; }
[ -d bench/target/lib ] || { echo "leak: build the bench first (./mvnw -pl bench -am package -DskipTests)" >&2; exit 2; }

commit="$(git rev-parse --short HEAD)"
dirty=""; git diff --quiet HEAD -- services/state bench/src || dirty=" (with uncommitted changes)"
configs=(off off-all-watched caida-2016-all-watched off-asns-watched caida-2016-asns-watched caida-2016-none-watched)
res="$out/results.txt"
: > "$res"
load_start="$(load)"
echo "leak: $rounds rounds (load $load_start)" >&2
for r in $(seq 1 "$rounds"); do
  n=${#configs[@]}
  for i in $(seq 0 $((n - 1))); do
    c="${configs[$(((i + r - 1) % n))]}"
    txt="$out/$c.$r.txt"
    echo "leak: round $r, $c (load $(load))" >&2
    timeout 600 java -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main \
      -f 1 -wi 6 -i 10 -p leaks="$c" -prof gc 'io.routewatch.statebench.LeakBench.updateStream' \
      > "$txt" 2>&1 || { tail -20 "$txt" >&2; exit 1; }
    python3 - "$txt" "$c" "$r" >> "$res" <<'EOF'
import re, statistics, sys
txt, config, rnd = sys.argv[1:4]
cpu, ev, alloc = [], [], []
for line in open(txt):
    m = re.match(r"\s+cpuNanos:\s+([\d.]+)", line)
    if m:
        cpu.append(float(m.group(1)))
    m = re.match(r"\s+events:\s+([\d.]+)", line)
    if m:
        ev.append(float(m.group(1)))
    m = re.match(r"\s+gc\.alloc\.rate\.norm:\s+([\d.]+)", line)
    if m:
        alloc.append(float(m.group(1)))
# the last 10 of each: the measured iterations (warm-up iterations print them too)
cpu, ev, alloc = cpu[-10:], ev[-10:], alloc[-10:]
per = statistics.median(c / e for c, e in zip(cpu, ev))
print(f"{config}|{rnd}|{per:.1f}|{statistics.median(alloc):.1f}")
EOF
  done
done
load_end="$(load)"

table="$(python3 - "$res" <<'EOF'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    c, r, ns, b = line.strip().split("|")
    rows.setdefault(c, []).append((int(r), float(ns), float(b)))
med = {c: statistics.median(ns for _, ns, _ in v) for c, v in rows.items()}
alloc = {c: statistics.median(b for _, _, b in v) for c, v in rows.items()}
what = {
    "off": "no relationships, nothing watched (the engine without the checks)",
    "off-all-watched": "no relationships, `0.0.0.0/0` and `::/0` watched",
    "caida-2016-all-watched": "CAIDA 2016 links, everything watched: every path checked (worst case)",
    "off-asns-watched": "no relationships, 617 ASes watched (neighbour tracking on)",
    "caida-2016-asns-watched": "CAIDA 2016 links, the same 617 ASes: paths through them checked",
    "caida-2016-none-watched": "CAIDA 2016 links, 192.0.2.0/24 watched (no route touches it)",
}
print("| configuration | what | CPU ns/event per round | median | B/event |")
print("| --- | --- | --- | ---: | ---: |")
for c in what:
    if c in rows:
        per = " ".join(f"{ns:.0f}" for _, ns, _ in sorted(rows[c]))
        print(f"| `{c}` | {what[c]} | {per} | {med[c]:.0f} | {alloc[c]:.1f} |")
print()
print("| check | with / without (same watch list) | added | within 15 % |")
print("| --- | --- | ---: | --- |")
pairs = [
    ("leak check, everything watched", "caida-2016-all-watched", "off-all-watched"),
    ("leak check, 617 ASes watched", "caida-2016-asns-watched", "off-asns-watched"),
    ("leak check, nothing of the table watched", "caida-2016-none-watched", "off"),
    ("neighbour tracking and upstream reports of 617 ASes", "off-asns-watched", "off"),
    ("617 ASes watched, every check on, vs the engine without any", "caida-2016-asns-watched", "off"),
]
for name, a, b in pairs:
    if a in med and b in med:
        r = med[a] / med[b] - 1
        print(f"| {name} | `{a}` / `{b}` | {100 * r:+.1f} % | {'yes' if r < 0.15 else '**no**'} |")
EOF
)"
echo "$table"
[ "${LEAK_WRITE:-1}" = 0 ] && exit 0

section="$(mktemp)"
{
  echo "<!-- leak:begin -->"
  echo "### Interleaved rounds (\`bench/leak.sh\`)"
  echo
  echo "Written by \`bench/leak.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$commit\`$dirty: $rounds rounds, each running every"
  echo "configuration in one JMH fork (\`-f 1 -wi 6 -i 10\`, single shot, one new engine per operation), the order rotated per round."
  echo "Figure per fork: the median over its 10 measured operations of the benchmark thread's CPU ns per event; per configuration the median of its forks."
  echo "Machine: $(nproc) cores; load average (1/5/15 min) at start $load_start, at end $load_end. Raw JMH output: \`.run/leak/<config>.<round>.txt\`."
  echo
  echo "$table"
  echo "<!-- leak:end -->"
} > "$section"
python3 "$here/bench/section.py" --require "$doc" leak "$section"
rm -f "$section"
echo "leak: wrote docs/benchmarks.md (leak section)" >&2
