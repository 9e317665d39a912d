#!/usr/bin/env bash
# Runs every Jazzer fuzz target of the codec for N seconds each (default 60); `make test` calls it
# with 60, `make fuzz FUZZ_TIME=600` for longer. A crash fails the run; Jazzer writes the input
# under libs/bgp/src/test/resources/... (keep it as a regression file and fix the codec).
set -euo pipefail
secs="${1:-60}"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn_="./mvnw -B -q -o"
[ -x ./mvnw ] || mvn_="mvn -B -q -o"
targets=(
  "MrtFuzzTest#bgpMessage"
  "MrtFuzzTest#updateAttributes"
  "MrtFuzzTest#mrtRecord"
  "MrtFuzzTest#mrtStream"
  "BmpFuzzTest#decode"
)
# Jazzer seeds a target from its own <Class>Inputs/<method> folder under .cifuzz-corpus; give the
# BMP target the real BMP messages we keep as seeds.
seed_dir="libs/bgp/.cifuzz-corpus/io.routewatch.bgp.fuzz.BmpFuzzTest/decode"
mkdir -p "$seed_dir" && cp -n libs/bgp/src/test/resources/fuzz/bmp/*.bin "$seed_dir"/ 2>/dev/null || true
failed=0
for t in "${targets[@]}"; do
  start=$SECONDS
  echo "fuzz: $t for ${secs}s"
  if ! JAZZER_FUZZ=1 $mvn_ -pl libs/bgp test -Dtest="io.routewatch.bgp.fuzz.$t" \
      -Djazzer.max_duration="${secs}s" -Dsurefire.failIfNoSpecifiedTests=false; then
    echo "fuzz: $t FAILED (crash or hang; see the reproducer Jazzer saved)" >&2
    failed=1
  fi
  echo "fuzz: $t done in $((SECONDS - start)) s"
done
exit $failed
