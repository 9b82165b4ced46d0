import Foundation
import JukiAudit
import JukiCore
import JukiNetwork
import JukiSimulation

/// Runs a scenario and writes its report folder.
public enum ScenarioRunner {
    /// Progress of a run: the simulated clock, events handled so far, and the share done (0–1).
    public typealias Progress = (SimulatedTime, UInt64, Double) -> Void

    /// Runs `scenario` and writes summary.json, junit.xml, metrics.prom, metrics.jsonl, traces.jsonl, report.md, report.html and latency.csv to `directory`
    /// (created if needed). A sweep writes one such folder per value and a comparison beside them.
    public static func run(
        _ scenario: Scenario, directory: String, capacity: CapacitySearch? = nil, log: ((String) -> Void)? = nil,
        setup: (@Sendable (NetworkSimulation.SetupPhase) -> Void)? = nil, progress: Progress? = nil,
        live: LiveMetrics? = nil
    ) async throws(ScenarioError) -> RunOutcome {
        let outcome = try await runScenario(
            scenario, directory: directory, capacity: capacity, log: log, setup: setup, progress: progress, live: live)
        // The checks for CI and the metrics for Prometheus, from the summary just written, so they say what
        // summary.json says.
        try write(directory: directory) {
            let summary = try Summary.decode(
                Data(contentsOf: URL(fileURLWithPath: directory + "/summary.json")), path: directory + "/summary.json")
            let metrics = PrometheusExposition.text(summary)
            try metrics.write(toFile: directory + "/metrics.prom", atomically: true, encoding: .utf8)
            let (start, end) = simulatedSpan(summary)
            try (OTLPExport.metrics(summary, start: start, end: end) + "\n").write(
                toFile: directory + "/metrics.jsonl", atomically: true, encoding: .utf8)
            live?.publish(metrics, finished: true)
            try JUnitReport.xml(
                [JUnitReport.Entry(summary: summary, invariantsHold: outcome.invariantsHold)], name: scenario.name
            )
            .write(toFile: directory + "/junit.xml", atomically: true, encoding: .utf8)
        }
        return outcome
    }

    /// The report folder a run writes to when not told: `Reports/<name>-<UTC time stamp>`.
    public static func defaultFolder(_ name: String) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return "Reports/\(name)-\(f.string(from: Date()))"
    }

    /// The simulated start and end of a summary's run (the canary, which has no calendar, from 0).
    static func simulatedSpan(_ summary: Summary) -> (SimulatedTime, SimulatedTime) {
        let iso = ISO8601DateFormatter()
        func time(_ text: String?) -> SimulatedTime? {
            guard let text, let date = iso.date(from: text) else { return nil }
            return SimulatedTime(
                microseconds: Int64(date.timeIntervalSince1970 * 1e6) + SimulatedTime.japanOffsetMicroseconds)
        }
        let start = time(summary.simulated?.start) ?? SimulatedTime(microseconds: SimulatedTime.japanOffsetMicroseconds)
        let end =
            time(summary.simulated?.end)
            ?? SimulatedTime(microseconds: start.microseconds + Int64((summary.simulated?.endSeconds ?? 0) * 1e6))
        return (start, end)
    }

    static func runScenario(
        _ scenario: Scenario, directory: String, capacity: CapacitySearch?, log: ((String) -> Void)?,
        setup: (@Sendable (NetworkSimulation.SetupPhase) -> Void)?, progress: Progress?, live: LiveMetrics?
    ) async throws(ScenarioError) -> RunOutcome {
        if let capacity {
            guard let load = scenario.load else {
                throw ScenarioError(
                    .value, file: scenario.file, line: 0, column: 0, path: "clock",
                    "--find-capacity needs a wall-clock scenario (clock: wall with a load mapping)")
            }
            return try await LoadRunner.findCapacity(scenario, load, capacity, directory: directory, progress: log)
        }
        if let sweep = scenario.sweep {
            return try await runSweep(scenario, sweep, directory: directory, setup: setup, progress: progress)
        }
        if let canary = scenario.canary { return try await CanaryReport.run(scenario, canary, directory: directory) }
        if let replications = scenario.replications {
            return try await ReplicationRunner.run(
                scenario, replications, directory: directory, setup: setup, progress: progress)
        }
        if let load = scenario.load {
            return try await LoadRunner.run(scenario, load, directory: directory, live: live)
        }
        return try await runOne(scenario, directory: directory, setup: setup, progress: progress).outcome
    }

    /// One finished run: what `run` returns, plus what a sweep compares.
    struct Finished {
        var outcome: RunOutcome
        var report: NetworkReport
        var summary: Summary
        var wallSeconds: Double
    }

    static func runOne(
        _ scenario: Scenario, directory: String, setup: (@Sendable (NetworkSimulation.SetupPhase) -> Void)? = nil,
        progress: Progress?
    ) async throws(ScenarioError) -> Finished {
        let simulation: NetworkSimulation
        do {
            // Keep the spans of the journeys traces.jsonl samples, not every journey's (a year has millions).
            var configuration = scenario.configuration
            configuration.service.spanSample = scenario.traceSample
            configuration.service.spanSeed = scenario.seed
            // Nothing a run writes reads the counters' visitor logs (the staffing planner does, on its own runs).
            configuration.service.keepWaitLogs = false
            simulation = try await NetworkSimulation(configuration, phase: setup)
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
        let reporting = WallClock()
        let report = await simulation.report()
        let results = scenario.thresholds.map { ThresholdMetrics.evaluate($0, report) }
        let summary = RunSummary.summary(scenario, report, thresholds: results, wallSeconds: seconds)
        try write(directory: directory) {
            try summary.json().write(to: URL(fileURLWithPath: directory + "/summary.json"))
            try RunSummary.markdown(scenario, report, results).write(
                toFile: directory + "/report.md", atomically: true, encoding: .utf8)
            try RunSummary.csv(report).write(toFile: directory + "/latency.csv", atomically: true, encoding: .utf8)
            try HTMLReport.render(scenario, report, results).write(
                toFile: directory + "/report.html", atomically: true, encoding: .utf8)
            // The audit trails, one hash chain per node: `jukisim audit verify` checks them.
            try FileManager.default.createDirectory(atPath: directory + "/audit", withIntermediateDirectories: true)
            try report.registerAudit.write(to: directory + "/audit/registerSystem.jsonl")
            try report.csAudit.write(to: directory + "/audit/municipalCS.jsonl")
            let traces = OTLPExport.traces(
                report.spans, scenario: scenario.name, seed: scenario.seed, sample: scenario.traceSample)
            try traces.map { $0 + "\n" }.joined().write(
                toFile: directory + "/traces.jsonl", atomically: true, encoding: .utf8)
        }
        let phases = RunPhases(
            population: simulation.populationSeconds, setup: simulation.setupSeconds - simulation.populationSeconds,
            simulation: seconds, reports: reporting.seconds)
        let failed = results.filter { !$0.ok }.count
        let line =
            "\(scenario.name): \(report.invariants.arrivals) journeys, \(report.engine.handled) events in "
            + String(format: "%.3f s of simulation (%.2f s in all)", seconds, phases.total)
            + (report.faults.injected > 0
                ? "; \(report.faults.injected) faults, \(report.faults.retried) retried, "
                    + "\(report.invariants.lostUpdates) updates lost" : "")
            + "; thresholds \(results.count - failed)/\(results.count) passed; invariants "
            + (report.invariants.holds ? "hold" : "BROKEN") + "; report in \(directory)"
        let outcome = RunOutcome(
            directory: directory, thresholds: results, invariantsHold: report.invariants.holds, summaryLine: line,
            table: RunSummary.terminal(scenario, report, results, phases: phases, directory: directory))
        return Finished(outcome: outcome, report: report, summary: summary, wallSeconds: seconds)
    }

    /// Runs every value of a sweep in turn, each into its own folder, then writes the comparison.
    static func runSweep(
        _ scenario: Scenario, _ sweep: Sweep, directory: String,
        setup: (@Sendable (NetworkSimulation.SetupPhase) -> Void)?, progress: Progress?
    ) async throws(ScenarioError) -> RunOutcome {
        var runs: [SweepReport.Variant] = []
        let n = Double(sweep.variants.count)
        for (i, variant) in sweep.variants.enumerated() {
            let folder = SweepReport.folderName(index: i, parameter: sweep.parameter, value: sweep.values[i])
            var variant = variant
            variant.traceSample = scenario.traceSample
            let finished = try await runOne(variant, directory: directory + "/" + folder, setup: setup) {
                t, handled, fraction in
                progress?(t, handled, (Double(i) + fraction) / n)
            }
            runs.append(
                SweepReport.Variant(
                    value: sweep.values[i], folder: folder, report: finished.report, summary: finished.summary,
                    thresholds: finished.outcome.thresholds, wallSeconds: finished.wallSeconds))
        }
        try write(directory: directory) {
            try SweepReport.summary(scenario, sweep, runs).json().write(
                to: URL(fileURLWithPath: directory + "/summary.json"))
            try SweepReport.markdown(scenario, sweep, runs).write(
                toFile: directory + "/report.md", atomically: true, encoding: .utf8)
            try SweepReport.html(scenario, sweep, runs).write(
                toFile: directory + "/report.html", atomically: true, encoding: .utf8)
        }
        let thresholds = runs.flatMap(\.thresholds)
        let failed = thresholds.filter { !$0.ok }.count
        let holds = runs.allSatisfy { $0.report.invariants.holds }
        let seconds = runs.reduce(0) { $0 + $1.wallSeconds }
        let line =
            "\(scenario.name): sweep of \(sweep.parameter) over \(runs.count) values, "
            + "\(runs.reduce(0) { $0 + $1.report.invariants.arrivals }) journeys in "
            + String(format: "%.3f s", seconds)
            + "; thresholds \(thresholds.count - failed)/\(thresholds.count) passed; "
            + "invariants " + (holds ? "hold" : "BROKEN") + "; report in \(directory)"
        var table = ["\(scenario.name): sweep of \(sweep.parameter) (seed \(scenario.seed))", ""]
        for r in runs {
            let w = r.waits
            table.append(
                "  \(sweep.parameter) = \(r.value): \(r.report.invariants.arrivals) journeys, counter waits p95 "
                    + Durations.readable(Double(w.percentile(95)))
                    + String(format: ", utilisation %.1f %%", r.utilization * 100)
                    + ", thresholds \(r.thresholdsPassed)/\(r.thresholds.count)"
                    + (r.report.invariants.holds ? "" : ", invariants BROKEN"))
            for t in r.thresholds where !t.ok {
                table.append(
                    "    ✗ \(t.threshold.metric) \(t.threshold.expression): \(t.valueText)"
                        + (t.detail.map { " at \($0)" } ?? ""))
            }
        }
        table += ["", String(format: "  time: %.2f s of simulation", seconds), "  report: \(directory)"]
        return RunOutcome(
            directory: directory, thresholds: thresholds, invariantsHold: holds, summaryLine: line, table: table)
    }

    /// Creates `directory` and runs `body`, turning any I/O failure into a scenario error.
    static func write(directory: String, _ body: () throws -> Void) throws(ScenarioError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try body()
        } catch {
            // The audit trails' own errors name the path and the reason; Foundation's are localized.
            let reason =
                switch error {
                case let e as AuditWriteError: e.description
                case let e as AuditSpoolError: e.description
                default: error.localizedDescription
                }
            throw ScenarioError(
                .file, file: directory, line: 0, column: 0, path: "output", "cannot write the report: \(reason)")
        }
    }
}
