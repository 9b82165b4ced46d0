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
                .national(.verifyCard(s.visit.card(.resident(s.visit.code)))), hop: .identityVerification,
                slot: slot, &context)
        case 0, 1:
            slots[Int(slot)].step = 2
            send(.register(.issueCertificate(row: s.visit.row)), hop: .issueCertificate, slot: slot, &context)
        default:
            backendDone(slot, &context)
        }
    }
}
