public import JukiCore

/// A field of a resident record, as named in the change log.
public enum RecordField: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Surname and given name ids (``NamePool``), packed `surname << 32 | givenName`.
    case name = 1
    case birthDate
    case sex
    /// ``RegisterAddress/packed``.
    case address
    case household
    case relationship
    case status
    case individualNumber
    case residentCode
    case cardStatus
    case formerSurname

    /// Whether the field is one of the identity information items (本人確認情報) that go up to the prefecture
    /// and national servers: the seed lists 住民票コード、氏名、生年月日、性別、住所、個人番号、異動事由、異動年月日
    /// (II(2)5 提供先1 ③), and a record's status stands for its removal. Household, relationship, card status and
    /// former surname stay in the register.
    public var isIdentityItem: Bool {
        switch self {
        case .name, .birthDate, .sex, .address, .status, .individualNumber, .residentCode: true
        case .household, .relationship, .cardStatus, .formerSurname: false
        }
    }

    public var description: String {
        switch self {
        case .name: "name"
        case .birthDate: "birthDate"
        case .sex: "sex"
        case .address: "address"
        case .household: "household"
        case .relationship: "relationship"
        case .status: "status"
        case .individualNumber: "individualNumber"
        case .residentCode: "residentCode"
        case .cardStatus: "cardStatus"
        case .formerSurname: "formerSurname"
        }
    }
}

/// One field's value before and after a change.
public struct FieldChange: Sendable, Hashable {
    public var field: RecordField
    public var before: UInt64
    public var after: UInt64

    @inlinable
    public init(field: RecordField, before: UInt64, after: UInt64) {
        self.field = field
        self.before = before
        self.after = after
    }
}

/// Who made a change and when: simulated time, operator and terminal.
public struct ChangeContext: Sendable, Hashable {
    public var time: SimulatedTime
    public var operatorID: OperatorID
    public var terminalID: TerminalID

    @inlinable
    public init(time: SimulatedTime, operatorID: OperatorID, terminalID: TerminalID) {
        self.time = time
        self.operatorID = operatorID
        self.terminalID = terminalID
    }
}

/// One entry of the change log, materialised.
public struct Change: Sendable, Hashable {
    /// Sequence number, from 1, without gaps.
    public var sequence: UInt64
    public var time: SimulatedTime
    public var row: RowID
    public var residentCode: ResidentCode
    public var operatorID: OperatorID
    public var terminalID: TerminalID
    public var reason: ChangeReason
    public var fields: [FieldChange]
}

/// The append-only change log: the history of every record, the audit feed and the feed to the municipal CS.
///
/// Stored as two flat arrays (entries and field changes) so an append allocates nothing once capacity is
/// reserved; each entry links to the previous change of the same row for per-person history.
public struct ChangeLog: Sendable {
    @usableFromInline
    struct Entry: Sendable {
        @usableFromInline var time: Int64
        @usableFromInline var row: UInt32
        @usableFromInline var operatorID: UInt32
        @usableFromInline var terminalID: UInt32
        @usableFromInline var firstField: UInt32
        /// 1 + index of the previous change of the same row; 0 when none.
        @usableFromInline var previousOfRow: UInt32
        @usableFromInline var residentCode: UInt64
        @usableFromInline var reason: UInt8
        @usableFromInline var fieldCount: UInt8

        @inlinable
        init(
            time: Int64, row: UInt32, operatorID: UInt32, terminalID: UInt32, firstField: UInt32,
            previousOfRow: UInt32, residentCode: UInt64, reason: UInt8, fieldCount: UInt8
        ) {
            self.time = time
            self.row = row
            self.operatorID = operatorID
            self.terminalID = terminalID
            self.firstField = firstField
            self.previousOfRow = previousOfRow
            self.residentCode = residentCode
            self.reason = reason
            self.fieldCount = fieldCount
        }
    }

    @usableFromInline var entries: [Entry] = []
    @usableFromInline var fieldChanges: [FieldChange] = []

    public init() {}

    /// The number of changes recorded.
    public var count: Int { entries.count }
    /// The number of field changes the entries hold together.
    public var fieldChangeCount: Int { fieldChanges.count }
    /// The sequence number the next change will get.
    public var nextSequence: UInt64 { UInt64(entries.count) + 1 }

    /// Reserves room for `changes` more entries and `fields` more field changes.
    public mutating func reserveCapacity(changes: Int, fields: Int) {
        entries.reserveCapacity(entries.count + changes)
        fieldChanges.reserveCapacity(fieldChanges.count + fields)
    }

    /// Appends a change; returns 1 + its index (the value kept in ``ResidentColumns/lastChange``).
    @inlinable
    mutating func append(
        row: UInt32, residentCode: UInt64, reason: ChangeReason, context: ChangeContext, previousOfRow: UInt32,
        _ f0: FieldChange, _ f1: FieldChange? = nil, _ f2: FieldChange? = nil
    ) -> UInt32 {
        let first = UInt32(fieldChanges.count)
        fieldChanges.append(f0)
        var n: UInt8 = 1
        if let f1 {
            fieldChanges.append(f1)
            n += 1
        }
        if let f2 {
            fieldChanges.append(f2)
            n += 1
        }
        entries.append(
            Entry(
                time: context.time.microseconds, row: row, operatorID: context.operatorID.rawValue,
                terminalID: context.terminalID.rawValue, firstField: first, previousOfRow: previousOfRow,
                residentCode: residentCode, reason: reason.rawValue, fieldCount: n))
        return UInt32(entries.count)
    }

    /// Appends a change with any number of field changes.
    mutating func append(
        row: UInt32, residentCode: UInt64, reason: ChangeReason, context: ChangeContext, previousOfRow: UInt32,
        fields: [FieldChange]
    ) -> UInt32 {
        let first = UInt32(fieldChanges.count)
        fieldChanges.append(contentsOf: fields)
        entries.append(
            Entry(
                time: context.time.microseconds, row: row, operatorID: context.operatorID.rawValue,
                terminalID: context.terminalID.rawValue, firstField: first, previousOfRow: previousOfRow,
                residentCode: residentCode, reason: reason.rawValue, fieldCount: UInt8(fields.count)))
        return UInt32(entries.count)
    }

    /// The change with sequence number `sequence`, if recorded.
    public func change(sequence: UInt64) -> Change? {
        guard sequence >= 1 && sequence <= UInt64(entries.count) else { return nil }
        return materialise(Int(sequence - 1))
    }

    /// Every change from sequence number `sequence` onwards (the CS connector's feed).
    public func changes(from sequence: UInt64) -> [Change] {
        let start = Int(max(sequence, 1) - 1)
        guard start < entries.count else { return [] }
        return (start..<entries.count).map(materialise)
    }

    /// Calls `body` with (sequence, row, time µs, reason) for every change from `sequence` onwards, without
    /// materialising field changes: the CS connector's cheap feed.
    public func forEachChange(from sequence: UInt64, _ body: (UInt64, RowID, Int64, ChangeReason) -> Void) {
        let start = Int(max(sequence, 1) - 1)
        guard start < entries.count else { return }
        for i in start..<entries.count {
            let e = entries[i]
            body(UInt64(i) + 1, RowID(e.row), e.time, ChangeReason(rawValue: e.reason) ?? .amendment)
        }
    }

    /// Calls `body` with (sequence, row, time µs, reason) for every change from `sequence` onwards that touches an
    /// identity information item (``RecordField/isIdentityItem``): the CS connector's feed. Card, household and
    /// relationship changes are skipped without materialising anything.
    public func forEachIdentityChange(from sequence: UInt64, _ body: (UInt64, RowID, Int64, ChangeReason) -> Void) {
        let start = Int(max(sequence, 1) - 1)
        guard start < entries.count else { return }
        for i in start..<entries.count {
            let e = entries[i]
            let first = Int(e.firstField)
            var identity = false
            for k in first..<first + Int(e.fieldCount) where fieldChanges[k].field.isIdentityItem {
                identity = true
                break
            }
            guard identity else { continue }
            body(UInt64(i) + 1, RowID(e.row), e.time, ChangeReason(rawValue: e.reason) ?? .amendment)
        }
    }

    /// Calls `body` with (sequence, row, time µs, reason) for every change from `sequence` onwards that touches a
    /// field for which `touching` is true, without materialising field changes.
    public func forEachChange(
        from sequence: UInt64, touching: (RecordField) -> Bool, _ body: (UInt64, RowID, Int64, ChangeReason) -> Void
    ) {
        let start = Int(max(sequence, 1) - 1)
        guard start < entries.count else { return }
        for i in start..<entries.count {
            let e = entries[i]
            let first = Int(e.firstField)
            guard fieldChanges[first..<first + Int(e.fieldCount)].contains(where: { touching($0.field) }) else {
                continue
            }
            body(UInt64(i) + 1, RowID(e.row), e.time, ChangeReason(rawValue: e.reason) ?? .amendment)
        }
    }

    /// The resident code change `sequence` (1-based) was recorded under: for a resident-code change, the old code.
    public func residentCode(ofChange sequence: UInt64) -> UInt64? {
        guard sequence >= 1, Int(sequence - 1) < entries.count else { return nil }
        return entries[Int(sequence - 1)].residentCode
    }

    /// The changes of one row, oldest first, following the per-row links from `lastChange`.
    func history(lastChange: UInt32) -> [Change] {
        var result: [Change] = []
        var link = lastChange
        while link != 0 {
            let i = Int(link - 1)
            result.append(materialise(i))
            link = entries[i].previousOfRow
        }
        return result.reversed()
    }

    func materialise(_ i: Int) -> Change {
        let e = entries[i]
        let start = Int(e.firstField)
        return Change(
            sequence: UInt64(i) + 1, time: SimulatedTime(microseconds: e.time), row: RowID(e.row),
            residentCode: ResidentCode(uncheckedRawValue: e.residentCode), operatorID: OperatorID(e.operatorID),
            terminalID: TerminalID(e.terminalID), reason: ChangeReason(rawValue: e.reason) ?? .amendment,
            fields: Array(fieldChanges[start..<start + Int(e.fieldCount)]))
    }

    /// Bytes held by the log.
    public var memoryBytes: Int {
        entries.capacity * MemoryLayout<Entry>.stride + fieldChanges.capacity * MemoryLayout<FieldChange>.stride
    }
}
