import JukiCore

/// What an operator may do (事務取扱担当者の権限): change records or only inquire, and number-use work (個人番号
/// 利用事務) or not. Outside number-use work the individual number is masked and cannot be a search key.
public struct OperatorRights: Sendable, Hashable {
    public var update: Bool
    public var numberUse: Bool

    public init(update: Bool, numberUse: Bool) {
        self.update = update
        self.numberUse = numberUse
    }

    /// Operator IDs are 100·counter + clerk for the counters' clerks (every right), 8000 + n for clerks without
    /// number-use rights, 9000 + n for inquiry-only staff, and 0 for the systems' own batch jobs.
    public static func of(_ operatorID: UInt16) -> OperatorRights {
        switch operatorID {
        case 9_000...: OperatorRights(update: false, numberUse: false)
        case 8_000..<9_000: OperatorRights(update: true, numberUse: false)
        default: OperatorRights(update: true, numberUse: true)
        }
    }
}

/// How many operations come from operators without the rights they need, for training and for the report's
/// refusal counts [scenario key `security`].
public struct SecurityConfiguration: Sendable, Hashable {
    /// Of requests from counters: the share sent by inquiry-only staff.
    public var inquiryOnlyShare = 0.0
    /// Of requests from counters: the share sent by clerks without number-use rights.
    public var nonNumberUseShare = 0.0

    public init() {}
}

/// Mutual authentication between Juki-net nodes [scenario keys `security.mutualAuthentication`, `.revokedNodes`,
/// `.misconfiguredNodes`]: on by default; nodes are named as in the report (`municipalCS`, `nationalServer`,
/// `cardManagementSystem`, `prefectureServer.<1–47>`, `municipality.<code>`).
public struct AuthenticationConfiguration: Sendable, Hashable {
    public var enabled = true
    /// Nodes on the revocation list: every session with them is refused.
    public var revoked: [String] = []
    /// Nodes holding a private key that does not match their registration: their MACs do not verify.
    public var misconfigured: [String] = []

    public init() {}

    /// The names these lists accept, for error messages.
    public static let nodeNames =
        "municipalCS, nationalServer, cardManagementSystem, prefectureServer.<1–47> or municipality.<6-digit code> "
        + "of a modelled municipality"
}
