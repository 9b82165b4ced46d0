import JukiCore
import JukiSimulation

extension BranchCounter {
    /// Birth (出生): the register system records the child in the parent's household, then obtains a number
    /// candidate from the national server, designates it, sends the identity update and the delivery record;
    /// it answers when the card management system has queued the notification letter.
    mutating func advanceBirth(_ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>) {
        guard slots[Int(slot)].step == 0 else {
            backendDone(slot, &context)
            return
        }
        slots[Int(slot)].step = 1
        let sex: Sex = context.random.chance(0.512) ? .male : .female
        send(
            .register(.recordBirth(parent: slots[Int(slot)].visit.row, sex: sex)), hop: .recordBirth, slot: slot,
            &context)
    }
}
