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

# Every edge is judged by one awk program (a shell function per edge forked thousands of times).
# room of a path: compiler, grammar (the generated parser and lexer count as compiler), include,
# api, cli, or the runtime room; the rooms a room may depend on besides itself.
check_edges() { # file of "from to" lines, what they are
  awk -v what="$2" '
    function room(p,  a) {
      if (p ~ /^(compiler|gen|grammar)\//) return "compiler"
      if (p ~ /^include\//) return "include"
      if (p ~ /^api\//) return "api"
      if (p ~ /^cli\//) return "cli"
      if (p ~ /^runtime\//) { split(p, a, "/"); return a[2] }
      return "other"
    }
    BEGIN {
      up["core"] = "include"
      up["records"] = "include core"
      up["bytecode"] = "include core records"
      up["eval"] = "include core records bytecode"
      up["report"] = "include core records bytecode eval"
      up["testing"] = "include core records bytecode eval report"
      up["compiler"] = "include core records bytecode"
      up["api"] = "include core records bytecode eval report testing compiler"
      up["cli"] = "include core bytecode compiler api"
      bad = 0
    }
    {
      rf = room($1); rt = room($2)
      if (rf == rt || index(" " up[rf] " ", " " rt " ")) next
      printf "layers: %s -> %s: %s reaches from %s up to %s\n", $1, $2, what, rf, rt
      bad = 1
    }
    END { exit bad }' "$1" || bad=1
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
check_edges "$tmp/includes" "#include"
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
  done
  # one nm for all the objects (-A names each line's object): "symbol module"
  # shellcheck disable=SC2086
  nm -A --defined-only $objs | awk -v b="$B/obj/" '$(NF - 1) ~ /^[TDRBVW]$/ {
    m = $1; sub(/:.*/, "", m); sub("^" b, "", m); sub(/\.o$/, "", m); print $NF, m }' |
    sort -u >"$tmp/defs"
  # shellcheck disable=SC2086
  nm -A --undefined-only $objs | awk -v b="$B/obj/" '{
    m = $1; sub(/:.*/, "", m); sub("^" b, "", m); sub(/\.o$/, "", m); print $NF, m }' |
    sort -u >"$tmp/uses"
  # "user definer" for every symbol a library object uses and another defines
  join "$tmp/uses" "$tmp/defs" | awk '$2 != $3 {print $2, $3}' | sort -u >"$tmp/calls"
  check_edges "$tmp/calls" "a call"
  if ! tsort "$tmp/calls" >/dev/null 2>"$tmp/loop"; then
    echo "layers: a circle of calls between object files:"
    sed 's/^/  /' "$tmp/loop"
    bad=1
  fi
fi
exit $bad
