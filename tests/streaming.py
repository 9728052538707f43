#!/usr/bin/env python3
"""streaming.py IMHE — records arriving through a pipe are reported as they are judged, not when
the input ends: a writer sends a chunk's worth of records (17: the batch judges up to 16 documents
at a time, and the 17th closes the 16th) and then waits; the report of the first 16 must reach the
reader of imhe's standard output (a pipe, which otherwise gets large blocks) while the writer still
holds the input open, at -j 1 and -j 2. Exits 1 saying what did not arrive."""
import os
import select
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def one(imhe, jobs, body):
    p = subprocess.Popen([imhe, "check", "--format", "csv", "--as-of", "2026-09-15", "-j", jobs, "-"],
                         cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, env=dict(os.environ, NO_PROGRESS="1"))
    for i in range(17):
        p.stdin.write(f"---\nid: STREAM-{i:02d}{body}".encode())
    p.stdin.flush()
    got, rows = b"", 0
    while rows < 17:  # the header and 16 records
        ready, _, _ = select.select([p.stdout], [], [], 10)
        if not ready:
            break
        chunk = os.read(p.stdout.fileno(), 65536)
        if not chunk:
            break
        got += chunk
        rows = got.count(b"\n")
    p.stdin.close()
    p.wait(timeout=60)
    p.stdout.close()
    if rows < 17:
        return f"-j {jobs}: {max(rows - 1, 0)} of 16 records reported while the input was open"
    return None


def main():
    imhe = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "build/imhe")
    with open(os.path.join(ROOT, "examples/wi-ifs-eligible.yaml"), encoding="utf-8") as f:
        text = f.read()
    body = text[text.index("\nassociation:"):]
    failures = [m for m in (one(imhe, j, body) for j in ("1", "2")) if m]
    for m in failures:
        print("streaming.py:", m)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
