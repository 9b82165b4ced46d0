/// A register row id: dense, starting at 0, never reused (removed records keep their row).
public struct RowID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var rawValue: UInt32
    @inlinable public init(_ rawValue: UInt32) { self.rawValue = rawValue }
    @inlinable public var index: Int { Int(rawValue) }
    public var description: String { "row \(rawValue)" }
    public static func < (l: Self, r: Self) -> Bool { l.rawValue < r.rawValue }
}

/// The register's per-resident columns: one array per field, all of the same length, indexed by ``RowID``.
///
/// Built in bulk by the population generator (which fills preallocated arrays in parallel) and then handed
/// to ``ResidentRegister``; afterwards only the register's operations change them.
public struct ResidentColumns: Sendable {
    public var residentCode: [UInt64] = []
    /// 0 where no individual number is designated yet.
    public var individualNumber: [UInt64] = []
    /// Household index (household number − 1).
    public var household: [UInt32] = []
    /// Next member of the same household, or `UInt32.max`.
    public var nextInHousehold: [UInt32] = []
    /// ``NamePool`` ids.
    public var surname: [UInt32] = []
    public var givenName: [UInt32] = []
    /// ``JukiCore/CivilDate`` days since 1970-01-01.
    public var birthDate: [Int32] = []
    public var sex: [UInt8] = []
    public var relationship: [UInt8] = []
    public var status: [UInt8] = []
    public var cardStatus: [UInt8] = []
    /// The card's expiry year − 2000 (the card expires on the holder's birthday that year); 0 without a card.
    public var cardExpiryYear: [UInt8] = []
    /// ``RowFlags`` bits.
    public var flags: [UInt8] = []
    /// The number of variant characters (外字数, 別添2【2】 item 3) in the name, surname and given name together;
    /// ``RowFlags/variantCharacters`` is set exactly when it is not 0. The address's count (item 12) is not kept:
    /// no town of the model's catalogs is written with a variant, so it would always be 0.
    public var variantCount: [UInt8] = []
    public var town: [UInt16] = []
    public var chome: [UInt8] = []
    public var banchi: [UInt16] = []
    public var go: [UInt16] = []
    public var residentSince: [Int32] = []
    /// 1 + the change-log index of the row's latest change; 0 when none.
    public var lastChange: [UInt32] = []

    public init() {}

    /// Columns of `count` zeroed rows, ready to be filled in place.
    public init(zeroed count: Int) {
        residentCode = .init(repeating: 0, count: count)
        individualNumber = .init(repeating: 0, count: count)
        household = .init(repeating: 0, count: count)
        nextInHousehold = .init(repeating: UInt32.max, count: count)
        surname = .init(repeating: 0, count: count)
        givenName = .init(repeating: 0, count: count)
        birthDate = .init(repeating: 0, count: count)
        sex = .init(repeating: 1, count: count)
        relationship = .init(repeating: 0, count: count)
        status = .init(repeating: 0, count: count)
        cardStatus = .init(repeating: 0, count: count)
        cardExpiryYear = .init(repeating: 0, count: count)
        flags = .init(repeating: 0, count: count)
        variantCount = .init(repeating: 0, count: count)
        town = .init(repeating: 0, count: count)
        chome = .init(repeating: 0, count: count)
        banchi = .init(repeating: 0, count: count)
        go = .init(repeating: 0, count: count)
        residentSince = .init(repeating: 0, count: count)
        lastChange = .init(repeating: 0, count: count)
    }

    /// The number of rows.
    public var count: Int { residentCode.count }

    /// Whether every column has the same length.
    public var isConsistent: Bool {
        let n = residentCode.count
        let counts: [Int] = [
            individualNumber.count, household.count, nextInHousehold.count, surname.count, givenName.count,
            birthDate.count, sex.count, relationship.count, status.count, cardStatus.count, cardExpiryYear.count,
            flags.count, variantCount.count, town.count, chome.count, banchi.count, go.count,
            residentSince.count, lastChange.count,
        ]
        return counts.allSatisfy { $0 == n }
    }

    mutating func reserveCapacity(_ n: Int) {
        residentCode.reserveCapacity(n)
        individualNumber.reserveCapacity(n)
        household.reserveCapacity(n)
        nextInHousehold.reserveCapacity(n)
        surname.reserveCapacity(n)
        givenName.reserveCapacity(n)
        birthDate.reserveCapacity(n)
        sex.reserveCapacity(n)
        relationship.reserveCapacity(n)
        status.reserveCapacity(n)
        cardStatus.reserveCapacity(n)
        cardExpiryYear.reserveCapacity(n)
        flags.reserveCapacity(n)
        variantCount.reserveCapacity(n)
        town.reserveCapacity(n)
        chome.reserveCapacity(n)
        banchi.reserveCapacity(n)
        go.reserveCapacity(n)
        residentSince.reserveCapacity(n)
        lastChange.reserveCapacity(n)
    }

    /// Bytes held by the columns (capacity × element size).
    public var memoryBytes: Int {
        var bytes = residentCode.capacity * 8
        bytes += individualNumber.capacity * 8
        bytes += (household.capacity + nextInHousehold.capacity + surname.capacity + givenName.capacity) * 4
        bytes += (birthDate.capacity + residentSince.capacity + lastChange.capacity) * 4
        bytes += sex.capacity + relationship.capacity + status.capacity + cardStatus.capacity
        bytes += cardExpiryYear.capacity + flags.capacity + variantCount.capacity + chome.capacity
        bytes += (town.capacity + banchi.capacity + go.capacity) * 2
        return bytes
    }
}

/// Bits of ``ResidentColumns/flags``: which side tables hold data for a row.
public struct RowFlags: OptionSet, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// A foreign resident: see ``ResidentRegister/foreignData(_:)``.
    public static let foreign = RowFlags(rawValue: 1)
    /// A former surname (旧氏) is recorded.
    public static let formerSurname = RowFlags(rawValue: 2)
    /// Born in the municipality: the record's first reason is birth (else move-in). Later reasons and dates
    /// come from the change log, so the columns do not repeat them.
    public static let bornHere = RowFlags(rawValue: 4)
    /// The name holds a variant character (外字フラグ, 別添2【2】 item 34): see
    /// ``ResidentColumns/variantCount`` and ``ResidentRegister/substitutedName(of:)``.
    public static let variantCharacters = RowFlags(rawValue: 8)
}

/// The household table: head and first member per household, indexed by household index.
public struct HouseholdColumns: Sendable {
    /// Row of the head (世帯主).
    public var head: [UInt32] = []
    /// First member in the household's member list, or `UInt32.max` when empty.
    public var firstMember: [UInt32] = []

    public init() {}

    public var count: Int { head.count }
    var memoryBytes: Int { head.capacity * 4 + firstMember.capacity * 4 }
}
