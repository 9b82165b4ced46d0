import JukiCore
import JukiSimulation

/// The card management system (個人番号カード管理システム, J-LIS): card continuation and revocation, and
/// notification letters (個人番号通知書) mailed from delivery records.
public struct CardManagementSystem: NodeBehavior {
    let service: ServiceModel
    public private(set) var wire: Wire
    var pool: WorkerPool
    public private(set) var continuations = 0
    public private(set) var revocations = 0
    /// Cards whose state changed during the run, by resident code (the rest keep their registered state).
    public private(set) var cardStates: [UInt64: CardStatus] = [:]
    public private(set) var events = 0
    /// Cards waiting for continuation (継続利用) after a move-in, with their deadline (µs), by resident code.
    public private(set) var continuationDue: [UInt64: Int64] = [:]
    /// Cards that lapsed: not continued in time, or their holder moved again first.
    public private(set) var lapsed = 0
    public private(set) var lettersQueued = 0
    /// Notification letters whose delivery record carried 代替文字 for 外字 (別添2【3】 items 53, 55, 60).
    public private(set) var lettersWithSubstitutes = 0
    public private(set) var deliveryBatches = 0
    /// Card-state notices the national server refused (mutual authentication failed).
    public private(set) var refusedStateNotices = 0
    /// The card lifecycle: applications (交付申請, renewals among them), cards made, 交付通知書 mailed once a card is
    /// ready, cards handed over (交付) with their e-certificates activated, and card faces updated (券面記載事項変更)
    /// with the signature certificates that lapsed and were issued anew.
    public private(set) var applications = 0
    public private(set) var renewals = 0
    public private(set) var manufactured = 0
    public private(set) var issuanceNotices = 0
    public private(set) var handedOver = 0
    public private(set) var faceChanges = 0
    public private(set) var signatureLapsed = 0
    public private(set) var signatureIssued = 0
    /// E-certificates renewed at the counter (電子証明書の更新).
    public private(set) var certificatesRenewed = 0
    /// User-authentication certificate serials the register acknowledged (through the CS connector).
    public private(set) var serialsLinked = 0

    /// The national server, told of every card's new state (nil in tests of this node alone).
    let national: NodeID?

    public init(
        links: LinkTable, service: ServiceModel, national: NodeID? = nil, faults: FaultPlan = .none,
        trust: TrustStore = .none
    ) {
        self.national = national
        wire = Wire(links: links, plan: faults, trust: trust)
        self.service = service
        pool = WorkerPool(workers: service.cardSystemWorkers)
    }

    public var serverStatistics: WorkerPool { pool }

    /// Makes room for `count` more card states, so recording them never rehashes the table mid-run.
    public mutating func reserveCardStates(_ count: Int) {
        guard count > 0 else { return }
        cardStates.reserveCapacity(cardStates.count + count)
    }

    mutating func lapse(_ code: UInt64, _ context: inout NodeContext<NetworkMessage>) {
        lapsed += 1
        setState(code, .lapsed, &context)
    }

    /// Records a card's new state and tells the national server, which verifies cards by it.
    mutating func setState(_ code: UInt64, _ state: CardStatus, _ context: inout NodeContext<NetworkMessage>) {
        cardStates[code] = state
        guard let national else { return }
        let notice = Request(
            .national(.cardState(ResidentCode(uncheckedRawValue: code), state)),
            ticket: Ticket(journey: code, slot: nil, flow: .cardLinkage, hop: .cardVerification), replyTo: context.id,
            sentAt: context.now)
        context.sendReliably(.request(notice), to: national, over: .csToCardSystem, wire: &wire)
    }

    /// Sends the user-authentication certificate's serial of a card handed over to the register, through the CS
    /// that asked (CS connector function 4: "住基ネットからの利用者証明用電子証明書シリアル番号情報の連携").
    mutating func linkSerial(_ code: ResidentCode, _ request: Request, _ context: inout NodeContext<NetworkMessage>) {
        let link = Request(
            .register(.linkCertificateSerial(code, serial: Self.serial(code, at: context.now))),
            ticket: Ticket(journey: request.ticket.journey, slot: nil, flow: .cardIssuance, hop: .cardIssuance),
            replyTo: context.id, sentAt: context.now)
        context.sendReliably(.request(link), to: request.replyTo, over: .csToCardSystem, wire: &wire)
    }

    /// Cards by state among those that changed during the run.
    public var changedCards: [CardStatus: Int] {
        var counts: [CardStatus: Int] = [:]
        for state in cardStates.values { counts[state, default: 0] += 1 }
        return counts
    }

    /// The card management system's timers.
    public enum Timer: Sendable, Hashable {
        /// A card's continuation deadline passes.
        case continuationDeadline(ResidentCode)
        /// A card applied for is made and sent to the municipality, which mails the 交付通知書.
        case manufactured(ResidentCode)
    }

    /// How long J-LIS takes from an application to a card at the municipality [E: "申請から受取まで、1カ月程度"
    /// (伊勢原市), "1~2か月程度" (沼津市): 3 weeks plus up to 3 more].
    static let manufacture: (minimum: Int64, spread: UInt64) = (21 * 86_400_000_000, 21 * 86_400_000_000)

    /// The serial number of the user-authentication certificate a card handed over carries: a function of the
    /// holder and the hand-over (the model keeps no certificate authority).
    static func serial(_ code: ResidentCode, at time: Int64) -> UInt32 {
        UInt32(truncatingIfNeeded: Mixing.combine(code.rawValue, UInt64(bitPattern: time))) | 1
    }

    /// A worker finished `request`: the card operation is done, answered, and the next queued request starts.
    mutating func served(_ request: Request, _ context: inout NodeContext<NetworkMessage>) {
        var failure = FailureReason.none
        var result = ResponseResult.none
        switch request.payload {
        case .cardSystem(.continuation(let code)):
            if let due = continuationDue.removeValue(forKey: code.rawValue), context.now > due {
                lapse(code.rawValue, &context)
                failure = .cardLapsed
            } else {
                continuations += 1
                setState(code.rawValue, .issued, &context)
            }
        case .cardSystem(.continuationDue(let code, lapse: true)):
            if continuationDue.removeValue(forKey: code.rawValue) != nil { lapse(code.rawValue, &context) }
        case .cardSystem(.continuationDue(let code, lapse: false)):
            let due = context.now + service.continuationWindow
            continuationDue[code.rawValue] = due
            context.schedule(.timer(.cardSystem(.continuationDeadline(code))), at: due + 1)
        case .cardSystem(.revocation(let code)):
            revocations += 1
            setState(code.rawValue, .revoked, &context)
        case .cardSystem(.event(let code, let event)):
            events += 1
            setState(code.rawValue, event.status, &context)
        case .cardSystem(.application(_, let renewal)):
            applications += 1
            if renewal { renewals += 1 }
            if case .cardSystem(.application(let code, _)) = request.payload {
                let wait = Self.manufacture.minimum + Int64(context.random.next(below: Self.manufacture.spread))
                context.schedule(.timer(.cardSystem(.manufactured(code))), after: wait)
            }
            // Filed with J-LIS online or by mail: nobody waits for an answer.
            pool.done(request, &context)
            return
        case .cardSystem(.issuance(let code)):
            handedOver += 1
            setState(code.rawValue, .issued, &context)
            result = .certificateSerial(Self.serial(code, at: context.now))
            linkSerial(code, request, &context)
        case .cardSystem(.certificateRenewal(let code)):
            // A card whose state changed during the run (suspended, revoked, lapsed) cannot be renewed.
            if let state = cardStates[code.rawValue], state != .issued {
                failure =
                    CardPresentation(holder: .resident(code), brought: true, pinCorrect: true, status: state)
                    .failure
            } else {
                certificatesRenewed += 1
                result = .certificateSerial(Self.serial(code, at: context.now))
                linkSerial(code, request, &context)
            }
        case .cardSystem(.faceChange(_, let newSignature)):
            faceChanges += 1
            signatureLapsed += 1
            if newSignature { signatureIssued += 1 }
        case .register, .search, .national, .municipality, .application, .certificate, .counterSupport, .addressee,
            .familyRegister:
            context.countUnhandled(kind: MessageKind.request.rawValue)
            failure = .unhandledRequest
        }
        context.sendReliably(
            .response(Response(to: request, failure: failure, result: result)), to: request.replyTo,
            over: .csToCardSystem, wire: &wire)
        pool.done(request, &context)
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        guard context.admit(event, over: .csToCardSystem, wire: &wire) else { return }
        switch event.message {
        case .request(let request):
            if let now = pool.arrive(request, service.cardSystemOperation, wire: &wire, &context) {
                served(now, &context)
            }
        case .served(let request):
            served(request, &context)
        case .response(let response) where response.operation == .certificateSerial:
            if response.failure == .none { serialsLinked += 1 }
        case .timer(.cardSystem(.manufactured)):
            // The card goes to the municipality, which mails the holder the 交付通知書 (個人番号カード省令第23条の2).
            manufactured += 1
            issuanceNotices += 1
        case .response(let response) where response.operation == .cardEvent:
            // The national server answers a card-state notice only to refuse it (a revoked or unverifiable peer:
            // mutual authentication); the refusal is in the national server's figures, nothing to do here.
            refusedStateNotices += 1
        case .timer(.cardSystem(.continuationDeadline(let code))):
            if let due = continuationDue[code.rawValue], context.now > due {
                continuationDue[code.rawValue] = nil
                lapse(code.rawValue, &context)
            }
        case .deliveryRecords(let batch):
            deliveryBatches += 1
            lettersQueued += batch.codes.count
            lettersWithSubstitutes += batch.substituted
            let cost =
                wire.service(service.cardSystemOperation, node: context.id, at: context.now, &context.random)
                + service.perBatchItem * Int64(batch.codes.count)
            context.sendReliably(
                .deliveryAck(batch), to: batch.replyTo, over: .csToCardSystem, extra: cost, wire: &wire)
        case .timer(.residents), .timer(.counter), .timer(.registerSystem), .timer(.municipalCS),
            .timer(.applicationManager), .timer(.informationSharing), .timer(.department), .timer(.immigration),
            .timer(.familyRegister),
            .timer(.otherMunicipality),
            .timer(.outboxRetry),
            .visit, .deskDone, .response,
            .identityUpdates, .updateAck, .numberRequest, .numberReply, .deliveryAck, .consistency, .addressees,
            .sharing, .immigration, .familyRegister:
            context.unhandled(event, over: .csToCardSystem, wire: &wire)
        }
    }
}

extension CardManagementSystem: ReportingBehavior {
    /// The card management system's figures after a run.
    public struct Report: Sendable {
        public var continuations: Int
        public var revocations: Int
        public var events: Int
        /// Cards that lapsed: not continued in time, or their holder moved again first.
        public var lapsed: Int
        /// Notification letters queued from delivery records, and the delivery batches they came in.
        public var lettersQueued: Int
        public var deliveryBatches: Int
        /// Of the letters, those whose name went with 代替文字.
        public var lettersWithSubstitutes = 0
        /// The card lifecycle: applications (renewals among them), cards made, 交付通知書 mailed, hand-overs, card
        /// faces updated, signature certificates lapsed and issued, serials the register acknowledged.
        public var applications = 0
        public var renewals = 0
        public var manufactured = 0
        public var issuanceNotices = 0
        public var handedOver = 0
        public var faceChanges = 0
        public var signatureLapsed = 0
        public var signatureIssued = 0
        public var certificatesRenewed = 0
        public var serialsLinked = 0
        public var wire: WireStatistics
        public var authentication: AuthenticationStatistics?
        public var utilization: Double
    }

    public func report(_ period: ReportPeriod) -> Report {
        Report(
            continuations: continuations, revocations: revocations, events: events, lapsed: lapsed,
            lettersQueued: lettersQueued, deliveryBatches: deliveryBatches,
            lettersWithSubstitutes: lettersWithSubstitutes,
            applications: applications, renewals: renewals, manufactured: manufactured,
            issuanceNotices: issuanceNotices, handedOver: handedOver, faceChanges: faceChanges,
            signatureLapsed: signatureLapsed, signatureIssued: signatureIssued,
            certificatesRenewed: certificatesRenewed, serialsLinked: serialsLinked,
            wire: wire.statistics, authentication: wire.authenticator?.statistics,
            utilization: pool.utilization(over: period.runSeconds))
    }
}
