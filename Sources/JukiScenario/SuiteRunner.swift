import Foundation
import JukiSimulation

/// Runs a ``ScenarioSuite``: each entry into its own subfolder when its turn comes, then the suite's summary.json
/// (kind `suite`, every entry's summary inside), junit.xml (a test suite per entry, plus its baseline comparison)
/// and report.md.
public enum SuiteRunner {
    /// What one entry ended with.
    struct Finished: Sendable {
        var index: Int
        var outcome: RunOutcome?
        var error: String?
        var startSeconds: Double
        var wallSeconds: Double
        var comparison: ComparisonResult?
    }

    /// The exit code of one entry, as `jukisim run` would give it: 3 an invariant broke or the run failed, 1 a
    /// threshold or the baseline comparison failed, else 0.
    static func exitCode(_ f: Finished) -> Int {
        guard let outcome = f.outcome, f.error == nil else { return 3 }
        if !outcome.invariantsHold { return 3 }
        if outcome.thresholds.contains(where: { !$0.ok }) || f.comparison?.passed == false { return 1 }
        return 0
    }

    public static func run(
        _ suite: ScenarioSuite, directory: String, log: (@Sendable (String) -> Void)? = nil
    ) async throws(ScenarioError) -> RunOutcome {
        let clock = WallClock()
        var finished: [Finished?] = Array(repeating: nil, count: suite.entries.count)
        var started = Set<Int>()
        var running: [Int: Bool] = [:]  // index → runs on the wall clock
        await withTaskGroup(of: Finished.self) { group in
            while finished.contains(where: { $0 == nil }) {
                // Start every entry whose turn has come, within `jobs`; a wall-clock entry only alone, and nothing
                // beside it.
                for (i, entry) in suite.entries.enumerated() where !started.contains(i) {
                    let ready =
                        entry.startAfter.map { name in
                            suite.entries.firstIndex { $0.name == name }.map { finished[$0] != nil } ?? true
                        } ?? true
                    let wall = entry.scenario.load != nil
                    guard ready, running.count < suite.jobs, !running.values.contains(true), !(wall && !running.isEmpty)
                    else { continue }
                    started.insert(i)
                    running[i] = wall
                    log?("\(suite.name): \(entry.name) started")
                    let start = clock.seconds
                    group.addTask { await runEntry(i, entry, directory: directory, start: start, clock: clock) }
                }
                guard let done = await group.next() else { break }
                running[done.index] = nil
                finished[done.index] = done
                let e = suite.entries[done.index]
                log?("\(suite.name): \(e.name) ended (exit \(exitCode(done)))")
            }
        }
        let results = finished.compactMap { $0 }
        let summary = suiteSummary(suite, results, directory: directory, seconds: clock.seconds)
        try ScenarioRunner.write(directory: directory) {
            try summary.json().write(to: URL(fileURLWithPath: directory + "/summary.json"))
            try JUnitReport.xml([JUnitReport.Entry(summary: summary)], name: suite.name).write(
                toFile: directory + "/junit.xml", atomically: true, encoding: .utf8)
            try markdown(suite, results).write(toFile: directory + "/report.md", atomically: true, encoding: .utf8)
        }
        let worst = results.map(exitCode).max() ?? 0
        var table = ["\(suite.name): \(suite.entries.count) scenarios in \(String(format: "%.1f", clock.seconds)) s"]
        for f in results {
            let e = suite.entries[f.index]
            let verdict = ["passed", "a threshold or the baseline failed", "", "an invariant broke or the run failed"][
                exitCode(f)]
            table.append(
                "  \(exitCode(f) == 0 ? "✓" : "✗") \(e.name): \(verdict)"
                    + (f.error.map { " (\($0))" } ?? "") + String(format: " (%.1f s)", f.wallSeconds))
            if let c = f.comparison, !c.passed {
                for row in c.failures.prefix(5) {
                    table.append("      worse than \(e.baseline ?? "the baseline"): \(row.name)")
                }
            }
        }
        table.append("report in \(directory)")
        var outcome = RunOutcome(
            directory: directory, thresholds: [], invariantsHold: worst != 3,
            summaryLine: table[0] + "; worst exit "
                + "\(worst); report in \(directory)", table: table)
        outcome.exitCode = Int32(worst)
        return outcome
    }

    /// Runs one entry into its subfolder, and compares it with its baseline.
    static func runEntry(
        _ index: Int, _ entry: ScenarioSuite.Entry, directory: String, start: Double, clock: WallClock
    ) async -> Finished {
        let folder = directory + "/" + entry.name
        var result = Finished(index: index, outcome: nil, error: nil, startSeconds: start, wallSeconds: 0)
        do {
            result.outcome = try await ScenarioRunner.run(entry.scenario, directory: folder)
            if let baseline = entry.baseline {
                let base = try Summary.read(baseline)
                let new = try Summary.read(folder + "/summary.json")
                result.comparison = SummaryComparison.compare(
                    base: base, new: new, ComparisonOptions(budget: entry.budget, throughputBudget: entry.budget))
            }
        } catch let e as ScenarioError {
            result.error = e.description
        } catch let e as Summary.ReadError {
            result.error = e.description
        } catch {
            result.error = "\(error)"
        }
        result.wallSeconds = clock.seconds - start
        return result
    }

    static func suiteSummary(
        _ suite: ScenarioSuite, _ results: [Finished], directory: String, seconds: Double
    ) -> Summary {
        let wall = suite.entries.contains { $0.scenario.load != nil }
        var s = Summary(
            kind: .suite, scenario: suite.name, seed: suite.entries.first?.scenario.seed ?? 0,
            clock: wall ? .wall : .virtual)
        s.wall = Summary.Wall(seconds: round6(seconds), eventsPerSecond: 0)
        s.suite = Summary.SuiteBlock(
            name: suite.name, jobs: suite.jobs,
            entries: results.map { f in
                let e = suite.entries[f.index]
                let summary = f.outcome == nil ? nil : try? Summary.read(directory + "/" + e.name + "/summary.json")
                return Summary.SuiteEntry(
                    name: e.name, file: e.file, folder: e.name, startAfter: e.startAfter, exitCode: exitCode(f),
                    startSeconds: round6(f.startSeconds), wallSeconds: round6(f.wallSeconds), error: f.error,
                    baseline: e.baseline, baselinePassed: f.comparison?.passed,
                    baselineFailures: f.comparison.map { c in c.failures.map(\.name) }, summary: summary)
            })
        return s
    }

    static func markdown(_ suite: ScenarioSuite, _ results: [Finished]) -> String {
        var md = [
            "# Suite \(suite.name)", "", suite.description, "",
            "| entry | file | exit | thresholds | invariants | baseline | seconds |", "|---|---|---:|---|---|---|---:|",
        ]
        for f in results {
            let e = suite.entries[f.index]
            let thresholds = f.outcome.map { o in "\(o.thresholds.filter(\.ok).count)/\(o.thresholds.count)" } ?? "–"
            let invariants = f.outcome.map { $0.invariantsHold ? "hold" : "BROKEN" } ?? "–"
            let baseline = f.comparison.map { $0.passed ? "as before" : "\($0.failures.count) worse" } ?? "–"
            md.append(
                "| [\(e.name)](\(e.name)/report.md) | \(e.file) | \(exitCode(f)) | \(thresholds) | \(invariants) | "
                    + "\(baseline) | \(String(format: "%.1f", f.wallSeconds)) |")
            if let error = f.error { md.append("| | \(error) | | | | | |") }
        }
        return md.joined(separator: "\n") + "\n"
    }
}
