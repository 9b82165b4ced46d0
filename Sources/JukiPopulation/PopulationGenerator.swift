import JukiCore
public import JukiRegister

/// A generated population: the register and what it was calibrated to.
public struct Population: Sendable {
    public var register: ResidentRegister
    public var calibration: Calibration
    public var options: PopulationOptions
    /// District names, indexed like ``Calibration/districts``.
    public var districts: [String]
    /// Japanese households whose surname could take a variant character (高橋 → 髙橋), and how many took it
    /// (``PopulationOptions/variantNameShare``).
    public var variantSurnames: (eligibleHouseholds: Int, households: Int) = (0, 0)
}

/// Generates a synthetic, deterministic population into a ``JukiRegister/ResidentRegister``.
///
/// Two passes: a sequential household plan (ages drawn without replacement from the exact age pyramid, so
/// marginals match) and a parallel fill of names, dates, addresses, cards and identifiers, where each household
/// uses its own random stream. The output is identical for any `jobs`.
public enum PopulationGenerator {
    /// Generates the population `options` describe; `progress` hears phase names and fractions done.
    public static func generate(
        _ options: PopulationOptions, progress: (@Sendable (String, Double) -> Void)? = nil
    ) throws(PopulationError) -> Population {
        let setup = try prepare(options)
        progress?("plan", 0)
        let plan = HouseholdPlan.make(calibration: setup.calibration, seed: options.seed)
        progress?("fill", 0.3)
        let catalog = NameCatalog.shared
        var buffers = ColumnBuffers(count: plan.residents)
        let fill = HouseholdFill(
            plan: plan, towns: setup.towns, names: catalog, options: options,
            reference: setup.calibration.referenceDate,
            cardFactor: cardFactor(plan, target: setup.calibration.cardHolderShare))
        let blockSize = 2048
        let blocks = (plan.households + blockSize - 1) / blockSize
        let b = buffers
        Parallel.forEach(blocks, jobs: options.jobs) { block in
            let end = min((block + 1) * blockSize, plan.households)
            for h in block * blockSize..<end { fill.fill(household: h, into: b) }
        }
        var columns = buffers.makeColumns()
        buffers.deallocate()
        var names = catalog.pool
        let side = fill.finishSideTables(&columns, names: &names)
        let variants = fill.finishVariantNames(&columns)
        var households = HouseholdColumns()
        households.head = plan.start
        households.firstMember = plan.start
        progress?("index", 0.7)
        let municipality = MunicipalityInfo(
            code: options.municipality, name: setup.entry.name, prefecture: setup.entry.prefecture)
        let register: ResidentRegister
        do {
            register = try ResidentRegister(
                municipality: municipality, towns: setup.towns.towns, names: names, columns: columns,
                households: households, foreign: side.foreign, formerSurnames: side.formerSurnames, jobs: options.jobs)
        } catch {
            throw PopulationError(field: "register", "generated data was refused: \(error)")
        }
        progress?("done", 1)
        return Population(
            register: register, calibration: setup.calibration, options: options,
            districts: setup.towns.districts, variantSurnames: (variants.eligible, variants.written))
    }

    struct Setup {
        var entry: MunicipalityEntry
        var calibration: Calibration
        var towns: TownCatalog
    }

    static func prepare(_ options: PopulationOptions) throws(PopulationError) -> Setup {
        guard let entry = MunicipalityDirectory.entry(options.municipality) else {
            throw PopulationError(
                field: "municipality",
                "\(options.municipality) is not in the national list of 1,741 municipalities")
        }
        if let n = options.residents, !(1...PopulationOptions.maximumResidents).contains(n) {
            throw PopulationError(
                field: "residents",
                "must be 1 to \(PopulationOptions.maximumResidents), got \(n)")
        }
        guard (1...256).contains(options.jobs) else {
            throw PopulationError(field: "jobs", "must be 1 to 256, got \(options.jobs)")
        }
        guard options.undesignatedShare >= 0 && options.undesignatedShare <= 1 else {
            throw PopulationError(
                field: "undesignatedShare", "must be between 0 and 1, got \(options.undesignatedShare)")
        }
        guard options.variantNameShare >= 0 && options.variantNameShare <= 1 else {
            throw PopulationError(
                field: "variantNameShare", "must be between 0 and 1, got \(options.variantNameShare)")
        }
        let isFujisawa = options.municipality == .fujisawa
        let towns = isFujisawa ? TownCatalog.fujisawa : TownCatalog.generic(districtName: entry.name)
        var calibration: Calibration
        if isFujisawa {
            calibration = options.residents.map { Calibration.fujisawa.scaled(to: $0) } ?? .fujisawa
        } else {
            calibration = Calibration.fujisawa.scaled(to: options.residentCount)
            calibration.districts = [DistrictTarget(entry.name, calibration.residents)]
        }
        guard options.codeSequenceBase + UInt64(calibration.residents) <= ResidentCode.bodySpace else {
            throw PopulationError(field: "codeSequenceBase", "the code block must fit in the 10^10 resident-code space")
        }
        return Setup(entry: entry, calibration: calibration, towns: towns)
    }

    /// The factor that scales per-age card holding so the expected share equals the target.
    static func cardFactor(_ plan: HouseholdPlan, target: Double) -> Double {
        var byAge = [Int](repeating: 0, count: 256)
        for a in plan.age { byAge[Int(a)] += 1 }
        var expected = 0.0
        for (a, n) in byAge.enumerated() where n > 0 { expected += Double(n) * AgePyramid.cardHolding(age: a) }
        return expected > 0 ? target * Double(plan.residents) / expected : 1
    }
}
