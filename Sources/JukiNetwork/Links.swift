import JukiCore
import JukiSimulation

/// The kinds of link between nodes, each with its own latency.
public enum LinkKind: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Residents reaching a counter (the hand-off of a visit; not a network).
    case residentToCounter = 0
    /// Counter terminal ↔ register system, on the municipal LAN.
    case counterLAN
    /// Register system (CS connector) ↔ municipal CS, on the LAN.
    case registerToCS
    /// Municipal CS ↔ prefecture server.
    case csToPrefecture
    /// Prefecture server ↔ national server.
    case prefectureToNational
    /// Municipal CS ↔ card management system.
    case csToCardSystem
    /// Municipal CS ↔ another municipality's CS (routed through the Juki-net).
    case csToCS
    /// Residents ↔ Myna Portal ↔ the application manager (internet and LGWAN).
    case portal
    /// Intermediate server ↔ information-sharing network (the 中間サーバ・プラットフォーム over LGWAN, III(1)6 リスク6).
    case informationSharing

    public var description: String {
        switch self {
        case .residentToCounter: "residentToCounter"
        case .counterLAN: "counterLAN"
        case .registerToCS: "registerToCS"
        case .csToPrefecture: "csToPrefecture"
        case .prefectureToNational: "prefectureToNational"
        case .csToCardSystem: "csToCardSystem"
        case .csToCS: "csToCS"
        case .portal: "portal"
        case .informationSharing: "informationSharing"
        }
    }
}

/// A latency distribution: a fixed minimum plus an exponential tail.
public struct Latency: Sendable, Hashable {
    /// The smallest possible latency, µs (> 0: it bounds the engine's lookahead).
    public var minimum: Int64
    /// The mean of the tail above the minimum, µs.
    public var meanExtra: Double

    public init(minimum: Int64, meanExtra: Double) {
        self.minimum = minimum
        self.meanExtra = meanExtra
    }

    @inlinable
    public func sample(_ random: inout RandomStream) -> Int64 {
        meanExtra > 0
            ? SimulatedDuration.adding(minimum, SimulatedDuration.saturating(random.nextExponential(mean: meanExtra)))
            : minimum
    }

    /// Milliseconds helper for defaults.
    public static func ms(_ minimum: Double, plus extra: Double) -> Latency {
        Latency(minimum: Int64(minimum * 1000), meanExtra: extra * 1000)
    }
}

/// Latency per link kind [E: LAN ≈ 1 ms, Juki-net WAN ≈ 10–25 ms].
public struct LinkTable: Sendable, Hashable {
    public var latencies: [Latency]

    public static let standard = LinkTable(latencies: [
        .ms(1, plus: 0.5),  // residentToCounter
        .ms(0.5, plus: 0.5),  // counterLAN
        .ms(0.5, plus: 0.5),  // registerToCS
        .ms(5, plus: 5),  // csToPrefecture
        .ms(5, plus: 5),  // prefectureToNational
        .ms(10, plus: 10),  // csToCardSystem
        .ms(15, plus: 10),  // csToCS
        .ms(50, plus: 50),  // portal
        .ms(20, plus: 20),  // informationSharing
    ])

    public func latency(_ kind: LinkKind) -> Latency { latencies[Int(kind.rawValue)] }

    /// The engine's lookahead: the smallest minimum of any link.
    /// Every latency multiplied by `factor` (0 skips them; the load mode's engine still orders hops 1 µs apart).
    public func scaled(by factor: Double) -> LinkTable {
        LinkTable(
            latencies: latencies.map {
                Latency(
                    minimum: SimulatedDuration.saturating(Double($0.minimum) * factor), meanExtra: $0.meanExtra * factor
                )
            })
    }

    public func lookahead() throws(EngineError) -> Int64 {
        try Engine<NetworkMessage>.lookahead(linkMinimums: latencies.map(\.minimum))
    }
}

/// A service-time distribution: a minimum plus an exponential tail, µs.
public struct ServiceTime: Sendable, Hashable {
    public var minimum: Int64
    public var meanExtra: Double

    public init(minimum: Int64, meanExtra: Double) {
        self.minimum = minimum
        self.meanExtra = meanExtra
    }

    /// The mean, µs.
    public var mean: Double { Double(minimum) + meanExtra }

    /// This time multiplied by `factor`.
    public func scaled(by factor: Double) -> ServiceTime {
        ServiceTime(minimum: SimulatedDuration.saturating(Double(minimum) * factor), meanExtra: meanExtra * factor)
    }

    @inlinable
    public func sample(_ random: inout RandomStream) -> Int64 {
        SimulatedDuration.adding(minimum, SimulatedDuration.saturating(random.nextExponential(mean: meanExtra)))
    }

    public static func minutes(_ minimum: Double, plus extra: Double) -> ServiceTime {
        ServiceTime(minimum: Int64(minimum * 60_000_000), meanExtra: extra * 60_000_000)
    }

    public static func milliseconds(_ minimum: Double, plus extra: Double) -> ServiceTime {
        ServiceTime(minimum: Int64(minimum * 1000), meanExtra: extra * 1000)
    }
}
