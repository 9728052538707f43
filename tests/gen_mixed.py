#!/usr/bin/env python3
"""gen_mixed.py N [SEED] — a YAML stream of N generated records (bench/gen_records.py) with trouble
scattered in it, for the -j tests: repeated ids, YAML syntax errors, empty documents, unreadable
bytes, over-deep nesting, comments and `...` between documents, a record without an id.

Every kind of trouble lands in several chunks of the parallel reader, so `imhe check -j N` must
find the same repeats, errors and warnings at the same file:line:col as `-j 1`."""
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
import gen_records  # noqa: E402


def trouble(r, i, text, ids):
    k = r.randrange(12)
    if k == 0 and ids:  # a repeated id: an earlier record's
        first, rest = text.split("\n", 1)
        return f"id: {r.choice(ids)}\n" + rest
    if k == 1:  # a syntax error part-way through the record
        lines = text.split("\n")
        at = r.randrange(2, len(lines) - 1)
        lines.insert(at, "  bad: [unclosed")
        return "\n".join(lines)
    if k == 2:  # an unreadable byte in a title
        return text.replace("Workshop", "Work\x01shop", 1)
    if k == 3:  # nesting past the depth limit
        return text + "deep: " + "[" * 70 + "]" * 70 + "\n"
    if k == 4:  # no id at all
        return text.split("\n", 1)[1]
    if k == 5:  # a field of the wrong type
        return text.replace("hours: ", "hours: many", 1)
    return text


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    r = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
    ids = []
    out = sys.stdout.buffer
    for i in range(n):
        text = gen_records.record(r, i)
        ids.append(text.split("\n", 1)[0][4:])
        text = trouble(r, i, text, ids[:-1])
        k = r.randrange(30)
        if k == 0:
            out.write(b"---\n# an empty document\n")
        elif k == 1:
            out.write(b"# a comment between documents\n...\n")
        out.write(b"---\n" + text.encode("utf-8"))
    out.write(b"---\n")  # an empty document at the end


if __name__ == "__main__":
    main()
