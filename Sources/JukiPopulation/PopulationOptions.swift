public import JukiCore

/// What to generate: municipality, size, seed, threads and the shares that are not calibrated.
public struct PopulationOptions: Sendable, Hashable {
    /// The municipality; Fujisawa (142051) has real towns and districts, others get generic towns.
    public var municipality: MunicipalityCode
    /// Residents to generate; `nil` means the calibration's count (445,283 for Fujisawa).
    public var residents: Int?
    /// The root seed: same seed ⇒ same population, whatever the thread count.
    public var seed: UInt64
    /// Threads to use; changes speed only, never output.
    public var jobs: Int
    /// Share of residents whose individual number is not designated yet (served by bulk number assignment).
    public var undesignatedShare: Double
    /// Share of households whose surname can be written with a variant character (高橋, 山崎, 吉田 …) that write it
    /// so (髙橋, 山﨑, 𠮷田 …): see ``defaultVariantNameShare``. Members share the head's surname form.
    public var variantNameShare: Double
    /// First global resident-code sequence number of this municipality (J-LIS hands out code blocks).
    public var codeSequenceBase: UInt64
    /// The seed of the nation's keys (resident-code allocator, J-LIS conversion); `nil` means `seed`. Every
    /// municipality of one simulated nation must share it, so codes and numbers stay unique nationwide.
    public var keySeed: UInt64?

    /// The default seed.
    public static let defaultSeed: UInt64 = 20_250_501
    /// Default ``variantNameShare`` [E]: about 1–2 % of residents have a 外字 in the name in typical municipal
    /// systems. The surname catalog lists some variant forms itself (髙橋, 山﨑 …: 0.25 % of its weight) and 8.4 % of
    /// its weight can take one of ``JukiCore/VariantCharacters``; 0.15 of those households bring residents with a 外字
    /// name to ≈ 0.25 % + 0.98 × 8.4 % × 0.15 ≈ 1.5 % (foreign households, 2 %, never take one).
    public static let defaultVariantNameShare = 0.15
    /// The largest population one register holds (row ids are `UInt32`; codes come from a 10^10 space).
    public static let maximumResidents = 50_000_000

    public init(
        municipality: MunicipalityCode = .fujisawa, residents: Int? = nil, seed: UInt64 = PopulationOptions.defaultSeed,
        jobs: Int = 1, undesignatedShare: Double = 0.002, codeSequenceBase: UInt64 = 0,
        variantNameShare: Double = PopulationOptions.defaultVariantNameShare
    ) {
        self.municipality = municipality
        self.residents = residents
        self.seed = seed
        self.jobs = jobs
        self.undesignatedShare = undesignatedShare
        self.codeSequenceBase = codeSequenceBase
        self.variantNameShare = variantNameShare
    }

    /// The number of residents generated: `residents`, or the calibrated count: Fujisawa's 445,283 (its
    /// calibration's date), another municipality's 住民基本台帳 population on 2026-01-01 (``MunicipalityEntry``).
    public var residentCount: Int {
        residents
            ?? (municipality == .fujisawa
                ? Calibration.fujisawa.residents : MunicipalityDirectory.entry(municipality)?.population ?? 0)
    }

    /// The key of the nation's resident-code allocator, derived from the seed.
    public var codeAllocatorKey: UInt64 { Mixing.combine(keySeed ?? seed, 0x434F_4445) }
    /// J-LIS's conversion key, derived from the seed.
    public var conversionKey: UInt64 { Mixing.combine(keySeed ?? seed, 0x4A4C_4953) }
}

/// Options refused: names the option and the rule.
public struct PopulationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var field: String
    public var message: String

    public init(field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "population: \(field): \(message)" }
}
