"""Checks `jukisim run` built with the OTel trait against a real OTLP/HTTP receiver: the traces and metrics swift-otel
sends, decoded with the official protobuf definitions (PyPI `opentelemetry-proto`), must be the report folder's
traces.jsonl and metrics.jsonl, span for span and point for point.

- The receiver listens on 127.0.0.1 (an ephemeral port), answers `/v1/traces` and `/v1/metrics` as a collector does
  (protobuf), and keeps every request.
- Traces: every trace of traces.jsonl arrives once (found by its `jukisim.trace_id` attribute, since swift-otel draws
  its own ids), with the same spans: names, start and end instants (ns), parents (mapped through `jukisim.span_id`),
  attributes and error status.
- Metrics: every family of metrics.jsonl arrives with the same points: sums and gauges with the same value,
  histograms with the same count, bucket counts and bounds and (to 1e-9) sum.
- `OTEL_EXPORTER_OTLP_PROTOCOL=http/json` is refused with exit 2 (swift-otel 1.6 writes its ids in base64 there).
- Then an endpoint with nothing listening: the run must end with exit 3 and a message naming the endpoint.

Usage: python3 Scripts/otel_export_check.py JUKISIM SCENARIO WORK_FOLDER   (needs: pip install opentelemetry-proto)
"""
import http.server
import json
import os
import pathlib
import socket
import subprocess
import sys
import threading

from google.protobuf import json_format
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
    ExportMetricsServiceResponse,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

from check_otlp import hex_ids_to_base64

received: dict = {"traces": [], "metrics": [], "content types": set(), "encodings": set()}
lock = threading.Lock()


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        encoding = self.headers.get("Content-Encoding", "identity")
        content_type = self.headers.get("Content-Type")
        if content_type != "application/x-protobuf":
            self.send_error(415, "OTLP/HTTP protobuf expected")
            return
        if self.path == "/v1/traces":
            request, response, kind = ExportTraceServiceRequest(), ExportTraceServiceResponse(), "traces"
        elif self.path == "/v1/metrics":
            request, response, kind = ExportMetricsServiceRequest(), ExportMetricsServiceResponse(), "metrics"
        else:
            self.send_error(404)
            return
        request.ParseFromString(body)
        payload = response.SerializeToString()
        with lock:
            received[kind].append(request)
            received["content types"].add(content_type)
            received["encodings"].add(encoding)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


def attributes(kvs) -> dict:
    out = {}
    for kv in kvs:
        which = kv.value.WhichOneof("value")
        out[kv.key] = getattr(kv.value, which) if which else None
    return out


def span_view(span, trace_key: str, span_key: str, parent_key: str) -> tuple:
    attrs = attributes(span.attributes)
    for extra in ("jukisim.trace_id", "jukisim.span_id"):
        attrs.pop(extra, None)
    error = span.status.code == 2
    return (trace_key, span_key, parent_key, span.name, span.start_time_unix_nano, span.end_time_unix_nano,
            tuple(sorted(attrs.items())), error, span.status.message if error else "")


def check_traces(folder: pathlib.Path, problems: list[str]) -> tuple[int, int]:
    expected = set()
    for line in (folder / "traces.jsonl").read_text(encoding="utf-8").splitlines():
        request = json_format.Parse(json.dumps(hex_ids_to_base64(json.loads(line))), ExportTraceServiceRequest())
        for resource in request.resource_spans:
            for scope in resource.scope_spans:
                for s in scope.spans:
                    expected.add(span_view(s, s.trace_id.hex(), s.span_id.hex(), s.parent_span_id.hex()))
    spans = [s for r in received["traces"] for rs in r.resource_spans for ss in rs.scope_spans for s in ss.spans]
    # swift-otel's ids back to the file's, through the attributes each exported span carries.
    ours = {}
    for s in spans:
        attrs = attributes(s.attributes)
        if "jukisim.span_id" not in attrs or "jukisim.trace_id" not in attrs:
            problems.append(f"exported span '{s.name}' lacks jukisim.trace_id/jukisim.span_id")
            continue
        ours[(s.trace_id, s.span_id)] = (attrs["jukisim.trace_id"], attrs["jukisim.span_id"])
    got = set()
    duplicates = 0
    trace_ids: dict[str, set] = {}
    for s in spans:
        if (s.trace_id, s.span_id) not in ours:
            continue
        trace_key, span_key = ours[(s.trace_id, s.span_id)]
        parent_key = ours.get((s.trace_id, s.parent_span_id), ("", ""))[1] if s.parent_span_id else ""
        view = span_view(s, trace_key, span_key, parent_key)
        if view in got:
            duplicates += 1
        got.add(view)
        trace_ids.setdefault(trace_key, set()).add(s.trace_id)
    if duplicates:
        problems.append(f"{duplicates} spans arrived twice")
    split = [t for t, ids in trace_ids.items() if len(ids) != 1]
    if split:
        problems.append(f"{len(split)} traces arrived under several trace ids, e.g. {split[0]}")
    for view in sorted(expected - got)[:5]:
        problems.append(f"span of traces.jsonl not received (or different): {view[:6]}")
    for view in sorted(got - expected)[:5]:
        problems.append(f"received span not in traces.jsonl: {view[:6]}")
    if not expected:
        problems.append("traces.jsonl is empty: nothing was checked")
    resources = {(a.get("service.name"), a.get("jukisim.scenario")) for r in received["traces"]
                 for rs in r.resource_spans for a in [attributes(rs.resource.attributes)]}
    if len(resources) != 1 or next(iter(resources))[0] != "jukisim":
        problems.append(f"resources of the exported spans: {sorted(resources)}")
    return len({v[0] for v in expected}), len(expected)


def points_of(metric) -> dict:
    kind = metric.WhichOneof("data")
    out = {}
    for p in getattr(metric, kind).data_points:
        labels = tuple(sorted(attributes(p.attributes).items()))
        if kind == "histogram":
            out[labels] = (kind, p.count, tuple(p.bucket_counts), tuple(p.explicit_bounds), p.sum)
        else:
            out[labels] = (kind, p.as_double if p.WhichOneof("value") == "as_double" else float(p.as_int))
    return out


def check_metrics(folder: pathlib.Path, problems: list[str]) -> int:
    line = (folder / "metrics.jsonl").read_text(encoding="utf-8").splitlines()[0]
    request = json_format.Parse(line, ExportMetricsServiceRequest())
    expected = {m.name: (m.unit, points_of(m)) for rm in request.resource_metrics for sm in rm.scope_metrics
                for m in sm.metrics}
    got: dict[str, tuple] = {}
    for r in received["metrics"]:
        for rm in r.resource_metrics:
            for sm in rm.scope_metrics:
                for m in sm.metrics:
                    unit, points = got.get(m.name, (m.unit, {}))
                    points.update(points_of(m))
                    got[m.name] = (unit, points)
    checked = 0
    for name, (unit, points) in expected.items():
        if name not in got:
            problems.append(f"metric {name} not received")
            continue
        got_unit, got_points = got[name]
        if got_unit != unit:
            problems.append(f"metric {name}: unit '{got_unit}', expected '{unit}'")
        for labels, want in points.items():
            have = got_points.get(labels)
            checked += 1
            if have is None:
                problems.append(f"metric {name}{dict(labels)}: point not received")
            elif want[0] == "histogram":
                if have[0] != "histogram" or have[1:4] != want[1:4] or abs(have[4] - want[4]) > 1e-9 * max(1, abs(want[4])):
                    problems.append(f"metric {name}{dict(labels)}: histogram {have[1]} / sum {have[4]}, expected "
                                    f"{want[1]} / sum {want[4]} (or other buckets)")
            elif have[0] != want[0] or abs(have[1] - want[1]) > 1e-9 * max(1, abs(want[1])):
                problems.append(f"metric {name}{dict(labels)}: {have}, expected {want}")
    extra = sorted(set(got) - set(expected))
    if extra:
        problems.append(f"metrics received that metrics.jsonl lacks: {extra[:5]}")
    return checked


def export_and_check(binary: str, scenario: str, folder: pathlib.Path, endpoint: str, problems: list[str]) -> None:
    """Runs the scenario with every journey traced, exporting to `endpoint`, and compares what arrived."""
    for key in received:
        received[key] = set() if key in ("content types", "encodings") else []
    env = dict(os.environ, OTEL_EXPORTER_OTLP_ENDPOINT=endpoint)
    run = subprocess.run([binary, "run", scenario, "--trace-sample", "100%", "--output", str(folder), "--quiet"],
                         env=env, capture_output=True, text=True, timeout=600)
    print(run.stdout.strip())
    if run.returncode != 0:
        problems.append(f"the run with {endpoint} ended with exit {run.returncode}: {run.stderr[-500:]}")
        return
    if "exported" not in run.stdout:
        problems.append("the run did not say it exported")
    before = len(problems)
    traces, spans = check_traces(folder, problems)
    points = check_metrics(folder, problems)
    if received["content types"] != {"application/x-protobuf"}:
        problems.append(f"requests came as {sorted(received['content types'])}")
    if received["encodings"] != {"identity"}:
        problems.append(f"requests came encoded {sorted(received['encodings'])}")
    print(f"received {len(received['traces'])} trace requests and {len(received['metrics'])} metrics "
          f"requests; {traces} traces ({spans} spans) and {points} metric points "
          + ("match the report folder's files" if len(problems) == before else "checked, with problems"))


def main() -> int:
    binary, scenario, work = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
    work.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    problems: list[str] = []
    export_and_check(binary, scenario, work / "exported", endpoint, problems)
    server.shutdown()

    # http/json is refused before anything is sent: swift-otel 1.6 would write its ids in base64, not OTLP's hex.
    env = dict(os.environ, OTEL_EXPORTER_OTLP_ENDPOINT=endpoint, OTEL_EXPORTER_OTLP_PROTOCOL="http/json")
    refused = subprocess.run([binary, "run", scenario, "--output", str(work / "json"), "--quiet"],
                             env=env, capture_output=True, text=True, timeout=600)
    if refused.returncode != 2 or "OTEL_EXPORTER_OTLP_PROTOCOL=http/json" not in refused.stderr:
        problems.append(f"http/json: exit {refused.returncode}, expected 2 naming the variable")
    else:
        print(f"http/json: exit 2, '{refused.stderr.strip().splitlines()[-1]}'")

    # Nothing listening: a port just released.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    env = dict(os.environ, OTEL_EXPORTER_OTLP_ENDPOINT=closed, OTEL_EXPORTER_OTLP_TIMEOUT="2000")
    failed = subprocess.run([binary, "run", scenario, "--output", str(work / "refused"), "--quiet"],
                            env=env, capture_output=True, text=True, timeout=600)
    if failed.returncode != 3 or closed not in failed.stderr:
        problems.append(f"with nothing at {closed}: exit {failed.returncode}, expected 3 and a message naming it; "
                        f"stderr: {failed.stderr.strip()[-300:]}")
    else:
        print(f"nothing at the endpoint: exit 3, '{failed.stderr.strip().splitlines()[-1]}'")
    for p in problems:
        print("FAIL:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
