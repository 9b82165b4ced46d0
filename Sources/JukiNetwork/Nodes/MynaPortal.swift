import JukiCore
import JukiSimulation

/// Myna Portal (マイナポータル): residents file move-out notices online; the portal hands them to the
/// municipality's application manager.
public struct MynaPortal: NodeBehavior {
    let layout: NetworkLayout
    let links: LinkTable
    public private(set) var filings = 0
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
        case .request, .visit, .deskDone, .response, .served, .identityUpdates, .updateAck, .numberRequest,
            .numberReply, .deliveryRecords, .deliveryAck, .timer, .consistency:
            context.unhandled(event, over: .portal, wire: &wire)
        }
    }
}

extension MynaPortal: ReportingBehavior {
    /// Myna Portal's figures after a run.
    public struct Report: Sendable {
        /// Online move-outs handed to the application manager.
        public var filings: Int
    }

    public func report(_ period: ReportPeriod) -> Report { Report(filings: filings) }
}
