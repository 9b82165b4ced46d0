import JukiCore
import JukiSimulation

/// What faults did to one node's traffic.
public struct WireStatistics: Sendable, Hashable {
    /// Sends that met an active fault (a node out, a link cut, a spike, a loss).
    public var affected = 0
    /// Transport retransmissions of lost or held messages.
    public var retransmissions = 0
    /// Requests answered at once with `serviceUnavailable` because their path was down.
    public var unavailable = 0

    public init() {}

    public mutating func merge(_ other: WireStatistics) {
        affected += other.affected
        retransmissions += other.retransmissions
        unavailable += other.unavailable
    }
}

/// A node's side of the network: samples each message's latency and applies the fault plan on the sender's side
/// with the sender's own random stream. With no faults it draws exactly what a plain latency sample draws, so
/// runs without `faults` are unchanged by it.
public struct Wire: Sendable {
    public let links: LinkTable
    public let plan: FaultPlan
    public private(set) var statistics = WireStatistics()
    /// Mutual authentication with the other Juki-net nodes (made at first use, when the node knows its id).
    let trust: TrustStore
    public private(set) var authenticator: Authenticator?

    /// The first retransmission timeout of a lost message (doubling per loss, as TCP does).
    static let retransmissionTimeout: Int64 = 200_000
    /// A held message's retry interval starts at 1 s and doubles to 60 s.
    static let firstBackoff: Int64 = 1_000_000
    static let maxBackoff: Int64 = 60_000_000

    public init(links: LinkTable, plan: FaultPlan = .none, trust: TrustStore = .none) {
        self.links = links
        self.plan = plan
        self.trust = trust
    }

    /// Puts a MAC on `message` when it goes to another Juki-net node; false when the session is refused.
    mutating func seal(_ message: inout NetworkMessage, from node: NodeID, to destination: NodeID) -> Bool {
        if trust.isEmpty { return true }
        if authenticator == nil { authenticator = Authenticator(node: node, trust: trust) }
        return authenticator?.seal(&message, to: destination) ?? true
    }

    /// Whether `event` passes authentication at `node`.
    mutating func open(_ event: Event<NetworkMessage>, at node: NodeID) -> Bool {
        if trust.isEmpty || event.source == node { return true }
        if authenticator == nil { authenticator = Authenticator(node: node, trust: trust) }
        return authenticator?.open(event) ?? true
    }

    /// The delay of a message from `from` to `to` over `link` (then `second`, through `via`), starting at `time`,
    /// or nil when it cannot arrive: a node on the way is out, or a link is cut. Lost attempts are retransmitted
    /// after a timeout and counted.
    mutating func delay(
        _ link: LinkKind, then second: LinkKind? = nil, from: NodeID, via: NodeID? = nil, to: NodeID,
        at time: Int64, _ random: inout RandomStream
    ) -> Int64? {
        var d = links.latency(link).sample(&random)
        if let second { d += links.latency(second).sample(&random) }
        if plan.isEmpty { return d }
        return faulted(d, link, second, from: from, via: via, to: to, at: time, &random)
    }

    mutating func faulted(
        _ base: Int64, _ link: LinkKind, _ second: LinkKind?, from: NodeID, via: NodeID?, to: NodeID, at time: Int64,
        _ random: inout RandomStream
    ) -> Int64? {
        var d = base
        var hit = false
        defer { if hit { statistics.affected += 1 } }
        var t = time
        var timeout = Self.retransmissionTimeout
        // Each lost attempt costs a retransmission timeout; the message gets through in the end or its path goes.
        for _ in 0..<16 {
            let rate = 1 - (1 - plan.lossRate(link, at: t)) * (1 - (second.map { plan.lossRate($0, at: t) } ?? 0))
            guard rate > 0, random.nextUnit() < rate else { break }
            hit = true
            statistics.retransmissions += 1
            t += timeout
            timeout = min(timeout * 2, Self.maxBackoff)
        }
        let spike = plan.extraLatency(link, at: t) + (second.map { plan.extraLatency($0, at: t) } ?? 0)
        if spike > 0 { hit = true }
        d += spike + (t - time)
        let arrival = time + d
        if plan.cut(link, at: t) || second.map({ plan.cut($0, at: t) }) == true
            || plan.down(from, from: time, to: t) || plan.down(to, from: t, to: arrival)
            || (via.map { plan.down($0, from: t, to: arrival) } ?? false)
        {
            hit = true
            return nil
        }
        return d
    }

    /// Like ``delay(_:then:from:via:to:at:_:)``, but a message that cannot arrive now is held and retried with
    /// backoff (1 s doubling to 60 s) until it can: for responses and acknowledgements, which must not be lost.
    mutating func reliableDelay(
        _ link: LinkKind, then second: LinkKind? = nil, from: NodeID, via: NodeID? = nil, to: NodeID,
        at time: Int64, _ random: inout RandomStream
    ) -> Int64 {
        var t = time
        var backoff = Self.firstBackoff
        for _ in 0..<256 {
            if let d = delay(link, then: second, from: from, via: via, to: to, at: t, &random) { return t - time + d }
            statistics.retransmissions += 1
            t += backoff
            backoff = min(backoff * 2, Self.maxBackoff)
        }
        // Beyond every fault a plan can hold in a day: deliver after the last one.
        return (plan.faults.map(\.end).max() ?? t) - time + links.latency(link).minimum
    }

    /// Counts a request answered with `serviceUnavailable`.
    mutating func refuseUnavailable() { statistics.unavailable += 1 }

    /// A service time drawn for `node` at `time`, multiplied while a slowdown lasts.
    mutating func service(_ time: ServiceTime, node: NodeID, at now: Int64, _ random: inout RandomStream) -> Int64 {
        let t = time.sample(&random)
        if plan.isEmpty { return t }
        let factor = plan.slowdown(node, at: now)
        if factor > 1 { statistics.affected += 1 }
        return factor > 1 ? SimulatedDuration.saturating(Double(t) * factor) : t
    }
}

/// What became of a send.
enum Delivery {
    case sent
    /// A node on the way is out, or a link is cut.
    case unreachable
    /// Mutual authentication refused the session (a revoked peer).
    case refused
}

extension NodeContext where Message == NetworkMessage {
    /// Sends `message` over `link` (then `second`, through `via`) with `wire`'s faults and authentication.
    mutating func deliver(
        _ message: consuming NetworkMessage, to destination: NodeID, over link: LinkKind,
        then second: LinkKind? = nil, via: NodeID? = nil, extra: Int64 = 0, wire: inout Wire
    ) -> Delivery {
        guard let d = wire.delay(link, then: second, from: id, via: via, to: destination, at: now, &random) else {
            return .unreachable
        }
        // Sealed only once it can leave, so every MAC sealed is one the peer gets to check. The message is moved
        // through, never copied: copies of the enum showed up in the load mode's profile.
        guard wire.seal(&message, from: id, to: destination) else { return .refused }
        send(message, to: destination, delay: d + extra)
        return .sent
    }

    /// Sends `message`; false when it cannot arrive or the session is refused.
    @discardableResult
    mutating func send(
        _ message: consuming NetworkMessage, to destination: NodeID, over link: LinkKind,
        then second: LinkKind? = nil, via: NodeID? = nil, extra: Int64 = 0, wire: inout Wire
    ) -> Bool {
        deliver(message, to: destination, over: link, then: second, via: via, extra: extra, wire: &wire) == .sent
    }

    /// Sends `message`, holding and retrying it while its path is down: it always arrives (unless the session
    /// is refused: then it is dropped, and the refusal counted).
    mutating func sendReliably(
        _ message: consuming NetworkMessage, to destination: NodeID, over link: LinkKind,
        then second: LinkKind? = nil, via: NodeID? = nil, extra: Int64 = 0, wire: inout Wire
    ) {
        guard wire.seal(&message, from: id, to: destination) else { return }
        let d = wire.reliableDelay(link, then: second, from: id, via: via, to: destination, at: now, &random)
        send(message, to: destination, delay: d + extra)
    }

    /// Authenticates `event` at this node; a refused request is answered `notAuthenticated` over `link`.
    mutating func admit(_ event: Event<NetworkMessage>, over link: LinkKind, wire: inout Wire) -> Bool {
        if wire.open(event, at: id) { return true }
        if case .request(let r) = event.message {
            // Unsealed: a refusal carries no data, and the peer may not share a session key with us.
            let d = wire.reliableDelay(link, from: id, to: r.replyTo, at: now, &random)
            send(.response(Response(to: r, failure: .notAuthenticated)), to: r.replyTo, delay: d)
        }
        return false
    }
}

extension NodeContext where Message == NetworkMessage {
    /// Counts a message this node has no handler for; a request among them is answered `unhandledRequest` over
    /// `link`, so its journey ends instead of waiting for ever.
    mutating func unhandled(_ event: Event<NetworkMessage>, over link: LinkKind, wire: inout Wire) {
        countUnhandled(kind: event.message.kind.rawValue)
        if case .request(let request) = event.message {
            sendReliably(
                .response(Response(to: request, failure: .unhandledRequest)), to: request.replyTo, over: link,
                wire: &wire)
        }
    }
}
