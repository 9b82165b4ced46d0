import JukiCore
import JukiSimulation

extension BranchCounter {
    /// The steps every move-in ends with, whichever way it began: the record at the register system (stage 0),
    /// the move-in notice back to the previous municipality (stage 1: a system message, retried until it gets
    /// there, which nobody at the counter waits for) and, for a card holder on the special or one-stop route,
    /// card continuation (stage 2).
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
            notify(.municipality(.moveInNotice(code, to: origin)), hop: .moveInNotice, slot: slot, &context)
            finishMoveIn(slot, stage: 2, reason: reason, continueCard: continueCard, &context)
        case 2 where continueCard:
            send(.cardSystem(.continuation(code)), hop: .cardContinuation, slot: slot, &context)
        default:
            backendDone(slot, &context)
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
