#!/usr/bin/env bash
# Writes the AS-name subset the CLI bundles (cli/src/main/resources/io/routewatch/cli/asnames.tsv.gz):
# every ASN seen in a transit position (not last) of an AS path in the bgpdump references of the
# shared MRT corpus, plus the ASNs named in scenarios/*.yaml, named from pyasn's asnames.json.gz.
# Usage: scripts/asnames-subset.sh [DATA_DIR]   (default ../shared/data)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${1:-$here/../shared/data}"
out="$here/cli/src/main/resources/io/routewatch/cli/asnames.tsv.gz"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
find "$data/mrt" -name '*.bgpdump-m.txt.gz' -print0 | xargs -0 zcat \
  | awk -F'|' '$3=="A"||$3=="B"{n=split($7,a," "); for(i=1;i<n;i++) if (a[i] ~ /^[0-9]+$/) print a[i]}' > "$tmp/asns"
cat "$here"/scenarios/*.yaml 2>/dev/null | grep -oE '\b(AS)?[0-9]{3,10}\b' | sed 's/^AS//' >> "$tmp/asns" || true
sort -un "$tmp/asns" > "$tmp/wanted"
python3 - "$data/registry/asnames.json.gz" "$tmp/wanted" <<'PY' | sort -n | gzip -9n > "$out"
import gzip, json, sys
names = json.load(gzip.open(sys.argv[1], "rt", encoding="utf-8"))
for line in open(sys.argv[2]):
    a = line.strip()
    if a in names:
        print(a + "\t" + names[a].replace("\t", " "))
PY
echo "wrote $out: $(zcat "$out" | wc -l) names, $(stat -c %s "$out") bytes"
