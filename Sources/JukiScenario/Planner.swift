import Foundation
import JukiCore
import JukiNetwork
import JukiSimulation

/// How `jukisim plan` works: the target, the intervals, and the replications it tunes and verifies on.
public struct PlanOptions: Sendable, Hashable {
    public var target: PlanTarget
    /// The intervals' width, µs (1 hour by default).
    public var interval: Int64 = 3_600_000_000
    /// Replications the plan is tuned on (the same seeds for every candidate: common random numbers).
    public var tuning = 4
    /// Replications with fresh seeds the final plan is checked on.
    public var verification = 20
    /// Simulations at once (0: one per core); the results do not depend on it.
    public var jobs = 0
    /// The most clerks a cell may get.
    public var maximumClerks = 200
    /// The chance that every counter meets the target over a day: each counter is staffed so that a day's figure
    /// (the share past the bound, or the mean wait) stays within the limit with probability 1 − (1 − reliability)/m
    /// for m counters (Bonferroni), judged on the tuning days' mean and spread.
    public var reliability = 0.95
    /// Shift patterns to roster the plan with (none: the plan is per interval only).
    public var shifts: [ShiftPattern] = []
    /// Which servers' requests a worker-pool plan judges: those that arrived in office hours, or all of them.
    public var serverHours = ServerHours.office

    public init(target: PlanTarget) { self.target = target }

    /// The ranges the options may take.
    public static let tuningRange = 1...100
    public static let verificationRange = 1...1_000
    public static let intervalRange: ClosedRange<Int64> = 900_000_000...(9 * 3_600_000_000)
}

/// Which requests a worker-pool plan judges.
public enum ServerHours: String, Sendable, Hashable, CaseIterable {
    /// Those that arrived on a business day between opening and closing: what the counters' visitors wait behind.
    case office
    /// Every request, the night's batch jobs too.
    case all
}

/// A staffing plan's simulated waits over some replications.
public struct PlanEvaluation: Sendable, Hashable {
    /// Per cell: the target's statistic over the waits of the cell's visitors in every replication (µs), and how
    /// many visitors that was.
    public var pooled: [Int64]
    public var visitors: [Int]
    /// Per cell: what the target is judged on, with its upper 97.5 % confidence bound over the replications: the
    /// share of visitors who waited past the bound (a quantile target), or the mean wait in µs (a mean target).
    public var judged: [Double]
    public var upper: [Double]
    /// Per cell: whether the upper bound is within the target's limit (1 − q, or the bound).
    public var meets: [Bool]
    /// Per replication and counter: the judged figure over the counter's day; per counter, its prediction bound for
    /// another day at the planned reliability, and whether that is within the limit.
    public var dayJudged: [[Double]]
    public var dayBound: [Double]
    public var dayMeets: [Bool]
    /// Per replication and counter: the statistic over the counter's whole run (µs).
    public var perCounter: [[Int64]]
    /// Per replication and cell: the statistic over the cell's visitors (µs; 0 when it had none).
    public var perCell: [[Int64]]
    /// Per counter: clerk time per visitor served (s), clerk-hours at the desks, visitors who left or balked (means).
    public var serviceSeconds: [Double]
    public var clerkHours: [Double]
    public var abandoned: [Double]
    public var balked: [Double]
    /// Visitors per cell, mean over the replications.
    public var arrivals: [Double]

    public var replications: Int { perCounter.count }

    /// The demand this run measured.
    public var demand: PlanDemand { PlanDemand(arrivals: arrivals, serviceSeconds: serviceSeconds) }

    /// Cells of the target's counters, open, whose pooled statistic misses the target.
    func failing(_ grid: PlanGrid, _ target: PlanTarget) -> [Int] {
        var cells: [Int] = []
        for k in grid.counters.indices where target.covers(grid.counters[k]) {
            // A counter whose intervals pass but whose day does not: its interval with the least slack.
            if !dayMeets[k], let worst = grid.cells(of: k).filter({ meets[$0] }).max(by: { upper[$0] < upper[$1] }),
                grid.cells(of: k).allSatisfy({ meets[$0] })
            {
                cells.append(worst)
            }
            for d in grid.days.indices where grid.isOpen(k, d) {
                for i in grid.intervals.indices where !meets[grid.cell(k, d, i)] {
                    cells.append(grid.cell(k, d, i))
                }
            }
        }
        return cells
    }

    /// Replications in which every covered counter met the target over its run.
    func countersMet(_ grid: PlanGrid, _ target: PlanTarget) -> Int {
        perCounter.filter { row in
            grid.counters.indices.allSatisfy { !target.covers(grid.counters[$0]) || target.meets(row[$0]) }
        }.count
    }

    /// Replications in which counter `k` met the target over its run.
    func met(counter k: Int, _ target: PlanTarget) -> Int { perCounter.filter { target.meets($0[k]) }.count }

    /// Replications in which every covered, open cell with visitors met the target.
    func cellsMet(_ grid: PlanGrid, _ target: PlanTarget) -> Int {
        perCell.filter { row in
            grid.counters.indices.allSatisfy { k in
                !target.covers(grid.counters[k])
                    || grid.days.indices.allSatisfy { d in
                        !grid.isOpen(k, d)
                            || grid.intervals.indices.allSatisfy { target.meets(row[grid.cell(k, d, $0)]) }
                    }
            }
        }.count
    }

    /// Counter `k`'s statistic over the replications, seconds, with its 95 % interval.
    public func estimate(counter k: Int) -> Estimate {
        Estimate(perCounter.map { Double($0[k]) / 1e6 }, keepValues: true)
    }
}

/// A plan, the SIPP plan and today's staffing side by side, with the waits each achieves.
public struct PlanResult: Sendable {
    public var scenario: String
    public var target: PlanTarget
    public var options: PlanOptions
    public var grid: PlanGrid
    public var tuningSeeds: [UInt64]
    public var verificationSeeds: [UInt64]
    /// Today's staffing (the scenario's own) and its waits on the tuning seeds.
    public var current: StaffingPlan
    public var currentEvaluation: PlanEvaluation
    /// The interval-by-interval Erlang C plan and its simulated waits on the tuning seeds.
    public var sipp: StaffingPlan
    public var sippEvaluation: PlanEvaluation
    /// The plan as corrected and trimmed on the tuning seeds, before the validation days put clerks back.
    public var tuned: StaffingPlan
    /// The simulation-corrected plan, its waits on the tuning seeds and on fresh seeds.
    public var plan: StaffingPlan
    public var planEvaluation: PlanEvaluation
    public var verification: PlanEvaluation
    /// Candidate plans simulated (each over the tuning seeds), and the wall time.
    public var evaluations: Int
    /// Each counter's clerks and contractors as the plan (or its roster) sets them (its largest count; the
    /// contractors' share).
    public var sizes: [(clerks: Int, contractors: Int)]
    /// The seeds the trimmed plan was checked and repaired on, and the clerks that put back.
    public var validationSeeds: [UInt64]
    public var repairs: Int
    /// The plan rostered with the shift patterns, and the roster's waits on the fresh seeds (nil without shifts).
    public var roster: ShiftRoster?
    public var rosterVerification: PlanEvaluation?
    public var wallSeconds: Double

    /// Whether what the planner hands on (the roster when there is one) met the target on the fresh seeds: every
    /// counter over its day in at least 95 % of them.
    public var meetsTarget: Bool {
        Double((rosterVerification ?? verification).countersMet(grid, target))
            >= 0.95 * Double(verificationSeeds.count)
    }
}

/// Finds the fewest clerks per counter and interval that meet a wait target: an Erlang C start per interval
/// (SIPP), corrected by simulation until every interval meets the target over the tuning replications, then
/// trimmed a clerk at a time where the simulation says the target still holds, and verified on fresh seeds.
///
/// The correction is in the spirit of Feldman, Mandelbaum, Massey and Whitt's iterative staffing algorithm
/// (2008): the simulated system, not a stationary formula, decides each interval's staffing, so the backlog a
/// peak leaves behind is staffed for in the intervals after it.
public enum Planner {
    /// Plans `scenario` for `options.target`; `progress` hears each phase and evaluation.
    public static func plan(
        _ scenario: Scenario, _ options: PlanOptions, progress: (@Sendable (String) -> Void)? = nil
    ) async throws(ScenarioError) -> PlanResult {
        try Sensitivity.check(scenario)
        guard !options.target.servers else {
            throw ScenarioError(
                .value, file: scenario.file, line: 0, column: 0, path: "plan.target",
                "a servers.… target plans worker pools (PoolPlanner), not the counters")
        }
        let clock = WallClock()
        let grid = PlanGrid(scenario.configuration, width: options.interval)
        guard grid.cellCount > 0 else {
            throw ScenarioError(
                .value, file: scenario.file, line: 0, column: 0, path: "start", "the run has no day the counters open")
        }
        let (populations, tuning, fresh) = try prepare(scenario, options)
        let target = options.target
        let covered = max(grid.counters.filter { target.covers($0) }.count, 1)
        let z = normalQuantile(1 - (1 - options.reliability) / Double(covered))
        var evaluations = 0
        func evaluate(_ plan: StaffingPlan?, _ seeds: [UInt64]) async throws(ScenarioError) -> PlanEvaluation {
            evaluations += seeds == tuning ? 1 : 0
            return try await Self.evaluate(
                scenario, plan: plan, grid: grid, target: target, seeds: seeds, populations: populations,
                jobs: options.jobs, z: z)
        }
        progress?("today's staffing")
        let current = StaffingPlan.current(scenario.configuration, grid: grid)
        let currentEvaluation = try await evaluate(nil, tuning)
        let sipp = StaffingPlan.sipp(currentEvaluation.demand, grid: grid, target: target)
        progress?("the SIPP plan")
        let sippEvaluation = try await evaluate(sipp, tuning)
        var plan = sipp
        var evaluation = sippEvaluation
        // Correct and trim until a trimmed plan passes as a whole (the counters share the backend, and a visitor
        // who balks goes to the main counter: a trim judged one counter at a time is checked together).
        for pass in 0..<4 {
            (plan, evaluation) = try await correct(plan, evaluation, grid, options) { p async throws(ScenarioError) in
                progress?("correcting (pass \(pass + 1))")
                return try await evaluate(p, tuning)
            }
            (plan, evaluation) = try await trim(plan, evaluation, grid, options) { p async throws(ScenarioError) in
                progress?("trimming (pass \(pass + 1))")
                return try await evaluate(p, tuning)
            }
            evaluation = try await evaluate(plan, tuning)
            if evaluation.failing(grid, target).isEmpty { break }
        }
        // Trimming on the same seeds favours the cuts those days happened to forgive: the plan is checked on
        // validation days it was not tuned on, and a clerk goes back where a counter missed the target on any of
        // them (or an interval over all of them), until none does.
        let validation = (0..<options.verification).map {
            Replications.seed(root: scenario.seed, replication: options.tuning + options.verification + $0)
        }
        let tuned = plan
        var repairs = 0
        // A counter whose days keep missing after its clerks doubled SIPP's is left as it is: its waits come from
        // something clerks do not change (the report shows it).
        let ceiling = grid.counters.indices.map { 2 * max(sipp.clerkHours(counter: $0), 1) }
        for _ in 0..<Self.repairRounds {
            progress?("checking on \(validation.count) validation seeds")
            let check = try await evaluate(plan, validation)
            let cells = repairCells(check, grid, target, z: z).filter {
                let k = $0 / max(grid.days.count * grid.intervals.count, 1)
                return plan.clerks[$0] < options.maximumClerks && plan.clerkHours(counter: k) < ceiling[k]
            }
            guard !cells.isEmpty else { break }
            for c in cells { plan.clerks[c] += 1 }
            repairs += cells.count
        }
        if repairs > 0 { evaluation = try await evaluate(plan, tuning) }
        progress?("verifying on \(fresh.count) fresh seeds")
        let verification = try await evaluate(plan, fresh)
        var roster: ShiftRoster?
        var rosterVerification: PlanEvaluation?
        if !options.shifts.isEmpty {
            progress?("rostering with \(options.shifts.count) shift patterns")
            switch ShiftRoster.cover(plan, patterns: options.shifts) {
            case .success(let r): roster = r
            case .failure(let e):
                throw ScenarioError(.value, file: scenario.file, line: 0, column: 0, path: e.field, e.message)
            }
        }
        // What the planner hands on: the roster when there is one, else the plan.
        let handedOn = roster?.applied(to: scenario.configuration) ?? plan.applied(to: scenario.configuration)
        if roster != nil {
            progress?("verifying the roster on \(fresh.count) fresh seeds")
            rosterVerification = try await Self.evaluate(
                scenario, configuration: handedOn, grid: grid, target: target, seeds: fresh,
                populations: populations, jobs: options.jobs, z: z)
        }
        return PlanResult(
            scenario: scenario.name, target: target, options: options, grid: grid, tuningSeeds: tuning,
            verificationSeeds: fresh, current: current, currentEvaluation: currentEvaluation, sipp: sipp,
            sippEvaluation: sippEvaluation, tuned: tuned, plan: plan, planEvaluation: evaluation,
            verification: verification,
            evaluations: evaluations,
            sizes: handedOn.counters.map { ($0.clerks, $0.contractors) },
            validationSeeds: validation, repairs: repairs, roster: roster, rosterVerification: rosterVerification,
            wallSeconds: clock.seconds)
    }

    /// What every planner starts from: the population (the same in every replication), the tuning seeds and the
    /// fresh seeds after them.
    static func prepare(_ scenario: Scenario, _ options: PlanOptions) throws(ScenarioError) -> (
        NetworkPopulations, [UInt64], [UInt64]
    ) {
        let populations: NetworkPopulations
        do {
            populations = try NetworkPopulations(scenario.configuration).loadingIdentityFiles(
                headroom: scenario.configuration.growthHeadroom)
        } catch {
            throw ScenarioError(.value, file: scenario.file, line: 0, column: 0, path: error.field, error.message)
        }
        let tuning = (0..<options.tuning).map { Replications.seed(root: scenario.seed, replication: $0) }
        let fresh = (0..<options.verification).map {
            Replications.seed(root: scenario.seed, replication: options.tuning + $0)
        }
        return (populations, tuning, fresh)
    }

    /// The standard normal quantile of `p` (bisection on erfc; p in (0, 1)).
    static func normalQuantile(_ p: Double) -> Double {
        var low = -10.0
        var high = 10.0
        for _ in 0..<100 {
            let mid = (low + high) / 2
            if 0.5 * erfc(-mid / 2.0.squareRoot()) < p { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }

    /// Where a plan checked on validation days needs a clerk more: every interval whose share past the bound (or
    /// mean) over all the days misses the limit; and for each counter whose next day's figure (its statistic over
    /// the day, such as the day's p90 wait) could pass the bound more often than the planned reliability allows,
    /// its interval with the longest waits over the days and those at least half as long (a day's tail comes from
    /// its peak hours together).
    static func repairCells(_ e: PlanEvaluation, _ grid: PlanGrid, _ target: PlanTarget, z: Double) -> [Int] {
        var cells: [Int] = []
        for k in grid.counters.indices where target.covers(grid.counters[k]) {
            let own = grid.cells(of: k)
            let missed = own.filter { e.judged[$0] > target.limit }
            cells += missed
            let dayMissed = dayPrediction(e.perCounter.map { Double($0[k]) }, z: z) > Double(target.bound)
            if missed.isEmpty, dayMissed, let worst = own.max(by: { e.pooled[$0] < e.pooled[$1] }) {
                // The worst interval, and those nearly as bad (a day's tail comes from its peak hours together).
                cells += own.filter { $0 == worst || (e.pooled[$0] > 0 && 2 * e.pooled[$0] >= e.pooled[worst]) }
            }
        }
        return cells
    }

    /// The upper prediction bound of another day's statistic from `values` (one per day, µs) at `z`: lognormal on
    /// the waits plus a minute. A day's p90 is skewed right (a burst at a near-saturated counter lifts it by tens
    /// of minutes); a normal bound on the raw or square-root figures let 10–20 % of fresh days through where
    /// the plan asked for 5 %, the lognormal one about 5 % (docs/calibration.md, `Planner.dayOffset`).
    static func dayPrediction(_ values: [Double], z: Double) -> Double {
        guard values.count > 1 else { return values.first ?? 0 }
        return expm1(predictionBound(values.map { log1p(max($0, 0) / Double(dayOffset)) }, z: z)) * Double(dayOffset)
    }

    /// The upper prediction bound of another value from `values` at `z`: their mean plus z of their spread,
    /// widened for the mean's own error (√(1 + 1/n)); a single value is its own bound.
    static func predictionBound(_ values: [Double], z: Double) -> Double {
        guard values.count > 1 else { return values.first ?? 0 }
        let e = Estimate(values)
        return e.mean + z * e.standardDeviation * (1 + 1 / Double(values.count)).squareRoot()
    }

    /// The offset of the day statistic's log scale (1 minute, µs): a day with no wait is defined, and waits well
    /// over a minute are judged on their ratios.
    static let dayOffset: Int64 = 60_000_000

    /// Validation rounds at most (each adds a clerk where the days still miss).
    static let repairRounds = 30

    typealias Evaluate = (StaffingPlan) async throws(ScenarioError) -> PlanEvaluation

    /// Adds a clerk to every interval that misses the target, until none does (or a cell reaches the maximum).
    static func correct(
        _ start: StaffingPlan, _ startEvaluation: PlanEvaluation, _ grid: PlanGrid, _ options: PlanOptions,
        _ evaluate: Evaluate
    ) async throws(ScenarioError) -> (StaffingPlan, PlanEvaluation) {
        var plan = start
        var evaluation = startEvaluation
        for _ in 0..<options.maximumClerks {
            let failing = evaluation.failing(grid, options.target).filter {
                plan.clerks[$0] < options.maximumClerks
            }
            guard !failing.isEmpty else { break }
            for c in failing { plan.clerks[c] += 1 }
            evaluation = try await evaluate(plan)
        }
        return (plan, evaluation)
    }

    /// Takes a clerk from one interval per counter at a time, the one with the most slack, and keeps the cut where
    /// the counter still meets the target in every interval; a cut that fails is undone and not tried again.
    static func trim(
        _ start: StaffingPlan, _ startEvaluation: PlanEvaluation, _ grid: PlanGrid, _ options: PlanOptions,
        _ evaluate: Evaluate
    ) async throws(ScenarioError) -> (StaffingPlan, PlanEvaluation) {
        let target = options.target
        var plan = start
        var evaluation = startEvaluation
        var frozen = [Bool](repeating: false, count: grid.cellCount)
        let perCounter = grid.days.count * grid.intervals.count
        while true {
            var tried: [(counter: Int, cell: Int)] = []
            for k in grid.counters.indices where target.covers(grid.counters[k]) {
                var best: Int?
                var bestSlack = -Double.infinity
                for d in grid.days.indices where grid.isOpen(k, d) {
                    for i in grid.intervals.indices {
                        let c = grid.cell(k, d, i)
                        guard !frozen[c], plan.clerks[c] > 1 else { continue }
                        // Most slack first; among equals, the most clerks, then the later interval.
                        let slack = target.limit - evaluation.upper[c]
                        if best == nil || slack > bestSlack
                            || (slack == bestSlack && plan.clerks[c] >= plan.clerks[best ?? c])
                        {
                            best = c
                            bestSlack = slack
                        }
                    }
                }
                if let best { tried.append((k, best)) }
            }
            guard !tried.isEmpty else { break }
            var candidate = plan
            for t in tried { candidate.clerks[t.cell] -= 1 }
            let result = try await evaluate(candidate)
            var merged = evaluation
            for t in tried {
                let range = (t.counter * perCounter)..<((t.counter + 1) * perCounter)
                let holds = grid.cells(of: t.counter).allSatisfy { result.meets[$0] }
                if holds && result.dayMeets[t.counter] {
                    plan.clerks[t.cell] -= 1
                    for c in range {
                        merged.pooled[c] = result.pooled[c]
                        merged.visitors[c] = result.visitors[c]
                        merged.judged[c] = result.judged[c]
                        merged.upper[c] = result.upper[c]
                        merged.meets[c] = result.meets[c]
                    }
                    merged.dayBound[t.counter] = result.dayBound[t.counter]
                    merged.dayMeets[t.counter] = result.dayMeets[t.counter]
                } else {
                    frozen[t.cell] = true
                }
            }
            evaluation = merged
        }
        return (plan, evaluation)
    }

    /// Simulates `plan` (the scenario's own staffing when nil) over `seeds`, `jobs` at a time, and gathers the
    /// waits per cell and counter.
    static func evaluate(
        _ scenario: Scenario, plan: StaffingPlan?, grid: PlanGrid, target: PlanTarget, seeds: [UInt64],
        populations: NetworkPopulations, jobs: Int, z: Double = 0
    ) async throws(ScenarioError) -> PlanEvaluation {
        try await evaluate(
            scenario, configuration: plan?.applied(to: scenario.configuration) ?? scenario.configuration, grid: grid,
            target: target, seeds: seeds, populations: populations, jobs: jobs, z: z)
    }

    /// Simulates `configuration` (the scenario's, staffed some way) over `seeds` and gathers the waits.
    static func evaluate(
        _ scenario: Scenario, configuration staffed: NetworkConfiguration, grid: PlanGrid, target: PlanTarget,
        seeds: [UInt64], populations: NetworkPopulations, jobs: Int, z: Double = 0
    ) async throws(ScenarioError) -> PlanEvaluation {
        let runs = try await simulate(
            scenario, staffed, until: Self.horizon(scenario, grid), seeds: seeds, populations: populations, jobs: jobs
        ) { await $0.counterReports() }
        return gather(runs, grid: grid, target: target, z: z)
    }

    /// Runs `configuration` (no spans kept: waits are the question) for `horizon` µs once per seed, `jobs` at a
    /// time, and reads each run with `read`, in seed order.
    static func simulate<T: Sendable>(
        _ scenario: Scenario, _ configuration: NetworkConfiguration, until horizon: Int64, seeds: [UInt64],
        populations: NetworkPopulations, jobs: Int, read: @escaping @Sendable (NetworkSimulation) async -> T
    ) async throws(ScenarioError) -> [T] {
        var base = configuration
        base.service.recordSpans = false
        let quiet = base
        let cores = jobs > 0 ? jobs : ProcessInfo.processInfo.activeProcessorCount
        let results = await boundedParallel(count: seeds.count, jobs: cores, finished: {}) {
            index -> Result<T, NetworkError> in
            do throws(NetworkError) {
                var c = quiet
                c.seed = seeds[index]
                let simulation = try await NetworkSimulation(c, populations: populations)
                await simulation.run(
                    until: .time(SimulatedTime(microseconds: simulation.dayStart.microseconds + horizon)))
                return .success(await read(simulation))
            } catch {
                return .failure(error)
            }
        }
        var runs: [T] = []
        for result in results {
            switch result {
            case .success(let r): runs.append(r)
            case .failure(let e):
                throw ScenarioError(.value, file: scenario.file, line: 0, column: 0, path: e.field, e.message)
            }
        }
        return runs
    }

    /// How long each evaluation runs: to four hours after the last planned day's closing (the queue served after
    /// closing is in), or the scenario's duration if shorter. The nights' batches do not touch the counters.
    static func horizon(_ scenario: Scenario, _ grid: PlanGrid) -> Int64 {
        let last = (grid.days.last ?? 0) * Int(SimulatedTime.microsecondsPerDay / 1_000_000)
        let end = Int64(last) * 1_000_000 + BusinessCalendar.standard.closing + 4 * 3_600_000_000
        return min(scenario.duration, end)
    }

    /// The ratio Σx / Σn over replications and its upper 97.5 % confidence bound (the ratio estimator's variance
    /// over the replications, Student's t): a cell judged on few visitors gets a wide margin, one on many a narrow
    /// one. (0, 0) without visitors.
    static func ratioBound(_ x: [Double], _ n: [Double]) -> (Double, Double) {
        let total = n.reduce(0, +)
        guard total > 0 else { return (0, 0) }
        let ratio = x.reduce(0, +) / total
        let r = x.count
        guard r > 1 else { return (ratio, ratio) }
        let mean = total / Double(r)
        let squares = zip(x, n).reduce(0.0) { $0 + ($1.0 - ratio * $1.1) * ($1.0 - ratio * $1.1) }
        let se = (squares / Double(r * (r - 1))).squareRoot() / mean
        return (ratio, ratio + Estimate.t975(degreesOfFreedom: r - 1) * se)
    }

    /// The waits of `runs` (per replication, per counter) gathered by cell and by counter.
    static func gather(_ runs: [[CounterReport]], grid: PlanGrid, target: PlanTarget, z: Double = 0) -> PlanEvaluation {
        let n = grid.cellCount
        let counters = grid.counters.count
        var pooledWaits = [[Int64]](repeating: [], count: n)
        var dayJudged: [[Double]] = []
        // Per replication and cell: visitors, and what the target counts (waits past the bound, or the waits' sum).
        var counted = [[Double]](repeating: [Double](repeating: 0, count: n), count: runs.count)
        var seen = [[Double]](repeating: [Double](repeating: 0, count: n), count: runs.count)
        var perCounter: [[Int64]] = []
        var perCell: [[Int64]] = []
        var service = [Double](repeating: 0, count: counters)
        var hours = [Double](repeating: 0, count: counters)
        var abandoned = [Double](repeating: 0, count: counters)
        var balked = [Double](repeating: 0, count: counters)
        let replications = Double(max(runs.count, 1))
        for (r, run) in runs.enumerated() {
            var cellWaits = [[Int64]](repeating: [], count: n)
            var row = [Int64](repeating: 0, count: counters)
            var day = [Double](repeating: 0, count: counters)
            for (k, report) in run.enumerated() where k < counters {
                let log = report.waitLog
                var all: [Int64] = []
                all.reserveCapacity(log.count)
                for j in 0..<log.count {
                    all.append(log.waits[j])
                    if let c = grid.cell(counter: k, arrival: log.arrivals[j]) {
                        cellWaits[c].append(log.waits[j])
                        seen[r][c] += 1
                        counted[r][c] += target.counted(log.waits[j])
                    }
                }
                row[k] = target.statistic(all)
                day[k] = all.isEmpty ? 0 : all.reduce(0.0) { $0 + target.counted($1) } / Double(all.count)
                let busy = report.utilization * report.clerkSeconds + report.overtimeSeconds
                service[k] += busy / Double(max(report.served, 1)) / replications
                hours[k] += report.clerkSeconds / 3600 / replications
                abandoned[k] += Double(report.visitors.abandoned) / replications
                balked[k] += Double(report.visitors.balked) / replications
            }
            perCounter.append(row)
            dayJudged.append(day)
            perCell.append(cellWaits.map { target.statistic($0) })
            for c in 0..<n { pooledWaits[c] += cellWaits[c] }
        }
        var judged = [Double](repeating: 0, count: n)
        var upper = [Double](repeating: 0, count: n)
        for c in 0..<n {
            (judged[c], upper[c]) = ratioBound(counted.map { $0[c] }, seen.map { $0[c] })
        }
        // Another day's figure: the tuning days' mean plus z of their spread (a prediction bound).
        let dayBound = (0..<counters).map { k in predictionBound(dayJudged.map { $0[k] }, z: z) }
        return PlanEvaluation(
            pooled: pooledWaits.map { target.statistic($0) }, visitors: pooledWaits.map(\.count), judged: judged,
            upper: upper, meets: upper.map { $0 <= target.limit }, dayJudged: dayJudged, dayBound: dayBound,
            dayMeets: dayBound.map { $0 <= target.limit },
            perCounter: perCounter, perCell: perCell, serviceSeconds: service, clerkHours: hours,
            abandoned: abandoned, balked: balked, arrivals: pooledWaits.map { Double($0.count) / replications })
    }
}
