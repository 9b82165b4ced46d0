import Foundation
import Testing

@testable import JukiScenario

@Suite("Scenario suites: several scenarios, one report, the worst exit code")
struct ScenarioSuiteTests {
    /// A folder with three small scenarios (one with a threshold that fails, one on the wall clock) and `suite`.
    static func folder(_ suite: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("jk-suite-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let small =
            "population: {residents: 2000, others: {residents: 100}}\nworkload: {followPopulation: false, scale: 0.1}\n"
        try ("name: first\nseed: 1\n" + small).write(toFile: dir + "/first.yaml", atomically: true, encoding: .utf8)
        try ("name: second\nseed: 2\n" + small + "thresholds: {journeys.certificate.latency: [\"p(50)<1s\"]}\n")
            .write(toFile: dir + "/second.yaml", atomically: true, encoding: .utf8)
        try
            "name: wall\nseed: 3\nclock: wall\npopulation: {residents: 2000, others: {residents: 100}}\nload: {rate: 200, duration: 1s}\n"
            .write(toFile: dir + "/wall.yaml", atomically: true, encoding: .utf8)
        try suite.write(toFile: dir + "/suite.yaml", atomically: true, encoding: .utf8)
        return dir
    }

    @Test("runs every entry into its folder: one summary, one JUnit file, the worst exit code")
    func runs() async throws {
        let dir = try Self.folder(
            """
            suite: test-suite
            jobs: 2
            scenarios:
              - file: first.yaml
              - file: second.yaml
              - name: live
                file: wall.yaml
                startAfter: first
            """)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let suite = try ScenarioSuite.load(path: dir + "/suite.yaml")
        #expect(suite.entries.map(\.name) == ["first", "second", "live"])
        #expect(suite.entries.map(\.startAfter) == [nil, "first", "first"])
        let outcome = try await SuiteRunner.run(suite, directory: dir + "/out")
        // `second`'s threshold fails: exit 1, the worst.
        #expect(outcome.exitCode == 1)
        let summary = try Summary.read(dir + "/out/summary.json")
        #expect(summary.kind == .suite && summary.suite?.entries.count == 3)
        let entries = try #require(summary.suite?.entries)
        // The wall-clock entry may miss its rate when other tests load the machine (its shortfall check, exit 1).
        #expect(entries.first { $0.name == "first" }?.exitCode == 0)
        #expect(entries.first { $0.name == "second" }?.exitCode == 1)
        #expect((0...1).contains(entries.first { $0.name == "live" }?.exitCode ?? -1))
        for e in entries {
            #expect(FileManager.default.fileExists(atPath: dir + "/out/\(e.folder)/summary.json"))
            #expect(e.summary?.scenario == (e.name == "live" ? "wall" : e.name))
        }
        // The entries after `first` started when it had ended; the wall-clock one ran alone.
        let first = try #require(entries.first { $0.name == "first" })
        let live = try #require(entries.first { $0.name == "live" })
        let second = try #require(entries.first { $0.name == "second" })
        #expect(live.startSeconds >= first.startSeconds + first.wallSeconds - 1e-3)
        #expect(second.startSeconds >= first.startSeconds + first.wallSeconds - 1e-3)
        let liveEnd = live.startSeconds + live.wallSeconds
        let secondEnd = second.startSeconds + second.wallSeconds
        #expect(liveEnd <= second.startSeconds + 1e-3 || secondEnd <= live.startSeconds + 1e-3)
        // compare reads a suite's summary entry by entry.
        let compared = SummaryComparison.compare(
            base: summary, new: summary, ComparisonOptions(budget: 0, throughputBudget: 0))
        #expect(compared.passed && compared.rows.contains { $0.name.hasPrefix("suite[second].journeys.certificate.") })
        let xml = try String(contentsOfFile: dir + "/out/junit.xml", encoding: .utf8)
        #expect(xml.contains(#"<testsuites name="test-suite" tests="#) && xml.contains(#"failures="1""#))
        for name in ["first", "second", "live"] { #expect(xml.contains(#"<testsuite name="\#(name)""#)) }
        if let result = try JUnitReportTests.validate(xml) { #expect(result.ok, "\(result.output)") }
        #expect(
            try String(contentsOfFile: dir + "/out/report.md", encoding: .utf8).contains("| [second](second/report.md)")
        )
    }

    @Test("an entry is compared with its baseline: the same run passes, a better baseline fails the entry")
    func baselines() async throws {
        let dir = try Self.folder("suite: x\nscenarios:\n  - file: first.yaml\n")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The baseline: first.yaml as run alone.
        _ = try await ScenarioRunner.run(try Scenario.load(path: dir + "/first.yaml"), directory: dir + "/base")
        var better = try Summary.read(dir + "/base/summary.json")
        better.journeys?["certificate"]?.latencySeconds.p95 /= 2
        try better.json().write(to: URL(fileURLWithPath: dir + "/better.json"))
        try """
        suite: with-baselines
        scenarios:
          - file: first.yaml
            baseline: base/summary.json
          - name: again
            file: first.yaml
            baseline: better.json
        """.write(toFile: dir + "/suite.yaml", atomically: true, encoding: .utf8)
        let outcome = try await SuiteRunner.run(
            try ScenarioSuite.load(path: dir + "/suite.yaml"), directory: dir + "/out")
        #expect(outcome.exitCode == 1)
        let entries = try #require(try Summary.read(dir + "/out/summary.json").suite?.entries)
        #expect(entries[0].baselinePassed == true && entries[0].exitCode == 0)
        #expect(entries[1].baselinePassed == false && entries[1].exitCode == 1)
        #expect(entries[1].baselineFailures == ["journeys.certificate.latencySeconds.p95"])
        let xml = try String(contentsOfFile: dir + "/out/junit.xml", encoding: .utf8)
        #expect(xml.contains(#"name="no metric worse than better.json""#))
        #expect(xml.contains("1 metrics worse than better.json or missing: journeys.certificate.latencySeconds.p95"))
    }

    @Test(
        "a bad suite is refused before anything runs, naming the key and the rule",
        arguments: [
            ("scenarios:\n  - file: first.yaml\n", "a suite needs 'suite'"),
            ("suite: x\nscenario:\n  - file: first.yaml\n", "did you mean 'scenarios'?"),
            ("suite: x\nscenarios: []\n", "at least one scenario"),
            ("suite: x\nscenarios:\n  - name: a\n", "an entry needs 'file'"),
            ("suite: x\nscenarios:\n  - file: none.yaml\n", "none.yaml"),
            ("suite: x\nscenarios:\n  - file: first.yaml\n  - file: first.yaml\n", "two entries are named 'first'"),
            ("suite: x\nscenarios:\n  - file: first.yaml\n    startAfter: second\n", "'second' is not an entry above"),
            ("suite: x\nscenarios:\n  - file: suite.yaml\n", "a suite runs scenarios, not other suites"),
            (
                "suite: x\nscenarios:\n  - file: first.yaml\n    baseline: none.json\n",
                "the baseline none.json cannot be read"
            ),
            ("suite: x\njobs: 0\nscenarios:\n  - file: first.yaml\n", "must be 1 to 64"),
            ("suite: a b\nscenarios:\n  - file: first.yaml\n", "is not a name"),
        ])
    func refusals(text: String, message: String) throws {
        let dir = try Self.folder(text)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            _ = try ScenarioSuite.load(path: dir + "/suite.yaml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }
}
