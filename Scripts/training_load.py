#!/usr/bin/env python3
"""Measures the training server's page response times with several trainees at once.

Starts `jukisim-train` with the drill (its scenario's full population) and N trainees, and has every trainee play
every case at the same time as the others, as fast as the server answers: call, the counter page, a register
search, a decision (from the answer key `jukisim cases generate` writes), the counter again; then the score. Every
request's time is measured from sending to the last byte; prints p50, p99 and the maximum per route and overall.

Usage: Scripts/training_load.py BIN_DIR DRILL [TRAINEES] [CASES]
"""
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirect)


def request(base, path, token, form=None):
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    req = urllib.request.Request(base + path, data=data, headers={"Cookie": "jukisim_token=" + token})
    start = time.perf_counter()
    try:
        with opener.open(req, timeout=30) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        e.read()
        status = e.code
    return time.perf_counter() - start, status


def main():
    bin_dir, drill = sys.argv[1], sys.argv[2]
    trainees = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    cases = int(sys.argv[4]) if len(sys.argv) > 4 else 40
    work = tempfile.mkdtemp()
    text = open(drill, encoding="utf-8").read()
    scenario_dir = os.path.dirname(os.path.abspath(drill))
    lines = [l for l in text.splitlines() if not l.startswith("cases:")]
    lines = [l.replace("scenario: ", "scenario: " + scenario_dir + "/") if l.startswith("scenario: ") else l
             for l in lines]
    load_drill = os.path.join(work, "drill.yaml")
    open(load_drill, "w", encoding="utf-8").write("\n".join(lines) + f"\ncases: {cases}\n")
    subprocess.run([os.path.join(bin_dir, "jukisim"), "cases", "generate", "--drill", load_drill, "--output", work,
                    "--quiet"], check=True)
    key = json.load(open(os.path.join(work, "cases.json"), encoding="utf-8"))["cases"]
    tokens = {"trainer": "trainer-load-token-000001",
              "trainees": [{"name": f"t{i}", "token": f"trainee-load-token-{i:06d}"} for i in range(trainees)]}
    json.dump(tokens, open(os.path.join(work, "tokens.json"), "w"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    started = time.time()
    server = subprocess.Popen([os.path.join(bin_dir, "jukisim-train"), load_drill, "--tokens",
                               os.path.join(work, "tokens.json"), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=1).read()
            break
        except Exception:
            if time.time() - started > 300:
                sys.exit("the server did not start")
            time.sleep(0.2)
    print(f"server up after {time.time() - started:.1f} s ({trainees} trainees, {cases} cases each)")
    times = {}
    lock = threading.Lock()
    errors = []

    def note(route, t, status, ok=(200, 303)):
        with lock:
            times.setdefault(route, []).append(t)
            if status not in ok:
                errors.append((route, status))

    def play(token):
        for case in key:
            note("POST /counter/call", *request(base, "/counter/call", token, {}))
            note("GET /counter", *request(base, "/counter", token))
            note("POST /counter/search",
                 *request(base, "/counter/search", token, {"surname": "高橋", "givenName": "一郎",
                                                           "birthDate": "1980-01-01"}))
            e = case["expected"]
            form = {"verdict": e["verdict"]}
            if e["reasons"]:
                form["reason"] = e["reasons"][0]
            for f in e["fields"]:
                form[f["field"]] = f["value"]
            note("POST /counter/decide", *request(base, "/counter/decide", token, form))
            note("GET /counter/status.json", *request(base, "/counter/status.json", token))
        note("GET /counter/score", *request(base, "/counter/score", token))

    wall = time.perf_counter()
    threads = [threading.Thread(target=play, args=(t["token"],)) for t in tokens["trainees"]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - wall
    note("GET /trainer", *request(base, "/trainer", tokens["trainer"]))
    server.terminate()
    server.wait()
    everything = sorted(x for v in times.values() for x in v)

    def q(values, p):
        values = sorted(values)
        return values[min(len(values) - 1, int(p * len(values)))] * 1000

    print(f"{len(everything)} requests in {wall:.1f} s ({len(everything) / wall:.0f}/s)")
    print(f"{'route':28} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for route, v in sorted(times.items()):
        print(f"{route:28} {len(v):5} {q(v, 0.5):8.2f} {q(v, 0.99):8.2f} {max(v) * 1000:8.2f}")
    print(f"{'all':28} {len(everything):5} {q(everything, 0.5):8.2f} {q(everything, 0.99):8.2f} "
          f"{max(everything) * 1000:8.2f}")
    if errors:
        print(f"unexpected statuses: {errors[:10]}")
        sys.exit(1)


if __name__ == "__main__":
    main()
