import Foundation
import JukiCore
import JukiNetwork
import JukiSimulation

/// The servers' waits for a worker in some replications of one staffing of the pools.
public struct PoolEvaluation: Sendable, Hashable {
    /// Per replication and server: the target's statistic over the requests' waits (µs).
    public var statistic: [[Int64]]
    /// Per server: the statistic over every replication's waits together (µs), the requests, the mean busy
    /// workers (busy time over the run), the mean service time (s) and the utilisation.
    public var pooled: [Int64]
    public var requests: [Int]
    public var offeredLoad: [Double]
    public var serviceSeconds: [Double]
    public var utilization: [Double]

    public var replications: Int { statistic.count }

    /// Replications in which every covered server met the target.
    func met(_ covered: [Int], _ target: PlanTarget) -> Int {
        statistic.filter { row in covered.allSatisfy { target.meets(row[$0]) } }.count
    }

    /// Whether server `s` meets the target on another day at `z`: every replication met it, and so does the
    /// replications' prediction bound for another (their mean plus z of their spread).
    func meets(_ s: Int, _ target: PlanTarget, z: Double) -> Bool {
        guard met(server: s, target) == replications else { return false }
        let values = statistic.map { Double($0[s]) }
        guard values.count > 1 else { return true }
        return target.meets(Int64(min(Planner.predictionBound(values, z: z), 9e18)))
    }

    /// Replications in which server `s` met the target.
    func met(server s: Int, _ target: PlanTarget) -> Int { statistic.filter { target.meets($0[s]) }.count }

    /// Server `s`'s statistic over the replications, seconds, with its 95 % interval.
    public func estimate(server s: Int) -> Estimate { Estimate(statistic.map { Double($0[s]) / 1e6 }) }
}

/// A worker-pool plan: the fewest workers per server that meet a wait target, beside today's and Erlang C's.
public struct PoolPlanResult: Sendable {
    public var scenario: String
    public var target: PlanTarget
    public var servers: [String]
    /// The servers the target covers (indices into `servers`).
    public var covered: [Int]
    /// Which requests were judged: those that arrived in office hours, or all.
    public var hours: ServerHours
    public var tuningSeeds: [UInt64]
    public var verificationSeeds: [UInt64]
    public var current: [Int]
    public var currentEvaluation: PoolEvaluation
    /// Erlang C on each server's mean offered load, as if it held all day.
    public var erlang: [Int]
    public var plan: [Int]
    public var planEvaluation: PoolEvaluation
    public var verification: PoolEvaluation
    public var evaluations: Int
    public var wallSeconds: Double

    /// Whether every covered server met the target in at least 95 % of the fresh replications.
    public var meetsTarget: Bool {
        Double(verification.met(covered, target)) >= 0.95 * Double(verificationSeeds.count)
    }
}

/// Finds the fewest workers per server pool (register system, CS, prefecture and national servers, card system)
/// whose requests' wait for a worker meets a target: `servers.*.wait p(99)<50ms`. Erlang C on the measured
/// offered load gives the start; the simulation then doubles a pool that misses until it meets, and bisects
/// down to the fewest that meet in every tuning replication and in the replications' prediction bound for another
/// day at the planned reliability (a pool's wait falls as workers are added, so the search is monotone); the plan
/// is verified on fresh seeds.
public enum PoolPlanner {
    /// The servers a target may name, as the scenario's `network.servers` key names them.
    public static let servers = [
        "registerSystem", "municipalCS", "prefectureServer", "nationalServer", "cardManagementSystem",
    ]

    /// The most workers a pool may get.
    static let maximumWorkers = 10_000

    /// Plans the pools of `scenario` for `options.target` (a `servers.…` target).
    public static func plan(
        _ scenario: Scenario, _ options: PlanOptions, progress: (@Sendable (String) -> Void)? = nil
    ) async throws(ScenarioError) -> PoolPlanResult {
        try Sensitivity.check(scenario)
        let clock = WallClock()
        let target = options.target
        let (populations, tuning, fresh) = try Planner.prepare(scenario, options)
        let covered = servers.indices.filter { target.counter == "*" || servers[$0] == target.counter }
        // Each server is held to 1 − (1 − reliability)/m for m servers, so all of them meet it together.
        let z = Planner.normalQuantile(1 - (1 - options.reliability) / Double(max(covered.count, 1)))
        var evaluations = 0
        func evaluate(_ workers: [Int], _ seeds: [UInt64]) async throws(ScenarioError) -> PoolEvaluation {
            evaluations += seeds == tuning ? 1 : 0
            return try await Self.evaluate(
                scenario, workers: workers, target: target, seeds: seeds, populations: populations, jobs: options.jobs,
                hours: options.serverHours)
        }
        progress?("today's workers")
        let current = workers(scenario.configuration)
        let currentEvaluation = try await evaluate(current, tuning)
        let erlang = servers.indices.map { s in
            ErlangC.servers(
                offeredLoad: currentEvaluation.offeredLoad[s], meanService: currentEvaluation.serviceSeconds[s],
                bound: Double(target.bound) / 1e6, quantile: target.quantile)
        }
        // Doubling up from Erlang C to a count that meets, then bisection between the last that missed and it.
        var plan = current
        for s in covered { plan[s] = erlang[s] }
        var low = [Int](repeating: 0, count: servers.count)
        var high = [Int?](repeating: nil, count: servers.count)
        var evaluation = try await evaluate(plan, tuning)
        while true {
            var next = plan
            var open = false
            for s in covered {
                if evaluation.meets(s, target, z: z) {
                    high[s] = plan[s]
                } else {
                    low[s] = plan[s]
                }
                if let h = high[s] {
                    guard h - low[s] > 1 else {
                        next[s] = h
                        continue
                    }
                    next[s] = (low[s] + h) / 2
                    open = true
                } else if plan[s] < maximumWorkers {
                    next[s] = min(plan[s] * 2, maximumWorkers)
                    open = true
                } else {
                    // Waits no number of workers removes (a slowed node): the most, and the report says so.
                    high[s] = plan[s]
                }
            }
            guard open else { break }
            progress?("trying \(covered.map { "\(servers[$0]) \(next[$0])" }.joined(separator: ", "))")
            plan = next
            evaluation = try await evaluate(plan, tuning)
        }
        for s in covered { plan[s] = high[s] ?? plan[s] }
        let planEvaluation = try await evaluate(plan, tuning)
        progress?("verifying on \(fresh.count) fresh seeds")
        let verification = try await evaluate(plan, fresh)
        return PoolPlanResult(
            scenario: scenario.name, target: target, servers: servers, covered: covered, hours: options.serverHours,
            tuningSeeds: tuning,
            verificationSeeds: fresh, current: current, currentEvaluation: currentEvaluation, erlang: erlang,
            plan: plan, planEvaluation: planEvaluation, verification: verification, evaluations: evaluations,
            wallSeconds: clock.seconds)
    }

    /// The configuration's workers per server, in `servers` order.
    static func workers(_ c: NetworkConfiguration) -> [Int] {
        [
            c.service.registerWorkers, c.service.csWorkers, c.service.prefectureWorkers, c.service.nationalWorkers,
            c.service.cardSystemWorkers,
        ]
    }

    /// The configuration with `workers` per server.
    static func applied(_ workers: [Int], to configuration: NetworkConfiguration) -> NetworkConfiguration {
        var c = configuration
        c.service.registerWorkers = workers[0]
        c.service.csWorkers = workers[1]
        c.service.prefectureWorkers = workers[2]
        c.service.nationalWorkers = workers[3]
        c.service.cardSystemWorkers = workers[4]
        return c
    }

    /// Simulates the scenario with `workers` over `seeds` and gathers each server's waits.
    static func evaluate(
        _ scenario: Scenario, workers: [Int], target: PlanTarget, seeds: [UInt64], populations: NetworkPopulations,
        jobs: Int, hours: ServerHours = .office
    ) async throws(ScenarioError) -> PoolEvaluation {
        let runs = try await Planner.simulate(
            scenario, applied(workers, to: scenario.configuration), until: scenario.duration, seeds: seeds,
            populations: populations, jobs: jobs
        ) { await $0.serverPools() }
        let seconds = Double(max(scenario.duration, 1)) / 1e6
        var statistic: [[Int64]] = []
        var merged = [LatencyHistogram](
            repeating: LatencyHistogram(resolution: .microseconds), count: servers.count)
        var requests = [Int](repeating: 0, count: servers.count)
        var busy = [Double](repeating: 0, count: servers.count)
        for pools in runs {
            let judged = pools.map { hours == .office ? $0.pool.officeWaits : $0.pool.waits }
            statistic.append(judged.map { h in target.quantile.map { h.percentile($0 * 100) } ?? Int64(h.mean) })
            for (s, p) in pools.enumerated() where s < servers.count {
                merged[s].merge(judged[s])
                requests[s] += Int(p.pool.served)
                busy[s] += Double(p.pool.busyTime) / 1e6
            }
        }
        let count = Double(max(runs.count, 1))
        return PoolEvaluation(
            statistic: statistic,
            pooled: merged.map { h in target.quantile.map { h.percentile($0 * 100) } ?? Int64(h.mean) },
            requests: requests.map { $0 / max(runs.count, 1) },
            offeredLoad: busy.map { $0 / count / seconds },
            serviceSeconds: zip(busy, requests).map { $1 > 0 ? $0 / Double($1) : 0 },
            utilization: servers.indices.map { s in busy[s] / count / seconds / Double(max(workers[s], 1)) })
    }
}
