import Histogram

/// Durations in µs: an HDR histogram with the exact count, sum, minimum and maximum.
///
/// Each node keeps its own and the report merges them, so memory stays bounded however long a run is and the
/// merge order cannot change a percentile. The histogram is created on the first record: most flow and hop
/// pairs never occur and cost nothing.
public struct LatencyHistogram: Sendable {
    /// How finely durations are bucketed; only histograms of the same resolution merge.
    public enum Resolution: Sendable, Hashable {
        /// Journeys and waits (seconds to hours): 1 ms steps, three significant digits; about 60 KB each.
        case milliseconds
        /// Hops (network round trips of a few ms up to desk time): 1 µs steps, two significant digits; about
        /// 13 KB each, as a counter keeps dozens of them.
        case microseconds
    }

    public let resolution: Resolution
    var histogram: Histogram<UInt32>?
    public internal(set) var count = 0
    public internal(set) var sum: Int64 = 0
    public internal(set) var minimum: Int64 = 0
    public internal(set) var maximum: Int64 = 0

    public init(resolution: Resolution = .milliseconds) { self.resolution = resolution }

    /// A histogram sized for the usual range (up to ~2.4 h for journeys, ~36 min for hops) that still grows for
    /// rarer, longer values: growing copies every bucket, so it must stay rare.
    func makeHistogram() -> Histogram<UInt32> {
        var h: Histogram<UInt32>
        switch resolution {
        case .milliseconds:
            h = Histogram(
                lowestDiscernibleValue: 1_000, highestTrackableValue: 1 << 33, numberOfSignificantValueDigits: .three)
        case .microseconds:
            h = Histogram(
                lowestDiscernibleValue: 1, highestTrackableValue: 1 << 31, numberOfSignificantValueDigits: .two)
        }
        h.autoResize = true
        return h
    }

    /// Records one duration; negative durations (which no hop produces) count as 0.
    public mutating func record(_ microseconds: Int64) {
        let v = max(microseconds, 0)
        if histogram == nil { histogram = makeHistogram() }
        histogram?.record(UInt64(v))
        minimum = count == 0 ? v : min(minimum, v)
        maximum = count == 0 ? v : max(maximum, v)
        count += 1
        sum += v
    }

    /// Adds every duration of `other`.
    public mutating func merge(_ other: LatencyHistogram) {
        guard other.count > 0, let theirs = other.histogram else { return }
        if count == 0 {
            // Nothing recorded here yet: take the other's layout too, so no precision is lost.
            self = other
            return
        }
        var mine = histogram ?? makeHistogram()
        histogram = nil
        if resolution == other.resolution {
            mine.add(theirs)
        } else {
            // Different bucket layouts cannot be added bucket by bucket: replay the other's values instead.
            for v in theirs.recordedValues() { mine.record(v.value, count: UInt32(clamping: v.count)) }
        }
        histogram = mine
        minimum = count == 0 ? other.minimum : min(minimum, other.minimum)
        maximum = count == 0 ? other.maximum : max(maximum, other.maximum)
        count += other.count
        sum += other.sum
    }

    /// The exact mean, µs (0 when empty).
    public var mean: Double { count == 0 ? 0 : Double(sum) / Double(count) }

    /// The value at percentile `p` (0–100), µs: within 0.1 % (or 1 ms) of the exact nearest-rank value for
    /// `.milliseconds`, within 1 % for `.microseconds`, and never above the maximum; 0 when empty.
    public func percentile(_ p: Double) -> Int64 {
        guard let h = histogram, count > 0 else { return 0 }
        if p >= 100 { return maximum }
        if p <= 0 { return minimum }
        return min(Int64(h.valueAtPercentile(p)), maximum)
    }

    /// Each recorded bucket, lowest first: its top value (HdrHistogram's highest equivalent value, capped at the
    /// exact maximum), µs, and how many durations it holds. Exporters (Prometheus buckets) read the distribution so.
    public func forEachBucket(_ body: (_ microseconds: Int64, _ count: Int) -> Void) {
        guard let h = histogram, count > 0 else { return }
        for v in h.recordedValues() where v.count > 0 {
            body(min(Int64(clamping: h.highestEquivalentForValue(v.value)), maximum), Int(v.count))
        }
    }

    /// The share of recorded durations at or below `microseconds` (0–1), for cumulative charts.
    public func share(atOrBelow microseconds: Int64) -> Double {
        guard let h = histogram, count > 0 else { return 0 }
        if microseconds >= maximum { return 1 }
        return h.percentileAtOrBelowValue(UInt64(max(microseconds, 0))) / 100
    }
}

extension LatencyHistogram: Equatable {
    /// Equal when the exact moments and every bucket count agree.
    public static func == (a: LatencyHistogram, b: LatencyHistogram) -> Bool {
        guard a.resolution == b.resolution, a.count == b.count, a.sum == b.sum, a.minimum == b.minimum,
            a.maximum == b.maximum
        else { return false }
        guard let x = a.histogram, let y = b.histogram else { return a.histogram == nil && b.histogram == nil }
        return Array(x.recordedValues().map { ($0.value, $0.count) }).elementsEqual(
            y.recordedValues().map { ($0.value, $0.count) }, by: ==)
    }
}

extension LatencyHistogram: Hashable {
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(sum)
        hasher.combine(minimum)
        hasher.combine(maximum)
    }
}
