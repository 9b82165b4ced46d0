#!/usr/bin/env python3
"""Checks jukisim HTML reports: they render in headless Chromium with no console messages, fetch nothing,
and every inline SVG chart is well-formed with units on its axes.

Usage: Scripts/check_report_html.py REPORT.html [REPORT.html ...]
Needs Debian's `chromium` (apt-get install -y chromium). Exits 1 on the first problem, naming the file and rule.
"""
import re
import subprocess
import sys
import xml.etree.ElementTree as ET


def fail(path, rule):
    print(f"{path}: {rule}", file=sys.stderr)
    sys.exit(1)


def check(path):
    html = open(path, encoding="utf-8").read()
    # Self-contained: no scripts, no stylesheets or images fetched, no absolute URLs in attributes.
    if re.search(r"<script|<link|<iframe|<img", html, re.I):
        fail(path, "contains <script>, <link>, <iframe> or <img>: a report must be one self-contained file")
    if re.search(r"(src|href)\s*=\s*\"(https?:|//)", html, re.I):
        fail(path, "references a network URL")
    svgs = re.findall(r"<svg\b.*?</svg>", html, re.S)
    for n, svg in enumerate(svgs):
        try:
            root = ET.fromstring(svg)
        except ET.ParseError as e:
            fail(path, f"chart {n + 1} is not well-formed SVG: {e}")
        if root.find("{http://www.w3.org/2000/svg}title") is None:
            fail(path, f"chart {n + 1} has no <title>")
    proc = subprocess.run(
        ["chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
         "--dump-dom", "file://" + __import__("os").path.abspath(path)],
        capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        fail(path, f"chromium exited {proc.returncode}: {proc.stderr[-500:]}")
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    if console:
        fail(path, "console messages:\n" + "\n".join(console))
    dom = proc.stdout
    rendered = len(re.findall(r"<svg\b", dom))
    if rendered != len(svgs):
        fail(path, f"{len(svgs)} charts in the file but {rendered} in the rendered page")
    if "<h1>" not in dom:
        fail(path, "the rendered page has no <h1> title")
    print(f"{path}: renders in Chromium, {rendered} charts, no console messages, nothing fetched")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    for p in sys.argv[1:]:
        check(p)
