public import JukiCore

/// Where a newly recorded resident goes: a household of their own, or an existing one.
public enum HouseholdPlacement: Sendable, Hashable {
    case newHousehold
    case join(householdNumber: UInt32, relationship: Relationship)
}

/// The facts of a person being recorded (記載) by a move-in, birth or ex-officio entry.
public struct NewResident: Sendable, Hashable {
    public var residentCode: ResidentCode
    public var individualNumber: IndividualNumber?
    public var name: PersonName
    public var birthDate: CivilDate
    public var sex: Sex
    public var address: RegisterAddress
    public var household: HouseholdPlacement
    public var cardStatus: CardStatus
    public var cardExpiry: CivilDate?
    public var foreign: ForeignResidentData?
    public var formerSurname: PersonName?

    public init(
        residentCode: ResidentCode, individualNumber: IndividualNumber? = nil, name: PersonName, birthDate: CivilDate,
        sex: Sex, address: RegisterAddress, household: HouseholdPlacement = .newHousehold,
        cardStatus: CardStatus = .none, cardExpiry: CivilDate? = nil, foreign: ForeignResidentData? = nil,
        formerSurname: PersonName? = nil
    ) {
        self.residentCode = residentCode
        self.individualNumber = individualNumber
        self.name = name
        self.birthDate = birthDate
        self.sex = sex
        self.address = address
        self.household = household
        self.cardStatus = cardStatus
        self.cardExpiry = cardExpiry
        self.foreign = foreign
        self.formerSurname = formerSurname
    }
}

/// The fields a notice changes in place (修正, or 転居 when only the address is given).
public struct RecordAmendment: Sendable, Hashable {
    public var name: PersonName?
    public var birthDate: CivilDate?
    public var sex: Sex?
    public var address: RegisterAddress?
    public var cardStatus: CardStatus?

    public init(
        name: PersonName? = nil, birthDate: CivilDate? = nil, sex: Sex? = nil, address: RegisterAddress? = nil,
        cardStatus: CardStatus? = nil
    ) {
        self.name = name
        self.birthDate = birthDate
        self.sex = sex
        self.address = address
        self.cardStatus = cardStatus
    }

    /// The names of the fields this amendment sets, other than the address.
    public var nonAddressFields: [String] {
        var f: [String] = []
        if name != nil { f.append("name") }
        if birthDate != nil { f.append("birthDate") }
        if sex != nil { f.append("sex") }
        if cardStatus != nil { f.append("cardStatus") }
        return f
    }
}

extension ResidentRegister {
    /// Resolves an address by town name, checking the town exists and the 丁目 is within its range.
    public func address(town: String, chome: Int, banchi: Int, go: Int) throws(RegisterError) -> RegisterAddress {
        guard let id = townIDs[town] else {
            throw RegisterError(.unknownTown, field: "address.town", "'\(town)' is not a town of \(municipality.name)")
        }
        return try address(townID: id, chome: chome, banchi: banchi, go: go)
    }

    /// Resolves an address by town id, checking ranges.
    public func address(townID: UInt16, chome: Int, banchi: Int, go: Int) throws(RegisterError) -> RegisterAddress {
        guard Int(townID) < towns.count else {
            throw RegisterError(.unknownTown, field: "address.town", "town id \(townID) does not exist")
        }
        let t = towns[Int(townID)]
        guard t.chomeCount == 0 ? chome == 0 : (1...t.chomeCount).contains(chome) else {
            throw RegisterError(
                .invalidAddress, field: "address.chome",
                t.chomeCount == 0
                    ? "\(t.name) has no 丁目; give 0" : "\(t.name) has 丁目 1 to \(t.chomeCount), got \(chome)")
        }
        guard (1...9999).contains(banchi), (1...9999).contains(go) else {
            throw RegisterError(.invalidAddress, field: "address", "番地 and 号 must be 1 to 9999, got \(banchi)-\(go)")
        }
        return RegisterAddress(town: townID, chome: UInt8(chome), banchi: UInt16(banchi), go: UInt16(go))
    }

    func checkActive(_ row: RowID, field: String = "row") throws(RegisterError) {
        guard row.index < columns.count else {
            throw RegisterError(
                .notFound, field: field, "\(row) does not exist (the register has \(columns.count) rows)")
        }
        guard columns.status[row.index] == RecordStatus.active.rawValue else {
            throw RegisterError(
                .notActive, field: field,
                "resident \(ResidentCode(uncheckedRawValue: columns.residentCode[row.index])) is removed (除票)")
        }
    }

    // MARK: Record (記載)

    /// Records a person moving in, born, or entered ex officio.
    ///
    /// - Throws: ``RegisterError`` `alreadyResident` when the resident code belongs to an active record (the
    ///   seed's logical check), `individualNumberInUse`, `wrongReason` for a reason that does not create a record,
    ///   and address or household errors.
    @discardableResult
    /// The removed record (除票) of a person coming back, matched by individual number, then by resident code:
    /// nil for a newcomer, or when the match was removed by death (a number that cannot come back) or expunged.
    func formerRecord(of person: NewResident) -> RowID? {
        let candidate =
            person.individualNumber.flatMap { row(individualNumber: $0) } ?? row(residentCode: person.residentCode)
        guard let r = candidate, columns.status[r.index] == RecordStatus.removed.rawValue else { return nil }
        let last = columns.lastChange[r.index]
        guard last > 0, let removal = changeLog.change(sequence: UInt64(last)), removal.reason != .death else {
            return nil
        }
        return r
    }

    public mutating func record(_ person: NewResident, reason: ChangeReason, context: ChangeContext)
        throws(RegisterError) -> RowID
    {
        guard reason.isEntry else {
            throw RegisterError(
                .wrongReason, field: "reason",
                "\(reason) (\(reason.japanese)) does not record a resident; use moveIn, specialMoveIn, birth or exOfficioEntry"
            )
        }
        if let existing = row(residentCode: person.residentCode), columns.status[existing.index] == 0 {
            throw RegisterError(
                .alreadyResident, field: "residentCode",
                "logical check: \(person.residentCode) is already a resident (\(existing)); a move-in for a resident is an error"
            )
        }
        // 突合 (II(1)3⑧): a person whose record this municipality removed earlier (moved out, or removed ex officio)
        // comes back to a new record with their old addressee number. Found by individual number, then resident
        // code. Their number is then held only by their own removed record, which is no conflict.
        let former = formerRecord(of: person)
        if let number = person.individualNumber, let holder = row(individualNumber: number), holder != former {
            throw RegisterError(
                .individualNumberInUse, field: "individualNumber", "\(number.masked) is already designated")
        }
        _ = try address(
            townID: person.address.town, chome: Int(person.address.chome), banchi: Int(person.address.banchi),
            go: Int(person.address.go))
        var relationship = Relationship.head
        if case .join(let number, let rel) = person.household {
            guard number >= 1 && Int(number) <= households.count else {
                throw RegisterError(.householdNotFound, field: "household", "household \(number) does not exist")
            }
            guard rel != .head else {
                throw RegisterError(
                    .wrongReason, field: "household.relationship",
                    "a person joining a household cannot be its head; change the head afterwards")
            }
            relationship = rel
        }
        let r = UInt32(columns.count)
        let surname = names.intern(kanji: person.name.surname, kana: person.name.surnameKana)
        let given = names.intern(kanji: person.name.givenName, kana: person.name.givenNameKana)
        let household: UInt32
        switch person.household {
        case .newHousehold:
            household = UInt32(households.count)
            households.head.append(r)
            households.firstMember.append(UInt32.max)
        case .join(let number, _):
            household = number - 1
        }
        let date = context.time.date.daysSinceEpoch
        columns.residentCode.append(person.residentCode.rawValue)
        columns.individualNumber.append(person.individualNumber?.rawValue ?? 0)
        columns.household.append(household)
        columns.nextInHousehold.append(households.firstMember[Int(household)])
        households.firstMember[Int(household)] = r
        columns.surname.append(surname)
        columns.givenName.append(given)
        columns.birthDate.append(person.birthDate.daysSinceEpoch)
        columns.sex.append(person.sex.rawValue)
        columns.relationship.append(relationship.rawValue)
        columns.status.append(RecordStatus.active.rawValue)
        columns.cardStatus.append(person.cardStatus.rawValue)
        columns.cardExpiryYear.append(person.cardExpiry.map { UInt8(clamping: $0.components.year - 2000) } ?? 0)
        var flags = RowFlags()
        if let f = person.foreign {
            foreign[r] = f
            flags.insert(.foreign)
        }
        if let former = person.formerSurname {
            formerSurnames[r] = names.intern(kanji: former.surname, kana: former.surnameKana)
            flags.insert(.formerSurname)
        }
        let variants = nameVariantCount(surname: surname, givenName: given)
        if variants > 0 { flags.insert(.variantCharacters) }
        columns.flags.append(flags.rawValue)
        columns.variantCount.append(variants)
        columns.town.append(person.address.town)
        columns.chome.append(person.address.chome)
        columns.banchi.append(person.address.banchi)
        columns.go.append(person.address.go)
        columns.residentSince.append(date)
        columns.lastChange.append(0)

        if let former {
            let number = addresseeNumber(of: former)
            carriedAddressee[r] = number
            rowOfCarried[number] = r
        }
        indexInsert(.code, row: r, hash: Self.codeHash(person.residentCode.rawValue))
        if let number = person.individualNumber {
            indexInsert(.number, row: r, hash: Self.codeHash(number.rawValue))
        }
        indexInsert(.birth, row: r, hash: birthHash(row: r))
        indexInsert(.address, row: r, hash: addressHash(row: r))
        columns.lastChange[Int(r)] = changeLog.append(
            row: r, residentCode: person.residentCode.rawValue, reason: reason, context: context, previousOfRow: 0,
            FieldChange(field: .status, before: UInt64.max, after: UInt64(RecordStatus.active.rawValue)),
            FieldChange(field: .address, before: 0, after: person.address.packed),
            FieldChange(field: .household, before: 0, after: UInt64(household) + 1))
        return RowID(r)
    }

    // MARK: Relocation (転居) and amendment (修正)

    /// Moves a resident to another address inside the municipality and logs the change.
    public mutating func relocate(_ row: RowID, to address: RegisterAddress, context: ChangeContext)
        throws(RegisterError)
    {
        try checkActive(row)
        guard Int(address.town) < towns.count else {
            throw RegisterError(.unknownTown, field: "address.town", "town id \(address.town) does not exist")
        }
        let r = row.rawValue
        let old = addressKey(row: r)
        guard old != address.packed else {
            throw RegisterError(.noChange, field: "address", "the new address is the current address")
        }
        let key = nameKey(row: r)
        let i = row.index
        columns.town[i] = address.town
        columns.chome[i] = address.chome
        columns.banchi[i] = address.banchi
        columns.go[i] = address.go
        // Only this row's key changed, so the other rows still hash as stored.
        indexRemove(.address, row: r, hash: Self.addressHash(nameKey: key, address: old))
        indexInsert(.address, row: r, hash: Self.addressHash(nameKey: key, address: address.packed))
        columns.lastChange[i] = changeLog.append(
            row: r, residentCode: columns.residentCode[i], reason: .relocation, context: context,
            previousOfRow: columns.lastChange[i], FieldChange(field: .address, before: old, after: address.packed))
    }

    /// Applies a notice that changes fields in place.
    ///
    /// With reason ``JukiCore/ChangeReason/relocation`` only the address may change: anything else is the seed's
    /// logical-check error `relocationChangesOtherFields`.
    public mutating func amend(
        _ row: RowID, _ amendment: RecordAmendment, reason: ChangeReason, context: ChangeContext
    ) throws(RegisterError) {
        try checkActive(row)
        if reason == .relocation {
            let others = amendment.nonAddressFields
            guard others.isEmpty else {
                throw RegisterError(
                    .relocationChangesOtherFields, field: others.joined(separator: ", "),
                    "logical check: a relocation (転居) may change only the address")
            }
            guard let address = amendment.address else {
                throw RegisterError(.noChange, field: "address", "a relocation needs a new address")
            }
            try relocate(row, to: address, context: context)
            return
        }
        guard reason.isAmendment else {
            throw RegisterError(
                .wrongReason, field: "reason",
                "\(reason) (\(reason.japanese)) is not an amendment; use amendment, exOfficioAmendment or cardChange")
        }
        let r = row.rawValue
        let i = row.index
        var changes: [FieldChange] = []
        let oldBirthHash = birthHash(row: r)
        let oldAddressHash = addressHash(row: r)
        if let name = amendment.name {
            let s = names.intern(kanji: name.surname, kana: name.surnameKana)
            let g = names.intern(kanji: name.givenName, kana: name.givenNameKana)
            let old = UInt64(columns.surname[i]) << 32 | UInt64(columns.givenName[i])
            let new = UInt64(s) << 32 | UInt64(g)
            if old != new {
                changes.append(FieldChange(field: .name, before: old, after: new))
                columns.surname[i] = s
                columns.givenName[i] = g
                setVariantCharacters(row: i)
            }
        }
        if let birth = amendment.birthDate, birth.daysSinceEpoch != columns.birthDate[i] {
            changes.append(
                FieldChange(
                    field: .birthDate, before: UInt64(UInt32(bitPattern: columns.birthDate[i])),
                    after: UInt64(UInt32(bitPattern: birth.daysSinceEpoch))))
            columns.birthDate[i] = birth.daysSinceEpoch
        }
        if let sex = amendment.sex, sex.rawValue != columns.sex[i] {
            changes.append(FieldChange(field: .sex, before: UInt64(columns.sex[i]), after: UInt64(sex.rawValue)))
            columns.sex[i] = sex.rawValue
        }
        if let address = amendment.address {
            guard Int(address.town) < towns.count else {
                throw RegisterError(.unknownTown, field: "address.town", "town id \(address.town) does not exist")
            }
            let old = addressKey(row: r)
            if old != address.packed {
                changes.append(FieldChange(field: .address, before: old, after: address.packed))
                columns.town[i] = address.town
                columns.chome[i] = address.chome
                columns.banchi[i] = address.banchi
                columns.go[i] = address.go
            }
        }
        if let card = amendment.cardStatus, card.rawValue != columns.cardStatus[i] {
            changes.append(
                FieldChange(field: .cardStatus, before: UInt64(columns.cardStatus[i]), after: UInt64(card.rawValue)))
            columns.cardStatus[i] = card.rawValue
        }
        guard !changes.isEmpty else {
            throw RegisterError(.noChange, field: "amendment", "the amendment changes nothing")
        }
        // Re-key the basic-facts indexes: the old hashes come from the record as it was; other rows are unchanged.
        indexRemove(.birth, row: r, hash: oldBirthHash)
        indexRemove(.address, row: r, hash: oldAddressHash)
        indexInsert(.birth, row: r, hash: birthHash(row: r))
        indexInsert(.address, row: r, hash: addressHash(row: r))
        columns.lastChange[i] = changeLog.append(
            row: r, residentCode: columns.residentCode[i], reason: reason, context: context,
            previousOfRow: columns.lastChange[i], fields: changes)
    }

    // MARK: Removal (消除)

    /// Removes a resident (move-out, death, ex-officio removal); the record stays as 除票 and remains findable.
    public mutating func remove(_ row: RowID, reason: ChangeReason, context: ChangeContext) throws(RegisterError) {
        guard row.index < columns.count else {
            throw RegisterError(.notFound, field: "row", "\(row) does not exist")
        }
        guard reason.isRemoval else {
            throw RegisterError(
                .wrongReason, field: "reason",
                "\(reason) (\(reason.japanese)) does not remove a record; use moveOut, death or exOfficioRemoval")
        }
        guard columns.status[row.index] == RecordStatus.active.rawValue else {
            throw RegisterError(
                .alreadyRemoved, field: "row",
                "resident \(ResidentCode(uncheckedRawValue: columns.residentCode[row.index])) is already removed")
        }
        let i = row.index
        columns.status[i] = RecordStatus.removed.rawValue
        columns.lastChange[i] = changeLog.append(
            row: row.rawValue, residentCode: columns.residentCode[i], reason: reason, context: context,
            previousOfRow: columns.lastChange[i],
            FieldChange(
                field: .status, before: UInt64(RecordStatus.active.rawValue),
                after: UInt64(RecordStatus.removed.rawValue)))
    }
}

extension ResidentRegister {
    // MARK: Retention (保存期間)

    /// Removed records (除票) are kept 150 years after removal (住民基本台帳法施行令 第34条, since 2019).
    public static let removedRecordRetention: Int64 = 150 * 36_525 * 864_000_000

    /// Expunges removed records whose removal is older than `cutoff`: personal fields are cleared and the status
    /// becomes ``JukiCore/RecordStatus/expunged``; the resident code and individual number stay as a tombstone.
    /// Walks the change log from where the last call stopped, so a nightly job costs only the day's changes.
    /// Returns how many records it expunged.
    @discardableResult
    public mutating func expungeRemoved(before cutoff: SimulatedTime) -> Int {
        var expunged = 0
        let entries = changeLog.entries
        var i = retentionCursor
        while i < entries.count && entries[i].time < cutoff.microseconds {
            let e = entries[i]
            let r = Int(e.row)
            // The removal is this row's last change (nothing happens to a removed record but its expiry).
            if (ChangeReason(rawValue: e.reason)?.isRemoval ?? false) && r < columns.count
                && columns.status[r] == RecordStatus.removed.rawValue && columns.lastChange[r] == UInt32(i + 1)
            {
                columns.status[r] = RecordStatus.expunged.rawValue
                columns.surname[r] = 0
                columns.givenName[r] = 0
                columns.birthDate[r] = 0
                columns.sex[r] = 0
                columns.relationship[r] = 0
                columns.cardStatus[r] = 0
                columns.cardExpiryYear[r] = 0
                columns.flags[r] = 0
                columns.variantCount[r] = 0
                columns.town[r] = 0
                columns.chome[r] = 0
                columns.banchi[r] = 0
                columns.go[r] = 0
                expunged += 1
            }
            i += 1
        }
        retentionCursor = i
        expungedCount += expunged
        return expunged
    }
}
