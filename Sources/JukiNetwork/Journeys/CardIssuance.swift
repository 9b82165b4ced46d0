import JukiCore
import JukiSimulation

extension BranchCounter {
    /// Card hand-over (個人番号カードの交付, register-system function ⑮ and CS function 8 of the seed: "個人番号カード
    /// 管理システムに対し、個人番号カードの交付…に係る情報…を連携する", 番号法第17条): the holder comes with the
    /// 交付通知書 the municipality mailed once J-LIS had made the card, usually by reservation. The clerk checks
    /// identity, explains the card and has the PINs set (the desk time); the register records the card's issue
    /// (交付状況, 別添2【1】33), then the card management system activates it and its e-certificates. The
    /// user-authentication certificate's serial number comes back to the register through the CS connector (I 2
    /// システム2 ④) as a system message nobody at the counter waits for.
    mutating func advanceCardIssuance(
        _ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>
    ) {
        let v = slots[Int(slot)].visit
        switch slots[Int(slot)].step {
        case 0:
            slots[Int(slot)].step = 1
            send(.register(.recordCardEvent(row: v.row, event: .issue)), hop: .cardContinuation, slot: slot, &context)
        case 1:
            slots[Int(slot)].step = 2
            send(.cardSystem(.issuance(v.code)), hop: .cardIssuance, slot: slot, &context)
        default:
            backendDone(slot, &context)
        }
    }
}
