import JukiCore
import JukiSimulation

extension BranchCounter {
    /// E-certificate renewal (電子証明書の更新, 公的個人認証法第3条, 第22条): a card holder whose certificates
    /// run out (on the 5th birthday after issue; J-LIS mails an 有効期限通知書 three months before) comes with the
    /// card to 本庁, the only counter that takes it (藤沢市「電子証明書の更新」: 「各市民センターでは受付していません」).
    /// The clerk checks identity and the card, the holder sets the certificates' passwords anew (the desk time), and
    /// the card management system issues both certificates; the new user-authentication certificate's serial goes
    /// back to the register through the CS connector (I 2 システム2 ④), as at a hand-over. Fails with
    /// `cardNotBrought` without the card, and with the card's state when it is not in use (an expired, suspended,
    /// revoked, returned or lapsed card is not renewed: a new card is applied for).
    mutating func advanceCertificateRenewal(
        _ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>
    ) {
        let v = slots[Int(slot)].visit
        if slots[Int(slot)].step == 0 {
            // The passwords are set anew in the renewal, so a forgotten PIN does not stop it.
            let card = CardPresentation(
                holder: .resident(v.code), brought: v.cardBrought, pinCorrect: true, status: v.cardStatus)
            guard card.failure == .none else { return fail(slot, card.failure, &context) }
        }
        singleRequest(slot, .cardSystem(.certificateRenewal(v.code)), hop: .certificateRenewal, &context)
    }
}
