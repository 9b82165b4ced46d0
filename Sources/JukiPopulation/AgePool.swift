import JukiCore

/// The residents still to be placed in households, counted by (sex, age).
///
/// Every member of every household is drawn from this pool without replacement, so the generated population
/// matches the age pyramid exactly, and ages inside a household stay consistent (parents older than children).
struct AgePool {
    /// counts[sex][age], sex 0 = male, 1 = female.
    var counts: [[Int]]
    var remaining: Int
    let maximumAge: Int

    init(counts: [[Int]]) {
        self.counts = counts
        remaining = counts.reduce(0) { $0 + $1.reduce(0, +) }
        maximumAge = counts[0].count - 1
    }

    func count(ages range: ClosedRange<Int>) -> Int {
        let lo = max(range.lowerBound, 0)
        let hi = min(range.upperBound, maximumAge)
        guard lo <= hi else { return 0 }
        var n = 0
        for a in lo...hi { n += counts[0][a] + counts[1][a] }
        return n
    }

    /// Draws one person of `sex` (or either) aged within `range`, preferring ages near `center` (triangular
    /// weight over ±`spread` years, never below 5 %), and removes them from the pool.
    ///
    /// Bounds are plain integers (an empty span like 18…12 simply finds nobody), so callers can compute them
    /// from ages without building an invalid range.
    mutating func take(
        sex: Int?, from lowest: Int, to highest: Int, center: Int? = nil, spread: Int = 10,
        _ random: inout RandomStream
    ) -> (sex: Int, age: Int)? {
        let lo = max(lowest, 0)
        let hi = min(highest, maximumAge)
        guard lo <= hi, remaining > 0 else { return nil }
        let sexes = sex.map { $0...$0 } ?? 0...1
        // Integer weights keep the draw exact and platform-independent: preference in 1/100.
        @inline(__always) func preference(_ a: Int) -> Int {
            guard let c = center else { return 100 }
            return max(5, 100 - abs(a - c) * 100 / max(spread, 1))
        }
        var total = 0
        for s in sexes {
            for a in lo...hi where counts[s][a] > 0 { total += counts[s][a] * preference(a) }
        }
        guard total > 0 else { return nil }
        var u = Int(random.next(below: UInt64(total)))
        for s in sexes {
            for a in lo...hi where counts[s][a] > 0 {
                let w = counts[s][a] * preference(a)
                if u < w {
                    counts[s][a] -= 1
                    remaining -= 1
                    return (s, a)
                }
                u -= w
            }
        }
        return nil
    }
}
