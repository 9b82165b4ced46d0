/// A step of a journey, recorded as a span (simulated start and end).
public enum Hop: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case counterWait = 0
    case counterService
    case identityVerification
    case issueCertificate
    case relocate
    case recordBirth
    case numberCandidate
    case designation
    case identityUpdate
    case deliveryRecord
    case removeRecord
    case cardRevocation
    case certificateData
    case recordMoveIn
    case moveInNotice
    case cardVerification
    case cardContinuation
    case reservation
    case search
    case query
    /// A second clerk's check of an entry (入力内容の再確認), from their taking it up to its end.
    case secondCheck
    /// A card handed over (交付) at the card management system.
    case cardIssuance
    /// E-certificates renewed (電子証明書の更新) at the card management system.
    case certificateRenewal
    /// A notice drafted by the counter support system (住民異動届等作成), the move-out certificate read by OCR.
    case formDrafting
    /// A drafted notice looked up by the second clerk (届出書検索).
    case formSearch
    /// 広域交付住民票情報 asked of the person's own municipality through the Juki-net (住基法第12条の4第3項).
    case wideAreaCopy
    /// A department's look-up in the unified addressee system (他課照会).
    case addresseeLookup

    public var description: String {
        switch self {
        case .counterWait: "counterWait"
        case .counterService: "counterService"
        case .identityVerification: "identityVerification"
        case .issueCertificate: "issueCertificate"
        case .relocate: "relocate"
        case .recordBirth: "recordBirth"
        case .numberCandidate: "numberCandidate"
        case .designation: "designation"
        case .identityUpdate: "identityUpdate"
        case .deliveryRecord: "deliveryRecord"
        case .removeRecord: "removeRecord"
        case .cardRevocation: "cardRevocation"
        case .certificateData: "certificateData"
        case .recordMoveIn: "recordMoveIn"
        case .moveInNotice: "moveInNotice"
        case .cardVerification: "cardVerification"
        case .cardContinuation: "cardContinuation"
        case .reservation: "reservation"
        case .search: "search"
        case .query: "query"
        case .secondCheck: "secondCheck"
        case .cardIssuance: "cardIssuance"
        case .certificateRenewal: "certificateRenewal"
        case .formDrafting: "formDrafting"
        case .formSearch: "formSearch"
        case .wideAreaCopy: "wideAreaCopy"
        case .addresseeLookup: "addresseeLookup"
        }
    }
}

/// Why a journey failed (or fell back to another route).
public enum FailureReason: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case none = 0
    case cardExpired
    case cardSuspended
    case cardRevoked
    case cardLapsed
    case pinFailure
    case cardNotBrought
    case certificateDataNotFound
    case deadlinePassed
    case notResident
    case alreadyResident
    case registerRefused
    case searchRefused
    case notFound
    /// An inquiry-only operator tried to change a record.
    case notAuthorized
    /// An operator without number-use rights tried number-use work (a query or search by individual number).
    case numberUseRequired
    /// A node the request needs was out or cut off, and the clerk's retries ran out.
    case serviceUnavailable
    /// A peer node failed mutual authentication (a key not matching its registration, or a revoked node).
    case notAuthenticated
    /// The node has no handler for the request (a model error: `invariants.unhandledMessages` counts it).
    case unhandledRequest
    /// The counter closed while the visitor was still waiting, under the `sendHome` closing policy.
    case counterClosed
    /// The card was given back (返還): it is no longer the holder's card, which is not the same as a lapse (失効).
    case cardReturned
    /// A one-stop filing outside the online window (30 days before the planned move-out to 10 days after it):
    /// Myna Portal's filing is refused (渋川市, 唐津市, 酒田市, 河内長野市; `OneStopRules`).
    case outsideFilingWindow
    /// The resident withdrew an online filing (転出届 or 転入予約, 「取消もできます」, 唐津市) before it was processed.
    case filingCancelled
    /// A 除票の写し asked for a person still on the register (a copy of the record is a 住民票の写し).
    case recordNotRemoved
    /// A kiosk order outside the convenience stores' hours (06:30–23:00, not 29 December to 3 January).
    case kioskClosed
    /// A kiosk order for a certificate kiosks do not issue (除票の写し: at the counter only).
    case notAtKiosk
    /// The counter support system could not read the paper move-out certificate (OCR): the clerk enters the notice
    /// by hand.
    case ocrUnreadable
    /// No drafted notice matches a 届出書検索 (reception day and filer).
    case formNotFound
    /// The visitor's patience ran out in the queue and they left (reneging).
    case reneged
    /// The visitor found the queue too long and did not join it (balking): they may try another counter or day.
    case balked

    public var description: String {
        switch self {
        case .none: "none"
        case .cardExpired: "cardExpired"
        case .cardSuspended: "cardSuspended"
        case .cardRevoked: "cardRevoked"
        case .cardLapsed: "cardLapsed"
        case .pinFailure: "pinFailure"
        case .cardNotBrought: "cardNotBrought"
        case .certificateDataNotFound: "certificateDataNotFound"
        case .deadlinePassed: "deadlinePassed"
        case .notResident: "notResident"
        case .alreadyResident: "alreadyResident"
        case .registerRefused: "registerRefused"
        case .searchRefused: "searchRefused"
        case .notFound: "notFound"
        case .notAuthorized: "notAuthorized"
        case .numberUseRequired: "numberUseRequired"
        case .serviceUnavailable: "serviceUnavailable"
        case .notAuthenticated: "notAuthenticated"
        case .unhandledRequest: "unhandledRequest"
        case .counterClosed: "counterClosed"
        case .cardReturned: "cardReturned"
        case .outsideFilingWindow: "outsideFilingWindow"
        case .filingCancelled: "filingCancelled"
        case .recordNotRemoved: "recordNotRemoved"
        case .kioskClosed: "kioskClosed"
        case .notAtKiosk: "notAtKiosk"
        case .ocrUnreadable: "ocrUnreadable"
        case .formNotFound: "formNotFound"
        case .reneged: "reneged"
        case .balked: "balked"
        }
    }
}
