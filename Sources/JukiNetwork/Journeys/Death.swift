import JukiCore
import JukiSimulation

extension BranchCounter {
    /// Death (死亡): the 死亡届 is entered in the family-register system (戸籍情報システム), which has the register
    /// system remove the record (住基法施行令第12条第2項): the identity update, and the card revoked at the card
    /// management system; the register answers when the revocation is acknowledged, and the family-register system
    /// passes the answer on.
    mutating func advanceDeath(_ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>) {
        let v = slots[Int(slot)].visit
        singleRequest(
            slot, .familyRegister(.death(row: v.row)), hop: .removeRecord, &context)
    }
}
