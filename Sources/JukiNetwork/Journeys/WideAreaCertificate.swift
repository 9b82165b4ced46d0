import JukiSimulation

extension BranchCounter {
    /// 住民票の写しの広域交付 (住基法第12条の4): a resident of another municipality asks here for their own 住民票の写し.
    /// The photo identification they show is checked first: a My Number card against the Juki-net's identity
    /// information through the CS (CS function 2, 本人確認: "住民票の写しの広域交付などを行う際、窓口における本人確認のため、
    /// 提示された個人番号カード等を元に住基ネットが保有する本人確認情報に照会を行い", I 2 システム3 ②2); a driving licence
    /// or passport the clerk checks at the desk. Then the CS asks the person's own municipality for the 広域交付
    /// 住民票情報 (their CS answers from their register, `notResident` when the person is not on it), and the
    /// certificate system prints it without a read of this register (`CertificateKind.wideAreaCopy`: no 本籍 or
    /// 筆頭者).
    mutating func advanceWideAreaCertificate(
        _ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>
    ) {
        let s = slots[Int(slot)]
        guard let origin = s.visit.origin else {
            fail(slot, .notResident, &context)
            return
        }
        switch s.step {
        case 0 where s.visit.cardBrought:
            slots[Int(slot)].step = 1
            send(
                .national(.verifyCard(s.visit.card(.resident(s.visit.code)))), hop: .identityVerification,
                slot: slot, &context)
        case 0, 1:
            slots[Int(slot)].step = 2
            send(
                .municipality(.wideAreaCopy(originRow: s.visit.row, origin: origin)), hop: .wideAreaCopy, slot: slot,
                &context)
        case 2:
            slots[Int(slot)].step = 3
            let order = CertificateOrder(row: s.visit.row, kind: .wideAreaCopy, withNumber: false, withCode: false)
            send(.certificate(.issue(order)), hop: .issueCertificate, slot: slot, &context)
        default:
            backendDone(slot, &context)
        }
    }
}
