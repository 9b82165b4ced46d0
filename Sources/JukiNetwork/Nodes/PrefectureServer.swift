import JukiCore
import JukiSimulation

/// A prefecture server (都道府県サーバ): the prefecture's copy of identity records; forwards updates to the
/// national server.
public struct PrefectureServer: NodeBehavior {
    public let prefectureCode: Int
    public private(set) var identityFile: IdentityFile
    let national: NodeID
    let links: LinkTable
    let service: ServiceModel
    public private(set) var batches = 0
    public private(set) var searches = 0
    /// Searches queue for the server's workers (`network.servers.prefectureServer.workers`).
    var pool: WorkerPool

    /// The server's workers, for utilisation.
    public var serverStatistics: WorkerPool { pool }

    public init(
        prefectureCode: Int, identityFile: IdentityFile, national: NodeID, links: LinkTable, service: ServiceModel
    ) {
        self.prefectureCode = prefectureCode
        self.identityFile = identityFile
        self.national = national
        self.links = links
        self.service = service
        pool = WorkerPool(workers: service.prefectureWorkers)
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        switch event.message {
        case .request(var request):
            // An identity search inside the prefecture, answered from the prefecture's copy by a worker.
            request.serviceTime = service.prefectureOperation.sample(&context.random)
            if let start = pool.accept(request) { context.schedule(.served(start), after: start.serviceTime) }
            return
        case .served(let request):
            let found = identityFile.entry(request.subject).map { $0.status == 0 } ?? false
            searches += 1
            context.send(
                .response(Response(to: request, failure: found ? .none : .notFound)), to: request.replyTo,
                delay: links.latency(.csToPrefecture).sample(&context.random))
            if let next = pool.finish(duration: request.serviceTime) {
                context.schedule(.served(next), after: next.serviceTime)
            }
            return
        case .consistency(var batch):
            batch.prefectureDifferences = batch.extract.reduce(0) { $0 + (identityFile.differs($1) ? 1 : 0) }
            let cost = service.perBatchItem * Int64(batch.extract.count)
            context.send(
                .consistency(batch), to: national,
                delay: links.latency(.prefectureToNational).sample(&context.random) + cost)
            return
        default:
            break
        }
        guard case .identityUpdates(let batch) = event.message else { return }
        batches += 1
        for u in batch.updates { identityFile.apply(u) }
        let cost =
            service.prefectureOperation.sample(&context.random) + service.perBatchItem * Int64(batch.updates.count)
        context.send(
            .identityUpdates(IdentityBatch(updates: batch.updates, source: batch.source)), to: national,
            delay: links.latency(.prefectureToNational).sample(&context.random) + cost)
    }
}
