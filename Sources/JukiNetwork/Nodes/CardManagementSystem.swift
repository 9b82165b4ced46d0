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
    public private(set) var deliveryBatches = 0
    /// Card-state notices the national server refused (mutual authentication failed).
    public private(set) var refusedStateNotices = 0

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
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        guard context.admit(event, over: .csToCardSystem, wire: &wire) else { return }
        switch event.message {
        case .request(let request):
            pool.arrive(request, service.cardSystemOperation, wire: &wire, &context)
        case .served(let request):
            var failure = FailureReason.none
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
            case .register, .search, .national, .municipality, .application:
                context.countUnhandled(kind: MessageKind.request.rawValue)
                failure = .unhandledRequest
            }
            context.sendReliably(
                .response(Response(to: request, failure: failure)), to: request.replyTo, over: .csToCardSystem,
                wire: &wire)
            pool.done(request, &context)
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
            let cost =
                wire.service(service.cardSystemOperation, node: context.id, at: context.now, &context.random)
                + service.perBatchItem * Int64(batch.codes.count)
            context.sendReliably(
                .deliveryAck(batch), to: batch.replyTo, over: .csToCardSystem, extra: cost, wire: &wire)
        case .timer(.residents), .timer(.counter), .timer(.registerSystem), .timer(.municipalCS),
            .timer(.applicationManager), .timer(.otherMunicipality), .timer(.outboxRetry), .visit, .deskDone, .response,
            .identityUpdates, .updateAck, .numberRequest, .numberReply, .deliveryAck, .consistency:
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
        public var wire: WireStatistics
        public var authentication: AuthenticationStatistics?
        public var utilization: Double
    }

    public func report(_ period: ReportPeriod) -> Report {
        Report(
            continuations: continuations, revocations: revocations, events: events, lapsed: lapsed,
            lettersQueued: lettersQueued, deliveryBatches: deliveryBatches, wire: wire.statistics,
            authentication: wire.authenticator?.statistics, utilization: pool.utilization(over: period.runSeconds))
    }
}
