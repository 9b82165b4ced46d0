import Foundation
import JukiCore
import JukiNetwork
import JukiSimulation

/// Which counter-wait figure ranks the estimated inputs.
public enum SensitivityMetric: String, Sendable, Hashable, Codable, CaseIterable {
    /// The 95th percentile of every counter visitor's wait.
    case p95
    /// The mean wait of every counter visitor.
    case mean
    /// The largest p95 wait of any one counter.
    case worst

    /// What the metric is, for reports.
    public var title: String {
        switch self {
        case .p95: "p95 counter wait"
        case .mean: "mean counter wait"
        case .worst: "worst counter's p95 wait"
        }
    }
}

/// How a sensitivity run moves the inputs and what it ranks them by.
public struct SensitivityOptions: Sendable, Hashable {
    /// Each input is run at (1 − factor) and (1 + factor) times its value.
    public var factor = 0.2
    public var metric = SensitivityMetric.p95
    /// Seeds per case (the scenario's seed, then the next ones): more than one measures the noise.
    public var replications = 1
    /// Only inputs whose name starts with this.
    public var only: String?
    /// Simulations at once; results do not depend on it.
    public var jobs = max(1, ProcessInfo.processInfo.activeProcessorCount)

    public init() {}

    /// The factor from `20%` or `0.2`: between 1 % and 90 % (at 100 % a share or a time would drop to 0).
    public static func parseFactor(_ text: String) -> Result<Double, SensitivityOptionError> {
        let t = text.trimmingCharacters(in: .whitespaces)
        let percent = t.hasSuffix("%")
        guard let number = Double(percent ? String(t.dropLast()) : t), number.isFinite else {
            return .failure(
                SensitivityOptionError("--factor must be a percentage such as 20% or a fraction such as 0.2"))
        }
        let factor = percent ? number / 100 : number
        guard factor >= 0.01 - 1e-12, factor <= 0.9 + 1e-12 else {
            return .failure(SensitivityOptionError("--factor must be between 1% and 90% (0.01 to 0.9), found \(t)"))
        }
        return .success(factor)
    }

    /// The inputs `only` selects, or why it selects none.
    public func selectedInputs() -> Result<[EstimatedInput], SensitivityOptionError> {
        guard let only, !only.isEmpty else { return .success(EstimatedInput.all) }
        let chosen = EstimatedInput.all.filter { $0.name.hasPrefix(only) }
        guard !chosen.isEmpty else {
            let roots = Set(EstimatedInput.all.map { $0.name.split(separator: ".").prefix(2).joined(separator: ".") })
            return .failure(
                SensitivityOptionError(
                    "--only '\(only)' matches no estimated input; prefixes: \(roots.sorted().joined(separator: ", "))"))
        }
        return .success(chosen)
    }
}

/// A sensitivity option out of its range: names the flag and the rule.
public struct SensitivityOptionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Counter waits of one simulated case, in seconds.
public struct CounterWaits: Sendable, Hashable, Codable {
    public var mean: Double
    public var p95: Double
    /// The largest p95 of any one counter, and which counter.
    public var worst: Double
    public var worstCounter: String
    public var served: Int

    /// The figure `metric` ranks by.
    public subscript(metric: SensitivityMetric) -> Double {
        switch metric {
        case .p95: p95
        case .mean: mean
        case .worst: worst
        }
    }

    /// Waits over every counter's visitors together, from a run's report.
    init(_ report: NetworkReport) {
        var all = LatencyHistogram()
        for c in report.counters { all.merge(c.waits) }
        mean = all.mean / 1e6
        p95 = Double(all.percentile(95)) / 1e6
        let worstCounter = report.counters.max {
            ($0.waits.percentile(95), $1.name) < ($1.waits.percentile(95), $0.name)
        }
        worst = Double(worstCounter?.waits.percentile(95) ?? 0) / 1e6
        self.worstCounter = worstCounter?.name ?? ""
        served = report.counters.reduce(0) { $0 + $1.served }
    }

    init(mean: Double, p95: Double, worst: Double, worstCounter: String, served: Int) {
        self.mean = mean
        self.p95 = p95
        self.worst = worst
        self.worstCounter = worstCounter
        self.served = served
    }

    /// The average over replications (the worst counter is the first replication's).
    static func average(_ cases: [CounterWaits]) -> CounterWaits {
        let n = Double(max(cases.count, 1))
        return CounterWaits(
            mean: cases.reduce(0) { $0 + $1.mean } / n, p95: cases.reduce(0) { $0 + $1.p95 } / n,
            worst: cases.reduce(0) { $0 + $1.worst } / n, worstCounter: cases.first?.worstCounter ?? "",
            served: Int((Double(cases.reduce(0) { $0 + $1.served }) / n).rounded()))
    }
}

/// The result of a sensitivity run: what `sensitivity.json` holds.
public struct SensitivityResult: Sendable, Codable {
    public static let currentSchemaVersion = 1

    /// One input moved down and up, with the waits it gave.
    public struct Entry: Sendable, Codable, Hashable {
        public var rank: Int
        public var name: String
        public var reason: String
        public var unit: EstimatedInput.Unit
        /// The input's value in the base case, moved down and moved up (durations as means, in µs).
        public var baseValue: Double
        public var downValue: Double
        public var upValue: Double
        /// Waits with the input moved down and up (averages over the replications).
        public var down: CounterWaits
        public var up: CounterWaits
        /// |metric(up) − metric(down)| in seconds, and its sign: +1 when raising the input lengthens the wait.
        public var swing: Double
        public var direction: Int
        /// With replications: the swing per seed, and whether the swing is within twice the base case's spread.
        public var swingBySeed: [Double]?
        public var withinNoise: Bool?
    }

    /// An input that did not move the counter waits in this scenario, and why.
    public struct NoEffect: Sendable, Codable, Hashable {
        public var name: String
        public var why: String
    }

    /// The base case's spread over the replications' seeds, in seconds.
    public struct Noise: Sendable, Codable, Hashable {
        public var standardDeviation: Double
        public var minimum: Double
        public var maximum: Double
    }

    public var schemaVersion = SensitivityResult.currentSchemaVersion
    public var scenario: String
    public var file: String
    public var seeds: [UInt64]
    public var factor: Double
    public var metric: SensitivityMetric
    public var base: CounterWaits
    public var noise: Noise?
    /// Ranked by swing, largest first; ties by name.
    public var inputs: [Entry]
    public var noEffect: [NoEffect]
    /// Simulated cases, and the wall-clock seconds for all of them (machine-dependent).
    public var simulations: Int
    public var wallSeconds: Double

    /// The JSON of sensitivity.json: sorted keys, pretty-printed.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Plain numbers, texts and containers of them: encoding cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }
}

/// Runs a scenario with each estimated input moved down and up, with the same seeds (common random numbers), and
/// ranks the inputs by how far they move the counter waits.
public enum Sensitivity {
    /// Moves `inputs` (default: the registry, as `options.only` selects); `progress` hears (cases done, cases in
    /// all) from the calling task.
    public static func run(
        _ scenario: Scenario, _ options: SensitivityOptions, inputs chosen: [EstimatedInput]? = nil,
        progress: ((Int, Int) -> Void)? = nil
    ) async throws(ScenarioError) -> SensitivityResult {
        try check(scenario)
        let inputs: [EstimatedInput]
        switch chosen.map({ .success($0) }) ?? options.selectedInputs() {
        case .success(let list): inputs = list
        case .failure(let e):
            throw ScenarioError(.value, file: scenario.file, line: 0, column: 0, path: "only", e.description)
        }
        let clock = WallClock()
        let base = scenario.configuration
        let factors = [1 - options.factor, 1 + options.factor]
        // Inputs whose value cannot move here (a rate the scenario sets to 0) are not simulated at all.
        let movable = inputs.filter { input in factors.contains { !sameModel(input.scaled(base, by: $0), base) } }
        var cases: [(input: Int?, factor: Double)] = [(nil, 1)]
        for k in movable.indices { cases += factors.map { (k, $0) } }
        let seeds = (0..<max(options.replications, 1)).map { scenario.seed &+ UInt64($0) }
        var waits: [[CounterWaits]] = []
        var digests: [[UInt64]] = []
        var done = 0
        for seed in seeds {
            var seeded = scenario
            seeded.setSeed(seed)
            let populations: NetworkPopulations
            do {
                populations = try NetworkPopulations(seeded.configuration).loadingIdentityFiles(
                    headroom: seeded.configuration.growthHeadroom)
            } catch {
                throw ScenarioError(.value, file: scenario.file, line: 0, column: 0, path: error.field, error.message)
            }
            let configurations = cases.map { c in
                c.input.map { movable[$0].scaled(seeded.configuration, by: c.factor) } ?? seeded.configuration
            }
            let outcomes = try await simulate(
                configurations, populations: populations, duration: seeded.duration, jobs: options.jobs,
                file: scenario.file
            ) {
                done += 1
                progress?(done, cases.count * seeds.count)
            }
            if let broken = outcomes.firstIndex(where: { !$0.invariantsHold }) {
                let name = cases[broken].input.map { movable[$0].name } ?? "the base case"
                // The path marks the model error (exit 3), apart from the scenario's own errors (exit 2).
                throw ScenarioError(
                    .value, file: scenario.file, line: 0, column: 0, path: "invariants",
                    "an invariant broke in \(name) at factor \(cases[broken].factor), seed \(seed): run it with "
                        + "`jukisim run` to see the report")
            }
            waits.append(outcomes.map(\.waits))
            digests.append(outcomes.map(\.digest))
        }
        return rank(
            scenario, options, seeds: seeds, inputs: inputs, movable: movable, waits: waits, digests: digests,
            simulations: cases.count * seeds.count, wallSeconds: clock.seconds)
    }

    /// Sensitivity needs one simulated day: no sweep, no canary, no wall clock.
    static func check(_ scenario: Scenario) throws(ScenarioError) {
        let kind =
            scenario.sweep != nil
            ? "a sweep" : scenario.canary != nil ? "a canary" : scenario.load != nil ? "a wall-clock" : nil
        if let kind {
            throw ScenarioError(
                .value, file: scenario.file, line: 0, column: 0, path: "",
                "sensitivity runs a virtual-clock scenario of the municipality; \(scenario.name) is \(kind) scenario")
        }
    }

    /// Whether two configurations model the same day: every part an estimated input can change is equal.
    static func sameModel(_ a: NetworkConfiguration, _ b: NetworkConfiguration) -> Bool {
        a.workload == b.workload && a.service == b.service && a.links == b.links && a.counters == b.counters
    }

    struct Outcome: Sendable {
        var waits: CounterWaits
        var digest: UInt64
        var invariantsHold: Bool
    }

    /// One simulation's end, tagged with its place in the list.
    struct Finished: Sendable {
        var index: Int
        var outcome: Outcome?
        var error: NetworkError?

        init(index: Int, outcome: Outcome) {
            self.index = index
            self.outcome = outcome
        }

        init(index: Int, error: NetworkError) {
            self.index = index
            self.error = error
        }
    }

    /// Simulates every configuration, `jobs` at a time, and returns the outcomes in the configurations' order:
    /// each simulation is deterministic, so the result does not depend on `jobs` or on which finishes first.
    static func simulate(
        _ configurations: [NetworkConfiguration], populations: NetworkPopulations, duration: Int64, jobs: Int,
        file: String, finished: () -> Void
    ) async throws(ScenarioError) -> [Outcome] {
        let finishedRuns = await boundedParallel(count: configurations.count, jobs: jobs, finished: finished) {
            index -> Finished in
            do throws(NetworkError) {
                return Finished(
                    index: index, outcome: try await one(configurations[index], populations, duration: duration))
            } catch {
                return Finished(index: index, error: error)
            }
        }
        var outcomes: [Outcome] = []
        for run in finishedRuns {
            if let error = run.error {
                throw ScenarioError(.value, file: file, line: 0, column: 0, path: error.field, error.message)
            }
            if let o = run.outcome { outcomes.append(o) }
        }
        guard outcomes.count == configurations.count else {
            throw ScenarioError(.value, file: file, line: 0, column: 0, path: "", "a simulation did not finish")
        }
        return outcomes
    }

    static func one(
        _ configuration: NetworkConfiguration, _ populations: NetworkPopulations, duration: Int64
    ) async throws(NetworkError) -> Outcome {
        let simulation = try await NetworkSimulation(configuration, populations: populations)
        let end = simulation.dayStart.microseconds + duration
        await simulation.run(until: .time(SimulatedTime(microseconds: end)))
        let report = await simulation.report()
        return Outcome(waits: CounterWaits(report), digest: report.digest, invariantsHold: report.invariants.holds)
    }

    /// Ranks the inputs from every case's waits: `waits[seed][case]`, case 0 the base, then down and up per
    /// movable input.
    static func rank(
        _ scenario: Scenario, _ options: SensitivityOptions, seeds: [UInt64], inputs: [EstimatedInput],
        movable: [EstimatedInput], waits: [[CounterWaits]], digests: [[UInt64]], simulations: Int, wallSeconds: Double
    ) -> SensitivityResult {
        let metric = options.metric
        let baseCases = waits.map { $0[0] }
        let base = CounterWaits.average(baseCases)
        var noise: SensitivityResult.Noise?
        if seeds.count > 1 {
            let values = baseCases.map { $0[metric] }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
            noise = .init(
                standardDeviation: variance.squareRoot(), minimum: values.min() ?? 0, maximum: values.max() ?? 0)
        }
        var entries: [SensitivityResult.Entry] = []
        var noEffect: [SensitivityResult.NoEffect] = []
        let configuration = scenario.configuration
        for input in inputs where !movable.contains(where: { $0.name == input.name }) {
            let value = input.value(in: configuration)
            noEffect.append(
                .init(
                    name: input.name,
                    why: value == 0
                        ? "is 0 in this scenario"
                        : "±\(SensitivityReport.percent(options.factor)) of "
                            + "\(SensitivityReport.valueText(value, input.unit)) rounds back to the same value"))
        }
        for (k, input) in movable.enumerated() {
            let downs = waits.map { $0[1 + 2 * k] }
            let ups = waits.map { $0[2 + 2 * k] }
            let sameDay = digests.allSatisfy { $0[1 + 2 * k] == $0[0] && $0[2 + 2 * k] == $0[0] }
            if sameDay {
                noEffect.append(
                    .init(
                        name: input.name,
                        why: "the simulated day is identical, event for event"))
                continue
            }
            let down = CounterWaits.average(downs)
            let up = CounterWaits.average(ups)
            if down == base && up == base {
                noEffect.append(.init(name: input.name, why: "the day changes but no counter wait does"))
                continue
            }
            let bySeed = zip(downs, ups).map { $1[metric] - $0[metric] }
            let signed = up[metric] - down[metric]
            let swing = abs(signed)
            entries.append(
                .init(
                    rank: 0, name: input.name, reason: input.reason, unit: input.unit,
                    baseValue: input.value(in: configuration),
                    downValue: input.value(in: input.scaled(configuration, by: 1 - options.factor)),
                    upValue: input.value(in: input.scaled(configuration, by: 1 + options.factor)), down: down, up: up,
                    swing: swing, direction: signed > 0 ? 1 : signed < 0 ? -1 : 0,
                    swingBySeed: seeds.count > 1 ? bySeed : nil,
                    withinNoise: noise.map { swing < 2 * $0.standardDeviation }))
        }
        entries.sort { ($0.swing, $1.name) > ($1.swing, $0.name) }
        for i in entries.indices { entries[i].rank = i + 1 }
        return SensitivityResult(
            scenario: scenario.name, file: scenario.file, seeds: seeds, factor: options.factor, metric: metric,
            base: base, noise: noise, inputs: entries, noEffect: noEffect, simulations: simulations,
            wallSeconds: wallSeconds)
    }
}
