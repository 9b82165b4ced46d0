import Foundation
import JukiCore
import JukiSimulation

/// Runs the engine canary as a scenario and reports it: measured against Erlang C, with thresholds.
enum CanaryReport {
    static func run(_ scenario: Scenario, _ canary: CanaryRun, directory: String) async throws(ScenarioError)
        -> RunOutcome
    {
        let clock = WallClock()
        let result: CanaryRun.Result
        do {
            result = try await canary.run()
        } catch {
            throw ScenarioError(.value, file: scenario.file, line: 0, column: 0, path: "canary", error.description)
        }
        let seconds = clock.seconds
        let thresholds = scenario.thresholds.map { evaluate($0, result, canary) }
        let summary = summary(scenario, canary, result, thresholds, seconds)
        try ScenarioRunner.write(directory: directory) {
            try summary.json().write(to: URL(fileURLWithPath: directory + "/summary.json"))
            try markdown(scenario, canary, result, thresholds).joined(separator: "\n").write(
                toFile: directory + "/report.md", atomically: true, encoding: .utf8)
            try html(scenario, canary, result, thresholds).write(
                toFile: directory + "/report.html", atomically: true, encoding: .utf8)
        }
        let failed = thresholds.filter { !$0.ok }.count
        let line =
            "\(scenario.name): \(result.customers) customers, \(result.events) events in "
            + String(format: "%.3f s (%.2f M customers/s)", seconds, Double(result.customers) / seconds / 1e6)
            + String(format: "; mean time in system %+.2f %% from Erlang C", deviation(result) * 100)
            + "; thresholds \(thresholds.count - failed)/\(thresholds.count) passed; report in \(directory)"
        return RunOutcome(directory: directory, thresholds: thresholds, invariantsHold: true, summaryLine: line)
    }

    static func deviation(_ r: CanaryRun.Result) -> Double { (r.meanTimeInSystem - r.erlangC) / r.erlangC }

    static func evaluate(_ t: Threshold, _ r: CanaryRun.Result, _ c: CanaryRun) -> ThresholdResult {
        let value: Double?
        switch (t.metric, t.statistic) {
        case ("canary.deviation", .value), ("canary.deviation", .maximum): value = abs(deviation(r))
        case ("canary.timeInSystem", .average): value = r.meanTimeInSystem * c.meanService
        case ("canary.wait", .average): value = r.meanWait * c.meanService
        case ("canary.customers", .count), ("canary.customers", .value): value = Double(r.customers)
        default: value = nil
        }
        // A statistic the canary does not keep fails loudly rather than passing on no data.
        return ThresholdResult(threshold: t, value: value, ok: value.map(t.passes) ?? false)
    }

    static func summary(
        _ scenario: Scenario, _ c: CanaryRun, _ r: CanaryRun.Result, _ thresholds: [ThresholdResult],
        _ seconds: Double
    ) -> Summary {
        var s = Summary(kind: .canary, scenario: scenario.name, seed: scenario.seed, clock: .virtual)
        // The canary has no calendar: simulated time runs from 0.
        s.simulated = Summary.SimulatedSpan(
            start: "0s", end: Durations.readable(Double(r.end)), endSeconds: round6(Double(r.end) / 1e6))
        s.wall = Summary.Wall(
            seconds: round6(seconds), eventsPerSecond: seconds > 0 ? (Double(r.events) / seconds).rounded() : 0,
            customersPerSecond: seconds > 0 ? (Double(r.customers) / seconds).rounded() : 0,
            allocator: RunSummary.allocator())
        s.canary = Summary.Canary(
            points: c.points, servers: c.servers, utilization: c.utilization,
            meanServiceSeconds: round6(c.meanService / 1e6), customers: r.customers,
            meanTimeInSystem: round6(r.meanTimeInSystem), meanWait: round6(r.meanWait),
            erlangCMeanTimeInSystem: round6(r.erlangC), deviation: round6(deviation(r)), maxQueue: r.maxQueue)
        s.thresholds = RunSummary.thresholdList(thresholds)
        s.engine = Summary.Engine(events: r.events, windows: r.windows, digest: String(r.digest, radix: 16))
        return s
    }

    static func markdown(
        _ scenario: Scenario, _ c: CanaryRun, _ r: CanaryRun.Result, _ thresholds: [ThresholdResult]
    ) -> [String] {
        var md = ["# \(scenario.name)", ""]
        if !scenario.description.isEmpty { md += [scenario.description, ""] }
        md += [
            "M/M/\(c.servers) × \(c.points) service points, utilisation \(c.utilization), mean service "
                + Durations.readable(c.meanService) + ", seed \(scenario.seed). Times are in mean service times.", "",
            "| measure | measured | Erlang C |", "|---|---:|---:|",
            String(format: "| mean time in system | %.4f | %.4f |", r.meanTimeInSystem, r.erlangC),
            String(format: "| mean wait | %.4f | %.4f |", r.meanWait, r.erlangC - 1),
            String(format: "| deviation | %+.3f %% | |", deviation(r) * 100),
            "| customers | \(r.customers) | |", "| events | \(r.events) | |", "| longest queue | \(r.maxQueue) | |", "",
        ]
        md += RunSummary.thresholdMarkdown(thresholds)
        return md
    }

    static func html(
        _ scenario: Scenario, _ c: CanaryRun, _ r: CanaryRun.Result, _ thresholds: [ThresholdResult]
    ) -> String {
        typealias H = HTMLReport
        var body = ["<h1>\(H.escape(scenario.name))</h1>"]
        if !scenario.description.isEmpty { body.append("<p>\(H.escape(scenario.description))</p>") }
        body.append(H.thresholdTable(thresholds))
        body.append(
            "<h2>M/M/\(c.servers) against Erlang C</h2><p>\(c.points) service points, utilisation \(c.utilization), "
                + "mean service \(H.escape(Durations.readable(c.meanService))); times in mean service times.</p>"
                + "<table><tr><th>measure</th><th>measured</th><th>Erlang C</th></tr>"
                + String(
                    format: "<tr><td>mean time in system</td><td>%.4f</td><td>%.4f</td></tr>", r.meanTimeInSystem,
                    r.erlangC)
                + String(format: "<tr><td>mean wait</td><td>%.4f</td><td>%.4f</td></tr>", r.meanWait, r.erlangC - 1)
                + String(format: "<tr><td>deviation</td><td>%+.3f %%</td><td></td></tr>", deviation(r) * 100)
                + "<tr><td>customers</td><td>\(r.customers)</td><td></td></tr>"
                + "<tr><td>events</td><td>\(r.events)</td><td></td></tr>"
                + "<tr><td>longest queue</td><td>\(r.maxQueue)</td><td></td></tr></table>")
        return H.page(title: scenario.name, body: body)
    }
}
