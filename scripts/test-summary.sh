#!/usr/bin/env bash
# Prints what the tests of the last build ran, per module and in total, from the JUnit XML reports
# Surefire and Failsafe wrote (target/surefire-reports, target/failsafe-reports), in Maven's own
# "Tests run:" form, and fails when a report says a test failed or when no test ran at all: a
# `make test` that executed nothing is a red build, not a green one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

total_run=0 total_fail=0 total_err=0 total_skip=0 modules=0
while IFS= read -r dir; do
  run=0 fail=0 err=0 skip=0 classes=0
  for f in "$dir"/TEST-*.xml; do
    [[ -e "$f" ]] || continue
    # The <testsuite ...> element's attributes (the first such element of the file).
    head=$(grep -m1 -o '<testsuite [^>]*>' "$f" || true)
    [[ -n "$head" ]] || { echo "test-summary: $f has no <testsuite> element" >&2; exit 1; }
    attr() { sed -nE "s/.* $1=\"([0-9]+)\".*/\1/p" <<<"$head"; }
    run=$((run + $(attr tests))) fail=$((fail + $(attr failures)))
    err=$((err + $(attr errors))) skip=$((skip + $(attr skipped)))
    classes=$((classes + 1))
  done
  ((classes > 0)) || continue
  modules=$((modules + 1))
  module=${dir%/target/*}
  printf 'Tests run: %d, Failures: %d, Errors: %d, Skipped: %d - %s (%s, %d classes)\n' \
    "$run" "$fail" "$err" "$skip" "${module#./}" "${dir##*/}" "$classes"
  total_run=$((total_run + run)) total_fail=$((total_fail + fail))
  total_err=$((total_err + err)) total_skip=$((total_skip + skip))
done < <(find . -path ./node_modules -prune -o -type d \( -name surefire-reports -o -name failsafe-reports \) \
  -path '*/target/*' -print | sort)

printf 'Total: Tests run: %d, Failures: %d, Errors: %d, Skipped: %d in %d report directories\n' \
  "$total_run" "$total_fail" "$total_err" "$total_skip" "$modules"
if ((total_run == 0)); then
  echo "test-summary: no test ran (no JUnit report under */target/*-reports)" >&2
  exit 1
fi
if ((total_fail + total_err > 0)); then
  echo "test-summary: $((total_fail + total_err)) test(s) failed" >&2
  exit 1
fi
