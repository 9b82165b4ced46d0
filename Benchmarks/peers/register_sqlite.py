#!/usr/bin/env python3
"""The resident register's operations on SQLite in memory, through Python's built-in sqlite3 module.

The data is jukisim's synthetic population as CSV:

    jukisim population generate --format csv --seed 20250501 --output fujisawa.csv
    python register_sqlite.py --csv fujisawa.csv --json

The CSV is loaded into one table `residents` in `:memory:` (the address is split into town, 丁目, 番地 and 号,
as the register keeps it), then the indexes are built: resident code (UNIQUE), individual number (UNIQUE),
(surname kana, given-name kana, birth date), and, as jukisim's register has a fourth index on name and
address, (surname kana, given-name kana, town, 丁目, 番地, 号) unless --no-address-index. The change log is
a table `change_log` with an index on resident code (each person's history, which jukisim's log keeps as a
per-row chain) unless --no-log-index.

Timed (wall clock, `time.perf_counter`, excluding the load, the index build and the precomputed picks):

- lookupByCode: `SELECT * FROM residents WHERE resident_code = ?`, fetchone, for N codes of residents in
  random order (every resident once per round, rounds repeated up to N), autocommit;
- basicFactsSearch: `SELECT * … WHERE surname_kana = ? AND given_name_kana = ? AND birth_date = ? AND
  status = 'active'`, fetchall, for the readings and birth dates of N residents in random order, autocommit;
- relocation: N relocations in one transaction, each an `INSERT INTO change_log … SELECT` of the old
  address (so the log has before and after) and an `UPDATE` of the address columns; every resident moves to
  番地 9001, then 9002, then 9001 … (号 1–99) in its own town and 丁目, as in jukisim's benchmark;
- bulkDesignation: after clearing every individual number (not timed), one transaction that sets a new
  12-digit number (11 random digits + check digit, precomputed: in a real system the numbers come from
  J-LIS as a file) on every row with `executemany` of an `UPDATE … WHERE resident_code = ?`, and logs each
  designation with `executemany` of an `INSERT INTO change_log`. The UNIQUE index checks for collisions.

Also measured, not compared (the "reference" figures): `SELECT ?` (the floor of one statement through
Python's sqlite3 module) and `SELECT rowid … WHERE resident_code = ?` (a lookup that returns only the row
id, as `register.row(residentCode:)` does), as many as --lookups.

Every pick comes from `random.Random(seed * 10 + k)` (k one per operation), so runs are repeatable.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import random
import re
import sqlite3
import sys
import time

ADDRESS = re.compile(r"^(.+?市)(.+?)(?:([〇一二三四五六七八九十]+)丁目)?(\d+)番地?(?:(\d+)号)?$")
KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}


def kanji_number(text: str | None) -> int:
    """一 … 九十九 (丁目 numbers) to an int; None or empty to 0."""
    if not text:
        return 0
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (KANJI_DIGITS[tens] if tens else 1) * 10 + (KANJI_DIGITS[ones] if ones else 0)
    value = 0
    for c in text:
        value = value * 10 + KANJI_DIGITS[c]
    return value


def individual_number(body: int) -> int:
    """The 12-digit individual number (マイナンバー) with 11-digit `body` and its check digit."""
    total = 0
    for n in range(1, 12):  # P_n is the n-th digit from the right of the body
        p = body // 10 ** (n - 1) % 10
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    r = total % 11
    return body * 10 + (0 if r <= 1 else 11 - r)


SCHEMA = """
CREATE TABLE residents (
    resident_code      INTEGER NOT NULL,
    individual_number  INTEGER,
    addressee_number   INTEGER NOT NULL,
    household_number   INTEGER NOT NULL,
    relationship       TEXT NOT NULL,
    surname            TEXT NOT NULL,
    given_name         TEXT NOT NULL,
    surname_kana       TEXT NOT NULL,
    given_name_kana    TEXT NOT NULL,
    birth_date         TEXT NOT NULL,
    sex                TEXT NOT NULL,
    municipality_code  TEXT NOT NULL,
    postal_code        TEXT NOT NULL,
    city               TEXT NOT NULL,
    town               TEXT NOT NULL,
    chome              INTEGER NOT NULL,
    banchi             INTEGER NOT NULL,
    go                 INTEGER NOT NULL,
    status             TEXT NOT NULL,
    card_status        TEXT NOT NULL,
    nationality        TEXT,
    residence_status   TEXT,
    former_surname     TEXT
);
CREATE TABLE change_log (
    sequence       INTEGER PRIMARY KEY,
    time           INTEGER NOT NULL,
    resident_code  INTEGER NOT NULL,
    operator_id    INTEGER NOT NULL,
    terminal_id    INTEGER NOT NULL,
    reason         TEXT NOT NULL,
    field          TEXT NOT NULL,
    before         TEXT,
    after          TEXT
);
"""

INDEXES = {
    "residentCode": "CREATE UNIQUE INDEX residents_code ON residents (resident_code)",
    "individualNumber": "CREATE UNIQUE INDEX residents_number ON residents (individual_number)",
    "nameAndBirthDate": "CREATE INDEX residents_name_birth ON residents (surname_kana, given_name_kana, birth_date)",
    "nameAndAddress": ("CREATE INDEX residents_name_address ON residents "
                       "(surname_kana, given_name_kana, town, chome, banchi, go)"),
    "changeLogResidentCode": "CREATE INDEX change_log_code ON change_log (resident_code, sequence)",
}

INSERT = f"INSERT INTO residents VALUES ({', '.join('?' * 23)})"
LOOKUP = "SELECT * FROM residents WHERE resident_code = ?"
LOOKUP_ROWID = "SELECT rowid FROM residents WHERE resident_code = ?"
SEARCH = ("SELECT * FROM residents WHERE surname_kana = ? AND given_name_kana = ? AND birth_date = ? "
          "AND status = 'active'")
LOG_RELOCATION = ("INSERT INTO change_log (time, resident_code, operator_id, terminal_id, reason, field, before, after) "
                  "SELECT ?, resident_code, ?, ?, 'relocation', 'address', "
                  "town || ' ' || chome || '-' || banchi || '-' || go, ? FROM residents WHERE resident_code = ?")
RELOCATE = "UPDATE residents SET postal_code = ?, town = ?, chome = ?, banchi = ?, go = ? WHERE resident_code = ?"
DESIGNATE = "UPDATE residents SET individual_number = ? WHERE resident_code = ?"
LOG_DESIGNATION = ("INSERT INTO change_log (time, resident_code, operator_id, terminal_id, reason, field, before, after) "
                   "VALUES (?, ?, ?, ?, 'numberDesignation', 'individualNumber', NULL, ?)")

OPERATOR, TERMINAL, TIME = 1, 1, 0


def load(con: sqlite3.Connection, path: str) -> list[tuple]:
    """Loads the CSV; returns the rows as inserted (row i has rowid i + 1)."""
    rows: list[tuple] = []
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        expected = {"residentCode", "individualNumber", "addresseeNumber", "householdNumber", "relationship",
                    "surname", "givenName", "surnameKana", "givenNameKana", "birthDate", "sex",
                    "municipalityCode", "postalCode", "address", "status", "cardStatus", "nationality",
                    "residenceStatus", "formerSurname"}
        missing = expected - set(reader.fieldnames or [])
        if missing:
            raise SystemExit(f"register_sqlite.py: {path} lacks the columns {sorted(missing)}")
        for line, r in enumerate(reader, start=2):
            m = ADDRESS.match(r["address"])
            if not m:
                raise SystemExit(f"register_sqlite.py: {path}:{line}: cannot split the address {r['address']!r}")
            city, town, chome, banchi, go = m.groups()
            rows.append((
                int(r["residentCode"]), int(r["individualNumber"]) if r["individualNumber"] else None,
                int(r["addresseeNumber"]), int(r["householdNumber"]), r["relationship"],
                r["surname"], r["givenName"], r["surnameKana"], r["givenNameKana"], r["birthDate"], r["sex"],
                r["municipalityCode"], r["postalCode"], city, town, kanji_number(chome), int(banchi), int(go or 0),
                r["status"], r["cardStatus"], r["nationality"] or None, r["residenceStatus"] or None,
                r["formerSurname"] or None,
            ))
    con.execute("BEGIN")
    con.executemany(INSERT, rows)
    con.execute("COMMIT")
    return rows


def rounds(rng: random.Random, n: int, count: int) -> list[int]:
    """`count` row positions: rounds of a random permutation of 0..<n (each position once per round)."""
    out: list[int] = []
    while len(out) < count:
        order = list(range(n))
        rng.shuffle(order)
        out.extend(order[: count - len(out)])
    return out


def result(count: int, seconds: float, **extra) -> dict:
    return {"count": count, "seconds": seconds, "perSecond": count / seconds, **extra}


def lookup_by_code(con, rows, rng, count):
    codes = [rows[i][0] for i in rounds(rng, len(rows), count)]
    cur = con.cursor()
    execute, fetchone = cur.execute, cur.fetchone
    missing = 0
    start = time.perf_counter()
    for code in codes:
        execute(LOOKUP, (code,))
        if fetchone() is None:
            missing += 1
    seconds = time.perf_counter() - start
    if missing:
        raise SystemExit(f"register_sqlite.py: lookupByCode: {missing} codes not found")
    return result(count, seconds, statement=LOOKUP)


def reference(con, rows, rng, count):
    """Not compared: what a row id costs without the row (`register.row(residentCode:)` returns only a row id)
    and the floor of one statement through Python's sqlite3 module (`SELECT ?`)."""
    codes = [rows[i][0] for i in rounds(rng, len(rows), count)]
    cur = con.cursor()
    execute, fetchone = cur.execute, cur.fetchone
    out = {}
    for name, sql in (("pythonStatementFloor", "SELECT ?"), ("lookupByCodeRowidOnly", LOOKUP_ROWID)):
        start = time.perf_counter()
        for code in codes:
            execute(sql, (code,))
            fetchone()
        out[name] = result(count, time.perf_counter() - start, statement=sql)
    return out


def basic_facts_search(con, rows, rng, count):
    keys = [(rows[i][7], rows[i][8], rows[i][9]) for i in rounds(rng, len(rows), count)]
    cur = con.cursor()
    execute, fetchall = cur.execute, cur.fetchall
    found = 0
    start = time.perf_counter()
    for key in keys:
        execute(SEARCH, key)
        found += len(fetchall())
    seconds = time.perf_counter() - start
    if found < count:
        raise SystemExit(f"register_sqlite.py: basicFactsSearch: {found} matches for {count} searches of residents")
    return result(count, seconds, statement=SEARCH, matches=found)


def relocation(con, rows, rng, count):
    visits: dict[int, int] = {}
    log_args, update_args = [], []
    for i in rounds(rng, len(rows), count):
        r = rows[i]
        k = visits.get(i, 0)
        visits[i] = k + 1
        banchi, go = 9001 + k % 2, rng.randint(1, 99)
        after = f"{r[14]} {r[15]}-{banchi}-{go}"
        log_args.append((TIME, OPERATOR, TERMINAL, after, r[0]))
        update_args.append((r[12], r[14], r[15], banchi, go, r[0]))
    log_before = con.execute("SELECT count(*) FROM change_log").fetchone()[0]
    cur = con.cursor()
    execute = cur.execute
    start = time.perf_counter()
    execute("BEGIN")
    for log, update in zip(log_args, update_args):
        execute(LOG_RELOCATION, log)
        execute(RELOCATE, update)
    execute("COMMIT")
    seconds = time.perf_counter() - start
    logged = con.execute("SELECT count(*) FROM change_log").fetchone()[0] - log_before
    moved = con.execute("SELECT count(*) FROM residents WHERE banchi IN (9001, 9002)").fetchone()[0]
    if logged != count or moved != len(visits):
        raise SystemExit(f"register_sqlite.py: relocation: {logged} logged, {moved} moved; expected "
                         f"{count} and {len(visits)}")
    return result(count, seconds, statement=f"{LOG_RELOCATION}; {RELOCATE}")


def bulk_designation(con, rows, rng):
    n = len(rows)
    bodies = rng.sample(range(10 ** 11), n)
    numbers = [individual_number(b) for b in bodies]
    update_args = [(numbers[i], rows[i][0]) for i in range(n)]
    log_args = [(TIME, rows[i][0], OPERATOR, TERMINAL, str(numbers[i]).zfill(12)) for i in range(n)]
    con.execute("BEGIN")
    con.execute("UPDATE residents SET individual_number = NULL WHERE status = 'active'")
    con.execute("COMMIT")
    cur = con.cursor()
    start = time.perf_counter()
    cur.execute("BEGIN")
    cur.executemany(DESIGNATE, update_args)
    cur.executemany(LOG_DESIGNATION, log_args)
    cur.execute("COMMIT")
    seconds = time.perf_counter() - start
    designated = con.execute("SELECT count(individual_number) FROM residents").fetchone()[0]
    if designated != n:
        raise SystemExit(f"register_sqlite.py: bulkDesignation: {designated} of {n} designated")
    return result(n, seconds, statement=f"executemany {DESIGNATE}; executemany {LOG_DESIGNATION}",
                  method="executemany with precomputed numbers")


def run(args) -> dict:
    con = sqlite3.connect(":memory:", isolation_level=None)
    con.executescript(SCHEMA)
    start = time.perf_counter()
    rows = load(con, args.csv)
    load_seconds = time.perf_counter() - start
    indexes = ["residentCode", "individualNumber", "nameAndBirthDate"]
    if args.address_index:
        indexes.append("nameAndAddress")
    if args.log_index:
        indexes.append("changeLogResidentCode")
    start = time.perf_counter()
    for name in indexes:
        con.execute(INDEXES[name])
    index_seconds = time.perf_counter() - start
    con.execute("ANALYZE")

    operations = {}
    operations["lookupByCode"] = lookup_by_code(con, rows, random.Random(args.seed * 10 + 1), args.lookups)
    extra = reference(con, rows, random.Random(args.seed * 10 + 1), args.lookups) if args.reference else {}
    operations["basicFactsSearch"] = basic_facts_search(con, rows, random.Random(args.seed * 10 + 2), args.searches)
    operations["relocation"] = relocation(con, rows, random.Random(args.seed * 10 + 3), args.relocations)
    operations["bulkDesignation"] = bulk_designation(con, rows, random.Random(args.seed * 10 + 4))
    con.close()
    return {
        "peer": "sqlite",
        "residents": len(rows),
        "seed": args.seed,
        "sqliteVersion": sqlite3.sqlite_version,
        "python": platform.python_version(),
        "indexes": indexes,
        "load": {"seconds": load_seconds, "rowsPerSecond": len(rows) / load_seconds,
                 "indexSeconds": index_seconds},
        "operations": operations,
        "reference": extra,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--csv", required=True, help="the population, from `jukisim population generate --format csv`")
    parser.add_argument("--seed", type=int, default=20250501, help="seed of the random picks (default 20250501)")
    parser.add_argument("--lookups", type=int, default=1_000_000, help="lookups by resident code (default 1,000,000)")
    parser.add_argument("--searches", type=int, default=200_000, help="basic-facts searches (default 200,000)")
    parser.add_argument("--relocations", type=int, default=200_000, help="relocations (default 200,000)")
    parser.add_argument("--no-address-index", dest="address_index", action="store_false",
                        help="leave out the (name kana, address) index that mirrors jukisim's fourth index")
    parser.add_argument("--no-log-index", dest="log_index", action="store_false",
                        help="leave out the change log's index on resident code")
    parser.add_argument("--no-reference", dest="reference", action="store_false",
                        help="skip the reference figures (SELECT ? and SELECT rowid, as many as --lookups)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    for name in ("lookups", "searches", "relocations"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")

    out = run(args)
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        print(f"SQLite {out['sqliteVersion']} in memory (Python {out['python']}), {out['residents']:,} residents; "
              f"load {out['load']['seconds']:.2f} s, indexes {out['load']['indexSeconds']:.2f} s "
              f"({', '.join(out['indexes'])})")
        for name, op in out["operations"].items():
            print(f"  {name:<22} {op['count']:>9,} in {op['seconds']:7.3f} s = {op['perSecond']:>12,.0f} /s")
        for name, op in out["reference"].items():
            print(f"  ({name:<20} {op['count']:>9,} in {op['seconds']:7.3f} s = {op['perSecond']:>12,.0f} /s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
