import JukiCore
import JukiRegister
import JukiSimulation

extension BranchCounter {
    /// Individual-number change (個人番号の変更, 番号法第7条第2項: on request or ex officio when the number has leaked
    /// and may be misused): the register system obtains a new candidate from J-LIS, designates it with reason
    /// `numberChange`, sends the identity update and the delivery record for a new notification letter; a card
    /// with the old number is revoked and a new one applied for. The unified addressee number (団体内統合宛名番号)
    /// stays: it is the municipality's own key, not the number. The register answers when the letter is queued.
    mutating func advanceNumberChange(
        _ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>
    ) {
        let v = slots[Int(slot)].visit
        singleRequest(slot, .register(.changeNumber(row: v.row)), hop: .designation, &context)
    }

    /// Resident-code change (住民票コードの変更, 住基法第30条の4): the register system records a new code from the
    /// municipality's block; the CS connector sends the old code's retirement and the new code's record up to the
    /// prefecture and the nation, and the person gets a written notice of the new code (第30条の4第3項, counted
    /// as a letter).
    mutating func advanceResidentCodeChange(
        _ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>
    ) {
        let v = slots[Int(slot)].visit
        singleRequest(slot, .register(.changeResidentCode(row: v.row)), hop: .identityUpdate, &context)
    }
}

extension RegisterSystem {
    /// 個人番号の変更: a candidate from J-LIS first (the answer waits for the letter's delivery record); the card with
    /// the old number is revoked and a new card applied for.
    mutating func changeNumber(
        _ row: RowID, _ request: Request, _ context: inout NodeContext<NetworkMessage>
    ) throws(RegisterError) {
        guard isActive(row) else { throw RegisterError(.notActive, field: "row", "\(row) is not an active resident") }
        guard register.columns.individualNumber[row.index] != 0 else {
            throw RegisterError(.wrongReason, field: "individualNumber", "the resident has no number to change")
        }
        if register.columns.cardStatus[row.index] == CardStatus.issued.rawValue {
            numberChangeCards += 1
            notifyCardSystem(.revocation(code(row)), request.ticket, &context)
            notifyCardSystem(.application(code(row), renewal: false), request.ticket, &context)
        }
        pending[request.ticket.journey] = request
        requestNumbers(
            Ticket(journey: request.ticket.journey, slot: nil, flow: .numberChange, hop: .numberCandidate),
            rows: [row], &context)
    }

    /// 住民票コードの変更: the next code of the municipality's block; the notice to the person is counted.
    mutating func changeResidentCode(
        _ row: RowID, _ request: Request, _ context: inout NodeContext<NetworkMessage>
    ) throws(RegisterError) {
        let code = allocator.code(forSequence: nextCodeSequence)
        try register.changeResidentCode(row, to: code, context: .clerk(request, context))
        nextCodeSequence += 1
        codeChangeNotices += 1
        forwardChanges(&context)
        reply(request, failure: .none, &context)
    }
}
