#!/bin/sh
# install.sh [BUILD_DIR] — `make install` into a temporary DESTDIR, then: the installed imhe finds
# its installed policies (their compiled files current, none rewritten) and judges the examples
# exactly as the build tree's imhe does, from any directory; libimhe.a and libimhe.so export only
# imhe_ names, the .so under soname libimhe.so.0; imhe.h stands alone; imhe.pc builds a program
# against the copy; the manual pages render without a warning; `make uninstall` leaves nothing.
set -u
cd "$(dirname "$0")/.." || exit 2
B=${1:-build}
here=$(pwd)
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail() {
  echo "install: $*"
  exit 1
}
prefix=$(cat "$B/prefix") || fail "$B is not built"
make --no-print-directory -s install B="$B" PREFIX="$prefix" DESTDIR="$tmp/root" >"$tmp/log" 2>&1 ||
  { cat "$tmp/log"; fail "make install failed"; }
root=$tmp/root$prefix
version=$(sed -n 's/^#define IMHE_VERSION_\(MAJOR\|MINOR\|PATCH\) //p' include/imhe.h | paste -sd.)

for f in bin/imhe lib/libimhe.a "lib/libimhe.so.$version" lib/libimhe.so.0 lib/libimhe.so \
  include/imhe.h lib/pkgconfig/imhe.pc share/man/man1/imhe.1 share/man/man5/imhe-policy.5 \
  share/imhe/rules/catalogue.imhe share/imhe/rules/legacy.imhe share/imhe/rules/wi.imhe \
  share/imhe/rules/wi.imhec share/imhe/rules/ct.imhec share/imhe/rules/mi.imhec; do
  [ -e "$root/$f" ] || fail "$f not installed"
done

# the installed command, run from elsewhere, with its own library and policies
lib=$(ldd "$root/bin/imhe" | awk '$1 == "libimhe.so.0" {print $3}')
[ -n "$lib" ] && [ "$(realpath "$lib")" = "$(realpath "$root/lib/libimhe.so.$version")" ] ||
  fail "bin/imhe does not use the installed libimhe.so.0 (it finds: ${lib:-none})"
ls -l --time-style=full-iso "$root/share/imhe/rules" >"$tmp/rules.before"
for fmt in json text; do
  "$B/imhe" check --format $fmt examples/*.yaml >"$tmp/built.$fmt" 2>&1
  (cd / && "$root/bin/imhe" check --format $fmt "$here"/examples/*.yaml) >"$tmp/installed.$fmt" 2>&1
  sed "s|$here/||g" "$tmp/installed.$fmt" | cmp -s - "$tmp/built.$fmt" ||
    { diff "$tmp/built.$fmt" "$tmp/installed.$fmt" | head; fail "installed imhe judges the examples differently ($fmt)"; }
done
ls -l --time-style=full-iso "$root/share/imhe/rules" | cmp -s - "$tmp/rules.before" ||
  fail "the installed policies were recompiled: their compiled files are not current"
"$root/bin/imhe" disasm "$root/share/imhe/rules/wi.imhec" >/dev/null || fail "installed wi.imhec refused"

# only imhe_ names
bad=$(nm -g --defined-only "$root/lib/libimhe.a" | awk 'NF == 3 && $3 !~ /^imhe_/ {print $3}')
[ -z "$bad" ] || fail "libimhe.a exports $bad"
for opt in -g -D; do
  bad=$(nm $opt --defined-only "$root/lib/libimhe.so.$version" | awk 'NF == 3 && $3 !~ /^imhe_/ {print $3}')
  [ -z "$bad" ] || fail "libimhe.so exports $bad"
done
readelf -d "$root/lib/libimhe.so.$version" | grep -q 'SONAME.*\[libimhe\.so\.0\]' || fail "soname is not libimhe.so.0"

# the header alone, and a program built with pkg-config against the installed copy
pc="pkg-config --define-variable=prefix=$root"
[ "$(PKG_CONFIG_PATH=$root/lib/pkgconfig pkg-config --modversion imhe)" = "$version" ] || fail "imhe.pc: wrong version"
printf '#include <imhe.h>\nint main(void) { return IMHE_VERSION_MAJOR + IMHE_SECTION__COUNT - 8; }\n' >"$tmp/p.c"
# shellcheck disable=SC2046
cc -std=c99 -Wall -Wextra -pedantic -Werror -o "$tmp/p" "$tmp/p.c" \
  $(PKG_CONFIG_PATH=$root/lib/pkgconfig $pc --cflags --libs imhe) || fail "cannot build against the installed copy"

# the embedding example, built with pkg-config against the installed copy, run with the installed
# policies: one line per applicant with each unmet requirement and its shortfall
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror -o "$tmp/embed" examples/embed/embed.c \
  $(PKG_CONFIG_PATH=$root/lib/pkgconfig $pc --cflags --libs imhe) -Wl,-rpath,"$root/lib" ||
  fail "examples/embed does not build against the installed copy"
(cd examples && "$tmp/embed" "$root/share/imhe/rules" *.yaml) >"$tmp/embed.out" 2>&1 ||
  { cat "$tmp/embed.out"; fail "examples/embed failed"; }
diff -u examples/embed/expected.txt "$tmp/embed.out" || fail "examples/embed prints other lines than examples/embed/expected.txt"
ldd "$tmp/embed" | grep -q "$root/lib/libimhe.so.0" || fail "examples/embed does not use the installed libimhe.so"

# manual pages
for m in man1/imhe.1 man5/imhe-policy.5; do
  out=$(MANWIDTH=80 man --warnings=w -l "$root/share/man/$m" 2>&1 >/dev/null)
  [ -z "$out" ] || fail "$m: $out"
  [ "$(MANWIDTH=80 man -l "$root/share/man/$m" 2>/dev/null | wc -l)" -gt 50 ] || fail "$m renders nearly empty"
done

make --no-print-directory -s uninstall B="$B" PREFIX="$prefix" DESTDIR="$tmp/root" >"$tmp/log" 2>&1 ||
  { cat "$tmp/log"; fail "make uninstall failed"; }
left=$(find "$tmp/root" ! -type d)
[ -z "$left" ] || fail "make uninstall left: $left"
exit 0
