import Dispatch

/// Elapsed wall time, for reporting only: never part of simulated results.
public struct WallClock: Sendable {
    let start = DispatchTime.now().uptimeNanoseconds

    public init() {}

    public var seconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}
