#if canImport(Glibc)
    public import Glibc
#elseif canImport(Musl)
    public import Musl
#elseif canImport(Darwin)
    public import Darwin
#endif

/// A deterministic random stream of our own (SplitMix64), so output never depends on the Swift runtime.
///
/// Streams are derived from a root seed and a stream identifier (a household index, a node id), so work can be
/// split over any number of threads and still give identical output.
public struct RandomStream: RandomNumberGenerator, Sendable {
    @usableFromInline var state: UInt64

    /// A stream for `stream` under root `seed`.
    @inlinable
    public init(seed: UInt64, stream: UInt64 = 0) {
        state = Mixing.combine(seed, stream)
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Mixing.fmix64(state)
    }

    /// A uniform integer in `0 ..< bound` (Lemire's multiply-shift; the tiny bias is irrelevant here).
    @inlinable
    public mutating func next(below bound: UInt64) -> UInt64 {
        bound == 0 ? 0 : next().multipliedFullWidth(by: bound).high
    }

    /// A uniform integer in `range`.
    @inlinable
    public mutating func next(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next(below: UInt64(range.upperBound - range.lowerBound + 1)))
    }

    /// A uniform double in `[0, 1)` with 53 random bits.
    @inlinable
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// `true` with probability `p`.
    @inlinable
    public mutating func chance(_ p: Double) -> Bool { nextUnit() < p }

    /// An exponential variate with the given mean.
    @inlinable
    public mutating func nextExponential(mean: Double) -> Double {
        -mean * log1pNeg(nextUnit())
    }

    @inlinable
    func log1pNeg(_ u: Double) -> Double {
        // log(1 - u) for u in [0, 1): 1 - u is in (0, 1], never log(0).
        log(1 - u)
    }
}
