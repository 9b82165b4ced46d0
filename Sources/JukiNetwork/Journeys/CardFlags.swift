import JukiCore

/// The card facts a verification request carries: brought or not, PIN right or wrong, card state.
enum CardFlags {
    static func pack(brought: Bool, pinCorrect: Bool, status: UInt8) -> UInt64 {
        (brought ? 1 : 0) | (pinCorrect ? 2 : 0) | UInt64(status) << 8
    }

    /// Why verification fails for these flags, or `.none`.
    static func failure(_ flags: UInt64) -> FailureReason {
        if flags & 1 == 0 { return .cardNotBrought }
        switch CardStatus(rawValue: UInt8(truncatingIfNeeded: flags >> 8)) ?? .none {
        case .expired: return .cardExpired
        case .suspended: return .cardSuspended
        case .revoked: return .cardRevoked
        case .returned, .none: return .cardLapsed
        case .issued: break
        }
        if flags & 2 == 0 { return .pinFailure }
        return .none
    }
}

/// What a certificate-data request carries besides the row: whether the origin holds no data (an error
/// path) and the planned move-out date.
enum CertificateRequest {
    static func pack(missing: Bool, plannedMoveOut: CivilDate) -> UInt64 {
        (missing ? 1 : 0) | UInt64(UInt32(bitPattern: plannedMoveOut.daysSinceEpoch)) << 8
    }
}
