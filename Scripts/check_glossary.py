"""Checks that every identifier docs/glossary.md names in its main table is in Sources/ (the docs never name code
that does not exist): as an identifier or inside one, in any case (`ConsistencyCheck` is the concept of the
`consistencyCheck` flow and `startConsistencyCheck`). Names in the "Reserved names" section are for systems not
built yet and are skipped.

Usage: python3 Scripts/check_glossary.py
"""
import pathlib
import re
import sys

root = pathlib.Path(__file__).resolve().parent.parent
glossary = (root / "docs" / "glossary.md").read_text(encoding="utf-8").split("## Reserved names")[0]
source = "".join(p.read_text(encoding="utf-8") for p in (root / "Sources").rglob("*.swift"))
names = set()
for line in glossary.splitlines():
    cells = line.split("|")
    if line.startswith("| ") and len(cells) > 2:
        names.update(re.findall(r"`([A-Za-z_][A-Za-z0-9_.]*)`", cells[2]))
lowered = source.lower()
missing = sorted(n for n in names if n.split(".")[-1].lower() not in lowered)
if missing:
    print("FAIL: docs/glossary.md names identifiers that are not in Sources/: " + ", ".join(missing))
    sys.exit(1)
print(f"docs/glossary.md: all {len(names)} identifiers of its main table are in Sources/")
