#!/usr/bin/env bash
# Same-run A/B of the JMH benchmarks between two commits: the codec (CodecBench decodeOnly and
# formatToNull on both files) and the state engine (EngineBench), base and head alternating, so
# both sides see the same machine. Issue 16 acceptance 5 asks that a restructuring keeps every
# benchmark within 5 % of its previous figure, compared in one run.
#
# Each side is built from `git archive` of its commit into .run/compare/<sha> with the same command
# (`mvnw -o package -pl bench -am`, tests skipped), so neither touches ~/.m2 nor this tree's targets;
# the JVMs run from the repository root (the benches find ../shared/data from there).
#
# Usage: bench/compare.sh BASE [HEAD]      (HEAD defaults to HEAD)
# Env: COMPARE_ROUNDS (default 3), COMPARE_CODEC_FORKS (3), COMPARE_ENGINE_FORKS (2), ROUTEWATCH_DATA (default <repo>/../shared/data),
#      COMPARE_WRITE=0 to print the table without rewriting docs/benchmarks.md.
# Writes the section between <!-- compare:begin --> and <!-- compare:end --> of docs/benchmarks.md.
# Bounded: every JMH run under `timeout`; ~5 min per side and round on 2 quiet cores.
set -euo pipefail
export LC_ALL=C
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
[ $# -ge 1 ] || { echo "usage: bench/compare.sh BASE [HEAD]" >&2; exit 2; }
base="$(git rev-parse --short "$1^{commit}")"
head="$(git rev-parse --short "${2:-HEAD}^{commit}")"
rounds="${COMPARE_ROUNDS:-3}"
data="$(cd "${ROUTEWATCH_DATA:-$here/../shared/data}" && pwd)"
export ROUTEWATCH_DATA="$data"
doc="$here/docs/benchmarks.md"
out="$here/.run/compare"
mkdir -p "$out"
load() { cut -d' ' -f1-3 /proc/loadavg; }

build() { # sha -> builds .run/compare/<sha>
  local d="$out/$1"
  if [ ! -f "$d/.built" ]; then
    rm -rf "$d" && mkdir -p "$d"
    git archive "$1" | tar -x -C "$d"
    echo "compare: building $1" >&2
    (cd "$d" && ./mvnw -B -q -o package -DskipTests -Dmaven.test.skip=true -Dspotless.check.skip=true \
      -pl bench -am > "$d/build.log" 2>&1) || { tail -30 "$d/build.log" >&2; exit 1; }
    touch "$d/.built"
  fi
}
build "$base"
build "$head"

# one JMH run of one side: prints "benchmark|param|ops/s" per measured iteration (every fork)
jmh() { # sha label args...
  local sha="$1" label="$2"; shift 2
  local d="$out/$sha" txt="$out/$sha.$label.txt"
  timeout 900 java -cp "$d/bench/target/classes:$d/bench/target/lib/*" org.openjdk.jmh.Main "$@" \
    > "$txt" 2>&1 || { tail -20 "$txt" >&2; exit 1; }
  python3 "$here/bench/compare.py" iterations "$txt"
}
# several forks per run: a JVM's JIT decisions move a figure by more than 5 % from one fork to the
# next, so one fork per side would compare two JIT outcomes, not two codes
codec=(-f "${COMPARE_CODEC_FORKS:-3}" -wi 3 -w 1s -i 5 -r 1s 'io.routewatch.bench.CodecBench.(decodeOnly|formatToNull)')
# EngineBench's own @Fork arguments (-Xmx3g, ParallelGC) apply: no -jvmArgsAppend here
engine=(-f "${COMPARE_ENGINE_FORKS:-2}" -wi 2 -w 5s -i 5 -r 5s 'io.routewatch.statebench.EngineBench')

res="$out/results.txt"
: > "$res"
load_start="$(load)"
echo "compare: $base vs $head, $rounds rounds (load $load_start)" >&2
for r in $(seq 1 "$rounds"); do
  # alternate which side goes first, so a drift in the machine's speed does not favour one
  if [ $((r % 2)) -eq 1 ]; then order=("$base" "$head"); else order=("$head" "$base"); fi
  for sha in "${order[@]}"; do
    side=base; [ "$sha" = "$head" ] && side=head
    echo "compare: round $r, $side ($sha), codec (load $(load))" >&2
    jmh "$sha" "codec.$r" "${codec[@]}" | sed "s/^/$side|$r|/" >> "$res"
    echo "compare: round $r, $side ($sha), engine (load $(load))" >&2
    jmh "$sha" "engine.$r" "${engine[@]}" | sed "s/^/$side|$r|/" >> "$res"
  done
done
load_end="$(load)"

table="$(python3 "$here/bench/compare.py" table "$res")"
echo "$table"
[ "${COMPARE_WRITE:-1}" = 0 ] && exit 0

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
section="$(mktemp)"
{
  echo "<!-- compare:begin -->"
  echo "## Same-run comparison of two commits: codec and state engine (JMH)"
  echo
  echo "Written by \`bench/compare.sh $base $head\` on $(date -u '+%Y-%m-%d %H:%M UTC'): base \`$base\` and head \`$head\`,"
  echo "each built from \`git archive\` with the same command, then $rounds rounds, each running both sides (the side going first alternates)."
  echo "Machine: $(nproc) cores, $cpu; $(java -version 2>&1 | head -1). Load average (1/5/15 min) at start $load_start, at end $load_end."
  echo "Per round and side: \`CodecBench.(decodeOnly|formatToNull)\` (\`${codec[*]:0:10}\`; ops/s = whole files/s) and"
  echo "\`EngineBench\` (\`${engine[*]:0:10}\`; ops/s = events/s). Raw JMH output: \`.run/compare/<sha>.<bench>.<round>.txt\`."
  echo
  echo "$table"
  echo "<!-- compare:end -->"
} > "$section"
python3 "$here/bench/section.py" "$doc" compare "$section"
rm -f "$section"
echo "compare: wrote docs/benchmarks.md (compare section)" >&2
