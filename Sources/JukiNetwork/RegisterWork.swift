import JukiCore
import JukiRegister
import JukiSimulation

// The register work every municipality does the same way, whether it is the home register system or a light
// other municipality: one place both call.

extension ResidentRegister {
    /// The move-out certificate data (転出証明書情報) of `row`, leaving on `plannedMoveOut`.
    public func moveOutCertificate(_ row: RowID, plannedMoveOut: CivilDate) -> MoveOutCertificate {
        let record = record(row)
        return MoveOutCertificate(
            residentCode: record.residentCode, individualNumber: record.individualNumber, name: record.name,
            birthDate: record.birthDate, sex: record.sex, cardStatus: record.cardStatus, cardExpiry: record.cardExpiry,
            origin: municipality.code, plannedMoveOut: plannedMoveOut, foreign: foreignData(row))
    }

    /// A mover's new record from their certificate: a random address in the municipality, a household of their
    /// own.
    func newcomer(_ person: MoveOutCertificate, _ random: inout RandomStream) -> NewResident {
        NewResident(
            residentCode: person.residentCode, individualNumber: person.individualNumber, name: person.name,
            birthDate: person.birthDate, sex: person.sex, address: RandomAddress.draw(in: self, &random),
            household: .newHousehold, cardStatus: person.cardStatus, cardExpiry: person.cardExpiry,
            foreign: person.foreign)
    }

    /// The other active members of `row`'s household who file with them on a notice for `persons` in all (head
    /// first, then in the order they joined): fewer when the household is smaller.
    public func companions(of row: RowID, persons: UInt8) -> [RowID] {
        guard persons > 1, row.index < count else { return [] }
        var result: [RowID] = []
        for member in members(ofHousehold: householdNumber(of: row)) where member != row {
            guard result.count < Int(persons) - 1 else { break }
            result.append(member)
        }
        return result
    }

    /// Active members per row's household (capped at 255), for drawing a notice's persons: a notice for three
    /// needs a household of three.
    public func householdSizes() -> [UInt8] {
        var perHousehold = [UInt8](repeating: 0, count: households.count)
        for i in 0..<count where columns.status[i] == 0 {
            let h = Int(columns.household[i])
            if h < perHousehold.count && perHousehold[h] < UInt8.max { perHousehold[h] += 1 }
        }
        return (0..<count).map { i in
            let h = Int(columns.household[i])
            return h < perHousehold.count ? perHousehold[h] : 0
        }
    }

    /// Records a household moving in together from its certificates (one notice): the first person heads a new
    /// household at a random address, the others join it there with the relationship their ages suggest. Returns
    /// the rows recorded, the first person's first; a companion already recorded is skipped.
    mutating func recordHousehold(
        _ household: [MoveOutCertificate], reason: ChangeReason, context: ChangeContext,
        _ random: inout RandomStream
    ) throws(RegisterError) -> [RowID] {
        guard let lead = household.first else { return [] }
        let first = try record(newcomer(lead, &random), reason: reason, context: context)
        var rows = [first]
        let number = householdNumber(of: first)
        let at: RegisterAddress = address(of: first)
        var spouseTaken = false
        for person in household.dropFirst() {
            let relationship = Relationship.companion(person, of: lead, spouseTaken: &spouseTaken)
            let resident = NewResident(
                residentCode: person.residentCode, individualNumber: person.individualNumber, name: person.name,
                birthDate: person.birthDate, sex: person.sex, address: at,
                household: .join(householdNumber: number, relationship: relationship), cardStatus: person.cardStatus,
                cardExpiry: person.cardExpiry, foreign: person.foreign)
            if let row = try? record(resident, reason: reason, context: context) { rows.append(row) }
        }
        return rows
    }

    /// The address of `row`, for a newborn who joins the household there.
    func address(of row: RowID) -> RegisterAddress {
        RegisterAddress(
            town: columns.town[row.index], chome: columns.chome[row.index], banchi: columns.banchi[row.index],
            go: columns.go[row.index])
    }
}

extension Relationship {
    /// The relationship (続柄) a companion on a move notice gets in the household the first person heads: 16 or more
    /// years younger is a child, 16 or more years older a parent, the first of the others a spouse, the rest other
    /// relatives [E: the certificate carries no relationship in this model; ages decide].
    static func companion(
        _ person: MoveOutCertificate, of lead: MoveOutCertificate, spouseTaken: inout Bool
    ) -> Relationship {
        let gap = Int(person.birthDate.daysSinceEpoch) - Int(lead.birthDate.daysSinceEpoch)
        let generation = 16 * 365
        if gap >= generation { return .child }
        if gap <= -generation { return person.sex == .female ? .mother : .father }
        if !spouseTaken {
            spouseTaken = true
            return person.sex == .female ? .wife : .husband
        }
        return .otherRelative
    }
}

extension ChangeContext {
    /// A change made by an automated job (自動実行: number designation, bulk assignment, retention), recorded as the
    /// batch operator on the server: the seed logs automated processing like any other (III(1)3 リスク2).
    static func batch(_ context: NodeContext<NetworkMessage>) -> ChangeContext {
        ChangeContext(time: SimulatedTime(microseconds: context.now), operatorID: .batch, terminalID: .server)
    }

    /// A change a clerk made for `request`: the clerk's operator ID and terminal (更新職員ID, 端末ID: 別添2【1】
    /// 40–42).
    static func clerk(_ request: Request, _ context: NodeContext<NetworkMessage>) -> ChangeContext {
        ChangeContext(
            time: SimulatedTime(microseconds: context.now), operatorID: OperatorID(UInt32(request.operatorID)),
            terminalID: TerminalID(UInt32(request.terminal)))
    }

    /// A light municipality's own notices: its counters are not modelled, so one clerk and terminal stand for
    /// them ([E]: nothing downstream reads who changed another municipality's records).
    static func unmodelledCounter(_ context: NodeContext<NetworkMessage>) -> ChangeContext {
        ChangeContext(
            time: SimulatedTime(microseconds: context.now), operatorID: OperatorID(1), terminalID: TerminalID(1))
    }
}
