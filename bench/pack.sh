#!/usr/bin/env bash
# pack.sh [N] — judging N generated records from a pack against judging them from their YAML, in
# one run, on one core (taskset -c 0: the reading thread and the judging thread share it):
#   verdicts and failed areas only (bench/judge_inproc.c, the library with no report written),
#   and the full explanation (`imhe check --format json`). Best of 3 wall times; also how long
#   `imhe pack` takes and the sizes. Checks first that the JSON reports are byte-identical.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
make --no-print-directory all >/dev/null
mkdir -p build/bench
cc -O2 -I. -o build/bench/judge_inproc bench/judge_inproc.c -Lbuild -limhe -Wl,-rpath,"$PWD/build"
data=build/bench/records-$n.yaml
pack=build/bench/records-$n.imhepack
[ -s "$data" ] || python3 bench/gen_records.py "$n" > "$data"
one="taskset -c 0"
t0=$(date +%s.%N)
$one build/imhe pack -q "$data" -o "$pack"
t1=$(date +%s.%N)
$one build/imhe check --format json "$data" > build/bench/from-yaml.json || true
$one build/imhe check --format json "$pack" > build/bench/from-pack.json || true
cmp build/bench/from-yaml.json build/bench/from-pack.json
best() { # best wall time of 3 runs of a command
  local t=999999
  for _ in 1 2 3; do
    local a b
    a=$(date +%s.%N)
    "$@" > /dev/null || true
    b=$(date +%s.%N)
    t=$(python3 -c "print(min($t, $b - $a))")
  done
  echo "$t"
}
inproc() { # best in-process time (the library's own clock, policies already open)
  local t=999999
  for _ in 1 2 3; do
    read -r _ s _ < <($one build/bench/judge_inproc rules "$1")
    t=$(python3 -c "print(min($t, $s))")
  done
  echo "$t"
}
vy=$(inproc "$data")
vp=$(inproc "$pack")
jy=$(best $one build/imhe check --format json "$data")
jp=$(best $one build/imhe check --format json "$pack")
python3 - "$n" "$(stat -c %s "$data")" "$(stat -c %s "$pack")" "$t0" "$t1" "$vy" "$vp" "$jy" "$jp" <<'PY'
import sys
n, ys, ps = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
t0, t1, vy, vp, jy, jp = map(float, sys.argv[4:10])
print(f"records: {n}; YAML {ys / 1e6:.1f} MB, pack {ps / 1e6:.1f} MB; imhe pack took {t1 - t0:.2f} s")
print("one core; JSON reports from the pack and from the YAML are byte-identical")
print(f"verdicts + failed areas (library) from YAML: {vy:.3f} s  {n / vy:>12,.0f} records/s")
print(f"verdicts + failed areas (library) from pack: {vp:.3f} s  {n / vp:>12,.0f} records/s")
print(f"full explanation (check --format json) YAML: {jy:.3f} s  {n / jy:>12,.0f} records/s")
print(f"full explanation (check --format json) pack: {jp:.3f} s  {n / jp:>12,.0f} records/s")
PY
