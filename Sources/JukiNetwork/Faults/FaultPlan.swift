import JukiCore
import JukiSimulation

/// The kinds of fault a scenario can inject (`faults`).
public enum FaultKind: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// A node accepts and sends nothing for the window.
    case outage = 0
    /// Every link of a kind is cut for the window.
    case partition
    /// Every message over a link kind takes `extra` longer.
    case latencySpike
    /// Each message over a link kind is lost with probability `rate` (the sender retransmits).
    case loss
    /// A node's service times are multiplied by `factor`.
    case slowdown

    public var description: String {
        switch self {
        case .outage: "outage"
        case .partition: "partition"
        case .latencySpike: "latencySpike"
        case .loss: "loss"
        case .slowdown: "slowdown"
        }
    }

    /// Whether the fault names a node (outage, slowdown) rather than a link kind.
    public var targetsNode: Bool { self == .outage || self == .slowdown }
}

/// A node a fault can name, by its role (the report's node names).
public enum FaultNode: Sendable, Hashable {
    case registerSystem
    case municipalCS
    case cardManagementSystem
    case nationalServer
    /// A prefecture server by prefecture code (1–47); the home prefecture when nil.
    case prefectureServer(Int?)
    /// The counter support system (窓口業務支援システム): an outage only (it has no worker pool to slow down); the
    /// counters enter notices by hand meanwhile.
    case counterSupport

    /// The names a scenario may use, for error messages.
    public static let names =
        "registerSystem, municipalCS, cardManagementSystem, nationalServer, prefectureServer, prefectureServer.<1–47>, "
        + "counterSupport (outage only)"

    /// Parses a node name, or nil when it names no node faults can reach.
    public init?(name: String) {
        switch name {
        case "registerSystem": self = .registerSystem
        case "municipalCS": self = .municipalCS
        case "cardManagementSystem": self = .cardManagementSystem
        case "nationalServer": self = .nationalServer
        case "prefectureServer": self = .prefectureServer(nil)
        case "counterSupport": self = .counterSupport
        default:
            let prefix = "prefectureServer."
            guard name.hasPrefix(prefix), let p = Int(name.dropFirst(prefix.count)), (1...47).contains(p) else {
                return nil
            }
            self = .prefectureServer(p)
        }
    }

    /// The node's id in `layout`, for a home municipality in prefecture `homePrefecture`.
    public func node(in layout: NetworkLayout, homePrefecture: Int) -> NodeID {
        switch self {
        case .registerSystem: layout.registerSystem
        case .municipalCS: layout.municipalCS
        case .cardManagementSystem: layout.cardSystem
        case .nationalServer: layout.nationalServer
        case .prefectureServer(let p): layout.prefectures[min(max(p ?? homePrefecture, 1), 47) - 1]
        case .counterSupport: layout.counterSupport
        }
    }
}

/// One fault: what, where, when (absolute simulated µs) and how much.
public struct Fault: Sendable, Hashable {
    public var kind: FaultKind
    /// The node (outage, slowdown) or nil for link faults.
    public var node: FaultNode?
    /// The link kind (partition, latency spike, loss) or nil for node faults.
    public var link: LinkKind?
    public var start: Int64
    public var duration: Int64
    /// A latency spike's extra delay, µs.
    public var extra: Int64 = 0
    /// A loss fault's probability per message.
    public var rate: Double = 0
    /// A slowdown's multiplier of service times.
    public var factor: Double = 1

    public init(
        kind: FaultKind, node: FaultNode? = nil, link: LinkKind? = nil, start: Int64, duration: Int64,
        extra: Int64 = 0, rate: Double = 0, factor: Double = 1
    ) {
        self.kind = kind
        self.node = node
        self.link = link
        self.start = start
        self.duration = duration
        self.extra = extra
        self.rate = rate
        self.factor = factor
    }

    public var end: Int64 { start + duration }

    /// The target as the report names it.
    public var target: String {
        if let link { return link.description }
        switch node {
        case .registerSystem: return "registerSystem"
        case .municipalCS: return "municipalCS"
        case .cardManagementSystem: return "cardManagementSystem"
        case .nationalServer: return "nationalServer"
        case .prefectureServer(let p): return p.map { "prefectureServer.\($0)" } ?? "prefectureServer"
        case .counterSupport: return "counterSupport"
        case nil: return "?"
        }
    }
}

/// Faults resolved to node ids: immutable and shared by every node, so each sender decides what happens to its
/// own message from the plan and its own random stream, and runs stay identical on any core count.
public struct FaultPlan: Sendable {
    /// A fault with its node resolved.
    struct Window: Sendable {
        var kind: FaultKind
        var node: NodeID
        var link: LinkKind?
        var start: Int64
        var end: Int64
        var extra: Int64
        var rate: Double
        var factor: Double
    }

    let windows: [Window]
    public let faults: [Fault]
    /// Whether outboxes keep and resend what they could not deliver (on unless a scenario turns it off to show
    /// what it protects against: then a batch that cannot be sent is dropped).
    public var storeAndForward = true

    /// No faults.
    public static let none = FaultPlan(faults: [], layout: nil, homePrefecture: 14)

    public init(faults: [Fault], layout: NetworkLayout?, homePrefecture: Int) {
        self.faults = faults
        windows = faults.map { f in
            Window(
                kind: f.kind,
                node: layout.flatMap { l in f.node.map { $0.node(in: l, homePrefecture: homePrefecture) } }
                    ?? NodeID.max, link: f.link, start: f.start, end: f.end, extra: f.extra, rate: f.rate,
                factor: f.factor)
        }
    }

    @inlinable
    public var isEmpty: Bool { faults.isEmpty }

    /// Whether `node` is out at some time in `[from, to]`.
    func down(_ node: NodeID, from: Int64, to: Int64) -> Bool {
        windows.contains { $0.kind == .outage && $0.node == node && $0.start <= to && from < $0.end }
    }

    /// Whether links of `kind` are cut at `time`.
    func cut(_ kind: LinkKind, at time: Int64) -> Bool {
        windows.contains { $0.kind == .partition && $0.link == kind && $0.start <= time && time < $0.end }
    }

    /// Extra latency over links of `kind` at `time`.
    func extraLatency(_ kind: LinkKind, at time: Int64) -> Int64 {
        windows.reduce(0) {
            $0 + ($1.kind == .latencySpike && $1.link == kind && $1.start <= time && time < $1.end ? $1.extra : 0)
        }
    }

    /// The probability that a message over links of `kind` is lost at `time`.
    func lossRate(_ kind: LinkKind, at time: Int64) -> Double {
        var keep = 1.0
        for w in windows where w.kind == .loss && w.link == kind && w.start <= time && time < w.end {
            keep *= 1 - min(max(w.rate, 0), 1)
        }
        return 1 - keep
    }

    /// The largest factor service times are multiplied by, however many slowdowns overlap: the largest one
    /// slowdown may give.
    public static let maxSlowdown = 1_000.0

    /// The factor `node`'s service times are multiplied by at `time`.
    ///
    /// Overlapping slowdowns multiply, up to ``maxSlowdown``: six overlapping factors of 1,000 would otherwise
    /// ask for service times beyond any clock.
    func slowdown(_ node: NodeID, at time: Int64) -> Double {
        var factor = 1.0
        for w in windows where w.kind == .slowdown && w.node == node && w.start <= time && time < w.end {
            factor = min(factor * max(w.factor, 1), Self.maxSlowdown)
        }
        return factor
    }

    /// The latest end, at or before `time`, of a fault that touches `link` or `node`: when a backlog could
    /// start draining.
    func recovery(before time: Int64, link: LinkKind, nodes: [NodeID]) -> Int64? {
        var latest: Int64?
        for w in windows where w.end <= time && (w.link == link || nodes.contains(w.node)) {
            latest = max(latest ?? w.end, w.end)
        }
        return latest
    }
}

/// Random faults for a storm (`faults.random`): drawn from the scenario's seed, so the same file always injects
/// the same faults.
public struct RandomFaults: Sendable, Hashable {
    public var count: Int
    /// The window faults start in, absolute µs.
    public var from: Int64
    public var until: Int64
    public var kinds: [FaultKind] = FaultKind.allCases
    /// The longest fault; each lasts between a tenth of this and all of it.
    public var maxDuration: Int64 = 600_000_000
    public var seed: UInt64 = 1

    public init(count: Int, from: Int64, until: Int64) {
        self.count = count
        self.from = from
        self.until = until
    }

    /// Nodes and links a random fault may name: the Juki-net's servers and its links (not the counters' LAN).
    static let nodes: [FaultNode] = [
        .registerSystem, .municipalCS, .cardManagementSystem, .nationalServer, .prefectureServer(nil),
    ]
    static let links: [LinkKind] = [.registerToCS, .csToPrefecture, .prefectureToNational, .csToCardSystem, .csToCS]

    /// The faults, in start order.
    public func faults() -> [Fault] {
        var random = RandomStream(seed: seed, stream: 0xFA17)
        let span = max(until - from, 1)
        var result: [Fault] = []
        result.reserveCapacity(count)
        for _ in 0..<count {
            let kind = kinds.isEmpty ? FaultKind.loss : kinds[Int(random.next(below: UInt64(kinds.count)))]
            let start = from + Int64(random.next(below: UInt64(span)))
            let duration = max(1, maxDuration / 10 + Int64(random.nextUnit() * Double(maxDuration - maxDuration / 10)))
            var f = Fault(kind: kind, start: start, duration: duration)
            if kind.targetsNode {
                f.node = Self.nodes[Int(random.next(below: UInt64(Self.nodes.count)))]
            } else {
                f.link = Self.links[Int(random.next(below: UInt64(Self.links.count)))]
            }
            switch kind {
            case .latencySpike: f.extra = 50_000 + Int64(random.next(below: 1_950_000))  // 50 ms – 2 s
            case .loss: f.rate = 0.05 + 0.45 * random.nextUnit()
            case .slowdown: f.factor = 2 + 8 * random.nextUnit()
            case .outage, .partition: break
            }
            result.append(f)
        }
        return result.sorted { ($0.start, $0.kind.rawValue) < ($1.start, $1.kind.rawValue) }
    }
}
