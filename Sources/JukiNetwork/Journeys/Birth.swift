import JukiCore
import JukiSimulation

extension BranchCounter {
    /// Birth (出生): the 出生届 is entered in the family-register system (戸籍情報システム: the 戸籍 entry here, or the
    /// 届書 sent to the 本籍地), which has the register system record the child in the parent's household (住基法施行令
    /// 第12条第2項); the register obtains a number candidate from the national server, designates it, sends the
    /// identity update and the delivery record, and answers when the card management system has queued the
    /// notification letter. The family-register system passes the answer on.
    mutating func advanceBirth(_ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>) {
        guard slots[Int(slot)].step == 0 else {
            backendDone(slot, &context)
            return
        }
        slots[Int(slot)].step = 1
        let sex: Sex = context.random.chance(0.512) ? .male : .female
        send(
            .familyRegister(.birth(parent: slots[Int(slot)].visit.row, sex: sex)), hop: .recordBirth, slot: slot,
            &context)
    }
}
