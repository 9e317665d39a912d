#!/usr/bin/env bash
# `make images`: container images of collector, state and alert with docker or podman.
#   IMAGE_FLAVOR=jvm|native (default jvm)   IMAGE_REGISTRY (ghcr.io)   IMAGE_REPO (routewatch/routewatch)
#   IMAGE_TAG (project version; native adds -native)   CONTAINER_ENGINE=docker|podman (auto)
# Names match the Helm chart's defaults: <registry>/<repo>-<service>:<tag>.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
flavor="${IMAGE_FLAVOR:-jvm}"
registry="${IMAGE_REGISTRY:-ghcr.io}"
repo="${IMAGE_REPO:-routewatch/routewatch}"
version="$(sed -n 's:^  <version>\(.*\)</version>.*:\1:p' pom.xml | head -1)"
tag="${IMAGE_TAG:-$version}"
services=(collector state alert)

case "$flavor" in
  jvm) dockerfile=Dockerfile.jvm; suffix="" ;;
  native) dockerfile=Dockerfile.native-micro; suffix="-native" ;;
  *) echo "images: IMAGE_FLAVOR must be jvm or native, not '$flavor'" >&2; exit 2 ;;
esac

# A client binary is not enough: the engine must answer (docker's CLI exists on machines with
# no daemon).
engine="${CONTAINER_ENGINE:-}"
if [ -z "$engine" ]; then
  for candidate in docker podman; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" info >/dev/null 2>&1; then
      engine="$candidate"; break
    fi
  done
fi
if [ -z "$engine" ]; then
  cat >&2 <<MSG
images: no container engine here (neither 'docker info' nor 'podman info' answers), so no image
was built. On a machine with Docker or Podman, 'make images' (or IMAGE_FLAVOR=native) builds:
MSG
  for s in "${services[@]}"; do echo "  $registry/$repo-$s:$tag$suffix  (services/$s/src/main/docker/$dockerfile)" >&2; done
  exit 3
fi

mvn_args=(-B -q -pl services/collector,services/state,services/alert -am package -DskipTests)
if [ "$flavor" = native ]; then
  mvn_args+=(-Pnative)
  # Without a local GraalVM/Mandrel, Quarkus builds the executable inside a builder image.
  command -v native-image >/dev/null 2>&1 || mvn_args+=(-Dquarkus.native.container-build=true "-Dquarkus.native.container-runtime=$engine")
fi
echo "images: ./mvnw ${mvn_args[*]}"
./mvnw "${mvn_args[@]}"

for s in "${services[@]}"; do
  image="$registry/$repo-$s:$tag$suffix"
  echo "images: $engine build $image"
  "$engine" build -f "services/$s/src/main/docker/$dockerfile" -t "$image" "services/$s"
done
echo "images: built ${#services[@]} $flavor images with $engine (tag $tag$suffix); push with '$engine push <image>'"
