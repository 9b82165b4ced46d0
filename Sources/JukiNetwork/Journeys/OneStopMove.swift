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
            send(
                .reservation, hop: .reservation, slot: slot, to: layout.applicationManager, link: .counterLAN,
                subject: UInt64(s.visit.row), value: UInt64(s.visit.origin),
                value2: CertificateRequest.pack(missing: false, plannedMoveOut: s.visit.plannedMoveOut), &context)
        case 1:
            guard let person = response?.person else {
                fail(slot, .certificateDataNotFound, &context)
                return
            }
            slots[Int(slot)].person = person
            slots[Int(slot)].step = 2
            send(
                .verifyCard, hop: .cardVerification, slot: slot, to: layout.municipalCS, link: .counterLAN,
                subject: person.residentCode.rawValue,
                value: CardFlags.pack(
                    brought: s.visit.cardBrought, pinCorrect: s.visit.pinCorrect, status: s.visit.cardStatus),
                &context)
        case 2:
            finishMoveIn(slot, stage: 0, reason: .specialMoveIn, continueCard: true, &context)
        default:
            finishMoveIn(slot, stage: s.step - 2, reason: .specialMoveIn, continueCard: true, &context)
        }
    }
}
