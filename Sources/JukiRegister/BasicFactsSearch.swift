public import JukiCore

/// A search by basic facts (4情報): the name and the birth date or the address are required.
public struct BasicFactsQuery: Sendable, Hashable {
    /// A name, in kanji (matched exactly) or in kana (matched loosely through 清音化 readings).
    public enum Name: Sendable, Hashable {
        case kanji(surname: String, givenName: String)
        case kana(surname: String, givenName: String)
    }

    public var name: Name?
    public var birthDate: CivilDate?
    public var sex: Sex?
    public var address: AddressQuery?
    /// Whether removed records (除票) match too.
    public var includeRemoved: Bool

    public init(
        name: Name? = nil, birthDate: CivilDate? = nil, sex: Sex? = nil, address: AddressQuery? = nil,
        includeRemoved: Bool = false
    ) {
        self.name = name
        self.birthDate = birthDate
        self.sex = sex
        self.address = address
        self.includeRemoved = includeRemoved
    }

    /// The facts given, other than sex.
    public var factsOtherThanSex: [String] {
        var f: [String] = []
        if name != nil { f.append("name") }
        if birthDate != nil { f.append("birthDate") }
        if address != nil { f.append("address") }
        return f
    }
}

/// An address to search for: town name, 丁目 (0 if none), 番地, 号.
public struct AddressQuery: Sendable, Hashable {
    public var town: String
    public var chome: Int
    public var banchi: Int
    public var go: Int

    public init(town: String, chome: Int, banchi: Int, go: Int) {
        self.town = town
        self.chome = chome
        self.banchi = banchi
        self.go = go
    }
}

/// A basic-facts query resolved against one register's interned names and towns, ready to run repeatedly
/// without allocating.
public struct ResolvedQuery: Sendable {
    @usableFromInline var key: UInt64
    @usableFromInline var extraKeys: [UInt64] = []
    /// Name ids allowed for a kanji search; empty means no kanji filter.
    @usableFromInline var surnameFilter: [UInt32] = []
    @usableFromInline var givenFilter: [UInt32] = []
    @usableFromInline var hasName: Bool
    @usableFromInline var birth: Int32?
    @usableFromInline var sex: UInt8?
    @usableFromInline var address: UInt64?
    @usableFromInline var includeRemoved: Bool
    /// True when a given fact cannot match anything here (an unknown name or town): the result is empty.
    @usableFromInline var impossible = false

    @usableFromInline
    init(key: UInt64, hasName: Bool, birth: Int32?, sex: UInt8?, address: UInt64?, includeRemoved: Bool) {
        self.key = key
        self.hasName = hasName
        self.birth = birth
        self.sex = sex
        self.address = address
        self.includeRemoved = includeRemoved
    }
}

extension ResidentRegister {
    /// Checks the two-facts rule and resolves names and town against this register.
    ///
    /// The seed requires "少なくとも性別を除く2情報以上(氏名と住所の組み合わせ、氏名と生年月日の組み合わせ)" (III(2)2
    /// リスク1): the listed pairs both hold the name, and the rule is there to stop searches from assembling a
    /// database of people, so birth date + address without a name is refused too.
    ///
    /// - Throws: ``SearchError`` `insufficientFacts` unless the name and the birth date or the address are given,
    ///   `invalidValue` for an empty name.
    public func resolve(_ query: BasicFactsQuery) throws(SearchError) -> ResolvedQuery {
        let facts = query.factsOtherThanSex
        guard query.name != nil, query.birthDate != nil || query.address != nil else {
            throw SearchError(
                .insufficientFacts, field: facts.isEmpty ? "query" : facts.joined(separator: ", "),
                "a basic-facts search needs the name and the birth date or the address (氏名と生年月日、氏名と住所: "
                    + "III(2)2 リスク1); got \(facts.isEmpty ? "none" : facts.joined(separator: " + "))")
        }
        var resolved = ResolvedQuery(
            key: 0, hasName: query.name != nil, birth: query.birthDate?.daysSinceEpoch, sex: query.sex?.rawValue,
            address: nil, includeRemoved: query.includeRemoved)
        if let a = query.address {
            if let t = townIDs[a.town], let chome = UInt8(exactly: a.chome), let banchi = UInt16(exactly: a.banchi),
                let go = UInt16(exactly: a.go)
            {
                resolved.address = RegisterAddress(town: t, chome: chome, banchi: banchi, go: go).packed
            } else {
                resolved.impossible = true
            }
        }
        switch query.name {
        case nil:
            break
        case .kana(let surname, let given):
            guard !surname.isEmpty, !given.isEmpty else {
                throw SearchError(.invalidValue, field: "name", "surname and given name must not be empty")
            }
            if let s = names.seionID(reading: surname), let g = names.seionID(reading: given) {
                resolved.key = UInt64(s) << 32 | UInt64(g)
            } else {
                resolved.impossible = true
            }
        case .kanji(let surname, let given):
            guard !surname.isEmpty, !given.isEmpty else {
                throw SearchError(.invalidValue, field: "name", "surname and given name must not be empty")
            }
            let s = names.ids(kanji: surname)
            let g = names.ids(kanji: given)
            var keys: [UInt64] = []
            for si in s {
                for gi in g {
                    let k = UInt64(names.seionID(of: si)) << 32 | UInt64(names.seionID(of: gi))
                    if !keys.contains(k) { keys.append(k) }
                }
            }
            if let first = keys.first {
                resolved.key = first
                resolved.extraKeys = Array(keys.dropFirst())
                resolved.surnameFilter = s
                resolved.givenFilter = g
            } else {
                resolved.impossible = true
            }
        }
        return resolved
    }

    /// Every row matching `query` (namesakes included), in row order.
    public func search(_ query: BasicFactsQuery) throws(SearchError) -> [RowID] {
        var out: [RowID] = []
        search(try resolve(query), into: &out)
        return out
    }

    /// The query a clerk would type for `row`'s name and birth date (kana), resolved.
    public func nameAndBirthDateQuery(of row: RowID) -> ResolvedQuery {
        ResolvedQuery(
            key: nameKey(row: row.rawValue), hasName: true, birth: columns.birthDate[row.index], sex: nil,
            address: nil, includeRemoved: false)
    }

    /// The query for `row`'s name and address (kana), resolved.
    public func nameAndAddressQuery(of row: RowID) -> ResolvedQuery {
        ResolvedQuery(
            key: nameKey(row: row.rawValue), hasName: true, birth: nil, sex: nil,
            address: addressKey(row: row.rawValue), includeRemoved: false)
    }

    /// Appends every row matching `query` to `out` (cleared first), sorted by row; allocates nothing once `out`
    /// has capacity.
    @inlinable
    public func search(_ query: ResolvedQuery, into out: inout [RowID]) {
        out.removeAll(keepingCapacity: true)
        if query.impossible { return }
        if !query.hasName {
            scanWithoutName(query, into: &out)
            return
        }
        probe(query, key: query.key, into: &out)
        if !query.extraKeys.isEmpty {
            for k in query.extraKeys { probe(query, key: k, into: &out) }
            out.sort()
        } else if out.count > 1 {
            out.sort()
        }
    }

    @inlinable
    func probe(_ q: ResolvedQuery, key: UInt64, into out: inout [RowID]) {
        let useBirth = q.birth != nil
        let index = useBirth ? birthIndex : addressIndex
        let hash =
            useBirth
            ? Self.birthHash(nameKey: key, birth: q.birth ?? 0)
            : Self.addressHash(nameKey: key, address: q.address ?? 0)
        index.forEach(hash: hash, where: { row in matches(row, key: key, q) }) { out.append(RowID($0)) }
    }

    @inlinable @inline(__always)
    func matches(_ row: UInt32, key: UInt64, _ q: ResolvedQuery) -> Bool {
        let r = Int(row)
        if nameKey(row: row) != key { return false }
        if let b = q.birth, columns.birthDate[r] != b { return false }
        if let a = q.address, addressKey(row: row) != a { return false }
        if let s = q.sex, columns.sex[r] != s { return false }
        if !q.includeRemoved && columns.status[r] != 0 { return false }
        if !q.surnameFilter.isEmpty && !q.surnameFilter.contains(columns.surname[r]) { return false }
        if !q.givenFilter.isEmpty && !q.givenFilter.contains(columns.givenName[r]) { return false }
        return true
    }

    @usableFromInline
    func scanWithoutName(_ q: ResolvedQuery, into out: inout [RowID]) {
        // Birth date + address without a name has no index: scan the columns (rare at a counter).
        guard let b = q.birth, let a = q.address else { return }
        for r in 0..<columns.count where columns.birthDate[r] == b {
            let row = UInt32(r)
            if addressKey(row: row) != a { continue }
            if let s = q.sex, columns.sex[r] != s { continue }
            if !q.includeRemoved && columns.status[r] != 0 { continue }
            out.append(RowID(row))
        }
    }
}

/// The keys a person's basic facts are found by outside the register: the 清音化 name with the birth date, and with
/// the address. Built from stable reading hashes, so the CS's identity file and a clerk's query agree on them.
public struct BasicFactsKeys: Sendable, Hashable {
    public var nameAndBirthDate: UInt64
    public var nameAndAddress: UInt64

    public init(nameAndBirthDate: UInt64, nameAndAddress: UInt64) {
        self.nameAndBirthDate = nameAndBirthDate
        self.nameAndAddress = nameAndAddress
    }

    /// The name's part of the keys, from the two readings (kana, matched loosely: 清音化).
    public static func name(surnameKana: String, givenNameKana: String) -> UInt64 {
        Mixing.combine(
            NamePool.readingHash(Kana.seion(Kana.katakana(surnameKana))),
            NamePool.readingHash(Kana.seion(Kana.katakana(givenNameKana))))
    }

    /// The key of a name with a birth date.
    public static func nameAndBirthDate(name: UInt64, birthDate: CivilDate) -> UInt64 {
        Mixing.combine(name, UInt64(UInt32(bitPattern: birthDate.daysSinceEpoch)) | 1 << 40)
    }

    /// The key of a name with an address (the municipality's code, town, 丁目, 番地, 号).
    public static func nameAndAddress(name: UInt64, municipality: MunicipalityCode, address: RegisterAddress)
        -> UInt64
    {
        nameAndAddress(name: name, municipality: municipality, packedAddress: address.packed)
    }

    static func nameAndAddress(name: UInt64, municipality: MunicipalityCode, packedAddress: UInt64) -> UInt64 {
        Mixing.combine(Mixing.combine(name, UInt64(municipality.rawValue) | 2 << 40), packedAddress)
    }
}

extension ResidentRegister {
    /// The basic-facts keys of `row`, as its identity updates carry them.
    public func basicFactsKeys(of row: RowID) -> BasicFactsKeys {
        let r = row.index
        let name = Mixing.combine(names.seionHash(of: columns.surname[r]), names.seionHash(of: columns.givenName[r]))
        return BasicFactsKeys(
            nameAndBirthDate: BasicFactsKeys.nameAndBirthDate(
                name: name, birthDate: CivilDate(daysSinceEpoch: columns.birthDate[r])),
            nameAndAddress: BasicFactsKeys.nameAndAddress(
                name: name, municipality: municipality.code, packedAddress: addressKey(row: row.rawValue)))
    }
}
