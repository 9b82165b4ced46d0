import JukiCore
import JukiSimulation

extension BranchCounter {
    /// One-stop move (引越しワンストップサービス), the destination's side: the resident filed the move-out
    /// online; the previous municipality sent the certificate data ahead to the application manager. At the
    /// reserved visit: the reservation, card verification, the record, the move-in notice and card continuation,
    /// with shorter desk work than an ordinary move-in.
    mutating func advanceOneStopMove(
        _ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>
    ) {
        let s = slots[Int(slot)]
        switch s.step {
        case 0:
            slots[Int(slot)].step = 1
            guard let request = s.visit.certificateDataRequest else {
                fail(slot, .certificateDataNotFound, &context)
                return
            }
            send(.application(.reservation(request)), hop: .reservation, slot: slot, &context)
        case 1:
            guard let person = response?.person else {
                fail(slot, .certificateDataNotFound, &context)
                return
            }
            slots[Int(slot)].household = response?.household ?? [person]
            slots[Int(slot)].step = 2
            send(
                .national(.verifyCard(s.visit.card(.mover(person.residentCode)))), hop: .cardVerification,
                slot: slot, &context)
        case 2:
            finishMoveIn(slot, stage: 0, reason: .specialMoveIn, continueCard: true, &context)
        default:
            finishMoveIn(slot, stage: s.step - 2, reason: .specialMoveIn, continueCard: true, &context)
        }
    }
}
