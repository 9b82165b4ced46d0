public import JukiCore
public import JukiNetwork
public import JukiScenario
public import JukiTraining

/// The rest of the office while trainees sit at their desks: the drill's scenario as a network (every counter with
/// its simulated residents and clerks, the register system, the CS, the prefecture and national servers, the card
/// management system and the rest), run in step with wall time from the office's opening, with one training desk
/// per trainee added.
///
/// A training desk takes no walk-in visitor and has no desk time of its own (the trainee did that part in the
/// browser): an accepted case becomes a journey of its flow there, which runs through the systems as any other and
/// fails where the network would find what the case held (an expired card, missing certificate data, the deadline).
/// Its figures are the trainee's alone. Wall time makes this part not reproducible; the cases and their scoring are.
///
/// One task owns the network (a `NetworkSimulation` is not `Sendable`) and takes commands in order.
public final class OfficeSimulation: Sendable {
    enum Command: Sendable {
        case advance(Double, CheckedContinuation<Void, Never>)
        case accept(Flow, FailureReason, desk: Int, Double, CheckedContinuation<Void, Never>)
        case status(desk: Int?, Double, CheckedContinuation<OfficeStatus, Never>)
    }

    let commands: AsyncStream<Command>.Continuation
    /// The scenario's counters, then the training desks.
    public let counterNames: [String]
    let firstDesk: Int
    let trainees: [String]

    /// Builds the network on `populations` (those the cases were drawn from) with a desk for each trainee;
    /// `start` is the simulated time of day at office time 0 (µs after midnight; default 10:00, when the counters
    /// fill), `speed` simulated seconds per wall second.
    public init(
        scenario: Scenario, populations: NetworkPopulations, trainees: [String], start: Int64 = 36_000_000_000,
        speed: Double = 1
    ) async throws(TrainingError) {
        var configuration = scenario.configuration
        let firstDesk = configuration.counters.count
        for name in trainees {
            var desk = CounterConfiguration(name: "研修 \(name)", clerks: 1, districts: [])
            desk.procedures = []
            desk.deskScale = 0
            configuration.counters.append(desk)
        }
        let (stream, commands) = AsyncStream<Command>.makeStream()
        let built: String? = await withCheckedContinuation { (ready: CheckedContinuation<String?, Never>) in
            Task { [configuration] in
                let simulation: NetworkSimulation
                do {
                    simulation = try await NetworkSimulation(configuration, populations: populations)
                } catch {
                    ready.resume(returning: "\(error)")
                    return
                }
                ready.resume(returning: nil)
                var loop = Loop(
                    simulation: simulation, firstDesk: firstDesk, names: configuration.counters.map(\.name),
                    start: start, speed: max(speed, 0))
                for await command in stream { await loop.handle(command) }
            }
        }
        if let built { throw TrainingError(.badRequest, field: "scenario", built) }
        self.commands = commands
        counterNames = configuration.counters.map(\.name)
        self.firstDesk = firstDesk
        self.trainees = trainees
    }

    deinit { commands.finish() }

    /// Runs the network up to office time `now` (seconds).
    public func advance(to now: Double) async {
        await withCheckedContinuation { commands.yield(.advance(now, $0)) }
    }

    /// An accepted case of `flow` enters the network at `trainee`'s desk now, carrying `failure` (the case's, if
    /// the network can find it; `.none` for a case in order).
    public func accept(_ flow: Flow, failure: FailureReason, trainee: String, now: Double) async {
        guard let k = trainees.firstIndex(of: trainee) else { return }
        await withCheckedContinuation { commands.yield(.accept(flow, failure, desk: firstDesk + k, now, $0)) }
    }

    /// The office now: the simulated clock, each counter's journeys in progress, and the trainee's journeys.
    public func status(trainee: String, now: Double) async -> OfficeStatus {
        let desk = trainees.firstIndex(of: trainee).map { firstDesk + $0 }
        return await withCheckedContinuation { commands.yield(.status(desk: desk, now, $0)) }
    }

    /// The task's side: the network and where it has reached.
    struct Loop {
        let simulation: NetworkSimulation
        let firstDesk: Int
        let names: [String]
        let speed: Double
        let origin: Int64
        var reached: Int64

        init(simulation: NetworkSimulation, firstDesk: Int, names: [String], start: Int64, speed: Double) {
            self.simulation = simulation
            self.firstDesk = firstDesk
            self.names = names
            self.speed = speed
            origin = simulation.dayStart.microseconds + min(max(start, 0), 86_400_000_000 - 1)
            reached = simulation.dayStart.microseconds
        }

        func simulated(_ now: Double) -> Int64 { origin + Int64(min(max(now, 0) * speed, 86_400) * 1_000_000) }

        mutating func advance(_ now: Double) async {
            let target = simulated(now)
            guard target > reached else { return }
            await simulation.run(until: .time(SimulatedTime(microseconds: target)))
            reached = target
        }

        mutating func handle(_ command: Command) async {
            switch command {
            case .advance(let now, let done):
                await advance(now)
                done.resume()
            case .accept(let flow, let failure, let desk, let now, let done):
                await advance(now)
                simulation.injectTrainingVisit(flow, counter: desk, failure: failure, at: reached)
                done.resume()
            case .status(let desk, let now, let done):
                await advance(now)
                done.resume(returning: await status(desk: desk))
            }
        }

        func status(desk: Int?) async -> OfficeStatus {
            let loads = await simulation.counterLoads()
            var own: [OfficeStatus.Journeys] = []
            if let desk {
                let stats = await simulation.counterStats(desk)
                for flow in Flow.allCases where Int(flow.rawValue) < stats.count {
                    let s = stats[Int(flow.rawValue)]
                    guard s.started > 0 else { continue }
                    own.append(
                        OfficeStatus.Journeys(
                            flow: flow, started: s.started, completed: s.completed,
                            failed: s.failed.sorted { $0.key.rawValue < $1.key.rawValue }.map {
                                OfficeStatus.Failure(reason: $0.key, count: $0.value)
                            },
                            medianSeconds: s.completed > 0 ? Double(s.latency.percentile(50)) / 1e6 : nil))
                }
            }
            return OfficeStatus(
                clock: SimulatedTime(microseconds: reached),
                counters: zip(names.prefix(firstDesk), loads.prefix(firstDesk)).map {
                    OfficeStatus.Counter(name: $0, inProgress: $1)
                }, own: own)
        }
    }
}

extension TrainingCase {
    /// What an accepted case carries into the network: the first planted rule the network finds by itself (a card,
    /// the PIN, the certificate data, the deadline), or `.none` (the counter's own checks the network cannot see).
    public var networkFailure: FailureReason {
        let found: Set<FailureReason> = [
            .cardNotBrought, .pinFailure, .cardExpired, .cardSuspended, .cardRevoked, .certificateDataNotFound,
            .deadlinePassed,
        ]
        return planted.compactMap(\.failure).first { found.contains($0) } ?? .none
    }
}

/// What the counter page shows of the rest of the office.
public struct OfficeStatus: Sendable {
    /// A counter and its journeys in progress (waiting, at a desk or in the systems).
    public struct Counter: Sendable {
        public var name: String
        public var inProgress: Int
    }

    /// Journeys that failed for one reason.
    public struct Failure: Sendable {
        public var reason: FailureReason
        public var count: Int
    }

    /// The trainee's journeys of one flow through the network.
    public struct Journeys: Sendable {
        public var flow: Flow
        public var started: Int
        public var completed: Int
        public var failed: [Failure]
        public var medianSeconds: Double?
    }

    public var clock: SimulatedTime
    public var counters: [Counter]
    public var own: [Journeys]
}
