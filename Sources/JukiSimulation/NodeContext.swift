public import JukiCore

/// What a node's handler sees and uses: the clock, its random stream, and the means to schedule and send.
///
/// Sends are buffered in the outbox and exchanged as one array at the window barrier; nothing awaits per message.
public struct NodeContext<Message: Sendable>: Sendable {
    public let id: NodeID
    /// The current simulated time (µs): the time of the event being handled.
    public var now: Int64 { _now }
    @usableFromInline var _now: Int64
    /// The node's own random stream, derived from (seed, node id).
    public var random: RandomStream
    /// The smallest delay of a send to another node; sends shorter than this are stretched to it and counted.
    public let lookahead: Int64
    @usableFromInline var queue = EventQueue<Message>()
    @usableFromInline var outbox: [Envelope<Message>] = []
    @usableFromInline var nextSequence: UInt64 = 0
    /// Events handled so far.
    public var handled: UInt64 { _handled }
    @usableFromInline var _handled: UInt64 = 0
    /// A running hash of every handled event's (time, source, sequence): equal digests mean equal histories.
    public var digest: UInt64 { _digest }
    @usableFromInline var _digest: UInt64 = 0
    /// Sends that asked for less than the lookahead (a model error the report shows).
    public var lookaheadViolations: UInt64 { _lookaheadViolations }
    @usableFromInline var _lookaheadViolations: UInt64 = 0
    /// Events scheduled in the past, moved to `now` (a model error the report shows).
    public var pastSchedules: UInt64 { _pastSchedules }
    @usableFromInline var _pastSchedules: UInt64 = 0

    /// Messages the behaviour had no handler for, by message kind (a model error the report shows).
    public private(set) var unhandled: [UInt64] = []

    /// Set in the wall-clock load mode: then ``wallNow`` reads the monotonic clock.
    public var wall: WallTime?

    /// The real time now in the load mode, or the simulated time in virtual time.
    @inlinable
    public var wallNow: Int64 { wall?.now ?? _now }

    public init(id: NodeID, seed: UInt64, lookahead: Int64, start: Int64) {
        self.id = id
        self.lookahead = lookahead
        _now = start
        random = RandomStream(seed: seed, stream: 0x4E4F_4445_0000_0000 | UInt64(id))
    }

    /// Schedules `message` for this node at `time` (not before now).
    @inlinable
    public mutating func schedule(_ message: Message, at time: Int64) {
        var t = time
        if t < now {
            t = now
            _pastSchedules &+= 1
        }
        queue.push(Event(time: t, source: id, sequence: nextSequence, message: message))
        nextSequence &+= 1
    }

    /// Schedules `message` for this node `delay` µs from now.
    @inlinable
    public mutating func schedule(_ message: Message, after delay: Int64) {
        schedule(message, at: SimulatedDuration.adding(now, max(delay, 0)))
    }

    /// Sends `message` to `destination`, arriving `delay` µs from now (at least the lookahead).
    @inlinable
    public mutating func send(_ message: Message, to destination: NodeID, delay: Int64) {
        if destination == id {
            schedule(message, after: delay)
            return
        }
        var d = delay
        if d < lookahead {
            d = lookahead
            _lookaheadViolations &+= 1
        }
        outbox.append(
            Envelope(
                destination: destination,
                event: Event(
                    time: SimulatedDuration.adding(now, d), source: id, sequence: nextSequence, message: message)))
        nextSequence &+= 1
    }

    /// Moves the clock to `event` and folds it into the digest, before the handler runs.
    @inlinable @inline(__always)
    mutating func begin(_ event: Event<Message>) {
        _now = event.time
        _handled &+= 1
        _digest = Mixing.combine(digest ^ UInt64(bitPattern: event.time), UInt64(event.source) << 40 ^ event.sequence)
    }

    /// Counts a message of kind `kind` (a small index the message type defines) that the behaviour could not
    /// handle.
    public mutating func countUnhandled(kind: Int) {
        guard kind >= 0 else { return }
        while unhandled.count <= kind { unhandled.append(0) }
        unhandled[kind] &+= 1
    }

    /// The number of events waiting in this node's queue.
    public var pendingEvents: Int { queue.count }
}

/// Saturating arithmetic on simulated time (µs): a delay no clock could reach ends at the end of time instead of
/// wrapping into the past or trapping.
public enum SimulatedDuration {
    /// `time + delay`, or `Int64.max` where that overflows.
    @inlinable
    public static func adding(_ time: Int64, _ delay: Int64) -> Int64 {
        let (sum, overflow) = time.addingReportingOverflow(delay)
        return overflow ? (delay > 0 ? Int64.max : Int64.min) : sum
    }

    /// A duration in µs from a Double, rounded and clamped to what `Int64` holds (NaN counts as 0).
    @inlinable
    public static func saturating(_ microseconds: Double) -> Int64 {
        guard microseconds.isFinite else { return microseconds.isNaN ? 0 : (microseconds > 0 ? Int64.max : 0) }
        // 2^62 µs is beyond 146,000 years: far past any run, and far from Int64's edge.
        return Int64(min(max(microseconds.rounded(), 0), 4.611_686_018_427_388e18))
    }
}
