import JukiCore
import JukiSimulation

extension BranchCounter {
    /// Death (死亡): removal from the register, the identity update, and the card revoked at the card
    /// management system; the register system answers when the revocation is acknowledged.
    mutating func advanceDeath(_ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>) {
        guard slots[Int(slot)].step == 0 else {
            backendDone(slot, &context)
            return
        }
        slots[Int(slot)].step = 1
        send(
            .register(.remove(row: slots[Int(slot)].visit.row, reason: .death, destination: nil)), hop: .removeRecord,
            slot: slot, &context)
    }
}
