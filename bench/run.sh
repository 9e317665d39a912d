#!/usr/bin/env bash
# Codec benchmarks (called by `make bench` after the build; runnable alone once bench/ and cli/ are
# built): whole-process `routewatch mrt dump` vs `bgpdump -m`, JMH decode-only / formatting
# throughput, and the bzip2 decoders. Writes its section of docs/benchmarks.md between
# <!-- codec:begin --> and <!-- codec:end --> (other sections of that file are kept as they are).
#
# Env: ROUTEWATCH_DATA (corpus, default <repo>/../shared/data), BENCH_RUNS (whole-process runs per
# tool and file, default 7), BENCH_QUICK=1 (JMH 1 warm-up + 2 iterations, to check the script).
# Every loop is bounded; the whole script takes ~3-4 minutes on 2 quiet cores, 5-6.5 at load 12-20.
set -euo pipefail
export LC_ALL=C.UTF-8
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
data="$(cd "${ROUTEWATCH_DATA:-$here/../shared/data}" && pwd)"
runs="${BENCH_RUNS:-7}"
doc="$here/docs/benchmarks.md"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

et="$data/mrt/ripe-bgpdump/updates.et-header.2015.gz"
rib="$data/mrt/pyasn/rib.20140523.0600_firstMB.bz2"
for f in "$et" "$rib"; do [ -f "$f" ] || { echo "bench: missing $f (set ROUTEWATCH_DATA)" >&2; exit 2; }; done
command -v bgpdump >/dev/null || { echo "bench: bgpdump missing (scripts/deps.sh bench)" >&2; exit 2; }
ls cli/target/routewatch-cli-*.jar >/dev/null 2>&1 || { echo "bench: build first (make build)" >&2; exit 2; }
[ -d bench/target/lib ] || { echo "bench: build bench/ first (./mvnw -pl bench -am install)" >&2; exit 2; }

load() { cut -d' ' -f1-3 /proc/loadavg; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
# one timed run: appends "label wall cpu" to $tmp/runs (cpu = user + sys, children included)
timed() {
  local label="$1"; shift
  local TIMEFORMAT='%R %U %S' t
  t="$( { time "$@" >/dev/null 2>&1; } 2>&1 | tail -1)" || true
  echo "$label $t" | awk '{printf "%s %.3f %.3f\n", $1, $2, $3 + $4}' >> "$tmp/runs"
}
col() { awk -v l="$1" -v c="$2" '$1 == l {print $c}' "$tmp/runs"; }
list() { col "$1" 2 | tr '\n' ' ' | sed 's/ $//'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

rw() { "$here/bin/routewatch" mrt dump "$@"; }
# the launcher's options for a short dump, plus the decoder
dec_opts="-XX:+UseSerialGC -Xss1m -XX:TieredStopAtLevel=1 -Xshare:auto -Droutewatch.bgp.bzip2="
rw_decoder() { local d="$1"; shift; ROUTEWATCH_JAVA_OPTS="$dec_opts$d" "$here/bin/routewatch" mrt dump "$@"; }

load_start="$(load)"
echo "bench: whole process, $runs alternating runs per tool and file (load $load_start)" >&2
: > "$tmp/runs"
for i in $(seq "$runs"); do
  timed bgpdump_et bgpdump -m "$et"
  timed rw_et rw "$et"
  timed bgpdump_rib bgpdump -m "$rib"
  timed rw_rib rw "$rib"
done
load_whole="$(load)"

echo "bench: bzip2 decoders in the whole process, 3 runs each (load $load_whole)" >&2
for i in 1 2 3; do
  for d in lbzip2 parallel serial; do timed "rw_rib_$d" rw_decoder "$d" "$rib"; done
done
load_bz="$(load)"

echo "bench: JMH (load $load_bz)" >&2
if [ -n "${BENCH_QUICK:-}" ]; then jmh_opts=(-f 1 -wi 1 -w 1s -i 2 -r 1s); else jmh_opts=(-f 1 -wi 3 -w 1s -i 5 -r 1s); fi
java -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main "${jmh_opts[@]}" \
  -jvmArgsAppend "-Droutewatch.data=$data" -rf csv -rff "$tmp/jmh.csv" 'io.routewatch.bench.' > "$tmp/jmh.txt"
load_end="$(load)"

# JMH csv: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit",params...
score() { # benchmark[:counter] param -> score
  awk -F, -v b="io.routewatch.bench.$1" -v p="$2" '{gsub(/["\r]/, "")} $1 == b && ($8 == p || $9 == p) {print $5}' "$tmp/jmh.csv"
}

bg_et="$(col bgpdump_et 2 | median)"; rw_et="$(col rw_et 2 | median)"
bg_rib="$(col bgpdump_rib 2 | median)"; rw_rib="$(col rw_rib 2 | median)"
per_op() { awk -v r="$(score "CodecBench.decodeOnly:$1" "$2")" -v o="$(score CodecBench.decodeOnly "$2")" 'BEGIN {printf "%.0f", r / o}'; }
rec_et="$(per_op records et-header)"; rec_rib="$(per_op records rib-bz2)"
bg_rps_et=$(awk -v n="$rec_et" -v t="$bg_et" 'BEGIN {printf "%.0f", n / t}')
bg_rps_rib=$(awk -v n="$rec_rib" -v t="$bg_rib" 'BEGIN {printf "%.0f", n / t}')
fmt() { printf "%.0f" "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
{
  echo "<!-- codec:begin -->"
  echo "## Codec: \`routewatch mrt dump\` vs \`bgpdump -m\`, decode-only, bzip2"
  echo
  echo "Written by \`bench/run.sh\` (\`make bench\`) on $(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$(git rev-parse --short HEAD 2>/dev/null || echo '?')\`."
  echo "Machine: $(nproc) cores, $cpu; $(java -version 2>&1 | head -1); bgpdump $(dpkg-query -W -f '${Version}' bgpdump 2>/dev/null || echo '?'); lbzip2 $(dpkg-query -W -f '${Version}' lbzip2 2>/dev/null || echo 'absent')."
  echo "Load average (1/5/15 min) at start $load_start, after whole-process runs $load_whole, after bzip2 runs $load_bz, at end $load_end."
  echo "The cores are shared with other builds: with a load above ~2 every figure is slowed, bgpdump's and ours alike; compare within one run, not across runs."
  echo
  echo "### Whole process (JVM start included)"
  echo
  echo "Command: \`bin/routewatch mrt dump FILE > /dev/null\` vs \`bgpdump -m FILE > /dev/null\`, $runs runs each, alternating; wall seconds, median; CPU = user + sys."
  echo
  echo "| file | bgpdump median s | routewatch median s | ratio (≤ 1.0 target) | bgpdump CPU s | routewatch CPU s | routewatch runs |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
  echo "| updates.et-header.2015.gz | $bg_et | $rw_et | $(ratio "$rw_et" "$bg_et") | $(col bgpdump_et 3 | median) | $(col rw_et 3 | median) | $(list rw_et) |"
  echo "| rib.20140523.0600_firstMB.bz2 | $bg_rib | $rw_rib | $(ratio "$rw_rib" "$bg_rib") | $(col bgpdump_rib 3 | median) | $(col rw_rib 3 | median) | $(list rw_rib) |"
  echo
  echo "bgpdump runs: et-header $(list bgpdump_et); rib $(list bgpdump_rib)."
  echo
  echo "### Decode-only and formatting throughput (JMH 1.37)"
  echo
  echo "Command: \`java -cp 'bench/target/classes:bench/target/lib/*' org.openjdk.jmh.Main ${jmh_opts[*]} 'io.routewatch.bench.'\`."
  echo "\`decodeOnly\`: the file decompressed in memory, every record framed, every BGP message / RIB entry decoded with all path attributes (typed decoders), no text."
  echo "\`decodeFromFile\`: the same from the compressed file (gzip on a second thread, bzip2 by the default decoder). \`formatToNull\`: bgpdump -m text to a null stream."
  echo "bgpdump records/s = records / bgpdump's whole-process median above (it always decompresses and formats)."
  echo
  echo "| file | benchmark | records/s | routes/s | × bgpdump records/s (≥ 5 target for decodeOnly) |"
  echo "| --- | --- | ---: | ---: | ---: |"
  for b in decodeOnly decodeFromFile formatToNull; do
    for p in et-header rib-bz2; do
      r="$(score "CodecBench.$b:records" "$p")"; rt="$(score "CodecBench.$b:routes" "$p")"
      bg=$([ "$p" = et-header ] && echo "$bg_rps_et" || echo "$bg_rps_rib")
      echo "| $p | $b | $(fmt "$r") | $(fmt "$rt") | $(ratio "$r" "$bg") |"
    done
  done
  echo
  echo "bgpdump: et-header $(fmt "$rec_et") records in ${bg_et} s = $(fmt "$bg_rps_et") records/s; rib $(fmt "$rec_rib") records in ${bg_rib} s = $(fmt "$bg_rps_rib") records/s."
  echo
  echo "### bzip2 (rib.20140523.0600_firstMB.bz2: 1 MiB → 15.3 MB, 19 blocks, truncated)"
  echo
  echo "In-JVM decompression (JMH \`Bzip2Bench\`, steady state) and the whole \`mrt dump\` process with each decoder"
  echo "(\`ROUTEWATCH_JAVA_OPTS=\"${dec_opts}D\" bin/routewatch mrt dump FILE\`, 3 runs each, alternating)."
  echo "JMH measures warm code with the machine's other load; the whole-process runs include JIT warm-up, where jbzip2 runs interpreted first."
  echo
  echo "| decoder | JMH MB/s | whole process median s | CPU s | runs |"
  echo "| --- | ---: | ---: | ---: | --- |"
  for d in LBZIP2 PARALLEL SERIAL; do
    l="$(echo "$d" | tr 'A-Z' 'a-z')"
    mbs=$(awk -v b="$(score Bzip2Bench.decompress:bytes "$d")" 'BEGIN {printf "%.1f", b / 1e6}')
    case "$d" in
      LBZIP2) what="lbzip2 -dc -n 2 child process (fed by the one-pass truncation repair)" ;;
      PARALLEL) what="pure Java, blocks decoded on all cores (ParallelBzip2InputStream)" ;;
      SERIAL) what="jbzip2 0.9.1 on one thread" ;;
    esac
    echo "| \`$l\`: $what | $mbs | $(col "rw_rib_$l" 2 | median) | $(col "rw_rib_$l" 3 | median) | $(list "rw_rib_$l") |"
  done
  echo
  echo "<details><summary>JMH output</summary>"
  echo
  echo '```'
  sed -n '/^Benchmark /,$p' "$tmp/jmh.txt"
  echo '```'
  echo "</details>"
  echo "<!-- codec:end -->"
} > "$tmp/section.md"

# Replace our section, keep everything else (other benchmarks write their own marked sections).
if [ -f "$doc" ] && grep -q '<!-- codec:begin -->' "$doc"; then
  awk -v f="$tmp/section.md" '
    /<!-- codec:begin -->/ {while ((getline l < f) > 0) print l; skip = 1; next}
    /<!-- codec:end -->/ {skip = 0; next}
    !skip {print}' "$doc" > "$tmp/doc.md"
  cat "$tmp/doc.md" > "$doc"
else
  [ -f "$doc" ] || printf '# Benchmarks\n\nEach section is written by the script named in it; figures come with the command and the machine load.\n' > "$doc"
  { echo; cat "$tmp/section.md"; } >> "$doc"
fi
cat "$tmp/section.md" | sed -n '/### Whole/,/### bzip2/p' | grep '^|' >&2
echo "bench: wrote $doc" >&2
"$here/bench/state.sh"  # state engine section (events/s, heap per route, snapshot, restart-to-ready)
