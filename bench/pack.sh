#!/usr/bin/env bash
# pack.sh [N] — the two targets of packed corpora (docs/pack.md, "Speed"), from a pack and from its
# YAML in one run, on one core (taskset -c 0: the reading thread and the judging thread share it):
#   judging: verdicts and failed areas only (bench/judge_inproc.c, the library judging with
#     verdicts_only and no report written), target 1,000,000 records/s; the same judging with
#     every explanation built (judge_inproc --full); and the full explanation written
#     (`imhe check --format json`);
#   diff: `imhe diff --summary OLD NEW --records` of CT adopting the 2025 requirements, target
#     under 1 s: rules/ against a checkout-like copy (build/bench/ct2025/rules, named rules/ as a
#     `git worktree` of another revision is, so that policies citing their sources alike compile
#     to the same bytes) with examples/policies/ct-2025.imhe as its ct.imhe (records of the other
#     associations are unchanged without being judged), and rules/ct.imhe against ct-2025.imhe
#     (every record judged under both).
# Best of 3 wall times and best of 3 CPU times (user + system: on a shared machine, what other
# jobs do not stretch); also how long `imhe pack` takes and the sizes. Checks first that the JSON
# reports and the diffs from the pack and from the YAML are byte-identical.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
make --no-print-directory all >/dev/null
mkdir -p build/bench
cc -O2 -I. -o build/bench/judge_inproc bench/judge_inproc.c -Lbuild -limhe -Wl,-rpath,"$PWD/build"
data=build/bench/records-$n.yaml
pack=build/bench/records-$n.imhepack
[ -s "$data" ] || python3 bench/gen_records.py "$n" > "$data"
new=build/bench/ct2025/rules
rm -rf "$new" && mkdir -p "$new" && cp rules/*.imhe "$new"/ && cp examples/policies/ct-2025.imhe "$new"/ct.imhe
one="taskset -c 0"
t0=$(date +%s.%N)
$one build/imhe pack -q "$data" -o "$pack"
t1=$(date +%s.%N)
$one build/imhe check --format json "$data" > build/bench/from-yaml.json || true
$one build/imhe check --format json "$pack" > build/bench/from-pack.json || true
cmp build/bench/from-yaml.json build/bench/from-pack.json
dirs=(diff --summary rules "$new" --records)
pols=(diff --summary rules/ct.imhe examples/policies/ct-2025.imhe --records)
for d in dirs pols; do
  declare -n args=$d
  $one build/imhe "${args[@]}" "$data" > build/bench/diff-yaml.txt || true
  $one build/imhe "${args[@]}" "$pack" > build/bench/diff-pack.txt || true
  cmp <(tail -n +2 build/bench/diff-yaml.txt) <(tail -n +2 build/bench/diff-pack.txt)
done
best() { # best wall time and best CPU time (user + system) of 3 runs of a command
  local t=999999 c=999999 r u s
  for _ in 1 2 3; do
    read -r r u s < <({ TIMEFORMAT='%R %U %S'; time { "$@" > /dev/null 2>&1 || true; }; } 2>&1)
    t=$(python3 -c "print(min($t, $r))")
    c=$(python3 -c "print(min($c, $u + $s))")
  done
  echo "$t,$c"
}
inproc() { # best in-process times (the library's own clocks, policies already open): wall, CPU
  local t=999999 c=999999 s u
  for _ in 1 2 3; do
    read -r _ s _ u < <($one build/bench/judge_inproc "$@")
    t=$(python3 -c "print(min($t, $s))")
    c=$(python3 -c "print(min($c, $u))")
  done
  echo "$t,$c"
}
vy=$(inproc rules "$data")
vp=$(inproc rules "$pack")
fy=$(inproc --full rules "$data")
fp=$(inproc --full rules "$pack")
jy=$(best $one build/imhe check --format json "$data")
jp=$(best $one build/imhe check --format json "$pack")
dy=$(best $one build/imhe "${dirs[@]}" "$data")
dp=$(best $one build/imhe "${dirs[@]}" "$pack")
py=$(best $one build/imhe "${pols[@]}" "$data")
pp=$(best $one build/imhe "${pols[@]}" "$pack")
python3 - "$n" "$(stat -c %s "$data")" "$(stat -c %s "$pack")" "$t0" "$t1" \
  "$vy" "$vp" "$fy" "$fp" "$jy" "$jp" "$dy" "$dp" "$py" "$pp" <<'PY'
import sys
n, ys, ps = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
t0, t1 = map(float, sys.argv[4:6])
# each measure: (best wall seconds, best CPU seconds)
vy, vp, fy, fp, jy, jp, dy, dp, py, pp = (tuple(map(float, a.split(","))) for a in sys.argv[6:16])
print(f"records: {n:,}; YAML {ys / 1e6:.1f} MB, pack {ps / 1e6:.1f} MB; imhe pack took {t1 - t0:.2f} s")
print("one core; JSON reports and diffs from the pack and from the YAML are byte-identical")
print("each: best wall time of 3 [best CPU time, user + system, of 3: what other jobs do not stretch]")
print(f"{'':42} {'from YAML':>28} {'from the pack':>30} {'pack/YAML':>9} {'target':>16}")
def rate(label, y, p, target=None):
    t = f"{n / p[0] / target:.3f} of 1,000,000/s" if target else ""
    print(f"{label:42} {n / y[0]:>9,.0f} [{n / y[1]:>9,.0f}] rec/s "
          f"{n / p[0]:>11,.0f} [{n / p[1]:>11,.0f}] rec/s {y[0] / p[0]:>8.1f}x {t:>16}")
def secs(label, y, p):
    print(f"{label:42} {y[0]:>10.3f} [{y[1]:>9.3f}] s    {p[0]:>12.3f} [{p[1]:>9.3f}] s    "
          f"{y[0] / p[0]:>8.1f}x {p[0]:>6.2f} [{p[1]:.2f}] s of < 1 s")
rate("verdicts + failed areas (library)", vy, vp, 1e6)
rate("every explanation built (library)", fy, fp)
rate("full explanation (check --format json)", jy, jp)
secs("diff rules/ vs ct2025/rules/", dy, dp)
secs("diff ct.imhe vs ct-2025.imhe (all judged)", py, pp)
PY
