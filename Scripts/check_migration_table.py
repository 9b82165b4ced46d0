#!/usr/bin/env python3
"""Checks Scripts/data/prefecture-migration-2025.tsv, the 47 x 47 table of movers between prefectures in 2025.

The table is 総務省統計局「住民基本台帳人口移動報告」2025年 年報 第2表 (movers between prefectures, by the prefecture
before the move; Japanese and foreign residents, both sexes). See Scripts/data/README.md for where the figures were
read. The checks: 47 rows and 47 columns in prefecture-code order with the directory's names, an empty diagonal,
the published national total (2,515,731), Tokyo's published in- and out-movers (451,843 and 386,624), and net flows
that sum to zero. Exits 1 with a message naming the failed check.
"""

import pathlib
import sys

PATH = pathlib.Path(__file__).parent / "data" / "prefecture-migration-2025.tsv"
TOTAL = 2_515_731
TOKYO_IN, TOKYO_OUT = 451_843, 386_624


def main() -> int:
    rows = [line.rstrip("\n").split("\t") for line in PATH.open(encoding="utf-8") if not line.startswith("#")]
    header, data = rows[0][1:], rows[1:]
    problems = []
    if len(header) != 47 or len(data) != 47:
        problems.append(f"expected 47 x 47, got {len(data)} rows x {len(header)} columns")
    if [r[0] for r in data] != header:
        problems.append("row names differ from the column names (both must be the prefectures in code order)")
    matrix = [[int(x) for x in r[1:]] for r in data]
    if any(matrix[i][i] != 0 for i in range(len(matrix))):
        problems.append("the diagonal must be 0 (moves within a prefecture are not in this table)")
    total = sum(map(sum, matrix))
    if total != TOTAL:
        problems.append(f"total {total:,}, published {TOTAL:,}")
    tokyo = header.index("東京都") if "東京都" in header else -1
    if tokyo != 12:
        problems.append("東京都 must be the 13th prefecture")
    else:
        out = sum(matrix[tokyo])
        into = sum(row[tokyo] for row in matrix)
        if (into, out) != (TOKYO_IN, TOKYO_OUT):
            problems.append(f"Tokyo in {into:,} out {out:,}, published {TOKYO_IN:,} and {TOKYO_OUT:,}")
    net = sum(sum(row[j] for row in matrix) - sum(matrix[j]) for j in range(len(matrix)))
    if net != 0:
        problems.append(f"net flows sum to {net}, not 0")
    for p in problems:
        print(f"{PATH.name}: {p}", file=sys.stderr)
    if not problems:
        print(f"{PATH.name}: 47 x 47, {total:,} movers between prefectures in 2025; Tokyo and the net flows check")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
