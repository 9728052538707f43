#!/usr/bin/env bash
# samples.sh — regenerates the sample output blocks of the Markdown pages by running build/imhe.
# A block is marked `<!-- sample: COMMAND -->` ... `<!-- end sample -->`; with --check, prints a diff
# and fails when a page's blocks differ from what the current binary prints (make test runs that).
#
#   docs/samples.sh [--check] [PAGE.md ...]     (default: every page that has a marked block)
#
# COMMAND is split into words (no shell: no quotes, globs or pipes) and run from the top of the
# tree with NO_COLOR set, stdin empty, stderr after stdout. A leading `build/imhe` runs $IMHE when
# that is set (the sanitizer build), but the block still shows `build/imhe`.
set -u
cd "$(dirname "$0")/.." || exit 2

check=0
if [ "${1:-}" = --check ]; then
  check=1
  shift
fi
if [ $# -eq 0 ]; then
  set -- README.md examples/README.md grammar/README.md docs/records.md editors/README.md
fi
imhe="${IMHE:-build/imhe}"
if [ ! -x "$imhe" ]; then
  echo "samples: $imhe is not built (run make)" >&2
  exit 2
fi

# Prints the block for one command: the fence, the command line, its output without trailing blank
# lines, the fence.
render() {
  local cmd="$1" words out
  read -r -a words <<<"$cmd"
  if [ "${words[0]}" = build/imhe ]; then
    words[0]="$imhe"
  fi
  out=$(NO_COLOR=1 "${words[@]}" </dev/null 2>&1)
  if [ -z "$out" ]; then
    echo "samples: '$cmd' printed nothing" >&2
    return 1
  fi
  printf '```\n$ %s\n%s\n```\n' "$cmd" "$out"
}

# Writes PAGE with every marked block regenerated to stdout.
regenerate() {
  local page="$1" line cmd n=0 in=0 start=0
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    if [ $in -eq 1 ]; then
      if [ "$line" = "<!-- end sample -->" ]; then
        in=0
        printf '%s\n' "$line"
      fi
      continue
    fi
    printf '%s\n' "$line"
    if [[ "$line" =~ ^\<!--\ sample:\ (.*)\ --\>$ ]]; then
      cmd="${BASH_REMATCH[1]}"
      in=1
      start=$n
      render "$cmd" || {
        echo "samples: $page:$n: the sample's command failed" >&2
        return 1
      }
    fi
  done <"$page"
  if [ $in -eq 1 ]; then
    echo "samples: $page:$start: a sample block without '<!-- end sample -->'" >&2
    return 1
  fi
}

status=0
for page in "$@"; do
  [ -f "$page" ] || continue
  grep -q '^<!-- sample: ' "$page" || continue
  tmp=$(mktemp "$page.XXXXXX") || exit 2
  if ! regenerate "$page" >"$tmp"; then
    rm -f "$tmp"
    exit 2
  fi
  if cmp -s "$page" "$tmp"; then
    rm -f "$tmp"
  elif [ $check -eq 1 ]; then
    echo "samples: $page shows output the current build/imhe does not print (run: make readme)"
    diff -u "$page" "$tmp" | sed "s|$tmp|$page (regenerated)|"
    rm -f "$tmp"
    status=1
  else
    chmod --reference="$page" "$tmp" && mv "$tmp" "$page" || {
      rm -f "$tmp"
      exit 2
    }
    echo "samples: $page regenerated"
  fi
done
exit $status
