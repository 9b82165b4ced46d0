import JukiCore
import JukiSimulation

extension BranchCounter {
    /// Ordinary move-in (転入) with a paper move-out certificate: the certificate's data (read at the counter;
    /// here fetched from the previous municipality, which recorded the move-out), the record at the register,
    /// and the move-in notice (転入通知) back to the previous municipality.
    mutating func advanceMoveIn(_ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>) {
        let s = slots[Int(slot)]
        switch s.step {
        case 0:
            slots[Int(slot)].step = 1
            guard var request = s.visit.certificateDataRequest else {
                fail(slot, .certificateDataNotFound, &context)
                return
            }
            // A paper certificate in hand: the data is there whatever the error share of special move-ins.
            request.missing = false
            send(.municipality(.certificateData(request)), hop: .certificateData, slot: slot, &context)
        case 1:
            guard let person = response?.person else {
                fail(slot, .certificateDataNotFound, &context)
                return
            }
            slots[Int(slot)].person = person
            finishMoveIn(slot, stage: 0, reason: .moveIn, continueCard: false, &context)
        default:
            finishMoveIn(slot, stage: s.step - 1, reason: .moveIn, continueCard: false, &context)
        }
    }
}
