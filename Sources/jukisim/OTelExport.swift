import Foundation
import JukiScenario

/// What `jukisim run` does with `OTEL_EXPORTER_OTLP_ENDPOINT` after a run: export the run's traces and metrics with
/// swift-otel when the build has the `OTel` trait, else say in one line that this build cannot.
enum OTelHandoff {
    /// The variable that turns the export on, as OpenTelemetry's SDKs read it.
    static let endpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT"

    /// Exports every report folder under `directory` when the environment asks for it; a line for the user, or nil.
    static func afterRun(directory: String, environment: [String: String]) async throws(JukisimExit) -> String? {
        guard let endpoint = environment[endpointVariable], !endpoint.isEmpty else { return nil }
        if environment["OTEL_SDK_DISABLED"]?.lowercased() == "true" { return nil }
        #if OTel
            return try await OTelExport.export(
                folders: OTelExport.folders(under: directory), endpoint: endpoint, environment: environment)
        #else
            Output.standardError(
                "jukisim: \(endpointVariable) is set, but this build has no OpenTelemetry exporter "
                    + "(build with --traits OTel); the run's traces.jsonl and metrics.jsonl are in \(directory)")
            return nil
        #endif
    }
}

#if OTel
    import JukiSimulation
    import Logging
    import Metrics
    import OTel
    import ServiceLifecycle
    import Synchronization
    import Tracing

    /// Sends report folders' traces and metrics to an OTLP endpoint with swift-otel: each span of `traces.jsonl`
    /// replayed through its tracer at its own (simulated, JST-on-the-calendar) instants, and the families of
    /// `metrics.prom`/`metrics.jsonl` recorded through swift-metrics. swift-otel draws its own trace and span ids, so
    /// each span carries the file's as `jukisim.trace_id` and `jukisim.span_id`.
    enum OTelExport {
        /// The folders under `directory` (itself included) that hold a run's `summary.json` and its
        /// `traces.jsonl` or `metrics.jsonl`, in path order: a scenario's folder; a sweep's, with its values' traces;
        /// a suite's entries.
        static func folders(under directory: String) -> [String] {
            let files = FileManager.default
            let nested = ((try? files.subpathsOfDirectory(atPath: directory)) ?? []).compactMap { path in
                path.hasSuffix("/summary.json") ? directory + "/" + path.dropLast("/summary.json".count) : nil
            }
            return ([directory] + nested.sorted()).filter {
                files.fileExists(atPath: $0 + "/summary.json")
                    && (files.fileExists(atPath: $0 + "/traces.jsonl")
                        || files.fileExists(atPath: $0 + "/metrics.jsonl"))
            }
        }

        /// Exports `folders` one after the other, each with its own resource (scenario and seed); the line to print.
        static func export(
            folders: [String], endpoint: String, environment: [String: String]
        ) async throws(JukisimExit) -> String {
            try check(environment)
            var traces = 0
            var spans = 0
            var points = 0
            for folder in folders {
                let run = try load(folder)
                let tally = Tally()
                do {
                    try await send(run, tally: tally)
                } catch let exit as JukisimExit {
                    throw exit
                } catch {
                    throw JukisimExit(
                        code: .usage,
                        message: "OpenTelemetry: swift-otel refused the OTEL_* configuration: \(error)")
                }
                if let problem = tally.first {
                    throw JukisimExit(
                        code: .internalError,
                        message: "OpenTelemetry: exporting \(folder) to \(endpoint) failed: \(problem)")
                }
                traces += run.traces.count
                spans += run.spanCount
                points += run.families.reduce(0) { $0 + $1.points.count }
            }
            return "OpenTelemetry: exported \(traces) traces (\(spans) spans) and \(points) metric points of "
                + "\(folders.count) run\(folders.count == 1 ? "" : "s") to \(endpoint) with swift-otel"
        }

        /// The values swift-otel 1.6 stops the process on rather than refusing (it traps on a gRPC protocol
        /// without its gRPC trait, and on the samplers and propagators it lacks), or sends wrongly, refused here
        /// with the rule.
        static let allowed: [(variables: [String], values: Set<String>, rule: String)] = [
            (
                [
                    "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
                    "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL",
                ],
                ["http/protobuf"],
                "this build exports OTLP/HTTP with protobuf only (swift-otel 1.6 writes http/json's ids in base64, "
                    + "where OTLP/JSON requires hex and collectors refuse them)"
            ),
            (
                ["OTEL_TRACES_SAMPLER"],
                [
                    "always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off",
                    "parentbased_traceidratio",
                ],
                "swift-otel's samplers: always_on, always_off, traceidratio and their parentbased_ forms"
            ),
            (["OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER"], ["otlp", "none"], "otlp or none"),
            (
                [
                    "OTEL_EXPORTER_OTLP_COMPRESSION", "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION",
                    "OTEL_EXPORTER_OTLP_METRICS_COMPRESSION",
                ],
                ["none"], "swift-otel 1.6's OTLP/HTTP exporter sends uncompressed (it would ignore gzip): none"
            ),
        ]

        /// Refuses (exit 2) a setting swift-otel would trap on, naming the variable and the rule.
        static func check(_ environment: [String: String]) throws(JukisimExit) {
            for (variables, values, rule) in allowed {
                for name in variables {
                    guard let value = environment[name], !value.isEmpty, !values.contains(value) else { continue }
                    throw JukisimExit(code: .usage, message: "\(name)=\(value) is not supported: \(rule)")
                }
            }
            // jukisim injects and extracts no context, so only the W3C propagator swift-otel has (or none) will do.
            if let value = environment["OTEL_PROPAGATORS"] {
                let names = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                if let other = names.first(where: { !["tracecontext", "none", ""].contains($0) }) {
                    throw JukisimExit(
                        code: .usage,
                        message:
                            "OTEL_PROPAGATORS: '\(other)' is not supported: swift-otel has tracecontext (or none); "
                            + "jukisim propagates no context, so the variable can be left unset")
                }
            }
        }

        /// One folder's traces (spans in file order: parents before children) and metric families (either may be
        /// empty).
        struct Run {
            var scenario: String
            var seed: UInt64
            var traces: [[OTLPExport.Wire.Span]]
            var families: [RunMetrics.Family]

            var spanCount: Int { traces.reduce(0) { $0 + $1.count } }
        }

        static func load(_ folder: String) throws(JukisimExit) -> Run {
            let summary: Summary
            var lines: [Substring] = []
            let files = FileManager.default
            do {
                summary = try Summary.read(folder + "/summary.json")
                if files.fileExists(atPath: folder + "/traces.jsonl") {
                    lines = try String(contentsOfFile: folder + "/traces.jsonl", encoding: .utf8).split(separator: "\n")
                }
            } catch {
                throw JukisimExit(code: .internalError, message: "OpenTelemetry: cannot read \(folder): \(error)")
            }
            var traces: [[OTLPExport.Wire.Span]] = []
            var index: [String: Int] = [:]
            let decoder = JSONDecoder()
            for (n, line) in lines.enumerated() {
                let request: OTLPExport.Wire.TraceRequest
                do {
                    request = try decoder.decode(OTLPExport.Wire.TraceRequest.self, from: Data(line.utf8))
                } catch {
                    throw JukisimExit(
                        code: .internalError,
                        message: "OpenTelemetry: \(folder)/traces.jsonl line \(n + 1) is not an OTLP trace request")
                }
                for span in request.resourceSpans.flatMap(\.scopeSpans).flatMap(\.spans) {
                    if let i = index[span.traceId] {
                        traces[i].append(span)
                    } else {
                        index[span.traceId] = traces.count
                        traces.append([span])
                    }
                }
            }
            // The metrics of the folders that have metrics.jsonl (not a sweep's values, which the sweep sums up).
            let metrics = files.fileExists(atPath: folder + "/metrics.jsonl")
            return Run(
                scenario: summary.scenario, seed: summary.seed, traces: traces,
                families: metrics ? RunMetrics.families(summary) : [])
        }

        /// Runs swift-otel's tracing and metrics backends for one folder, replays it, then shuts them down, which
        /// flushes both.
        static func send(_ run: Run, tally: Tally) async throws {
            var config = OTel.Configuration.default
            config.serviceName = "jukisim"
            config.resourceAttributes = ["jukisim.scenario": run.scenario, "jukisim.seed": String(run.seed)]
            config.logs.enabled = false
            config.diagnosticLogger = .custom(
                Logger(label: "swift-otel") { TallyingLogHandler(label: $0, tally: tally) })
            config.diagnosticLogLevel = .warning
            // The whole file is handed over at once: the queue must hold it, or swift-otel drops the excess.
            config.traces.batchSpanProcessor.maxQueueSize = max(
                config.traces.batchSpanProcessor.maxQueueSize, run.spanCount + 1)
            // Only the final export at shutdown: the figures are the run's, complete.
            config.metrics.exportInterval = .seconds(3_600)
            config.metrics.defaultDurationHistogramBuckets = PrometheusExposition.buckets.map {
                .nanoseconds(Int64(($0 * 1e9).rounded()))
            }
            let (tracer, tracing) = try OTel.makeTracingBackend(configuration: config)
            let (factory, metrics) = try OTel.makeMetricsBackend(configuration: config)
            // A variable swift-otel could not read is a warning in its log, not an error: refuse it here.
            if let problem = tally.take() {
                throw JukisimExit(code: .usage, message: "OpenTelemetry: swift-otel refused a setting: \(problem)")
            }
            let group = ServiceGroup(
                services: [tracing, metrics], gracefulShutdownSignals: [],
                logger: Logger(label: "jukisim.otel") { _ in SwiftLogNoOpLogHandler() })
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                for trace in run.traces { replay(trace, tracer: tracer) }
                record(run.families, factory: factory)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }

        /// One trace's spans, started parents first and ended children first, at the file's instants.
        static func replay<T: Tracer>(_ spans: [OTLPExport.Wire.Span], tracer: T) {
            var started: [String: T.Span] = [:]
            var order: [(T.Span, UInt64)] = []
            for s in spans {
                let parent = s.parentSpanId.flatMap { started[$0] }
                let span = tracer.startSpan(
                    s.name, context: parent?.context ?? .topLevel, ofKind: .internal,
                    at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: UInt64(s.startTimeUnixNano) ?? 0))
                span.attributes["jukisim.trace_id"] = s.traceId
                span.attributes["jukisim.span_id"] = s.spanId
                for a in s.attributes {
                    if let text = a.value.stringValue {
                        span.attributes[a.key] = text
                    } else if let number = a.value.intValue.flatMap({ Int64($0) }) {
                        span.attributes[a.key] = number
                    }
                }
                if let status = s.status, status.code == 2 {
                    span.setStatus(SpanStatus(code: .error, message: status.message))
                }
                started[s.spanId] = span
                order.append((span, UInt64(s.endTimeUnixNano) ?? 0))
            }
            for (span, end) in order.reversed() {
                span.end(at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: end))
            }
        }

        /// The run's metric families through swift-metrics, named as in `metrics.jsonl`; a histogram's run
        /// distribution recorded value by value, so the exported buckets, count and sum are the run's.
        static func record(_ families: [RunMetrics.Family], factory: some MetricsFactory) {
            for family in families {
                let (name, unit) = OTLPExport.name(family)
                for point in family.points {
                    var dimensions = point.labels
                    if !unit.isEmpty { dimensions.append(("unit", unit)) }
                    dimensions.append(("description", family.help))
                    switch family.kind {
                    case .counter:
                        FloatingPointCounter(label: name, dimensions: dimensions, factory: factory)
                            .increment(by: point.value)
                    case .gauge:
                        Gauge(label: name, dimensions: dimensions, factory: factory).record(point.value)
                    case .histogram:
                        let timer = Metrics.Timer(label: name, dimensions: dimensions, factory: factory)
                        point.histogram?.forEachBucket { microseconds, n in
                            let (ns, overflow) = microseconds.multipliedReportingOverflow(by: 1_000)
                            for _ in 0..<max(n, 0) { timer.recordNanoseconds(overflow ? .max : ns) }
                        }
                    }
                }
            }
        }

        /// The first warning or error swift-otel logged: a failed or partly dropped export.
        final class Tally: Sendable {
            let state = Mutex<String?>(nil)

            var first: String? { state.withLock { $0 } }

            func note(_ message: String) { state.withLock { if $0 == nil { $0 = message } } }

            /// The first warning so far, forgotten.
            func take() -> String? {
                state.withLock { value in
                    defer { value = nil }; return value
                }
            }
        }

        /// swift-otel's diagnostics on standard error, each warning also kept in a ``Tally``.
        struct TallyingLogHandler: LogHandler {
            let label: String
            let tally: Tally
            var logLevel: Logger.Level = .warning
            var metadata: Logger.Metadata = [:]

            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }

            func log(event: LogEvent) {
                let extra = metadata.merging(event.metadata ?? [:]) { $1 }
                let details =
                    extra.isEmpty
                    ? "" : " " + extra.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: " ")
                let cause = event.error.map { " (\($0))" } ?? ""
                let line = "\(event.message)\(cause)\(details)"
                if event.level >= .warning { tally.note(line) }
                Output.standardError("swift-otel \(event.level): \(line)")
            }
        }
    }
#endif
