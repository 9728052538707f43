#!/usr/bin/env bash
# run-long.sh — the long fuzzing campaign: each libFuzzer harness runs for FUZZ_SECONDS over a
# working corpus that carries over between runs; crashes are kept as files, and a summary is printed.
#
#   FUZZ_SECONDS=3600 fuzz/run-long.sh            (make fuzz-long FUZZ_SECONDS=3600 builds first)
#   FUZZERS="fuzz_records fuzz_report"            only these harnesses (run two shells for two cores)
#   B=build                                       build directory (harnesses in $B/fuzz/)
#
# Per harness H: the working corpus is $B/fuzz/corpus/H, seeded from fuzz/corpus/H (and, for the
# bytecode harness, the policies this build compiles); what libFuzzer finds is added to it, so a
# later run starts where this one stopped. A crash, leak or timeout is written to
# $B/fuzz/crashes/H/ and the harness is restarted until its time is used (at most 20 restarts).
# The log is $B/fuzz/H.log. Exit status 1 when any harness left a crash file.
set -u
cd "$(dirname "$0")/.."
secs=${FUZZ_SECONDS:-3600}
B=${B:-build}
harnesses=${FUZZERS:-"fuzz_policy fuzz_bytecode fuzz_records fuzz_report"}
status=0
summary=""

seed() { # seed DIR FILE... : copies files not yet in the working corpus
  local dir=$1
  shift
  for f in "$@"; do [ -f "$f" ] && cp -n "$f" "$dir/" 2>/dev/null; done
  return 0
}

for h in $harnesses; do
  bin=$B/fuzz/$h
  [ -x "$bin" ] || { echo "run-long: no $bin (run make fuzz)"; exit 2; }
  corpus=$B/fuzz/corpus/$h
  crashes=$B/fuzz/crashes/$h
  log=$B/fuzz/$h.log
  mkdir -p "$corpus" "$crashes"
  seed "$corpus" fuzz/corpus/"$h"/*
  if [ "$h" = fuzz_bytecode ]; then
    # compiled policies are build products: seed this build's own
    for p in tests/golden/*.imhe; do
      "$B/imhe" compile "$p" -o "$corpus/built-$(basename "$p" .imhe).imhec" 2>/dev/null
    done
    for p in "$B"/rules/*.imhec; do cp -f "$p" "$corpus/built-$(basename "$p")"; done
  fi
  dict=()
  case $h in
  fuzz_policy) dict=(-dict=fuzz/fuzz_policy.dict) ;;
  fuzz_records | fuzz_report) dict=(-dict=fuzz/fuzz_records.dict) ;;
  esac
  before=$(ls "$corpus" | wc -l)
  : >"$log"
  end=$((SECONDS + secs))
  restarts=0
  while [ $SECONDS -lt "$end" ] && [ $restarts -le 20 ]; do
    "$bin" "${dict[@]}" -max_total_time=$((end - SECONDS)) -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" >>"$log" 2>&1
    rc=$?
    [ $rc -eq 0 ] && break
    restarts=$((restarts + 1))
    echo "$h: a finding (exit $rc) kept in $crashes/; restarting" | tee -a "$log"
  done
  execs=$(awk '/stat::number_of_executed_units:/ {s += $2} END {print s + 0}' "$log")
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1)
  found=$(ls "$crashes" | wc -l)
  [ "$found" -gt 0 ] && status=1
  line=$(printf '%-14s %6ds %12s execs  %-22s corpus %5d -> %5d  findings %d' "$h" "$secs" \
    "$execs" "${cov:-cov: ?}" "$before" "$(ls "$corpus" | wc -l)" "$found")
  echo "$line"
  summary="$summary$line"$'\n'
done
echo "== fuzz-long summary (logs and findings under $B/fuzz/)"
printf '%s' "$summary"
exit $status
