import JukiCore
import JukiRegister

/// Weighted picks from a list: cumulative weights and a binary search.
struct WeightedTable: Sendable {
    let cumulative: [UInt64]

    init(_ weights: [UInt64]) {
        var c: [UInt64] = []
        c.reserveCapacity(weights.count)
        var sum: UInt64 = 0
        for w in weights {
            sum += w
            c.append(sum)
        }
        cumulative = c
    }

    var total: UInt64 { cumulative.last ?? 0 }

    /// An index drawn with probability proportional to its weight.
    @inline(__always)
    func pick(_ random: inout RandomStream) -> Int {
        let u = random.next(below: total)
        var lo = 0
        var hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) >> 1
            if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}

/// A pool of name ids (interned in a ``NamePool``) with weights.
struct NameChoice: Sendable {
    let ids: [UInt32]
    let table: WeightedTable

    @inline(__always)
    func pick(_ random: inout RandomStream) -> UInt32 { ids[table.pick(&random)] }
}

/// The name lists (surnames, given names by sex and decade, foreign names by nationality), interned into a
/// ``NamePool`` in a fixed order so that ids are the same on every run.
struct NameCatalog: Sendable {
    static let firstDecade = 1920
    static let lastDecade = 2020

    /// Parsed once per process: every municipality of a run shares the lists.
    static let shared = NameCatalog()

    var pool = NamePool()
    var surnames: NameChoice
    /// [sex 0 male / 1 female][decade index].
    var givenNames: [[NameChoice]]
    var nationalities: [ForeignNationality]
    /// The id of each name's variant form (高橋 → 髙橋), indexed by name id; `UInt32.max` when it has none. The
    /// variant forms are interned after every list, so the lists' ids do not move.
    var variantIDs: [UInt32]

    init() {
        var pool = NamePool()
        var ids: [UInt32] = []
        var weights: [UInt64] = []
        for f in TSV.rows(SurnamesData.tsv, columns: 3) {
            ids.append(pool.intern(kanji: String(f[0]), kana: String(f[1])))
            weights.append(UInt64(f[2]) ?? 1)
        }
        surnames = NameChoice(ids: ids, table: WeightedTable(weights))

        let decades = (Self.lastDecade - Self.firstDecade) / 10 + 1
        var given = [[(ids: [UInt32], weights: [UInt64])]](
            repeating: [(ids: [UInt32], weights: [UInt64])](repeating: ([], []), count: decades), count: 2)
        for f in TSV.rows(GivenNamesData.tsv, columns: 5) {
            guard let decade = Int(f[1]) else { continue }
            let s = f[0] == "M" ? 0 : 1
            let d = min(max((decade - Self.firstDecade) / 10, 0), decades - 1)
            given[s][d].ids.append(pool.intern(kanji: String(f[2]), kana: String(f[3])))
            given[s][d].weights.append(UInt64(f[4]) ?? 1)
        }
        givenNames = given.map { $0.map { NameChoice(ids: $0.ids, table: WeightedTable($0.weights)) } }

        var byCode: [String: (family: ([UInt32], [UInt64]), male: ([UInt32], [UInt64]), female: ([UInt32], [UInt64]))] =
            [:]
        var order: [String] = []
        for f in TSV.rows(ForeignNamesData.tsv, columns: 6) {
            let code = String(f[0])
            if byCode[code] == nil {
                byCode[code] = (([], []), ([], []), ([], []))
                order.append(code)
            }
            let written = f[3].isEmpty ? String(f[2]) : String(f[3])
            let id = pool.intern(kanji: written, kana: String(f[4]))
            let w = UInt64(f[5]) ?? 1
            switch f[1] {
            case "family":
                byCode[code]?.family.0.append(id)
                byCode[code]?.family.1.append(w)
            case "givenM":
                byCode[code]?.male.0.append(id)
                byCode[code]?.male.1.append(w)
            default:
                byCode[code]?.female.0.append(id)
                byCode[code]?.female.1.append(w)
            }
        }
        nationalities = ForeignNationality.all.compactMap { n in
            guard let lists = byCode[n.code], !lists.family.0.isEmpty, !lists.male.0.isEmpty, !lists.female.0.isEmpty
            else { return nil }
            var n = n
            n.family = NameChoice(ids: lists.family.0, table: WeightedTable(lists.family.1))
            n.givenMale = NameChoice(ids: lists.male.0, table: WeightedTable(lists.male.1))
            n.givenFemale = NameChoice(ids: lists.female.0, table: WeightedTable(lists.female.1))
            return n
        }
        var variants = [UInt32](repeating: UInt32.max, count: pool.count)
        for id in surnames.ids where variants[Int(id)] == UInt32.max {
            let e = pool[id]
            guard VariantCharacters.hasVariantForm(e.kanji) else { continue }
            let v = pool.intern(kanji: VariantCharacters.variantForm(e.kanji), kana: e.kana)
            if v != id { variants[Int(id)] = v }
        }
        variants += [UInt32](repeating: UInt32.max, count: pool.count - variants.count)
        variantIDs = variants
        self.pool = pool
    }

    /// The variant form of name `id` (高橋 → 髙橋), if it has one.
    @inline(__always)
    func variant(of id: UInt32) -> UInt32? {
        let v = variantIDs[Int(id)]
        return v == UInt32.max ? nil : v
    }

    /// The given-name list for `sex` born in `year`.
    @inline(__always)
    func givenName(sex: UInt8, birthYear: Int) -> NameChoice {
        let d = min(max((birthYear - Self.firstDecade) / 10, 0), givenNames[0].count - 1)
        return givenNames[sex == Sex.male.rawValue ? 0 : 1][d]
    }
}

/// A nationality of foreign residents with its weight, names and typical residence statuses.
struct ForeignNationality: Sendable {
    var code: String
    /// The register's label, e.g. `中国`.
    var label: String
    /// Residents in Japan, 2024-12 (出入国在留管理庁); the "other" group is the remainder.
    var weight: UInt64
    var family = NameChoice(ids: [], table: WeightedTable([]))
    var givenMale = NameChoice(ids: [], table: WeightedTable([]))
    var givenFemale = NameChoice(ids: [], table: WeightedTable([]))

    static let all: [ForeignNationality] = [
        .init(code: "CN", label: "中国", weight: 873_286),
        .init(code: "VN", label: "ベトナム", weight: 634_361),
        .init(code: "KR", label: "韓国", weight: 409_238),
        .init(code: "PH", label: "フィリピン", weight: 341_518),
        .init(code: "NP", label: "ネパール", weight: 233_043),
        .init(code: "BR", label: "ブラジル", weight: 211_907),
        .init(code: "ID", label: "インドネシア", weight: 199_824),
        .init(code: "MM", label: "ミャンマー", weight: 134_574),
        .init(code: "XX", label: "米国", weight: 3_768_977 - 3_037_751),
    ]
}

/// Residence statuses (在留資格) with national counts (2024-12) and their usual period of stay.
enum ResidenceStatusTable {
    struct Status: Sendable {
        var name: String
        var count: UInt64
        /// Months; 0 = no expiry.
        var periodMonths: Int
    }

    static let statuses: [Status] = [
        .init(name: "永住者", count: 918_116, periodMonths: 0),
        .init(name: "技能実習", count: 456_595, periodMonths: 12),
        .init(name: "技術・人文知識・国際業務", count: 418_706, periodMonths: 36),
        .init(name: "留学", count: 402_134, periodMonths: 27),
        .init(name: "家族滞在", count: 305_598, periodMonths: 36),
        .init(name: "特定技能", count: 284_466, periodMonths: 12),
        .init(name: "定住者", count: 223_411, periodMonths: 36),
        .init(name: "日本人の配偶者等", count: 150_896, periodMonths: 36),
        .init(name: "特別永住者", count: 276_000, periodMonths: 0),
    ]

    static let table = WeightedTable(statuses.map(\.count))
}
