#!/usr/bin/env bash
# Runs every Jazzer fuzz target of the codec for N seconds each (default 60); `make test` calls it
# with 30 (a sample: one round per target), `make fuzz FUZZ_TIME=600` for longer. Each target's
# @FuzzTest(maxDuration = "30s") is one round (jazzer-junit 0.24 ignores -Djazzer.max_duration);
# N seconds = ceil(N / 30) rounds,
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
rounds=$(( (secs + 29) / 30 ))
logs="${FUZZ_LOG_DIR:-target/fuzz-logs}"
mkdir -p "$logs"
failures=()
for t in "${targets[@]}"; do
  start=$SECONDS
  echo "fuzz: $t, $rounds round(s) of 30 s"
  log="$logs/${t//#/-}.log"
  for r in $(seq "$rounds"); do
    if ! JAZZER_FUZZ=1 $mvn_ -pl libs/bgp test -Dtest="io.routewatch.bgp.fuzz.$t" \
        -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1; then
      failures+=("$t (round $r, log $log)")
      echo "fuzz: $t FAILED in round $r (crash or hang); what Jazzer reported:"
      # the finding itself (exception, stack, reproducer path), not the corpus statistics
      grep -E -A25 "== Java Exception|FuzzerSecurityIssue|Timeout|OutOfMemory|crash-|reproducer|Tests run:.*Fail|ERROR\]" "$log" \
        | grep -v "# Uses:" | head -80 || tail -40 "$log"
      break
    fi
    tail -2 "$log" | grep -E "Done [0-9]+ runs" || true
  done
  echo "fuzz: $t done in $((SECONDS - start)) s"
done
if ((${#failures[@]})); then
  echo "fuzz: ${#failures[@]} target(s) FAILED:" >&2
  printf '  %s\n' "${failures[@]}" >&2
  printf 'fuzz FAILED: %s\n' "${failures[@]}"
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets ran ${secs} s each without a finding"
