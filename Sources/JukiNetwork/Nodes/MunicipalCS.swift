import JukiCore
import JukiSimulation

/// The municipal CS (市町村CS): the municipality's Juki-net node. It keeps the identity file, relays card
/// verification and number candidates to the national server, certificate data and move-in notices to other
/// municipalities, card events and delivery records to the card management system, and forwards identity
/// updates to the prefecture server.
public struct MunicipalCS: NodeBehavior {
    public private(set) var identityFile: IdentityFile
    let layout: NetworkLayout
    let links: LinkTable
    let service: ServiceModel
    let prefecture: NodeID
    var pool: WorkerPool
    public private(set) var updatesForwarded = 0
    public private(set) var relayed = 0

    public init(
        identityFile: IdentityFile, layout: NetworkLayout, links: LinkTable, service: ServiceModel, prefecture: NodeID
    ) {
        self.identityFile = identityFile
        self.layout = layout
        self.links = links
        self.service = service
        self.prefecture = prefecture
        pool = WorkerPool(workers: service.csWorkers)
    }

    public var serverStatistics: WorkerPool { pool }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        switch event.message {
        case .request(var request):
            request.serviceTime = service.csOperation.sample(&context.random)
            if let start = pool.accept(request) { context.schedule(.served(start), after: start.serviceTime) }
        case .served(let request):
            relay(request, &context)
            if let next = pool.finish(duration: request.serviceTime) {
                context.schedule(.served(next), after: next.serviceTime)
            }
        case .response(var response):
            guard response.relayFor != NodeID.max else { return }
            let to = response.relayFor
            response.relayFor = NodeID.max
            let link: LinkKind = to == layout.registerSystem ? .registerToCS : .counterLAN
            context.send(.response(response), to: to, delay: links.latency(link).sample(&context.random))
        case .identityUpdates(let batch):
            for u in batch.updates { identityFile.apply(u) }
            updatesForwarded += batch.updates.count
            let cost = service.perBatchItem * Int64(batch.updates.count)
            context.send(
                .identityUpdates(IdentityBatch(updates: batch.updates, source: context.id)), to: prefecture,
                delay: links.latency(.csToPrefecture).sample(&context.random) + cost)
        case .numberRequest(var batch):
            batch.relayFor = batch.replyTo
            batch.replyTo = context.id
            context.send(.numberRequest(batch), to: layout.nationalServer, delay: toNational(&context))
        case .numberReply(var batch):
            let to = batch.relayFor
            batch.relayFor = NodeID.max
            context.send(.numberReply(batch), to: to, delay: links.latency(.registerToCS).sample(&context.random))
        case .deliveryRecords(var batch):
            batch.relayFor = batch.replyTo
            batch.replyTo = context.id
            context.send(
                .deliveryRecords(batch), to: layout.cardSystem,
                delay: links.latency(.csToCardSystem).sample(&context.random))
        case .deliveryAck(var batch):
            let to = batch.relayFor
            batch.relayFor = NodeID.max
            context.send(.deliveryAck(batch), to: to, delay: links.latency(.registerToCS).sample(&context.random))
        default:
            break
        }
    }

    /// CS → prefecture server → national server.
    func toNational(_ context: inout NodeContext<NetworkMessage>) -> Int64 {
        links.latency(.csToPrefecture).sample(&context.random)
            + links.latency(.prefectureToNational).sample(&context.random)
    }

    mutating func relay(_ request: Request, _ context: inout NodeContext<NetworkMessage>) {
        var onward = request
        onward.relayFor = request.replyTo
        onward.replyTo = context.id
        relayed += 1
        switch request.op {
        case .verifyCard:
            context.send(.request(onward), to: layout.nationalServer, delay: toNational(&context))
        case .certificateData, .moveInNotice:
            context.send(
                .request(onward), to: NodeID(truncatingIfNeeded: request.value),
                delay: links.latency(.csToCS).sample(&context.random))
        case .cardContinuation, .cardRevocation:
            context.send(
                .request(onward), to: layout.cardSystem, delay: links.latency(.csToCardSystem).sample(&context.random))
        default:
            context.send(
                .response(Response(to: request, failure: .registerRefused)), to: request.replyTo,
                delay: links.latency(.counterLAN).sample(&context.random))
        }
    }
}
