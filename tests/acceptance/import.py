#!/usr/bin/env python3
"""import.py -- refresh the project's copy of the acceptance records from a shared set.

Usage (from the project root):  tests/acceptance/import.py [SHARED_ACCEPTANCE_DIR]

Copies each set's records (*.yaml) and expected.jsonl from SHARED_ACCEPTANCE_DIR
(default ../shared/acceptance) into tests/acceptance/<set>/, and writes
expected.tsv beside them: one line per record, "id<TAB>verdict<TAB>areas", the
failed areas sorted and joined by commas. The Criterion suite reads expected.tsv,
so `make test` needs no Python; this script is run only when the set changes.
"""

import json
import shutil
import sys
from pathlib import Path

SETS = ("applications", "renewals")


def convert(jsonl: Path, tsv: Path) -> int:
    lines = ["# id\tverdict\tfailed areas (sorted, comma-separated); from expected.jsonl by import.py"]
    seen = set()
    for number, text in enumerate(jsonl.read_text(encoding="utf-8").splitlines(), 1):
        if not text.strip():
            continue
        obj = json.loads(text)
        rid, verdict, areas = str(obj["id"]), obj["verdict"], sorted(obj["failed_areas"])
        for field in [rid, verdict, *areas]:
            if any(c in field for c in "\t\n,"):
                sys.exit(f"{jsonl}:{number}: a tab, newline or comma in {field!r}")
        if rid in seen:
            sys.exit(f"{jsonl}:{number}: id {rid} repeats")
        seen.add(rid)
        lines.append(f"{rid}\t{verdict}\t{','.join(areas)}")
    tsv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(seen)


def main() -> int:
    root = Path(__file__).resolve().parent
    shared = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/acceptance")
    for name in SETS:
        src, dst = shared / name, root / name
        if src.is_dir():
            dst.mkdir(exist_ok=True)
            for old in dst.glob("*.yaml"):
                old.unlink()
            for f in sorted(src.glob("*.yaml")) + [src / "expected.jsonl"]:
                shutil.copyfile(f, dst / f.name)
        n = convert(dst / "expected.jsonl", dst / "expected.tsv")
        print(f"{name}: {n} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
