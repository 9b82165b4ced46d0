import JukiCore
import JukiSimulation

/// A prefecture server (都道府県サーバ): the prefecture's copy of identity records; forwards updates to the
/// national server, and answers identity searches for people of the prefecture's other municipalities
/// (別添1 2.4-① ※: "検索対象者が自都道府県の住所地市町村以外の場合は都道府県サーバ") by resident code, individual
/// number or basic facts, under the rules that hold at every scope (``SearchTarget/refusal(for:)``).
public struct PrefectureServer: NodeBehavior {
    public let prefectureCode: Int
    public private(set) var identityFile: IdentityFile
    let national: NodeID
    let service: ServiceModel
    public private(set) var wire: Wire
    /// Store-and-forward: batches seen from each CS, and the outbox to the national server.
    public private(set) var inbox = Inbox()
    public private(set) var outbox: Outbox
    public private(set) var batches = 0
    /// Searches answered, by kind and outcome.
    public private(set) var searchCounts = SearchCounts()
    /// Searches answered.
    public var searches: Int { searchCounts.total }
    /// Searches queue for the server's workers (`network.servers.prefectureServer.workers`).
    var pool: WorkerPool

    /// The server's workers, for utilisation.
    public var serverStatistics: WorkerPool { pool }

    public init(
        prefectureCode: Int, identityFile: IdentityFile, national: NodeID, links: LinkTable, service: ServiceModel,
        faults: FaultPlan = .none, trust: TrustStore = .none
    ) {
        wire = Wire(links: links, plan: faults, trust: trust)
        outbox = Outbox(destination: national, link: .prefectureToNational, perItem: service.perBatchItem)
        self.prefectureCode = prefectureCode
        self.identityFile = identityFile
        self.national = national
        self.service = service
        pool = WorkerPool(workers: service.prefectureWorkers)
    }

    /// A worker finished `request`: it is answered and the next queued request starts.
    mutating func served(_ request: Request, _ context: inout NodeContext<NetworkMessage>) {
        let failure: FailureReason
        switch request.payload {
        case .search(let search):
            failure = identityFile.searchOutcome(search.target, operatorID: request.operatorID)
            searchCounts.count(search.target, failure)
        case .register, .national, .municipality, .cardSystem, .application, .certificate, .counterSupport, .addressee,
            .familyRegister:
            context.countUnhandled(kind: MessageKind.request.rawValue)
            failure = .unhandledRequest
        }
        context.sendReliably(
            .response(Response(to: request, failure: failure)), to: request.replyTo, over: .csToPrefecture,
            wire: &wire)
        pool.done(request, &context)
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        guard context.admit(event, over: .csToPrefecture, wire: &wire) else { return }
        switch event.message {
        case .request(let request):
            // An identity search inside the prefecture, answered from the prefecture's copy by a worker.
            if let now = pool.arrive(request, service.prefectureOperation, wire: &wire, &context) {
                served(now, &context)
            }
        case .served(let request):
            served(request, &context)
        case .consistency(var batch):
            // Compare, then reconcile: the CS's newer lines are applied, and what still differs is counted.
            let result = identityFile.reconcile(with: batch.extract)
            batch.prefectureDifferences = result.found
            batch.prefectureRemaining = result.remaining
            context.sendReliably(
                .consistency(batch), to: national, over: .prefectureToNational,
                extra: service.perBatchItem * Int64(batch.extract.count), wire: &wire)
        case .identityUpdates(let batch):
            // Store-and-forward: applied and forwarded once per batch, acknowledged every time it arrives.
            if inbox.accept(batch.sequence, from: event.source) {
                batches += 1
                for u in batch.updates { identityFile.apply(u) }
                let cost = wire.service(service.prefectureOperation, node: context.id, at: context.now, &context.random)
                outbox.send(batch.updates, source: context.id, extra: cost, &context, wire: &wire)
            }
            context.sendReliably(
                .updateAck(UpdateAck(sequence: batch.sequence)), to: event.source, over: .csToPrefecture, wire: &wire)
        case .updateAck(let ack):
            outbox.acknowledge(ack.sequence, source: context.id, &context, wire: &wire)
        case .timer(.outboxRetry):
            outbox.retry(source: context.id, &context, wire: &wire)
        case .timer(.residents), .timer(.counter), .timer(.registerSystem), .timer(.municipalCS),
            .timer(.applicationManager), .timer(.informationSharing), .timer(.department), .timer(.immigration),
            .timer(.familyRegister),
            .timer(.otherMunicipality),
            .timer(.cardSystem),
            .visit, .deskDone, .response,
            .numberRequest, .numberReply, .deliveryRecords,
            .deliveryAck, .addressees, .sharing, .immigration, .familyRegister:
            context.unhandled(event, over: .csToPrefecture, wire: &wire)
        }
    }
}

extension PrefectureServer: ReportingBehavior {
    /// A prefecture server's figures after a run.
    public struct Report: Sendable {
        public var prefectureCode: Int
        /// Identity-update batches applied, and searches answered (by kind and outcome).
        public var batches: Int
        public var searches: SearchCounts
        /// The outbox to the national server.
        public var outbox: OutboxStatistics
        public var wire: WireStatistics
        public var authentication: AuthenticationStatistics?
        /// Identity-update batches that arrived twice and were applied once.
        public var duplicatesIgnored: Int
        public var utilization: Double
    }

    public func report(_ period: ReportPeriod) -> Report {
        Report(
            prefectureCode: prefectureCode, batches: batches, searches: searchCounts, outbox: outbox.finalStatistics,
            wire: wire.statistics, authentication: wire.authenticator?.statistics, duplicatesIgnored: inbox.duplicates,
            utilization: pool.utilization(over: period.runSeconds))
    }
}
