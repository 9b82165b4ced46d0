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
    /// Cards whose state changed during the run, by resident code (the rest keep their registered state).
    public private(set) var cardStates: [UInt64: CardStatus] = [:]
    public private(set) var events = 0
    public private(set) var lettersQueued = 0
    public private(set) var deliveryBatches = 0

    public init(links: LinkTable, service: ServiceModel) {
        self.links = links
        self.service = service
        pool = WorkerPool(workers: service.cardSystemWorkers)
    }

    public var serverStatistics: WorkerPool { pool }

    /// Cards by state among those that changed during the run.
    public var changedCards: [CardStatus: Int] {
        var counts: [CardStatus: Int] = [:]
        for state in cardStates.values { counts[state, default: 0] += 1 }
        return counts
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        switch event.message {
        case .request(var request):
            request.serviceTime = service.cardSystemOperation.sample(&context.random)
            if let start = pool.accept(request) { context.schedule(.served(start), after: start.serviceTime) }
        case .served(let request):
            let failure = FailureReason.none
            switch request.op {
            case .cardContinuation:
                // Within the special move-in itself, so always inside the 90-day window of 継続利用.
                continuations += 1
                cardStates[request.subject] = .issued
            case .cardRevocation:
                revocations += 1
                cardStates[request.subject] = .revoked
            case .cardEvent:
                events += 1
                cardStates[request.subject] = (CardEvent(rawValue: request.value) ?? .issue).status
            default: break
            }
            context.send(
                .response(Response(to: request, failure: failure)), to: request.replyTo,
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
