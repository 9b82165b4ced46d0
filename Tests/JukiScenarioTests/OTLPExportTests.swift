import Foundation
import JukiSimulation
import Testing

@testable import JukiScenario

@Suite("OpenTelemetry: journeys as traces, metrics as OTLP (JSON)")
struct OTLPExportTests {
    /// A run of a small town with every journey traced, or `sample` of them.
    static func run(sample: Double) async throws -> (summary: Summary, traces: [[String: Any]], metrics: [String: Any])
    {
        var scenario = try Scenario.parse(
            """
            name: otlp-test
            seed: 8
            population: {residents: 3000, others: {residents: 200}}
            workload: {followPopulation: false, scale: 0.15}
            """)
        scenario.traceSample = sample
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try await ScenarioRunner.run(scenario, directory: dir)
        let traces = try String(contentsOfFile: dir + "/traces.jsonl", encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let metricsText = try String(contentsOfFile: dir + "/metrics.jsonl", encoding: .utf8)
        let metrics = try #require(try JSONSerialization.jsonObject(with: Data(metricsText.utf8)) as? [String: Any])
        return (try Summary.read(dir + "/summary.json"), traces, metrics)
    }

    /// Every span of every request.
    static func spans(_ requests: [[String: Any]]) -> [[String: Any]] {
        requests.flatMap { r in
            (r["resourceSpans"] as? [[String: Any]] ?? []).flatMap { rs in
                (rs["scopeSpans"] as? [[String: Any]] ?? []).flatMap { $0["spans"] as? [[String: Any]] ?? [] }
            }
        }
    }

    static func nanos(_ span: [String: Any], _ key: String) -> Int64 { Int64(span[key] as? String ?? "") ?? -1 }

    static func attribute(_ span: [String: Any], _ key: String) -> String? {
        for a in span["attributes"] as? [[String: Any]] ?? [] where a["key"] as? String == key {
            let value = a["value"] as? [String: Any]
            return value?["stringValue"] as? String ?? value?["intValue"] as? String
        }
        return nil
    }

    @Test("every completed journey's trace lasts its journey's time: the roots give the summary's distribution")
    func rootsAreTheJourneys() async throws {
        let (summary, requests, _) = try await Self.run(sample: 1)
        let spans = Self.spans(requests)
        var byTrace: [String: [[String: Any]]] = [:]
        for s in spans { byTrace[s["traceId"] as? String ?? "", default: []].append(s) }
        var durations: [String: LatencyHistogram] = [:]
        for (traceID, list) in byTrace {
            #expect(traceID.count == 32)
            let roots = list.filter { $0["parentSpanId"] == nil }
            try #require(roots.count == 1, "trace \(traceID)")
            let root = roots[0]
            let rootID = root["spanId"] as? String
            let length = Self.nanos(root, "endTimeUnixNano") - Self.nanos(root, "startTimeUnixNano")
            // The root's direct children add up to it; every span lies inside its parent.
            let children = list.filter { $0["parentSpanId"] as? String == rootID }
            let sum = children.reduce(Int64(0)) {
                $0 + Self.nanos($1, "endTimeUnixNano") - Self.nanos($1, "startTimeUnixNano")
            }
            let counter: Set<String> = ["counterWait", "counterService", "secondCheck", "waiting"]
            if !children.isEmpty, children.allSatisfy({ counter.contains($0["name"] as? String ?? "") }) {
                #expect(sum == length, "trace \(traceID)")
            }
            let byID = Dictionary(uniqueKeysWithValues: list.map { ($0["spanId"] as? String ?? "", $0) })
            for s in list where s["parentSpanId"] != nil {
                let parent = try #require(byID[s["parentSpanId"] as? String ?? ""])
                #expect(Self.nanos(parent, "startTimeUnixNano") <= Self.nanos(s, "startTimeUnixNano"))
                #expect(Self.nanos(s, "endTimeUnixNano") <= Self.nanos(parent, "endTimeUnixNano"))
            }
            if Self.attribute(root, "jukisim.outcome") == "completed", let flow = root["name"] as? String {
                durations[flow, default: LatencyHistogram()].record(length / 1_000)
            }
        }
        // The counters' flows: each journey's trace is there, with the time the summary measured.
        for flow in ["certificate", "relocation", "specialMoveIn", "moveOut"] {
            let want = try #require(summary.journeys?[flow]?.latencySeconds)
            let got = Distribution(try #require(durations[flow], "\(flow)")).seconds
            #expect(got.count == want.count, "\(flow)")
            #expect([got.p50, got.p95, got.max, got.mean] == [want.p50, want.p95, want.max, want.mean], "\(flow)")
        }
        // Simulated time on the calendar: the day's first span is on the scenario's date (JST, as UTC).
        let first = try #require(spans.map { Self.nanos($0, "startTimeUnixNano") }.min())
        let day = Date(timeIntervalSince1970: Double(first) / 1e9)
        let calendar = Calendar(identifier: .gregorian)
        var components = calendar.dateComponents(in: TimeZone(identifier: "Asia/Tokyo") ?? .gmt, from: day)
        components.nanosecond = nil
        #expect(components.year == 2026 && components.month == 3 && components.day == 2)
    }

    @Test("head sampling keeps the same journeys every run: 10 % is a tenth of them, each whole")
    func sampling() async throws {
        let (_, all, _) = try await Self.run(sample: 1)
        let (_, tenth, _) = try await Self.run(sample: 0.1)
        let (_, again, _) = try await Self.run(sample: 0.1)
        let allTraces = Set(Self.spans(all).compactMap { $0["traceId"] as? String })
        let kept = Set(Self.spans(tenth).compactMap { $0["traceId"] as? String })
        #expect(kept.isSubset(of: allTraces))
        let share = Double(kept.count) / Double(allTraces.count)
        #expect(share > 0.06 && share < 0.14, "\(kept.count) of \(allTraces.count)")
        // Each kept trace has all its spans.
        let countAll = Dictionary(grouping: Self.spans(all), by: { $0["traceId"] as? String ?? "" }).mapValues(\.count)
        let countKept = Dictionary(grouping: Self.spans(tenth), by: { $0["traceId"] as? String ?? "" }).mapValues(
            \.count)
        for (id, n) in countKept { #expect(countAll[id] == n) }
        #expect(
            try JSONSerialization.data(withJSONObject: tenth, options: .sortedKeys)
                == JSONSerialization.data(withJSONObject: again, options: .sortedKeys))
    }

    @Test("metrics.jsonl: the summary's counts and histograms, under OTLP's names and units")
    func metrics() async throws {
        let (summary, _, request) = try await Self.run(sample: 0)
        let metrics =
            (request["resourceMetrics"] as? [[String: Any]] ?? []).flatMap { r in
                (r["scopeMetrics"] as? [[String: Any]] ?? []).flatMap { $0["metrics"] as? [[String: Any]] ?? [] }
            }
        let byName = Dictionary(uniqueKeysWithValues: metrics.map { ($0["name"] as? String ?? "", $0) })
        let completed = try #require(byName["jukisim_journeys_completed"])
        let sum = try #require(completed["sum"] as? [String: Any])
        #expect(sum["isMonotonic"] as? Bool == true && sum["aggregationTemporality"] as? Int == 2)
        let points = try #require(sum["dataPoints"] as? [[String: Any]])
        let certificate = try #require(points.first { Self.attribute($0, "flow") == "certificate" })
        #expect(certificate["asDouble"] as? Double == Double(summary.journeys?["certificate"]?.completed ?? -1))
        let duration = try #require(byName["jukisim_journey_duration"])
        #expect(duration["unit"] as? String == "s")
        let hpoints = try #require((duration["histogram"] as? [String: Any])?["dataPoints"] as? [[String: Any]])
        let h = try #require(hpoints.first { Self.attribute($0, "flow") == "certificate" })
        let counts = (h["bucketCounts"] as? [String] ?? []).compactMap { Int($0) }
        #expect(counts.count == PrometheusExposition.buckets.count + 1)
        #expect(counts.reduce(0, +) == summary.journeys?["certificate"]?.latencySeconds.count)
        #expect(h["count"] as? String == String(summary.journeys?["certificate"]?.latencySeconds.count ?? -1))
        #expect(byName["jukisim_clerk_utilization"]?["unit"] as? String == "1")
    }
}
