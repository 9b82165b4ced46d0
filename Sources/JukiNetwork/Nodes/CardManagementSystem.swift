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

    public init(
        links: LinkTable, service: ServiceModel, faults: FaultPlan = .none, trust: TrustStore = .none
    ) {
        wire = Wire(links: links, plan: faults, trust: trust)
        self.service = service
        pool = WorkerPool(workers: service.cardSystemWorkers)
    }

    public var serverStatistics: WorkerPool { pool }

    mutating func lapse(_ code: UInt64) {
        lapsed += 1
        cardStates[code] = .returned
    }

    /// Cards by state among those that changed during the run.
    public var changedCards: [CardStatus: Int] {
        var counts: [CardStatus: Int] = [:]
        for state in cardStates.values { counts[state, default: 0] += 1 }
        return counts
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        guard context.admit(event, over: .csToCardSystem, wire: &wire) else { return }
        switch event.message {
        case .request(var request):
            request.serviceTime = wire.service(
                service.cardSystemOperation, node: context.id, at: context.now, &context.random)
            if let start = pool.accept(request) { context.schedule(.served(start), after: start.serviceTime) }
        case .served(let request):
            var failure = FailureReason.none
            switch request.op {
            case .cardContinuation:
                if let due = continuationDue.removeValue(forKey: request.subject), context.now > due {
                    lapse(request.subject)
                    failure = .cardLapsed
                } else {
                    continuations += 1
                    cardStates[request.subject] = .issued
                }
            case .continuationDue where request.value == 1:
                if continuationDue.removeValue(forKey: request.subject) != nil { lapse(request.subject) }
            case .continuationDue:
                let due = context.now + service.continuationWindow
                continuationDue[request.subject] = due
                context.schedule(.tick(kind: 6, value: request.subject), at: due + 1)
            case .cardRevocation:
                revocations += 1
                cardStates[request.subject] = .revoked
            case .cardEvent:
                events += 1
                cardStates[request.subject] = (CardEvent(rawValue: request.value) ?? .issue).status
            default: break
            }
            context.sendReliably(
                .response(Response(to: request, failure: failure)), to: request.replyTo, over: .csToCardSystem,
                wire: &wire)
            if let next = pool.finish(duration: request.serviceTime) {
                context.schedule(.served(next), after: next.serviceTime)
            }
        case .tick(kind: 6, let code):
            if let due = continuationDue[code], context.now > due {
                continuationDue[code] = nil
                lapse(code)
            }
        case .deliveryRecords(let batch):
            deliveryBatches += 1
            lettersQueued += batch.codes.count
            let cost =
                wire.service(service.cardSystemOperation, node: context.id, at: context.now, &context.random)
                + service.perBatchItem * Int64(batch.codes.count)
            context.sendReliably(
                .deliveryAck(batch), to: batch.replyTo, over: .csToCardSystem, extra: cost, wire: &wire)
        default:
            break
        }
    }
}
