#!/usr/bin/env bash
# State engine benchmarks (issue 5 acceptance 4): JMH events/s applied on one core, heap per route
# after GC with >= 5 M routes (20 copies of one RIB, and an honest mix of distinct RIBs with
# per-peer paths), snapshot pause/size, and restart-to-ready from a snapshot of >= 5 M routes.
# Writes its section of docs/benchmarks.md between <!-- state:begin --> and <!-- state:end -->.
#
# Needs: ./mvnw -q -B -o -pl services/state install -DskipTests && ./mvnw -q -B -o -pl bench package
# Env: ROUTEWATCH_DATA (corpus, default <repo>/../shared/data), BENCH_QUICK=1 (1 short JMH iteration).
# Bounded: ~3-4 minutes on 2 cores (JMH ~100 s, three footprint JVMs ~30 s each, restore ~15 s).
set -euo pipefail
export LC_ALL=C
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
data="$(cd "${ROUTEWATCH_DATA:-$here/../shared/data}" && pwd)"
doc="$here/docs/benchmarks.md"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
[ -d bench/target/lib ] && ls bench/target/lib/routewatch-state-*.jar >/dev/null 2>&1 \
  || { echo "state bench: build first (./mvnw -pl services/state install -DskipTests; ./mvnw -pl bench package)" >&2; exit 2; }
cp="bench/target/classes:bench/target/lib/*"
load() { cut -d' ' -f1-3 /proc/loadavg; }
val() { awk -F= -v k="$1" '$1 == k {print $2}' "$2"; }
fmt() { printf "%.0f" "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
median() { tr ',' '\n' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
fp() { timeout 300 java -Xmx6g -XX:+UseParallelGC -Droutewatch.data="$data" -cp "$cp" io.routewatch.statebench.StateFootprint "$@"; }

load_start="$(load)"
echo "state bench: JMH (load $load_start)" >&2
if [ -n "${BENCH_QUICK:-}" ]; then jmh_opts=(-wi 1 -w 2s -i 1 -r 3s); else jmh_opts=(-wi 2 -w 5s -i 5 -r 5s); fi
timeout 600 java -cp "$cp" org.openjdk.jmh.Main "${jmh_opts[@]}" -jvmArgsAppend "-Droutewatch.data=$data" \
  -rf csv -rff "$tmp/jmh.csv" 'io.routewatch.statebench.EngineBench' > "$tmp/jmh.txt"
score() { awk -F, -v b="io.routewatch.statebench.EngineBench.$1" '{gsub(/["\r]/, "")} $1 == b {print $5 "," $6}' "$tmp/jmh.csv"; }
aw="$(score announceWithdraw)"; us="$(score updateStream)"
# per-iteration figures for the median
iters() { awk -v b="$1" '$0 ~ "^# Benchmark: .*"b {on=1} on && /^Iteration/ {gsub(",", "", $3); printf "%s%.0f", sep, $3; sep=","} on && /^Result/ {on=0}' "$tmp/jmh.txt"; }
aw_it="$(iters announceWithdraw)"; us_it="$(iters updateStream)"
load_jmh="$(load)"

echo "state bench: heap per route (load $load_jmh)" >&2
fp heap copies20 > "$tmp/copies.txt"
fp heap mix > "$tmp/mix.txt"
load_heap="$(load)"

echo "state bench: snapshot and restart (load $load_heap)" >&2
fp snapshot "$tmp/snap" > "$tmp/snap.txt"
fp restore "$tmp/snap" > "$tmp/restore.txt"
load_end="$(load)"
[ "$(val digest "$tmp/snap.txt")" = "$(val digest "$tmp/restore.txt")" ] || { echo "state bench: restored digest differs" >&2; exit 1; }

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
pauses="$(val pause_ms "$tmp/snap.txt")"
{
  echo "<!-- state:begin -->"
  echo "## State engine: events/s, heap per route, snapshot and restart"
  echo
  echo "Written by \`bench/state.sh\` (\`make bench\`) on $(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$(git rev-parse --short HEAD 2>/dev/null || echo '?')\`."
  echo "Machine: $(nproc) cores, $cpu; $(java -version 2>&1 | head -1)."
  echo "Load average (1/5/15 min) at start $load_start, after JMH $load_jmh, after heap runs $load_heap, at end $load_end (cores shared with other builds: compare within a run)."
  echo
  echo "### Events applied per second, one thread (target ≥ 1,000,000/s)"
  echo
  echo "Command: \`java -cp 'bench/target/classes:bench/target/lib/*' org.openjdk.jmh.Main ${jmh_opts[*]} io.routewatch.statebench.EngineBench\` (JMH 1.37, 1 fork, -Xmx3g)."
  echo "Engine preloaded with the route-views2 RIB of pyasn/rib.20140523 (270,005 routes, 35 VPs) and the country registry; batches of 2,048 events under one lock, as the ingest writer applies them. Input parsed from the bgpdump -m reference text before timing."
  echo
  echo "| benchmark | workload | events/s (score ± 99.9 %) | median of iterations | iterations |"
  echo "| --- | --- | ---: | ---: | --- |"
  echo "| \`announceWithdraw\` | updates.et-header.2015: 577,737 announcements of a full table by one new VP, then each withdrawn | $(fmt "${aw%%,*}") ± $(fmt "${aw##*,}") | $(fmt "$(echo "$aw_it" | median)") | $aw_it |"
  echo "| \`updateStream\` | updates.20160811.1600: 39,256 A + 1,956 W of 40 peers in file order, onto fresh VPs | $(fmt "${us%%,*}") ± $(fmt "${us##*,}") | $(fmt "$(echo "$us_it" | median)") | $us_it |"
  echo
  echo "### Heap per route after GC (target ≤ 120 bytes)"
  echo
  echo "Command: \`java -Xmx6g -XX:+UseParallelGC -cp ... io.routewatch.statebench.StateFootprint heap copies20|mix\` (one JVM each; heap = used after 4 GCs, after minus before the build)."
  echo
  echo "| build | routes | VPs | AS paths | attribute sets | heap | bytes/route | RIB entries/s while building |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for f in copies mix; do
    case $f in
      copies) what="copies of rib.20140523 as new VPs until ≥ 5 M routes (same paths: interning shares everything)" ;;
      mix) what="rounds of rib.20140523 + rib.20080501 + bview.20020722, each round's peers with their own AS prepended and own next hop" ;;
    esac
    t="$tmp/$f.txt"
    echo "| $what | $(fmt "$(val routes "$t")") | $(val vps "$t") | $(fmt "$(val paths "$t")") | $(fmt "$(val attrs "$t")") | $(awk -v b="$(val heap_bytes "$t")" 'BEGIN {printf "%.0f MB", b / 1e6}') | **$(val bytes_per_route "$t")** | $(fmt "$(val build_events_per_s "$t")") |"
  done
  echo
  echo "### Snapshot and restart-to-ready with $(fmt "$(val routes "$tmp/snap.txt")") routes (target ≤ 30 s)"
  echo
  echo "Command: \`StateFootprint snapshot DIR\` (builds the mix above, captures, writes the file) then \`StateFootprint restore DIR\` in a new JVM (registry load + read + CRC + decode + rebuild of every view; same route digest checked)."
  echo
  echo "| figure | value |"
  echo "| --- | ---: |"
  echo "| writer pause to capture the image (3 captures, ms) | $pauses (median $(echo "$pauses" | median)) |"
  echo "| encode + write + fsync + rename (background thread) | $(val write_s "$tmp/snap.txt") s |"
  echo "| snapshot file | $(awk -v b="$(val size_bytes "$tmp/snap.txt")" -v r="$(val routes "$tmp/snap.txt")" 'BEGIN {printf "%.1f MB (%.1f bytes/route)", b / 1e6, b / r}') |"
  echo "| read + check + decode | $(val read_decode_s "$tmp/restore.txt") s |"
  echo "| restore into the engine (routes, shares, visibility, AS graph) | $(val restore_s "$tmp/restore.txt") s |"
  echo "| **restart-to-ready, JVM start to engine ready** | **$(val jvm_start_to_ready_s "$tmp/restore.txt") s** |"
  echo
  echo "In the service, readiness also waits for Quarkus start (~2 s) and PostgreSQL; collectors then re-send only the batches after the snapshot's positions."
  echo
  echo "<details><summary>JMH output</summary>"
  echo
  echo '```'
  sed -n '/^Benchmark /,$p' "$tmp/jmh.txt"
  echo '```'
  echo "</details>"
  echo "<!-- state:end -->"
} > "$tmp/section.md"

if [ -f "$doc" ] && grep -q '<!-- state:begin -->' "$doc"; then
  awk -v f="$tmp/section.md" '
    /<!-- state:begin -->/ {while ((getline l < f) > 0) print l; skip = 1; next}
    /<!-- state:end -->/ {skip = 0; next}
    !skip {print}' "$doc" > "$tmp/doc.md"
  cat "$tmp/doc.md" > "$doc"
else
  [ -f "$doc" ] || printf '# Benchmarks\n\nEach section is written by the script named in it; figures come with the command and the machine load.\n' > "$doc"
  { echo; cat "$tmp/section.md"; } >> "$doc"
fi
grep '^|' "$tmp/section.md" >&2
echo "state bench: wrote $doc" >&2
