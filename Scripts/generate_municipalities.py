#!/usr/bin/env python3
"""Generate Sources/JukiPopulation/Generated/Municipalities.swift.

The list of Japan's municipalities (市区町村) with their 6-digit 全国地方公共団体
コード comes from the PyPI package `japancode` (MIT licence). Install it first;
this script installs nothing itself:

    pip install japancode==0.1.0

Then run, from the repository root:

    python3 Scripts/generate_municipalities.py

Kept: every 市, 町 and 村, and the 23 特別区 of Tokyo (1,741 in all: 792 市,
743 町, 183 村, 23 特別区). Left out: the prefectures themselves (codes like
130001) and the wards of ordinance-designated cities (e.g. 横浜市鶴見区 141011;
the city itself, 横浜市 141003, is kept). The package lists those wards as
"横浜市 鶴見区", with a space.

Columns of the TSV: code, prefectureCode, prefecture, name, kana (katakana,
from the package's hiragana), kind (city/town/village/ward), population,
latitude, longitude. Sorted by code.

The population is the 住民基本台帳 population on 2026-01-01 (総務省's table, in
Scripts/data/municipal-population-2026-01-01.tsv; Scripts/data/README.md says
where it comes from); every code must have one, and the total is checked. The
latitude and longitude (of the town hall, degrees) are japancode's.

Every code's check digit is verified (weights 6,5,4,3,2 on the first five
digits; check = (11 - sum mod 11) mod 10). The script fails loudly if a check
digit is wrong or the counts differ from 1,741 (792/743/183/23); it prints the
counts by kind either way. The output is deterministic for a given japancode
version.
"""

import json
import re
import sys
from importlib import metadata
from pathlib import Path

EXPECTED_JAPANCODE_VERSION = "0.1.0"
EXPECTED_COUNTS = {"city": 792, "town": 743, "village": 183, "ward": 23}
EXPECTED_TOTAL = 1741
OUTPUT = (Path(__file__).resolve().parent.parent
          / "Sources" / "JukiPopulation" / "Generated" / "Municipalities.swift")
POPULATION = Path(__file__).resolve().parent / "data" / "municipal-population-2026-01-01.tsv"
EXPECTED_POPULATION_TOTAL = 123_767_642

HIRAGANA = "ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔ"
TO_KATAKANA = str.maketrans(HIRAGANA, "".join(chr(ord(c) + 0x60) for c in HIRAGANA))


def fail(message):
    sys.exit(f"generate_municipalities.py: error: {message}")


def check_digit(first_five):
    s = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2)))
    return (11 - s % 11) % 10


def load_japancode():
    try:
        version = metadata.version("japancode")
        import japancode
    except (metadata.PackageNotFoundError, ImportError):
        fail(f"japancode is not installed: pip install japancode=={EXPECTED_JAPANCODE_VERSION}")
    if version != EXPECTED_JAPANCODE_VERSION and "--any-version" not in sys.argv:
        fail(f"japancode {version} is installed, {EXPECTED_JAPANCODE_VERSION} expected "
             f"(pip install japancode=={EXPECTED_JAPANCODE_VERSION}, or pass --any-version "
             f"and update EXPECTED_JAPANCODE_VERSION)")
    data = Path(japancode.__file__).parent / "data" / "municipalities.json"
    with open(data, encoding="utf-8") as f:
        return version, json.load(f)


def load_population():
    """code -> (name, population) from the committed table (comment lines start with #)."""
    table = {}
    lines = [l for l in POPULATION.read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")]
    if lines[0].split("\t") != ["code", "name", "population"]:
        fail(f"{POPULATION.name}: header must be code, name, population")
    for line in lines[1:]:
        code, name, population = line.split("\t")
        if code in table or not population.isdigit():
            fail(f"{POPULATION.name}: duplicate code or bad population in {line!r}")
        table[code] = (name, int(population))
    return table


def main():
    version, records = load_japancode()
    population = load_population()
    rows = []
    bad_codes = []
    designated_wards = 0
    for record in records:
        # The package keeps codes as numbers-as-text: Hokkaido-Fukushima lose their leading 0.
        code = record["lgcode"].strip().zfill(6)
        name = record["city"].strip()
        prefecture = record["pref"].strip()
        if not re.fullmatch(r"\d{6}", code):
            fail(f"malformed code {record['lgcode']!r} for {prefecture}{name}")
        if check_digit(code[:5]) != int(code[5]):
            bad_codes.append(f"{code} {prefecture}{name}")
            continue
        if code[2:5] == "000":
            continue  # a prefecture
        if " " in name:
            designated_wards += 1  # e.g. "横浜市 鶴見区": a ward of a designated city
            continue
        if int(record["pid"]) != int(code[:2]):
            fail(f"prefecture id {record['pid']} does not match code {code} ({name})")
        if name.endswith("市"):
            kind = "city"
        elif name.endswith("町"):
            kind = "town"
        elif name.endswith("村"):
            kind = "village"
        elif name.endswith("区") and code[:2] == "13":
            kind = "ward"  # 東京23区 (特別区)
        else:
            fail(f"cannot tell the kind of {code} {prefecture}{name}")
        kana = record["citykana"].strip().translate(TO_KATAKANA)
        if kana and not re.fullmatch(r"[ァ-ヴー]+", kana):
            fail(f"kana of {code} {name} is not plain katakana: {kana!r}")
        if code not in population:
            fail(f"no population for {code} {prefecture}{name} in {POPULATION.name}")
        if population[code][0] != name:
            fail(f"{POPULATION.name} names {code} {population[code][0]!r}, japancode {name!r}")
        rows.append((code, code[:2], prefecture, name, kana, kind, str(population[code][1]),
                     f"{float(record['lat']):.5f}", f"{float(record['lng']):.5f}"))

    if bad_codes:
        fail("check digit wrong for: " + ", ".join(bad_codes))
    rows.sort()
    codes = [r[0] for r in rows]
    if len(set(codes)) != len(codes):
        fail("duplicate codes")

    extra = sorted(set(population) - set(codes))
    if extra:
        fail(f"{POPULATION.name} has codes japancode lacks: {extra}")
    total = sum(int(r[6]) for r in rows)
    if total != EXPECTED_POPULATION_TOTAL:
        fail(f"population total {total:,}, expected {EXPECTED_POPULATION_TOTAL:,}")
    counts = {kind: sum(1 for r in rows if r[5] == kind) for kind in EXPECTED_COUNTS}
    print(f"japancode {version}: {len(rows)} municipalities "
          + ", ".join(f"{k} {v}" for k, v in counts.items())
          + f"; {designated_wards} wards of designated cities left out; {total:,} residents on 2026-01-01")
    if len(rows) != EXPECTED_TOTAL or counts != EXPECTED_COUNTS:
        fail(f"expected {EXPECTED_TOTAL} municipalities ({EXPECTED_COUNTS}), got "
             f"{len(rows)} ({counts}); the package data may predate or postdate a merger")

    body = "\n".join("        " + "\t".join(r) for r in rows)
    source = f'''// Generated by Scripts/generate_municipalities.py; do not edit by hand.
// Municipalities, their 全国地方公共団体コード and town halls' positions: the PyPI package japancode {version} (MIT).
// Populations: 住民基本台帳に基づく人口 on 2026-01-01 (総務省; Scripts/data/municipal-population-2026-01-01.tsv).
// 1,741 municipalities: 792 市, 743 町, 183 村 and Tokyo's 23 特別区; no prefectures, no wards of designated cities.
enum MunicipalitiesData {{
    /// Columns: code, prefectureCode, prefecture, name, kana, kind (city/town/village/ward), population, latitude,
    /// longitude. Sorted by code.
    static let tsv = #"""
{body}
        """#
}}
'''
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(source, encoding="utf-8")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
