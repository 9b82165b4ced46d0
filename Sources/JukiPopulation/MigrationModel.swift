import Foundation
import JukiCore

/// Where movers between municipalities go: the published 47 × 47 table of movers between prefectures, and a
/// gravity rule within a prefecture.
///
/// Between prefectures P and Q (P ≠ Q) the table's movers `F(P→Q)` (住民基本台帳人口移動報告 2025, 第2表;
/// `Scripts/data/prefecture-migration-2025.tsv`) are shared out by population at both ends: a municipality i of P
/// sends `F(P→Q) × pop_i / pop_P × pop_j / pop_Q` a year to a municipality j of Q. Within a prefecture, whose
/// moves the table leaves out, the 2024 national total of movers between municipalities of one prefecture
/// (2,684,497) is shared by population [E: no per-prefecture series in a readable copy], each origin's share going
/// to the prefecture's other municipalities in proportion to `pop_j / max(d_ij, 5 km)²` [E: a gravity rule; the
/// floor keeps neighbouring wards from taking everything], over the town halls' positions. Populations are the
/// 2026-01-01 register's (``MunicipalityEntry/population``); the sums run over every municipality of the nation,
/// so a model of a few prefectures has the movers between those and drops the rest rather than inflating them.
public struct MigrationModel: Sendable {
    /// Movers between municipalities of one prefecture, the nation over, in 2024 (住民基本台帳人口移動報告 2024).
    public static let withinPrefectureMovers2024 = 2_684_497.0
    /// The gravity rule's distance floor, km.
    public static let distanceFloor = 5.0

    /// The modelled municipalities, in the caller's order.
    public let members: [MunicipalityEntry]
    /// Movers a year from member i to member j, row-major (i × count + j); the diagonal is 0.
    let flows: [Double]

    /// The model over `members` (no code twice).
    public init(members: [MunicipalityEntry]) {
        self.members = members
        let n = members.count
        var prefecturePopulation = [Double](repeating: 0, count: 48)
        for e in MunicipalityDirectory.all where (1...47).contains(e.prefectureCode) {
            prefecturePopulation[e.prefectureCode] += Double(e.population)
        }
        let national = max(Double(MunicipalityDirectory.nationalPopulation), 1)
        // Each member's gravity denominator: the pull of every other municipality of its prefecture, modelled or not.
        let pull: [Double] = members.map { i in
            MunicipalityDirectory.all.reduce(0) { sum, k in
                guard k.prefectureCode == i.prefectureCode, k.code != i.code else { return sum }
                return sum + Self.gravity(from: i, to: k)
            }
        }
        var flows = [Double](repeating: 0, count: n * n)
        for (a, i) in members.enumerated() {
            let p = i.prefectureCode
            guard (1...47).contains(p), prefecturePopulation[p] > 0 else { continue }
            let share = Double(i.population) / prefecturePopulation[p]
            let within = Self.withinPrefectureMovers2024 * prefecturePopulation[p] / national * share
            for (b, j) in members.enumerated() where b != a {
                let q = j.prefectureCode
                guard (1...47).contains(q), prefecturePopulation[q] > 0 else { continue }
                if p == q {
                    flows[a * n + b] = pull[a] > 0 ? within * Self.gravity(from: i, to: j) / pull[a] : 0
                } else {
                    let table = Double(PrefectureMigrationData.movers[p - 1][q - 1])
                    flows[a * n + b] = table * share * Double(j.population) / prefecturePopulation[q]
                }
            }
        }
        self.flows = flows
    }

    /// Movers a year from member `from` to member `to`.
    public func movers(from: Int, to: Int) -> Double {
        guard members.indices.contains(from), members.indices.contains(to) else { return 0 }
        return flows[from * members.count + to]
    }

    /// Movers a year out of member `i` to the other members (but those in `excluding`).
    public func outflow(of i: Int, excluding: Set<Int> = []) -> Double {
        members.indices.reduce(0) { $0 + (excluding.contains($1) ? 0 : movers(from: i, to: $1)) }
    }

    /// The destinations of member `i`'s movers (but those in `excluding`) as a cumulative table for ``pick(_:_:)``.
    public func destinations(of i: Int, excluding: Set<Int> = []) -> [Double] {
        Self.cumulative(members.indices.map { excluding.contains($0) ? 0 : movers(from: i, to: $0) })
    }

    /// The origins of movers into member `j` (but those in `excluding`) as a cumulative table for ``pick(_:_:)``.
    public func origins(of j: Int, excluding: Set<Int> = []) -> [Double] {
        Self.cumulative(members.indices.map { excluding.contains($0) ? 0 : movers(from: $0, to: j) })
    }

    /// Running sums of `weights` (negative weights count as 0).
    public static func cumulative(_ weights: [Double]) -> [Double] {
        var total = 0.0
        return weights.map {
            total += max($0, 0)
            return total
        }
    }

    /// The index a uniform `unit` in [0, 1) picks from a cumulative table: the first whose running sum exceeds
    /// `unit × total`, so an index with weight 0 is never picked; nil when every weight is 0.
    public static func pick(_ cumulative: [Double], _ unit: Double) -> Int? {
        guard let total = cumulative.last, total > 0 else { return nil }
        let target = unit * total
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > target { high = mid } else { low = mid + 1 }
        }
        // A unit of 1 (never drawn) lands on the last index: step back to the last with a weight.
        while low > 0 && cumulative[low] == cumulative[low - 1] { low -= 1 }
        return low
    }

    /// The gravity rule's weight of `to` for movers from `from`.
    static func gravity(from: MunicipalityEntry, to: MunicipalityEntry) -> Double {
        let d = max(distance(from, to), distanceFloor)
        return Double(to.population) / (d * d)
    }

    /// Great-circle distance between two town halls, km.
    public static func distance(_ a: MunicipalityEntry, _ b: MunicipalityEntry) -> Double {
        let r = 6_371.0
        let p1 = a.latitude * .pi / 180
        let p2 = b.latitude * .pi / 180
        let dp = p2 - p1
        let dl = (b.longitude - a.longitude) * .pi / 180
        let h = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2)
        return 2 * r * asin(min(1, sqrt(h)))
    }
}
