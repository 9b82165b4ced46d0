import Foundation
import JukiCore
import JukiNetwork
import JukiSimulation

/// Runs a scenario and writes its report folder.
public enum ScenarioRunner {
    /// Runs `scenario` and writes summary.json, report.md and latency.csv to `directory` (created if needed).
    public static func run(
        _ scenario: Scenario, directory: String, progress: ((SimulatedTime, UInt64, Double) -> Void)? = nil
    ) async throws(ScenarioError) -> RunOutcome {
        let simulation: NetworkSimulation
        do {
            simulation = try await NetworkSimulation(scenario.configuration)
        } catch {
            throw ScenarioError(.value, file: scenario.file, line: 0, column: 0, path: error.field, error.message)
        }
        let clock = WallClock()
        let start = simulation.dayStart.microseconds
        let end = start + scenario.duration
        await simulation.run(until: .time(SimulatedTime(microseconds: end))) { t, handled in
            progress?(t, handled, Double(t.microseconds - start) / Double(max(end - start, 1)))
        }
        let seconds = clock.seconds
        let report = await simulation.report()
        let results = scenario.thresholds.map { ThresholdMetrics.evaluate($0, report) }
        let summary = RunSummary.summary(scenario, report, thresholds: results, wallSeconds: seconds)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try RunSummary.json(summary).write(to: URL(fileURLWithPath: directory + "/summary.json"))
            try RunSummary.markdown(scenario, report, results).write(
                toFile: directory + "/report.md", atomically: true, encoding: .utf8)
            try RunSummary.csv(report).write(toFile: directory + "/latency.csv", atomically: true, encoding: .utf8)
            try HTMLReport.render(scenario, report, results).write(
                toFile: directory + "/report.html", atomically: true, encoding: .utf8)
        } catch {
            throw ScenarioError(
                .file, file: directory, line: 0, column: 0, path: "output",
                "cannot write the report: \(error.localizedDescription)")
        }
        let failed = results.filter { !$0.ok }.count
        let line =
            "\(scenario.name): \(report.invariants.arrivals) journeys, \(report.engine.handled) events in "
            + String(format: "%.3f s", seconds)
            + "; thresholds \(results.count - failed)/\(results.count) passed; invariants "
            + (report.invariants.holds ? "hold" : "BROKEN") + "; report in \(directory)"
        return RunOutcome(
            directory: directory, thresholds: results, invariantsHold: report.invariants.holds, summaryLine: line)
    }
}
