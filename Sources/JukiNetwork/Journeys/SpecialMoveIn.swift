import JukiCore
import JukiSimulation

extension BranchCounter {
    /// Special move-in (特例転入, CS function 3): card verification through the national server, the move-out
    /// certificate data from the previous municipality, the record, the move-in notice back, then card
    /// continuation (継続利用) at the card management system.
    ///
    /// Error paths end the journey with the reason: card not brought, expired, suspended, revoked or lapsed,
    /// PIN failure, certificate data not found, and the deadline (14 days after moving in and 30 days after
    /// the planned move-out date) passed. The resident then needs a paper certificate: an ordinary move-in on
    /// another day.
    mutating func advanceSpecialMoveIn(
        _ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>
    ) {
        let s = slots[Int(slot)]
        switch s.step {
        case 0:
            slots[Int(slot)].step = 1
            send(
                .national(.verifyCard(s.visit.card(.mover(s.visit.code)))), hop: .cardVerification,
                slot: slot, &context)
        case 1:
            slots[Int(slot)].step = 2
            guard let request = s.visit.certificateDataRequest else {
                fail(slot, .certificateDataNotFound, &context)
                return
            }
            send(.municipality(.certificateData(request)), hop: .certificateData, slot: slot, &context)
        case 2:
            guard let person = response?.person else {
                fail(slot, .certificateDataNotFound, &context)
                return
            }
            if SpecialMoveInRule.deadlinePassed(
                today: date, movedIn: s.visit.movedIn, plannedMoveOut: person.plannedMoveOut)
            {
                fail(slot, .deadlinePassed, &context)
                return
            }
            slots[Int(slot)].household = response?.household ?? [person]
            finishMoveIn(slot, stage: 0, reason: .specialMoveIn, continueCard: true, &context)
        default:
            finishMoveIn(slot, stage: s.step - 2, reason: .specialMoveIn, continueCard: true, &context)
        }
    }
}

/// The special move-in's deadline (住基法 第24条の2): within 14 days of moving in and within 30 days of the
/// planned move-out date.
public enum SpecialMoveInRule {
    public static func deadlinePassed(today: CivilDate, movedIn: CivilDate, plannedMoveOut: CivilDate) -> Bool {
        today > movedIn.adding(days: 14) || today > plannedMoveOut.adding(days: 30)
    }
}
