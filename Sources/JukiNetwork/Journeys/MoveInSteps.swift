import JukiCore
import JukiSimulation

extension BranchCounter {
    /// The steps every move-in ends with, whichever way it began: the record of everyone on the notice at the
    /// register system (stage 0), a move-in notice per person back to the previous municipality (stage 1: system
    /// messages, retried until they get there, which nobody at the counter waits for) and, on the special or
    /// one-stop route, card continuation for the person filing (whose card was verified) and each household member
    /// holding a card (stage 2 on, one request and one PIN per card: 伊豆の国市, "その人のカードも窓口へ持参…
    /// 暗証番号の入力が必要").
    mutating func finishMoveIn(
        _ slot: UInt32, stage: UInt8, reason: ChangeReason, continueCard: Bool,
        _ context: inout NodeContext<NetworkMessage>
    ) {
        let s = slots[Int(slot)]
        guard !s.household.isEmpty, let origin = s.visit.origin else {
            fail(slot, .certificateDataNotFound, &context)
            return
        }
        slots[Int(slot)].step += 1
        switch stage {
        case 0:
            send(
                .register(.recordMoveIn(reason: reason)), hop: .recordMoveIn, slot: slot, household: s.household,
                &context)
        case 1:
            for member in s.household {
                notify(
                    .municipality(.moveInNotice(member.residentCode, to: origin)), hop: .moveInNotice, slot: slot,
                    &context)
            }
            finishMoveIn(slot, stage: 2, reason: reason, continueCard: continueCard, &context)
        default:
            // The k-th card to continue: the filer's, then the companions' that are issued.
            var k = Int(stage) - 2
            var next: ResidentCode?
            if continueCard {
                for (i, member) in s.household.enumerated() where i == 0 || member.cardStatus == .issued {
                    if k == 0 {
                        next = member.residentCode
                        break
                    }
                    k -= 1
                }
            }
            guard let code = next else {
                backendDone(slot, &context)
                return
            }
            send(.cardSystem(.continuation(code)), hop: .cardContinuation, slot: slot, &context)
        }
    }

    /// Sends a system message for the journey in `slot` through the CS, reliably and without a slot: nobody waits
    /// for its answer, and an outage only delays it.
    mutating func notify(
        _ payload: RequestPayload, hop: Hop, slot: UInt32, _ context: inout NodeContext<NetworkMessage>
    ) {
        let s = slots[Int(slot)]
        let request = Request(
            payload, ticket: Ticket(journey: s.visit.journey, slot: nil, flow: s.flow, hop: hop), replyTo: context.id,
            sentAt: context.now)
        context.sendReliably(.request(request), to: layout.municipalCS, over: .counterLAN, wire: &wire)
    }
}
