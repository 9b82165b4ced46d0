import JukiSimulation

extension BranchCounter {
    /// Certificate issuance (住民票の写し等の交付): identity verification with a card when one is presented
    /// (counter → CS → national server), then the certificate from the register system. The individual number is
    /// printed only when the person asks for it, and only by a clerk with number-use rights; otherwise it is
    /// omitted (III(1)2 リスク2: "本人からの特別な請求がない限り、省略して出力する", 番号整備法第16条 / 住基法第12条第1項).
    mutating func advanceCertificate(
        _ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>
    ) {
        let s = slots[Int(slot)]
        switch s.step {
        case 0 where s.visit.cardBrought:
            slots[Int(slot)].step = 1
            send(
                .national(.verifyCard(s.visit.card(.resident(s.visit.code)))), hop: .identityVerification,
                slot: slot, &context)
        case 0, 1:
            slots[Int(slot)].step = 2
            send(
                .register(.issueCertificate(row: s.visit.row, withNumber: s.visit.numberRequested)),
                hop: .issueCertificate, slot: slot, &context)
        default:
            backendDone(slot, &context)
        }
    }
}
