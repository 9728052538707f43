#!/usr/bin/python3
"""report_schema.py SCHEMA HEADER REPORT.jsonl — validates every line of a JSON report against
docs/report.schema.json (draft 2020-12, Debian's python3-jsonschema), checks that the schema's
reason codes are those of include/imhe.h, and that the schema refuses damaged copies (a number as
a string, a member it does not know, a missing one), and that docs/report.md lists every reason
code. Prints what is wrong; exit 1 if anything."""
import copy
import json
import re
import sys

from jsonschema import Draft202012Validator

schema_path, header_path, report_path = sys.argv[1:4]
schema = json.load(open(schema_path))
Draft202012Validator.check_schema(schema)
validator = Draft202012Validator(schema)
failures = 0

header = open(header_path).read()
listed = re.search(r"#define IMHE_REASON_LIST\(X\)(.*?)\ntypedef", header, re.S).group(1)
codes = re.findall(r'X\(\w+,\s*"([^"]+)"\)', listed)
if schema["$defs"]["reason"]["enum"] != codes:
    print(f"{schema_path}: reason codes differ from IMHE_REASON_LIST: {codes}")
    failures += 1

page = open(schema_path.replace("report.schema.json", "report.md")).read()
for code in codes:
    if f"| `{code}` |" not in page:
        print(f"docs/report.md: reason code {code} is not in its table")
        failures += 1

records = []
for n, line in enumerate(open(report_path), 1):
    rec = json.loads(line)
    records.append(rec)
    for err in validator.iter_errors(rec):
        print(f"{report_path}:{n} ({rec.get('id')}): {'/'.join(map(str, err.path))}: {err.message}")
        failures += 1
if len(records) < 10:
    print(f"{report_path}: only {len(records)} records")
    failures += 1


def damaged():
    """Copies of a record with a condition of each type, each damaged one way."""
    rec = next(r for r in records if any(c["type"] == "number" for ru in r["rules"]
                                         for c in ru["conditions"]))
    for path, value in [("observed", "26"), ("unit", 3), ("shortfall", None), ("extra", 1)]:
        bad = copy.deepcopy(rec)
        cond = next(c for ru in bad["rules"] for c in ru["conditions"] if c["type"] == "number")
        cond[path] = value
        yield f"number condition with {path}={value!r}", bad
    bad = copy.deepcopy(rec)
    cond = next(c for ru in bad["rules"] for c in ru["conditions"] if c["type"] == "boolean")
    cond["observed"] = "yes"
    yield "boolean condition observed 'yes'", bad
    bad = copy.deepcopy(rec)
    del bad["rules"][0]["unmet"]
    yield "rule without unmet", bad
    bad = copy.deepcopy(rec)
    bad["report_version"] = 1
    yield "report_version 1", bad
    bad = copy.deepcopy(rec)
    bad["verdict"] = "maybe"
    yield "verdict maybe", bad
    # fees are keyed by the declared fee kinds, each an amount
    rec = next(r for r in records if r["fees"] and "coupon" in r["fees"])
    for key, value in [("processing", "50"), ("application", -5), ("total", "70")]:
        bad = copy.deepcopy(rec)
        bad["fees"][key] = value
        yield f"fee {key}={value!r}", bad
    bad = copy.deepcopy(rec)
    del bad["fees"]["coupon_applied"]
    yield "application fees without coupon_applied", bad


for what, bad in damaged():
    if validator.is_valid(bad):
        print(f"{schema_path}: accepts a {what}")
        failures += 1
print(f"report schema: {len(records)} records checked, {failures} problems")
sys.exit(1 if failures else 0)
