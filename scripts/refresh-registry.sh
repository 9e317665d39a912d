#!/usr/bin/env bash
# Downloads current RIR delegation files into DIR (default: ./registry) for
# routewatch.state.registry-dir. Needs network access to the RIRs' FTP/HTTPS servers.
set -euo pipefail
dir="${1:-registry}"
mkdir -p "$dir"
declare -A urls=(
  [apnic]=https://ftp.apnic.net/stats/apnic/delegated-apnic-extended-latest
  [ripencc]=https://ftp.ripe.net/pub/stats/ripencc/delegated-ripencc-extended-latest
  [arin]=https://ftp.arin.net/pub/stats/arin/delegated-arin-extended-latest
  [lacnic]=https://ftp.lacnic.net/pub/stats/lacnic/delegated-lacnic-extended-latest
  [afrinic]=https://ftp.afrinic.net/pub/stats/afrinic/delegated-afrinic-extended-latest
)
for rir in "${!urls[@]}"; do
  out="$dir/delegated-$rir-latest"
  echo "fetching ${urls[$rir]}"
  curl -fsSL --retry 3 -o "$out.tmp" "${urls[$rir]}"
  mv "$out.tmp" "$out"
done
echo "done: set routewatch.state.registry-dir=$(cd "$dir" && pwd)"
