#!/usr/bin/env python3
"""render.py IMHE OUTDIR RECORDS... — the HTML deficiency report checked as a person sees it.

Renders `imhe report --format html` of the records to PDF with headless Chromium, on Letter (the
page's own @page rule) and on A4, and checks with poppler's pdfinfo and pdftotext: one page for
the index and one per applicant, each applicant's page starting with their heading; no word
outside the page; the text holds every unmet requirement of `imhe check --format json`."""
import html
import json
import os
import re
import subprocess
import sys

imhe, out, records = sys.argv[1], sys.argv[2], sys.argv[3:]
failures = []


def run(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw).stdout


def norm(s):
    return re.sub(r"\s+", " ", s).strip().casefold()


def render(page_html, pdf):
    run(["timeout", "180", "chromium", "--headless", "--no-sandbox", "--disable-gpu",
         "--no-pdf-header-footer", "--print-to-pdf=" + pdf, "file://" + os.path.abspath(page_html)])


def check_pdf(label, pdf, titles, unmet):
    pages = int(re.search(r"Pages:\s+(\d+)", run(["pdfinfo", pdf])).group(1))
    if pages != len(titles) + 1:
        failures.append(f"{label}: {pages} pages, expected {len(titles) + 1} (index + one per applicant)")
    for p, title in enumerate(titles, start=2):
        text = norm(run(["pdftotext", "-f", str(p), "-l", str(p), pdf, "-"]))
        if norm(title) not in text[:400]:
            failures.append(f"{label}: page {p} does not start with {title!r}")
    bbox = run(["pdftotext", "-bbox", pdf, "-"])
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', bbox, re.S):
        w, h = float(page.group(1)), float(page.group(2))
        for word in re.finditer(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" '
                                r'yMax="([-\d.]+)">(.*?)</word>', page.group(3)):
            x0, y0, x1, y1 = map(float, word.groups()[:4])
            if x0 < 0 or y0 < 0 or x1 > w + 0.5 or y1 > h + 0.5:
                failures.append(f"{label}: {word.group(5)!r} is cut at the page edge")
    text = norm(run(["pdftotext", pdf, "-"]))
    for rid, words in unmet:
        if norm(words) not in text:
            failures.append(f"{label}: {rid}: unmet requirement {words!r} not in the PDF")


def main():
    os.makedirs(out, exist_ok=True)
    page = os.path.join(out, "report.html")
    # exit 1 or 2 only says some record is not eligible or invalid: the report is written
    subprocess.run([imhe, "report", "--format", "html", "-o", page] + records, check=False,
                   capture_output=True)
    doc = open(page, encoding="utf-8").read()
    titles = [html.unescape(t) for t in re.findall(r"<h2>(.*?)</h2>", doc)]
    unmet = []
    lines = subprocess.run([imhe, "check", "--format", "json"] + records, capture_output=True,
                           text=True).stdout.splitlines()
    for line in lines:
        rec = json.loads(line)
        for rule in rec["rules"]:
            if rule["kind"] == "requirement" and rule["status"] == "fail":
                words = rule["message"] if rule["reason"] else rule["description"]
                unmet.append((rec["id"], re.sub(r" \(reading \d+\)", "", words)))
    if not unmet:
        failures.append("no unmet requirement to look for: the records prove nothing")
    render(page, os.path.join(out, "letter.pdf"))
    check_pdf("Letter", os.path.join(out, "letter.pdf"), titles, unmet)
    a4 = os.path.join(out, "a4.html")
    with open(a4, "w", encoding="utf-8") as f:
        f.write(doc.replace("@page{", "@page{size:A4;", 1))
    render(a4, os.path.join(out, "a4.pdf"))
    check_pdf("A4", os.path.join(out, "a4.pdf"), titles, unmet)
    for f in failures:
        print("render:", f)
    if not failures:
        print(f"render: {len(titles)} applicants, {len(unmet)} unmet requirements: Letter and A4 "
              "PDFs have a page each, nothing cut, every unmet requirement in the text")
    return 1 if failures else 0


sys.exit(main())
