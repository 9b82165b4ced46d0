import JukiCore
import JukiSimulation

/// The card management system (個人番号カード管理システム, J-LIS): card continuation and revocation, and
/// notification letters (個人番号通知書) mailed from delivery records.
public struct CardManagementSystem: NodeBehavior {
    let links: LinkTable
    let service: ServiceModel
    var pool: WorkerPool
    public private(set) var continuations = 0
    public private(set) var revocations = 0
    public private(set) var lettersQueued = 0
    public private(set) var deliveryBatches = 0

    public init(links: LinkTable, service: ServiceModel) {
        self.links = links
        self.service = service
        pool = WorkerPool(workers: service.cardSystemWorkers)
    }

    public var serverStatistics: WorkerPool { pool }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        switch event.message {
        case .request(var request):
            request.serviceTime = service.cardSystemOperation.sample(&context.random)
            if let start = pool.accept(request) { context.schedule(.served(start), after: start.serviceTime) }
        case .served(let request):
            switch request.op {
            case .cardContinuation: continuations += 1
            case .cardRevocation: revocations += 1
            default: break
            }
            context.send(
                .response(Response(to: request)), to: request.replyTo,
                delay: links.latency(.csToCardSystem).sample(&context.random))
            if let next = pool.finish(duration: request.serviceTime) {
                context.schedule(.served(next), after: next.serviceTime)
            }
        case .deliveryRecords(let batch):
            deliveryBatches += 1
            lettersQueued += batch.codes.count
            let cost =
                service.cardSystemOperation.sample(&context.random) + service.perBatchItem * Int64(batch.codes.count)
            context.send(
                .deliveryAck(batch), to: batch.replyTo,
                delay: links.latency(.csToCardSystem).sample(&context.random) + cost)
        default:
            break
        }
    }
}
