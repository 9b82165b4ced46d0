#!/usr/bin/env python3
"""jukisim beside its peers, in one run: SimPy for the engine canary, SQLite in memory for the register.

Run it through `Benchmarks/peers/run.sh`, which makes the virtualenv with SimPy first. Four measurements, one
after the other (never two at once):

1. jukisim's canary: `jukisim run Scenarios/canary-mmc.yaml --output .build/peers/canary-run --quiet`, read
   from the top-level "canary" key of its summary.json;
2. the same model in SimPy (`canary_simpy.py`), with the points, servers, utilisation and customers per
   point read from that summary;
3. jukisim's register: `jukisim bench register --json --seed SEED`;
4. the same operations on SQLite in memory (`register_sqlite.py`), on the population that
   `jukisim population generate --format csv --seed SEED` exports.

Prints a table of rates and ratios (jukisim ÷ peer: higher is better for jukisim) and writes a Markdown
report (default `Reports/baselines/peers.md`; with --quick `.build/peers/peers-quick.md`) and every raw
figure as JSON (`.build/peers/peers.json`).

A missing jukisim part (no scenario, no "canary" key, no `bench register`) or a failed part is reported and
the rest still runs; the exit status is then 1, as it is when either canary's mean time in system is more than
5 % from Erlang C. Exit 2: usage or set-up error (no jukisim binary).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
WORK = ROOT / ".build" / "peers"
DEFAULT_REPORT = ROOT / "Reports" / "baselines" / "peers.md"
QUICK_REPORT = WORK / "peers-quick.md"
SCENARIO = ROOT / "Scenarios" / "canary-mmc.yaml"

OPERATIONS = {
    "lookupByCode": "lookup by resident code",
    "basicFactsSearch": "basic-facts search (kana + birth date)",
    "relocation": "relocation + change log",
    "bulkDesignation": "bulk designation (all residents)",
}
CANARY_KEYS = ("points", "servers", "utilization", "customers", "wallSeconds", "customersPerSecond",
               "meanTimeInSystem", "erlangCMeanTimeInSystem")
DEFAULT_CANARY = {"points": 13, "servers": 4, "utilization": 0.8, "customers": 1_300_000}
FULL_COUNTS = {"lookups": 1_000_000, "searches": 200_000, "relocations": 200_000}
QUICK_COUNTS = {"lookups": 100_000, "searches": 20_000, "relocations": 20_000}
QUICK_CANARY_DIVISOR = 10
CANARY_TOLERANCE = 0.05  # largest accepted deviation of a mean time in system from Erlang C, both sides


class PartMissing(Exception):
    """A jukisim side that this jukisim does not provide (yet), or a peer that failed."""


def run(cmd: list[str], what: str, timeout: float = 3600) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired as e:
        raise PartMissing(f"{what}: `{' '.join(cmd)}` ran longer than {timeout:.0f} s") from e


def tail(text: str, lines: int = 6) -> str:
    return "\n".join("    " + line for line in text.strip().splitlines()[-lines:])


def relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# MARK: The four measurements

def jukisim_canary(args) -> dict:
    if args.canary_summary:
        summary_path = Path(args.canary_summary)
        source = f"{summary_path} (given with --canary-summary)"
    else:
        scenario = Path(args.scenario)
        if not scenario.exists():
            raise PartMissing(f"jukisim canary: {relative(scenario)} does not exist in this checkout "
                              "(the scenario is not written yet)")
        out = WORK / "canary-run"
        if out.exists():
            shutil.rmtree(out)
        cmd = [args.jukisim, "run", str(scenario), "--output", str(out), "--quiet"]
        done = run(cmd, "jukisim canary")
        summary_path = out / "summary.json"
        if done.returncode not in (0, 1) or not summary_path.exists():
            raise PartMissing(f"jukisim canary: `jukisim run {relative(scenario)}` exited {done.returncode}"
                              f"{' without a summary.json' if not summary_path.exists() else ''}\n"
                              f"{tail(done.stderr or done.stdout)}")
        if done.returncode == 1:
            print(f"note: jukisim run {relative(scenario)} exited 1 (a threshold failed); its figures are used",
                  file=sys.stderr)
        source = f"`jukisim run {relative(scenario)}`"
    try:
        summary = json.loads(summary_path.read_text())
    except (OSError, ValueError) as e:
        raise PartMissing(f"jukisim canary: cannot read {relative(summary_path)}: {e}") from e
    canary = summary.get("canary") if isinstance(summary, dict) else None
    # Wall-clock figures live in the summary's "wall" block (the only part that varies between runs).
    wall = summary.get("wall") if isinstance(summary, dict) else None
    if isinstance(canary, dict) and isinstance(wall, dict):
        canary = {**canary, "wallSeconds": wall.get("seconds"), "customersPerSecond": wall.get("customersPerSecond")}
    if not isinstance(canary, dict):
        raise PartMissing(f"jukisim canary: {relative(summary_path)} has no top-level \"canary\" object "
                          f"(expected keys: {', '.join(CANARY_KEYS)})")
    missing = [k for k in CANARY_KEYS if not isinstance(canary.get(k), (int, float))]
    if missing:
        raise PartMissing(f"jukisim canary: \"canary\" in {relative(summary_path)} lacks the numbers "
                          f"{', '.join(missing)}")
    if canary["customers"] % canary["points"]:
        raise PartMissing(f"jukisim canary: {canary['customers']} customers do not divide into "
                          f"{canary['points']} points")
    return {**canary, "source": source}


def simpy_canary(args, model: dict) -> dict:
    per_point = model["customers"] // model["points"]
    if args.quick:
        per_point = max(1000, per_point // QUICK_CANARY_DIVISOR)
    cmd = [sys.executable, str(HERE / "canary_simpy.py"), "--points", str(model["points"]),
           "--servers", str(model["servers"]), "--utilization", repr(float(model["utilization"])),
           "--customers", str(per_point), "--seed", str(args.canary_seed), "--tolerance", str(CANARY_TOLERANCE),
           "--json"]
    done = run(cmd, "SimPy canary")
    try:
        out = json.loads(done.stdout)
    except ValueError as e:
        raise PartMissing(f"SimPy canary: exited {done.returncode} without JSON\n{tail(done.stderr)}") from e
    if done.returncode not in (0, 1):
        raise PartMissing(f"SimPy canary: exited {done.returncode}\n{tail(done.stderr)}")
    return out


def population_csv(args) -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"population-{args.seed}.csv"
    cmd = [args.jukisim, "population", "generate", "--format", "csv", "--seed", str(args.seed),
           "--output", str(path)]
    done = run(cmd, "population export")
    if done.returncode != 0 or not path.exists():
        raise PartMissing(f"population export: `jukisim {' '.join(cmd[1:])}` exited {done.returncode}\n"
                          f"{tail(done.stderr)}")
    return path


def jukisim_register(args) -> dict:
    if args.register_json:
        try:
            out = json.loads(Path(args.register_json).read_text())
        except (OSError, ValueError) as e:
            raise PartMissing(f"jukisim register: cannot read {args.register_json}: {e}") from e
        source = f"{args.register_json} (given with --register-json)"
    else:
        cmd = [args.jukisim, "bench", "register", "--json", "--seed", str(args.seed)]
        done = run(cmd, "jukisim register")
        if done.returncode != 0:
            err = done.stderr + done.stdout
            usage = run([args.jukisim, "bench", "register", "--help"], "jukisim register").stdout
            if "jukisim bench register" not in usage:
                raise PartMissing(f"jukisim register: `jukisim bench register` is not a known subcommand of "
                                  f"{relative(Path(args.jukisim))} (not added yet, or an old build)\n{tail(err, 3)}")
            raise PartMissing(f"jukisim register: `jukisim bench register --json --seed {args.seed}` exited "
                              f"{done.returncode}\n{tail(err)}")
        try:
            out = json.loads(done.stdout)
        except ValueError as e:
            raise PartMissing(f"jukisim register: `jukisim bench register --json` did not print one JSON object "
                              f"({e})\n{tail(done.stdout)}") from e
        source = f"`jukisim bench register --json --seed {args.seed}`"
    ops = out.get("operations") if isinstance(out, dict) else None
    if not isinstance(ops, dict):
        raise PartMissing("jukisim register: its JSON has no \"operations\" object")
    problems = []
    for name in OPERATIONS:
        op = ops.get(name)
        if not isinstance(op, dict) or not all(isinstance(op.get(k), (int, float)) for k in
                                               ("count", "seconds", "perSecond")):
            problems.append(name)
    if problems:
        raise PartMissing(f"jukisim register: \"operations\" lacks count/seconds/perSecond for {', '.join(problems)}")
    return {**out, "source": source}


def sqlite_register(args, csv_path: Path) -> dict:
    counts = QUICK_COUNTS if args.quick else FULL_COUNTS
    cmd = [sys.executable, str(HERE / "register_sqlite.py"), "--csv", str(csv_path), "--seed", str(args.seed),
           "--lookups", str(counts["lookups"]), "--searches", str(counts["searches"]),
           "--relocations", str(counts["relocations"]), "--json"]
    done = run(cmd, "SQLite register")
    if done.returncode != 0:
        raise PartMissing(f"SQLite register: exited {done.returncode}\n{tail(done.stderr)}")
    return json.loads(done.stdout)


# MARK: Machine and versions

def command_line(cmd: list[str]) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if text else "not found"


def machine() -> dict:
    cpu = "unknown"
    memory = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 ** 2:.1f} GiB"
                break
    except OSError:
        pass
    return {"uname": command_line(["uname", "-srm"]), "cpu": cpu, "cores": os.cpu_count(), "memory": memory}


def versions(args) -> dict:
    try:
        import simpy
        simpy_version = simpy.__version__
    except ImportError:
        simpy_version = "not installed"
    commit = command_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "-C", str(ROOT), "diff", "--quiet", "HEAD", "--", "Sources", "Package.swift"],
                           capture_output=True).returncode if commit != "not found" else 0
    return {
        "python": platform.python_version(),
        "simpy": simpy_version,
        "sqlite": sqlite3.sqlite_version,
        "jukisim": command_line([args.jukisim, "--version"]),
        "swift": command_line(["swift", "--version"]),
        "commit": commit + (" (with local changes in Sources/)" if dirty else ""),
    }


# MARK: Table and report

def rate(x: float | None) -> str:
    if x is None:
        return "—"
    for div, unit in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if x >= div:
            return f"{x / div:.3g} {unit}/s"
    return f"{x:.3g} /s"


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "—"
    r = a / b
    return f"{r:,.0f}×" if r >= 100 else f"{r:.1f}×" if r >= 10 else f"{r:.2f}×"


def count(x) -> str:
    return "—" if x is None else f"{int(x):,}"


def rows_of(results: dict) -> list[list[str]]:
    rows = []
    jc, sc = results.get("jukisimCanary"), results.get("simpyCanary")
    if results.get("only") in (None, "canary"):
        rows.append(["engine canary: customers", count(jc and jc["customers"]),
                     rate(jc and jc["customersPerSecond"]),
                     "SimPy", count(sc and sc["customers"]), rate(sc and sc["customersPerSecond"]),
                     ratio(jc and jc["customersPerSecond"], sc and sc["customersPerSecond"])])
    jr, sr = results.get("jukisimRegister"), results.get("sqliteRegister")
    for name, label in OPERATIONS.items() if results.get("only") in (None, "register") else ():
        j = jr["operations"][name] if jr else None
        s = sr["operations"][name] if sr else None
        rows.append([f"register: {label}", count(j and j["count"]), rate(j and j["perSecond"]),
                     "SQLite", count(s and s["count"]), rate(s and s["perSecond"]),
                     ratio(j and j["perSecond"], s and s["perSecond"])])
    return rows


HEADER = ["measurement", "jukisim count", "jukisim rate", "peer", "peer count", "peer rate", "jukisim ÷ peer"]


def text_table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [HEADER] + rows) for i in range(len(HEADER))]
    lines = []
    for k, r in enumerate([HEADER] + rows):
        lines.append("  ".join(c.ljust(w) if i in (0, 3) else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join(["---"] + ["---:"] * 2 + ["---"] + ["---:"] * 3) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def accuracy_lines(results: dict) -> list[str]:
    out = []
    for key, who in (("jukisimCanary", "jukisim"), ("simpyCanary", "SimPy")):
        c = results.get(key)
        if c:
            dev = c["meanTimeInSystem"] / c["erlangCMeanTimeInSystem"] - 1
            out.append(f"{who}: mean time in system {c['meanTimeInSystem']:.4f} against Erlang C "
                       f"{c['erlangCMeanTimeInSystem']:.4f} ({dev:+.2%}), wall {c['wallSeconds']:.3f} s")
    return out


def report(results: dict, args, rows: list[list[str]]) -> str:
    m, v = results["machine"], results["versions"]
    sr, sc, jc = results.get("sqliteRegister"), results.get("simpyCanary"), results.get("jukisimCanary")
    model = jc or results.get("canaryModel") or DEFAULT_CANARY
    lines = [
        "# jukisim beside its peers",
        "",
        f"Written by `Benchmarks/peers/run.sh{' --quick' if args.quick else ''}` on {results['date']} "
        f"in {results['totalSeconds']:.0f} s (load average {results['loadBefore']} before, "
        f"{results['loadAfter']} after). See `Benchmarks/peers/README.md`.",
        "",
    ]
    if results["problems"]:
        lines += ["**Incomplete or failed run**: " + "; ".join(p.splitlines()[0] for p in results["problems"]), ""]
    lines += [
        f"- Machine: `{m['uname']}`, {m['cpu']}, {m['cores']} cores, {m['memory']}",
        f"- jukisim {v['jukisim']} at commit {v['commit']}; {v['swift']}",
        f"- Python {v['python']}, SimPy {v['simpy']}, SQLite {v['sqlite']} (Python's `sqlite3` module)",
        "",
        markdown_table(rows),
        "",
        "Rates are per wall-clock second; the ratio is jukisim's rate over the peer's, so above 1× jukisim is "
        "faster. Each side is timed by itself, around the measured work only, one after the other.",
    ]
    if args.quick:
        lines += ["", f"Quick run: the peers ran smaller counts (SimPy {QUICK_CANARY_DIVISOR}× fewer customers, "
                  f"SQLite {QUICK_COUNTS['lookups']:,} lookups, {QUICK_COUNTS['searches']:,} searches and "
                  f"{QUICK_COUNTS['relocations']:,} relocations); rates are still compared."]
    acc = accuracy_lines(results)
    if acc:
        lines += ["", "Canary check against Erlang C: " + "; ".join(acc) + "."]
    if sr:
        ref = sr.get("reference", {})
        lines += ["", f"SQLite set-up, not timed in the table: loading {sr['residents']:,} rows "
                  f"{sr['load']['seconds']:.2f} s, building the indexes {sr['load']['indexSeconds']:.2f} s "
                  f"({', '.join(sr['indexes'])})."]
        if ref:
            lines += [f"For reading the lookup ratio: `SELECT ?` alone runs at "
                      f"{rate(ref['pythonStatementFloor']['perSecond'])} through Python's sqlite3 module (the "
                      f"ceiling of any one-statement operation here), and a lookup returning only the row id "
                      f"(`SELECT rowid`) at {rate(ref['lookupByCodeRowidOnly']['perSecond'])}."]
    if results["problems"]:
        lines += ["", "Problems:", ""] + [f"- {p.splitlines()[0]}" for p in results["problems"]]
    lines += [
        "",
        "## What is compared, and what is not",
        "",
        f"The canary is the same model on both sides: {model['points']} independent M/M/{model['servers']} "
        f"service points at utilisation {model['utilization']}, exponential service of mean 1, Poisson "
        "arrivals; jukisim runs it on its own discrete-event engine (compiled Swift; each point a node, a state "
        "machine for arrival and departure events; the nodes run window by window of virtual time as tasks on "
        f"every core, {m['cores']} here), SimPy as interpreted Python on one thread, one event heap, a "
        "generator process per customer and a `Resource` per point. Both are checked against the Erlang C mean time in system; the "
        "random streams differ, so the means differ by sampling noise only. "
        "The register comparison runs the same four operations on the same 445,283 synthetic residents, "
        "but not the same kind of store: jukisim's register is a set of in-memory columns with open-addressing "
        "hash indexes and an append-only change log, inside the process that calls it; SQLite keeps its "
        "durable-format B-trees (a table and one B-tree per index) in memory, parses and plans SQL (cached "
        "statements), and is driven from Python, so every SQLite figure includes the interpreter and the "
        "`sqlite3` module's binding and row conversion (the `SELECT ?` floor above). SQLite also gives what "
        "jukisim does not attempt: SQL, transactions with rollback, constraint checks, and a format that could "
        "be written to disk. SQLite and the Python driving it run on one thread. SQLite's lookups and searches return whole rows as Python tuples (`SELECT *`), "
        "relocations read the old address into the log with `INSERT … SELECT` and then `UPDATE` the address "
        "columns, and bulk designation is an `executemany` of precomputed numbers (as a real system would "
        "apply the numbers J-LIS sends) plus an `executemany` into the log, in one transaction. SQLite "
        "maintains the same indexes as the register (resident code, individual number, kana name + birth "
        "date, kana name + address) plus one on the log's resident code for per-person history. Neither "
        "side writes to disk. The ratios say how far a purpose-built in-memory register is from a general "
        "embedded database used the ordinary way, not that SQLite is slow.",
        "",
    ]
    return "\n".join(lines)


# MARK: Main

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="smaller peer counts (about 10x fewer), for CI; the report goes to "
                             f"{relative(QUICK_REPORT)} unless --report")
    parser.add_argument("--jukisim", default=str(ROOT / ".build" / "release" / "jukisim"),
                        help="the jukisim binary (default .build/release/jukisim)")
    parser.add_argument("--seed", type=int, default=20250501,
                        help="population seed and seed of the register picks (default 20250501)")
    parser.add_argument("--canary-seed", type=int, default=1, help="SimPy's root seed (default 1)")
    parser.add_argument("--only", choices=("canary", "register"), help="run one half only")
    parser.add_argument("--scenario", metavar="FILE", default=str(SCENARIO),
                        help=f"jukisim's canary scenario (default {relative(SCENARIO)})")
    parser.add_argument("--canary-summary", metavar="FILE",
                        help="read jukisim's canary from this summary.json instead of running the scenario")
    parser.add_argument("--register-json", metavar="FILE",
                        help="read jukisim's register figures from this file instead of `jukisim bench register`")
    parser.add_argument("--report", metavar="FILE", help=f"Markdown report (default {relative(DEFAULT_REPORT)})")
    parser.add_argument("--no-report", action="store_true", help="print the table only")
    args = parser.parse_args(argv)

    jukisim = Path(args.jukisim)
    if not (jukisim.is_file() and os.access(jukisim, os.X_OK)):
        print(f"peers: the jukisim binary {jukisim} is missing: build it first, from {ROOT}:\n"
              "    swift build -c release", file=sys.stderr)
        return 2
    args.jukisim = os.path.abspath(jukisim)
    WORK.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    results: dict = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "quick": args.quick,
        "only": args.only,
        "loadBefore": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "machine": machine(),
        "versions": versions(args),
        "problems": [],
    }

    def attempt(key: str, label: str, fn, *a):
        print(f"peers: {label} …", file=sys.stderr, flush=True)
        t = time.perf_counter()
        try:
            results[key] = fn(*a)
        except PartMissing as e:
            results["problems"].append(str(e))
            print(f"peers: MISSING {e}", file=sys.stderr)
            return None
        print(f"peers: {label} done in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        return results[key]

    if args.only in (None, "canary"):
        jc = attempt("jukisimCanary", "jukisim canary", jukisim_canary, args)
        model = {k: jc[k] for k in DEFAULT_CANARY} if jc else dict(DEFAULT_CANARY)
        if not jc:
            print(f"peers: SimPy runs the default canary ({model['points']} × M/M/{model['servers']}, "
                  f"ρ {model['utilization']}, {model['customers']:,} customers)", file=sys.stderr)
        results["canaryModel"] = model
        if jc:
            deviation = jc["meanTimeInSystem"] / jc["erlangCMeanTimeInSystem"] - 1
            if abs(deviation) > CANARY_TOLERANCE:
                results["problems"].append(f"jukisim canary: mean time in system {deviation:+.2%} from Erlang C, "
                                           f"beyond {CANARY_TOLERANCE:.0%}")
        sc = attempt("simpyCanary", "SimPy canary", simpy_canary, args, model)
        if sc and not sc.get("withinTolerance", True):
            results["problems"].append(f"SimPy canary: mean time in system {sc['deviation']:+.2%} from Erlang C, "
                                      f"beyond {sc['tolerance']:.0%}")
    if args.only in (None, "register"):
        csv_path = attempt("populationCSV", "population export", population_csv, args)
        attempt("jukisimRegister", "jukisim register", jukisim_register, args)
        if csv_path:
            results["populationCSV"] = relative(csv_path)
            sr = attempt("sqliteRegister", "SQLite register", sqlite_register, args, csv_path)
            jr = results.get("jukisimRegister")
            if sr and jr and jr.get("residents") not in (None, sr["residents"]):
                results["problems"].append(f"register: jukisim measured {jr['residents']} residents, SQLite "
                                           f"{sr['residents']}")

    results["totalSeconds"] = time.perf_counter() - started
    results["loadAfter"] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    rows = rows_of(results)
    print()
    print(text_table(rows))
    for line in accuracy_lines(results):
        print(line)
    (WORK / "peers.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    if not args.no_report:
        path = Path(args.report) if args.report else (QUICK_REPORT if args.quick else DEFAULT_REPORT)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report(results, args, rows))
        print(f"\nwrote {relative(path)} and {relative(WORK / 'peers.json')} ({results['totalSeconds']:.0f} s)")
    if results["problems"]:
        print("\nincomplete or failed:", file=sys.stderr)
        for p in results["problems"]:
            print("  " + p.replace("\n", "\n  "), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
