import JukiCore
import JukiSimulation

/// The national server (全国サーバ, J-LIS): the national copy of identity records, card verification, number
/// candidates (個人番号とすべき番号), identity searches for people of other prefectures (別添1 2.4-① ※) and queries
/// to J-LIS (機構への照会, 別添1 2.5), answered with the person's record.
public struct NationalServer: NodeBehavior {
    public private(set) var identityFile: IdentityFile
    let conversion: NumberConversion
    let service: ServiceModel
    var pool: WorkerPool
    public private(set) var wire: Wire
    /// Store-and-forward: batches seen from each prefecture server.
    public private(set) var inbox = Inbox()
    /// The home CS and its prefecture server: the path answers take.
    let homeCS: NodeID?
    let homePrefecture: NodeID?
    public private(set) var verifications = 0
    public private(set) var candidatesIssued = 0
    /// Identity searches and queries answered, by kind and outcome.
    public private(set) var searchCounts = SearchCounts()
    public private(set) var queryCounts = SearchCounts()
    /// Cards whose state changed during the run, as the card management system reported them, by resident code:
    /// verification judges a card by these, not by what the counter says of it.
    public private(set) var cardStates: [UInt64: CardStatus] = [:]
    /// The last generation of number candidates issued per resident code whose number was changed (0, the
    /// first number, for everyone else).
    var numberGenerations: [UInt64: Int] = [:]

    public init(
        identityFile: IdentityFile, conversion: NumberConversion, links: LinkTable, service: ServiceModel,
        homeCS: NodeID? = nil, homePrefecture: NodeID? = nil, faults: FaultPlan = .none,
        trust: TrustStore = .none
    ) {
        wire = Wire(links: links, plan: faults, trust: trust)
        self.homeCS = homeCS
        self.homePrefecture = homePrefecture
        self.identityFile = identityFile
        self.conversion = conversion
        self.service = service
        pool = WorkerPool(workers: service.nationalWorkers)
    }

    public var serverStatistics: WorkerPool { pool }

    /// Makes room for `count` more card states, so recording them never rehashes the table mid-run.
    public mutating func reserveCardStates(_ count: Int) {
        guard count > 0 else { return }
        cardStates.reserveCapacity(cardStates.count + count)
    }

    /// Card verification (本人確認, 別添1 2.2): the card's resident code is matched with this identity file (突合 by
    /// 住民票コード, II(2)3⑧), so a card whose record is gone is caught, and a resident's card must belong to an
    /// active record (a mover's is removed at the origin: they have moved out); the card's state is the card
    /// management system's when it changed during the run, the registered one otherwise.
    func verify(_ card: CardPresentation) -> FailureReason {
        guard card.brought else { return .cardNotBrought }
        guard let entry = identityFile.entry(card.holder.code) else { return .notFound }
        if case .resident = card.holder, entry.status != .active { return .notResident }
        if case .mover = card.holder, entry.status == .expunged { return .notFound }
        var judged = card
        if let state = cardStates[card.holder.code.rawValue] { judged.status = state }
        return judged.failure
    }

    /// A query to J-LIS (機構への照会, CS function 5: I 2 システム3 ②5, 別添1 2.5-①②) by resident code, individual
    /// number or basic facts, under the rules every search keeps (too few facts, number-use rights): the person's
    /// identity record from the national file, removed people included (their record says so), with the number
    /// masked for an operator without number-use rights (III(1)3 リスク1).
    func query(_ target: SearchTarget, operatorID: UInt16) -> (FailureReason, ResponseResult) {
        let refusal = target.refusal(for: operatorID)
        guard refusal == .none else { return (refusal, .none) }
        guard var record = identityFile.record(for: target) else { return (.notFound, .none) }
        if !OperatorRights.of(operatorID).numberUse { record.individualNumber = nil }
        return (.none, .record(record))
    }

    /// Sends `message` back to a CS: national → prefecture → CS (the home CS's prefecture server is modelled).
    mutating func back(
        _ message: NetworkMessage, to node: NodeID, extra: Int64 = 0, _ context: inout NodeContext<NetworkMessage>
    ) {
        context.sendReliably(
            message, to: node, over: .prefectureToNational, then: .csToPrefecture,
            via: node == homeCS ? homePrefecture : nil, extra: extra, wire: &wire)
    }

    /// A worker finished `request`: it is answered and the next queued request starts.
    mutating func served(_ request: Request, _ context: inout NodeContext<NetworkMessage>) {
        verifications += 1
        var failure: FailureReason
        var result = ResponseResult.none
        switch request.payload {
        case .national(.verifyCard(let card)): failure = verify(card)
        case .national(.cardState): failure = .none
        case .national(.query(let target)):
            (failure, result) = query(target, operatorID: request.operatorID)
            queryCounts.count(target, failure)
        case .search(let search):
            failure = identityFile.searchOutcome(search.target, operatorID: request.operatorID)
            searchCounts.count(search.target, failure)
        case .register, .municipality, .cardSystem, .application, .certificate, .counterSupport, .addressee,
            .familyRegister:
            context.countUnhandled(kind: MessageKind.request.rawValue)
            failure = .unhandledRequest
        }
        back(.response(Response(to: request, failure: failure, result: result)), to: request.replyTo, &context)
        pool.done(request, &context)
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        guard context.admit(event, over: .prefectureToNational, wire: &wire) else { return }
        switch event.message {
        case .request(let request):
            if case .national(.cardState(let code, let status)) = request.payload {
                // J-LIS's own bookkeeping between its two systems: applied at once, nobody waits.
                cardStates[code.rawValue] = status
                return
            }
            if let now = pool.arrive(request, service.nationalOperation, wire: &wire, &context) {
                served(now, &context)
            }
        case .served(let request):
            served(request, &context)
        case .identityUpdates(let batch):
            if inbox.accept(batch.sequence, from: event.source) {
                for u in batch.updates { identityFile.apply(u) }
            }
            context.sendReliably(
                .updateAck(UpdateAck(sequence: batch.sequence)), to: event.source, over: .prefectureToNational,
                wire: &wire)
        case .consistency(var batch):
            let result = identityFile.reconcile(with: batch.extract)
            batch.nationalDifferences = result.found
            batch.nationalRemaining = result.remaining
            back(
                .consistency(batch), to: batch.source, extra: service.perBatchItem * Int64(batch.extract.count),
                &context)
        case .numberRequest(var batch):
            batch.candidates = batch.codes.map { code in
                guard batch.ticket.flow == .numberChange else { return conversion.candidate(for: code) }
                // A changed number is a new one (番号法第7条第2項): the next generation J-LIS has not issued for the
                // person, never one issued before.
                let generation = (numberGenerations[code.rawValue] ?? 0) + 1
                numberGenerations[code.rawValue] = generation
                return conversion.candidate(for: code, generation: generation)
            }
            candidatesIssued += batch.codes.count
            let cost =
                wire.service(service.nationalOperation, node: context.id, at: context.now, &context.random)
                + service.perBatchItem * Int64(batch.codes.count)
            back(.numberReply(batch), to: batch.replyTo, extra: cost, &context)
        case .timer(.residents), .timer(.counter), .timer(.registerSystem), .timer(.municipalCS),
            .timer(.applicationManager), .timer(.informationSharing), .timer(.department), .timer(.immigration),
            .timer(.familyRegister),
            .timer(.otherMunicipality),
            .timer(.cardSystem),
            .timer(.outboxRetry), .visit,
            .deskDone, .response, .updateAck, .numberReply,
            .deliveryRecords, .deliveryAck, .addressees, .sharing, .immigration, .familyRegister:
            context.unhandled(event, over: .prefectureToNational, wire: &wire)
        }
    }
}

extension NationalServer: ReportingBehavior {
    /// The national server's figures after a run.
    public struct Report: Sendable {
        /// Requests served (card verifications, queries, searches), and number candidates issued.
        public var verifications: Int
        public var candidatesIssued: Int
        /// Identity searches and queries to J-LIS answered, by kind and outcome.
        public var searches: SearchCounts
        public var queries: SearchCounts
        public var wire: WireStatistics
        public var authentication: AuthenticationStatistics?
        /// Identity-update batches that arrived twice and were applied once.
        public var duplicatesIgnored: Int
        public var utilization: Double
    }

    public func report(_ period: ReportPeriod) -> Report {
        Report(
            verifications: verifications, candidatesIssued: candidatesIssued, searches: searchCounts,
            queries: queryCounts, wire: wire.statistics,
            authentication: wire.authenticator?.statistics, duplicatesIgnored: inbox.duplicates,
            utilization: pool.utilization(over: period.runSeconds))
    }
}
