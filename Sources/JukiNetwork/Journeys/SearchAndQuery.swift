import JukiCore
import JukiSimulation

extension BranchCounter {
    /// Identity search (CS function 4, 別添1 2.4-①): by resident code, individual number or basic facts, routed to
    /// the local file, the prefecture server or the national server. A basic-facts search needs the name and the
    /// birth date or the address (III(2)2 リスク1); a clerk who gives less is refused (searchRefused), at every
    /// scope.
    mutating func advanceIdentitySearch(
        _ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>
    ) {
        let v = slots[Int(slot)].visit
        guard slots[Int(slot)].step == 0, case .search(let search) = v.purpose else {
            backendDone(slot, &context)
            return
        }
        slots[Int(slot)].step = 1
        send(.search(search), hop: .search, slot: slot, &context)
    }

    /// Query to J-LIS (CS function 5, 別添1 2.5-①②) by resident code, individual number or basic facts, answered by
    /// the national server with the person's identity record.
    mutating func advanceJLISQuery(_ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>)
    {
        guard slots[Int(slot)].step == 0, case .query(let target) = slots[Int(slot)].visit.purpose else {
            backendDone(slot, &context)
            return
        }
        slots[Int(slot)].step = 1
        send(.national(.query(target)), hop: .query, slot: slot, &context)
    }

    /// Card linkage (CS function 8): a card event recorded at the register system (issue, return, suspension
    /// lift, collection), then sent through the CS to the card management system.
    mutating func advanceCardLinkage(
        _ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>
    ) {
        let v = slots[Int(slot)].visit
        guard case .cardEvent(let event) = v.purpose else {
            backendDone(slot, &context)
            return
        }
        switch slots[Int(slot)].step {
        case 0:
            slots[Int(slot)].step = 1
            send(.register(.recordCardEvent(row: v.row, event: event)), hop: .cardContinuation, slot: slot, &context)
        case 1:
            slots[Int(slot)].step = 2
            send(.cardSystem(.event(v.code, event)), hop: .cardVerification, slot: slot, &context)
        default:
            backendDone(slot, &context)
        }
    }
}
