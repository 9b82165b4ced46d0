import Foundation
import JukiNetwork
import Testing

@testable import JukiScenario

/// Replications: independent seeds from the root, every metric with its interval, the same result in parallel and
/// in series, and the rule that says when there are enough.
@Suite("Replications")
struct ReplicationTests {
    static let base = """
        name: replication-test
        seed: 5
        start: 2026-03-03
        duration: 1d
        population:
          residents: 3000
          others:
            residents: 200
        workload:
          scale: 0.2
        thresholds:
          journeys.certificate.latency: ["p(95)<2h"]
        """

    static func folder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("replications-\(UUID().uuidString)").path
    }

    static func summary(_ directory: String) throws -> Summary {
        try Summary.read(directory + "/summary.json")
    }

    @Test("the interval is Student's t on the replications' values")
    func estimate() {
        let e = Estimate([10, 12, 14, 16, 18])
        #expect(e.mean == 14)
        #expect(abs(e.standardDeviation - 10.0.squareRoot()) < 1e-6)
        // t(0.975, 4) = 2.776: half-width 2.776 · √10 / √5.
        #expect(abs(e.halfWidth - 2.776 * 2.0.squareRoot()) < 1e-5)
        #expect(e.low < e.mean && e.high > e.mean && abs(e.high - e.low - 2 * e.halfWidth) < 1e-5)
        #expect(e.minimum == 10 && e.maximum == 18)
        #expect(Estimate([3, 3, 3]).halfWidth == 0 && Estimate([0, 0]).relativeHalfWidth == nil)
        // Beyond the table: t(0.975, 40) = 2.0211, t(0.975, 120) = 1.9799.
        #expect(abs(Estimate.t975(degreesOfFreedom: 40) - 2.0211) < 0.001)
        #expect(abs(Estimate.t975(degreesOfFreedom: 120) - 1.9799) < 0.001)
        #expect(Estimate.t975(degreesOfFreedom: 30) > Estimate.t975(degreesOfFreedom: 31))
    }

    @Test("the first replication is the root seed's run; the others have seeds of their own")
    func seeds() {
        #expect(Replications.seed(root: 5, replication: 0) == 5)
        let seeds = (0..<100).map { Replications.seed(root: 5, replication: $0) }
        #expect(Set(seeds).count == 100)
        #expect(Replications.seed(root: 6, replication: 1) != Replications.seed(root: 5, replication: 1))
    }

    @Test("parallel and serial replications give the same summary; the first is the run without replications")
    func parallelEqualsSerial() async throws {
        var serial = try Scenario.parse(Self.base + "\nreplications: {count: 3, jobs: 1}\n")
        var parallel = serial
        parallel.replications?.jobs = 3
        let a = Self.folder()
        let b = Self.folder()
        let single = Self.folder()
        let outcome = try await ScenarioRunner.run(serial, directory: a)
        _ = try await ScenarioRunner.run(parallel, directory: b)
        serial.replications = nil
        _ = try await ScenarioRunner.run(serial, directory: single)
        let (sa, sb, s1) = (try Self.summary(a), try Self.summary(b), try Self.summary(single))
        let ra = try #require(sa.replications)
        #expect(ra == sb.replications)
        #expect(ra.count == 3 && ra.seeds == (0..<3).map { Replications.seed(root: 5, replication: $0) })
        #expect(sa.engine?.digest == s1.engine?.digest, "the first replication is the run without replications")
        // Every numeric metric has its estimate; the wall clock's are not results.
        let latency = try #require(ra.metrics["journeys.certificate.latencySeconds.p95"])
        #expect(latency.low <= latency.mean && latency.mean <= latency.high && latency.halfWidth > 0)
        #expect(ra.metrics.keys.allSatisfy { !$0.hasPrefix("wall") && $0 != "seed" })
        #expect(ra.metrics.count > 500)
        #expect(ra.thresholds.count == 1 && ra.thresholds[0].passedIn <= 3)
        #expect(outcome.invariantsHold && outcome.thresholds.count == 1)
        let md = try String(contentsOfFile: a + "/report.md", encoding: .utf8)
        #expect(md.contains("## Replications") && md.contains("95 % CI"))
        let html = try String(contentsOfFile: a + "/report.html", encoding: .utf8)
        #expect(html.contains("<h2>Replications</h2>") && html.contains("passed in"))
        // The counters' timelines are the replications' means with their intervals as bands; a single run has none.
        #expect(html.contains("mean of 3 replications, the band its 95 % interval"))
        #expect(html.components(separatedBy: "<polygon class=\"band\"").count > 2)
        let one = try String(contentsOfFile: single + "/report.html", encoding: .utf8)
        #expect(!one.contains("<polygon class=\"band\""))
    }

    @Test("the bands: per counter and bin, the replications' mean and Student's t interval, 0 where a run stopped")
    func bands() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let summary = try Summary.read(root.appendingPathComponent("Reports/baselines/smoke.json").path)
        func run(_ queue: [[Double]]) -> ReplicationRunner.Run {
            ReplicationRunner.Run(
                seed: 1, report: nil, invariantsHold: true, arrivals: 0, thresholds: [], summary: summary,
                wallSeconds: 0, queue: queue, wait: queue.map { $0.map { $0 * 2 } })
        }
        let b = ReplicationRunner.bands([run([[1, 2, 3]]), run([[3, 4]]), run([[2, 3, 3]])])
        #expect(b.replications == 3 && b.queue.count == 1 && b.queue[0].count == 3)
        #expect(b.queue[0][0].mean == 2 && b.queue[0][1].mean == 3 && b.queue[0][2].mean == 2)
        let t = Estimate.t975(degreesOfFreedom: 2)
        #expect(abs(b.queue[0][0].halfWidth - t * 1 / 3.0.squareRoot()) < 1e-5)
        #expect(b.wait[0][1].mean == 6)
    }

    @Test("a multi-day run's warm-up: the first day's visitors are counted but their waits and journey times are not")
    func warmUp() async throws {
        let text = Self.base.replacingOccurrences(of: "duration: 1d", with: "duration: 2d")
        let trimmed = try Scenario.parse(text + "\nreplications: {count: 2, warmUp: 1d, jobs: 1}\n")
        let whole = try Scenario.parse(text + "\nreplications: {count: 2, jobs: 1}\n")
        let (a, b) = (Self.folder(), Self.folder())
        _ = try await ScenarioRunner.run(trimmed, directory: a)
        _ = try await ScenarioRunner.run(whole, directory: b)
        let (sa, sb) = (try Self.summary(a), try Self.summary(b))
        #expect(sa.replications?.warmUpSeconds == 86_400 && sb.replications?.warmUpSeconds == nil)
        var (measured, every) = (0, 0)
        for (name, counter) in sa.counters ?? [:] {
            let all = try #require(sb.counters?[name])
            // The same day (the warm-up changes only what is measured), no more waits in the distribution.
            #expect(counter.served == all.served)
            #expect(counter.waitSeconds.count <= all.waitSeconds.count)
            measured += counter.waitSeconds.count
            every += all.waitSeconds.count
        }
        #expect(measured > 0 && measured < every)
        let flow = try #require(sa.journeys?["certificate"])
        #expect(flow.completed == sb.journeys?["certificate"]?.completed)
        #expect(flow.latencySeconds.count < flow.completed)
        #expect(throws: ScenarioError.self) {
            try Scenario.parse(text + "\nreplications: {count: 2, warmUp: 2d}\n")
        }
    }

    @Test("the rule: a precision the replications do not reach asks for more of them")
    func rule() async throws {
        // Fujisawa's absolute rates on a small register: busy enough for headline metrics (30 completions a day).
        var s = try Scenario.parse(
            Self.base.replacingOccurrences(of: "  scale: 0.2", with: "  scale: 0.05\n  followPopulation: false")
                + "\nreplications: {count: 3, relativeHalfWidth: 0.001, absoluteHalfWidth: 0s}\n")
        let strict = Self.folder()
        _ = try await ScenarioRunner.run(s, directory: strict)
        let r = try #require(try Self.summary(strict).replications)
        #expect(!r.headline.isEmpty, "the certificate journeys and busy counters are headline metrics")
        #expect(!r.enough && r.replicationsNeeded > 3 && r.widest != nil)
        #expect(r.absoluteHalfWidthSeconds == 0)
        s.replications?.relativeHalfWidth = 1
        let loose = Self.folder()
        _ = try await ScenarioRunner.run(s, directory: loose)
        let l = try #require(try Self.summary(loose).replications)
        #expect(l.enough && l.replicationsNeeded == 3)
    }

    @Test("the interval of a difference: paired on the same seeds, Welch's otherwise")
    func differenceIntervals() throws {
        // The same shift in every replication: paired, the interval is exactly the shift; Welch sees the spread.
        let base = Estimate([10, 20, 30, 40], keepValues: true)
        let new = Estimate([12, 22, 32, 42], keepValues: true)
        let paired = try #require(SummaryComparison.difference((base, 4), (new, 4), paired: true))
        #expect(paired.paired && abs(paired.low - 2) < 1e-9 && abs(paired.high - 2) < 1e-9)
        let welch = try #require(SummaryComparison.difference((base, 4), (new, 4), paired: false))
        #expect(!welch.paired && welch.low < 0 && welch.high > 4, "Welch's interval spans 0: \(welch)")
        // Welch's on known figures: means 10 and 13, sd 2 and 3, n 10 and 12: df ≈ 19.2, t(19) = 2.093.
        var a = Estimate([0, 0])
        a.mean = 10
        a.standardDeviation = 2
        var b = a
        b.mean = 13
        b.standardDeviation = 3
        let w = try #require(SummaryComparison.difference((a, 10), (b, 12), paired: false))
        let half = 2.093 * (0.4 + 0.75).squareRoot()
        #expect(abs(w.low - (3 - half)) < 1e-3 && abs(w.high - (3 + half)) < 1e-3)
        #expect(SummaryComparison.difference((a, 1), (b, 12), paired: false) == nil)
    }

    @Test("compare --significance: a third of the load is significantly better, the same run is not different")
    func significance() async throws {
        // Fujisawa's absolute rates on a small register, at 0.3 and at 0.1: the counters' waits fall.
        func scenario(_ scale: String) throws -> Scenario {
            try Scenario.parse(
                Self.base.replacingOccurrences(of: "  scale: 0.2", with: "  scale: \(scale)\n  followPopulation: false")
                    + "\nreplications: 4\n")
        }
        let base = try scenario("0.3")
        let more = try scenario("0.1")
        let (a, b) = (Self.folder(), Self.folder())
        _ = try await ScenarioRunner.run(base, directory: a)
        _ = try await ScenarioRunner.run(more, directory: b)
        let (sa, sb) = (try Self.summary(a), try Self.summary(b))
        let options = ComparisonOptions(budget: 0, throughputBudget: 0, significance: true)
        let same = SummaryComparison.compare(base: sa, new: sa, options)
        #expect(same.passed && same.rows.allSatisfy { $0.verdict == .unchanged || $0.verdict == .added })
        let better = SummaryComparison.compare(base: sa, new: sb, options)
        let wait = try #require(better.rows.first { $0.name.hasSuffix(".waitSeconds.mean") && $0.interval != nil })
        #expect(wait.interval?.paired == true, "the same seeds on both sides")
        #expect(better.rows.contains { $0.verdict == .better && $0.interval != nil })
        // The other way round, the heavier load is significantly worse and fails at any budget below the change.
        let worse = SummaryComparison.compare(base: sb, new: sa, options)
        #expect(!worse.passed && worse.failures.allSatisfy { $0.interval != nil || $0.verdict == .missing })
        // Without --significance the same rows are judged on the first replication alone.
        let plain = SummaryComparison.compare(base: sb, new: sa, ComparisonOptions(budget: 0, throughputBudget: 0))
        #expect(plain.rows.allSatisfy { $0.interval == nil })
        let table = SummaryComparison.table(worse, markdown: false)
        #expect(table.contains("paired") && table.contains("WORSE"))
    }

    @Test(
        "refuses bad replications with the place and the rule",
        arguments: [
            ("replications: 1", "must be 2 to 1000, found 1"),
            ("replications: 1001", "must be 2 to 1000, found 1001"),
            ("replications: {jobs: 2}", "needs 'count'"),
            ("replications: {count: 3, relativeHalfWidth: 0}", "must be 0.001 to 1.0, found 0.0"),
            ("replications: {count: 3, jobs: -1}", "must be 0 to 256, found -1"),
            ("replications: {count: 3, confidence: 0.9}", "confidence"),
            ("replications: 3\nsweep: {parameter: workload.scale, values: [0.1, 0.2]}", "a sweep scenario"),
        ])
    func refusals(line: String, message: String) {
        let error = #expect(throws: ScenarioError.self) {
            try Scenario.parse(Self.base + "\n" + line + "\n", file: "replications.yaml")
        }
        #expect(error?.description.contains(message) == true, "message was \(error?.description ?? "nil")")
        #expect(error?.description.contains("replications") == true, "names the field: \(error?.description ?? "")")
    }
}
