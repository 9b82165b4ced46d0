"""A real Prometheus scrapes a wall-clock run's live /metrics, and its answers must be the run's summary.json.

Starts Prometheus (Debian's `prometheus` package) on 127.0.0.1 with a 1-second scrape of the run's endpoint, runs
`jukisim run SCENARIO --metrics-listen 127.0.0.1:PORT --metrics-linger 10s`, waits until Prometheus has scraped
`jukisim_run_finished 1`, then queries its HTTP API (/api/v1/query):
  - the journeys completed (summed over flows) and the arrivals issued must equal summary.json's;
  - the p99 latency (histogram_quantile over jukisim_load_latency_seconds) must lie in the same bucket as
    summary.json's p99 (Prometheus interpolates inside a bucket; the buckets are docs/observability.md's).
Finally `promtool check metrics` must pass on the run's metrics.prom.

Usage: python3 Scripts/prometheus_check.py JUKISIM SCENARIO WORKDIR
"""
import json
import pathlib
import subprocess
import sys
import time
import urllib.parse
import urllib.request

PROMETHEUS_PORT = 19090
METRICS_PORT = 19464
# PrometheusExposition.buckets, seconds.
BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
           120, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 10800, 21600, 43200, 86400]


def query(expression: str) -> float | None:
    url = f"http://127.0.0.1:{PROMETHEUS_PORT}/api/v1/query?" + urllib.parse.urlencode({"query": expression})
    with urllib.request.urlopen(url, timeout=5) as response:
        body = json.load(response)
    if body["status"] != "success" or not body["data"]["result"]:
        return None
    return float(body["data"]["result"][0]["value"][1])


def wait(what: str, check, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit(f"FAIL: {what} within {seconds:.0f} s")


def bucket(seconds: float) -> tuple[float, float]:
    """The bucket (lower, upper] holding `seconds`."""
    lower = 0.0
    for upper in BUCKETS:
        if seconds <= upper:
            return lower, upper
        lower = upper
    return lower, float("inf")


def main(jukisim: str, scenario: str, work: str) -> int:
    folder = pathlib.Path(work)
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "prometheus.yml"
    config.write_text(
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
        "scrape_configs:\n  - job_name: jukisim\n    static_configs:\n"
        f"      - targets: ['127.0.0.1:{METRICS_PORT}']\n",
        encoding="utf-8")
    prometheus = subprocess.Popen(
        ["prometheus", f"--config.file={config}", f"--storage.tsdb.path={folder / 'tsdb'}",
         f"--web.listen-address=127.0.0.1:{PROMETHEUS_PORT}"],
        stdout=subprocess.DEVNULL, stderr=open(folder / "prometheus.log", "wb"))
    run = None
    try:
        wait("Prometheus ready", lambda: urllib.request.urlopen(
            f"http://127.0.0.1:{PROMETHEUS_PORT}/-/ready", timeout=2).status == 200, 60)
        report = folder / "run"
        run = subprocess.Popen(
            [jukisim, "run", scenario, "--metrics-listen", f"127.0.0.1:{METRICS_PORT}", "--metrics-linger", "10s",
             "--output", str(report), "--quiet"])
        wait("Prometheus scraped the run's final figures (jukisim_run_finished 1)",
             lambda: query("jukisim_run_finished") == 1.0, 90)
        summary = json.loads((report / "summary.json").read_text(encoding="utf-8"))
        completed = sum(j["completed"] for j in summary["journeys"].values())
        scraped = query("sum(jukisim_journeys_completed_total)")
        issued = query("jukisim_load_arrivals_issued_total")
        p99 = query("histogram_quantile(0.99, sum by (le) (jukisim_load_latency_seconds_bucket))")
        want = summary["load"]["latencySeconds"]["p99"]
        lower, upper = bucket(want)
        print(f"journeys completed: Prometheus {scraped}, summary.json {completed}")
        print(f"arrivals issued: Prometheus {issued}, summary.json {summary['load']['issued']}")
        print(f"p99 latency: Prometheus {p99} s, summary.json {want} s (bucket ({lower}, {upper}])")
        problems = []
        if scraped != completed:
            problems.append("the journey count differs")
        if issued != summary["load"]["issued"]:
            problems.append("the arrivals issued differ")
        if p99 is None or not (lower <= p99 <= upper):
            problems.append("the p99 is not in summary.json's bucket")
        check = subprocess.run(["promtool", "check", "metrics"], stdin=open(report / "metrics.prom", "rb"),
                               capture_output=True, text=True)
        if check.returncode != 0:
            problems.append("promtool check metrics: " + (check.stdout + check.stderr).strip())
        else:
            print("promtool check metrics: metrics.prom passes")
        status = run.wait(timeout=120)
        run = None
        if status != 0:
            problems.append(f"jukisim exited {status}")
        for p in problems:
            print(f"FAIL: {p}")
        return 1 if problems else 0
    finally:
        if run is not None:
            run.kill()
        prometheus.terminate()
        prometheus.wait(timeout=30)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:]))
