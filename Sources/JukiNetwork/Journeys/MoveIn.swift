import JukiCore
import JukiSimulation

extension BranchCounter {
    /// Ordinary move-in (転入) with a paper move-out certificate (転出証明書, 住基法第24条): the clerk reads it at the
    /// counter (II(1)3① 入手元: 他市町村作成の転出証明書), so the journey needs no Juki-net hop and goes on through
    /// an outage. A mover without a card or notification letter has their individual number checked with J-LIS
    /// (III(1)2 リスク3: "提示がない場合には…住基ネットにおいて本人確認情報と個人番号の確認を行う"). Then the record,
    /// and the move-in notice (転入通知, 住基法第9条第1項) to the previous municipality as a system message. A household
    /// moving together brings one certificate listing everyone (住基法施行令第23条) and files one notice.
    mutating func advanceMoveIn(_ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>) {
        let s = slots[Int(slot)]
        switch s.step {
        case 0:
            slots[Int(slot)].step = 1
            guard let person = s.visit.person else {
                fail(slot, .certificateDataNotFound, &context)
                return
            }
            slots[Int(slot)].household = s.visit.household
            if !s.visit.numberDocument, let number = person.individualNumber {
                send(.national(.query(.number(number))), hop: .query, slot: slot, &context)
            } else {
                finishMoveIn(slot, stage: 0, reason: .moveIn, continueCard: false, &context)
            }
        case 1:
            finishMoveIn(slot, stage: 0, reason: .moveIn, continueCard: false, &context)
        default:
            finishMoveIn(slot, stage: s.step - 1, reason: .moveIn, continueCard: false, &context)
        }
    }
}
