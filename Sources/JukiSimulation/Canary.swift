import JukiCore

/// The engine canary's message: an arrival, or a departure carrying its arrival time.
public enum CanaryMessage: Sendable {
    case arrival
    case departure(arrivedAt: Int64)
}

/// An M/M/c service point: Poisson arrivals, `servers` exponential servers, FIFO queue. The engine canary.
public struct MMcServicePoint: NodeBehavior {
    public let servers: Int
    /// Mean time between arrivals and mean service time, µs.
    public let meanInterarrival: Double
    public let meanService: Double
    /// Arrivals to generate before the stream stops.
    public let customers: Int
    public private(set) var arrivals = 0
    public private(set) var busy = 0
    var queue = RingBuffer<Int64>(capacity: 64)
    public private(set) var completed = 0
    /// Sums of time in system and of wait, µs.
    public private(set) var totalTimeInSystem: Double = 0
    public private(set) var totalWait: Double = 0
    public private(set) var maxQueue = 0
    /// When the latest customer left, µs.
    public private(set) var lastDeparture: Int64 = 0

    public init(servers: Int, utilization: Double, meanService: Double, customers: Int) {
        self.servers = servers
        self.meanService = meanService
        meanInterarrival = meanService / (utilization * Double(servers))
        self.customers = customers
    }

    public mutating func start(_ context: inout NodeContext<CanaryMessage>) {
        if customers > 0 { scheduleArrival(&context) }
    }

    mutating func scheduleArrival(_ context: inout NodeContext<CanaryMessage>) {
        arrivals += 1
        context.schedule(.arrival, after: Int64(context.random.nextExponential(mean: meanInterarrival).rounded()))
    }

    public mutating func handle(_ event: Event<CanaryMessage>, _ context: inout NodeContext<CanaryMessage>) {
        switch event.message {
        case .arrival:
            if arrivals < customers { scheduleArrival(&context) }
            if busy < servers {
                busy += 1
                startService(arrivedAt: context.now, &context)
            } else {
                queue.append(context.now)
                maxQueue = max(maxQueue, queue.count)
            }
        case .departure(let arrivedAt):
            completed += 1
            lastDeparture = context.now
            totalTimeInSystem += Double(context.now - arrivedAt)
            if let next = queue.popFirst() {
                startService(arrivedAt: next, &context)
            } else {
                busy -= 1
            }
        }
    }

    @inline(__always)
    mutating func startService(arrivedAt: Int64, _ context: inout NodeContext<CanaryMessage>) {
        totalWait += Double(context.now - arrivedAt)
        let service = Int64(context.random.nextExponential(mean: meanService).rounded())
        context.schedule(.departure(arrivedAt: arrivedAt), after: max(service, 1))
    }
}

/// The canary's node actor. Concrete rather than the generic ``Node`` so the window loop is specialised for
/// ``MMcServicePoint`` (a generic actor's methods, called through the engine's existential, run unspecialised).
public actor ServicePointNode: WindowRunner {
    public nonisolated let id: NodeID
    var core: NodeCore<MMcServicePoint>

    public init(id: NodeID, behavior: MMcServicePoint, seed: UInt64, lookahead: Int64) {
        self.id = id
        core = NodeCore(behavior: behavior, context: NodeContext(id: id, seed: seed, lookahead: lookahead, start: 0))
    }

    public func start() -> WindowReport<CanaryMessage> { core.start() }

    public func runWindow(until end: Int64, deliveries: [Event<CanaryMessage>]) -> WindowReport<CanaryMessage> {
        core.runWindow(until: end, deliveries: deliveries)
    }

    public func runWindow(until end: Int64, moving deliveries: inout [Event<CanaryMessage>])
        -> WindowReport<CanaryMessage>
    {
        core.runWindow(until: end, moving: &deliveries)
    }

    public var behavior: MMcServicePoint { core.behavior }
    public var digest: UInt64 { core.context.digest }
}

/// Runs the M/M/c canary: `points` service points of `servers` each, at utilisation `utilization`.
public struct CanaryRun: Sendable {
    public var points = 13
    public var servers = 4
    public var utilization = 0.8
    /// Mean service time, µs (10 minutes).
    public var meanService = 600_000_000.0
    /// Customers per service point.
    public var customersPerPoint = 100_000
    public var seed: UInt64 = 1
    /// Window length in service times: the canary has no links, so the lookahead is a free choice.
    public var windowInServiceTimes = 100.0

    public init() {}

    /// The outcome of a canary run.
    public struct Result: Sendable, Hashable {
        public var customers: Int
        /// Mean time in system and mean wait, in service times.
        public var meanTimeInSystem: Double
        public var meanWait: Double
        /// Erlang C's mean time in system, in service times.
        public var erlangC: Double
        public var events: UInt64
        public var windows: UInt64
        /// Combined digest of every node's handled events.
        public var digest: UInt64
        public var maxQueue: Int
        /// When the last customer left, µs of simulated time.
        public var end: Int64
    }

    /// Builds the nodes, runs to completion, and summarises.
    public func run() async throws(EngineError) -> Result {
        let lookahead = Int64(meanService * windowInServiceTimes)
        let nodes = (0..<points).map { i in
            ServicePointNode(
                id: NodeID(i),
                behavior: MMcServicePoint(
                    servers: servers, utilization: utilization, meanService: meanService, customers: customersPerPoint),
                seed: seed, lookahead: lookahead)
        }
        let engine = try Engine<CanaryMessage>(nodes: nodes, lookahead: lookahead)
        await engine.run(until: Int64.max - 1)
        var completed = 0
        var system = 0.0
        var wait = 0.0
        var digest: UInt64 = 0
        var maxQueue = 0
        var end: Int64 = 0
        for node in nodes {
            let b = await node.behavior
            completed += b.completed
            system += b.totalTimeInSystem
            wait += b.totalWait
            maxQueue = max(maxQueue, b.maxQueue)
            end = max(end, b.lastDeparture)
            digest = Mixing.combine(digest, await node.digest)
        }
        let n = Double(max(completed, 1))
        return Result(
            customers: completed, meanTimeInSystem: system / n / meanService, meanWait: wait / n / meanService,
            erlangC: ErlangC.meanTimeInSystem(servers: servers, utilization: utilization),
            events: engine.report.handled,
            windows: engine.report.windows, digest: digest, maxQueue: maxQueue, end: end)
    }
}
