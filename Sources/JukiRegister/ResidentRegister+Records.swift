public import JukiCore

/// Bytes held by a register, by part.
public struct MemoryFootprint: Sendable, Hashable {
    public var rows: Int
    public var columns: Int
    public var indexes: Int
    public var households: Int
    public var namesAndTowns: Int
    public var sideTables: Int
    public var changeLog: Int

    /// Register and indexes (columns, indexes, households, pools, side tables), change log excluded.
    public var registerAndIndexes: Int { columns + indexes + households + namesAndTowns + sideTables }
    /// ``registerAndIndexes`` per row.
    public var bytesPerResident: Double { rows == 0 ? 0 : Double(registerAndIndexes) / Double(rows) }
}

extension ResidentRegister {
    /// The reason of the latest change of `row`: from the change log, or birth / move-in for a loaded record.
    public func changeReason(of row: RowID) -> ChangeReason {
        let link = columns.lastChange[row.index]
        if link != 0, let reason = ChangeReason(rawValue: changeLog.entries[Int(link - 1)].reason) { return reason }
        return RowFlags(rawValue: columns.flags[row.index]).contains(.bornHere) ? .birth : .moveIn
    }

    /// The date of the latest change of `row`: from the change log, or the date it became a resident.
    public func changeDate(of row: RowID) -> CivilDate {
        let link = columns.lastChange[row.index]
        if link != 0 { return SimulatedTime(microseconds: changeLog.entries[Int(link - 1)].time).date }
        return CivilDate(daysSinceEpoch: columns.residentSince[row.index])
    }

    /// The name of `row` as recorded.
    public func name(of row: RowID) -> PersonName {
        let s = names[columns.surname[row.index]]
        let g = names[columns.givenName[row.index]]
        return PersonName(surname: s.kanji, givenName: g.kanji, surnameKana: s.kana, givenNameKana: g.kana)
    }

    /// The number of variant characters (外字数, 別添2【2】 item 3) in the name of `row`.
    public func variantCount(of row: RowID) -> Int { Int(columns.variantCount[row.index]) }

    /// Whether the name of `row` holds a variant character (外字フラグ, 別添2【2】 item 34).
    public func hasVariantCharacters(_ row: RowID) -> Bool {
        RowFlags(rawValue: columns.flags[row.index]).contains(.variantCharacters)
    }

    /// The name of `row` in substitutes (代替文字氏名, 別添2【3】 item 55): what delivery records carry, 髙橋 as 高橋.
    public func substitutedName(of row: RowID) -> PersonName {
        hasVariantCharacters(row) ? name(of: row).substituted : name(of: row)
    }

    /// The 外字数 of a name from its ``NamePool`` ids, as the column holds it.
    func nameVariantCount(surname: UInt32, givenName: UInt32) -> UInt8 {
        UInt8(clamping: names.variantCount(of: surname) + names.variantCount(of: givenName))
    }

    /// Sets the 外字数 and 外字フラグ of row `i` from its name (after a name change).
    mutating func setVariantCharacters(row i: Int) {
        let n = nameVariantCount(surname: columns.surname[i], givenName: columns.givenName[i])
        columns.variantCount[i] = n
        var flags = RowFlags(rawValue: columns.flags[i])
        if n > 0 { flags.insert(.variantCharacters) } else { flags.remove(.variantCharacters) }
        columns.flags[i] = flags.rawValue
    }

    /// The address of `row` as recorded.
    public func address(of row: RowID) -> ResidentAddress {
        let i = row.index
        let t = towns[Int(columns.town[i])]
        return ResidentAddress(
            municipalityCode: municipality.code, municipalityName: municipality.name, town: t.name, townKana: t.kana,
            postalCode: t.postalCode, chome: Int(columns.chome[i]), banchi: Int(columns.banchi[i]),
            go: Int(columns.go[i]))
    }

    /// The last day the card of `row` is valid: its holder's birthday in the card's expiry year (nil: no card).
    public func cardExpiry(of row: RowID) -> CivilDate? {
        let year = columns.cardExpiryYear[row.index]
        guard year != 0 else { return nil }
        return CivilDate(daysSinceEpoch: columns.birthDate[row.index]).sameDay(inYear: 2000 + Int(year))
    }

    /// The resident record (住民票) of `row`.
    public func record(_ row: RowID) -> ResidentRecord {
        let i = row.index
        let number = columns.individualNumber[i]
        let birth = CivilDate(daysSinceEpoch: columns.birthDate[i])
        var former: PersonName?
        if let f = formerSurnames[row.rawValue] {
            let e = names[f]
            former = PersonName(surname: e.kanji, givenName: "", surnameKana: e.kana, givenNameKana: "")
        }
        return ResidentRecord(
            residentCode: ResidentCode(uncheckedRawValue: columns.residentCode[i]),
            individualNumber: number == 0 ? nil : IndividualNumber(uncheckedRawValue: number),
            addresseeNumber: addresseeNumber(of: row), unifiedAddresseeNumber: unifiedAddresseeNumber(of: row),
            householdNumber: householdNumber(of: row),
            relationship: Relationship(rawValue: columns.relationship[i]) ?? .otherRelative, name: name(of: row),
            birthDate: birth, sex: Sex(rawValue: columns.sex[i]) ?? .male, address: address(of: row),
            status: RecordStatus(rawValue: columns.status[i]) ?? .active,
            cardStatus: CardStatus(rawValue: columns.cardStatus[i]) ?? .none, cardExpiry: cardExpiry(of: row),
            changeReason: changeReason(of: row), changeDate: changeDate(of: row),
            residentSince: CivilDate(daysSinceEpoch: columns.residentSince[i]), foreign: foreign[row.rawValue],
            formerSurname: former)
    }

    /// The identity record (本人確認情報) of `row`: what goes to the prefecture.
    public func identityRecord(_ row: RowID) -> IdentityRecord {
        let i = row.index
        let n = name(of: row)
        let a = address(of: row)
        let number = columns.individualNumber[i]
        return IdentityRecord(
            residentCode: ResidentCode(uncheckedRawValue: columns.residentCode[i]), name: n.fullName,
            kanaName: n.fullKana, seionKana: n.seionKana, birthDate: CivilDate(daysSinceEpoch: columns.birthDate[i]),
            sex: Sex(rawValue: columns.sex[i]) ?? .male, municipalityCode: municipality.code, postalCode: a.postalCode,
            address: a.description, individualNumber: number == 0 ? nil : IndividualNumber(uncheckedRawValue: number),
            changeReason: changeReason(of: row), changeDate: changeDate(of: row),
            status: RecordStatus(rawValue: columns.status[i]) ?? .active)
    }

    /// Identity records of every row (removed ones included), in row order: the consistency-check extract.
    public func identityExtract() -> [IdentityRecord] {
        (0..<columns.count).map { identityRecord(RowID(UInt32($0))) }
    }

    /// What the register holds in memory, by part.
    public func memoryFootprint() -> MemoryFootprint {
        let indexes =
            codeIndex.memoryBytes + numberIndex.memoryBytes + birthIndex.memoryBytes + addressIndex.memoryBytes
        let towns = self.towns.reduce(0) { $0 + $1.name.utf8.count + $1.kana.utf8.count + 96 } + townIDs.count * 48
        // A Swift Dictionary entry costs about key + value + 1 byte of metadata, at ≤ 75 % load.
        let foreignBytes = foreign.reduce(0) {
            $0 + 4 + MemoryLayout<ForeignResidentData>.stride + $1.value.residenceCard.utf8.count
        }
        let side = (foreignBytes + formerSurnames.count * 8) * 4 / 3
        return MemoryFootprint(
            rows: columns.count, columns: columns.memoryBytes, indexes: indexes, households: households.memoryBytes,
            namesAndTowns: names.memoryBytes + towns, sideTables: side, changeLog: changeLog.memoryBytes)
    }
}
