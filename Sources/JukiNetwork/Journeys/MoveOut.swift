import JukiCore
import JukiSimulation

extension BranchCounter {
    /// Move-out (転出): removal from the register; the register system keeps the move-out certificate data for
    /// the destination (a special move-in there fetches it) and the resident leaves with a paper certificate
    /// when they hold no card. A household leaving together files one notice (住基法第24条) naming everyone.
    mutating func advanceMoveOut(_ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>) {
        let v = slots[Int(slot)].visit
        singleRequest(
            slot, .register(.remove(row: v.row, reason: .moveOut, destination: v.origin, persons: v.persons)),
            hop: .removeRecord, &context)
    }
}
