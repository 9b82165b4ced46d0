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
            origin: municipality.code, plannedMoveOut: plannedMoveOut)
    }

    /// A mover's new record from their certificate: a random address in the municipality, a household of their
    /// own.
    func newcomer(_ person: MoveOutCertificate, _ random: inout RandomStream) -> NewResident {
        NewResident(
            residentCode: person.residentCode, individualNumber: person.individualNumber, name: person.name,
            birthDate: person.birthDate, sex: person.sex, address: RandomAddress.draw(in: self, &random),
            household: .newHousehold, cardStatus: person.cardStatus, cardExpiry: person.cardExpiry)
    }

    /// The address of `row`, for a newborn who joins the household there.
    func address(of row: RowID) -> RegisterAddress {
        RegisterAddress(
            town: columns.town[row.index], chome: columns.chome[row.index], banchi: columns.banchi[row.index],
            go: columns.go[row.index])
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
