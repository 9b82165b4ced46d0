public import JukiNetwork
public import JukiSimulation

/// Drives one node behaviour with hand-made messages and captures what it sends, without an engine or other
/// nodes: the single-node harness (as swift-nio's `EmbeddedChannel`).
///
/// ```swift
/// var cs = NodeHarness(MunicipalCS(...), id: layout.municipalCS)
/// let sent = cs.deliver(.request(request), from: layout.counters[0], at: 0)
/// #expect(sent.first?.destination == layout.nationalServer)
/// ```
public struct NodeHarness<Behavior: NodeBehavior> where Behavior.Message == NetworkMessage {
    /// The behaviour and its context, run window by window as a node actor runs them.
    public private(set) var core: NodeCore<Behavior>
    var sequence: UInt64 = 0
    var started = false

    /// A harness for `behavior` as node `id`, with its random stream from `seed`, at simulated time `start`.
    public init(_ behavior: Behavior, id: NodeID, seed: UInt64 = 1, start: Int64 = 0, lookahead: Int64 = 500) {
        core = NodeCore(
            behavior: behavior, context: NodeContext(id: id, seed: seed, lookahead: lookahead, start: start))
    }

    /// The behaviour's state now.
    public var behavior: Behavior { core.behavior }

    /// The simulated time of the last event handled.
    public var now: Int64 { core.context.now }

    /// Events the node has handled (deliveries and its own timers and workers).
    public var handled: UInt64 { core.context.handled }

    /// Messages the behaviour had no handler for, by kind.
    public var unhandled: [MessageKind: Int] {
        var counts: [MessageKind: Int] = [:]
        for (kind, count) in core.context.unhandled.enumerated() where count > 0 {
            if let k = MessageKind(rawValue: kind) { counts[k] = Int(clamping: count) }
        }
        return counts
    }

    /// Runs the behaviour's `start` (once), returning what it sent.
    public mutating func start() -> [Envelope<NetworkMessage>] {
        guard !started else { return [] }
        started = true
        return core.start().outbox
    }

    /// Delivers `message` from `source` at `time`, then runs the node's own events (timers, workers) up to
    /// `until` (default: `time` plus one simulated hour); returns everything it sent to other nodes, in order.
    public mutating func deliver(
        _ message: NetworkMessage, from source: NodeID, at time: Int64, until: Int64? = nil
    ) -> [Envelope<NetworkMessage>] {
        var sent = start()
        sequence += 1
        let event = Event(time: time, source: source, sequence: sequence, message: message)
        sent += core.runWindow(until: time + 1, deliveries: [event]).outbox
        sent += run(until: until ?? SimulatedDuration.adding(time, 3_600_000_000))
        return sent
    }

    /// Runs the node's own pending events before `end`; returns what it sent.
    public mutating func run(until end: Int64) -> [Envelope<NetworkMessage>] {
        var sent = start()
        sent += core.runWindow(until: end, deliveries: []).outbox
        return sent
    }
}

extension Envelope where Message == NetworkMessage {
    /// The request this envelope carries, if it carries one.
    public var request: Request? {
        if case .request(let r) = event.message { return r }
        return nil
    }

    /// The response this envelope carries, if it carries one.
    public var response: Response? {
        if case .response(let r) = event.message { return r }
        return nil
    }
}
