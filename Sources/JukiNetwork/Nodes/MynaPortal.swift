import JukiCore
import JukiSimulation

/// Myna Portal (マイナポータル): residents file move-out notices online; the portal hands them to the
/// municipality's application manager.
public struct MynaPortal: NodeBehavior {
    let layout: NetworkLayout
    let links: LinkTable
    public private(set) var filings = 0

    public init(layout: NetworkLayout, links: LinkTable) {
        self.layout = layout
        self.links = links
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        guard case .request(let request) = event.message, request.op == .onlineMoveOut else { return }
        filings += 1
        context.send(
            .request(request), to: layout.applicationManager, delay: links.latency(.portal).sample(&context.random))
    }
}
