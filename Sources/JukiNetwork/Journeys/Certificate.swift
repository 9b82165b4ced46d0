import JukiSimulation

extension BranchCounter {
    /// Certificate issuance (住民票の写し等の交付): identity verification with a card when one is presented
    /// (counter → CS → national server), then the certificate from the register system.
    mutating func advanceCertificate(
        _ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>
    ) {
        let s = slots[Int(slot)]
        switch s.step {
        case 0 where s.visit.cardBrought:
            slots[Int(slot)].step = 1
            send(
                .verifyCard, hop: .identityVerification, slot: slot, to: layout.municipalCS, link: .counterLAN,
                subject: s.visit.code,
                value: CardFlags.pack(brought: true, pinCorrect: s.visit.pinCorrect, status: s.visit.cardStatus),
                &context)
        case 0, 1:
            slots[Int(slot)].step = 2
            send(
                .issueCertificate, hop: .issueCertificate, slot: slot, to: layout.registerSystem, link: .counterLAN,
                subject: UInt64(s.visit.row), &context)
        default:
            backendDone(slot, &context)
        }
    }
}
