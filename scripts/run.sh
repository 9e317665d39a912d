#!/usr/bin/env bash
# `make run`: PostgreSQL + state + alert + collector on loopback, connected, until Ctrl-C.
# Every process started here is stopped on exit (no orphans, no stale ports).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
run_dir="${ROUTEWATCH_RUN_DIR:-$root/.run}"
mkdir -p "$run_dir"
COLLECTOR_PORT="${ROUTEWATCH_COLLECTOR_PORT:-8081}"
STATE_PORT="${ROUTEWATCH_STATE_PORT:-8082}"
ALERT_PORT="${ROUTEWATCH_ALERT_PORT:-8083}"
AM_PORT="${ROUTEWATCH_ALERTMANAGER_PORT:-9093}"
DEMO="${ROUTEWATCH_DEMO:-$root/demo/ris-rrc-2015-10-23-nk-baseline.gz}"
# The main job: the North Korea 2017 story played through real ExaBGP sessions (scenarios/README.md).
# ROUTEWATCH_SCENARIO=none skips it (the services then run with their normal settings).
SCENARIO="${ROUTEWATCH_SCENARIO:-$root/scenarios/north-korea-2017.yaml}"
BGP_PORT="${ROUTEWATCH_BGP_PORT:-1179}"
BMP_PORT="${ROUTEWATCH_BMP_PORT:-11019}"
JAVA_OPTS="${ROUTEWATCH_SERVICE_JAVA_OPTS:--Xmx2g -XX:+UseParallelGC}"

origin=""
pids=()
declare -A names=()
scenario_pid=""
# Children run in their own sessions (setsid): Ctrl-C reaches this script only, and cleanup stops
# them in order (scenario, collector, alert, state, Alertmanager, PostgreSQL) instead of all at once.
detach() { setsid "$@" </dev/null & }
stopping=0
cleanup() {
  local rc=$?
  trap - INT TERM EXIT
  stopping=1
  echo
  echo "routewatch: stopping..."
  # the scenario player first: its ExaBGP sessions go down before the collector does
  if [ -n "$scenario_pid" ]; then
    kill -TERM "$scenario_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$scenario_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$scenario_pid" 2>/dev/null || true
  fi
  for ((i=${#pids[@]}-1; i>=0; i--)); do
    kill -TERM "${pids[$i]}" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  echo "routewatch: stopped."
  return $rc
}
# Ctrl-C and TERM are how a run is meant to end: exit 0 after an orderly stop
trap 'cleanup; exit 0' INT TERM
trap cleanup EXIT

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$COLLECTOR_PORT" "$STATE_PORT" "$ALERT_PORT" "$AM_PORT" "$BGP_PORT" "$BMP_PORT"; do
  if ! port_free "$p"; then
    echo "routewatch: port $p on 127.0.0.1 is in use; stop what uses it or set ROUTEWATCH_*_PORT" >&2
    exit 1
  fi
done

wait_ready() { # name port timeout_s
  local deadline=$((SECONDS + $3))
  while [ $SECONDS -lt $deadline ]; do
    if curl -fsS "http://127.0.0.1:$2/q/health/ready" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  echo "routewatch: $1 not ready on port $2 after $3 s; see $run_dir/$1.log" >&2
  curl -sS "http://127.0.0.1:$2/q/health/ready" >&2 || true
  return 1
}

# The scenario's service settings (its durations compressed to its speed) and the collector's BGP
# neighbours (one per scenario VP), for all three services.
scenario_env=()
if [ "$SCENARIO" != none ]; then
  if ! [ -f "$SCENARIO" ]; then echo "routewatch: no scenario file $SCENARIO (ROUTEWATCH_SCENARIO)" >&2; exit 2; fi
  mapfile -t scenario_env < <(bin/routewatch scenario service-env "$SCENARIO" | grep -v '^ROUTEWATCH_COLLECTOR_BGP_PORT=')
  [ ${#scenario_env[@]} -gt 0 ] || { echo "routewatch: could not read $SCENARIO" >&2; exit 2; }
  # what the header and the follow-up queries are about: this scenario's origin, not North Korea's
  origin="$(bin/routewatch scenario describe --origin "$SCENARIO")"
fi
scenario_env+=("ROUTEWATCH_COLLECTOR_BGP_PORT=$BGP_PORT" "ROUTEWATCH_COLLECTOR_BMP_PORT=$BMP_PORT")

echo "routewatch: starting PostgreSQL..."
# each run starts empty: PostgreSQL is a fresh temp cluster, so no RIB snapshot from an earlier run
rm -rf "$run_dir/pg.url" "$run_dir/snapshot"
detach java -cp "$(ls libs/pgrunner/target/routewatch-pgrunner-*.jar | head -1)" io.routewatch.pg.LocalPostgres "$run_dir/pg.url" >"$run_dir/postgres.log" 2>&1
pids+=($!); names[$!]=PostgreSQL
for _ in $(seq 1 120); do [ -s "$run_dir/pg.url" ] && break; kill -0 "${pids[0]}" 2>/dev/null || break; sleep 0.25; done
if [ ! -s "$run_dir/pg.url" ]; then echo "routewatch: PostgreSQL did not start:" >&2; cat "$run_dir/postgres.log" >&2; exit 1; fi
db_url="$(cat "$run_dir/pg.url")"
echo "routewatch: PostgreSQL at $db_url"

echo "routewatch: starting Alertmanager on 127.0.0.1:$AM_PORT..."
# Alertmanager's storage lives as long as the database does: PostgreSQL is new every run, so
# alerts and silences (and the notification log) of an earlier run must not show up in this one.
rm -rf "$run_dir/alertmanager"
mkdir -p "$run_dir/alertmanager"
# The shipped configuration (routes per subject, inhibit rules; docs/deployment.md) with its empty
# receivers: the run's ALERT lines list every alert Alertmanager holds, inhibited ones included.
cp helm/routewatch/files/alertmanager.yml "$run_dir/alertmanager.yml"
am_bin="$(command -v prometheus-alertmanager || command -v alertmanager)"
detach "$am_bin" --config.file="$run_dir/alertmanager.yml" --storage.path="$run_dir/alertmanager" \
  --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= >"$run_dir/alertmanager.log" 2>&1
pids+=($!); names[$!]=Alertmanager

# This script's own settings stay out of the services' environment: they refuse routewatch keys
# they do not read, and ROUTEWATCH_STATE_PORT would read as routewatch.state.port.
own_env=()
for v in COLLECTOR_PORT STATE_PORT ALERT_PORT ALERTMANAGER_PORT BGP_PORT BMP_PORT RUN_DIR DEMO SCENARIO SERVICE_JAVA_OPTS; do
  own_env+=(-u "ROUTEWATCH_$v")
done

start_service() { # name port extra-env...
  local name=$1 port=$2; shift 2
  detach env "${own_env[@]}" "${scenario_env[@]}" "$@" QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 \
    java $JAVA_OPTS -jar "services/$name/target/quarkus-app/quarkus-run.jar" >"$run_dir/$name.log" 2>&1
  pids+=($!); names[$!]=$name
}

start_service state "$STATE_PORT" ROUTEWATCH_DB_URL="$db_url" ROUTEWATCH_STATE_SNAPSHOT_DIR="$run_dir/snapshot"
wait_ready state "$STATE_PORT" 60
start_service alert "$ALERT_PORT" ROUTEWATCH_DB_URL="$db_url" QUARKUS_GRPC_CLIENTS_STATE_PORT="$STATE_PORT" \
  ROUTEWATCH_ALERT_ALERTMANAGER_URLS="http://127.0.0.1:$AM_PORT" ROUTEWATCH_ALERT_STATE_URL="http://127.0.0.1:$STATE_PORT"
# Imports through the API read only under these (routewatch.collector.mrt.import-dirs): the demo
# archive's directory and, in a checkout next to it, the shared routing corpus. Set
# ROUTEWATCH_COLLECTOR_MRT_IMPORT_DIRS (comma-separated) to import from elsewhere.
import_dirs="$root/demo,$(cd "$(dirname "$DEMO")" 2>/dev/null && pwd || echo "$root/demo")"
[ -d "$root/../shared/data" ] && import_dirs="$import_dirs,$(cd "$root/../shared/data" && pwd)"
IMPORT_DIRS="${ROUTEWATCH_COLLECTOR_MRT_IMPORT_DIRS:-$import_dirs}"
start_service collector "$COLLECTOR_PORT" QUARKUS_GRPC_CLIENTS_STATE_PORT="$STATE_PORT" \
  ROUTEWATCH_COLLECTOR_MRT_IMPORT_DIRS="$IMPORT_DIRS"
wait_ready alert "$ALERT_PORT" 60
wait_ready collector "$COLLECTOR_PORT" 60

cat <<TXT

routewatch is up:
  collector  http://127.0.0.1:$COLLECTOR_PORT   (gRPC + REST; BGP $BGP_PORT, BMP $BMP_PORT with the live feeds)
  state      http://127.0.0.1:$STATE_PORT   (gRPC + REST)
  alert      http://127.0.0.1:$ALERT_PORT   (gRPC + REST)
  web        http://127.0.0.1:$STATE_PORT/   (upstreams, share chart, open alerts)
  Alertmanager http://127.0.0.1:$AM_PORT/#/alerts
  health     curl http://127.0.0.1:$STATE_PORT/q/health/ready
  metrics    curl http://127.0.0.1:$COLLECTOR_PORT/q/metrics | grep routewatch_
  logs       $run_dir/*.log

Try:
  bin/routewatch api                 # each service's gRPC API (server reflection)
  bin/routewatch import --collector 127.0.0.1:$COLLECTOR_PORT FILE.gz   # an MRT archive (under $IMPORT_DIRS)
  bin/routewatch stats --state 127.0.0.1:$STATE_PORT                  # what state holds
TXT
bin/routewatch api --collector 127.0.0.1:$COLLECTOR_PORT --state 127.0.0.1:$STATE_PORT --alert 127.0.0.1:$ALERT_PORT || true
echo
echo "links:  collector→state $(curl -s http://127.0.0.1:$COLLECTOR_PORT/q/metrics | grep -E '^routewatch_collector_state_link_connected' | awk '{print $2}')" \
     "  state→alert $(curl -s http://127.0.0.1:$ALERT_PORT/q/metrics | grep -E '^routewatch_alert_state_link_connected' | awk '{print $2}')   (1 = connected)"
echo
if [ "$SCENARIO" != none ]; then
  echo "routewatch: playing $(basename "$SCENARIO"):"
  bin/routewatch scenario describe "$SCENARIO" | sed 's/^/  /'
  echo "  (each ALERT line is an alert as Alertmanager shows it; see also http://127.0.0.1:$AM_PORT/#/alerts)"
  # in the background so its sessions stay up after the run (state keeps the final picture);
  # stopped with everything else on Ctrl-C
  rm -f "$run_dir/scenario.done"
  detach bin/routewatch scenario run "$SCENARIO" --collector 127.0.0.1:$COLLECTOR_PORT --state 127.0.0.1:$STATE_PORT \
    --alert 127.0.0.1:$ALERT_PORT --bgp 127.0.0.1:$BGP_PORT --alertmanager "http://127.0.0.1:$AM_PORT" \
    --work-dir "$run_dir/scenario" --keep-sessions --done-file "$run_dir/scenario.done"
  scenario_pid=$!
  for _ in $(seq 1 1200); do # bounded: 10 minutes (the scenario takes ~2.5)
    [ -s "$run_dir/scenario.done" ] && break
    kill -0 "$scenario_pid" 2>/dev/null || break
    sleep 0.5
  done
  case "$(cat "$run_dir/scenario.done" 2>/dev/null)" in
    0) ;;
    "") echo "routewatch: the scenario did not finish; see $run_dir/scenario/exabgp.log" >&2 ;;
    *) echo "routewatch: the scenario did not go as expected (report above)" ;;
  esac
  sleep 0.5
  echo
  echo "routewatch: upstreams of $origin after the scenario:"
  bin/routewatch upstreams "$origin" --state 127.0.0.1:$STATE_PORT || true
  echo
fi
# The demo archive is North Korea's (AS131279 in 2015): imported with no scenario or with the
# North Korea one, not into another scenario's picture.
if [ -f "$DEMO" ] && { [ "$SCENARIO" = none ] || [ "$origin" = AS131279 ]; }; then
  if [ "$SCENARIO" = none ]; then
    echo "routewatch: watching AS131279 (North Korea)"
    curl -fsS -X POST -H 'Content-Type: application/json' -d '{"kind":"ASN","value":"131279"}' \
      "http://127.0.0.1:$ALERT_PORT/api/v1/watch" >/dev/null 2>&1 || echo "routewatch: (could not add the watch entry)"
  fi
  # An archive import: a real RIS peer of 23 Oct 2015 (its own VP; AS131279 behind AS4837 only then).
  echo "routewatch: importing the bundled demo archive (real RIPE RIS data, 2015-10-23, one RIS peer)..."
  bin/routewatch import --collector 127.0.0.1:$COLLECTOR_PORT "$DEMO" || true
  echo
  echo "routewatch: upstreams of AS131279 now:"
  bin/routewatch upstreams AS131279 --state 127.0.0.1:$STATE_PORT || true
  echo
fi
cat <<TXT

Next, try:
  bin/routewatch stats --state 127.0.0.1:$STATE_PORT
  curl -s http://127.0.0.1:$STATE_PORT/api/v1/upstreams/${origin:-AS131279}
  curl -s http://127.0.0.1:$STATE_PORT/api/v1/upstreams/KP
  curl -s http://127.0.0.1:$AM_PORT/api/v2/alerts
TXT
echo
echo "Press Ctrl-C to stop everything."
# Exit (and clean up) if any service dies.
while true; do
  for p in "${pids[@]}"; do
    if [ $stopping = 0 ] && ! kill -0 "$p" 2>/dev/null; then
      echo "routewatch: ${names[$p]:-a process} ($p) exited; see $run_dir/*.log" >&2
      exit 1
    fi
  done
  sleep 1
done
