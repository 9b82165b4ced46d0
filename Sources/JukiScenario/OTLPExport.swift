import Foundation
import JukiCore
import JukiNetwork
import JukiSimulation

/// Journeys as OpenTelemetry traces and the run's metrics as OTLP metrics, in OTLP's JSON encoding: the report
/// folder's `traces.jsonl` and `metrics.jsonl`, one `ExportTraceServiceRequest` or `ExportMetricsServiceRequest` per
/// line, as an OTLP/HTTP collector receives them (ids in hex, 64-bit integers as strings).
///
/// One trace per journey: a root span named after the flow from the visitor's arrival to the journey's end, and a
/// span per hop (the counter's wait, the desk, the second check, each system's round trip); a system's hop is a
/// child of the counter span it happened in, and the time a finished desk entry waits for its second clerk is a
/// `waiting` span, so the root's direct children add up to the journey's time. Simulated time is written as Unix
/// time: the scenario's calendar in Japan Standard Time (UTC+9), so a span at 09:00 on 2026-03-03 in the model is at
/// 2026-03-03T00:00:00Z. Head sampling keeps a journey when a hash of the seed and its id falls under the rate, so the
/// same journeys are kept on every run and core count.
public enum OTLPExport {
    /// The traces of the journeys `spans` describe, `sample` (0–1) of them, as JSON lines of up to `batch` traces.
    public static func traces(
        _ spans: [Span], scenario: String, seed: UInt64, sample: Double, batch: Int = 100
    ) -> [String] {
        guard sample > 0 else { return [] }
        var byJourney: [UInt64: [Span]] = [:]
        let bound = sample >= 1 ? UInt64.max : UInt64(sample * 0x1p64)
        for s in spans where Mixing.combine(seed, s.journey) <= bound {
            byJourney[s.journey, default: []].append(s)
        }
        // Journeys in the order they started, so the file is the same on every run.
        let journeys = byJourney.map { ($0.key, $0.value) }.sorted {
            ($0.1.map(\.start).min() ?? 0, $0.0) < ($1.1.map(\.start).min() ?? 0, $1.0)
        }
        var lines: [String] = []
        var pending: [Wire.Span] = []
        for (i, (journey, list)) in journeys.enumerated() {
            pending += trace(journey, list, seed: seed)
            if (i + 1) % max(batch, 1) == 0 || i == journeys.count - 1 {
                lines.append(encode(Wire.TraceRequest(scenario: scenario, seed: seed, spans: pending)))
                pending.removeAll(keepingCapacity: true)
            }
        }
        return lines
    }

    /// The hops of the counter itself: the root's direct children.
    static let counterHops: Set<Hop> = [.counterWait, .counterService, .secondCheck]

    /// One journey's spans: the root, the counter's hops with the waits between them, the systems' hops inside.
    static func trace(_ journey: UInt64, _ spans: [Span], seed: UInt64) -> [Wire.Span] {
        let sorted = spans.sorted { ($0.start, $0.end, $0.hop.rawValue) < ($1.start, $1.end, $1.hop.rawValue) }
        guard let first = sorted.first else { return [] }
        let traceID = hex(Mixing.combine(seed, journey)) + hex(Mixing.combine(seed ^ 0x7472_6163_6573, journey))
        func spanID(_ k: UInt64) -> String { hex(Mixing.combine(Mixing.combine(seed, journey), k &+ 1)) }
        let flow = first.flow
        let start = sorted.map(\.start).min() ?? first.start
        let end = sorted.map(\.end).max() ?? first.end
        let ending = sorted.last { $0.ending != nil }?.ending
        let rootID = spanID(0)
        var rootAttributes = [
            Wire.KeyValue("jukisim.flow", flow.description),
            Wire.KeyValue("jukisim.journey", Int64(bitPattern: journey)),
        ]
        var status: Wire.Status?
        if let ending {
            rootAttributes.append(Wire.KeyValue("jukisim.outcome", ending == .none ? "completed" : ending.description))
            if ending != .none { status = Wire.Status(code: 2, message: ending.description) }
        }
        var out = [
            Wire.Span(
                traceId: traceID, spanId: rootID, parentSpanId: nil, name: flow.description, start: start, end: end,
                attributes: rootAttributes, status: status)
        ]
        // The counter's hops in order, with a `waiting` span wherever the journey waited between two of them.
        let direct = sorted.filter { counterHops.contains($0.hop) }
        var parents: [(id: String, span: Span)] = []
        var cursor = start
        var k: UInt64 = 1
        for s in direct {
            if s.start > cursor, !parents.isEmpty {
                out.append(
                    Wire.Span(
                        traceId: traceID, spanId: spanID(k), parentSpanId: rootID, name: "waiting", start: cursor,
                        end: s.start,
                        attributes: [
                            Wire.KeyValue("jukisim.flow", flow.description), Wire.KeyValue("jukisim.hop", "waiting"),
                        ],
                        status: nil))
                k += 1
            }
            let id = spanID(k)
            k += 1
            out.append(span(s, traceID: traceID, id: id, parent: rootID))
            parents.append((id, s))
            cursor = max(cursor, s.end)
        }
        for s in sorted where !counterHops.contains(s.hop) {
            // Inside the counter span it happened in (the desk waits for the systems), else under the root.
            let parent = parents.last { $0.span.start <= s.start && s.end <= $0.span.end }?.id ?? rootID
            out.append(span(s, traceID: traceID, id: spanID(k), parent: parent))
            k += 1
        }
        return out
    }

    static func span(_ s: Span, traceID: String, id: String, parent: String) -> Wire.Span {
        var status: Wire.Status?
        if let e = s.ending, e != .none { status = Wire.Status(code: 2, message: e.description) }
        return Wire.Span(
            traceId: traceID, spanId: id, parentSpanId: parent, name: s.hop.description, start: s.start, end: s.end,
            attributes: [
                Wire.KeyValue("jukisim.flow", s.flow.description), Wire.KeyValue("jukisim.hop", s.hop.description),
            ],
            status: status)
    }

    /// The run's metrics (``RunMetrics``) as one `ExportMetricsServiceRequest`, stamped from `start` to `end`.
    ///
    /// Names are the Prometheus names without the suffixes an OTLP-to-Prometheus translation adds back: `_total` of
    /// counters (monotonic sums), `_seconds` (unit `s`) and `_ratio` (unit `1`); histograms have
    /// ``PrometheusExposition/buckets`` as explicit bounds.
    public static func metrics(_ summary: Summary, start: SimulatedTime, end: SimulatedTime) -> String {
        let from = String(start.utcEpochMicroseconds * 1_000)
        let to = String(end.utcEpochMicroseconds * 1_000)
        var metrics: [Wire.Metric] = []
        for family in RunMetrics.families(summary) {
            let (name, unit) = Self.name(family)
            var metric = Wire.Metric(name: name, description: family.help, unit: unit)
            let points = family.points.map { p in
                Wire.DataPoint(
                    attributes: p.labels.map { Wire.KeyValue($0.0, $0.1) }, startTimeUnixNano: from, timeUnixNano: to,
                    asDouble: family.kind == .histogram ? nil : p.value)
            }
            switch family.kind {
            case .counter: metric.sum = Wire.Sum(dataPoints: points, aggregationTemporality: 2, isMonotonic: true)
            case .gauge: metric.gauge = Wire.Gauge(dataPoints: points)
            case .histogram:
                metric.histogram = Wire.Histogram(
                    dataPoints: family.points.map { p in histogramPoint(p, from: from, to: to) },
                    aggregationTemporality: 2)
            }
            metrics.append(metric)
        }
        return encode(Wire.MetricsRequest(scenario: summary.scenario, seed: summary.seed, metrics: metrics))
    }

    /// A family's OTLP name and unit: its Prometheus name without the suffixes an OTLP-to-Prometheus translation
    /// adds back (`_total` of counters, `_seconds` for unit `s`, `_ratio` for unit `1`).
    public static func name(_ family: RunMetrics.Family) -> (name: String, unit: String) {
        var name = family.name
        var unit = ""
        if family.kind == .counter, name.hasSuffix("_total") { name.removeLast("_total".count) }
        if name.hasSuffix("_seconds") {
            name.removeLast("_seconds".count)
            unit = "s"
        } else if name.hasSuffix("_ratio") {
            name.removeLast("_ratio".count)
            unit = "1"
        }
        return (name, unit)
    }

    /// A histogram point in explicit buckets: counts per bucket (upper bounds inclusive, the last unbounded).
    static func histogramPoint(_ p: RunMetrics.Point, from: String, to: String) -> Wire.HistogramPoint {
        let bounds = PrometheusExposition.buckets
        var counts = [UInt64](repeating: 0, count: bounds.count + 1)
        var sum = 0.0
        var total: UInt64 = 0
        var maximum = 0.0
        p.histogram?.forEachBucket { microseconds, n in
            let seconds = Double(microseconds) / 1e6
            let i = bounds.firstIndex { seconds <= $0 } ?? bounds.count
            counts[i] += UInt64(n)
            total += UInt64(n)
            sum += seconds * Double(n)
            maximum = max(maximum, seconds)
        }
        return Wire.HistogramPoint(
            attributes: p.labels.map { Wire.KeyValue($0.0, $0.1) }, startTimeUnixNano: from, timeUnixNano: to,
            count: String(total), sum: sum, bucketCounts: counts.map(String.init), explicitBounds: bounds,
            max: total > 0 ? maximum : nil)
    }

    static func hex(_ v: UInt64) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Plain strings, numbers and lists: encoding cannot fail.
        return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
    }

    /// OTLP's JSON shapes (opentelemetry-proto, `collector/trace/v1` and `collector/metrics/v1`); the trace shapes
    /// also read `traces.jsonl` back (the swift-otel export).
    package enum Wire {
        package struct KeyValue: Codable {
            package var key: String
            package var value: AnyValue

            init(_ key: String, _ text: String) {
                self.key = key
                value = AnyValue(stringValue: text)
            }

            init(_ key: String, _ number: Int64) {
                self.key = key
                value = AnyValue(intValue: String(number))
            }
        }

        package struct AnyValue: Codable {
            package var stringValue: String?
            package var intValue: String?
        }

        package struct Resource: Codable {
            var attributes: [KeyValue]

            init(scenario: String, seed: UInt64) {
                attributes = [
                    KeyValue("service.name", "jukisim"), KeyValue("jukisim.scenario", scenario),
                    KeyValue("jukisim.seed", String(seed)),
                ]
            }
        }

        package struct Scope: Codable {
            var name = "jukisim"
            var version = "0.1.0"
        }

        package struct Status: Codable {
            package var code: Int
            package var message: String?
        }

        package struct Span: Codable {
            package var traceId: String
            package var spanId: String
            package var parentSpanId: String?
            package var name: String
            /// SPAN_KIND_INTERNAL: the hops are the model's, not a process's network calls.
            var kind = 1
            package var startTimeUnixNano: String
            package var endTimeUnixNano: String
            package var attributes: [KeyValue]
            package var status: Status?

            init(
                traceId: String, spanId: String, parentSpanId: String?, name: String, start: Int64, end: Int64,
                attributes: [KeyValue], status: Status?
            ) {
                self.traceId = traceId
                self.spanId = spanId
                self.parentSpanId = parentSpanId
                self.name = name
                startTimeUnixNano = String(SimulatedTime(microseconds: start).utcEpochMicroseconds * 1_000)
                endTimeUnixNano = String(SimulatedTime(microseconds: end).utcEpochMicroseconds * 1_000)
                self.attributes = attributes
                self.status = status
            }
        }

        package struct ScopeSpans: Codable {
            var scope = Scope()
            package var spans: [Span]
        }

        package struct ResourceSpans: Codable {
            var resource: Resource
            package var scopeSpans: [ScopeSpans]
        }

        package struct TraceRequest: Codable {
            package var resourceSpans: [ResourceSpans]

            init(scenario: String, seed: UInt64, spans: [Span]) {
                resourceSpans = [
                    ResourceSpans(
                        resource: Resource(scenario: scenario, seed: seed), scopeSpans: [ScopeSpans(spans: spans)])
                ]
            }
        }

        struct DataPoint: Encodable {
            var attributes: [KeyValue]
            var startTimeUnixNano: String
            var timeUnixNano: String
            var asDouble: Double?
        }

        struct HistogramPoint: Encodable {
            var attributes: [KeyValue]
            var startTimeUnixNano: String
            var timeUnixNano: String
            var count: String
            var sum: Double
            var bucketCounts: [String]
            var explicitBounds: [Double]
            var max: Double?
        }

        struct Sum: Encodable {
            var dataPoints: [DataPoint]
            /// AGGREGATION_TEMPORALITY_CUMULATIVE: totals since the run's start.
            var aggregationTemporality: Int
            var isMonotonic: Bool
        }

        struct Gauge: Encodable {
            var dataPoints: [DataPoint]
        }

        struct Histogram: Encodable {
            var dataPoints: [HistogramPoint]
            var aggregationTemporality: Int
        }

        struct Metric: Encodable {
            var name: String
            var description: String
            var unit: String
            var sum: Sum?
            var gauge: Gauge?
            var histogram: Histogram?

            init(name: String, description: String, unit: String) {
                self.name = name
                self.description = description
                self.unit = unit
            }
        }

        struct ScopeMetrics: Encodable {
            var scope = Scope()
            var metrics: [Metric]
        }

        struct ResourceMetrics: Encodable {
            var resource: Resource
            var scopeMetrics: [ScopeMetrics]
        }

        struct MetricsRequest: Encodable {
            var resourceMetrics: [ResourceMetrics]

            init(scenario: String, seed: UInt64, metrics: [Metric]) {
                resourceMetrics = [
                    ResourceMetrics(
                        resource: Resource(scenario: scenario, seed: seed),
                        scopeMetrics: [ScopeMetrics(metrics: metrics)])
                ]
            }
        }
    }
}
