#!/usr/bin/env bash
# Alert pipeline throughput (issue 18, acceptance 1): changes per second from state's change stream
# into PostgreSQL through the whole alert service, notifications exactly once at a webhook behind a
# real Alertmanager. Runs the e2e `AlertThroughputIT` (PostgreSQL, the alert service jar, a
# Prometheus Alertmanager, a webhook receiver, and a stand-in for state's StateChanges stream feeding
# generated changes for 1,000 watched ASNs), then rewrites its section of docs/benchmarks.md between
# <!-- alert-pipeline:begin --> and <!-- alert-pipeline:end -->.
#
# Needs: the services built and installed (`make bench` does it). Env: BENCH_ALERT_CHANGES (per run,
# default 60000), BENCH_ALERT_RUNS (default 3), BENCH_ALERT_WARMUP (uncounted runs first,
# default 5: the JIT compiles Hibernate's paths during the first ones; with 2, the C2 compiler
# still took 35 % of the alert JVM's CPU in the measured runs, which measured compilation, not
# the steady state a long-running service is in), MVN (default `./mvnw -B -q`, as the Makefile). Bounded: the IT waits at most 10 min per run.
set -euo pipefail
export LC_ALL=C
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
doc="$here/docs/benchmarks.md"
changes="${BENCH_ALERT_CHANGES:-60000}"
runs="${BENCH_ALERT_RUNS:-3}"
warmup="${BENCH_ALERT_WARMUP:-5}"
# shellcheck disable=SC2206 # MVN is a command line, as in the Makefile
mvn=(${MVN:-./mvnw -B -q})
[ -f services/alert/target/quarkus-app/quarkus-run.jar ] \
  || { echo "alert-pipeline bench: build first (make build)" >&2; exit 2; }
rm -f e2e/target/alert-throughput.txt
echo "alert-pipeline bench: $warmup + $runs runs of $changes changes (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
timeout 1800 "${mvn[@]}" -pl e2e verify -Dit.test=AlertThroughputIT -Dtest=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
  -Droutewatch.bench.alert.changes="$changes" -Droutewatch.bench.alert.runs="$runs" -Droutewatch.bench.alert.warmup="$warmup" >&2
line="$(cat e2e/target/alert-throughput.txt)"
echo "$line" >&2
field() { echo "$line" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k {print substr($0, length(k) + 2)}'; }
section="$(cat <<MD
<!-- alert-pipeline:begin -->
## Alert pipeline: changes per second into PostgreSQL, notified exactly once

Written by \`bench/alert-pipeline.sh\` (\`make bench\`) on $(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$(git rev-parse --short HEAD)\`.
Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average (1/5/15 min) at the first measured run
$(field load_start), after the last $(field load_end). Figures taken at a load average well above the $(nproc) cores
(other builds running) are provisional: the wall-clock rate is what was left of the machine.

Whole process (e2e \`AlertThroughputIT\`): PostgreSQL, the alert service jar (JVM \`-Xmx1g -XX:+UseParallelGC\`),
a real Alertmanager (\`group_wait: 0s\`) and a webhook receiver on loopback; a stand-in for state's
\`StateChanges.Subscribe\` streams generated changes (gRPC flow control) for $(field networks) watched ASNs with three
baseline upstreams each. Each run publishes $(field changes_per_run) changes at once — share moves among the baseline
upstreams and a new upstream for 200 networks (one NewUpstream alert each, hold 0) — and is timed until the
alert service's cursor holds the last sequence (handled and committed in PostgreSQL: views, alerts,
events, outbox). $(field warmup) warm-up run(s) first, not counted.

| measured | value |
| --- | --- |
| changes/s per run (wall clock) | $(field runs) |
| **median** | **$(field median) changes/s** (target ≥ 20,000) |
| CPU per change, alert JVM (all threads) | $(field alert_cpu_us) µs |
| CPU per change, the handler thread alone | $(field handler_cpu_us) µs |
| CPU per change, PostgreSQL (server + backends) | $(field pg_cpu_us) µs |
| changes per CPU-second of both processes, per run | $(field per_cpu_second) |
| alert JVM CPU by thread | $(field alert_threads) |
| transactions (baseline and warm-up included), mean size, mean time | $(field batches), $(field mean_batch) changes, $(field mean_batch_ms) ms |
| transitions in \`alert_event\` / distinct alerts at the webhook (labels, status, start) / alerts in webhook bodies | $(field transitions) / $(field notified) / $(field webhook_alerts) |

Each transition recorded in PostgreSQL reached the webhook once. The same IT's
\`killMinus9MidStreamHandlesEachChangeOnce\` kills the alert service (SIGKILL) a quarter into a run,
restarts it and checks that every change is handled once (each of the 200 new upstreams fired once,
no transition recorded twice, resumed from the committed cursor) and notified once.
<!-- alert-pipeline:end -->
MD
)"
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
if grep -q '<!-- alert-pipeline:begin -->' "$doc" 2>/dev/null; then
  awk -v s="$section" 'BEGIN{skip=0} /<!-- alert-pipeline:begin -->/{print s; skip=1; next} /<!-- alert-pipeline:end -->/{skip=0; next} !skip{print}' "$doc" > "$tmp" && cp "$tmp" "$doc"
else
  printf '\n%s\n' "$section" >> "$doc"
fi
echo "alert-pipeline bench: section written to $doc" >&2
