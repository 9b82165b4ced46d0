import JukiCore
import JukiSimulation

/// The national server (全国サーバ, J-LIS): the national copy of identity records, card verification and
/// number candidates (個人番号とすべき番号).
public struct NationalServer: NodeBehavior {
    public private(set) var identityFile: IdentityFile
    let conversion: NumberConversion
    let links: LinkTable
    let service: ServiceModel
    var pool: WorkerPool
    public private(set) var verifications = 0
    public private(set) var candidatesIssued = 0

    public init(identityFile: IdentityFile, conversion: NumberConversion, links: LinkTable, service: ServiceModel) {
        self.identityFile = identityFile
        self.conversion = conversion
        self.links = links
        self.service = service
        pool = WorkerPool(workers: service.nationalWorkers)
    }

    public var serverStatistics: WorkerPool { pool }

    /// National → prefecture → CS.
    func back(_ context: inout NodeContext<NetworkMessage>) -> Int64 {
        links.latency(.prefectureToNational).sample(&context.random)
            + links.latency(.csToPrefecture).sample(&context.random)
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        switch event.message {
        case .request(var request):
            request.serviceTime = service.nationalOperation.sample(&context.random)
            if let start = pool.accept(request) { context.schedule(.served(start), after: start.serviceTime) }
        case .served(let request):
            verifications += 1
            let failure: FailureReason
            switch request.op {
            case .verifyCard: failure = CardFlags.failure(request.value)
            case .query: failure = identityFile.code(ofNumber: request.subject) == nil ? .notFound : .none
            case .search:
                failure = identityFile.entry(request.subject).map { $0.status == 0 } == true ? .none : .notFound
            default: failure = .registerRefused
            }
            context.send(.response(Response(to: request, failure: failure)), to: request.replyTo, delay: back(&context))
            if let next = pool.finish(duration: request.serviceTime) {
                context.schedule(.served(next), after: next.serviceTime)
            }
        case .identityUpdates(let batch):
            for u in batch.updates { identityFile.apply(u) }
        case .consistency(var batch):
            batch.nationalDifferences = batch.extract.reduce(0) { $0 + (identityFile.differs($1) ? 1 : 0) }
            let cost = service.perBatchItem * Int64(batch.extract.count)
            context.send(.consistency(batch), to: batch.source, delay: back(&context) + cost)
        case .numberRequest(var batch):
            batch.candidates = batch.codes.map {
                conversion.candidate(for: ResidentCode(uncheckedRawValue: $0)).rawValue
            }
            candidatesIssued += batch.codes.count
            let cost =
                service.nationalOperation.sample(&context.random) + service.perBatchItem * Int64(batch.codes.count)
            let to = batch.replyTo
            context.send(.numberReply(batch), to: to, delay: back(&context) + cost)
        default:
            break
        }
    }
}
