import JukiCore
import JukiRegister

/// The parallel second pass: fills every member of one household from the household's own random stream.
struct HouseholdFill: Sendable {
    let plan: HouseholdPlan
    let towns: TownCatalog
    let names: NameCatalog
    let options: PopulationOptions
    let reference: CivilDate
    let cardFactor: Double
    let allocator: ResidentCodeAllocator
    let conversion: NumberConversion
    let referenceYear: Int
    let referenceMonth: Int
    let referenceDay: Int

    /// Stream tags, so the passes never share random numbers.
    static let householdTag: UInt64 = 0x4855_0000_0000_0000
    static let foreignTag: UInt64 = 0x4652_0000_0000_0000
    static let formerTag: UInt64 = 0x4F4C_0000_0000_0000
    /// Share of wives with a former surname (旧氏) recorded [E].
    static let formerSurnameShare = 0.03

    init(
        plan: HouseholdPlan, towns: TownCatalog, names: NameCatalog, options: PopulationOptions, reference: CivilDate,
        cardFactor: Double
    ) {
        self.plan = plan
        self.towns = towns
        self.names = names
        self.options = options
        self.reference = reference
        self.cardFactor = cardFactor
        allocator = ResidentCodeAllocator(key: options.codeAllocatorKey)
        conversion = NumberConversion(key: options.conversionKey)
        (referenceYear, referenceMonth, referenceDay) = reference.components
    }

    func fill(household h: Int, into b: ColumnBuffers) {
        var random = RandomStream(seed: options.seed, stream: Self.householdTag | UInt64(h))
        let first = Int(plan.start[h])
        let size = Int(plan.size[h])
        let district = Int(plan.district[h])
        let isForeign = plan.foreign[h]
        let town = towns.pickTown(district: district, &random)
        let chomeCount = towns.towns.isEmpty ? 0 : towns.towns[Int(town)].chomeCount
        let chome = chomeCount > 0 ? UInt8(random.next(in: 1...chomeCount)) : 0
        let banchi = UInt16(chomeCount > 0 ? random.next(in: 1...40) : random.next(in: 1...3000))
        let go = UInt16(random.next(in: 1...30))
        let surname = names.surnames.pick(&random)
        for m in 0..<size {
            let row = first + m
            let age = Int(plan.age[row])
            let sex = plan.sex[row]
            let birth = birthDate(age: age, &random)
            let birthYear = birth.components.year
            b.residentCode[row] = allocator.code(forSequence: options.codeSequenceBase + UInt64(row)).rawValue
            if !isUndesignated(row: row) {
                b.individualNumber[row] =
                    conversion.candidate(for: ResidentCode(uncheckedRawValue: b.residentCode[row])).rawValue
            }
            b.household[row] = UInt32(h)
            b.nextInHousehold[row] = m + 1 < size ? UInt32(row + 1) : UInt32.max
            b.surname[row] = surname
            b.givenName[row] = names.givenName(sex: sex, birthYear: birthYear).pick(&random)
            b.birthDate[row] = birth.daysSinceEpoch
            b.sex[row] = sex
            b.relationship[row] = plan.relationship[row]
            b.town[row] = town
            b.chome[row] = chome
            b.banchi[row] = banchi
            b.go[row] = go
            if random.chance(AgePyramid.cardHolding(age: age) * cardFactor) {
                b.cardStatus[row] = CardStatus.issued.rawValue
                b.cardExpiryYear[row] = UInt8(cardExpiryYear(birthYear: birthYear, &random) - 2000)
            }
            // Born here, or moved in some years ago.
            let since: CivilDate
            var flags = RowFlags()
            if age == 0 || random.chance(0.35) {
                since = birth
                flags.insert(.bornHere)
            } else {
                let span = min(age, 40) * 365
                since = CivilDate(
                    daysSinceEpoch: max(
                        birth.daysSinceEpoch + 1,
                        reference.daysSinceEpoch - Int32(random.next(below: UInt64(span + 1)))))
            }
            b.residentSince[row] = since.daysSinceEpoch
            if isForeign { flags.insert(.foreign) }
            if !isForeign && plan.relationship[row] == Relationship.wife.rawValue
                && random.chance(Self.formerSurnameShare)
            {
                flags.insert(.formerSurname)
            }
            b.flags[row] = flags.rawValue
        }
    }

    /// Whether `row` is left without an individual number: rows are picked at an even spacing from a seeded
    /// offset, so the share is exact (to one resident) rather than a noisy draw.
    @inline(__always)
    func isUndesignated(row: Int) -> Bool {
        let p = options.undesignatedShare
        guard p > 0 else { return false }
        let phase = Mixing.unit(options.seed ^ 0x554E_4445)
        return (Double(row + 1) * p + phase).rounded(.down) != (Double(row) * p + phase).rounded(.down)
    }

    /// A birth date that makes the person exactly `age` on the reference date.
    @inline(__always)
    func birthDate(age: Int, _ random: inout RandomStream) -> CivilDate {
        let y = referenceYear - age
        let latest = CivilDate(
            year: y, month: referenceMonth, day: min(referenceDay, CivilDate.daysIn(month: referenceMonth, year: y)))
        let earliest = CivilDate(
            year: y - 1, month: referenceMonth,
            day: min(referenceDay, CivilDate.daysIn(month: referenceMonth, year: y - 1))
        ).adding(days: 1)
        let span = UInt64(latest.daysSinceEpoch - earliest.daysSinceEpoch + 1)
        return earliest.adding(days: Int(random.next(below: span)))
    }

    /// Cards are valid until the 10th birthday after issue (5th when issued under 18) and renewed on expiry.
    @inline(__always)
    func cardExpiryYear(birthYear: Int, _ random: inout RandomStream) -> Int {
        let firstIssue = max(2016, birthYear)
        let issueYear = firstIssue >= referenceYear ? referenceYear : random.next(in: firstIssue...referenceYear)
        let validity = issueYear - birthYear < 18 ? 5 : 10
        var expiry = issueYear + validity
        while expiry < referenceYear { expiry += validity }
        return min(expiry, 2255)
    }

    /// The sequential pass over the few rows with side-table data: foreign residents and former surnames.
    func finishSideTables(_ c: inout ResidentColumns, names pool: inout NamePool) -> (
        foreign: [RowID: ForeignResidentData], formerSurnames: [RowID: UInt32]
    ) {
        var foreign: [RowID: ForeignResidentData] = [:]
        var former: [RowID: UInt32] = [:]
        let nationalities = WeightedTable(names.nationalities.map(\.weight))
        let statuses = ResidenceStatusTable.statuses
        for h in 0..<plan.households where plan.foreign[h] && !names.nationalities.isEmpty {
            var random = RandomStream(seed: options.seed, stream: Self.foreignTag | UInt64(h))
            let nationality = names.nationalities[nationalities.pick(&random)]
            let family = nationality.family.pick(&random)
            var headStatus = statuses[ResidenceStatusTable.table.pick(&random)]
            if headStatus.name == "特別永住者" && nationality.code != "KR" { headStatus = statuses[0] }
            let first = Int(plan.start[h])
            for row in first..<first + Int(plan.size[h]) {
                c.surname[row] = family
                c.givenName[row] =
                    (c.sex[row] == Sex.male.rawValue ? nationality.givenMale : nationality.givenFemale).pick(&random)
                let status = row == first || headStatus.periodMonths == 0 ? headStatus : statuses[4]
                let expiry: CivilDate? =
                    status.periodMonths == 0
                    ? nil : reference.adding(days: random.next(in: 30...max(31, status.periodMonths * 30)))
                var alias: String?
                if status.name == "特別永住者" && random.chance(0.6) {
                    let s = pool[names.surnames.pick(&random)].kanji
                    alias = s + pool[c.givenName[row]].kanji
                }
                foreign[RowID(UInt32(row))] = ForeignResidentData(
                    nationality: nationality.label, residenceStatus: status.name,
                    periodOfStayMonths: status.periodMonths, expiry: expiry,
                    residenceCard: Self.residenceCardNumber(&random), alias: alias)
            }
        }
        for row in 0..<c.count where c.flags[row] & RowFlags.formerSurname.rawValue != 0 {
            var random = RandomStream(seed: options.seed, stream: Self.formerTag | UInt64(row))
            var id = names.surnames.pick(&random)
            if id == c.surname[row] { id = names.surnames.pick(&random) }
            former[RowID(UInt32(row))] = id
        }
        return (foreign, former)
    }

    /// The sequential pass that writes variant surnames (外字): of the Japanese households whose surname has a
    /// variant form (高橋 → 髙橋, 山崎 → 山﨑), ``PopulationOptions/variantNameShare`` write it so, every member
    /// alike. Picked at an even spacing over those households from a seeded offset, like ``isUndesignated(row:)``,
    /// so the share is exact to one household and no other draw moves. Then sets every row's 外字数 and 外字フラグ
    /// (別添2【2】 items 3 and 34) from its name, the catalog's own variant entries (髙橋, 山﨑 …) included.
    /// Returns the households whose surname could take a variant, and how many took it.
    func finishVariantNames(_ c: inout ResidentColumns) -> (eligible: Int, written: Int) {
        let p = options.variantNameShare
        let phase = Mixing.unit(options.seed ^ 0x4741_4A49)
        var eligible = 0
        var written = 0
        for h in 0..<plan.households where !plan.foreign[h] && plan.size[h] > 0 {
            let first = Int(plan.start[h])
            guard let variant = names.variant(of: c.surname[first]) else { continue }
            let k = Double(eligible)
            eligible += 1
            guard p > 0, ((k + 1) * p + phase).rounded(.down) != (k * p + phase).rounded(.down) else { continue }
            for row in first..<first + Int(plan.size[h]) { c.surname[row] = variant }
            written += 1
        }
        let pool = names.pool
        for row in 0..<c.count {
            let n = pool.variantCount(of: c.surname[row]) + pool.variantCount(of: c.givenName[row])
            guard n > 0 else { continue }
            c.variantCount[row] = UInt8(clamping: n)
            c.flags[row] |= RowFlags.variantCharacters.rawValue
        }
        return (eligible, written)
    }

    /// A residence-card number: two letters, eight digits, two letters (e.g. `AB12345678CD`).
    static func residenceCardNumber(_ random: inout RandomStream) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(12)
        for i in 0..<12 {
            let letter = i < 2 || i >= 10
            bytes.append(letter ? 0x41 + UInt8(random.next(below: 26)) : 0x30 + UInt8(random.next(below: 10)))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
