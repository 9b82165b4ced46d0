public import JukiCore

extension ResidentRegister {
    /// Moves `row` out of its household into a new one, as its head (世帯変更). Returns the new household number.
    ///
    /// - Throws: `headMustStay` when `row` heads a household that still has other active members: change the
    ///   head first.
    @discardableResult
    public mutating func createHousehold(for row: RowID, context: ChangeContext) throws(RegisterError) -> UInt32 {
        try checkActive(row)
        let r = row.rawValue
        let oldHousehold = columns.household[row.index]
        try checkMayLeave(r, household: oldHousehold)
        unlink(r, from: oldHousehold)
        let h = UInt32(households.count)
        households.head.append(r)
        households.firstMember.append(UInt32.max)
        link(r, to: h)
        logHouseholdChange(
            r, from: oldHousehold, to: h, relationship: .head, reason: .householdChange, context: context)
        return h + 1
    }

    /// Moves `row` into household `number` with `relationship` (not head: see ``changeHead(ofHousehold:to:formerHeadRelationship:context:)``).
    public mutating func join(
        _ row: RowID, household number: UInt32, relationship: Relationship, context: ChangeContext
    ) throws(RegisterError) {
        try checkActive(row)
        guard number >= 1 && Int(number) <= households.count else {
            throw RegisterError(.householdNotFound, field: "household", "household \(number) does not exist")
        }
        guard relationship != .head else {
            throw RegisterError(
                .wrongReason, field: "relationship", "a joining member cannot be the head; use changeHead")
        }
        let r = row.rawValue
        let old = columns.household[row.index]
        guard old != number - 1 else {
            throw RegisterError(.noChange, field: "household", "the resident is already in household \(number)")
        }
        try checkMayLeave(r, household: old)
        unlink(r, from: old)
        link(r, to: number - 1)
        logHouseholdChange(
            r, from: old, to: number - 1, relationship: relationship, reason: .householdChange,
            context: context)
    }

    /// Makes `row`, an active member of household `number`, its head (世帯主変更); the former head gets
    /// `formerHeadRelationship`.
    public mutating func changeHead(
        ofHousehold number: UInt32, to row: RowID, formerHeadRelationship: Relationship, context: ChangeContext
    ) throws(RegisterError) {
        try checkActive(row)
        guard number >= 1 && Int(number) <= households.count else {
            throw RegisterError(.householdNotFound, field: "household", "household \(number) does not exist")
        }
        let h = Int(number - 1)
        guard columns.household[row.index] == UInt32(h) else {
            throw RegisterError(.householdNotFound, field: "row", "\(row) is not a member of household \(number)")
        }
        let oldHead = households.head[h]
        guard oldHead != row.rawValue else {
            throw RegisterError(.noChange, field: "head", "\(row) already heads household \(number)")
        }
        guard formerHeadRelationship != .head else {
            throw RegisterError(.wrongReason, field: "formerHeadRelationship", "the former head cannot stay head")
        }
        households.head[h] = row.rawValue
        setRelationship(row.rawValue, .head, reason: .headChange, context: context)
        if oldHead != UInt32.max && columns.status[Int(oldHead)] == 0 {
            setRelationship(oldHead, formerHeadRelationship, reason: .headChange, context: context)
        }
    }

    private func checkMayLeave(_ r: UInt32, household h: UInt32) throws(RegisterError) {
        guard households.head[Int(h)] == r else { return }
        var m = households.firstMember[Int(h)]
        while m != UInt32.max {
            if m != r && columns.status[Int(m)] == 0 {
                throw RegisterError(
                    .headMustStay, field: "row",
                    "row \(r) heads household \(h + 1), which has other members; change the head first")
            }
            m = columns.nextInHousehold[Int(m)]
        }
    }

    private mutating func unlink(_ r: UInt32, from h: UInt32) {
        let hi = Int(h)
        if households.firstMember[hi] == r {
            households.firstMember[hi] = columns.nextInHousehold[Int(r)]
        } else {
            var m = households.firstMember[hi]
            while m != UInt32.max {
                let next = columns.nextInHousehold[Int(m)]
                if next == r {
                    columns.nextInHousehold[Int(m)] = columns.nextInHousehold[Int(r)]
                    break
                }
                m = next
            }
        }
        columns.nextInHousehold[Int(r)] = UInt32.max
        if households.head[hi] == r { households.head[hi] = UInt32.max }
    }

    private mutating func link(_ r: UInt32, to h: UInt32) {
        columns.household[Int(r)] = h
        columns.nextInHousehold[Int(r)] = households.firstMember[Int(h)]
        households.firstMember[Int(h)] = r
    }

    private mutating func logHouseholdChange(
        _ r: UInt32, from old: UInt32, to new: UInt32, relationship: Relationship, reason: ChangeReason,
        context: ChangeContext
    ) {
        let i = Int(r)
        let oldRelationship = columns.relationship[i]
        columns.relationship[i] = relationship.rawValue
        columns.lastChange[i] = changeLog.append(
            row: r, residentCode: columns.residentCode[i], reason: reason, context: context,
            previousOfRow: columns.lastChange[i],
            FieldChange(field: .household, before: UInt64(old) + 1, after: UInt64(new) + 1),
            FieldChange(field: .relationship, before: UInt64(oldRelationship), after: UInt64(relationship.rawValue)))
    }

    private mutating func setRelationship(
        _ r: UInt32, _ relationship: Relationship, reason: ChangeReason, context: ChangeContext
    ) {
        let i = Int(r)
        let old = columns.relationship[i]
        columns.relationship[i] = relationship.rawValue
        columns.lastChange[i] = changeLog.append(
            row: r, residentCode: columns.residentCode[i], reason: reason, context: context,
            previousOfRow: columns.lastChange[i],
            FieldChange(field: .relationship, before: UInt64(old), after: UInt64(relationship.rawValue)))
    }
}
