import JukiCore
import JukiSimulation

/// How an identity search (本人確認情報検索) is keyed and where it is routed.
public enum SearchKey {
    /// By resident code, or by basic facts (4情報).
    public enum Kind: UInt64 {
        case code = 0
        case basicFacts = 1
    }

    /// Own municipality (local file), another municipality of the prefecture (prefecture server), or another
    /// prefecture (national server).
    public enum Scope: UInt64 {
        case own = 0
        case prefecture = 1
        case nation = 2
    }

    static func pack(_ kind: Kind, _ scope: Scope, insufficientFacts: Bool, prefecture: Int) -> UInt64 {
        kind.rawValue | scope.rawValue << 4 | (insufficientFacts ? 1 << 8 : 0) | UInt64(prefecture) << 16
    }

    static func kind(_ v: UInt64) -> Kind { Kind(rawValue: v & 0xF) ?? .code }
    static func scope(_ v: UInt64) -> Scope { Scope(rawValue: v >> 4 & 0xF) ?? .own }
    static func insufficientFacts(_ v: UInt64) -> Bool { v >> 8 & 1 == 1 }
    static func prefecture(_ v: UInt64) -> Int { Int(v >> 16 & 0xFF) }
}

extension BranchCounter {
    /// Identity search (CS function 4): by resident code or by basic facts, routed to the local file, the
    /// prefecture server or the national server. A basic-facts search needs two facts other than sex; a clerk
    /// who gives fewer is refused (searchRefused).
    mutating func advanceIdentitySearch(
        _ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>
    ) {
        guard slots[Int(slot)].step == 0 else {
            backendDone(slot, &context)
            return
        }
        let v = slots[Int(slot)].visit
        slots[Int(slot)].step = 1
        send(
            .search, hop: .search, slot: slot, to: layout.municipalCS, link: .counterLAN,
            subject: v.code != 0 ? v.code : UInt64(v.row), value: v.searchKey, &context)
    }

    /// Query to J-LIS (CS function 5) by individual number, answered by the national server.
    mutating func advanceJLISQuery(_ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>)
    {
        guard slots[Int(slot)].step == 0 else {
            backendDone(slot, &context)
            return
        }
        slots[Int(slot)].step = 1
        send(
            .query, hop: .query, slot: slot, to: layout.municipalCS, link: .counterLAN,
            subject: slots[Int(slot)].visit.code, &context)
    }

    /// Card linkage (CS function 8): a card event recorded at the register system (issue, return, suspension
    /// lift, collection), then sent through the CS to the card management system.
    mutating func advanceCardLinkage(
        _ slot: UInt32, _ response: Response?, _ context: inout NodeContext<NetworkMessage>
    ) {
        let v = slots[Int(slot)].visit
        switch slots[Int(slot)].step {
        case 0:
            slots[Int(slot)].step = 1
            send(
                .cardEvent, hop: .cardContinuation, slot: slot, to: layout.registerSystem, link: .counterLAN,
                subject: UInt64(v.row), value: v.searchKey, &context)
        case 1:
            slots[Int(slot)].step = 2
            send(
                .cardEvent, hop: .cardVerification, slot: slot, to: layout.municipalCS, link: .counterLAN,
                subject: v.code, value: v.searchKey, &context)
        default:
            backendDone(slot, &context)
        }
    }
}

/// The card events of card linkage.
public enum CardEvent: UInt64, CaseIterable {
    case issue = 0
    case returned
    case suspensionLift
    case collection

    /// The card state after the event.
    var status: CardStatus {
        switch self {
        case .issue, .suspensionLift: .issued
        case .returned, .collection: .returned
        }
    }
}
