import Foundation
import JukiCore
import JukiNetwork
import JukiSimulation

/// `--find-capacity`: raise the rate step by step until a latency percentile passes a limit.
public struct CapacitySearch: Sendable, Hashable {
    /// The percentile of the corrected latency that must stay within `limit` µs.
    public var percentile: Double = 99
    public var limit: Int64 = 1_000
    /// Seconds per step, the factor between steps, and the most steps before giving up.
    public var stepSeconds: Double = 2
    public var growth: Double = 1.5
    public var maxSteps = 16

    public init() {}
}

/// Runs `clock: wall` scenarios: the same actors in real time, with the reports of virtual time plus the load
/// block (intended, issued, late, dropped, corrected and uncorrected latency, and the generator's own health).
enum LoadRunner {
    static func build(_ scenario: Scenario) async throws(ScenarioError) -> NetworkSimulation {
        do {
            return try await NetworkSimulation(scenario.configuration)
        } catch {
            throw ScenarioError(.value, file: scenario.file, line: 0, column: 0, path: error.field, error.message)
        }
    }

    /// The office's opening on the scenario's day: load runs start there in simulated time.
    static func base(_ simulation: NetworkSimulation) -> Int64 {
        simulation.dayStart.microseconds + BusinessCalendar.standard.opening
    }

    static func run(
        _ scenario: Scenario, _ profile: LoadProfile, directory: String, live: LiveMetrics? = nil
    ) async throws(ScenarioError) -> RunOutcome {
        let simulation = try await build(scenario)
        let driver = LoadDriver(simulation: simulation, profile: profile, seed: scenario.seed)
        var observe: LoadDriver.Observer?
        if let live {
            let (name, seed, mix) = (scenario.name, scenario.seed, driver.mix)
            observe = { @Sendable (load: LoadResult, journeys: [Flow: JourneyStats]) in
                // The figures so far, in the names and buckets of metrics.prom (journeys without their hops).
                var s = Summary(kind: .load, scenario: name, seed: seed, clock: .wall)
                s.journeys = RunSummary.journeys(journeys)
                s.load = block(load, mix: mix)
                live.publish(PrometheusExposition.text(s, finished: false), finished: false)
            }
        }
        let load = await driver.run(base: base(simulation), observe: observe)
        let report = await simulation.report()
        let thresholds = scenario.thresholds.map { evaluate($0, load, report) }
        var summary = RunSummary.summary(scenario, report, thresholds: thresholds, wallSeconds: load.wallSeconds)
        summary.kind = .load
        summary.clock = .wall
        summary.load = block(load, mix: driver.mix)
        summary.wall?.journeysPerSecond = load.achievedRate.rounded()
        try ScenarioRunner.write(directory: directory) {
            try summary.json().write(to: URL(fileURLWithPath: directory + "/summary.json"))
            let md = RunSummary.markdown(scenario, report, thresholds)
            try (markdown(load) + "\n" + md).write(toFile: directory + "/report.md", atomically: true, encoding: .utf8)
            try RunSummary.csv(report).write(toFile: directory + "/latency.csv", atomically: true, encoding: .utf8)
            try HTMLReport.render(scenario, report, thresholds, preface: html(load)).write(
                toFile: directory + "/report.html", atomically: true, encoding: .utf8)
        }
        let failed = thresholds.filter { !$0.ok }.count
        var line =
            "\(scenario.name): \(load.issued) journeys issued in " + String(format: "%.2f s", load.wallSeconds)
            + String(
                format: " (%.0f/s of %.0f/s intended); latency p99 %@ corrected, %@ uncorrected", load.achievedRate,
                load.targetRate, Durations.readable(Double(load.corrected.percentile(99))),
                Durations.readable(Double(load.uncorrected.percentile(99))))
            + "; thresholds \(thresholds.count - failed)/\(thresholds.count) passed; report in \(directory)"
        var results = thresholds
        if load.shortfall {
            line +=
                String(
                    format: "\nFAILED: the generator issued %.1f %% of the intended arrivals (%d of %d; %d dropped)",
                    load.achievedShare * 100, load.issued, load.intended, load.dropped)
                + (load.saturated ? "; the generator itself was saturated" : "")
            results.append(shortfallResult(load))
        }
        return RunOutcome(
            directory: directory, thresholds: results, invariantsHold: report.invariants.holds, summaryLine: line)
    }

    /// The missed-rate check as a failed threshold, so the run exits 1.
    static func shortfallResult(_ load: LoadResult) -> ThresholdResult {
        let expression = String(format: "value>=%g", load.profile.minimumAchieved)
        let t =
            (try? Threshold.parse(expression, metric: "load.achievedShare").get())
            ?? Threshold(
                metric: "load.achievedShare", statistic: .value, comparison: .greaterOrEqual,
                bound: load.profile.minimumAchieved, boundIsDuration: false, expression: expression)
        return ThresholdResult(threshold: t, value: load.achievedShare, ok: false)
    }

    /// Load metrics (`load.*`) from the load result; every other metric from the network report.
    static func evaluate(_ t: Threshold, _ load: LoadResult, _ report: NetworkReport) -> ThresholdResult {
        func stat(_ h: LatencyHistogram) -> Double? {
            switch t.statistic {
            case .percentile(let p): h.count == 0 ? nil : Double(h.percentile(p))
            case .average: h.count == 0 ? nil : h.mean
            case .maximum: h.count == 0 ? nil : Double(h.maximum)
            case .minimum: h.count == 0 ? nil : Double(h.minimum)
            case .count, .rate, .value: Double(h.count)
            }
        }
        let value: Double?
        switch t.metric {
        case "load.latency": value = stat(load.corrected)
        case "load.uncorrected": value = stat(load.uncorrected)
        case "load.schedulerLag": value = stat(load.schedulerLag)
        case "load.achievedRate": value = load.achievedRate
        case "load.achievedShare": value = load.achievedShare
        case "load.dropped": value = Double(load.dropped)
        case "load.late": value = Double(load.late)
        default: return ThresholdMetrics.evaluate(t, report)
        }
        return ThresholdResult(threshold: t, value: value, ok: value.map(t.passes) ?? false)
    }

    static func block(_ load: LoadResult, mix: [(Flow, Double)]) -> Summary.Load {
        var shares: [String: Double] = [:]
        for (flow, share) in mix { shares[flow.description] = round6(share) }
        return Summary.Load(
            profile: Summary.LoadProfileFigures(
                startRate: load.profile.startRate,
                stages: load.profile.stages.map { Summary.Stage(seconds: $0.seconds, target: $0.target) },
                delayScale: load.profile.delayScale, maxLatenessSeconds: Double(load.profile.maxLateness) / 1e6),
            mix: shares, intended: load.intended, issued: load.issued, late: load.late, dropped: load.dropped,
            finished: load.finished, inProgress: load.inProgress, targetRate: load.targetRate.rounded(),
            achievedRate: load.achievedRate.rounded(), achievedShare: round6(load.achievedShare),
            latencySeconds: Distribution(load.corrected).seconds,
            uncorrectedLatencySeconds: Distribution(load.uncorrected).seconds,
            generator: Summary.Generator(
                schedulerLagSeconds: Distribution(load.schedulerLag).seconds, idleShare: round6(load.idleShare),
                cpuShare: round6(load.cpuShare), cores: load.cores, saturated: load.saturated))
    }

    static func markdown(_ load: LoadResult) -> String {
        let c = load.corrected
        let u = load.uncorrected
        func ms(_ v: Int64) -> String { String(format: "%.3f ms", Double(v) / 1e3) }
        var md = [
            "## Load (wall clock)", "",
            String(
                format: "Intended %.0f journeys/s for %.1f s; issued %d of %d (%.1f %%), %d late (> 1 ms), %d dropped.",
                load.targetRate, load.profile.seconds, load.issued, load.intended, load.achievedShare * 100, load.late,
                load.dropped),
            "", "| latency | p50 | p90 | p99 | p99.9 | max |", "|---|---:|---:|---:|---:|---:|",
            "| corrected (from the intended start) | "
                + [50.0, 90, 99, 99.9].map { ms(c.percentile($0)) }.joined(
                    separator: " | ") + " | \(ms(c.maximum)) |",
            "| uncorrected (from the actual issue) | "
                + [50.0, 90, 99, 99.9].map { ms(u.percentile($0)) }.joined(
                    separator: " | ") + " | \(ms(u.maximum)) |",
            "",
            String(
                format:
                    "Generator: scheduling lag p99 %@, idle %.1f %% of the run, process CPU %.0f %% of %d cores%@.",
                ms(load.schedulerLag.percentile(99)), load.idleShare * 100, load.cpuShare * 100, load.cores,
                load.saturated ? "; **saturated** (it never idled and issued late)" : ""),
            "",
        ]
        if load.shortfall {
            md.append(
                String(
                    format: "**FAILED**: only %.1f %% of the intended arrivals were issued (minimum %.0f %%).",
                    load.achievedShare * 100, load.profile.minimumAchieved * 100))
            md.append("")
        }
        return md.joined(separator: "\n")
    }

    static func html(_ load: LoadResult) -> String {
        typealias H = HTMLReport
        let c = load.corrected
        let u = load.uncorrected
        func ms(_ v: Int64) -> String { String(format: "%.3f", Double(v) / 1e3) }
        var rows = [
            "<h2>Load (wall clock)</h2>",
            String(
                format:
                    "<p>Intended %.0f journeys/s for %.1f s; issued %d of %d (%.1f %%), %d late (&gt; 1 ms), %d dropped. "
                    + "Latencies are real processing times of the in-memory system; corrected ones count from each "
                    + "journey's intended start (coordinated omission, as wrk2 does).</p>", load.targetRate,
                load.profile.seconds, load.issued, load.intended, load.achievedShare * 100, load.late, load.dropped),
            "<table><tr><th>latency, ms</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr>",
            "<tr><td>corrected</td>" + [50.0, 90, 99, 99.9].map { "<td>\(ms(c.percentile($0)))</td>" }.joined()
                + "<td>\(ms(c.maximum))</td></tr>",
            "<tr><td>uncorrected</td>" + [50.0, 90, 99, 99.9].map { "<td>\(ms(u.percentile($0)))</td>" }.joined()
                + "<td>\(ms(u.maximum))</td></tr></table>",
            String(
                format:
                    "<p>Generator: scheduling lag p99 %@ ms, idle %.1f %% of the run, process CPU %.0f %% of %d cores%@.</p>",
                ms(load.schedulerLag.percentile(99)), load.idleShare * 100, load.cpuShare * 100, load.cores,
                load.saturated ? "; <span class=\"fail\">saturated</span>" : ""),
        ]
        if load.shortfall {
            rows.append(
                String(
                    format: "<p class=\"fail\">FAILED: only %.1f %% of the intended arrivals were issued.</p>",
                    load.achievedShare * 100))
        }
        return rows.joined(separator: "\n")
    }
}

extension LoadRunner {
    /// One step of a capacity search.
    struct Step {
        var rate: Double
        var result: LoadResult
        var pass: Bool
    }

    /// Ramps the rate (×`growth` while steps pass, then halving the gap) until the highest rate whose corrected
    /// percentile stays within the limit, with every arrival issued, is known to within 10 %.
    static func findCapacity(
        _ scenario: Scenario, _ profile: LoadProfile, _ search: CapacitySearch, directory: String,
        progress: ((String) -> Void)? = nil
    ) async throws(ScenarioError) -> RunOutcome {
        var steps: [Step] = []
        var low: Double?
        var high: Double?
        var rate = max(profile.startRate, 1)
        steps: for _ in 0..<search.maxSteps {
            var stepProfile = LoadProfile.constant(rate: rate, seconds: search.stepSeconds)
            stepProfile.delayScale = profile.delayScale
            stepProfile.maxLateness = profile.maxLateness
            stepProfile.minimumAchieved = profile.minimumAchieved
            let simulation = try await build(scenario)
            let driver = LoadDriver(simulation: simulation, profile: stepProfile, seed: scenario.seed)
            let result = await driver.run(base: base(simulation))
            let pass =
                !result.shortfall && result.dropped == 0
                && result.corrected.percentile(search.percentile) <= search.limit
            steps.append(Step(rate: rate, result: result, pass: pass))
            progress?(
                String(
                    format: "  %9.0f journeys/s: p%g %@ corrected → %@", rate, search.percentile,
                    Durations.readable(Double(result.corrected.percentile(search.percentile))), pass ? "pass" : "fail"))
            if pass { low = max(low ?? 0, rate) } else { high = min(high ?? .infinity, rate) }
            switch (low, high) {
            case (let l?, let h?):
                if h / l < 1.1 { break steps }
                rate = (l + h) / 2
            case (let l?, nil):
                rate = l * search.growth
            case (nil, let h?):
                if h <= 1 { break steps }
                rate = h / search.growth
            case (nil, nil):
                break steps
            }
        }
        let best = low
        var summary = Summary(kind: .capacity, scenario: scenario.name, seed: scenario.seed, clock: .wall)
        summary.capacity = Summary.Capacity(
            percentile: search.percentile, limitSeconds: Double(search.limit) / 1e6, stepSeconds: search.stepSeconds,
            highestSustainableRate: best.map { $0.rounded() },
            steps: steps.map { s in
                Summary.CapacityStep(
                    rate: s.rate.rounded(), achievedRate: s.result.achievedRate.rounded(), pass: s.pass,
                    dropped: s.result.dropped, late: s.result.late,
                    latencySeconds: Distribution(s.result.corrected).seconds,
                    uncorrectedLatencySeconds: Distribution(s.result.uncorrected).seconds,
                    generator: Summary.StepGenerator(
                        schedulerLagP99Seconds: round6(Double(s.result.schedulerLag.percentile(99)) / 1e6),
                        cpuShare: round6(s.result.cpuShare), saturated: s.result.saturated))
            })
        let label = String(format: "p%g", search.percentile)
        var md = [
            "# \(scenario.name): capacity search", "",
            "Highest sustainable rate: **" + (best.map { String(format: "%.0f journeys/s", $0) } ?? "none found")
                + "** (corrected \(label) ≤ \(Durations.readable(Double(search.limit))), every arrival issued; "
                + String(format: "%.0f s per step).", search.stepSeconds),
            "",
            "| rate /s | achieved /s | \(label) corrected | \(label) uncorrected | dropped | generator lag p99 | result |",
            "|---:|---:|---:|---:|---:|---:|---|",
        ]
        for s in steps {
            md.append(
                String(
                    format: "| %.0f | %.0f | %@ | %@ | %d | %@ | %@ |", s.rate, s.result.achievedRate,
                    Durations.readable(Double(s.result.corrected.percentile(search.percentile))),
                    Durations.readable(Double(s.result.uncorrected.percentile(search.percentile))), s.result.dropped,
                    Durations.readable(Double(s.result.schedulerLag.percentile(99))), s.pass ? "pass" : "fail"))
        }
        let ordered = steps.sorted { $0.rate < $1.rate }
        let chart = SweepReport.lineChart(
            title: "Corrected and uncorrected \(label) latency against the offered rate, in ms",
            values: ordered.map { String(format: "%.0f", $0.rate) }, xLabel: "journeys per second", unit: "ms",
            series: [
                ("corrected \(label)", ordered.map { Double($0.result.corrected.percentile(search.percentile)) / 1e3 }),
                (
                    "uncorrected \(label)",
                    ordered.map { Double($0.result.uncorrected.percentile(search.percentile)) / 1e3 }
                ),
                ("limit", ordered.map { _ in Double(search.limit) / 1e3 }),
            ])
        let html = HTMLReport.page(
            title: "\(scenario.name) capacity",
            body: [
                "<h1>\(HTMLReport.escape(scenario.name)): capacity search</h1>",
                "<p>" + HTMLReport.escape(md[2]).replacingOccurrences(of: "**", with: "") + "</p>", chart,
            ])
        try ScenarioRunner.write(directory: directory) {
            try summary.json().write(to: URL(fileURLWithPath: directory + "/summary.json"))
            try md.joined(separator: "\n").appending("\n").write(
                toFile: directory + "/report.md", atomically: true, encoding: .utf8)
            try html.write(toFile: directory + "/report.html", atomically: true, encoding: .utf8)
        }
        let line =
            "\(scenario.name): highest sustainable rate "
            + (best.map { String(format: "%.0f journeys/s", $0) } ?? "not found")
            + " (corrected \(label) ≤ \(Durations.readable(Double(search.limit)))) after \(steps.count) steps; report in \(directory)"
        let verdict = ThresholdResult(
            threshold: Threshold(
                metric: "load.capacity", statistic: .value, comparison: .greater, bound: 0, boundIsDuration: false,
                expression: "value>0"), value: best ?? 0, ok: best != nil)
        return RunOutcome(directory: directory, thresholds: [verdict], invariantsHold: true, summaryLine: line)
    }
}
