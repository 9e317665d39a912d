#!/usr/bin/env bash
# Installs the Debian packages routewatch's `make run` / `make test` need, when missing.
# Usage: scripts/deps.sh [run|test|bench|cluster|all]
set -euo pipefail
what="${1:-all}"

# command → Debian package
declare -A pkg=(
  [/usr/lib/postgresql]=postgresql
  [bgpdump]=bgpdump
  [tshark]=tshark
  [gobgpd]=gobgpd
  [exabgp]=exabgp
  [bird]=bird2
  [vtysh]=frr
  [prometheus]=prometheus
  [prometheus-alertmanager]=prometheus-alertmanager
  [promtool]=prometheus
  [lbzip2]=lbzip2
  [chromium]=chromium
  [iptables]=iptables
  # Python modules (py:<module>, for Debian's /usr/bin/python3): the client conformance test (e2e ClientConformanceIT)
  [py:grpc]=python3-grpcio
  [py:google.protobuf]=python3-protobuf
)
case "$what" in
  run)   need=(/usr/lib/postgresql prometheus-alertmanager exabgp lbzip2) ;;
  bench) need=(/usr/lib/postgresql bgpdump lbzip2) ;;
  test|all) need=(/usr/lib/postgresql bgpdump tshark gobgpd exabgp bird vtysh prometheus prometheus-alertmanager promtool lbzip2 chromium iptables py:grpc py:google.protobuf) ;;
  cluster) need=(/usr/lib/postgresql exabgp vtysh prometheus-alertmanager chromium iptables) ;;
  *) echo "usage: $0 [run|test|bench|cluster|all]" >&2; exit 2 ;;
esac

missing=()
for c in "${need[@]}"; do
  if [[ "$c" == py:* ]]; then
    /usr/bin/python3 -c "import ${c#py:}" >/dev/null 2>&1 || missing+=("${pkg[$c]}")
  elif [[ "$c" == /* ]]; then
    ls "$c"/*/bin/initdb >/dev/null 2>&1 || missing+=("${pkg[$c]}")
  else
    command -v "$c" >/dev/null 2>&1 || [ -x "/usr/sbin/$c" ] || [ -x "/usr/lib/frr/$c" ] || missing+=("${pkg[$c]}")
  fi
done
if ! command -v java >/dev/null 2>&1; then missing+=(openjdk-17-jdk-headless); fi
# de-duplicate
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u | sed '/^$/d')
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "routewatch: missing Debian packages: ${missing[*]}" >&2
  echo "routewatch: install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "routewatch: installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Nothing may auto-start: routewatch runs its own instances on loopback ports.
for s in postgresql prometheus prometheus-alertmanager frr bird exabgp gobgpd; do
  (command -v systemctl >/dev/null && systemctl stop "$s" 2>/dev/null) || true
  (command -v service >/dev/null && service "$s" stop >/dev/null 2>&1) || true
done
