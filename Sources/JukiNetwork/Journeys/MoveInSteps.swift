import JukiCore
import JukiSimulation

extension BranchCounter {
    /// The steps every move-in ends with, whichever way it began: the record at the register system (stage 0),
    /// the move-in notice back to the previous municipality (stage 1) and, for a card holder on the special or
    /// one-stop route, card continuation (stage 2).
    mutating func finishMoveIn(
        _ slot: UInt32, stage: UInt8, reason: ChangeReason, continueCard: Bool,
        _ context: inout NodeContext<NetworkMessage>
    ) {
        let s = slots[Int(slot)]
        guard let person = s.person, let origin = s.visit.origin else {
            fail(slot, .certificateDataNotFound, &context)
            return
        }
        let code = person.residentCode
        slots[Int(slot)].step += 1
        switch stage {
        case 0:
            send(.register(.recordMoveIn(reason: reason)), hop: .recordMoveIn, slot: slot, person: person, &context)
        case 1:
            send(.municipality(.moveInNotice(code, to: origin)), hop: .moveInNotice, slot: slot, &context)
        case 2 where continueCard:
            send(.cardSystem(.continuation(code)), hop: .cardContinuation, slot: slot, &context)
        default:
            backendDone(slot, &context)
        }
    }
}
