#!/usr/bin/env bash
# Alert watch-list benchmarks (issue 18, acceptance 4): the cost of matching one change against a
# BGPalerter-sized watch list (JMH `WatchMatchBench`: 1k / 50k / 100k prefixes + 10k ASNs + 250
# countries), and a whole-process `routewatch watch import --format bgpalerter` of a generated
# 50,000-prefix prefixes.yml into a running alert service with PostgreSQL (BENCH_IMPORT_RUNS runs,
# default 3, each a different file so every run inserts 50,000 new entries). Writes its section of
# docs/benchmarks.md between <!-- alert:begin --> and <!-- alert:end -->.
#
# Needs: the services and bench/ built (`make bench` does it). Env: BENCH_QUICK=1 (short JMH).
# Bounded: ~3 minutes on 2 quiet cores (JMH ~100 s, three imports of a few seconds each).
set -euo pipefail
export LC_ALL=C
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
doc="$here/docs/benchmarks.md"
runs="${BENCH_IMPORT_RUNS:-3}"
tmp="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
[ -d bench/target/lib ] && ls bench/target/lib/routewatch-alert-*.jar >/dev/null 2>&1 \
  || { echo "alert bench: build first (./mvnw -pl services/alert install -DskipTests; ./mvnw -pl bench package)" >&2; exit 2; }
[ -x bin/routewatch ] && [ -f services/alert/target/quarkus-app/quarkus-run.jar ] \
  || { echo "alert bench: build first (make build)" >&2; exit 2; }
cp="bench/target/classes:bench/target/lib/*"
load() { cut -d' ' -f1-3 /proc/loadavg; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

load_start="$(load)"
echo "alert bench: JMH WatchMatchBench (load $load_start)" >&2
if [ -n "${BENCH_QUICK:-}" ]; then jmh_opts=(-wi 1 -w 2s -i 2 -r 2s); else jmh_opts=(-wi 2 -w 5s -i 5 -r 5s); fi
timeout 900 java -cp "$cp" org.openjdk.jmh.Main "${jmh_opts[@]}" -rf csv -rff "$tmp/jmh.csv" \
  'io.routewatch.alertbench.WatchMatchBench' > "$tmp/jmh.txt"
# "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit","Param: prefixes"
jmh_rows="$(awk -F, 'NR > 1 {gsub(/["\r]/, ""); split($1, b, "."); n = b[length(b)];
  printf "| `%s` | %s | %s | %.1f ± %.1f %s |\n", n, $8, $2, $5, ($6 == "NaN" ? 0 : $6), $7}' "$tmp/jmh.csv")"
m50="$(awk -F, '{gsub(/["\r]/, "")} $1 ~ /\.match$/ && $8 == "50000" {printf "%.0f", $5}' "$tmp/jmh.csv")"
load_jmh="$(load)"

echo "alert bench: whole-process import, $runs runs (load $load_jmh)" >&2
ap=$(free_port)
java -cp "$(ls libs/pgrunner/target/routewatch-pgrunner-*.jar | head -1)" io.routewatch.pg.LocalPostgres "$tmp/pg.url" >"$tmp/pg.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do [ -s "$tmp/pg.url" ] && break; sleep 0.25; done
[ -s "$tmp/pg.url" ] || { echo "alert bench: PostgreSQL did not start" >&2; cat "$tmp/pg.log" >&2; exit 1; }
opts="-Xmx1g -XX:+UseParallelGC"
# the state link points at a closed port: the import path does not need state
ROUTEWATCH_DB_URL="$(cat "$tmp/pg.url")" QUARKUS_HTTP_PORT=$ap QUARKUS_HTTP_HOST=127.0.0.1 \
  QUARKUS_GRPC_CLIENTS_STATE_PORT=1 java $opts -jar services/alert/target/quarkus-app/quarkus-run.jar >"$tmp/alert.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 240); do curl -fsS "http://127.0.0.1:$ap/q/health/live" >/dev/null 2>&1 && break; sleep 0.5; done
curl -fsS "http://127.0.0.1:$ap/q/health/live" >/dev/null || { echo "alert bench: alert did not start" >&2; tail -40 "$tmp/alert.log" >&2; exit 1; }

# a prefixes.yml in the shape `bgpalerter generate` writes: 50,000 prefixes (4 in 5 IPv4 /24, 1 in 5
# IPv6 /48), each with its origin, description and group; run r uses its own address block
gen() {
  awk -v r="$1" 'BEGIN {
    srand(18 + r)
    for (i = 0; i < 50000; i++) {
      if (i % 5 == 4) {
        printf "2001:%x:%x::/48:\n", 3000 + r, i
      } else {
        printf "%d.%d.%d.0/24:\n", 11 + r * 20 + int(i / 65536), int(i / 256) % 256, i % 256
      }
      printf "  description: bench prefix %d\n  asn: %d\n  ignoreMorespecifics: false\n  ignore: false\n  group: default\n", i, 1 + int(rand() * 400000)
    }
    print "options:\n  monitorASns:\n    \"2914\":\n      group: default"
  }'
}
secs=()
for r in $(seq "$runs"); do
  gen "$r" > "$tmp/prefixes-$r.yml"
  t0=$(date +%s.%N)
  out="$(bin/routewatch watch import --alert "127.0.0.1:$ap" --format bgpalerter "$tmp/prefixes-$r.yml" 2>&1)"
  t1=$(date +%s.%N)
  s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')
  echo "alert bench: import run $r: $s s ($out)" >&2
  echo "$out" | grep -q "imported 50001 entries" || { echo "alert bench: import run $r failed: $out" >&2; exit 1; }
  secs+=("$s")
done
imp_med="$(printf '%s\n' "${secs[@]}" | median)"
listed="$(curl -fsS "http://127.0.0.1:$ap/q/metrics" | awk '$1 == "routewatch_alert_watched_networks" {printf "%.0f", $2}')"
load_end="$(load)"

section="$(cat <<MD
<!-- alert:begin -->
## Alert watch list: matching a change, importing a BGPalerter prefixes.yml

Written by \`bench/alert.sh\` (\`make bench\`) on $(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$(git rev-parse --short HEAD)\`.
Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average at start $load_start, after JMH $load_jmh, at end $load_end.

**Matching** (JMH \`WatchMatchBench\`, \`${jmh_opts[*]}\`, one fork): the list holds N PREFIX entries
(4 in 5 IPv4 /16–/24, 1 in 5 IPv6 /29–/48, each with its origins, as \`watch import\` writes them),
10,000 ASN and 250 COUNTRY entries. \`match\` = one change of the pipeline's mix (prefix changes half
inside watched space, half outside; upstream changes of watched and unwatched ASNs; country changes)
through \`WatchMatcher.match\`; \`rebuild\` = a new matcher after an edit or an import slice (parsed
prefixes reused); \`build\` = the matcher from nothing (a start).

| benchmark | N prefixes | mode | score |
| --- | ---: | --- | ---: |
$jmh_rows

Target (issue 18): < 5 µs per change with a 50k-prefix list — measured **${m50} ns**.

**Import** (whole process): PostgreSQL + the alert service (JVM \`$opts\`) on loopback, then
\`bin/routewatch watch import --format bgpalerter prefixes.yml\` of a generated 50,000-prefix file
(+1 monitorASns entry) $runs times, each a new file (50,000 new PREFIX entries per run, the ASN entry replaced after the first; wall time of the CLI
process, JVM start included): ${secs[*]} s, median **${imp_med} s** (target < 10 s). The list held
${listed} entries at the end.
<!-- alert:end -->
MD
)"
if grep -q '<!-- alert:begin -->' "$doc" 2>/dev/null; then
  awk -v s="$section" 'BEGIN{skip=0} /<!-- alert:begin -->/{print s; skip=1; next} /<!-- alert:end -->/{skip=0; next} !skip{print}' "$doc" > "$tmp/doc" && cp "$tmp/doc" "$doc"
else
  printf '\n%s\n' "$section" >> "$doc"
fi
echo "alert bench: section written to $doc" >&2
