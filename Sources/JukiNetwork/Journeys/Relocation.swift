import JukiRegister
import JukiSimulation

extension BranchCounter {
    /// Relocation (転居): the register system moves the resident, and the household members the notice names with
    /// them (one notice for the household moving together, 住基法第23条), to a new address inside the city. A resident
    /// who reserved online (転居予約, Myna Portal) is served in a reserved slot: the clerk first fetches the
    /// reservation from the application manager.
    mutating func advanceRelocation(_ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>)
    {
        let s = slots[Int(slot)]
        if s.step == 0 && s.visit.reserved {
            slots[Int(slot)].step = 1
            send(.application(.relocationReservation(row: s.visit.row)), hop: .reservation, slot: slot, &context)
            return
        }
        guard s.step <= 1 else {
            backendDone(slot, &context)
            return
        }
        slots[Int(slot)].step = 2
        let address = RandomAddress.draw(
            townCount: chomeCounts.count, chomeCount: { chomeCounts[$0] }, &context.random)
        send(
            .register(.relocate(row: s.visit.row, to: address, persons: s.visit.persons)), hop: .relocate, slot: slot,
            &context)
    }
}
