/// One step a trainee took, as the training server records it: the log is what scoring reads, so a recorded
/// session scores the same every time.
public struct SessionEvent: Sendable, Hashable, Codable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A resident joined the trainee's queue (`caseID`).
        case arrived
        /// The trainee called the resident of `caseID` to the desk.
        case called
        /// The trainee opened the record of `residentCode`.
        case opened
        /// The trainee searched the register (`search` names the facts given; `refused` when the rules refuse it).
        case searched
        /// The trainee showed the individual number of `residentCode` unmasked.
        case revealedNumber
        /// The trainee decided `caseID`: `verdict`, the `reason` cited when refusing, and the `fields` entered.
        case decided
        /// The trainee ended the session.
        case finished
    }

    /// Seconds since the session started (wall time).
    public var at: Double
    public var kind: Kind
    public var caseID: Int?
    public var residentCode: String?
    public var search: String?
    public var refused: Bool?
    public var verdict: ExpectedDecision.Verdict?
    public var reason: TrainingRule?
    /// Fields entered, by `CaseField` name.
    public var fields: [String: String]?
    /// Residents waiting behind the desk when the step was taken.
    public var queueLength: Int?

    public init(
        at: Double, _ kind: Kind, caseID: Int? = nil, residentCode: String? = nil, search: String? = nil,
        refused: Bool? = nil, verdict: ExpectedDecision.Verdict? = nil, reason: TrainingRule? = nil,
        fields: [String: String]? = nil, queueLength: Int? = nil
    ) {
        self.at = at
        self.kind = kind
        self.caseID = caseID
        self.residentCode = residentCode
        self.search = search
        self.refused = refused
        self.verdict = verdict
        self.reason = reason
        self.fields = fields
        self.queueLength = queueLength
    }
}

/// A trainee's session: who, which drill, and every step in order.
public struct SessionLog: Sendable, Hashable, Codable {
    public var trainee: String
    public var drill: String
    public var seed: UInt64
    public var events: [SessionEvent]

    public init(trainee: String, drill: String, seed: UInt64, events: [SessionEvent] = []) {
        self.trainee = trainee
        self.drill = drill
        self.seed = seed
        self.events = events
    }
}
