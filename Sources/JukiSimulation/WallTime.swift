import Dispatch

/// The wall-clock load mode's time: simulated µs that follow the monotonic clock, `base` at `origin`.
///
/// Nodes read it (through ``NodeContext/wallNow``) only to timestamp completions, so latencies are real
/// processing times of the in-memory system rather than the simulated time of the events.
public struct WallTime: Sendable {
    /// The monotonic clock at the start, ns.
    public let origin: UInt64
    /// The simulated time at the start, µs.
    public let base: Int64

    public init(base: Int64) {
        origin = DispatchTime.now().uptimeNanoseconds
        self.base = base
    }

    /// Now, as simulated µs.
    public var now: Int64 { base &+ Int64(truncatingIfNeeded: (DispatchTime.now().uptimeNanoseconds &- origin) / 1000) }

    /// The simulated time `seconds` after the start.
    public func time(afterSeconds seconds: Double) -> Int64 { base &+ Int64(seconds * 1e6) }
}
