import Foundation
import JukiCore
import JukiSimulation
import Testing

@testable import JukiScenario

@Suite("Merging summaries")
struct SummaryMergeTests {
    /// A small run's summary, with thresholds that the merge judges again.
    static func run(seed: UInt64) async throws -> Summary {
        let scenario = try Scenario.parse(
            """
            name: merge-test
            seed: \(seed)
            population: {residents: 3000, others: {residents: 200}}
            workload: {followPopulation: false, scale: 0.2}
            thresholds:
              journeys.certificate.latency: ["p(95)<2h", "p(50)<1s"]
              counters.*.wait: ["p(90)<3h"]
              invariants.lostUpdates: ["count==0"]
            """)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try await ScenarioRunner.run(scenario, directory: dir)
        return try Summary.read(dir + "/summary.json")
    }

    @Test("two halves of one distribution merge into the whole: the same count, percentiles and maximum")
    func halves() throws {
        var stream = RandomStream(seed: 9)
        var whole = LatencyHistogram()
        var halves = [LatencyHistogram(), LatencyHistogram()]
        for i in 0..<40_000 {
            // A long tail, as journeys have: a minute to a few hours.
            let v = Int64(60_000_000 * (1 + 30 * pow(stream.nextUnit(), 4)))
            whole.record(v)
            halves[i % 2].record(v)
        }
        var template = Summary(kind: .run, scenario: "s", seed: 1, clock: .virtual)
        func summary(_ h: LatencyHistogram, seed: UInt64) -> Summary {
            template.seed = seed
            template.journeys = [
                "certificate": Summary.Journey(
                    started: h.count, completed: h.count, persons: h.count, failed: [:],
                    latencySeconds: Distribution(h).seconds, hops: [:])
            ]
            return template
        }
        let merged = try SummaryMerge.merge([
            ("a.json", summary(halves[0], seed: .max - 1)), ("b.json", summary(halves[1], seed: 2)),
        ])
        let got = try #require(merged.journeys?["certificate"]?.latencySeconds)
        let want = Distribution(whole).seconds
        #expect(got.count == want.count && got.max == want.max)
        #expect([got.p50, got.p90, got.p95, got.p99, got.p999] == [want.p50, want.p90, want.p95, want.p99, want.p999])
        #expect(abs(got.mean - want.mean) <= 1e-6)
        // Averaging the halves' percentiles would not give the whole's: the merge must not do that.
        let a = Distribution(halves[0]).seconds
        let b = Distribution(halves[1]).seconds
        #expect(a.p999 != b.p999)
        // Seeds beyond Int64's range survive (JSON numbers pass through Int64 in the merge).
        #expect(merged.merged?.inputs.map(\.seed) == [2, .max - 1] && merged.seed == 2)
    }

    /// The block of a distribution added to itself, computed from its histogram without the merge.
    static func doubled(_ latency: Summary.Latency) throws -> Summary.Latency {
        guard latency.count > 0 else { return latency }
        let text = try #require(latency.histogram)
        var h = try LatencyHistogram(
            encoded: text, count: latency.count, sum: Int64((latency.mean * 1e6 * Double(latency.count)).rounded()),
            minimum: nil, maximum: Int64((latency.max * 1e6).rounded()))
        h.merge(h)
        return Distribution(h).seconds
    }

    @Test("a run merged with itself: counts double, percentiles stay, each distribution is its histogram doubled")
    func runWithItself() async throws {
        let s = try await Self.run(seed: 5)
        let m = try SummaryMerge.merge([("a", s), ("b", s)])
        let journeys = try #require(s.journeys)
        let merged = try #require(m.journeys)
        for (flow, j) in journeys {
            let n = try #require(merged[flow])
            #expect(n.started == 2 * j.started && n.completed == 2 * j.completed, "\(flow)")
            #expect(n.latencySeconds.count == 2 * j.latencySeconds.count)
            #expect(n.latencySeconds.max == j.latencySeconds.max)
            // The rank ceil(p × 2n) lands in the same bucket as ceil(p × n): the percentiles are the run's.
            let (a, b) = (n.latencySeconds, j.latencySeconds)
            #expect([a.p50, a.p90, a.p95, a.p99, a.p999] == [b.p50, b.p90, b.p95, b.p99, b.p999], "\(flow)")
            #expect(n.latencySeconds == (try Self.doubled(j.latencySeconds)), "\(flow)")
            for (hop, h) in j.hops { #expect(n.hops[hop] == (try Self.doubled(h)), "\(flow) \(hop)") }
        }
        for (name, c) in try #require(s.counters) {
            let n = try #require(m.counters?[name])
            #expect(n.served == 2 * c.served && n.clerks == c.clerks && n.maxQueue == c.maxQueue)
            #expect(abs(n.utilization - c.utilization) < 1e-6)
        }
        let p95 = try #require(m.thresholds?.first { $0.expression == "p(95)<2h" })
        #expect(p95.value == m.journeys?["certificate"]?.latencySeconds.p95)
        #expect(m.thresholds?.map(\.ok) == s.thresholds?.map(\.ok))
        #expect(m.invariants?.hold == s.invariants?.hold)
        #expect(m.wall == nil && m.merged?.inputs.count == 2)
        #expect(m.merged?.upperBounds.contains("informationSharing.automaticP95Seconds") == true)
        // The digests are combined, in an order that does not depend on the inputs' order.
        #expect(m.engine?.digest != s.engine?.digest)
        let other = try await Self.run(seed: 6)
        let ab = try SummaryMerge.merge([("a", s), ("b", other)])
        let ba = try SummaryMerge.merge([("b", other), ("a", s)])
        #expect(ab.json() == ba.json())
        // Merging a merged summary with a third keeps every input.
        let abc = try SummaryMerge.merge([("ab", ab), ("c", s)])
        #expect(abc.merged?.inputs.map(\.seed) == [5, 5, 6])
        #expect(
            abc.journeys?["certificate"]?.completed == 2 * (s.journeys?["certificate"]?.completed ?? 0)
                + (other.journeys?["certificate"]?.completed ?? 0))
    }

    @Test("a threshold is judged on the merged distribution, not on the inputs' verdicts")
    func thresholdJudgedAgain() async throws {
        let a = try await Self.run(seed: 5)
        let b = try await Self.run(seed: 6)
        let m = try SummaryMerge.merge([("a", a), ("b", b)])
        let latency = try #require(m.journeys?["certificate"]?.latencySeconds)
        let p50 = try #require(m.thresholds?.first { $0.expression == "p(50)<1s" })
        #expect(p50.value == latency.p50)
        #expect(p50.ok == (latency.p50 < 1))
        #expect(p50.ok == false)
        let p95 = try #require(m.thresholds?.first { $0.expression == "p(95)<2h" })
        #expect(p95.value == latency.p95 && p95.ok)
    }

    @Test("refusals name the field: other scenarios, configuration that differs, no histogram, one summary")
    func refusals() async throws {
        let s = try await Self.run(seed: 5)
        var other = s
        other.scenario = "another"
        #expect(throws: SummaryMerge.MergeError.self) { try SummaryMerge.merge([("a", s), ("b", other)]) }
        do {
            _ = try SummaryMerge.merge([("a", s), ("b", other)])
        } catch {
            #expect(error.path == "b: scenario" && error.reason.contains("one scenario"))
        }
        var clerks = s
        let name = try #require(s.counters?.keys.sorted().first)
        clerks.counters?[name]?.clerks += 1
        do {
            _ = try SummaryMerge.merge([("a", s), ("b", clerks)])
            Issue.record("different clerks merged")
        } catch {
            #expect(error.path == "counters.\(name).clerks" && error.reason.contains("configuration"))
        }
        var stripped = s
        stripped.journeys?["certificate"]?.latencySeconds.histogram = nil
        do {
            _ = try SummaryMerge.merge([("a", s), ("b", stripped)])
            Issue.record("a latency without its histogram merged")
        } catch {
            #expect(error.path == "journeys.certificate.latencySeconds" && error.reason.contains("no histogram"))
        }
        var corrupt = s
        corrupt.journeys?["certificate"]?.latencySeconds.histogram = "HISTFAAAAnotzlib"
        do {
            _ = try SummaryMerge.merge([("a", s), ("b", corrupt)])
            Issue.record("a corrupt histogram merged")
        } catch {
            #expect(error.path == "journeys.certificate.latencySeconds.histogram")
        }
        do {
            _ = try SummaryMerge.merge([("a", s)])
            Issue.record("one summary merged")
        } catch {
            #expect(error.path == "inputs")
        }
        var canary = s
        canary.kind = .canary
        do {
            _ = try SummaryMerge.merge([("a", canary), ("b", canary)])
            Issue.record("canaries merged")
        } catch {
            #expect(error.path == "a: kind")
        }
    }

    @Test("every fractional figure of the schema has a merge rule")
    func everyFractionHasARule() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scenarios/summary.schema.json")
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        // Blocks the merge refuses or rebuilds whole: latencies, replications, capacity, canary, thresholds, wall, and
        // its own block.
        let skipped: Set<String> = [
            "latency", "estimate", "replications", "merged", "suite", "replicatedThreshold", "capacity", "canary",
            "threshold",
            "wall",
        ]
        var missing: [String] = []
        func walk(_ node: Any, _ key: String, _ path: String) {
            if let list = node as? [Any] {
                for item in list { walk(item, key, path) }
                return
            }
            guard let object = node as? [String: Any] else { return }
            if object["type"] as? String == "number", SummaryMerge.rule(for: key) == nil,
                !path.hasPrefix("load.profile"), !path.hasPrefix("load.mix")
            {
                missing.append(path)
            }
            for (k, v) in object {
                switch k {
                case "properties":
                    for (name, child) in (v as? [String: Any]) ?? [:] {
                        walk(child, name, path.isEmpty ? name : path + "." + name)
                    }
                case "$defs":
                    for (name, child) in (v as? [String: Any]) ?? [:] where !skipped.contains(name) {
                        walk(child, name, name)
                    }
                case "additionalProperties", "items": walk(v, key, path + ".*")
                default: if v is [String: Any] || v is [Any] { walk(v, key, path) }
                }
            }
        }
        walk(schema, "", "")
        #expect(missing.sorted() == [], "fractional figures without a merge rule")
    }
}
