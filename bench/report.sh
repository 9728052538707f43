#!/usr/bin/env bash
# report.sh [N] — time and peak RSS of `imhe report` in each format over N generated records and
# over 4N, to show the time grows with the size and the memory does not (best of 3 each).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
make --no-print-directory all >/dev/null
mkdir -p build/bench
cc -O2 -o build/bench/rss bench/rss.c
for k in "$n" $((4 * n)); do
  [ -s "build/bench/records-$k.yaml" ] || python3 bench/gen_records.py "$k" >"build/bench/records-$k.yaml"
done
for k in "$n" $((4 * n)); do
  for f in text markdown html; do
    t=999999 r=0
    for _ in 1 2 3; do
      read -r s kb _ < <(build/bench/rss build/imhe report --format "$f" -o build/bench/report.out \
        "build/bench/records-$k.yaml")
      t=$(python3 -c "print(min($t, $s))")
      r=$((kb > r ? kb : r))
    done
    printf '%7d records  %-8s  %6.2f s  %8.0f records/s  peak RSS %5.1f MiB  %6.1f MB out\n' "$k" "$f" \
      "$t" "$(python3 -c "print($k / $t)")" "$(python3 -c "print($r / 1024)")" \
      "$(python3 -c "print($(stat -c %s build/bench/report.out) / 1e6)")"
  done
done
