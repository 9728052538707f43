#!/usr/bin/env bash
# check.sh [N] — records/s, peak RSS and the ratio of `imhe check --format json` to libyaml's
# bare parse of the same N generated records, both measured in this run (best of 3).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
make --no-print-directory all >/dev/null
mkdir -p build/bench
cc -O2 -o build/bench/yamlparse bench/yamlparse.c -lyaml
cc -O2 -o build/bench/rss bench/rss.c
data=build/bench/records-$n.yaml
[ -s "$data" ] || python3 bench/gen_records.py "$n" > "$data"
best() { # best wall time of 3 runs, and the peak RSS seen
  local t=999999 r=0
  for _ in 1 2 3; do
    read -r s k _ < <(build/bench/rss "$@")
    t=$(python3 -c "print(min($t, $s))"); r=$(( k > r ? k : r ))
  done
  echo "$t $r"
}
read -r ty ry < <(best build/bench/yamlparse "$data")
read -r ti ri < <(best build/imhe check --format json "$data")
python3 - "$n" "$ty" "$ry" "$ti" "$ri" "$(stat -c %s "$data")" <<'PY'
import sys
n, ty, ry, ti, ri, size = int(sys.argv[1]), *map(float, sys.argv[2:6]), int(sys.argv[6])
print(f"records: {n} ({size / 1e6:.1f} MB of YAML)")
print(f"(a) libyaml bare parse : {ty:.3f} s  {n / ty:,.0f} records/s  peak RSS {ry / 1024:.1f} MiB")
print(f"(b) imhe check --json  : {ti:.3f} s  {n / ti:,.0f} records/s  peak RSS {ri / 1024:.1f} MiB")
print(f"ratio b/a: {ti / ty:.2f}")
PY
