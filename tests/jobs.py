#!/usr/bin/env python3
"""jobs.py IMHE — `imhe check -j N` and `imhe report -j N` give byte for byte what `-j 1` gives
(report, messages on stderr, exit status) over the examples and over generated batches with
trouble scattered in them (tests/gen_mixed.py: repeated ids within and across files, syntax
errors, unreadable bytes, nesting past the limit, empty documents); and the messages of the
parallel run point at the right file:line:col in every chunk. Exits 1 saying what differs."""
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
failures = []


def run(imhe, args):
    p = subprocess.run([imhe] + args, cwd=ROOT, capture_output=True,
                       env=dict(os.environ, NO_COLOR="1", NO_PROGRESS="1"))
    return p.returncode, p.stdout, p.stderr


def same_for_every_j(imhe, verb, inputs):
    one = run(imhe, verb + ["-j", "1"] + inputs)
    for j in ("2", "4", "7"):
        other = run(imhe, verb + ["-j", j] + inputs)
        for what, a, b in zip(("exit status", "stdout", "stderr"), one, other):
            if a != b:
                failures.append(f"{' '.join(verb)} -j {j} {' '.join(inputs)[:80]}: {what} differs "
                                f"from -j 1")
    return one


def gen(path, n, seed):
    with open(path, "wb") as f:
        subprocess.run([sys.executable, os.path.join(HERE, "gen_mixed.py"), str(n), str(seed)],
                       stdout=f, check=True)


def lines_of(path):
    with open(path, encoding="utf-8", errors="replace", newline="\n") as f:
        return f.read().split("\n")


def check_locations(out, err, files):
    """Every message located in a generated file points at what it is about."""
    text = {f: lines_of(f) for f in files}
    seen = {"control": 0, "repeat": 0, "nesting": 0, "empty": 0}
    for line in out.decode().splitlines():
        rec = json.loads(line)
        for e in rec.get("errors", []):
            src = text.get(e.get("file"))
            if src is None:
                continue
            row = src[e["line"] - 1]
            m = e["message"]
            if "control character 0x01" in m:
                seen["control"] += 1
                if row[e["column"] - 1:e["column"]] != "\x01":
                    failures.append(f"{e['file']}:{e['line']}:{e['column']}: no 0x01 there: {m}")
            elif "repeats the record at" in m:
                seen["repeat"] += 1
                first_file, first_line = re.search(r"at (.*):(\d+)$", m).groups()
                want = "id: " + re.search(r"id '([^']*)'", m).group(1)
                first = text[first_file][int(first_line) - 1]
                if row != want or first != want:
                    failures.append(f"{e['file']}:{e['line']}: '{m}' but the records hold "
                                    f"'{row}' and '{first}'")
            elif m.startswith("nesting deeper"):
                seen["nesting"] += 1
                if row[e["column"] - 1:e["column"]] != "[":
                    failures.append(f"{e['file']}:{e['line']}:{e['column']}: no '[' there: {m}")
    for line in err.decode().splitlines():
        m = re.match(r"(.*):(\d+):(\d+): warning: empty document", line)
        if m and m.group(1) in text:
            seen["empty"] += 1
            row = text[m.group(1)][int(m.group(2)) - 1]
            if row != "---":
                failures.append(f"{line}: the line is '{row}', not a document's start")
    for k, v in seen.items():
        if not v:
            failures.append(f"no {k} message met in the generated batch: the test tests nothing")


def multibyte(path):
    """Records longer than libyaml's 4 KiB bites, whose text is two- and three-byte characters,
    each shifted by one byte more than the last, so that a bite of every record ends inside a
    character somewhere; the last entry of each has an impossible date, past the bites."""
    out = []
    for pad in range(4):
        out += ["---", f"id: WI-2026-{9000 + pad}", "association: WI", "category: IMHM-C",
                "submitted: 2026-09-15", "applicant:", "  name: Zoë Ångström" + "é" * pad,
                "training:"]
        for i in range(60):
            out += [f"  - title: \"Ünïcödé 日本語の研修 {i} — ça va\"", "    hours: 1.5",
                    f"    date: 2025-01-{1 + i % 28:02d}",
                    "    competencies: [TF.attachment_separation_loss]"]
        out += ["  - title: Ünïcödé 最後", "    hours: 2", "    date: 2025-02-30"]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def check_multibyte(out, path):
    """Every impossible date is reported at its own line and column, and nothing else is wrong."""
    text = lines_of(path)
    dates = 0
    for line in out.decode().splitlines():
        rec = json.loads(line)
        for e in rec.get("errors", []):
            row = text[e["line"] - 1]
            if row[e["column"] - 1:e["column"] - 1 + 10] != "2025-02-30":
                failures.append(f"{path}:{e['line']}:{e['column']}: not the impossible date: "
                                f"{e['message']}")
            dates += 1
    if dates != 4:
        failures.append(f"{dates} impossible dates reported in the multi-byte records, not 4")


def main():
    imhe = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "build/imhe")
    examples = sorted(f"examples/{f}" for f in os.listdir(os.path.join(ROOT, "examples"))
                      if f.endswith(".yaml"))
    with tempfile.TemporaryDirectory() as d:
        a, b, empty = os.path.join(d, "a.yaml"), os.path.join(d, "b.yaml"), os.path.join(d, "e.yaml")
        gen(a, 1500, 7)
        gen(b, 400, 3)  # the same ids as some of a's: repeats across files
        open(empty, "w").close()
        for verb in (["check", "--format", "json"], ["check"], ["report", "--format", "html"],
                     ["report", "--format", "markdown"]):
            same_for_every_j(imhe, verb, examples)
        for verb in (["check", "--format", "json"], ["check"], ["report", "--format", "html"]):
            rc, out, err = same_for_every_j(imhe, verb, [a, empty, b] + examples[:3])
        m = os.path.join(d, "multibyte.yaml")
        multibyte(m)
        rc, out, err = same_for_every_j(imhe, ["check", "--format", "json"], [m])
        check_multibyte(out, m)
        rc, out, err = run(imhe, ["check", "--format", "json", "-j", "3", a, empty, b])
        check_locations(out, err, [a, b])
        if rc != 2:
            failures.append(f"a batch with invalid records exits {rc}, not 2")
    for f in failures:
        print("jobs.py:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
