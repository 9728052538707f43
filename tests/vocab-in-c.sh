#!/bin/sh
# vocab-in-c.sh [DIR|FILE...] — the Endorsement's vocabulary lives in rules/catalogue.imhe, not in
# C: prints each line of a source under compiler/ runtime/ api/ cli/ include/ grammar/ (or the
# paths given) that names a track or category code the catalogue declares, or one of its fee
# kinds (`defines fee KIND`) or an association the shipped policies and examples declare (`policy
# CODE`, `called "NAME" ("SHORT")`), in code or comment, or one of its areas, tabs, credentials,
# roles or degrees as a quoted string,
# and exits 1 when there is one. A fee kind, area or tab that is also a word of the language or
# the record (a keyword, a record section or field, a record kind: "renewal", "membership",
# "work") is not looked for: the C code needs those words for their other meaning, and what it
# does with the fee or area is its declared properties. No exception: policies written without a
# catalogue get its vocabulary from its own text, built into imhe (build/gen/catalogue.h).
set -u
cd "$(dirname "$0")/.." || exit 2
codes=$(sed -n 's/^defines \(category\|track\) \([A-Za-z0-9-]*\) .*/\2/p' rules/catalogue.imhe)
[ -n "$codes" ] || { echo "vocab-in-c: rules/catalogue.imhe declares no category"; exit 2; }
fees=$(sed -n 's/^defines fee \([a-z0-9_]*\) .*/\1/p' rules/catalogue.imhe)
[ -n "$fees" ] || { echo "vocab-in-c: rules/catalogue.imhe declares no fee kind"; exit 2; }
for w in $fees; do
  grep -q "\"$w\"" compiler/keywords.h runtime/records/schema.h runtime/core/defs.h include/imhe.h ||
    codes="$codes
$w"
done
# the associations the shipped policies and examples are (their codes and short names): C knows
# an association only by what its policy declares
codes="$codes
$(sed -n 's/^policy \([A-Z][A-Z0-9-]*\) .*/\1/p; s/^policy \([A-Z][A-Z0-9-]*\)$/\1/p; s/^called "[^"]*" ("\([^"]*\)").*/\1/p' rules/*.imhe examples/policies/*.imhe | sort -u)"
# areas and tabs are common words ("work", "ethics"): looked for only as a quoted string, the
# form in which code would name one, and again not those the language or the record uses
quoted=""
for w in $(sed -n 's/^defines \(area\|tab\|credential\|role\|degree\) \([a-z0-9_]*\) .*/\2/p' rules/catalogue.imhe | sort -u); do
  grep -q "\"$w\"" compiler/keywords.h runtime/records/schema.h runtime/core/defs.h include/imhe.h ||
    quoted="$quoted $w"
done
[ -n "$quoted" ] || { echo "vocab-in-c: rules/catalogue.imhe declares no area of its own words"; exit 2; }
bad=0
[ $# -gt 0 ] || set -- compiler runtime api cli include grammar
for f in $(find "$@" -name '*.[chyl]' | sort); do
  out=$(awk -v codes="$codes" -v quoted="$quoted" '
    BEGIN { n = split(codes, c, /[ \n]+/); nq = split(quoted, q, / +/) }
    {
      line = $0
      for (i = 1; i <= n; i++) {
        if (c[i] == "") continue
        rest = line
        while ((k = index(rest, c[i])) > 0) {
          before = k > 1 ? substr(rest, k - 1, 1) : ""
          after = substr(rest, k + length(c[i]), 1)
          if (before !~ /[A-Za-z0-9_-]/ && after !~ /[A-Za-z0-9_]/ && !(after == "-" && substr(rest, k + length(c[i]) + 1, 1) ~ /[A-Za-z]/)) {
            printf "%d: names %s: %s\n", FNR, c[i], line
            break
          }
          rest = substr(rest, k + length(c[i]))
        }
      }
      for (i = 1; i <= nq; i++)
        if (q[i] != "" && index(line, "\"" q[i] "\"") > 0)
          printf "%d: names %s: %s\n", FNR, q[i], line
    }' "$f")
  if [ -n "$out" ]; then
    echo "$out" | sed "s|^|$f:|"
    bad=1
  fi
done
exit $bad
