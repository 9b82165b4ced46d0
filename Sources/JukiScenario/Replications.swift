import Foundation
import JukiCore
import JukiNetwork
import JukiSimulation

/// How a scenario is replicated: independent runs of the same day whose random streams come from the root seed.
public struct Replications: Sendable, Hashable {
    /// Runs, in ``range``.
    public var count: Int
    /// The rule for "enough": every headline metric's 95 % half-width within this share of its mean [E: 0.05, the
    /// usual 5 % relative precision of simulation studies].
    public var relativeHalfWidth = 0.05
    /// …or within this many seconds, whichever is larger [E: 60 s; a minute is as close as a planner reads a wait,
    /// and a relative precision of a wait of a few minutes would ask for thousands of runs].
    public var absoluteHalfWidth = 60.0
    /// Simulations at once (0: one per core). The results do not depend on it.
    public var jobs = 0
    /// A multi-day run's warm-up (µs from the start): counter journey times and waits of visitors who arrived
    /// before it are left out of every replication's distributions (0: none).
    public var warmUp: Int64 = 0

    /// Replications a run may ask for.
    public static let range = 2...1_000

    public init(count: Int, relativeHalfWidth: Double = 0.05, absoluteHalfWidth: Double = 60, jobs: Int = 0) {
        self.count = count
        self.relativeHalfWidth = relativeHalfWidth
        self.absoluteHalfWidth = absoluteHalfWidth
        self.jobs = jobs
    }

    /// The simulation seed of replication `k` (from 0): the root seed for the first, so that one is the run without
    /// replications; a mix of the root and `k` for the others (independent streams, the same on every machine).
    public static func seed(root: UInt64, replication k: Int) -> UInt64 {
        k == 0 ? root : Mixing.fmix64(root ^ Mixing.fmix64(UInt64(k) &* 0x9E37_79B9_7F4A_7C15))
    }
}

/// A metric's mean over replications with its 95 % confidence interval (Student's t on the replications' values).
public struct Estimate: Codable, Sendable, Hashable {
    public var mean: Double
    /// Half the interval's width; the interval is [mean − halfWidth, mean + halfWidth].
    public var halfWidth: Double
    public var low: Double
    public var high: Double
    public var standardDeviation: Double
    public var minimum: Double
    public var maximum: Double
    /// Each replication's value, in replication order: kept for the metrics `jukisim compare --significance` pairs
    /// (journey times and counter waits), nil elsewhere.
    public var values: [Double]?

    /// The estimate from one value per replication (at least one); `keepValues` keeps them.
    public init(_ values: [Double], keepValues: Bool = false) {
        self.values = keepValues ? values : nil
        let n = Double(max(values.count, 1))
        let mean = values.reduce(0, +) / n
        let variance =
            values.count > 1 ? values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1) : 0
        let sd = variance.squareRoot()
        let half = values.count > 1 ? Self.t975(degreesOfFreedom: values.count - 1) * sd / n.squareRoot() : 0
        self.mean = round6(mean)
        halfWidth = round6(half)
        low = round6(mean - half)
        high = round6(mean + half)
        standardDeviation = round6(sd)
        minimum = values.min() ?? 0
        maximum = values.max() ?? 0
    }

    /// The half-width over the mean's size; nil when the mean is 0.
    public var relativeHalfWidth: Double? { mean == 0 ? nil : halfWidth / abs(mean) }

    /// The 97.5th percentile of Student's t with `degreesOfFreedom` (a table to 30, then the Cornish–Fisher
    /// expansion, within 0.001 of the exact value).
    public static func t975(degreesOfFreedom df: Int) -> Double {
        let table: [Double] = [
            12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
            2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
        ]
        if df >= 1 && df <= table.count { return table[df - 1] }
        let z = 1.959964
        let v = Double(max(df, 1))
        let z3 = z * z * z
        let z5 = z3 * z * z
        return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v)
    }
}

/// Runs a scenario's replications and writes one report folder: the first replication's report (it is the run
/// without replications) with every metric's mean and confidence interval beside it.
enum ReplicationRunner {
    /// One replication's end.
    struct Run: Sendable {
        var seed: UInt64
        /// The first replication's report (the folder's); the others keep only what the aggregate needs.
        var report: NetworkReport?
        var invariantsHold: Bool
        var arrivals: Int
        var thresholds: [ThresholdResult]
        var summary: Summary
        var wallSeconds: Double
        /// Per counter and 15-minute bin: the mean queue length and the mean wait by arrival (minutes), for the bands.
        var queue: [[Double]] = []
        var wait: [[Double]] = []
    }

    static func run(
        _ scenario: Scenario, _ replications: Replications, directory: String,
        setup: (@Sendable (NetworkSimulation.SetupPhase) -> Void)?, progress: ScenarioRunner.Progress?
    ) async throws(ScenarioError) -> RunOutcome {
        let clock = WallClock()
        // The population is the same in every replication: only the day's random streams differ.
        let populations: NetworkPopulations
        do {
            setup?(
                .population(
                    residents: scenario.configuration.municipality.residents,
                    municipalities: scenario.configuration.otherMunicipalities.count))
            populations = try NetworkPopulations(scenario.configuration).loadingIdentityFiles(
                headroom: scenario.configuration.growthHeadroom)
        } catch {
            throw ScenarioError(.value, file: scenario.file, line: 0, column: 0, path: error.field, error.message)
        }
        let seeds = (0..<replications.count).map { Replications.seed(root: scenario.seed, replication: $0) }
        let jobs = replications.jobs > 0 ? replications.jobs : ProcessInfo.processInfo.activeProcessorCount
        var done = 0
        let runs = try await simulate(scenario, seeds: seeds, populations: populations, jobs: jobs) {
            done += 1
            progress?(SimulatedTime(microseconds: 0), 0, Double(done) / Double(seeds.count))
        }
        let replicated = aggregate(runs, replications)
        guard let first = runs.first, let report = first.report else {
            throw ScenarioError(.value, file: scenario.file, line: 0, column: 0, path: "replications", "no run")
        }
        var summary = first.summary
        summary.replications = replicated
        let thresholds = zip(scenario.thresholds, replicated.thresholds).map { threshold, t in
            ThresholdResult(
                threshold: threshold, value: t.estimate?.mean, ok: t.ok,
                detail: "mean of \(runs.count); passed in \(t.passedIn)")
        }
        summary.thresholds = thresholds.map {
            Summary.ThresholdOutcome(
                metric: $0.threshold.metric, expression: $0.threshold.expression, ok: $0.ok,
                value: $0.value.map(round6))
        }
        try ScenarioRunner.write(directory: directory) {
            try summary.json().write(to: URL(fileURLWithPath: directory + "/summary.json"))
            let md =
                RunSummary.markdown(scenario, report, first.thresholds) + "\n"
                + markdown(replicated, scenario: scenario).joined(separator: "\n")
            try md.write(toFile: directory + "/report.md", atomically: true, encoding: .utf8)
            try RunSummary.csv(report).write(toFile: directory + "/latency.csv", atomically: true, encoding: .utf8)
            try HTMLReport.render(
                scenario, report, first.thresholds, preface: HTMLReport.replicationSection(replicated),
                bands: bands(runs)
            ).write(
                toFile: directory + "/report.html", atomically: true, encoding: .utf8)
        }
        let holds = runs.allSatisfy(\.invariantsHold)
        let failed = thresholds.filter { !$0.ok }.count
        let seconds = clock.seconds
        let line =
            "\(scenario.name): \(runs.count) replications, "
            + "\(runs.reduce(0) { $0 + $1.arrivals }) journeys in "
            + String(format: "%.2f s", seconds)
            + "; thresholds (on the means) \(thresholds.count - failed)/\(thresholds.count) passed; invariants "
            + (holds ? "hold" : "BROKEN") + "; report in \(directory)"
        let table = terminal(replicated, scenario: scenario, jobs: jobs, seconds: seconds, directory: directory)
        return RunOutcome(
            directory: directory, thresholds: thresholds, invariantsHold: holds, summaryLine: line, table: table)
    }

    /// Simulates every replication, `jobs` at a time, and returns them in seed order: each simulation is
    /// deterministic, so the result does not depend on `jobs` or on which finishes first.
    static func simulate(
        _ scenario: Scenario, seeds: [UInt64], populations: NetworkPopulations, jobs: Int,
        finished: () -> Void
    ) async throws(ScenarioError) -> [Run] {
        let results = await boundedParallel(count: seeds.count, jobs: jobs, finished: finished) {
            index -> Result<Run, NetworkError> in
            do throws(NetworkError) {
                return .success(
                    try await one(scenario, seed: seeds[index], populations: populations, keepReport: index == 0))
            } catch {
                return .failure(error)
            }
        }
        var runs: [Run] = []
        for result in results {
            switch result {
            case .success(let run): runs.append(run)
            case .failure(let error):
                throw ScenarioError(.value, file: scenario.file, line: 0, column: 0, path: error.field, error.message)
            }
        }
        return runs
    }

    /// One replication: the scenario with `seed` for the day's random streams (not the population's).
    static func one(
        _ scenario: Scenario, seed: UInt64, populations: NetworkPopulations, keepReport: Bool
    ) async throws(NetworkError) -> Run {
        var configuration = scenario.configuration
        configuration.seed = seed
        // Replications write no traces: their reports need the spans' histograms and hourly counts only.
        configuration.service.spanSample = 0
        let simulation = try await NetworkSimulation(configuration, populations: populations)
        let clock = WallClock()
        let end = simulation.dayStart.microseconds + scenario.duration
        await simulation.run(until: .time(SimulatedTime(microseconds: end)))
        let seconds = clock.seconds
        let report = await simulation.report()
        let results = scenario.thresholds.map { ThresholdMetrics.evaluate($0, report) }
        var seeded = scenario
        seeded.seed = seed
        let summary = RunSummary.summary(seeded, report, thresholds: results, wallSeconds: seconds)
        return Run(
            seed: seed, report: keepReport ? report : nil, invariantsHold: report.invariants.holds,
            arrivals: report.invariants.arrivals, thresholds: results, summary: summary, wallSeconds: seconds,
            queue: report.counters.map { c in c.queueLength.area.indices.map { c.queueLength.mean($0) } },
            wait: report.counters.map { c in
                c.waitsByArrival.count.indices.map { HTMLReport.minutes(c.waitsByArrival.mean($0)) }
            })
    }

    /// The counters' timelines over the replications: per counter and bin, the mean and 95 % interval of the
    /// queue length and of the wait by arrival (a bin a replication did not reach counts as 0 there).
    static func bands(_ runs: [Run]) -> HTMLReport.CounterBands {
        func estimates(_ series: [[[Double]]]) -> [[Estimate]] {
            let counters = series.map(\.count).max() ?? 0
            return (0..<counters).map { k in
                let bins = series.map { k < $0.count ? $0[k].count : 0 }.max() ?? 0
                return (0..<bins).map { b in
                    Estimate(series.map { k < $0.count && b < $0[k].count ? $0[k][b] : 0 })
                }
            }
        }
        return HTMLReport.CounterBands(
            replications: runs.count, queue: estimates(runs.map(\.queue)), wait: estimates(runs.map(\.wait)))
    }

    /// Every numeric metric of the replications' summaries (the wall clock's apart), keyed by its JSON path.
    static func metrics(_ summary: Summary) -> [String: Double] {
        var out: [String: Double] = [:]
        guard let json = try? JSONDecoder().decode(JSONTree.self, from: summary.json()) else { return out }
        // Booleans, text and null are not metrics.
        func walk(_ value: JSONTree, _ path: String) {
            switch value {
            case .object(let d):
                for (k, v) in d where !(path.isEmpty && excluded.contains(k)) {
                    walk(v, path.isEmpty ? k : path + "." + k)
                }
            case .array(let a):
                for (i, v) in a.enumerated() { walk(v, path + "[\(i)]") }
            case .int, .double:
                out[path] = value.number
            case .string, .bool, .null:
                break
            }
        }
        walk(json, "")
        return out
    }

    /// Top-level keys that are not the model's results: the wall clock, the seed, the schema.
    static let excluded: Set<String> = ["wall", "seed", "schemaVersion", "replications"]

    /// Whether `compare --significance` pairs a metric replication by replication, so its values are kept: the
    /// mean and percentiles (to p99) of journey times and counter waits.
    static func isPaired(_ path: String) -> Bool {
        guard
            path.hasPrefix("journeys.") && path.contains(".latencySeconds.")
                || path.hasPrefix("counters.") && path.contains(".waitSeconds.")
        else { return false }
        return [".mean", ".p50", ".p90", ".p95", ".p99"].contains { path.hasSuffix($0) }
    }

    /// Whether a metric is one the "enough replications" rule looks at: a counter flow's p95 journey time (with 30
    /// completions or more on average) or a counter's mean wait (a minute or more): figures a planner reads, whose
    /// mean is far enough from 0 for a relative precision to mean something.
    static func isHeadline(_ path: String, _ metrics: [String: Estimate]) -> Bool {
        if path.hasPrefix("journeys."), path.hasSuffix(".latencySeconds.p95") {
            let count = path.replacingOccurrences(of: ".latencySeconds.p95", with: ".completed")
            return (metrics[count]?.mean ?? 0) >= 30
        }
        if path.hasPrefix("counters."), path.hasSuffix(".waitSeconds.mean") {
            return (metrics[path]?.mean ?? 0) >= 60
        }
        return false
    }

    /// The replications' estimates, the thresholds checked on the means, and whether there were enough.
    static func aggregate(_ runs: [Run], _ replications: Replications) -> Summary.Replicated {
        let perRun = runs.map { metrics($0.summary) }
        // Metrics every replication has (a flow with no journeys in one run has fewer keys there).
        var paths = Set(perRun.first?.keys ?? [:].keys)
        for m in perRun.dropFirst() { paths.formIntersection(m.keys) }
        var estimates: [String: Estimate] = [:]
        for p in paths { estimates[p] = Estimate(perRun.compactMap { $0[p] }, keepValues: isPaired(p)) }
        let headline = estimates.keys.filter { isHeadline($0, estimates) }.sorted()
        // Each headline metric's half-width over what the rule allows it (1 or less: precise enough).
        var widest: (path: String, ratio: Double)?
        for p in headline {
            guard let e = estimates[p] else { continue }
            let allowed = max(replications.relativeHalfWidth * abs(e.mean), replications.absoluteHalfWidth, 1e-9)
            let ratio = e.halfWidth / allowed
            if widest.map({ ratio > $0.ratio }) ?? true { widest = (p, ratio) }
        }
        let needed = widest.map { w in Int((Double(runs.count) * w.ratio * w.ratio).rounded(.up)) }
        let thresholds = runs.first?.thresholds.indices.map { i -> Summary.ReplicatedThreshold in
            let threshold = runs[0].thresholds[i].threshold
            let values = runs.compactMap { $0.thresholds[i].value }
            let estimate = values.count == runs.count ? Estimate(values) : nil
            return Summary.ReplicatedThreshold(
                metric: threshold.metric, expression: threshold.expression,
                ok: estimate.map { threshold.passes($0.mean) } ?? false,
                passedIn: runs.filter { $0.thresholds[i].ok }.count, estimate: estimate)
        }
        return Summary.Replicated(
            count: runs.count, seeds: runs.map(\.seed), relativeHalfWidthTarget: replications.relativeHalfWidth,
            absoluteHalfWidthSeconds: replications.absoluteHalfWidth, headline: headline, widest: widest?.path,
            widestRelativeHalfWidth: widest.flatMap { estimates[$0.path]?.relativeHalfWidth }.map(round6),
            enough: (widest?.ratio ?? 0) <= 1,
            replicationsNeeded: max(needed ?? runs.count, runs.count), metrics: estimates,
            thresholds: thresholds ?? [],
            warmUpSeconds: replications.warmUp > 0 ? Double(replications.warmUp) / 1e6 : nil)
    }

    /// "12.3 min [11.8, 12.9]": a duration estimate as reports print it.
    static func duration(_ e: Estimate) -> String {
        "\(Durations.readable(e.mean * 1e6)) [\(Durations.readable(e.low * 1e6)), \(Durations.readable(e.high * 1e6))]"
    }

    /// The report.md section: the headline metrics with their intervals, the rule's verdict, the thresholds.
    static func markdown(_ r: Summary.Replicated, scenario: Scenario) -> [String] {
        var md = [
            "## Replications", "",
            "\(r.count) replications (seeds \(r.seeds.map(String.init).joined(separator: ", "))); the tables above are "
                + "the first's, which is the run without replications. Means with 95 % confidence intervals "
                + "(Student's t); every metric's is in summary.json `replications.metrics`.",
            "",
            "| metric | mean [95 % CI] | relative half-width |",
            "|---|---|---|",
        ]
        for p in r.headline {
            guard let e = r.metrics[p] else { continue }
            md.append(
                "| \(p) | \(duration(e)) | "
                    + (e.relativeHalfWidth.map { String(format: "%.1f %%", $0 * 100) } ?? "–") + " |")
        }
        md.append("")
        md.append(verdict(r))
        if !r.thresholds.isEmpty {
            md += ["", "| threshold | mean [95 % CI] | on the mean | passed in |", "|---|---|---|---|"]
            for (threshold, t) in zip(scenario.thresholds, r.thresholds) {
                let value =
                    t.estimate.map { e in
                        threshold.boundIsDuration
                            ? "\(Durations.readable(e.mean)) [\(Durations.readable(e.low)), \(Durations.readable(e.high))]"
                            : String(format: "%g [%g, %g]", e.mean, e.low, e.high)
                    } ?? "no data"
                md.append(
                    "| \(t.metric) \(t.expression) | \(value) | \(t.ok ? "✓" : "✗") | "
                        + "\(t.passedIn) of \(r.count) |")
            }
        }
        md.append("")
        return md
    }

    /// Whether there were enough replications, in one sentence.
    static func verdict(_ r: Summary.Replicated) -> String {
        let target =
            String(format: "%.1f %% of the mean", r.relativeHalfWidthTarget * 100) + " or "
            + Durations.readable(r.absoluteHalfWidthSeconds * 1e6)
        guard let w = r.widest, let rel = r.widestRelativeHalfWidth else {
            return "No headline metric (a counter flow's p95 with 30 completions, a counter's mean wait of a minute) "
                + "to judge the number of replications by."
        }
        return r.enough
            ? "Enough replications: every headline metric's half-width is within \(target) (widest: "
                + "\(w), \(String(format: "%.1f %%", rel * 100)))."
            : "Not enough replications for a half-width within \(target): \(w) has "
                + "\(String(format: "%.1f %%", rel * 100)) of its mean; about \(r.replicationsNeeded) replications "
                + "would do."
    }

    /// The terminal's table: the headline metrics, the verdict, the thresholds on the means.
    static func terminal(
        _ r: Summary.Replicated, scenario: Scenario, jobs: Int, seconds: Double, directory: String
    ) -> [String] {
        var lines = [
            "\(scenario.name): \(r.count) replications (root seed \(scenario.seed), \(jobs) at a time)", "",
            "  metric                                              mean [95 % CI]",
        ]
        for p in r.headline {
            guard let e = r.metrics[p] else { continue }
            let name = p.count > 50 ? String(p.prefix(49)) + "…" : p
            lines.append("  " + name.padding(toLength: 52, withPad: " ", startingAt: 0) + duration(e))
        }
        lines += ["", "  " + verdict(r)]
        if !r.thresholds.isEmpty {
            lines += ["", "  thresholds (on the means):"]
            for (threshold, t) in zip(scenario.thresholds, r.thresholds) {
                let mean = t.estimate.map { threshold.boundIsDuration ? Durations.readable($0.mean) : "\($0.mean)" }
                lines.append(
                    "    \(t.ok ? "✓" : "✗") \(t.metric) \(t.expression): \(mean ?? "no data") "
                        + "(passed in \(t.passedIn) of \(r.count))")
            }
        }
        lines += ["", String(format: "  time: %.2f s in all", seconds), "  report: \(directory)"]
        return lines
    }
}
