import JukiRegister
import JukiSimulation

extension BranchCounter {
    /// Relocation (転居): the register system moves the resident to a new address inside the city.
    mutating func advanceRelocation(_ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>)
    {
        guard slots[Int(slot)].step == 0 else {
            backendDone(slot, &context)
            return
        }
        slots[Int(slot)].step = 1
        let town = UInt16(context.random.next(below: UInt64(max(chomeCounts.count, 1))))
        let chomes = chomeCounts.isEmpty ? 0 : chomeCounts[Int(town)]
        let address = RegisterAddress(
            town: town, chome: chomes > 0 ? UInt8(1 + context.random.next(below: UInt64(chomes))) : 0,
            banchi: UInt16(1 + context.random.next(below: 40)), go: UInt16(1 + context.random.next(below: 30)))
        send(
            .relocate, hop: .relocate, slot: slot, to: layout.registerSystem, link: .counterLAN,
            subject: UInt64(slots[Int(slot)].visit.row), value: address.packed, &context)
    }
}
