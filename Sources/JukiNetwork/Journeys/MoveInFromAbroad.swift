import JukiCore
import JukiSimulation

extension BranchCounter {
    /// Move-in from abroad (国外転入, 住基法第22条): nobody in Japan holds a record to hand over, so no certificate
    /// and no Juki-net hop before the record. The register system records everyone on the notice with new resident
    /// codes, obtains number candidates from J-LIS, designates them and sends the delivery records for the
    /// notification letters, as for a birth (II(1)3⑧ 使用方法 1: "出生または国外からの転入等により、新規に個人番号を
    /// 指定する場合"); it answers when the card management system has queued the letters.
    mutating func advanceMoveInFromAbroad(
        _ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>
    ) {
        let v = slots[Int(slot)].visit
        singleRequest(slot, .register(.recordFromAbroad(persons: v.persons)), hop: .recordMoveIn, &context)
    }
}
