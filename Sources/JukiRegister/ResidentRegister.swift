import Dispatch
public import JukiCore

/// A municipality's resident register (住民基本台帳) in memory: columns, indexes, households and change log.
///
/// Residents are rows in columns, not objects. Indexes are open-addressing tables of row ids keyed by
/// resident code, individual number and basic facts (name + birth date, name + address); addressee and
/// household numbers are dense, so their index is arithmetic. Single owner, no locks: an actor owns it.
public struct ResidentRegister: Sendable {
    public let municipality: MunicipalityInfo
    public let towns: [Town]
    let townIDs: [String: UInt16]
    public internal(set) var names: NamePool
    public internal(set) var columns: ResidentColumns
    public internal(set) var households: HouseholdColumns
    public internal(set) var changeLog = ChangeLog()
    /// Where the retention job stopped in the change log, and how many removed records it has expunged.
    var retentionCursor = 0
    public internal(set) var expungedCount = 0
    var foreign: [UInt32: ForeignResidentData]
    var formerSurnames: [UInt32: UInt32]
    /// Addressee numbers carried over to a returning resident's new record (row → number), and the newest row of
    /// each carried number (number → row): sparse, since every other row's number is its row + 1.
    @usableFromInline var carriedAddressee: [UInt32: UInt32] = [:]
    @usableFromInline var rowOfCarried: [UInt32: UInt32] = [:]
    @usableFromInline var codeIndex: RowIndex
    @usableFromInline var numberIndex: RowIndex
    @usableFromInline var birthIndex: RowIndex
    @usableFromInline var addressIndex: RowIndex

    /// An empty register for `municipality` with its `towns`.
    public init(municipality: MunicipalityInfo, towns: [Town]) {
        self.municipality = municipality
        self.towns = towns
        var ids: [String: UInt16] = [:]
        for (i, t) in towns.enumerated() { ids[t.name] = UInt16(i) }
        townIDs = ids
        names = NamePool()
        columns = ResidentColumns()
        households = HouseholdColumns()
        foreign = [:]
        formerSurnames = [:]
        codeIndex = RowIndex(expectedCount: 0)
        numberIndex = RowIndex(expectedCount: 0)
        birthIndex = RowIndex(expectedCount: 0)
        addressIndex = RowIndex(expectedCount: 0)
    }

    /// A register loaded in bulk from filled columns; builds every index (on up to `jobs` threads).
    ///
    /// - Throws: ``RegisterError`` when columns differ in length, a resident code or individual number
    ///   appears twice, or a row refers to a town that does not exist.
    public init(
        municipality: MunicipalityInfo, towns: [Town], names: NamePool, columns: ResidentColumns,
        households: HouseholdColumns, foreign: [RowID: ForeignResidentData] = [:],
        formerSurnames: [RowID: UInt32] = [:], jobs: Int = 1
    ) throws(RegisterError) {
        guard columns.isConsistent else {
            throw RegisterError(.inconsistentColumns, field: "columns", "every column must have one value per row")
        }
        self.municipality = municipality
        self.towns = towns
        var ids: [String: UInt16] = [:]
        for (i, t) in towns.enumerated() { ids[t.name] = UInt16(i) }
        townIDs = ids
        self.names = names
        self.columns = columns
        self.households = households
        var f: [UInt32: ForeignResidentData] = [:]
        for (row, data) in foreign { f[row.rawValue] = data }
        self.foreign = f
        var fs: [UInt32: UInt32] = [:]
        for (row, id) in formerSurnames { fs[row.rawValue] = id }
        self.formerSurnames = fs
        let n = columns.count
        if let bad = columns.town.firstIndex(where: { Int($0) >= towns.count }) {
            throw RegisterError(
                .unknownTown, field: "town",
                "row \(bad) refers to town \(columns.town[bad]), "
                    + "but the municipality has \(towns.count) towns")
        }
        _ = n
        codeIndex = .placeholder
        numberIndex = .placeholder
        birthIndex = .placeholder
        addressIndex = .placeholder
        try buildIndexes(jobs: jobs)
    }

    private mutating func buildIndexes(jobs: Int) throws(RegisterError) {
        let n = columns.count
        var built = (0..<4).map { _ in RowIndex(expectedCount: n) }
        var duplicates: [Int] = [-1, -1, -1, -1]
        let snapshot = self
        built.withUnsafeMutableBufferPointer { tablesBuffer in
            duplicates.withUnsafeMutableBufferPointer { duplicatesBuffer in
                let tables = SharedBuffer(tablesBuffer)
                let dups = SharedBuffer(duplicatesBuffer)
                Parallel.forEach(4, jobs: jobs) { which in
                    dups[which] = snapshot.fill(&tables.base[which], kind: which) ?? -1
                }
            }
        }
        let duplicateCode: Int? = duplicates[0] >= 0 ? duplicates[0] : nil
        let duplicateNumber: Int? = duplicates[1] >= 0 ? duplicates[1] : nil
        if let row = duplicateCode {
            throw RegisterError(
                .duplicateResidentCode, field: "residentCode",
                "resident code \(ResidentCode(uncheckedRawValue: columns.residentCode[row])) appears twice")
        }
        if let row = duplicateNumber {
            throw RegisterError(
                .individualNumberInUse, field: "individualNumber",
                "individual number \(IndividualNumber(uncheckedRawValue: columns.individualNumber[row])) appears twice")
        }
        codeIndex = built[0]
        numberIndex = built[1]
        birthIndex = built[2]
        addressIndex = built[3]
    }

    /// Fills one index from the columns; returns the first row whose key was already present (for unique keys).
    private func fill(_ index: inout RowIndex, kind: Int) -> Int? {
        let n = columns.count
        // Hash every row once up front; the growth callback then only reads this array.
        var hashes = [UInt64](repeating: 0, count: n)
        switch kind {
        case 0: for r in 0..<n { hashes[r] = Self.codeHash(columns.residentCode[r]) }
        case 1: for r in 0..<n { hashes[r] = Self.codeHash(columns.individualNumber[r]) }
        case 2: for r in 0..<n { hashes[r] = birthHash(row: UInt32(r)) }
        default: for r in 0..<n { hashes[r] = addressHash(row: UInt32(r)) }
        }
        let rehash: (UInt32) -> UInt64 = { hashes[Int($0)] }
        switch kind {
        case 0, 1:
            let keys = kind == 0 ? columns.residentCode : columns.individualNumber
            for r in 0..<n where keys[r] != 0 {
                let key = keys[r]
                if index.first(hash: hashes[r], where: { keys[Int($0)] == key }) != nil { return r }
                index.insert(UInt32(r), hash: hashes[r], rehash: rehash)
            }
        default:
            for r in 0..<n { index.insert(UInt32(r), hash: hashes[r], rehash: rehash) }
        }
        return nil
    }

    // MARK: Hashing

    /// The four hashed indexes.
    @usableFromInline
    enum IndexKind: Sendable {
        case code, number, birth, address
    }

    /// The hash under which `row` is stored in index `kind`.
    @inlinable @inline(__always)
    func hash(_ kind: IndexKind, row: UInt32) -> UInt64 {
        switch kind {
        case .code: Self.codeHash(columns.residentCode[Int(row)])
        case .number: Self.codeHash(columns.individualNumber[Int(row)])
        case .birth: birthHash(row: row)
        case .address: addressHash(row: row)
        }
    }

    /// Inserts `row` into index `kind` under `hash`.
    ///
    /// The index is moved out of `self` for the call, so its growth callback can read the columns without an
    /// overlapping access and without a copy-on-write of any array.
    @inlinable
    mutating func indexInsert(_ kind: IndexKind, row: UInt32, hash: UInt64) {
        var index = takeIndex(kind)
        index.insert(row, hash: hash, rehash: { self.hash(kind, row: $0) })
        putIndex(kind, index)
    }

    /// Makes room for `rows` residents in every column and index, so that recording up to that many never copies
    /// a column or rehashes an index (a pause a long-running service would feel).
    public mutating func reserveCapacity(rows: Int) {
        columns.reserveCapacity(rows)
        for kind in [IndexKind.code, .number, .birth, .address] {
            var index = takeIndex(kind)
            index.reserve(rows, rehash: { self.hash(kind, row: $0) })
            putIndex(kind, index)
        }
    }

    /// Removes `row`, stored under `hash`, from index `kind`; other rows must still hash as stored.
    @inlinable
    mutating func indexRemove(_ kind: IndexKind, row: UInt32, hash: UInt64) {
        var index = takeIndex(kind)
        index.remove(row, hash: hash, rehash: { self.hash(kind, row: $0) })
        putIndex(kind, index)
    }

    @inlinable @inline(__always)
    mutating func takeIndex(_ kind: IndexKind) -> RowIndex {
        var index = RowIndex.placeholder
        switch kind {
        case .code: swap(&index, &codeIndex)
        case .number: swap(&index, &numberIndex)
        case .birth: swap(&index, &birthIndex)
        case .address: swap(&index, &addressIndex)
        }
        return index
    }

    @inlinable @inline(__always)
    mutating func putIndex(_ kind: IndexKind, _ index: RowIndex) {
        switch kind {
        case .code: codeIndex = index
        case .number: numberIndex = index
        case .birth: birthIndex = index
        case .address: addressIndex = index
        }
    }

    @inlinable @inline(__always)
    static func codeHash(_ value: UInt64) -> UInt64 { Mixing.fmix64(value) }

    @inlinable @inline(__always)
    static func birthHash(nameKey: UInt64, birth: Int32) -> UInt64 {
        Mixing.combine(nameKey, UInt64(UInt32(bitPattern: birth)))
    }

    @inlinable @inline(__always)
    static func addressHash(nameKey: UInt64, address: UInt64) -> UInt64 {
        Mixing.combine(nameKey ^ 0xA076_1D64_78BD_642F, address)
    }

    /// The 清音化 name key of a row: surname and given-name reading ids.
    @inlinable @inline(__always)
    func nameKey(row: UInt32) -> UInt64 {
        let r = Int(row)
        return UInt64(names.seionID(of: columns.surname[r])) << 32 | UInt64(names.seionID(of: columns.givenName[r]))
    }

    @inlinable @inline(__always)
    func addressKey(row: UInt32) -> UInt64 {
        let r = Int(row)
        return RegisterAddress(
            town: columns.town[r], chome: columns.chome[r], banchi: columns.banchi[r], go: columns.go[r]
        ).packed
    }

    @inlinable @inline(__always)
    func birthHash(row: UInt32) -> UInt64 {
        Self.birthHash(nameKey: nameKey(row: row), birth: columns.birthDate[Int(row)])
    }

    @inlinable @inline(__always)
    func addressHash(row: UInt32) -> UInt64 {
        Self.addressHash(nameKey: nameKey(row: row), address: addressKey(row: row))
    }

    // MARK: Lookups

    /// The number of rows, removed records (除票) included.
    public var count: Int { columns.count }

    /// The number of active residents.
    public var activeCount: Int { columns.status.reduce(0) { $0 + ($1 == RecordStatus.active.rawValue ? 1 : 0) } }

    /// The row of `code`: the active record if there is one, else the latest removed record (除票).
    @inlinable
    public func row(residentCode code: ResidentCode) -> RowID? {
        let key = code.rawValue
        let h = Self.codeHash(key)
        return columns.residentCode.withUnsafeBufferPointer { codes in
            columns.status.withUnsafeBufferPointer { status in
                if let r = codeIndex.first(hash: h, where: { codes[Int($0)] == key && status[Int($0)] == 0 }) {
                    return RowID(r)
                }
                var latest: UInt32?
                codeIndex.forEach(hash: h, where: { codes[Int($0)] == key }) { r in latest = max(latest ?? r, r) }
                return latest.map(RowID.init)
            }
        }
    }

    /// The row holding individual number `number` (active first, then removed).
    @inlinable
    public func row(individualNumber number: IndividualNumber) -> RowID? {
        let key = number.rawValue
        let h = Self.codeHash(key)
        return columns.individualNumber.withUnsafeBufferPointer { numbers in
            columns.status.withUnsafeBufferPointer { status in
                if let r = numberIndex.first(hash: h, where: { numbers[Int($0)] == key && status[Int($0)] == 0 }) {
                    return RowID(r)
                }
                var latest: UInt32?
                numberIndex.forEach(hash: h, where: { numbers[Int($0)] == key }) { r in latest = max(latest ?? r, r) }
                return latest.map(RowID.init)
            }
        }
    }

    /// The row with addressee number (宛名番号) `number`: the newest record holding it (a returning resident's new
    /// record rather than their removed one). Addressee numbers are row + 1 unless carried over.
    @inlinable
    public func row(addresseeNumber number: UInt32) -> RowID? {
        if let r = rowOfCarried[number] { return RowID(r) }
        return number >= 1 && Int(number) <= columns.count ? RowID(number - 1) : nil
    }

    /// The addressee number (宛名番号) of `row`: row + 1, or the number carried over from the person's removed
    /// record when they came back (II(1)3⑧ 情報の突合).
    @inlinable
    public func addresseeNumber(of row: RowID) -> UInt32 { carriedAddressee[row.rawValue] ?? row.rawValue + 1 }

    /// The unified addressee number (団体内統合宛名番号): municipality code and addressee number. It does not
    /// change when the individual number does, and a returning resident keeps theirs with the addressee number.
    public func unifiedAddresseeNumber(of row: RowID) -> UInt64 {
        Self.unifiedAddresseeNumber(municipality: municipality.code, addressee: addresseeNumber(of: row))
    }

    /// The unified addressee number of addressee number `addressee` in `municipality`: code · 10^8 + addressee.
    public static func unifiedAddresseeNumber(municipality: MunicipalityCode, addressee: UInt32) -> UInt64 {
        UInt64(municipality.rawValue) * 100_000_000 + UInt64(addressee)
    }

    /// Addressee numbers carried over to returning residents.
    public var carriedAddresseeNumbers: Int { carriedAddressee.count }

    /// The household number (世帯番号) of `row`: household index + 1.
    @inlinable
    public func householdNumber(of row: RowID) -> UInt32 { columns.household[row.index] + 1 }

    /// The members of household `number`, head first, then in the order they joined; removed members excluded.
    public func members(ofHousehold number: UInt32) -> [RowID] {
        guard number >= 1 && Int(number) <= households.count else { return [] }
        let h = Int(number - 1)
        var result: [RowID] = []
        let head = households.head[h]
        if head != UInt32.max && columns.status[Int(head)] == 0 { result.append(RowID(head)) }
        var r = households.firstMember[h]
        var others: [RowID] = []
        while r != UInt32.max {
            if r != head && columns.status[Int(r)] == 0 { others.append(RowID(r)) }
            r = columns.nextInHousehold[Int(r)]
        }
        return result + others.sorted()
    }

    /// The town id of `name`.
    public func townID(named name: String) -> UInt16? { townIDs[name] }

    /// The foreign-resident data of `row`, if any.
    public func foreignData(_ row: RowID) -> ForeignResidentData? { foreign[row.rawValue] }

    /// Replaces the foreign-resident items of `row` (a new period of stay, status or residence card from the
    /// Minister of Justice's notice, 住基法第30条の50); false when `row` holds no foreign resident.
    @discardableResult
    public mutating func setForeignData(_ row: RowID, _ data: ForeignResidentData) -> Bool {
        guard foreign[row.rawValue] != nil else { return false }
        foreign[row.rawValue] = data
        return true
    }

    /// The rows of foreign residents with their data, in row order.
    public var foreignResidents: [(row: RowID, data: ForeignResidentData)] {
        foreign.keys.sorted().compactMap { k in foreign[k].map { (RowID(k), $0) } }
    }

    /// The former surname (旧氏) entry of `row` in ``names``, if any.
    public func formerSurnameID(_ row: RowID) -> UInt32? { formerSurnames[row.rawValue] }

    /// Every change of `row`, oldest first.
    public func history(of row: RowID) -> [Change] { changeLog.history(lastChange: columns.lastChange[row.index]) }
}
