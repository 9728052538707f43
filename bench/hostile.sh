#!/usr/bin/env bash
# hostile.sh — how long `imhe check` takes to refuse hostile records (flow and block nesting 10,000
# and 50,000 deep, a huge scalar, a document past the size limit), with peak RSS, each beside the
# time to judge valid records of the same size measured in this run (best of 3).
set -euo pipefail
cd "$(dirname "$0")/.."
make --no-print-directory all >/dev/null
mkdir -p build/bench
cc -O2 -o build/bench/rss bench/rss.c
out=build/bench/hostile
mkdir -p "$out"
python3 - "$out" <<'PY'
import sys
d = sys.argv[1]
head = "id: H\nassociation: WI\ncategory: IFA\napplicant: {name: H}\nsubmitted: 2026-01-01\n"
def write(name, text):
    open(f"{d}/{name}.yaml", "w").write(text)
for n in (10000, 50000):
    write(f"flow-map-{n}", head + "x: " + "{a: " * n + "1" + "}" * n + "\n")
    write(f"flow-seq-{n}", head + "x: " + "[" * n + "1" + "]" * n + "\n")
    write(f"block-seq-{n}", head + "x:\n  " + "- " * n + "1\n")
write("scalar-3MB", head + "notes: " + "a" * 3000000 + "\n")
write("document-6MB", head + "notes: |\n" + "  the quick brown fox jumps over the lazy dog\n" * 140000)
# valid records to compare with: the same number of bytes, judged in full
rec = open("examples/wi-ifs-eligible.yaml").read().rstrip("\n") + "\n---\n"
for name in ("flow-map-50000", "scalar-3MB"):
    size = len(open(f"{d}/{name}.yaml").read())
    write(f"valid-as-{name}", (rec * (size // len(rec) + 1))[:-4])
PY
best() { # best wall time of 3 runs and the peak RSS seen
  local t=999999 r=0
  for _ in 1 2 3; do
    read -r s k _ < <(build/bench/rss build/imhe check --as-of 2026-01-01 --format json "$1")
    t=$(python3 -c "print(min($t, $s))"); r=$(( k > r ? k : r ))
  done
  echo "$t $r"
}
printf '%-18s %9s %10s %11s  %s\n' input bytes seconds "peak RSS" "vs valid records of that size"
for f in flow-map-10000 flow-map-50000 flow-seq-10000 flow-seq-50000 block-seq-10000 \
  block-seq-50000 scalar-3MB document-6MB; do
  read -r t r < <(best "$out/$f.yaml")
  ref=""
  case $f in
    flow-map-50000 | scalar-3MB)
      read -r tv _ < <(best "$out/valid-as-$f.yaml")
      ref=$(python3 -c "print(f'{$t / $tv:.3f} x ({$tv:.4f} s)')") ;;
  esac
  printf '%-18s %9s %10.4f %8.1f MiB  %s\n' "$f" "$(stat -c %s "$out/$f.yaml")" "$t" \
    "$(python3 -c "print($r / 1024)")" "$ref"
done
