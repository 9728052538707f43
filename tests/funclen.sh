#!/bin/sh
# funclen.sh [-n LINES] [-q] [DIR|FILE...] — functions longer than LINES (default 80), longest first:
# "lines file:line name". Reads clang-formatted C, where a definition starts at column 0 and its
# body ends at a "}" at column 0; the count runs from the signature's first line to that brace.
# Default: compiler/ and runtime/. With -q, prints nothing and only exits 1 when one is too long.
set -u
cd "$(dirname "$0")/.." || exit 2
max=80
quiet=0
while [ $# -gt 0 ]; do
  case $1 in
  -n) max=$2; shift 2 ;;
  -q) quiet=1; shift ;;
  *) break ;;
  esac
done
[ $# -gt 0 ] || set -- compiler runtime
out=$(find "$@" -name '*.c' | sort | xargs awk -v max="$max" '
  FNR == 1 { start = 0 }
  # a signature: at column 0, a name and "(", not a declaration; a new one replaces one that
  # never opened a body (a macro call at file level)
  (start == 0 || insig) && /^[A-Za-z_][A-Za-z0-9_ *]*[A-Za-z_][A-Za-z0-9_]*\(/ && !/;[ \t]*$/ {
    start = FNR
    insig = 1
    name = $0
    sub(/\(.*/, "", name)
    sub(/.*[ *]/, "", name)
  }
  insig && /;[ \t]*$/ { start = 0; insig = 0; next } # a prototype over several lines
  insig && /\{[ \t]*$/ { insig = 0; next }
  insig && FNR > start + 8 { start = 0; insig = 0 }
  start && !insig && /^}/ {
    n = FNR - start + 1
    if (n > max)
      printf "%d %s:%d %s\n", n, FILENAME, start, name
    start = 0
  }
' | sort -rn)
if [ "$quiet" = 1 ]; then
  [ -z "$out" ]
else
  [ -n "$out" ] && echo "$out"
  exit 0
fi
