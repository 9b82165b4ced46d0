import JukiCore
import JukiRegister

/// One generated marginal beside its target.
public struct StatLine: Sendable, Hashable, Codable {
    /// A stable key, e.g. `share.aged0to14`.
    public var key: String
    /// What it is, for people.
    public var label: String
    public var generated: Double
    /// The target; `nil` where none is published.
    public var target: Double?
    /// (generated − target) / target.
    public var deviation: Double?
    /// Whether the target is an estimate [E] rather than a published figure.
    public var estimated: Bool
}

/// The generated population's marginals beside the calibration targets.
public struct PopulationStats: Sendable, Hashable, Codable {
    public var municipality: String
    public var municipalityCode: String
    public var residents: Int
    public var seed: UInt64
    public var referenceDate: String
    public var lines: [StatLine]
    /// Register + indexes, bytes per resident (see ``JukiRegister/MemoryFootprint``).
    public var bytesPerResident: Double

    /// The largest absolute relative deviation among lines with a target.
    public var worstDeviation: Double { lines.compactMap { $0.deviation.map(abs) }.max() ?? 0 }

    /// Computes the marginals of `population`.
    public static func compute(_ population: Population) -> PopulationStats {
        let reg = population.register
        let cal = population.calibration
        let c = reg.columns
        let reference = cal.referenceDate
        var active = 0
        var ages = [Int](repeating: 0, count: 256)
        var ageSum = 0
        var males = 0
        var foreign = 0
        var cards = 0
        var undesignated = 0
        var variantNames = 0
        var districtResidents = [Int](repeating: 0, count: population.districts.count)
        let districtOfTown = reg.towns.map { population.districts.firstIndex(of: $0.district) ?? 0 }
        var nonEmptyHouseholds = [Bool](repeating: false, count: reg.households.count)
        for r in 0..<reg.count where c.status[r] == 0 {
            active += 1
            let age = CivilDate(daysSinceEpoch: c.birthDate[r]).age(on: reference)
            ages[min(max(age, 0), 255)] += 1
            ageSum += age
            if c.sex[r] == Sex.male.rawValue { males += 1 }
            if c.flags[r] & RowFlags.foreign.rawValue != 0 { foreign += 1 }
            if c.cardStatus[r] == CardStatus.issued.rawValue { cards += 1 }
            if c.individualNumber[r] == 0 { undesignated += 1 }
            if c.flags[r] & RowFlags.variantCharacters.rawValue != 0 { variantNames += 1 }
            if !districtResidents.isEmpty { districtResidents[districtOfTown[Int(c.town[r])]] += 1 }
            nonEmptyHouseholds[Int(c.household[r])] = true
        }
        let households = nonEmptyHouseholds.reduce(0) { $0 + ($1 ? 1 : 0) }
        let n = Double(max(active, 1))
        func share(_ range: ClosedRange<Int>) -> Double { Double(ages[range].reduce(0, +)) / n }
        var lines: [StatLine] = []
        func add(_ key: String, _ label: String, _ value: Double, _ target: Double?, estimated: Bool = false) {
            let dev = target.flatMap { $0 == 0 ? nil : (value - $0) / $0 }
            lines.append(
                StatLine(
                    key: key, label: label, generated: value, target: target, deviation: dev,
                    estimated: estimated))
        }
        add("residents", "residents (住民)", Double(active), Double(cal.residents))
        add("households", "households (世帯)", Double(households), Double(cal.households))
        add(
            "meanHouseholdSize", "residents per household", Double(active) / Double(max(households, 1)),
            cal.meanHouseholdSize)
        add("share.aged0to14", "share aged 0–14", share(0...14), cal.shareAged0to14)
        add("share.aged15to64", "share aged 15–64", share(15...64), 1 - cal.shareAged0to14 - cal.shareAged65Plus)
        add("share.aged65plus", "share aged 65+ (高齢化率)", share(65...255), cal.shareAged65Plus)
        add("share.aged75plus", "share aged 75+", share(75...255), cal.shareAged75Plus)
        add("meanAge", "mean age (years, whole years)", Double(ageSum) / n + 0.5, cal.meanAge)
        add("share.male", "share of men", Double(males) / n, cal.maleShare, estimated: true)
        add(
            "share.foreign", "share of foreign residents (外国人住民)", Double(foreign) / n, cal.foreignShare,
            estimated: true)
        add("share.cardHolders", "share holding a My Number card", Double(cards) / n, cal.cardHolderShare)
        add(
            "share.undesignated", "share without an individual number (for bulk assignment)",
            Double(undesignated) / n, population.options.undesignatedShare)
        let variants = population.variantSurnames
        if variants.eligibleHouseholds > 0 {
            // Residents with a 外字 in the name (外字フラグ) ≈ 1.5 % at the default share; the line's target is the
            // option, over the households that could take a variant (exact to one household).
            add(
                "share.variantSurnames",
                "share of households that could write the surname with a 外字 that do "
                    + "(\(variantNames) residents, \(Self.percent(variantNames, active)) with a 外字 in the name)",
                Double(variants.households) / Double(variants.eligibleHouseholds),
                population.options.variantNameShare, estimated: true)
        }
        if population.districts.count > 1 {
            for (i, d) in cal.districts.enumerated() where i < districtResidents.count {
                add("district.\(d.name)", "residents of \(d.name)地区", Double(districtResidents[i]), Double(d.residents))
            }
        }
        return PopulationStats(
            municipality: reg.municipality.name, municipalityCode: reg.municipality.code.description,
            residents: active, seed: population.options.seed, referenceDate: reference.description, lines: lines,
            bytesPerResident: reg.memoryFootprint().bytesPerResident)
    }

    /// `part` / `whole` as a percentage with two decimals, e.g. `1.48 %`.
    static func percent(_ part: Int, _ whole: Int) -> String {
        let hundredths = whole == 0 ? 0 : (part * 10_000 + whole / 2) / whole
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) %"
    }
}
