#!/usr/bin/env bash
# peers.sh [N] — imhe beside the peer engines of ../shared/peers (when that directory is there):
# runs its run.sh over N records (default 20000) with imhe's JSON row on one thread, again with
# only imhe on every core, then times imhe's other output formats (text, csv) on 1 and on every
# core over the same records, and writes the whole table into bench/README.md between its
# "peers" markers, with the machine, the versions and the date. Run niced, once: it takes minutes.
# PEERS_REUSE=1 only rewrites the table from the last run's files.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}
peers=../shared/peers
[ -x "$peers/run.sh" ] || { echo "peers.sh: $peers/run.sh not found: nothing to compare" >&2; exit 2; }
make --no-print-directory all >/dev/null
mkdir -p build/bench build/peers
cc -O2 -o build/bench/rss bench/rss.c
j=$(nproc)
export WORK=build/peers IMHE=build/imhe
run() { nice "$peers/run.sh" "$n" 2>build/peers/run.log || true; }
data=build/peers/out/$n/records.yaml
rows=build/peers/formats.md
if [ "${PEERS_REUSE:-0}" != 1 ]; then # PEERS_REUSE=1: rewrite the table from the last run's files
  IMHE_ARGS="-j 1" run > build/peers/all.md
  IMHE_ARGS="-j $j" SKIP="python-jsonl python-yaml json-rules-engine zen-engine json-logic-js clips yaml_floor" \
    run > build/peers/imhe-j.md
  : > "$rows"
  for f in text csv; do
    for k in 1 "$j"; do
      best=999999 cpu=0 rss=0
      for _ in 1 2 3; do
        read -r s kb _ u < <(nice build/bench/rss build/imhe check --format "$f" -j "$k" "$data")
        if python3 -c "import sys; sys.exit(0 if $s < $best else 1)"; then best=$s cpu=$u; fi
        rss=$(( kb > rss ? kb : rss ))
      done
      python3 -c "print('| imhe check --format $f -j $k (YAML) | %.0f | %.2f | %.2f | %.1f | (same verdicts as JSON) |' % ($n / $best, $best, $cpu, $rss / 1024))" >> "$rows"
    done
  done
fi
npmver() { node -p "require('$PWD/build/peers/node_modules/$1/package.json').version" 2>/dev/null || echo missing; }
{
  echo "<!-- peers: written by bench/peers.sh $n; do not edit by hand -->"
  echo "Measured $(date -u +%Y-%m-%d) with \`bench/peers.sh $n\` (\`../shared/peers/run.sh\`, median of 3"
  echo "runs a row; imhe's other formats best of 3). The machine is shared: wall times are those of a"
  echo "loaded machine; CPU seconds are the steadier figure."
  echo
  bash "$peers/versions.sh" 2>/dev/null | grep -v '^- node ' || true
  echo "- node $(node --version); json-rules-engine $(npmver json-rules-engine); @gorules/zen-engine $(npmver @gorules/zen-engine); json-logic-js $(npmver json-logic-js)"
  echo "- imhe $(git describe --always --dirty) ($(git log -1 --format=%cd --date=short)), -j $j = the cores"
  echo
  sed -n '/^### /,/^| ---/p' build/peers/all.md | grep -v '^| ---' | grep -v '^| peer'
  echo '| peer | records/s | wall s, median (range) | CPU s | peak RSS MB | agreement with Python baseline |'
  echo '| --- | ---: | ---: | ---: | ---: | --- |'
  sed '1,/^| ---/d' build/peers/all.md | grep '^|' | sed 's/^| imhe |/| imhe check --format json -j 1 (YAML) |/'
  grep '^| imhe |' build/peers/imhe-j.md | sed "s/^| imhe |/| imhe check --format json -j $j (YAML) |/"
  cat "$rows"
  echo "<!-- end peers -->"
} > build/peers/section.md
python3 - build/peers/section.md bench/README.md <<'PY'
import re, sys
section = open(sys.argv[1]).read()
try:
    page = open(sys.argv[2]).read()
except FileNotFoundError:
    page = "# Benchmarks\n\n<!-- peers --><!-- end peers -->\n"
page = re.sub(r"<!-- peers.*?<!-- end peers -->\n?", lambda m: section, page, flags=re.S)
open(sys.argv[2], "w").write(page)
PY
cat build/peers/section.md
