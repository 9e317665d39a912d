#!/usr/bin/env bash
# Alert latency (issue 18, acceptance 3): deciding message → webhook behind a real Alertmanager,
# hold 0, idle and under background load, with a stage breakdown. Runs the e2e `AlertLatencyBench`
# (PostgreSQL, state, collector and alert as processes; the collector's RIS Live client on a
# loopback replay; a real Alertmanager and a webhook receiver; a BGP session of the bench to the
# collector for the BGP background), then rewrites its section of docs/benchmarks.md between
# <!-- alert-latency:begin --> and <!-- alert-latency:end -->.
#
# Needs: the services built and installed (`make bench` does it). Env: BENCH_LATENCY_ALERTS (timed
# alerts per mode, default 200), BENCH_LATENCY_MODES (default idle,rislive,bgp),
# BENCH_LATENCY_RIS_RATE (background RIS Live frames/s, default 5500), BENCH_LATENCY_BGP_RATE
# (background BGP routes/s, default 100000), BENCH_LATENCY_WARMUP (untimed alerts first, default 20:
# the JIT compiles the path during the first ones), BENCH_LATENCY_LINGER (not a default: sets
# routewatch.collector.publish.linger-max, e.g. 10ms, to see what the rest of the path costs; the
# section then says so; unset = the shipped 200ms), MVN (default `./mvnw -B -q`, as the Makefile).
# Bounded: each alert waits at most 15 s for its page, each background sender stops after 20 min
# at the latest, the whole run is killed after 45 min. About 10 minutes with the defaults (stack
# start ~1 min, then ~0.6 s per alert and 5 s of background warm-up per loaded mode).
set -euo pipefail
export LC_ALL=C
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
doc="$here/docs/benchmarks.md"
alerts="${BENCH_LATENCY_ALERTS:-200}"
modes="${BENCH_LATENCY_MODES:-idle,rislive,bgp}"
ris_rate="${BENCH_LATENCY_RIS_RATE:-5500}"
bgp_rate="${BENCH_LATENCY_BGP_RATE:-100000}"
warmup="${BENCH_LATENCY_WARMUP:-20}"
linger="${BENCH_LATENCY_LINGER:-}"
# shellcheck disable=SC2206 # MVN is a command line, as in the Makefile
mvn=(${MVN:-./mvnw -B -q})
for s in state collector alert; do
  [ -f "services/$s/target/quarkus-app/quarkus-run.jar" ] \
    || { echo "alert-latency bench: build first (make build)" >&2; exit 2; }
done
rm -f e2e/target/alert-latency.txt e2e/target/alert-latency.md
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "alert-latency bench: $alerts alerts per mode, modes $modes (load $load_start)" >&2
timeout 2700 "${mvn[@]}" -pl e2e verify -Dit.test=AlertLatencyBench -Dtest=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
  -Droutewatch.bench.latency.alerts="$alerts" -Droutewatch.bench.latency.modes="$modes" \
  -Droutewatch.bench.latency.ris-rate="$ris_rate" -Droutewatch.bench.latency.bgp-rate="$bgp_rate" \
  -Droutewatch.bench.latency.warmup="$warmup" -Droutewatch.bench.latency.linger="$linger" >&2
mark=alert-latency
title="Alert latency: deciding message → webhook behind Alertmanager, hold 0"
if [ -n "$linger" ]; then
  mark=alert-latency-linger
  title="Alert latency with publish.linger-max $linger (not a default): what the rest of the path costs"
  collector_note="collector \`publish.linger-max\` set to **$linger (not the shipped 200 ms)**"
  command="BENCH_LATENCY_ALERTS=$alerts BENCH_LATENCY_LINGER=$linger bench/alert-latency.sh"
else
  collector_note="collector \`publish.linger-max\` as shipped (200 ms)"
  command="BENCH_LATENCY_ALERTS=$alerts bench/alert-latency.sh"
fi
cat e2e/target/alert-latency.txt >&2
tables="$(cat e2e/target/alert-latency.md)"
section="$(cat <<MD
<!-- $mark:begin -->
## $title

Written by \`bench/alert-latency.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$(git rev-parse --short HEAD)\`.
Command: \`$command\` (e2e \`AlertLatencyBench\`; modes $modes; $warmup untimed warm-up alerts first; $collector_note).
Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average (1/5/15 min) at the start
$load_start, per mode below, at the end $(cut -d' ' -f1-3 /proc/loadavg). Figures taken at a load average above the
$(nproc) cores (other builds running) are not quiet figures: every stage waits for a core.

Whole process: PostgreSQL, state, collector and alert as processes (JVM \`-Xmx1g -XX:+UseParallelGC\`, shipped
defaults but the test-time settings of \`RisLiveAlertLatencyIT\`: full feed ≥ 4 prefixes, settle 5 s, baseline 15 s),
the collector's RIS Live client on a loopback WebSocket replay of 8 peers (8 peer ASes) that all carry
origin AS64500's /24s, one watch entry \`AS64500\` with \`hold: 0\`, a real Alertmanager and a webhook receiver.
Each timed alert: a fresh prefix of AS64500 withdrawn by all 8 peers back to back (the 4th crosses 50 %), timed from
the last withdrawal's write to the webhook receiving that prefix's \`VisibilityLoss\`; then announced again
(the alert stays firing through the 10 min \`clear\`, so each page is a new alert), $((2 * 250)) ms between alerts.
Alertmanager: \`group_by: ['...']\`, \`group_wait: 0s\` — the shipped route groups by \`asn\` with \`group_wait: 30s\`,
\`group_interval: 5m\`, so a second page of one network would wait minutes for its group, which measures
Alertmanager's batching; an operator paging on \`hold: 0\` sets the same override.
Background (timed alerts start 5 s after it): \`rislive\` = RIS Live frames of 4,096 unrelated /24s of another
origin on the same connection, path alternating; \`bgp\` = a BGP session (AS65061, 127.0.0.61, OPEN with the
4-octet AS and IPv4 unicast capabilities) of the bench to the collector sending UPDATEs of 10 /24s of 10.0.0.0/8,
path alternating each round through 65,536 prefixes; "achieved" is what the collector took (TCP flow control).

$tables
<!-- $mark:end -->
MD
)"
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
if grep -q "<!-- $mark:begin -->" "$doc" 2>/dev/null; then
  awk -v s="$section" -v b="<!-- $mark:begin -->" -v e="<!-- $mark:end -->" \
    'BEGIN{skip=0} $0 == b {print s; skip=1; next} $0 == e {skip=0; next} !skip{print}' "$doc" > "$tmp" && cp "$tmp" "$doc"
else
  printf '\n%s\n' "$section" >> "$doc"
fi
echo "alert-latency bench: section written to $doc" >&2
