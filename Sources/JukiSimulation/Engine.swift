/// The engine refused a configuration: names the field and the rule.
public struct EngineError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "engine: \(field): \(message)" }
}

/// What a run did.
public struct EngineReport: Sendable, Hashable {
    /// Simulated time the run stopped at (µs).
    public var end: Int64
    /// Events handled, all nodes together.
    public var handled: UInt64
    /// Windows run, and how many of them fanned out to more than one node.
    public var windows: UInt64
    public var parallelWindows: UInt64
    /// Messages exchanged between nodes at barriers.
    public var messages: UInt64
    /// Messages addressed to a node that does not exist (a model error).
    public var undeliverable: UInt64 = 0
}

/// The windowed conservative engine.
///
/// With lookahead `L` (the smallest latency of any link between nodes), every event in `[T, T + L)` can be
/// handled in parallel across nodes: nothing sent in that window reaches another node before `T + L`. Each node
/// handles its window's events in (time, source, sequence) order; sends are gathered at the barrier, routed as
/// arrays, and the next window starts at the earliest pending event. The result is identical on any core count.
public final class Engine<Message: Sendable> {
    public let nodes: [any WindowRunner<Message>]
    public let lookahead: Int64
    /// Windows with fewer active nodes than this run one node after another without fanning out.
    public var fanOutThreshold: Int
    /// What is pending where. ``run(until:progress:)`` takes it out of the engine for its loop and puts it back,
    /// so the loop works on a local value: a class's stored properties would pay a dynamic exclusivity check on
    /// every access, several per message routed.
    @usableFromInline var schedule: Schedule
    @usableFromInline var started = false
    /// What the engine has done so far.
    public var report: EngineReport { schedule.report }

    /// Every node's next event time and pending deliveries, when each node next has work, and the counts.
    @usableFromInline
    struct Schedule {
        @usableFromInline var nextTimes: [Int64]
        @usableFromInline var pending: [[Event<Message>]]
        @usableFromInline var pendingMin: [Int64]
        /// Every node with work, at its earliest time (see ``NodeTimes``).
        @usableFromInline var times: NodeTimes
        /// Buffers reused by every window.
        @usableFromInline var active: [Int] = []
        @usableFromInline var reports: [WindowReport<Message>?] = []
        @usableFromInline var report = EngineReport(end: 0, handled: 0, windows: 0, parallelWindows: 0, messages: 0)

        @usableFromInline
        init(nodes: Int) {
            nextTimes = [Int64](repeating: Int64.max, count: nodes)
            pending = [[Event<Message>]](repeating: [], count: nodes)
            pendingMin = [Int64](repeating: Int64.max, count: nodes)
            times = NodeTimes(nodes: nodes)
            active.reserveCapacity(nodes)
            reports.reserveCapacity(nodes)
        }

        /// When node `i` next has work: its next event or its earliest delivery.
        @inlinable
        func key(_ i: Int) -> Int64 { min(nextTimes[i], pendingMin[i]) }

        /// Records node `i`'s next event time (after a window or at the start) and indexes it.
        @inlinable
        mutating func setNext(_ i: Int, _ time: Int64) {
            nextTimes[i] = time
            times.set(i, key(i))
        }

        /// Inlinable like ``Engine/run(until:progress:)``: unspecialised, every append looked up the event
        /// type's metadata.
        @inlinable
        mutating func route(_ outbox: [Envelope<Message>]) {
            for envelope in outbox {
                let d = Int(envelope.destination)
                guard d < pending.count else {
                    report.undeliverable &+= 1
                    continue
                }
                let before = key(d)
                pending[d].append(envelope.event)
                pendingMin[d] = min(pendingMin[d], envelope.event.time)
                if envelope.event.time < before { times.set(d, envelope.event.time) }
                report.messages &+= 1
            }
        }

        /// Takes every node with work before `windowEnd` off the index into `active`.
        @inlinable
        mutating func take(before windowEnd: Int64, into active: inout [Int]) {
            while times.earliest < windowEnd { active.append(times.popEarliest()) }
        }
    }

    /// An engine over `nodes` (node `i` must have id `i`) with lookahead `lookahead` µs (> 0).
    public init(nodes: [any WindowRunner<Message>], lookahead: Int64, fanOutThreshold: Int = 2) throws(EngineError) {
        guard lookahead > 0 else {
            throw EngineError(field: "lookahead", "must be > 0 µs (the smallest link latency), got \(lookahead)")
        }
        for (i, node) in nodes.enumerated() where node.id != NodeID(i) {
            throw EngineError(field: "nodes", "node at index \(i) has id \(node.id); ids must be dense from 0")
        }
        self.nodes = nodes
        self.lookahead = lookahead
        self.fanOutThreshold = max(2, fanOutThreshold)
        schedule = Schedule(nodes: nodes.count)
    }

    /// The lookahead for a set of link latency minimums: their minimum, validated > 0.
    public static func lookahead(linkMinimums: [Int64]) throws(EngineError) -> Int64 {
        guard let l = linkMinimums.min() else {
            throw EngineError(field: "links", "a network needs at least one link to derive its lookahead")
        }
        guard l > 0 else {
            throw EngineError(field: "links", "every link's minimum latency must be > 0 µs; the smallest is \(l)")
        }
        return l
    }

    /// Runs every event before `end` (µs); can be called again with a later `end` to continue. `progress`, if
    /// given, hears (simulated time, events handled) every few thousand windows, for a progress line.
    /// Inlinable so that callers specialise it for their message type: the window loop then runs without
    /// generic metadata lookups.
    @inlinable
    public func run(until end: Int64, progress: ((Int64, UInt64) -> Void)? = nil) async {
        var s = schedule
        schedule = Schedule(nodes: 0)
        if !started {
            started = true
            for (i, node) in nodes.enumerated() {
                let r = await node.start()
                s.setNext(i, r.nextTime)
                s.route(r.outbox)
            }
        }
        var active = s.active
        var reports = s.reports
        s.active = []
        s.reports = []
        let lookahead = self.lookahead
        let fanOutThreshold = self.fanOutThreshold
        let nodes = self.nodes
        while true {
            let t = s.times.earliest
            if t >= end { break }
            let windowEnd = t > end &- lookahead ? end : min(t &+ lookahead, end)
            active.removeAll(keepingCapacity: true)
            s.report.windows &+= 1
            s.take(before: windowEnd, into: &active)
            // In node order, whatever order the index gave them: routing order decides delivery order.
            active.sort()
            if let progress, s.report.windows & 2047 == 0 { progress(t, s.report.handled) }
            reports.removeAll(keepingCapacity: true)
            if active.count < fanOutThreshold {
                for i in active {
                    s.pendingMin[i] = Int64.max
                    // The node moves the deliveries into its queue and hands the array back empty, capacity kept.
                    let r = await nodes[i].runWindow(until: windowEnd, moving: &s.pending[i])
                    reports.append(r)
                }
            } else {
                s.report.parallelWindows &+= 1
                for _ in active { reports.append(nil) }
                let jobs = active.map { (node: nodes[$0], deliveries: s.pending[$0]) }
                for i in active { s.pendingMin[i] = Int64.max }
                await withTaskGroup(of: (Int, WindowReport<Message>).self) { group in
                    for (k, job) in jobs.enumerated() {
                        group.addTask { (k, await job.node.runWindow(until: windowEnd, deliveries: job.deliveries)) }
                    }
                    for await (k, r) in group { reports[k] = r }
                }
                for i in active { s.pending[i].removeAll(keepingCapacity: true) }
            }
            // Route in node order, whatever order the tasks finished in.
            for (k, i) in active.enumerated() {
                guard let r = reports[k] else { continue }
                s.nextTimes[i] = r.nextTime
                s.report.handled &+= r.handled
                s.route(r.outbox)
            }
            // Index the nodes that ran at their new times, after routing (which may have given them deliveries).
            for i in active { s.times.set(i, s.key(i)) }
            // Drop the reports before the nodes run again, so each node's outbox buffer is unique and reused.
            reports.removeAll(keepingCapacity: true)
        }
        active.removeAll(keepingCapacity: true)
        reports.removeAll(keepingCapacity: true)
        s.active = active
        s.reports = reports
        s.report.end = end
        schedule = s
    }

    /// Delivers events from outside the nodes (the load mode's arrivals); each must not be earlier than the time
    /// the engine has run to.
    public func inject(_ envelopes: [Envelope<Message>]) { schedule.route(envelopes) }

    /// Whether no event is pending at any node and no message is waiting for delivery.
    public var isIdle: Bool {
        schedule.nextTimes.allSatisfy { $0 == Int64.max } && schedule.pendingMin.allSatisfy { $0 == Int64.max }
    }
}
