/// A level that steps over simulated time (a queue's length), summarised per fixed-width bin: the
/// time-weighted mean and the peak. Updating costs O(bins crossed), so a day of changes costs next to nothing.
public struct LevelTimeline: Sendable, Hashable {
    /// The start of bin 0 and the width of every bin, µs.
    public let origin: Int64
    public let binWidth: Int64
    /// Level × µs accumulated per bin, and the highest level seen in each bin.
    public private(set) var area: [Int64] = []
    public private(set) var peak: [Int32] = []
    public private(set) var level = 0
    var since: Int64

    public init(origin: Int64, binWidth: Int64) {
        self.origin = origin
        self.binWidth = max(1, binWidth)
        since = origin
    }

    func bin(_ time: Int64) -> Int { Int(max(0, time - origin) / binWidth) }

    mutating func grow(to bin: Int) {
        while area.count <= bin {
            area.append(0)
            peak.append(0)
        }
    }

    /// Accumulates the current level up to `time`.
    mutating func advance(to time: Int64) {
        guard time > since else { return }
        var t = since
        while t < time {
            let b = bin(t)
            grow(to: b)
            let binEnd = origin + Int64(b + 1) * binWidth
            let end = min(binEnd, time)
            area[b] += Int64(level) * (end - t)
            if level > 0 { peak[b] = max(peak[b], Int32(clamping: level)) }
            t = end
        }
        since = time
    }

    /// The level becomes `newLevel` at `time` (times never go back).
    public mutating func set(_ newLevel: Int, at time: Int64) {
        advance(to: time)
        level = newLevel
        let b = bin(time)
        grow(to: b)
        peak[b] = max(peak[b], Int32(clamping: newLevel))
    }

    /// A copy accumulated up to `time` (the end of the run), so the last bins are complete.
    public func closed(at time: Int64) -> LevelTimeline {
        var copy = self
        copy.advance(to: time)
        return copy
    }

    /// The time-weighted mean level of bin `b`.
    public func mean(_ b: Int) -> Double { area.indices.contains(b) ? Double(area[b]) / Double(binWidth) : 0 }
}

/// Durations grouped by the bin of the time they started (waits by arrival time), summarised per bin: count,
/// sum and maximum.
public struct BinnedDurations: Sendable, Hashable {
    public let origin: Int64
    public let binWidth: Int64
    public private(set) var count: [Int32] = []
    public private(set) var sum: [Int64] = []
    public private(set) var maximum: [Int64] = []

    public init(origin: Int64, binWidth: Int64) {
        self.origin = origin
        self.binWidth = max(1, binWidth)
    }

    /// Records `duration` µs for something that started at `start`.
    public mutating func record(_ duration: Int64, startedAt start: Int64) {
        let b = Int(max(0, start - origin) / binWidth)
        while count.count <= b {
            count.append(0)
            sum.append(0)
            maximum.append(0)
        }
        count[b] += 1
        sum[b] += duration
        maximum[b] = max(maximum[b], duration)
    }

    /// The mean of bin `b`, µs (0 when empty).
    public func mean(_ b: Int) -> Double {
        count.indices.contains(b) && count[b] > 0 ? Double(sum[b]) / Double(count[b]) : 0
    }
}
