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
        let code = s.person?.residentCode.rawValue ?? 0
        slots[Int(slot)].step += 1
        switch stage {
        case 0:
            send(
                .recordMoveIn, hop: .recordMoveIn, slot: slot, to: layout.registerSystem, link: .counterLAN,
                subject: code, value: UInt64(reason.rawValue), person: s.person, &context)
        case 1:
            send(
                .moveInNotice, hop: .moveInNotice, slot: slot, to: layout.municipalCS, link: .counterLAN, subject: code,
                value: UInt64(s.visit.origin), &context)
        case 2 where continueCard:
            send(
                .cardContinuation, hop: .cardContinuation, slot: slot, to: layout.municipalCS, link: .counterLAN,
                subject: code, &context)
        default:
            backendDone(slot, &context)
        }
    }
}
