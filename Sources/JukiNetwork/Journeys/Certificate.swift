import JukiSimulation

extension BranchCounter {
    /// Certificate issuance (住民票の写し等の交付, 別添1 ②, 住基法第12条): identity verification with a card when one is
    /// presented (counter → CS → national server), then the certificate from the certificate system, which reads
    /// the record from the register system and prints (`CertificateSystem`): a 住民票の写し, a 記載事項証明書 or a 除票の写し
    /// (住基法第15条の4). The individual number and the resident code are printed only when the person asks; the
    /// number only by a clerk with number-use rights (III(1)2 リスク2: "本人からの特別な請求がない限り、省略して出力する",
    /// 番号整備法第16条 / 住基法第12条第1項).
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
            let order = CertificateOrder(
                row: s.visit.row, kind: s.visit.certificateKind, withNumber: s.visit.numberRequested,
                withCode: s.visit.codeRequested)
            send(.certificate(.issue(order)), hop: .issueCertificate, slot: slot, &context)
        default:
            backendDone(slot, &context)
        }
    }
}
