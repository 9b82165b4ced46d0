"""Decodes a run's OTLP JSON files with the official protobuf definitions (the `opentelemetry-proto` package) and
checks what they must say:

- traces.jsonl: every line is an ExportTraceServiceRequest; ids have OTLP's sizes (16-byte trace, 8-byte span ids);
  each trace has one root span, every other span's parent is in the trace and holds it in time, and in a journey
  through a counter the root's direct children (the counter's hops and the waits between them) add up to the root's
  duration (the journey's time);
- metrics.jsonl: one ExportMetricsServiceRequest whose journey counts and latency histograms' counts are
  summary.json's (`jukisim_journeys_completed`, `jukisim_journey_duration`).

OTLP's JSON writes ids in hex, where protobuf's JSON mapping expects base64: they are converted before parsing, as
OTLP/HTTP receivers do.

Usage: python3 Scripts/check_otlp.py REPORT_FOLDER   (needs: pip install opentelemetry-proto)
"""
import base64
import json
import pathlib
import sys

from google.protobuf import json_format
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest


COUNTER_HOPS = {"counterWait", "counterService", "secondCheck", "waiting"}


def hex_ids_to_base64(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("traceId", "spanId", "parentSpanId") and isinstance(value, str):
                node[key] = base64.b64encode(bytes.fromhex(value)).decode()
            else:
                hex_ids_to_base64(value)
    elif isinstance(node, list):
        for value in node:
            hex_ids_to_base64(value)
    return node


def check_traces(path: pathlib.Path) -> tuple[int, int, list[str]]:
    problems: list[str] = []
    traces: dict[bytes, list] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        request = json_format.Parse(json.dumps(hex_ids_to_base64(json.loads(line))), ExportTraceServiceRequest())
        for resource in request.resource_spans:
            for scope in resource.scope_spans:
                for span in scope.spans:
                    if len(span.trace_id) != 16 or len(span.span_id) != 8:
                        problems.append(f"line {number}: span '{span.name}' has ids of the wrong size")
                    traces.setdefault(span.trace_id, []).append(span)
    spans = 0
    for trace_id, list_ in traces.items():
        spans += len(list_)
        by_id = {s.span_id: s for s in list_}
        roots = [s for s in list_ if not s.parent_span_id]
        if len(roots) != 1:
            problems.append(f"trace {trace_id.hex()}: {len(roots)} root spans")
            continue
        root = roots[0]
        children = [s for s in list_ if s.parent_span_id == root.span_id]
        for s in list_:
            if s is root:
                continue
            parent = by_id.get(s.parent_span_id)
            if parent is None:
                problems.append(f"trace {trace_id.hex()}: span '{s.name}' has no parent in the trace")
            elif not (parent.start_time_unix_nano <= s.start_time_unix_nano
                      and s.end_time_unix_nano <= parent.end_time_unix_nano):
                problems.append(f"trace {trace_id.hex()}: span '{s.name}' is outside its parent '{parent.name}'")
        # Journeys through a counter: the counter's hops (and the waits between them) make up the whole journey.
        # Journeys without a counter (online move-outs, batches) are their systems' hops, which may overlap.
        if children and all(c.name in COUNTER_HOPS for c in children):
            total = sum(c.end_time_unix_nano - c.start_time_unix_nano for c in children)
            root_time = root.end_time_unix_nano - root.start_time_unix_nano
            if total != root_time:
                problems.append(f"trace {trace_id.hex()} ({root.name}): children add up to {total} ns, the root "
                                f"is {root_time} ns")
    return len(traces), spans, problems


def check_metrics(path: pathlib.Path, summary: dict) -> list[str]:
    problems: list[str] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines) != 1:
        return [f"{path}: {len(lines)} lines, expected one request"]
    request = json_format.Parse(lines[0], ExportMetricsServiceRequest())
    metrics = {m.name: m for r in request.resource_metrics for s in r.scope_metrics for m in s.metrics}
    journeys = summary.get("journeys", {})
    completed = {p.attributes[0].value.string_value: p.as_double
                 for p in metrics["jukisim_journeys_completed"].sum.data_points} if journeys else {}
    durations = {p.attributes[0].value.string_value: p.count
                 for p in metrics["jukisim_journey_duration"].histogram.data_points} if journeys else {}
    for flow, j in journeys.items():
        if completed.get(flow) != j["completed"]:
            problems.append(f"jukisim_journeys_completed{{flow={flow}}}: {completed.get(flow)}, summary {j['completed']}")
        if durations.get(flow) != j["latencySeconds"]["count"]:
            problems.append(f"jukisim_journey_duration{{flow={flow}}} count: {durations.get(flow)}, summary "
                            f"{j['latencySeconds']['count']}")
    if "jukisim_journey_duration" in metrics and metrics["jukisim_journey_duration"].unit != "s":
        problems.append("jukisim_journey_duration is not in seconds")
    print(f"{path}: {len(metrics)} metrics decoded")
    return problems


def main(folder: str) -> int:
    report = pathlib.Path(folder)
    summary = json.loads((report / "summary.json").read_text(encoding="utf-8"))
    problems = check_metrics(report / "metrics.jsonl", summary)
    traces, spans, trace_problems = check_traces(report / "traces.jsonl")
    problems += trace_problems
    print(f"{report / 'traces.jsonl'}: {traces} traces, {spans} spans decoded")
    if traces == 0:
        problems.append("no traces")
    for p in problems[:20]:
        print(f"FAIL: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
