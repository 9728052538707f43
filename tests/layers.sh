#!/bin/sh
# layers.sh [BUILD_DIR] — the library's files depend on each other one way only. Checks, over
# compiler/ and runtime/: no circle of #include lines between modules (x.c and x.h are one module),
# no circle of calls between object files, and no room reaching up: core <- records <- bytecode <-
# eval <- report <- testing, and the compiler beside eval (it may use core, records and bytecode only); api/
# above them all; cli/ on api/ (and the compiler and bytecode file for its tool verbs), never eval.
# Prints each offending edge or loop and exits 1; silent and 0 when the house is in order.
set -u
cd "$(dirname "$0")/.." || exit 2
B=${1:-build}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
bad=0

# room of a path: compiler, grammar (the generated parser and lexer count as compiler), include,
# or the runtime room
room() {
  case $1 in
  compiler/* | gen/* | grammar/*) echo compiler ;;
  include/*) echo include ;;
  api/*) echo api ;;
  cli/*) echo cli ;;
  runtime/*) echo "$1" | cut -d/ -f2 ;;
  *) echo other ;;
  esac
}
# rooms a room may depend on (besides itself)
allowed() {
  case $1 in
  core) echo "include" ;;
  records) echo "include core" ;;
  bytecode) echo "include core records" ;;
  eval) echo "include core records bytecode" ;;
  report) echo "include core records bytecode eval" ;;
  testing) echo "include core records bytecode eval report" ;;
  compiler) echo "include core records bytecode" ;;
  api) echo "include core records bytecode eval report testing compiler" ;;
  cli) echo "include core bytecode compiler api" ;;
  *) echo "" ;;
  esac
}
check_edge() { # from to what
  rf=$(room "$1")
  rt=$(room "$2")
  [ "$rf" = "$rt" ] && return 0
  for r in $(allowed "$rf"); do [ "$r" = "$rt" ] && return 0; done
  echo "layers: $1 -> $2: $3 reaches from $rf up to $rt"
  bad=1
}

# ---- includes, module to module
find compiler runtime include api cli -name '*.[ch]' 2>/dev/null | sort | while read -r f; do
  sed -n 's/^#include "\(.*\)"/\1/p' "$f" | while read -r inc; do
    [ -f "$inc" ] || continue # generated or local to a test
    a=${f%.[ch]}
    b=${inc%.[ch]}
    [ "$a" = "$b" ] || echo "$a $b"
  done
done >"$tmp/includes"
while read -r a b; do check_edge "$a" "$b" "#include"; done <"$tmp/includes"
if ! tsort "$tmp/includes" >/dev/null 2>"$tmp/loop"; then
  echo "layers: a circle of #include lines:"
  sed 's/^/  /' "$tmp/loop"
  bad=1
fi

# ---- calls and data, object file to object file
if [ -d "$B/obj/runtime" ]; then
  # objects of the sources there are now (a build directory may hold stale ones)
  objs=$(find compiler runtime -name '*.c' | sort | sed "s|^|$B/obj/|; s|\.c\$|.o|")
  objs="$objs $B/obj/gen/parser.o $B/obj/gen/lexer.o"
  for o in $objs; do
    [ -f "$o" ] || { echo "layers: $o not built"; exit 2; }
    m=${o#"$B"/obj/}
    m=${m%.o}
    nm --defined-only "$o" | awk -v m="$m" '$2 ~ /^[TDRBVW]$/ {print $3, m}'
  done | sort -u >"$tmp/defs"
  for o in $objs; do
    m=${o#"$B"/obj/}
    m=${m%.o}
    nm --undefined-only "$o" | awk -v m="$m" '{print $NF, m}'
  done | sort -u >"$tmp/uses"
  # "user definer" for every symbol a library object uses and another defines
  join "$tmp/uses" "$tmp/defs" | awk '$2 != $3 {print $2, $3}' | sort -u >"$tmp/calls"
  while read -r a b; do check_edge "$a" "$b" "a call"; done <"$tmp/calls"
  if ! tsort "$tmp/calls" >/dev/null 2>"$tmp/loop"; then
    echo "layers: a circle of calls between object files:"
    sed 's/^/  /' "$tmp/loop"
    bad=1
  fi
fi
exit $bad
