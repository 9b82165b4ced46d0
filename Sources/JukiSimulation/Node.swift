/// A node's behaviour: synchronous handlers that turn an event into state changes, schedules and sends.
///
/// The same handlers serve virtual time and (later) the wall-clock mode; only delivery differs.
public protocol NodeBehavior: Sendable {
    associatedtype Message: Sendable
    /// Called once before the first window: schedule the node's first events.
    mutating func start(_ context: inout NodeContext<Message>)
    /// Handles one event.
    mutating func handle(_ event: Event<Message>, _ context: inout NodeContext<Message>)
}

extension NodeBehavior {
    public mutating func start(_ context: inout NodeContext<Message>) {}
}

/// What a node reports at the end of a window.
public struct WindowReport<Message: Sendable>: Sendable {
    /// Events for other nodes, in the order they were sent.
    public var outbox: [Envelope<Message>]
    /// The time of the node's earliest pending event, or `Int64.max`.
    public var nextTime: Int64
    public var handled: UInt64

    @inlinable
    public init(outbox: [Envelope<Message>], nextTime: Int64, handled: UInt64) {
        self.outbox = outbox
        self.nextTime = nextTime
        self.handled = handled
    }
}

/// A node the engine can run window by window: an actor, so nodes run in parallel.
public protocol WindowRunner<Message>: Actor {
    associatedtype Message: Sendable
    nonisolated var id: NodeID { get }
    /// Runs the behaviour's `start`; returns its sends and first event time.
    func start() -> WindowReport<Message>
    /// Takes `deliveries`, handles every event before `end` in (time, source, sequence) order, returns the sends.
    func runWindow(until end: Int64, deliveries: [Event<Message>]) -> WindowReport<Message>
    /// The same, moving the deliveries out of the caller's array (left empty, its capacity kept) instead of copying
    /// them: the engine's sequential windows, most of a long run's.
    func runWindow(until end: Int64, moving deliveries: inout [Event<Message>]) -> WindowReport<Message>
}

/// The state a node actor owns: behaviour and context together, so one window is one mutating call.
public struct NodeCore<Behavior: NodeBehavior>: Sendable {
    public var behavior: Behavior
    public var context: NodeContext<Behavior.Message>

    public init(behavior: Behavior, context: NodeContext<Behavior.Message>) {
        self.behavior = behavior
        self.context = context
    }

    @inlinable
    public mutating func start() -> WindowReport<Behavior.Message> {
        behavior.start(&context)
        var outbox: [Envelope<Behavior.Message>] = []
        swap(&outbox, &context.outbox)
        return WindowReport(outbox: outbox, nextTime: context.queue.nextTime, handled: 0)
    }

    /// The window loop. Inside this mutating method the behaviour and context are plain struct fields, so the
    /// loop pays no dynamic exclusivity checks (the actor's property is accessed once per window).
    @inlinable
    public mutating func runWindow(until end: Int64, deliveries: [Event<Behavior.Message>])
        -> WindowReport<Behavior.Message>
    {
        for event in deliveries { context.queue.push(event) }
        return runQueued(until: end)
    }

    /// ``runWindow(until:deliveries:)`` with the deliveries moved out of `deliveries`, not copied (a copy and a
    /// release of every message were about 8 % of a long run); the array comes back empty with its capacity. The
    /// queue orders by (time, source, sequence), which no two events share, so the order of the pushes is moot.
    @inlinable
    public mutating func runWindow(until end: Int64, moving deliveries: inout [Event<Behavior.Message>])
        -> WindowReport<Behavior.Message>
    {
        while let event = deliveries.popLast() { context.queue.push(event) }
        return runQueued(until: end)
    }

    /// Handles the queued events before `end` and reports.
    @inlinable
    mutating func runQueued(until end: Int64) -> WindowReport<Behavior.Message> {
        // The engine dropped last window's report before calling again, so this keeps the buffer: no allocation.
        context.outbox.removeAll(keepingCapacity: true)
        let before = context.handled
        while context.queue.nextTime < end, let event = context.queue.pop() {
            context.begin(event)
            behavior.handle(event, &context)
        }
        return WindowReport(
            outbox: context.outbox, nextTime: context.queue.nextTime, handled: context.handled &- before)
    }
}

/// A node actor around one concrete ``NodeBehavior``.
///
/// Declare one actor per behaviour (an `id`, a `core` and the memberwise `init(id:core:)`): the default
/// implementations below are then specialised for that behaviour where it is declared, so the window loop runs
/// without generic dispatch. ``Node`` is the generic one, for tests and small models.
public protocol BehaviorNode<Behavior>: WindowRunner where Message == Behavior.Message {
    associatedtype Behavior: NodeBehavior
    var core: NodeCore<Behavior> { get set }
    init(id: NodeID, core: NodeCore<Behavior>)
}

extension BehaviorNode {
    public init(id: NodeID, behavior: Behavior, seed: UInt64, lookahead: Int64, start: Int64) {
        self.init(
            id: id,
            core: NodeCore(
                behavior: behavior, context: NodeContext(id: id, seed: seed, lookahead: lookahead, start: start)))
    }

    @inlinable
    public func start() -> WindowReport<Behavior.Message> { core.start() }

    @inlinable
    public func runWindow(until end: Int64, deliveries: [Event<Behavior.Message>]) -> WindowReport<Behavior.Message> {
        core.runWindow(until: end, deliveries: deliveries)
    }

    @inlinable
    public func runWindow(until end: Int64, moving deliveries: inout [Event<Behavior.Message>])
        -> WindowReport<Behavior.Message>
    {
        core.runWindow(until: end, moving: &deliveries)
    }

    /// The behaviour's state, for reports after a run.
    public var behavior: Behavior { core.behavior }

    /// The node's counters: handled events, digest, model errors.
    public var statistics: NodeStatistics {
        NodeStatistics(
            handled: core.context.handled, digest: core.context.digest,
            lookaheadViolations: core.context.lookaheadViolations, pastSchedules: core.context.pastSchedules,
            unhandled: core.context.unhandled)
    }

    /// Switches the node to the wall-clock load mode's time.
    public func useWallTime(_ wall: WallTime) { core.context.wall = wall }
}

/// A node of the simulation: a generic actor around a ``NodeBehavior``.
public actor Node<Behavior: NodeBehavior>: BehaviorNode {
    public nonisolated let id: NodeID
    public var core: NodeCore<Behavior>

    public init(id: NodeID, core: NodeCore<Behavior>) {
        self.id = id
        self.core = core
    }
}

/// Counters a node keeps about itself.
public struct NodeStatistics: Sendable, Hashable {
    public var handled: UInt64
    public var digest: UInt64
    public var lookaheadViolations: UInt64
    public var pastSchedules: UInt64
    /// Messages the behaviour had no handler for, by message kind.
    public var unhandled: [UInt64] = []
}
