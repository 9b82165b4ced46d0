import JukiCore
import JukiSimulation

/// Myna Portal (マイナポータル): residents file one-stop moves online. An online move-out of this municipality's
/// resident goes to the application manager; a mover to this municipality files the 転出届 and the 来庁予定の連絡
/// (転入予約) together (デジタル庁 FAQ), so the portal hands the move-out to the origin and the reservation to the
/// application manager (別添1 1.⑱: "マイナポータルを通じ、転出・転入予約・転居予約情報を受信する").
public struct MynaPortal: NodeBehavior {
    let layout: NetworkLayout
    let links: LinkTable
    /// Online move-outs of this municipality's residents, and movers' filings to it (転出届 with 転入予約).
    public private(set) var filings = 0
    public private(set) var incomingFilings = 0
    /// Only for a message it cannot handle: the portal sends nothing that needs a wire of its own.
    var wire: Wire

    public init(layout: NetworkLayout, links: LinkTable) {
        self.layout = layout
        self.links = links
        wire = Wire(links: links)
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        switch event.message {
        case .request(let request) where request.operation == .onlineMoveOut:
            filings += 1
            context.send(
                .request(request), to: layout.applicationManager, delay: links.latency(.portal).sample(&context.random))
        case .request(let request):
            guard case .application(.moveInReservation(let data, _, _)) = request.payload else {
                return context.unhandled(event, over: .portal, wire: &wire)
            }
            incomingFilings += 1
            context.send(
                .request(request), to: layout.applicationManager, delay: links.latency(.portal).sample(&context.random))
            context.send(.request(request), to: data.origin, delay: links.latency(.portal).sample(&context.random))
        case .visit, .deskDone, .response, .served, .identityUpdates, .updateAck, .numberRequest, .numberReply,
            .deliveryRecords, .deliveryAck, .timer, .consistency, .addressees, .sharing, .immigration, .familyRegister:
            context.unhandled(event, over: .portal, wire: &wire)
        }
    }
}

extension MynaPortal: ReportingBehavior {
    /// Myna Portal's figures after a run.
    public struct Report: Sendable {
        /// Online move-outs handed to the application manager, and movers' filings to this municipality (each
        /// handed to their origin and to the application manager).
        public var filings: Int
        public var incomingFilings: Int
    }

    public func report(_ period: ReportPeriod) -> Report { Report(filings: filings, incomingFilings: incomingFilings) }
}
