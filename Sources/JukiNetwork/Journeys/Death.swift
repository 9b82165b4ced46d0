import JukiCore
import JukiSimulation

extension BranchCounter {
    /// Death (死亡): removal from the register, the identity update, and the card revoked at the card
    /// management system; the register system answers when the revocation is acknowledged.
    mutating func advanceDeath(_ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>) {
        let v = slots[Int(slot)].visit
        singleRequest(
            slot, .register(.remove(row: v.row, reason: .death, destination: nil)), hop: .removeRecord, &context)
    }
}
