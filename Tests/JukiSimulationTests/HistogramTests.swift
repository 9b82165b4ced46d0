import Foundation
import JukiCore
import JukiSimulation
import Testing

@Suite("Latency histograms and timelines")
struct HistogramTests {
    /// Log-uniform durations from 1 µs to about 3 hours, like a mix of network hops and counter waits.
    static func sample(_ n: Int, seed: UInt64) -> [Int64] {
        var random = RandomStream(seed: seed)
        return (0..<n).map { _ in Int64(exp(random.nextUnit() * 23)) }
    }

    static func nearestRank(_ sorted: [Int64], _ p: Double) -> Int64 {
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    @Test("percentiles are within 0.1 % of the exact nearest-rank values; moments are exact")
    func percentiles() {
        let values = Self.sample(100_000, seed: 3)
        var h = LatencyHistogram()
        var fine = LatencyHistogram(resolution: .microseconds)
        for v in values {
            h.record(v)
            fine.record(v)
        }
        let sorted = values.sorted()
        for p in [1.0, 10, 50, 90, 95, 99, 99.9, 99.99] {
            let exact = Double(Self.nearestRank(sorted, p))
            let measured = Double(h.percentile(p))
            #expect(abs(measured - exact) <= max(1_000, exact * 0.001), "p\(p): \(measured) against \(exact)")
            let m = Double(fine.percentile(p))
            #expect(abs(m - exact) <= max(1, exact * 0.01), "fine p\(p): \(m) against \(exact)")
        }
        #expect(h.count == values.count)
        #expect(h.sum == values.reduce(0, +))
        #expect(h.minimum == sorted.first)
        #expect(h.maximum == sorted.last)
        #expect(h.percentile(100) == sorted.last)
        #expect(h.share(atOrBelow: sorted.last ?? 0) == 1)
    }

    @Test("merging per-node histograms gives the histogram of all values, in any order")
    func merge() {
        let values = Self.sample(30_000, seed: 9)
        var whole = LatencyHistogram()
        for v in values { whole.record(v) }
        var parts = [LatencyHistogram](repeating: LatencyHistogram(), count: 3)
        for (i, v) in values.enumerated() { parts[i % 3].record(v) }
        var forward = LatencyHistogram()
        for p in parts { forward.merge(p) }
        var backward = LatencyHistogram()
        for p in parts.reversed() { backward.merge(p) }
        backward.merge(LatencyHistogram())
        #expect(forward == whole)
        #expect(backward == whole)
        for p in [50.0, 99, 99.9] { #expect(forward.percentile(p) == whole.percentile(p)) }
        // Histograms of another resolution merge by replaying their values.
        var mixed = LatencyHistogram()
        var fine = LatencyHistogram(resolution: .microseconds)
        for v in values { fine.record(v) }
        mixed.merge(fine)
        #expect(mixed.count == whole.count && mixed.sum == whole.sum && mixed.maximum == whole.maximum)
        #expect(abs(Double(mixed.percentile(99)) - Double(whole.percentile(99))) <= Double(whole.percentile(99)) * 0.02)
    }

    @Test("an empty histogram reports zeros; negative durations count as zero")
    func empty() {
        var h = LatencyHistogram()
        #expect(h.count == 0 && h.mean == 0 && h.percentile(99) == 0 && h.share(atOrBelow: 5) == 0)
        h.record(-5)
        #expect(h.count == 1 && h.minimum == 0 && h.maximum == 0 && h.percentile(50) == 0)
    }

    @Test("a level timeline gives time-weighted means and peaks per bin")
    func timeline() {
        var t = LevelTimeline(origin: 1_000, binWidth: 100)
        t.set(2, at: 1_050)  // bin 0: level 0 for 50, then 2 for 50 → mean 1
        t.set(4, at: 1_150)  // bin 1: 2 for 50, 4 for 50 → mean 3
        t.set(0, at: 1_200)
        let closed = t.closed(at: 1_400)
        #expect(closed.area.count == 4)
        #expect(closed.mean(0) == 1)
        #expect(closed.mean(1) == 3)
        #expect(closed.mean(2) == 0 && closed.mean(3) == 0)
        #expect(closed.peak[0] == 2 && closed.peak[1] == 4 && closed.peak[2] == 0)
        #expect(closed.mean(99) == 0)
    }

    @Test("binned durations group by start time")
    func binned() {
        var b = BinnedDurations(origin: 0, binWidth: 10)
        b.record(4, startedAt: 3)
        b.record(8, startedAt: 9)
        b.record(100, startedAt: 25)
        #expect(b.count == [2, 0, 1])
        #expect(b.mean(0) == 6 && b.mean(1) == 0 && b.mean(2) == 100)
        #expect(b.maximum == [8, 0, 100])
    }
}
