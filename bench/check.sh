#!/usr/bin/env bash
# check.sh [N] [J] — `imhe check --format json` over N generated records on 1 and on J threads
# (default: the cores) against libyaml's bare parse of the same records, all measured in this run
# (best of 3): wall time and records/s, CPU time (every thread) and its ratio to libyaml's, peak
# RSS. CPU time is the figure a loaded machine disturbs least; wall time depends on free cores.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
j=${2:-$(nproc)}
make --no-print-directory all >/dev/null
mkdir -p build/bench
cc -O2 -o build/bench/yamlparse bench/yamlparse.c -lyaml
cc -O2 -o build/bench/rss bench/rss.c
data=build/bench/records-$n.yaml
[ -s "$data" ] || python3 bench/gen_records.py "$n" > "$data"
best() { # best wall time and best CPU time of 3 runs, and the peak RSS seen
  local t=999999 c=999999 r=0
  for _ in 1 2 3; do
    read -r s k _ u < <(nice build/bench/rss "$@")
    t=$(python3 -c "print(min($t, $s))"); c=$(python3 -c "print(min($c, $u))")
    r=$(( k > r ? k : r ))
  done
  echo "$t $c $r"
}
read -r ty cy ry < <(best build/bench/yamlparse "$data")
read -r t1 c1 r1 < <(best build/imhe check --format json -j 1 "$data")
read -r tj cj rj < <(best build/imhe check --format json -j "$j" "$data")
python3 - "$n" "$j" "$(stat -c %s "$data")" "$ty" "$cy" "$ry" "$t1" "$c1" "$r1" "$tj" "$cj" "$rj" <<'PY'
import sys
n, j, size = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rows = [sys.argv[4:7], sys.argv[7:10], sys.argv[10:13]]
names = ["(a) libyaml bare parse", "(b) imhe check --json -j 1", f"(c) imhe check --json -j {j}"]
print(f"records: {n} ({size / 1e6:.1f} MB of YAML)")
cy = float(rows[0][1])
for name, (t, c, r) in zip(names, rows):
    t, c, r = float(t), float(c), int(r)
    print(f"{name:28s}: {t:7.3f} s  {n / t:9,.0f} records/s  CPU {c:7.3f} s ({c / cy:.2f}x libyaml)"
          f"  peak RSS {r / 1024:.1f} MiB")
t1, tj = float(rows[1][0]), float(rows[2][0])
print(f"-j {j} throughput: {t1 / tj:.2f}x that of -j 1 ({t1 / tj / j:.2f} of {j}x)")
PY
