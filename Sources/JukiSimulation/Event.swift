/// A node's identifier in a simulation: dense, from 0.
public typealias NodeID = UInt32

/// A scheduled event: when, from whom, the sender's sequence number, and the message.
///
/// Events are ordered by (time, source, sequence); the key is unique, so the order in which a node handles its
/// events never depends on how they were delivered, which is what makes runs identical on any core count.
public struct Event<Message: Sendable>: Sendable {
    /// Simulated time in microseconds (see ``JukiCore/SimulatedTime``).
    public var time: Int64
    public var source: NodeID
    public var sequence: UInt64
    public var message: Message

    @inlinable
    public init(time: Int64, source: NodeID, sequence: UInt64, message: Message) {
        self.time = time
        self.source = source
        self.sequence = sequence
        self.message = message
    }

    /// Whether `self` comes before `other` in handling order.
    @inlinable @inline(__always)
    public func precedes(_ other: Event) -> Bool {
        if time != other.time { return time < other.time }
        if source != other.source { return source < other.source }
        return sequence < other.sequence
    }
}

/// An event on its way to another node, buffered until the window barrier.
public struct Envelope<Message: Sendable>: Sendable {
    public var destination: NodeID
    public var event: Event<Message>

    @inlinable
    public init(destination: NodeID, event: Event<Message>) {
        self.destination = destination
        self.event = event
    }
}
