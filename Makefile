# routewatch — the front door. `make run` and `make test` are all a new machine needs.
SHELL := /bin/bash
MVN   ?= ./mvnw -B -q
# The test runs keep Maven's own per-class "Tests run:" lines and its results summary in the log.
MVN_TEST ?= ./mvnw -B -ntp
FUZZ_TIME ?= 60

.PHONY: all build run test test-full scenarios fuzz bench bench-compare bench-leak fmt fmt-check clean deps help images k8s native cluster

all: build

help:
	@echo "make run    - PostgreSQL + collector + state + alert on loopback, demo import; Ctrl-C stops all"
	@echo "make test   - format check, proto lint, every test (real PostgreSQL, real daemons); what CI runs"
	@echo "make test-full - make test with the full sizes it samples (GoBGP RIB, all scenarios, generated seeds 1-60, 5 min fuzz per target)"
	@echo "make scenarios SEEDS=N [FIRST=1] [BATCH=20] - N generated scenario seeds end to end, in batches; SEED=x [VPS=n] one seed; FILE=f a kept file"
	@echo "make build  - compile and package everything, bin/routewatch ready"
	@echo "make fuzz   - run the codec fuzz targets for FUZZ_TIME seconds each (default 60)"
	@echo "make bench  - benchmarks (JMH + whole-process vs bgpdump) -> docs/benchmarks.md"
	@echo "make bench-compare BASE=<commit> - same-run A/B of codec and engine JMH vs HEAD"
	@echo "make bench-leak - interleaved rounds of LeakBench: what the leak check and neighbour tracking add"
	@echo "make fmt    - format all Java sources (google-java-format via Spotless)"
	@echo "make clean  - remove build output"
	@echo "make cluster - the chart's manifests as pods in network namespaces, with routers (root); Ctrl-C removes all"
	@echo "make k8s    - render helm/routewatch (default values) into k8s/ (helm-java, no helm binary)"
	@echo "make images - container images with docker/podman (IMAGE_FLAVOR=jvm|native)"
	@echo "make native - native build (full with GraalVM/Mandrel; native-image sources only without)"

deps:
	@scripts/deps.sh all

build:
	$(MVN) install -DskipTests
	@bin/routewatch generate-completion > bin/routewatch-completion.bash
	@echo "built: bin/routewatch (completion: source bin/routewatch-completion.bash), services/*/target/quarkus-app"

run:
	@scripts/deps.sh run
	$(MVN) install -DskipTests
	@scripts/run.sh

test:
	@scripts/deps.sh test
	$(MVN) spotless:check
	$(MVN) install -DskipTests -Dmaven.test.skip=true
	@find . -path ./node_modules -prune -o -type d \( -name surefire-reports -o -name failsafe-reports \) -path '*/target/*' -prune -exec rm -rf {} +
	$(MVN_TEST) verify
	@scripts/test-summary.sh
	@scripts/fuzz.sh $${CI_FUZZ_TIME:-30}

# The full sizes of what make test samples: GoBGP's 10,000-route RIB, every scenario file, generated
# scenario seeds 1-60 (make test: 1-20), 5 min of fuzzing per codec target. Not in CI (about 25
# minutes more than make test).
test-full:
	@scripts/deps.sh test
	$(MVN) install -DskipTests -Dmaven.test.skip=true
	$(MVN) verify -Droutewatch.e2e.full=true -Droutewatch.scenario.all=true -Droutewatch.scenarios.seeds=60
	@scripts/fuzz.sh 300

# The generated scenario suite (docs/alerts.md, "Generated scenarios"): make test plays a sample
# (seeds 1-20 in one batch, printed, and the non-pending scenarios/regressions/ files), make
# test-full seeds 1-60; this plays SEEDS seeds from FIRST in batches of BATCH (one stack run each,
# without the regression files), or SEED alone (over VPS VPs when given), or a kept FILE.
SEEDS ?= 20
FIRST ?= 1
BATCH ?= 20
SPEED ?= 360
scenarios:
	@scripts/deps.sh test
	$(MVN) install -DskipTests -Dmaven.test.skip=true
	$(MVN) -pl e2e verify -Dit.test=GeneratedScenariosIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
	  -Dfailsafe.failIfNoSpecifiedTests=false -Droutewatch.scenarios.seeds=$(SEEDS) \
	  -Droutewatch.scenarios.first=$(FIRST) -Droutewatch.scenarios.batch=$(BATCH) \
	  -Droutewatch.scenarios.seed=$(SEED) -Droutewatch.scenarios.vps=$(or $(VPS),0) \
	  -Droutewatch.scenarios.file=$(FILE) -Droutewatch.scenarios.speed=$(SPEED) \
	  -Droutewatch.scenarios.regressions=false

fuzz:
	$(MVN) install -DskipTests -Dmaven.test.skip=true
	@scripts/fuzz.sh $(FUZZ_TIME)

bench:
	@scripts/deps.sh bench
	$(MVN) install -DskipTests
	@bench/run.sh
	@bench/pipeline.sh
	@bench/alert.sh
	@bench/alert-pipeline.sh
	@bench/alert-latency.sh

# What the route-leak check and the neighbour tracking add to the engine, interleaved rounds
bench-leak:
	$(MVN) -o -pl bench -am package -DskipTests
	@bench/leak.sh

# Same-run A/B of the codec and engine JMH benches between BASE and HEAD (bench/README.md)
bench-compare:
	@[ -n "$(BASE)" ] || { echo "make bench-compare BASE=<commit> [HEAD=<commit>]" >&2; exit 2; }
	@bench/compare.sh $(BASE) $(or $(HEAD),HEAD)

fmt:
	$(MVN) spotless:apply

fmt-check:
	$(MVN) spotless:check

clean:
	$(MVN) clean
	rm -rf .run

# --- deployment (docs/deployment.md) -------------------------------------------------------
# The rendered chart (ci/values-cluster.yaml) as a cluster on this machine: every pod a process in
# its own network namespace, Services by DNAT, NetworkPolicies by iptables, FRR and ExaBGP routers,
# Alertmanager. Needs root (ip netns). Ctrl-C leaves no namespace, bridge, process or listener.
cluster:
	@scripts/deps.sh cluster
	@[ "$$(id -u)" = 0 ] || { echo "make cluster: needs root (network namespaces, iptables)" >&2; exit 1; }
	$(MVN) install -DskipTests
	$(MVN) -pl e2e test-compile dependency:build-classpath -Dmdep.outputFile=target/cluster.classpath -Dmdep.includeScope=test
	@java -cp e2e/target/test-classes:$$(cat e2e/target/cluster.classpath) io.routewatch.e2e.cluster.ClusterLab render "$(CURDIR)" .run/cluster.yaml
	@exec java -cp e2e/target/test-classes:$$(cat e2e/target/cluster.classpath) io.routewatch.e2e.cluster.ClusterLab run "$(CURDIR)" .run/cluster.yaml

k8s:
	$(MVN) -pl deploy compile exec:java

images:
	@deploy/scripts/images.sh

native:
	@deploy/scripts/native.sh
