#!/usr/bin/env bash
# End-to-end pipeline benchmark (issue 4): route events per second from an MRT file on disk to
# applied in state, with both services running as processes on this machine (collector decodes
# and streams, state applies and acknowledges; the import job is DONE only when state has
# acknowledged every batch). Writes its section of docs/benchmarks.md between
# <!-- pipeline:begin --> and <!-- pipeline:end -->. Runs: BENCH_PIPELINE_RUNS (default 3) per file.
set -euo pipefail
export LC_ALL=C
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
data="$(cd "${ROUTEWATCH_DATA:-$here/../shared/data}" && pwd)"
runs="${BENCH_PIPELINE_RUNS:-5}"
warmup="${BENCH_PIPELINE_WARMUP:-1}"
doc="$here/docs/benchmarks.md"
tmp="$(mktemp -d)"
files=("$data/mrt/ripe-bgpdump/updates.et-header.2015.gz" "$data/mrt/pyasn/rib.20140523.0600_firstMB.bz2")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_ready() {
  for _ in $(seq 1 240); do curl -fsS "http://127.0.0.1:$1/q/health/ready" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "bench: service on $1 not ready" >&2; return 1
}
load() { cut -d' ' -f1-3 /proc/loadavg; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%.0f\n", (a[NR/2]+a[NR/2+1])/2}'; }

sp=$(free_port); cp_=$(free_port)
java -cp "$(ls libs/pgrunner/target/routewatch-pgrunner-*.jar | head -1)" io.routewatch.pg.LocalPostgres "$tmp/pg.url" >"$tmp/pg.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do [ -s "$tmp/pg.url" ] && break; sleep 0.25; done
opts="-Xmx4g -XX:+UseParallelGC"
ROUTEWATCH_DB_URL="$(cat "$tmp/pg.url")" ROUTEWATCH_STATE_SNAPSHOT_DIR="$tmp/snapshot" QUARKUS_HTTP_PORT=$sp QUARKUS_HTTP_HOST=127.0.0.1 \
  java $opts -jar services/state/target/quarkus-app/quarkus-run.jar >"$tmp/state.log" 2>&1 &
pids+=($!)
wait_ready "$sp"
QUARKUS_GRPC_CLIENTS_STATE_PORT=$sp QUARKUS_HTTP_PORT=$cp_ QUARKUS_HTTP_HOST=127.0.0.1 \
  java $opts -jar services/collector/target/quarkus-app/quarkus-run.jar >"$tmp/collector.log" 2>&1 &
pids+=($!)
wait_ready "$cp_"

# Warm-up: each file imported $warmup time(s) first and not counted, so both JVMs run compiled code
# (the target is the sustained rate of running services, not the first minute after a start).
warm=""
for f in "${files[@]}"; do
  for i in $(seq "$warmup"); do
    out="$(bin/routewatch import --no-progress --collector "127.0.0.1:$cp_" --as-collector "warmup-$i" "$f")"
    s=$(echo "$out" | sed -E 's/.* ([0-9.]+) s$/\1/')
    echo "bench: warm-up $(basename "$f"): $s s" >&2
    warm+="$(basename "$f") ${s} s; "
  done
done
load_start="$(load)"
rows=""
for f in "${files[@]}"; do
  rates=()
  for i in $(seq "$runs"); do
    # a new collector name per run: its VPs are new to state, so every event is applied to an empty
    # table (a re-import under the same name would mostly re-announce routes state already holds)
    out="$(bin/routewatch import --no-progress --collector "127.0.0.1:$cp_" --as-collector "run-$i" "$f")"
    # "<file>: DONE, 270,005 records, 270,005 events, 0 errors, 1.9 s"
    ev=$(echo "$out" | sed -E 's/.*, ([0-9,]+) events,.*/\1/' | tr -d ,)
    s=$(echo "$out" | sed -E 's/.* ([0-9.]+) s$/\1/')
    rate=$(awk -v e="$ev" -v s="$s" 'BEGIN {printf "%.0f", e / s}')
    echo "bench: $(basename "$f") run $i: $ev events in $s s = $rate events/s" >&2
    rates+=("$rate")
  done
  med=$(printf '%s\n' "${rates[@]}" | median)
  rows+="| $(basename "$f") | $ev | ${rates[*]} | **$med** | $(awk -v m="$med" 'BEGIN {print (m >= 200000) ? "yes" : "no"}') |"$'\n'
done
load_end="$(load)"

section="$(cat <<MD
<!-- pipeline:begin -->
## Pipeline: MRT file → collector → gRPC → state, events applied per second

Written by \`bench/pipeline.sh\` (\`make bench\`) on $(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$(git rev-parse --short HEAD)\`.
Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average at start $load_start, at end $load_end.
Command: PostgreSQL + state + collector as processes (JVM \`$opts\`), then each file imported $warmup time(s) as JIT warm-up
(not counted: $warm) and then \`bin/routewatch import FILE\` $runs times per file;
each run under a new collector name, so its VPs are new and every event is applied to an empty table;
rate = events / the job's elapsed time, which ends only when state has acknowledged every batch (applied).

| file | events | runs (events/s) | median events/s | ≥ 200,000 target |
| --- | ---: | --- | ---: | --- |
$rows
<!-- pipeline:end -->
MD
)"
if grep -q '<!-- pipeline:begin -->' "$doc" 2>/dev/null; then
  awk -v s="$section" 'BEGIN{skip=0} /<!-- pipeline:begin -->/{print s; skip=1; next} /<!-- pipeline:end -->/{skip=0; next} !skip{print}' "$doc" > "$tmp/doc" && cp "$tmp/doc" "$doc"
else
  printf '\n%s\n' "$section" >> "$doc"
fi
echo "bench: pipeline section written to $doc" >&2
