import Foundation
import JukiNetwork
import JukiScenario
import Testing

@Suite("Sweeps")
struct SweepTests {
    static let base = """
        name: sweep-test
        seed: 5
        start: 2026-03-02
        duration: 1d
        population:
          residents: 3000
          others:
            residents: 200
        workload:
          scale: 0.1
        """

    @Test("one scenario per value, with the value set at the key path")
    func parses() throws {
        let s = try Scenario.parse(
            Self.base + "\nsweep:\n  parameter: workload.oneStopShare\n  values: [0, 0.25, 60%]\n")
        let sweep = try #require(s.sweep)
        #expect(sweep.values == ["0", "0.25", "60%"])
        #expect(sweep.variants.count == 3)
        let shares = sweep.variants.map(\.configuration.workload.oneStopShare)
        #expect(abs(shares[0]) < 1e-12 && abs(shares[1] - 0.25) < 1e-12 && abs(shares[2] - 0.6) < 1e-12)
        #expect(sweep.variants.allSatisfy { $0.sweep == nil && $0.configuration.municipality.residents == 3000 })
        // A path through keys the file does not have yet, with a counter name in Japanese.
        let c = try Scenario.parse(Self.base + "\nsweep:\n  parameter: counters.clerks.鵠沼市民センター\n  values: [4, 6]\n")
        #expect(
            c.sweep?.variants.map { $0.configuration.counters.first { $0.name == "鵠沼市民センター" }?.clerks } == [4, 6])
        let seeds = try Scenario.parse(Self.base + "\nsweep: {parameter: seed, values: [1, 2]}\n")
        #expect(seeds.sweep?.variants.map(\.seed) == [1, 2])
    }

    @Test(
        "refuses bad sweeps with the place and the rule",
        arguments: [
            ("sweep: {parameter: workload.oneStopShar, values: [0, 1]}", 11, "did you mean 'oneStopShare'?"),
            ("sweep: {parameter: name.x, values: [0, 1]}", 11, "cannot be swept"),
            ("sweep: {parameter: wrkload.scale, values: [0, 1]}", 11, "did you mean 'workload'?"),
            ("sweep: {parameter: workload.scale, values: [1]}", 11, "2 to 24 values"),
            ("sweep: {parameter: workload.oneStopShare, values: [0, 1.5]}", 11, "with workload.oneStopShare = 1.5"),
            ("sweep: {values: [0, 1]}", 11, "needs 'parameter'"),
            ("sweep: {parameter: workload, values: [0, 1]}", 11, "key path"),
        ])
    func refusals(line: String, at lineNumber: Int, message: String) {
        let error = #expect(throws: ScenarioError.self) {
            try Scenario.parse(Self.base + "\n" + line + "\n", file: "sweep.yaml")
        }
        #expect(error?.line == lineNumber, "line was \(error?.line ?? -1)")
        #expect(error?.description.contains(message) == true, "message was \(error?.description ?? "nil")")
    }

    @Test("a sweep of one counter's clerks shows that counter's waits")
    func oneCounter() async throws {
        let s = try Scenario.parse(
            Self.base + "\nsweep:\n  parameter: counters.clerks.鵠沼市民センター\n  values: [1, 3]\n")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try await ScenarioRunner.run(s, directory: dir)
        let md = try String(contentsOfFile: dir + "/report.md", encoding: .utf8)
        let section = md.components(separatedBy: "## p95 wait per counter").last ?? ""
        #expect(section.contains("sets this counter's clerks") && section.contains("| 鵠沼市民センター |"))
        #expect(!section.contains("市民窓口センター |"))
    }

    @Test("a sweep writes one report per value and a comparison that compare reads")
    func runs() async throws {
        let s = try Scenario.parse(
            Self.base + "\nsweep:\n  parameter: workload.oneStopShare\n  values: [0, 0.5]\n"
                + "thresholds:\n  invariants.lostUpdates: [\"count==0\"]\n")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jk-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let outcome = try await ScenarioRunner.run(s, directory: dir)
        #expect(outcome.thresholds.count == 2 && outcome.thresholds.allSatisfy(\.ok) && outcome.invariantsHold)
        let summary = try SummaryComparison.load(dir + "/summary.json")
        #expect(summary.kind == .sweep)
        let variants = try #require(summary.variants)
        #expect(variants.map(\.value) == ["0", "0.5"])
        for v in variants {
            #expect(v.summary.kind == .run && v.summary.wall == nil)
            #expect(FileManager.default.fileExists(atPath: dir + "/" + v.folder + "/report.html"))
        }
        let result = SummaryComparison.compare(
            base: summary, new: summary, ComparisonOptions(budget: 0, throughputBudget: 0))
        #expect(result.rows.contains { $0.name == "sweep[0.5].counters.all.waitSeconds.p95" })
        #expect(result.passed)
        let md = try String(contentsOfFile: dir + "/report.md", encoding: .utf8)
        #expect(md.contains("| workload.oneStopShare |") && md.contains("| 0.5 |"))
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        #expect(html.components(separatedBy: "<svg").count - 1 == 3 && !html.contains("<script"))
        // Every counter's p95 wait per value: the swept share reaches them all.
        #expect(md.contains("## p95 wait per counter") && md.contains("| 市民窓口センター |"))
        #expect(html.contains("p95 wait per counter") && html.contains("六会市民センター石川分館"))
    }
}

@Suite("The one-stop share")
struct OneStopShareTests {
    @Test("moves movers online and to reserved visits, keeping the totals")
    func keepsTotals() {
        var w = Workload.typicalWeekday
        let moveOuts = (w.perDay[.moveOut] ?? 0) + w.onlineMoveOutsPerDay
        let moveIns = (w.perDay[.moveIn] ?? 0) + (w.perDay[.oneStopMove] ?? 0)
        for share in [0.0, 0.3, 0.6, 1] {
            w.setOneStopShare(share)
            #expect(abs((w.perDay[.moveOut] ?? 0) + w.onlineMoveOutsPerDay - moveOuts) < 1e-9)
            #expect(abs((w.perDay[.moveIn] ?? 0) + (w.perDay[.oneStopMove] ?? 0) - moveIns) < 1e-9)
            #expect(abs(w.oneStopShare - share) < 1e-12)
            #expect(abs(w.onlineMoveOutsPerDay - moveOuts * share) < 1e-9)
        }
    }
}

@Suite("The canary as a scenario")
struct CanaryScenarioTests {
    static let small = """
        name: canary-test
        seed: 3
        canary:
          points: 2
          servers: 3
          utilization: 0.7
          meanService: 5m
          customersPerPoint: 200000
        thresholds:
          canary.deviation: ["value<0.03"]
          canary.customers: ["count==400000"]
          canary.timeInSystem: ["avg<10m"]
        """

    @Test("runs, checks Erlang C, and writes the same summary apart from wall")
    func runs() async throws {
        let s = try Scenario.parse(Self.small)
        #expect(s.canary?.points == 2 && s.canary?.meanService == 300_000_000)
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("jk-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let a = try await ScenarioRunner.run(s, directory: base.appendingPathComponent("a").path)
        let b = try await ScenarioRunner.run(s, directory: base.appendingPathComponent("b").path)
        #expect(a.thresholds.count == 3 && a.thresholds.allSatisfy(\.ok))
        var sa = try SummaryComparison.load(a.directory + "/summary.json")
        var sb = try SummaryComparison.load(b.directory + "/summary.json")
        sa.wall = nil
        sb.wall = nil
        #expect(sa == sb)
        #expect(sa.kind == .canary)
        let canary = try #require(sa.canary)
        #expect(canary.customers == 400_000)
        #expect(abs(canary.deviation) < 0.03)
        #expect(FileManager.default.fileExists(atPath: a.directory + "/report.html"))
    }

    @Test("a statistic the canary does not keep is refused by the validator, not left to fail at run time")
    func unmeasurable() {
        let text =
            Self.small.replacingOccurrences(of: "customersPerPoint: 200000", with: "customersPerPoint: 1000")
            + "\n  canary.wait: [\"p(95)<1m\"]"
        #expect(throws: ScenarioError.self) { _ = try Scenario.parse(text) }
    }

    @Test(
        "refuses what the canary cannot model",
        arguments: [
            ("name: c\ncanary: {utilization: 1}\n", 2, "below 1"),
            ("name: c\ncanary: {servers: 0}\n", 2, "1 to 1000"),
            ("name: c\ncanary: {pointz: 3}\n", 2, "did you mean 'points'?"),
            ("name: c\npopulation: {residents: 10}\ncanary: {points: 1}\n", 2, "does not apply"),
        ])
    func refusals(text: String, line: Int, message: String) {
        let error = #expect(throws: ScenarioError.self) { try Scenario.parse(text, file: "c.yaml") }
        #expect(error?.line == line, "line was \(error?.line ?? -1)")
        #expect(error?.description.contains(message) == true, "message was \(error?.description ?? "nil")")
    }

    @Test("the value statistic parses")
    func valueStatistic() throws {
        let t = try Threshold.parse("value<0.02", metric: "canary.deviation").get()
        #expect(t.statistic == .value && t.passes(0.01) && !t.passes(0.02))
    }
}
