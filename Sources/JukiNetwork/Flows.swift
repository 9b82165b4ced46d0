import JukiCore

/// A business flow (業務): what a journey is.
public enum Flow: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case certificate = 0
    case relocation
    case birth
    case death
    case moveOut
    case moveIn
    case specialMoveIn
    case oneStopMove
    case identitySearch
    case jlisQuery
    case bulkNumberAssignment
    case consistencyCheck
    case deliveryRecords
    case cardLinkage
    /// 個人番号カードの交付: a manufactured card handed over at the counter (last, so the older flows keep their raw
    /// values and random streams).
    case cardIssuance
    /// 国外転入: a move-in from abroad, with new resident codes and numbers.
    case moveInFromAbroad
    /// 職権記載・消除: the register system's entries and removals after an investigation (実態調査), a batch.
    case exOfficio
    /// 個人番号の変更, on request after a leak.
    case numberChange
    /// 住民票コードの変更, on request.
    case residentCodeChange
    /// 引越しワンストップサービスの転出届: a resident's move-out filed through Myna Portal and processed by the
    /// application manager, no counter (the one-stop visit at the destination is `oneStopMove`).
    case oneStopMoveOut
    /// 電子証明書の更新: a card holder renews the card's e-certificates before they expire, at 本庁 only.
    case certificateRenewal
    /// コンビニ交付: a card holder's certificate from a convenience store's kiosk, no counter.
    case convenienceStore
    /// 住民票の写しの広域交付: another municipality's resident asks a counter here for their own 住民票の写し, which their
    /// municipality sends through the Juki-net (住基法第12条の4).
    case wideAreaCertificate

    public var description: String { descriptor.name }

    /// The Japanese name, for reports.
    public var japanese: String { descriptor.japanese }
}

/// Who starts a flow's journeys.
public enum FlowStarter: Sendable, Hashable {
    /// Residents, at a counter: a Poisson stream over the office day, and the load mode's mix.
    case residents
    /// A system's batch job (the register system's or the CS's).
    case batch
    /// Residents, online through Myna Portal: no counter and no desk time (its rate is
    /// `workload.onlineMoveOutsPerDay`).
    case online
    /// Card holders at a convenience store's kiosk, 06:30–23:00 every day: no counter and no desk time (its rate is
    /// the kiosks' share of certificate demand, `workload.convenienceStoreShare`).
    case kiosk
}

/// One flow's facts in one place: its names, who starts it, its defaults and where it may be used. Residents,
/// the load driver, scenario validation and the reports read this table; a test checks the editors' JSON Schema of
/// scenarios against it.
public struct FlowDescriptor: Sendable, Hashable {
    public let flow: Flow
    /// The name scenarios and reports use.
    public let name: String
    /// The Japanese name, for reports.
    public let japanese: String
    public let startedBy: FlowStarter
    /// Arrivals per business day at Fujisawa's counters by default (residents' flows) [E: the city's yearly
    /// figures over ≈ 243 business days; each row's comment gives its source]. Scenarios scale them to their
    /// population (`Workload.scaled(toResidents:)`).
    public let perDay: Double
    /// The clerk's desk time by default (residents' flows) [E].
    public let desk: ServiceTime?
    /// Whether a sweep's per-flow columns show it.
    public let swept: Bool

    /// Whether residents start it at a counter (and so scenarios may set its rate and desk time, and the load
    /// driver offers it).
    public var atCounter: Bool { startedBy == .residents }
}

extension Flow {
    /// This flow's row of the table.
    public var descriptor: FlowDescriptor {
        switch self {
        case .certificate:
            row("certificate", "住民票の写し等の交付", perDay: 1_200, desk: .minutes(3, plus: 3), swept: true)
        case .relocation: row("relocation", "転居", perDay: 60, desk: .minutes(10, plus: 8))
        case .birth: row("birth", "出生", perDay: 11, desk: .minutes(10, plus: 8))
        case .death: row("death", "死亡", perDay: 14, desk: .minutes(12, plus: 8))
        case .moveOut: row("moveOut", "転出", perDay: 65, desk: .minutes(8, plus: 6), swept: true)
        // 70 move-in persons a day, split into ordinary and special by `Workload.specialMoveInShare`.
        case .moveIn: row("moveIn", "転入", perDay: 70, desk: .minutes(15, plus: 10), swept: true)
        case .specialMoveIn: row("specialMoveIn", "特例転入", perDay: 0, desk: .minutes(18, plus: 10), swept: true)
        case .oneStopMove:
            row("oneStopMove", "引越しワンストップサービス", perDay: 13, desk: .minutes(8, plus: 5), swept: true)
        // Searches, J-LIS queries and card events: a clerk's few minutes.
        case .identitySearch: row("identitySearch", "本人確認情報検索", perDay: 100, desk: .minutes(5, plus: 5))
        case .jlisQuery: row("jlisQuery", "機構への照会", perDay: 30, desk: .minutes(5, plus: 5))
        case .cardLinkage: row("cardLinkage", "カード連携", perDay: 90, desk: .minutes(5, plus: 5))
        // Hand-overs of manufactured cards, by reservation: the clerk checks identity, explains the card and the
        // holder sets the PINs (大田原市: 15–20 min; 狛江市: 15 min).
        case .cardIssuance:
            row("cardIssuance", "個人番号カードの交付", perDay: 150, desk: .minutes(14, plus: 4), swept: true)
        // Persons a day from abroad: 移動報告 2024 gives 735,883 a year nationally (0.59 % of residents); Fujisawa,
        // with fewer foreign residents than the nation [E], ≈ 2,000 a year over 243 days.
        case .moveInFromAbroad:
            row("moveInFromAbroad", "国外転入", perDay: 8, desk: .minutes(15, plus: 10), swept: true)
        case .exOfficio: batch("exOfficio", "職権記載・消除")
        // Rare on purpose: ≈ 1 number change per 100,000 residents a year and ≈ 1 code change per 10,000 [E: no
        // count is published; `docs/calibration-research.md` § 6], over 243 business days.
        case .numberChange: row("numberChange", "個人番号の変更", perDay: 0.02, desk: .minutes(20, plus: 10))
        case .residentCodeChange:
            row("residentCodeChange", "住民票コードの変更", perDay: 0.18, desk: .minutes(10, plus: 5))
        case .bulkNumberAssignment: batch("bulkNumberAssignment", "一括付番")
        case .consistencyCheck: batch("consistencyCheck", "整合性確認")
        case .deliveryRecords: batch("deliveryRecords", "送付先情報通知")
        // E-certificates expire on the 5th birthday after issue (藤沢市「電子証明書の更新」: 「発行日から5回目の誕生日まで」);
        // the 2021–22 wave of cards (≈ 20 million a year nationally: 43.3 % of residents held one in April 2022)
        // renews in 2026, ≈ 72,000 a year in Fujisawa (× 445,283 / 124.3 M); ≈ 70 % renewing at the counter over
        // 243 business days [E] gives 200 a day.
        case .certificateRenewal:
            row("certificateRenewal", "電子証明書の更新", perDay: 200, desk: .minutes(5, plus: 5), swept: true)
        // ≈ 1,200 a year [E: no count is published; visitors who live elsewhere (commuters, students, those settling a
        // relative's affairs), most card holders now use a kiosk instead] over 243 business days.
        case .wideAreaCertificate:
            row("wideAreaCertificate", "住民票の写しの広域交付", perDay: 5, desk: .minutes(5, plus: 3))
        case .convenienceStore:
            FlowDescriptor(
                flow: self, name: "convenienceStore", japanese: "コンビニ交付", startedBy: .kiosk, perDay: 0, desk: nil,
                swept: true)
        case .oneStopMoveOut:
            FlowDescriptor(
                flow: self, name: "oneStopMoveOut", japanese: "引越しワンストップサービス（転出届）", startedBy: .online,
                perDay: 0, desk: nil, swept: false)
        }
    }

    private func row(_ name: String, _ japanese: String, perDay: Double, desk: ServiceTime, swept: Bool = false)
        -> FlowDescriptor
    {
        FlowDescriptor(
            flow: self, name: name, japanese: japanese, startedBy: .residents, perDay: perDay, desk: desk,
            swept: swept)
    }

    private func batch(_ name: String, _ japanese: String) -> FlowDescriptor {
        FlowDescriptor(
            flow: self, name: name, japanese: japanese, startedBy: .batch, perDay: 0, desk: nil, swept: false)
    }

    /// The flows residents start at counters, in table order.
    public static let counterFlows = allCases.filter { $0.descriptor.atCounter }

    /// The flow a scenario or report names, if any.
    public init?(named name: String) {
        guard let flow = Flow.allCases.first(where: { $0.descriptor.name == name }) else { return nil }
        self = flow
    }
}
