public import JukiCore

/// Published figures the synthetic population is calibrated to (see `docs/calibration.md` for sources).
///
/// Values marked [E] are the developers' estimates where no figure was published.
public struct Calibration: Sendable, Hashable {
    /// The date the figures describe; ages are computed on this date.
    public var referenceDate: CivilDate
    public var residents: Int
    public var households: Int
    /// Share of residents aged 0–14 (2023-01-01).
    public var shareAged0to14: Double
    /// Share aged 65+ (2025-05-01).
    public var shareAged65Plus: Double
    /// Share aged 75+ (2025-05-01).
    public var shareAged75Plus: Double
    /// Mean age (2023-01-01).
    public var meanAge: Double
    /// Share of men [E: Kanagawa-like].
    public var maleShare: Double
    /// Share of foreign residents [E: ≈ 2 %].
    public var foreignShare: Double
    /// Share of My Number card holders (national, 2025-12).
    public var cardHolderShare: Double
    /// Districts (地区) and their residents.
    public var districts: [DistrictTarget]

    /// Fujisawa (藤沢市, 142051), 2025-05-01.
    public static let fujisawa = Calibration(
        referenceDate: CivilDate(year: 2025, month: 5, day: 1),
        residents: 445_283,
        households: 215_325,
        shareAged0to14: 0.129,
        shareAged65Plus: 110_204.0 / 445_283.0,
        shareAged75Plus: 66_328.0 / 445_283.0,
        meanAge: 46.3,
        maleShare: 0.494,
        foreignShare: 0.02,
        cardHolderShare: 0.803,
        districts: [
            .init("片瀬", 20_073), .init("鵠沼", 60_461), .init("辻堂", 44_975), .init("村岡", 31_755),
            .init("藤沢", 48_695), .init("明治", 32_596), .init("善行", 41_571), .init("湘南大庭", 31_564),
            .init("六会", 36_481), .init("湘南台", 33_465), .init("遠藤", 12_013), .init("長後", 33_574),
            .init("御所見", 18_060),
        ])

    /// Residents per household.
    public var meanHouseholdSize: Double { Double(residents) / Double(households) }

    /// The same shares for a municipality of `residents` people: counts scale, shares stay.
    public func scaled(to residents: Int) -> Calibration {
        var c = self
        let f = Double(residents) / Double(self.residents)
        c.residents = residents
        c.households = max(1, Int((Double(households) * f).rounded()))
        c.districts = districts.map { DistrictTarget($0.name, Int((Double($0.residents) * f).rounded())) }
        return c
    }
}

/// A district (地区) and its residents.
public struct DistrictTarget: Sendable, Hashable {
    public var name: String
    public var residents: Int
    public init(_ name: String, _ residents: Int) {
        self.name = name
        self.residents = residents
    }
}

/// The age pyramid: shares of residents by 5-year band and the male share by age.
///
/// Bands are Fujisawa-like [E], fitted so that 0–14 = 12.9 %, 65+ = 24.75 %, 75+ = 14.9 % (published) and the
/// mean age is 46.3 (published, 2023, computed as whole years + 0.5); within a band, single years are equally likely.
public enum AgePyramid {
    /// Percent of residents in bands 0–4, 5–9, …, 95–99, 100+.
    public static let bandPercent: [Double] = [
        3.9, 4.3, 4.7, 4.5, 5.0, 5.7, 6.2, 5.9, 6.8, 8.0, 8.2, 6.6, 5.45, 5.0, 4.85, 5.0, 4.3, 3.2, 1.7, 0.6, 0.1,
    ]
    /// The oldest age generated.
    public static let maximumAge = 103

    /// Share of men at `age` [E]: more boys at birth, more women among the old.
    public static func maleShare(age: Int) -> Double {
        switch age {
        case ..<20: 0.513
        case ..<60: 0.512
        case ..<70: 0.50
        case ..<80: 0.475
        case ..<90: 0.41
        default: 0.28
        }
    }

    /// Weight of each single age 0 … ``maximumAge``.
    public static var ageWeights: [Double] {
        (0...maximumAge).map { age in
            let band = min(age / 5, bandPercent.count - 1)
            let years = band == bandPercent.count - 1 ? maximumAge - 100 + 1 : 5
            return bandPercent[band] / Double(years)
        }
    }

    /// Exact counts of residents per (sex, age) for `total` people, by largest remainder.
    public static func counts(total: Int) -> [[Int]] {
        let weights = ageWeights
        let sum = weights.reduce(0, +)
        var cells: [(sex: Int, age: Int, exact: Double)] = []
        for age in 0...maximumAge {
            let share = weights[age] / sum * Double(total)
            let m = maleShare(age: age)
            cells.append((0, age, share * m))
            cells.append((1, age, share * (1 - m)))
        }
        var result = [[Int]](repeating: [Int](repeating: 0, count: maximumAge + 1), count: 2)
        var assigned = 0
        for c in cells {
            let n = Int(c.exact)
            result[c.sex][c.age] = n
            assigned += n
        }
        // Largest remainders, ties broken by (age, sex) so the result is fully deterministic.
        let order = cells.indices.sorted { a, b in
            let ra = cells[a].exact - cells[a].exact.rounded(.down)
            let rb = cells[b].exact - cells[b].exact.rounded(.down)
            return ra != rb ? ra > rb : a < b
        }
        var i = 0
        while assigned < total {
            let c = cells[order[i % order.count]]
            result[c.sex][c.age] += 1
            assigned += 1
            i += 1
        }
        return result
    }

    /// The probability a person of `age` holds a My Number card, before normalisation [E]: lowest at 0–4
    /// (54.1 % in 2023), highest at 75–79 (81.7 %), lower again at 80+ (65.2 %).
    public static func cardHolding(age: Int) -> Double {
        switch age {
        case ..<5: 0.541
        case ..<15: 0.66
        case ..<20: 0.70
        case ..<40: 0.72
        case ..<65: 0.76
        case ..<75: 0.80
        case ..<80: 0.817
        default: 0.652
        }
    }
}
