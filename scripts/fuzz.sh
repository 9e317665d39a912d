#!/usr/bin/env bash
# Runs every Jazzer fuzz target of the codec for N seconds each (default 60); `make test` calls it
# with 60, `make fuzz FUZZ_TIME=600` for longer. Each target's @FuzzTest(maxDuration = "60s") is
# one round (jazzer-junit 0.24 ignores -Djazzer.max_duration); N seconds = ceil(N / 60) rounds,
# each continuing from the corpus the previous round grew. A crash fails the run; Jazzer writes the input
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
rounds=$(( (secs + 59) / 60 ))
failed=0
for t in "${targets[@]}"; do
  start=$SECONDS
  echo "fuzz: $t, $rounds round(s) of 60 s"
  for r in $(seq "$rounds"); do
    if ! JAZZER_FUZZ=1 $mvn_ -pl libs/bgp test -Dtest="io.routewatch.bgp.fuzz.$t" \
        -Dsurefire.failIfNoSpecifiedTests=false; then
      echo "fuzz: $t FAILED in round $r (crash or hang; see the reproducer Jazzer saved)" >&2
      failed=1
      break
    fi
  done
  echo "fuzz: $t done in $((SECONDS - start)) s"
done
exit $failed
