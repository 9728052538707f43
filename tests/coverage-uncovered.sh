#!/bin/sh
# coverage-uncovered.sh — lists the lines of compiler/ and runtime/ that `make coverage` left
# unexecuted, and fails when one of them has no reason in tests/README.md's table.
#
# usage: tests/coverage-uncovered.sh COVERAGE.json [README.md]
#   COVERAGE.json  gcovr --json output (make coverage writes build/coverage/coverage.json)
#   README.md      the page whose "The lines not covered, and why" table gives each line a reason
#                  (default tests/README.md): rows "| `FILE` | 12, 40–42 | why |"
# Prints every uncovered line as FILE:LINE with its source, marked "(no reason)" when the table
# does not list it; notes rows that list lines now covered (the table wants updating); exits 1 if
# any uncovered line has no reason, 0 otherwise.
set -eu
json=${1:?usage: tests/coverage-uncovered.sh COVERAGE.json [README.md]}
readme=${2:-tests/README.md}
exec python3 - "$json" "$readme" <<'EOF'
import json, re, sys

cov_path, readme_path = sys.argv[1], sys.argv[2]
with open(cov_path, encoding="utf-8") as f:
    cov = json.load(f)

# The table: rows of the section that starts at the heading naming it, up to the next heading.
listed = {}
in_section = False
with open(readme_path, encoding="utf-8") as f:
    for line in f:
        if line.startswith("#"):
            in_section = "lines not covered" in line.lower()
            continue
        m = re.match(r"\|\s*`([^`]+)`\s*\|([^|]*)\|", line) if in_section else None
        if not m:
            continue
        lines = listed.setdefault(m.group(1), set())
        for part in m.group(2).split(","):
            part = part.strip().replace("\u2013", "-")
            if not part:
                continue
            lo, _, hi = part.partition("-")
            if not lo.isdigit() or (hi and not hi.isdigit()):
                sys.exit(f"{readme_path}: {m.group(1)}: '{part}' is not a line or a range of lines")
            lines.update(range(int(lo), int(hi or lo) + 1))

unexplained = 0
total = 0
seen = set()
for entry in sorted(cov["files"], key=lambda e: e["file"]):
    name = entry["file"]
    missing = [l["line_number"] for l in entry["lines"]
               if not l.get("gcovr/noncode") and l["count"] == 0]
    if not missing:
        continue
    seen.add(name)
    try:
        with open(name, encoding="utf-8") as src:
            text = src.read().split("\n")
    except OSError:
        text = []
    reasons = listed.get(name, set())
    for n in missing:
        total += 1
        code = text[n - 1].strip() if n <= len(text) else ""
        mark = "" if n in reasons else "  (no reason)"
        unexplained += n not in reasons
        print(f"{name}:{n}: {code}{mark}")
    stale = sorted(reasons - set(missing))
    if stale:
        print(f"note: {readme_path} lists {name} line(s) {', '.join(map(str, stale))}, now covered")
for name in sorted(set(listed) - seen):
    print(f"note: {readme_path} lists {name}, whose lines are all covered now")

print(f"{total} uncovered line(s), {unexplained} without a reason in {readme_path}")
sys.exit(1 if unexplained else 0)
EOF
