#!/usr/bin/env bash
# `make native`: the native build as far as this machine can take it.
# - With GraalVM/Mandrel (native-image on PATH) or NATIVE_CONTAINER_BUILD=true: the full native
#   build of the three services and their *IT tests against the native executables (verify).
# - Without: the native-image *sources* (-Dquarkus.native.sources-only=true): Quarkus runs its
#   whole build-time analysis and writes target/native-sources/ (3.37.4; older releases:
#   target/<name>-native-image-source-jar/) with the runner jar, lib/ and native-image.args; this script checks one exists per service. No executable
#   is produced and nothing claims one was.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
services=(collector state alert)
pl="services/collector,services/state,services/alert"

if command -v native-image >/dev/null 2>&1 || [ "${NATIVE_CONTAINER_BUILD:-false}" = true ]; then
  extra=()
  [ "${NATIVE_CONTAINER_BUILD:-false}" = true ] && extra+=(-Dquarkus.native.container-build=true)
  echo "native: full native build and integration tests (${extra[*]:-local native-image})"
  ./mvnw -B -q -Pnative -pl "$pl" -am verify "${extra[@]}"
  for s in "${services[@]}"; do
    ls services/$s/target/*-runner >/dev/null
    echo "native: services/$s: $(ls services/$s/target/*-runner)"
  done
  exit 0
fi

echo "native: no native-image on PATH: building native-image sources only (-Dquarkus.native.sources-only=true)"
./mvnw -B -q -Pnative -pl "$pl" -am package -Dquarkus.native.sources-only=true -DskipTests
status=0
for s in "${services[@]}"; do
  # Quarkus names the directory <artifact>-native-image-source-jar (older releases, and
  # quarkus-artifact.properties) or native-sources (3.37.4 writes this one).
  dir="$(ls -d services/$s/target/*-native-image-source-jar services/$s/target/native-sources 2>/dev/null | head -1 || true)"
  if [ -n "$dir" ] && [ -f "$dir/native-image.args" ] && ls "$dir"/*-runner.jar >/dev/null 2>&1; then
    echo "native: services/$s: $dir ($(ls "$dir/lib" | wc -l) libraries, native-image.args present)"
  else
    echo "native: services/$s: no native-image source jar under services/$s/target/" >&2
    status=1
  fi
done
[ $status -eq 0 ] && echo "native: sources ready; no native executable was built (no GraalVM/Mandrel here)"
exit $status
