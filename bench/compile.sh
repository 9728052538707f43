#!/usr/bin/env bash
# compile.sh — compile times of rules/ and of generated policies of 10,000 and 20,000 rules
# (to show linear growth), best of 5 runs each.
set -euo pipefail
cd "$(dirname "$0")/.."
make --no-print-directory all >/dev/null
mkdir -p build/bench
cc -O2 -o build/bench/rss bench/rss.c
cc -O2 -D_POSIX_C_SOURCE=200809L -I. -Ibuild/gen -o build/bench/compile_inproc bench/compile_inproc.c \
  build/libimhe.a -lyaml -lm -pthread
gen() { # gen N: a policy of N rules over the legacy base
  python3 - "$1" <<'PY'
import sys
n = int(sys.argv[1])
print("policy big extends legacy")
for i in range(n):
    print(f'rule r{i} for Specialist require training "training rule {i}":')
    print(f'  sum((training where type = rsc_provision).hours) + min(sum(training.hours), {i % 50} h) >= {i % 40} h')
PY
}
cp rules/*.imhe build/bench/
gen 10000 > build/bench/big10k.imhe
gen 20000 > build/bench/big20k.imhe
best() {
  local t=999999
  for _ in 1 2 3 4 5; do
    read -r s _ _ < <(build/bench/rss "$@")
    t=$(python3 -c "print(min($t, $s))")
  done
  echo "$t"
}
total=0
for f in rules/wi.imhe rules/ct.imhe rules/mi.imhe rules/legacy.imhe rules/alliance-2025.imhe; do
  t=$(best build/imhe compile "$f" -o build/bench/out.imhec)
  printf '%-28s %7.1f ms\n' "$f" "$(python3 -c "print($t*1000)")"
  total=$(python3 -c "print($total + $t)")
done
printf '%-28s %7.1f ms (process start included)\n' "all of rules/" "$(python3 -c "print($total*1000)")"
build/bench/compile_inproc rules/wi.imhe rules/ct.imhe rules/mi.imhe rules/legacy.imhe rules/alliance-2025.imhe
t0=$(best true)
printf '%-28s %7.1f ms (an empty process, for scale)\n' "/bin/true" "$(python3 -c "print($t0*1000)")"
t1=$(best build/imhe compile build/bench/big10k.imhe -o build/bench/big10k.imhec)
t2=$(best build/imhe compile build/bench/big20k.imhe -o build/bench/big20k.imhec)
printf '%-28s %7.1f ms\n' "10,000-rule policy" "$(python3 -c "print($t1*1000)")"
printf '%-28s %7.1f ms (ratio to 10,000: %.2f)\n' "20,000-rule policy" "$(python3 -c "print($t2*1000)")" "$(python3 -c "print($t2/$t1)")"
