import JukiCore
import JukiSimulation

/// How the wall-clock load mode offers journeys: arrival rates over time (k6's constant-arrival-rate and
/// ramping-arrival-rate), the flow mix, how modelled delays are treated, and when an arrival counts as dropped.
public struct LoadProfile: Sendable, Hashable {
    /// A stretch of the run: the rate moves linearly from the previous stage's target to `target` (journeys per
    /// second) over `seconds`.
    public struct Stage: Sendable, Hashable {
        public var seconds: Double
        public var target: Double

        public init(seconds: Double, target: Double) {
            self.seconds = seconds
            self.target = target
        }
    }

    /// The rate at the start, journeys per second, and the stages after it.
    public var startRate: Double
    public var stages: [Stage]
    /// Modelled human and network delays multiplied by this (0 skips them).
    public var delayScale: Double = 0
    /// Arrivals issued later than this after their intended start are dropped, µs.
    public var maxLateness: Int64 = 100_000
    /// The run fails when fewer than this share of the intended arrivals were issued.
    public var minimumAchieved = 0.95

    public init(startRate: Double, stages: [Stage]) {
        self.startRate = startRate
        self.stages = stages
    }

    /// A constant rate for `seconds`.
    public static func constant(rate: Double, seconds: Double) -> LoadProfile {
        LoadProfile(startRate: rate, stages: [Stage(seconds: seconds, target: rate)])
    }

    public var seconds: Double { stages.reduce(0) { $0 + $1.seconds } }

    /// The intended rate `t` seconds after the start.
    public func rate(at t: Double) -> Double {
        var from = startRate
        var elapsed = 0.0
        for s in stages {
            if t < elapsed + s.seconds {
                return from + (s.target - from) * (t - elapsed) / max(s.seconds, 1e-9)
            }
            elapsed += s.seconds
            from = s.target
        }
        return from
    }

    /// Journeys intended over the whole run (the integral of the rate).
    public var intendedJourneys: Double {
        var from = startRate
        var total = 0.0
        for s in stages {
            total += (from + s.target) / 2 * s.seconds
            from = s.target
        }
        return total
    }
}

/// What a load run measured, beside the network report.
public struct LoadResult: Sendable {
    public var profile: LoadProfile
    public var wallSeconds: Double
    /// Arrivals intended, issued, issued late (over 1 ms after their intended start) and dropped.
    public var intended: Int
    public var issued: Int
    public var late: Int
    public var dropped: Int
    /// Journeys finished (completed or failed) when the run ended, and still in progress.
    public var finished: Int
    public var inProgress: Int
    /// Latency of every journey from its intended start (corrected) and from its actual issue (uncorrected).
    public var corrected: LatencyHistogram
    public var uncorrected: LatencyHistogram
    /// How late the generator issued arrivals (its own scheduling lag), µs.
    public var schedulerLag: LatencyHistogram
    /// The share of the run the generator slept (no arrival due), and the process's CPU use as a share of all
    /// cores.
    public var idleShare: Double
    public var cpuShare: Double
    public var cores: Int

    /// Issued arrivals per second of the run.
    public var achievedRate: Double { wallSeconds > 0 ? Double(issued) / wallSeconds : 0 }
    /// The intended average rate.
    public var targetRate: Double { profile.seconds > 0 ? profile.intendedJourneys / profile.seconds : 0 }
    /// The generator could not keep up: it never idled and issued arrivals late.
    public var saturated: Bool { idleShare < 0.01 && Double(schedulerLag.percentile(99)) > 1_000 }
    /// The share of intended arrivals issued.
    public var achievedShare: Double { intended > 0 ? Double(issued) / Double(intended) : 1 }
    public var shortfall: Bool { achievedShare < profile.minimumAchieved }
}

/// Drives a network in real time: issues journeys at their intended times, runs the actors as fast as they go,
/// and measures latency from each journey's intended start (coordinated-omission corrected, as wrk2 does).
public struct LoadDriver {
    public let simulation: NetworkSimulation
    public let profile: LoadProfile
    public let seed: UInt64

    /// The flow mix: the workload's counter flows weighted by their daily rates.
    let flows: [Flow]
    let cumulative: [Double]

    public init(simulation: NetworkSimulation, profile: LoadProfile, seed: UInt64) {
        self.simulation = simulation
        self.profile = profile
        self.seed = seed
        let w = simulation.configuration.workload
        var flows: [Flow] = []
        var cumulative: [Double] = []
        var total = 0.0
        let rates = Flow.counterFlows.map { ($0, w.counterRate($0)) }
        for (f, r) in rates where r > 0 {
            total += r
            flows.append(f)
            cumulative.append(total)
        }
        self.flows = flows
        self.cumulative = cumulative.map { $0 / max(total, 1e-12) }
    }

    /// The flow mix as (flow, share), for reports.
    public var mix: [(Flow, Double)] {
        flows.enumerated().map { k, f in (f, cumulative[k] - (k == 0 ? 0 : cumulative[k - 1])) }
    }

    func pick(_ random: inout RandomStream) -> Flow {
        let u = random.nextUnit()
        for (k, c) in cumulative.enumerated() where u < c { return flows[k] }
        return flows.last ?? .certificate
    }

    /// What `observe` sees while a run goes on: the figures so far and each flow's journeys.
    public typealias Observer = @Sendable (LoadResult, [Flow: JourneyStats]) -> Void

    /// Runs the profile from simulated time `base` (the office's opening), then drains for at most
    /// `drainSeconds`. With `observe`, the figures so far go to it about once a wall second (a live `/metrics`).
    public func run(base: Int64, drainSeconds: Double = 5, observe: Observer? = nil) async -> LoadResult {
        let wall = WallTime(base: base)
        await simulation.useWallTime(wall)
        var random = RandomStream(seed: seed, stream: 0x4C4F_4144)
        let end = wall.time(afterSeconds: profile.seconds)
        // With delays skipped the engine may run ahead of the clock (latency is read from the clock, not from
        // event times); with real delays it must keep pace so the delays take real time.
        let quantum = max(1, simulation.configuration.loadQuantum)
        let runAhead: Int64 = profile.delayScale == 0 ? 20 * quantum : 1
        var next = base
        // The next arrival's offset from the start, µs, kept fractional: rounding each gap to whole µs would offer
        // 58,823/s for 60,000/s.
        var offset = 0.0
        var engineTime = base
        var intended = 0
        var issued = 0
        var late = 0
        var dropped = 0
        var lag = LatencyHistogram(resolution: .microseconds)
        var idle = 0.0
        var batch: [(flow: Flow, intended: Int64)] = []
        batch.reserveCapacity(4096)
        let cpuStart = ProcessCPU.seconds
        let clock = WallClock()
        // At the start, about once a second, and when the last arrival is issued.
        var nextObservation = 0.0
        func observation(_ observe: Observer, at now: Int64) async {
            let journeys = await simulation.journeyStats()
            let counts = await simulation.counterJourneys()
            observe(
                result(
                    seconds: Double(now - base) / 1e6, cpu: ProcessCPU.seconds - cpuStart, idle: idle,
                    counts: (intended, issued, late, dropped), inProgress: counts.inProgress, lag: lag,
                    journeys: journeys), journeys)
        }
        while true {
            let now = wall.now
            if next >= end { break }
            if let observe, clock.seconds >= nextObservation {
                nextObservation = clock.seconds + 1
                await observation(observe, at: now)
            }
            batch.removeAll(keepingCapacity: true)
            while next <= now && next < end {
                intended += 1
                let lateness = now - next
                if lateness > profile.maxLateness {
                    dropped += 1
                } else {
                    lag.record(lateness)
                    if lateness > 1_000 { late += 1 }
                    batch.append((pick(&random), next))
                }
                let rate = max(profile.rate(at: offset / 1e6), 1e-3)
                offset += 1e6 / rate
                next = SimulatedDuration.adding(base, SimulatedDuration.saturating(offset))
            }
            if !batch.isEmpty {
                issued += batch.count
                simulation.inject(batch, at: max(now, engineTime))
            }
            // Events are stamped no earlier than where the engine stands; the engine then runs a little ahead of
            // the clock, never further, so simulated and real time stay together.
            let until = max(now + runAhead, engineTime + 1)
            await simulation.run(before: until)
            engineTime = until
            let wait = next - wall.now
            if wait > 200 {
                let sleepStart = clock.seconds
                try? await Task.sleep(nanoseconds: UInt64(wait - 100) * 1_000)
                idle += clock.seconds - sleepStart
            }
        }
        if let observe { await observation(observe, at: wall.now) }
        // From the wall-time origin, the moment the first arrival was due.
        let seconds = Double(wall.now - base) / 1e6
        let cpu = ProcessCPU.seconds - cpuStart
        // Drain: let the journeys in flight finish (they take a few hops), without issuing more. A journey is in
        // flight until a counter has it, so both the counters' work and the arrivals they have seen count.
        var counts = await simulation.counterJourneys()
        let drain = WallClock()
        while counts.inProgress > 0 || counts.started < issued, drain.seconds < drainSeconds {
            let until = max(wall.now + runAhead, engineTime + 1)
            await simulation.run(before: until)
            engineTime = until
            counts = await simulation.counterJourneys()
        }
        let journeys = await simulation.journeyStats()
        return result(
            seconds: seconds, cpu: cpu, idle: idle, counts: (intended, issued, late, dropped),
            inProgress: counts.inProgress, lag: lag, journeys: journeys)
    }

    /// The figures of a run `seconds` in: the generator's counts and the journeys' latencies so far.
    func result(
        seconds: Double, cpu: Double, idle: Double, counts: (intended: Int, issued: Int, late: Int, dropped: Int),
        inProgress: Int, lag: LatencyHistogram, journeys: [Flow: JourneyStats]
    ) -> LoadResult {
        var corrected = LatencyHistogram()
        var uncorrected = LatencyHistogram()
        var finished = 0
        for flow in Flow.allCases {
            guard let s = journeys[flow] else { continue }
            corrected.merge(s.latency)
            uncorrected.merge(s.uncorrected)
            finished += s.completed + s.failedCount
        }
        let cores = max(1, ProcessCPU.cores)
        return LoadResult(
            profile: profile, wallSeconds: seconds, intended: counts.intended, issued: counts.issued,
            late: counts.late, dropped: counts.dropped, finished: finished, inProgress: inProgress,
            corrected: corrected, uncorrected: uncorrected, schedulerLag: lag,
            idleShare: seconds > 0 ? idle / seconds : 0, cpuShare: seconds > 0 ? cpu / seconds / Double(cores) : 0,
            cores: cores)
    }
}
