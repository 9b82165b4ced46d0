#!/usr/bin/env python3
"""Sanity checks for the generated name lists in Sources/JukiPopulation/Generated.

Parses the TSV embedded in the raw string literal of Surnames.swift,
GivenNames.swift and ForeignNames.swift and verifies:
  * the literal layout (every content line indented by exactly 8 spaces, closing
    delimiter indented by 4 spaces, no blank lines, real tabs, no trailing blanks);
  * column counts;
  * readings are full-width katakana only (ー and ヴ allowed; a single space between
    words in foreign names; ー is rejected in Japanese readings, which spell long
    vowels out: オオタ, not オータ);
  * weights are positive integers (1-100 for given and foreign names);
  * no duplicate rows;
  * kanji strings are stable under NFC (Swift compares strings by canonical
    equivalence, so a variant that normalizes to another spelling would collide);
  * >= 1,000 distinct surname rows, descending weight order;
  * >= 40 names for every (sex, decade) for sex M/F and decades 1920..2020,
    sorted by sex, decade, descending weight;
  * every nationality has family, givenM and givenF rows; kanji present for CN/KR only.

Usage: python3 Scripts/check_name_data.py [repo_root]
Exits with status 1 if any check fails.
"""
import collections
import os
import re
import sys
import unicodedata

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
GEN = os.path.join(ROOT, "Sources", "JukiPopulation", "Generated")

OPEN = 'static let tsv = #"""'
CLOSE = '        """#'
INDENT = "        "

KATAKANA = r"\u30A1-\u30F4"  # ァ .. ヴ (excludes ヵ ヶ and the middle dot)
JP_KANA_RE = re.compile(rf"^[{KATAKANA}]+$")
FOREIGN_KANA_RE = re.compile(rf"^[{KATAKANA}\u30FC]+( [{KATAKANA}\u30FC]+)*$")
LATIN_RE = re.compile(r"^[A-Z]+( [A-Z]+)*$")
INT_RE = re.compile(r"^[1-9][0-9]*$")

SEXES = ("F", "M")
DECADES = tuple(range(1920, 2021, 10))
NATIONALITIES = ("CN", "VN", "KR", "PH", "NP", "BR", "ID", "MM", "XX")
PARTS = ("family", "givenM", "givenF")
KANJI_NATIONALITIES = ("CN", "KR")

errors = []


def err(where, msg):
    errors.append(f"{where}: {msg}")


def load_rows(filename, ncols):
    """Return [(line_number, [fields])] of the TSV inside the raw string literal."""
    path = os.path.join(GEN, filename)
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        err(filename, f"cannot read: {e}")
        return []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        err(filename, f"not UTF-8: {e}")
        return []
    if "\r" in text:
        err(filename, "contains CR characters (use LF line endings)")
    if text.startswith("\ufeff"):
        err(filename, "starts with a BOM")
    lines = text.split("\n")
    if not lines[0].startswith("// Compiled by the jukisim developers"):
        err(filename, "missing the provenance header comment on line 1")
    starts = [i for i, l in enumerate(lines) if l.strip() == OPEN]
    if len(starts) != 1:
        err(filename, f"expected exactly one '{OPEN}' line, found {len(starts)}")
        return []
    start = starts[0]
    end = None
    for i in range(start + 1, len(lines)):
        if lines[i].lstrip() == '"""#':
            end = i
            break
    if end is None:
        err(filename, "no closing '\"\"\"#' delimiter")
        return []
    if lines[end] != CLOSE:
        err(f"{filename}:{end + 1}", "closing delimiter must be indented by exactly 8 spaces")
    rows = []
    for i in range(start + 1, end):
        ln = i + 1
        line = lines[i]
        where = f"{filename}:{ln}"
        if line.strip() == "":
            err(where, "blank line inside the TSV")
            continue
        if not line.startswith(INDENT) or line[len(INDENT)] in " \t":
            err(where, "content line must be indented by exactly 8 spaces")
            continue
        body = line[len(INDENT):]
        if body != body.rstrip():
            err(where, "trailing whitespace")
        fields = body.split("\t")
        if len(fields) != ncols:
            err(where, f"expected {ncols} tab-separated columns, found {len(fields)}")
            continue
        for f in fields:
            if f != f.strip():
                err(where, f"field {f!r} has leading/trailing whitespace")
        rows.append((ln, fields))
    return rows


def check_weight(where, w, lo=1, hi=None):
    if not INT_RE.match(w):
        err(where, f"weight {w!r} is not a positive integer")
        return None
    v = int(w)
    if v < lo or (hi is not None and v > hi):
        err(where, f"weight {v} outside {lo}..{hi}")
    return v


def check_nfc(where, s):
    if unicodedata.normalize("NFC", s) != s:
        err(where, f"{s!r} is not NFC-stable")


def check_japanese_name(where, kanji, kana):
    if not kanji or re.search(r"[\sA-Za-z0-9]", kanji):
        err(where, f"bad name spelling {kanji!r}")
    check_nfc(where, kanji)
    check_nfc(where, kana)
    if not JP_KANA_RE.match(kana):
        if "\u30FC" in kana:
            err(where, f"reading {kana!r} uses ー; spell long vowels out (オオタ, サトウ)")
        else:
            err(where, f"reading {kana!r} is not full-width katakana")


def check_surnames():
    f = "Surnames.swift"
    rows = load_rows(f, 3)
    seen = set()
    prev = None
    kanji_set = set()
    for ln, (kanji, kana, w) in rows:
        where = f"{f}:{ln}"
        check_japanese_name(where, kanji, kana)
        v = check_weight(where, w)
        key = (kanji, kana)
        if key in seen:
            err(where, f"duplicate row {kanji} {kana}")
        seen.add(key)
        kanji_set.add(kanji)
        if v is not None:
            if prev is not None and v > prev:
                err(where, f"not in descending weight order ({v} after {prev})")
            prev = v
    multi = sum(1 for k, c in collections.Counter(k for k, _ in seen).items() if c > 1)
    if len(seen) < 1000:
        err(f, f"only {len(seen)} distinct surname rows (need >= 1000)")
    print(f"Surnames: {len(rows)} rows, {len(kanji_set)} distinct spellings, "
          f"{multi} spellings with more than one reading")


def check_given_names():
    f = "GivenNames.swift"
    rows = load_rows(f, 5)
    seen = set()
    counts = collections.Counter()
    prev = None
    for ln, (sex, decade, kanji, kana, w) in rows:
        where = f"{f}:{ln}"
        if sex not in SEXES:
            err(where, f"sex {sex!r} is not M or F")
        if not re.match(r"^\d{4}$", decade) or int(decade) not in DECADES:
            err(where, f"decade {decade!r} is not one of {DECADES[0]}..{DECADES[-1]} by 10")
            continue
        check_japanese_name(where, kanji, kana)
        v = check_weight(where, w, 1, 100)
        key = (sex, decade, kanji, kana)
        if key in seen:
            err(where, f"duplicate row {sex} {decade} {kanji} {kana}")
        seen.add(key)
        counts[(sex, int(decade))] += 1
        if v is not None:
            cur = (sex, int(decade), -v)
            if prev is not None and cur < prev:
                err(where, "rows not sorted by sex, decade, descending weight")
            prev = cur
    for s in SEXES:
        for d in DECADES:
            if counts[(s, d)] < 40:
                err(f, f"({s}, {d}) has {counts[(s, d)]} names (need >= 40)")
    extra = set(counts) - {(s, d) for s in SEXES for d in DECADES}
    if extra:
        err(f, f"unexpected groups {sorted(extra)}")
    print(f"GivenNames: {len(rows)} rows; per (sex, decade): min {min(counts.values(), default=0)}, "
          f"max {max(counts.values(), default=0)}")


def check_foreign_names():
    f = "ForeignNames.swift"
    rows = load_rows(f, 6)
    seen = set()
    counts = collections.Counter()
    for ln, (nat, part, latin, kanji, kana, w) in rows:
        where = f"{f}:{ln}"
        if nat not in NATIONALITIES:
            err(where, f"unknown nationality code {nat!r}")
        if part not in PARTS:
            err(where, f"unknown part {part!r}")
        if not LATIN_RE.match(latin):
            err(where, f"latin {latin!r} is not passport-style capitals")
        if nat in KANJI_NATIONALITIES:
            if not kanji:
                err(where, f"{nat} row without kanji")
        elif kanji:
            err(where, f"{nat} row should leave the kanji column empty")
        if kanji:
            check_nfc(where, kanji)
            if re.search(r"[\sA-Za-z0-9]", kanji):
                err(where, f"bad kanji {kanji!r}")
        check_nfc(where, kana)
        if not FOREIGN_KANA_RE.match(kana):
            err(where, f"reading {kana!r} is not full-width katakana (single spaces between words)")
        check_weight(where, w, 1, 100)
        key = (nat, part, latin, kanji, kana)
        if key in seen:
            err(where, f"duplicate row {nat} {part} {latin} {kanji} {kana}")
        seen.add(key)
        counts[(nat, part)] += 1
    for n in NATIONALITIES:
        for p in PARTS:
            if counts[(n, p)] == 0:
                err(f, f"{n} has no {p} rows")
    summary = ", ".join(f"{n} {counts[(n, 'family')]}/{counts[(n, 'givenM')]}/{counts[(n, 'givenF')]}"
                        for n in NATIONALITIES)
    print(f"ForeignNames: {len(rows)} rows (family/givenM/givenF): {summary}")


def main():
    check_surnames()
    check_given_names()
    check_foreign_names()
    if errors:
        print(f"\n{len(errors)} problem(s):", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
