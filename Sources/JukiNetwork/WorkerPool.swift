import JukiCore
import JukiSimulation

/// A server's workers and FIFO queue: requests wait when every worker is busy, so servers queue under load.
public struct WorkerPool: Sendable {
    public let workers: Int
    public private(set) var busy = 0
    var waiting = RingBuffer<Request>(capacity: 16)
    public private(set) var served: UInt64 = 0
    public private(set) var maxQueue = 0
    /// Busy time summed over workers, µs (for utilisation).
    public private(set) var busyTime: Int64 = 0
    /// Each request's wait for a free worker, µs (0 when one was free): what a worker-pool plan is judged on.
    public private(set) var waits = LatencyHistogram(resolution: .microseconds)
    /// The waits of requests that arrived in office hours (a business day, opening to closing): the ones the
    /// counters' visitors wait behind, without the night's batch jobs.
    public private(set) var officeWaits = LatencyHistogram(resolution: .microseconds)
    /// When each queued request arrived, in queue order.
    var queuedAt = RingBuffer<Int64>(capacity: 16)
    /// The last day asked about, and whether it is a business day (one calendar lookup per day).
    var calendarDay: Int64 = -1
    var businessDay = false

    public init(workers: Int) { self.workers = max(1, workers) }

    public var queued: Int { waiting.count }

    /// Accepts a request: starts it if a worker is free (returns the request to start), else queues it.
    public mutating func accept(_ request: Request) -> Request? {
        if busy < workers {
            busy += 1
            return request
        }
        waiting.append(request)
        maxQueue = max(maxQueue, waiting.count)
        return nil
    }

    /// A worker finished after `duration` µs: returns the next queued request to start, if any.
    public mutating func finish(duration: Int64) -> Request? {
        served += 1
        busyTime += duration
        if let next = waiting.popFirst() { return next }
        busy -= 1
        return nil
    }
}

extension WorkerPool {
    /// The server skeleton every server node shares: a request arrives, its service time is drawn (slowed while a
    /// slowdown lasts), and a free worker starts it (`.served` when done), or it waits in the queue. Work that
    /// takes no time (the load mode skips delays) is returned to be served at once: an event for it would only be
    /// queued and popped at the same instant.
    mutating func arrive(
        _ request: Request, _ service: ServiceTime, wire: inout Wire, _ context: inout NodeContext<NetworkMessage>
    ) -> Request? {
        var request = request
        request.serviceTime = wire.service(service, node: context.id, at: context.now, &context.random)
        guard let start = accept(request) else {
            queuedAt.append(context.now)
            return nil
        }
        record(wait: 0, arrived: context.now)
        if start.serviceTime == 0 { return start }
        context.schedule(.served(start), after: start.serviceTime)
        return nil
    }

    /// Records a request's wait, in the office hours' histogram too when it arrived in them.
    mutating func record(wait: Int64, arrived: Int64) {
        waits.record(wait)
        let perDay = SimulatedTime.microsecondsPerDay
        let day = arrived >= 0 ? arrived / perDay : -1
        if day != calendarDay {
            calendarDay = day
            businessDay =
                day >= 0 && BusinessCalendar.standard.isBusinessDay(SimulatedTime(microseconds: day * perDay).date)
        }
        let time = arrived - day * perDay
        if businessDay && time >= BusinessCalendar.standard.opening && time < BusinessCalendar.standard.closing {
            officeWaits.record(wait)
        }
    }

    /// A worker finished `request`: the next queued request starts.
    mutating func done(_ request: Request, _ context: inout NodeContext<NetworkMessage>) {
        guard let next = finish(duration: request.serviceTime) else { return }
        if let arrived = queuedAt.popFirst() { record(wait: context.now - arrived, arrived: arrived) }
        context.schedule(.served(next), after: next.serviceTime)
    }
}

/// One span: a hop of a journey with its simulated start and end.
public struct Span: Sendable, Hashable {
    public var journey: UInt64
    public var flow: Flow
    public var hop: Hop
    /// On the span that ends its journey: `.none` when the journey completed, else why it failed (traces' status).
    public var ending: FailureReason? = nil
    public var start: Int64
    public var end: Int64
}

/// Per-flow journey counts and latencies kept by the node that ends journeys.
public struct JourneyStats: Sendable, Hashable {
    public var started = 0
    public var completed = 0
    /// Persons the completed journeys' notices named (a household moving together is one journey).
    public var persons = 0
    public var failed: [FailureReason: Int] = [:]
    /// Latencies of completed journeys, µs (in the load mode: from the intended start, corrected for
    /// coordinated omission).
    public var latency = LatencyHistogram()
    /// In the load mode only: latencies from when the generator actually issued each journey (uncorrected).
    public var uncorrected = LatencyHistogram()

    public init() {}

    public var failedCount: Int { failed.values.reduce(0, +) }

    public mutating func merge(_ other: JourneyStats) {
        started += other.started
        completed += other.completed
        persons += other.persons
        for (k, v) in other.failed { failed[k, default: 0] += v }
        latency.merge(other.latency)
        uncorrected.merge(other.uncorrected)
    }
}

/// Durations of every hop of every flow, one histogram per (flow, hop): each node that records spans keeps one.
public struct HopLatencies: Sendable, Hashable {
    var cells = [LatencyHistogram](
        repeating: LatencyHistogram(resolution: .microseconds), count: Flow.allCases.count * Hop.allCases.count)

    public init() {}

    static func cell(_ flow: Flow, _ hop: Hop) -> Int { Int(flow.rawValue) * Hop.allCases.count + Int(hop.rawValue) }

    public mutating func record(_ span: Span) { cells[Self.cell(span.flow, span.hop)].record(span.end - span.start) }

    public subscript(flow: Flow, hop: Hop) -> LatencyHistogram { cells[Self.cell(flow, hop)] }

    /// The hops of `flow` that occurred, in hop order.
    public func hops(of flow: Flow) -> [(Hop, LatencyHistogram)] {
        Hop.allCases.compactMap { hop in
            let h = self[flow, hop]
            return h.count > 0 ? (hop, h) : nil
        }
    }

    public mutating func merge(_ other: HopLatencies) {
        for i in cells.indices where other.cells[i].count > 0 { cells[i].merge(other.cells[i]) }
    }
}

/// The spans a node recorded, in order, and their durations per (flow, hop).
public struct SpanLog: Sendable {
    public private(set) var spans: [Span] = []
    public private(set) var hops = HopLatencies()
    /// Counter arrivals and completions by hour of the day, for the hourly chart, whichever spans are kept.
    public private(set) var hourly = HourlyCounts()
    /// Whether to keep spans besides the histograms (the load mode keeps none: it would keep millions).
    var keep = true
    /// Spans of a journey are kept when a hash of `seed` and the journey id is at or under this bound: the same
    /// head sampling as the trace export (`OTLPExport.traces`), so a run keeps exactly the journeys it traces and a
    /// simulated year keeps a hundredth of its spans, not all of them.
    let bound: UInt64
    let seed: UInt64

    /// A log keeping `sample` (0–1) of the journeys' spans, chosen by `seed`.
    public init(keep: Bool = true, sample: Double = 1, seed: UInt64 = 0) {
        self.keep = keep && sample > 0
        bound = sample >= 1 ? UInt64.max : UInt64(max(0, sample) * 0x1p64)
        self.seed = seed
    }

    /// The log `service` asks for: spans kept if it records them, for its sample of journeys.
    public init(_ service: ServiceModel) {
        self.init(keep: service.recordSpans, sample: service.spanSample, seed: service.spanSeed)
    }

    public mutating func append(_ span: Span) {
        if keep && (bound == UInt64.max || Mixing.combine(seed, span.journey) <= bound) { spans.append(span) }
        hops.record(span)
        hourly.record(span)
    }
}

/// Counter arrivals (waits starting) and completions (service ending) per hour of the day, JST.
public struct HourlyCounts: Sendable, Hashable {
    public private(set) var arrivals = [Int](repeating: 0, count: 24)
    public private(set) var completions = [Int](repeating: 0, count: 24)

    public init() {}

    static func hour(_ t: Int64) -> Int {
        let day = SimulatedTime.microsecondsPerDay
        return Int((t % day + day) % day / 3_600_000_000)
    }

    mutating func record(_ span: Span) {
        if span.hop == .counterWait { arrivals[Self.hour(span.start)] += 1 }
        if span.hop == .counterService { completions[Self.hour(span.end)] += 1 }
    }

    public mutating func merge(_ other: HourlyCounts) {
        for h in 0..<24 {
            arrivals[h] += other.arrivals[h]
            completions[h] += other.completions[h]
        }
    }
}
