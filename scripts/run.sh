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
JAVA_OPTS="${ROUTEWATCH_SERVICE_JAVA_OPTS:--Xmx2g -XX:+UseParallelGC}"

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "routewatch: stopping..."
  for ((i=${#pids[@]}-1; i>=0; i--)); do
    kill -TERM "${pids[$i]}" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  echo "routewatch: stopped."
}
trap cleanup INT TERM EXIT

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$COLLECTOR_PORT" "$STATE_PORT" "$ALERT_PORT" "$AM_PORT"; do
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

echo "routewatch: starting PostgreSQL..."
# each run starts empty: PostgreSQL is a fresh temp cluster, so no RIB snapshot from an earlier run
rm -rf "$run_dir/pg.url" "$run_dir/snapshot"
java -cp "$(ls libs/pgrunner/target/routewatch-pgrunner-*.jar | head -1)" io.routewatch.pg.LocalPostgres "$run_dir/pg.url" >"$run_dir/postgres.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do [ -s "$run_dir/pg.url" ] && break; kill -0 "${pids[0]}" 2>/dev/null || break; sleep 0.25; done
if [ ! -s "$run_dir/pg.url" ]; then echo "routewatch: PostgreSQL did not start:" >&2; cat "$run_dir/postgres.log" >&2; exit 1; fi
db_url="$(cat "$run_dir/pg.url")"
echo "routewatch: PostgreSQL at $db_url"

echo "routewatch: starting Alertmanager on 127.0.0.1:$AM_PORT..."
mkdir -p "$run_dir/alertmanager"
cat >"$run_dir/alertmanager.yml" <<YML
route:
  receiver: console
  group_by: [alertname, asn]
  group_wait: 1s
  group_interval: 5s
  repeat_interval: 1h
receivers:
  - name: console
YML
am_bin="$(command -v prometheus-alertmanager || command -v alertmanager)"
"$am_bin" --config.file="$run_dir/alertmanager.yml" --storage.path="$run_dir/alertmanager" \
  --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= >"$run_dir/alertmanager.log" 2>&1 &
pids+=($!)

start_service() { # name port extra-env...
  local name=$1 port=$2; shift 2
  env "$@" QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 \
    java $JAVA_OPTS -jar "services/$name/target/quarkus-app/quarkus-run.jar" >"$run_dir/$name.log" 2>&1 &
  pids+=($!)
}

start_service state "$STATE_PORT" ROUTEWATCH_DB_URL="$db_url" ROUTEWATCH_STATE_SNAPSHOT_DIR="$run_dir/snapshot"
wait_ready state "$STATE_PORT" 60
start_service alert "$ALERT_PORT" ROUTEWATCH_DB_URL="$db_url" QUARKUS_GRPC_CLIENTS_STATE_PORT="$STATE_PORT" \
  ROUTEWATCH_ALERT_ALERTMANAGER_URLS="http://127.0.0.1:$AM_PORT" ROUTEWATCH_ALERT_STATE_URL="http://127.0.0.1:$STATE_PORT"
start_service collector "$COLLECTOR_PORT" QUARKUS_GRPC_CLIENTS_STATE_PORT="$STATE_PORT"
wait_ready alert "$ALERT_PORT" 60
wait_ready collector "$COLLECTOR_PORT" 60

cat <<TXT

routewatch is up:
  collector  http://127.0.0.1:$COLLECTOR_PORT   (gRPC + REST; BGP 1179, BMP 11019 with the live feeds)
  state      http://127.0.0.1:$STATE_PORT   (gRPC + REST)
  alert      http://127.0.0.1:$ALERT_PORT   (gRPC + REST)
  web        http://127.0.0.1:$STATE_PORT/   (upstreams, share chart, open alerts)
  Alertmanager http://127.0.0.1:$AM_PORT/#/alerts
  health     curl http://127.0.0.1:$STATE_PORT/q/health/ready
  metrics    curl http://127.0.0.1:$COLLECTOR_PORT/q/metrics | grep routewatch_
  logs       $run_dir/*.log

Try:
  bin/routewatch api                 # each service's gRPC API (server reflection)
  bin/routewatch import FILE.gz      # import an MRT archive
  bin/routewatch stats               # what state holds
TXT
bin/routewatch api --collector 127.0.0.1:$COLLECTOR_PORT --state 127.0.0.1:$STATE_PORT --alert 127.0.0.1:$ALERT_PORT || true
echo
echo "links:  collector→state $(curl -s http://127.0.0.1:$COLLECTOR_PORT/q/metrics | grep -E '^routewatch_collector_state_link_connected' | awk '{print $2}')" \
     "  state→alert $(curl -s http://127.0.0.1:$ALERT_PORT/q/metrics | grep -E '^routewatch_alert_state_link_connected' | awk '{print $2}')   (1 = connected)"
echo
if [ -f "$DEMO" ]; then
  echo "routewatch: watching AS131279 (North Korea) and importing the bundled demo archive (real RIS data, 2015-10-23)..."
  curl -fsS -X POST -H 'Content-Type: application/json' -d '{"kind":"ASN","value":"131279"}' \
    "http://127.0.0.1:$ALERT_PORT/api/v1/watch" >/dev/null 2>&1 || echo "routewatch: (could not add the watch entry)"
  bin/routewatch import --collector 127.0.0.1:$COLLECTOR_PORT "$DEMO" || true
  echo
  echo "routewatch: upstreams of AS131279 now:"
  curl -fsS "http://127.0.0.1:$STATE_PORT/api/v1/upstreams/AS131279" || true
  echo
fi
cat <<TXT

Next, try:
  bin/routewatch stats --state 127.0.0.1:$STATE_PORT
  curl -s http://127.0.0.1:$STATE_PORT/api/v1/upstreams/AS131279
  curl -s http://127.0.0.1:$STATE_PORT/api/v1/upstreams/KP
  curl -s http://127.0.0.1:$AM_PORT/api/v2/alerts
TXT
echo
echo "Press Ctrl-C to stop everything."
# Exit (and clean up) if any service dies.
while true; do
  for p in "${pids[@]}"; do
    if ! kill -0 "$p" 2>/dev/null; then echo "routewatch: a process ($p) exited; see $run_dir/*.log" >&2; exit 1; fi
  done
  sleep 1
done
