public import JukiCore

/// What a bulk designation did.
public struct BulkDesignationResult: Sendable, Hashable {
    /// Residents given a number.
    public var designated: Int
    /// Residents skipped because their candidate was already in use (should be 0).
    public var collisions: Int
}

extension ResidentRegister {
    /// Designates `number` as the individual number of `row` (個人番号指定), or changes it (`.numberChange`).
    ///
    /// - Throws: `alreadyDesignated` when the row has a number and the reason is `numberDesignation`;
    ///   `individualNumberInUse` when the number belongs to anyone, removed records included (numbers are never
    ///   reused).
    public mutating func designate(
        _ row: RowID, number: IndividualNumber, reason: ChangeReason = .numberDesignation, context: ChangeContext
    ) throws(RegisterError) {
        try checkActive(row)
        guard reason == .numberDesignation || reason == .numberChange else {
            throw RegisterError(
                .wrongReason, field: "reason",
                "\(reason) does not designate a number; use numberDesignation or numberChange")
        }
        let i = row.index
        let old = columns.individualNumber[i]
        if old != 0 && reason == .numberDesignation {
            throw RegisterError(
                .alreadyDesignated, field: "individualNumber",
                "the resident already has individual number \(IndividualNumber(uncheckedRawValue: old).masked); "
                    + "a change uses reason numberChange")
        }
        if old == 0 && reason == .numberChange {
            throw RegisterError(
                .wrongReason, field: "reason", "the resident has no number to change; use numberDesignation")
        }
        if let holder = self.row(individualNumber: number) {
            throw RegisterError(
                .individualNumberInUse, field: "individualNumber",
                "\(number.masked) already belongs to \(holder); numbers are never reused")
        }
        setNumber(row.rawValue, number.rawValue, reason: reason, context: context)
    }

    /// Designates a number for every active resident without one, converting each resident code with
    /// `conversion` (as J-LIS would), in one loop over the columns.
    @discardableResult
    public mutating func designateAllMissing(using conversion: NumberConversion, context: ChangeContext)
        -> BulkDesignationResult
    {
        let n = columns.count
        var missing = 0
        for r in 0..<n where columns.individualNumber[r] == 0 && columns.status[r] == 0 { missing += 1 }
        changeLog.reserveCapacity(changes: missing, fields: missing)
        var result = BulkDesignationResult(designated: 0, collisions: 0)
        for r in 0..<n where columns.individualNumber[r] == 0 && columns.status[r] == 0 {
            let number = conversion.candidate(for: ResidentCode(uncheckedRawValue: columns.residentCode[r]))
            if row(individualNumber: number) != nil {
                result.collisions += 1
                continue
            }
            setNumber(UInt32(r), number.rawValue, reason: .numberDesignation, context: context)
            result.designated += 1
        }
        return result
    }

    /// Designates a batch of (row, number candidate) pairs, as returned by the national server; returns the
    /// errors for pairs that were refused, in input order.
    public mutating func designate(
        batch: [(row: RowID, number: IndividualNumber)], context: ChangeContext
    ) -> [(RowID, RegisterError)] {
        changeLog.reserveCapacity(changes: batch.count, fields: batch.count)
        var refused: [(RowID, RegisterError)] = []
        for (row, number) in batch {
            do {
                try designate(row, number: number, context: context)
            } catch {
                refused.append((row, error))
            }
        }
        return refused
    }

    /// Reserves change-log room for `changes` more single-field changes (bulk work).
    public mutating func reserveChangeLog(_ changes: Int) {
        changeLog.reserveCapacity(changes: changes, fields: changes)
    }

    /// Makes room for `changes` more changes holding `fields` field changes in all.
    public mutating func reserveChangeLog(changes: Int, fields: Int) {
        changeLog.reserveCapacity(changes: changes, fields: fields)
    }

    /// Clears every active resident's individual number, without logging: a fixture for bulk-assignment
    /// scenarios and benchmarks that start from a register before the 2015 initial run.
    public mutating func clearIndividualNumbers() {
        columns.individualNumber.withUnsafeMutableBufferPointer { numbers in
            for i in numbers.indices where columns.status[i] == 0 { numbers[i] = 0 }
        }
        var index = RowIndex(expectedCount: columns.count)
        for r in 0..<columns.count where columns.individualNumber[r] != 0 {
            index.insert(
                UInt32(r), hash: Self.codeHash(columns.individualNumber[r]), rehash: { hash(.number, row: $0) })
        }
        numberIndex = index
    }

    @inline(__always)
    mutating func setNumber(_ r: UInt32, _ number: UInt64, reason: ChangeReason, context: ChangeContext) {
        let i = Int(r)
        let old = columns.individualNumber[i]
        if old != 0 { indexRemove(.number, row: r, hash: Self.codeHash(old)) }
        columns.individualNumber[i] = number
        indexInsert(.number, row: r, hash: Self.codeHash(number))
        columns.lastChange[i] = changeLog.append(
            row: r, residentCode: columns.residentCode[i], reason: reason, context: context,
            previousOfRow: columns.lastChange[i], FieldChange(field: .individualNumber, before: old, after: number))
    }
}

extension ResidentRegister {
    /// Records a new resident code for `row` (住民票コードの変更, 住基法第30条の4): the old code stays in the change log
    /// (the entry's resident code), the new one is the row's from now on.
    ///
    /// - Throws: `notActive` for a removed record; `duplicateResidentCode` when `code` belongs to anyone, removed
    ///   records included (codes are never reused); `noChange` for the row's own code.
    public mutating func changeResidentCode(_ row: RowID, to code: ResidentCode, context: ChangeContext)
        throws(RegisterError)
    {
        try checkActive(row)
        let i = row.index
        let old = columns.residentCode[i]
        guard old != code.rawValue else {
            throw RegisterError(.noChange, field: "residentCode", "the new resident code is the current one")
        }
        if self.row(residentCode: code) != nil {
            throw RegisterError(
                .duplicateResidentCode, field: "residentCode",
                "\(code) already belongs to a record; codes are never reused")
        }
        let r = row.rawValue
        indexRemove(.code, row: r, hash: Self.codeHash(old))
        columns.residentCode[i] = code.rawValue
        indexInsert(.code, row: r, hash: Self.codeHash(code.rawValue))
        columns.lastChange[i] = changeLog.append(
            row: r, residentCode: old, reason: .residentCodeChange, context: context,
            previousOfRow: columns.lastChange[i], FieldChange(field: .residentCode, before: old, after: code.rawValue))
    }
}
