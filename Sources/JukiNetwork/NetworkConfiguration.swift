import JukiCore
import JukiPopulation
import JukiRegister
import JukiSimulation

/// A branch counter (窓口): its name, clerks and the districts it serves.
public struct CounterConfiguration: Sendable, Hashable {
    public var name: String
    public var clerks: Int
    /// District names (地区) whose residents come here; towns listed in `towns` override the district.
    public var districts: [String]
    public var towns: [String]

    /// Whether the counter also opens on the 2nd and 4th Saturdays (``BusinessCalendar/isSaturdayOpening(_:)``).
    public var opensSaturdays = false
    /// Of the clerks, how many are the contractor's staff (委託, 委託事項2: 住民基本台帳業務の包括的業務委託): they take
    /// visitors at the desk (受付, 入力, 交付); the decisions stay with the city's employees (``StaffKind``).
    public var contractors = 0
    /// Clerks at the desks through the day, when they change (a staffing plan, shifts); empty: `clerks` all day.
    public var staffing = StaffSchedule()
    /// The counter flows this counter takes (nil: all of them); a visitor for another goes to the main counter
    /// (本庁), or the first counter that takes it.
    public var procedures: Set<Flow>?
    /// This counter's own opening hours, µs after midnight (nil: the city's); a visitor outside them goes to the
    /// main counter, or the first one open.
    public var hours: Range<Int64>?
    /// The desk work's times multiplied by this (1: as modelled). A training desk has 0: the trainee did the desk
    /// work in the browser, and the journey's system part runs through the network (`jukisim train`).
    public var deskScale = 1.0

    /// Whether the counter takes `flow` at `timeOfDay` (µs after midnight).
    public func takes(_ flow: Flow, at timeOfDay: Int64) -> Bool {
        (procedures?.contains(flow) ?? true) && (hours?.contains(timeOfDay) ?? true)
    }

    public init(
        name: String, clerks: Int, districts: [String], towns: [String] = [], opensSaturdays: Bool = false,
        contractors: Int = 0
    ) {
        self.contractors = contractors
        self.opensSaturdays = opensSaturdays
        self.name = name
        self.clerks = clerks
        self.districts = districts
        self.towns = towns
    }

    /// Fujisawa's 13 counters [E: clerk counts, 62 in all, shared out in proportion to each counter's typical-day
    /// load, as a city staffs for its usual day (no staffing per branch is published): 48 for the notices and
    /// certificates, 9 for the card hand-overs (≈ 45 clerk-hours a day), and 5 at 本庁 for the e-certificate
    /// renewals only it takes (200 a day × 10 min ≈ 33 clerk-hours); district mapping from calibration.md].
    public static let fujisawa: [CounterConfiguration] = [
        // The only counter open on the 2nd and 4th Saturdays (city page 電子証明書の更新, 2024).
        // 協働事業: the contractor's staff at 本庁's counters (委託事項2, since January 2022; 100–500 handlers at the
        // contractor) [E: 12 of its 21 desks; the city publishes no split].
        .init(name: "市民窓口センター", clerks: 21, districts: ["藤沢", "村岡"], opensSaturdays: true, contractors: 12),
        .init(name: "片瀬市民センター", clerks: 2, districts: ["片瀬"]),
        .init(name: "明治市民センター", clerks: 3, districts: ["明治"]),
        .init(name: "御所見市民センター", clerks: 2, districts: ["御所見"]),
        .init(name: "遠藤市民センター", clerks: 2, districts: ["遠藤"]),
        .init(name: "長後市民センター", clerks: 5, districts: ["長後"]),
        .init(name: "辻堂市民センター", clerks: 5, districts: ["辻堂"]),
        .init(name: "善行市民センター", clerks: 4, districts: ["善行"]),
        .init(name: "湘南大庭市民センター", clerks: 3, districts: ["湘南大庭"]),
        .init(name: "湘南台市民センター", clerks: 4, districts: ["湘南台"]),
        .init(name: "鵠沼市民センター", clerks: 6, districts: ["鵠沼"]),
        .init(name: "六会市民センター", clerks: 3, districts: ["六会"]),
        .init(name: "六会市民センター石川分館", clerks: 2, districts: [], towns: ["石川"]),
    ]
}

extension CounterConfiguration {
    /// Residents per counter and per clerk in Fujisawa: 445,283 residents, 13 counters, 57 of its 62 clerks.
    public static let residentsPerCounter = 445_283 / 13
    /// Without 本庁's five renewal clerks: the e-certificate renewals are a flow of the home municipality only.
    public static let residentsPerClerk = 445_283 / 57

    /// Counters for a municipality without a counter list of its own, by Fujisawa's ratios [E]: one counter per
    /// 34,252 residents (at least one, at most one per town), one clerk per 7,812 residents (at least one per
    /// counter). The first counter (本庁) is the main one and takes the clerks left over; the towns are shared
    /// out in order, so every town has exactly one counter.
    public static func derived(residents: Int, towns: [String]) -> [CounterConfiguration] {
        let count = min(max(1, (residents + residentsPerCounter / 2) / residentsPerCounter), max(towns.count, 1))
        let clerks = max(count, (residents + residentsPerClerk / 2) / residentsPerClerk)
        return (0..<count).map { k in
            let share = towns.indices.filter { $0 * count / max(towns.count, 1) == k }.map { towns[$0] }
            let name = k == 0 ? "本庁" : "\(share.first ?? "支所\(k)")支所"
            return CounterConfiguration(
                name: name, clerks: clerks / count + (k == 0 ? clerks % count : 0), districts: [], towns: share)
        }
    }
}

/// What a counter does with the visitors still waiting when it closes.
public enum ClosingPolicy: String, Sendable, Hashable, CaseIterable {
    /// Everyone who arrived in office hours is served, after closing if need be (受付時間内の来庁者は対応する, as
    /// municipal counters do): the clerks' time after closing is overtime.
    case serveQueue
    /// Visitors still waiting at closing go home: their journeys fail with `counterClosed`.
    case sendHome
    /// Visitors still waiting at closing come back at the next opening, first in line; clerks finish the visitor
    /// at their desk but start nobody new after closing.
    case carryOver
}

/// Journeys per business day and the shares that pick routes and error paths.
public struct Workload: Sendable, Hashable {
    /// Persons per business day, per flow [E: Fujisawa's yearly figures / ≈ 243 business days]: published move
    /// counts are persons, and a household moving together files one notice, so the moves' visits are fewer
    /// (``counterRate(_:)`` divides by ``meanPersons(_:)``).
    public var perDay: [Flow: Double]
    /// Persons per notice for moves between municipalities (転入, 特例転入, one-stop, 転出, online move-outs): the
    /// shares of notices for 1, 2, 3, … persons [E: 80 % alone, mean ≈ 1.36, from the movers' ages in 移動報告 2019:
    /// children 0–14 are 9.8 % of movers and move with ≈ 1.9 adults; `docs/calibration-research.md` § 3].
    public var movePersons: [Double] = [0.80, 0.11, 0.04, 0.03, 0.02]
    /// Persons per notice for relocations inside the city (転居) [E: families move within a city more often than
    /// between cities: 65 % alone, mean ≈ 1.64; same source].
    public var relocationPersons: [Double] = [0.65, 0.18, 0.08, 0.06, 0.03]
    /// Of move-ins: the share with a My Number card using the special route (特例転入) [E: 0.75; the route applies
    /// to the whole household when one member holds a card, and municipalities apply it by default (総社市:
    /// "原則としてこの特例を適用します"); 80 % of residents hold a card (総務省, 2025)].
    public var specialMoveInShare: Double
    /// Of certificate requests: the share presenting a card for identity verification.
    public var cardPresentationShare: Double
    /// Of certificate requests: the share asking for the individual number on the certificate (本人からの特別な
    /// 請求) [E: needed only for 番号法 procedures such as pensions and some allowances; no published share].
    public var numberOnCertificateShare = 0.05
    /// Of certificate requests at a counter: the share for a 記載事項証明書 and for a 除票の写し [E: 0.08 and 0.03; no
    /// published split: most requests are copies, the others for named items (pensions, insurance) and for the
    /// estates of the dead], and the share asking for the resident code on the certificate [E: 0.02].
    public var entryCertificateShare = 0.08
    public var removedRecordCopyShare = 0.03
    public var codeOnCertificateShare = 0.02
    /// The share of certificate demand (住民票の写し) met at convenience stores' kiosks (コンビニ交付) [E: 0.3; no
    /// Fujisawa figure found; the counter rate `perDay.certificate` is taken as the demand at this share], and the
    /// share the counter rate was observed at. A larger share moves demand from the counters to the kiosks
    /// (`convenience-store-share.yaml`).
    public var convenienceStoreShare = 0.3
    public static let observedConvenienceStoreShare = 0.3
    /// Of visitors asking for a 広域交付 (another municipality's residents), the share showing the My Number card
    /// (checked against the Juki-net through the CS); the others show a driving licence or passport [E: 0.8, as
    /// card holding (総務省, 2025); no split published].
    public var wideAreaCardShare = 0.8
    /// 広域交付 requests other municipalities make for this municipality's residents (住基法第12条の4第3項, 別添1 ⑬),
    /// per business day, in office hours, through their CSs [E: 5, as many as this municipality issues for others;
    /// no count is published]. Scaled with the population like the counter rates.
    public var wideAreaRequestsPerDay: Double = 5
    /// Special move-in error paths, as probabilities per journey [E].
    public var cardNotBrought: Double
    public var pinFailure: Double
    public var cardExpired: Double
    public var cardSuspended: Double
    public var cardRevoked: Double
    public var certificateDataMissing: Double
    public var deadlinePassed: Double
    /// Share of ordinary move-ins from Kanagawa (the rest from other prefectures).
    public var kanagawaShare: Double
    /// Of ordinary move-ins: the share bringing neither a card nor a notification letter, whose individual
    /// number the clerk checks with J-LIS (III(1)2 リスク3) [E: 80 % hold a card; most others keep the letter].
    public var moverWithoutNumberDocumentShare = 0.1
    /// Persons moving out with an online notice (one-stop, 転出届 via Myna Portal) per day, around the clock [E].
    public var onlineMoveOutsPerDay: Double = 8
    /// Of one-stop filings (online move-outs and movers' 転入予約 alike): the share the resident withdraws (取消,
    /// 「取消もできます」, 唐津市) before the municipality processes it [E: 5 %, no rate published].
    public var oneStopCancellationShare = 0.05
    /// Of one-stop filings: the share attempted outside the online window (30 days before the planned move-out to
    /// 10 days after it), which is refused [E: 2 %, no figure].
    public var oneStopOutsideWindowShare = 0.02
    /// How many days earlier than it must (2–3 business days before the visit) a mover files the one-stop move-in
    /// reservation, at most: the filing comes uniformly within this spread [E: a week].
    public var oneStopLeadDays = 7.0
    /// Card applications (交付申請) to J-LIS per calendar day, online or by mail [E: in a steady state as many as
    /// the hand-overs, 150 a business day × 243 / 365 ≈ 100 a calendar day].
    public var cardApplicationsPerDay: Double = 100
    /// Of card applications, the share renewing a card or certificates that run out [E: 2026 is the first year
    /// the 10-year cards of 2016 expire; 80 % of residents already hold a card (総務省, 2025)].
    public var cardRenewalShare = 0.8
    /// Of relocations: the share reserved online beforehand (転居予約) [E].
    public var relocationReservationShare: Double = 0.1
    /// Multipliers of the moving rates by month (January first) [E, from 移動報告: March 16.8 % and April 12.7 % of
    /// a year's moves against 8.3 % in an average month]; 1 everywhere by default. They scale the moves only
    /// (``seasonalFlows`` and online move-outs) and the part of certificate requests moves bring
    /// (``certificateMoveShare``): births, deaths, searches, queries and card events follow their own profiles.
    public var seasonal: [Double] = Array(repeating: 1, count: 12)
    /// Of certificate requests on an average day, the share a move brings (住民票の写し for a new address: car,
    /// bank, school, employer) [E: about one request per mover on top of the walk-in base; 1,200 a day against
    /// ≈ 225 movers a day gives ≈ 0.2].
    public var certificateMoveShare = 0.2
    /// Identity searches: the share by basic facts, and the share of those with too few facts [E].
    public var basicFactsSearchShare: Double = 0.4
    public var insufficientFactsShare: Double = 0.05
    /// Of each flow's visits, the share going to the main counter (本庁, the first counter) whatever the resident's
    /// district; the rest go to their district's counter [E: Fujisawa publishes no split; newcomers and card
    /// matters (e-certificate renewal is at 本庁 only: "各市民センターでは受付していません", city page 2024) go to the
    /// city hall more often, certificates least (kiosks and convenience stores serve many); the levels keep the clerks'
    /// utilisation roughly even between 本庁 and the branches on a typical day, as a city staffs its counters for it].
    public var mainCounterShare: [Flow: Double] = [
        .certificate: 0.08, .relocation: 0.12, .birth: 0.12, .death: 0.12, .moveOut: 0.12, .moveIn: 0.25,
        .specialMoveIn: 0.25, .oneStopMove: 0.25, .identitySearch: 0.12, .jlisQuery: 0.12, .cardLinkage: 0.2,
        .cardIssuance: 0.5, .moveInFromAbroad: 0.25, .certificateRenewal: 1,
    ]
    /// Of the other identity searches in the municipality: the share by individual number (number-use work only)
    /// [E: most searches start from a card's or a form's resident code; number searches serve number-use desks].
    public var numberSearchShare: Double = 0.1
    /// Of queries to J-LIS (機構への照会): the share by basic facts (4情報: a form without the number, 別添1 2.5-①
    /// "個人番号又は4情報をキーワードとした") and the share by resident code (I 2 システム3 ②5 lists it among the
    /// query's keys); the rest go by individual number [E].
    public var basicFactsQueryShare: Double = 0.3
    public var codeQueryShare: Double = 0.1
    /// On a Saturday opening, the visits to the Saturday counter as a share of a weekday's visits to the whole city,
    /// for the flows it takes (``saturdayFlows``) [E: the city calls Saturdays very busy ("土曜日…窓口が大変込み合い
    /// ます"); about a third of a weekday's visits at one counter keeps 本庁 busy].
    public var saturdayShare = 0.35
    /// The first business day after a weekend or holiday: its rates times this [E: the city names it the busiest
    /// ("休日明けの開庁日…窓口が大変込み合います"); no counts].
    public var afterHolidayFactor = 1.2
    /// The flows a Saturday counter takes: those that need no other municipality or J-LIS on the day, since the
    /// Juki-net's common service hours are weekdays 09:00–17:00 (総務省, via `docs/calibration-research.md` § 9)
    /// [E: special and one-stop move-ins, searches, queries, number changes and move-ins from abroad wait for a
    /// weekday].
    public static let saturdayFlows: Set<Flow> = [
        .certificate, .relocation, .birth, .death, .moveOut, .moveIn, .cardLinkage, .cardIssuance, .residentCodeChange,
    ]
    /// The arrival intensity over the office day (``officeDayProfile`` by default): a configuration value so a
    /// sensitivity run can make the day's peaks sharper or flatter.
    public var dayProfile = Workload.officeDayProfile

    /// Of movers (move-outs and move-ins from elsewhere), the share using the one-stop service (引越しワンストップ
    /// サービス): 13 / 83 ≈ 16 % by default.
    public var oneStopShare: Double {
        let moveIns = (perDay[.moveIn] ?? 0) + (perDay[.oneStopMove] ?? 0)
        return moveIns > 0 ? (perDay[.oneStopMove] ?? 0) / moveIns : 0
    }

    /// The population the default rates are for: Fujisawa's 445,283 residents. A scenario with another
    /// population gets the same rates per resident (``scaled(toResidents:)``).
    public static let baseResidents = 445_283

    /// The rates for `residents` residents at the same rates per resident: every flow's journeys per day and the
    /// online move-outs scale with the population.
    public func scaled(toResidents residents: Int) -> Workload {
        let factor = Double(residents) / Double(Self.baseResidents)
        var w = self
        w.perDay = perDay.mapValues { $0 * factor }
        w.onlineMoveOutsPerDay = onlineMoveOutsPerDay * factor
        w.cardApplicationsPerDay = cardApplicationsPerDay * factor
        w.wideAreaRequestsPerDay = wideAreaRequestsPerDay * factor
        return w
    }

    /// The flows the moving season raises: moves between and within municipalities (relocations follow the
    /// same calendar of leases and school years [E]).
    public static let seasonalFlows: Set<Flow> = [
        .moveOut, .moveIn, .specialMoveIn, .oneStopMove, .relocation, .moveInFromAbroad,
    ]

    /// The seasonal multiplier of `flow` in `month` (1–12): the month's factor for moves, its move-driven part for
    /// certificates, 1 for everything else.
    public func seasonalFactor(_ flow: Flow, month: Int) -> Double {
        let factor = seasonal.indices.contains(month - 1) ? seasonal[month - 1] : 1
        if Self.seasonalFlows.contains(flow) { return factor }
        if flow == .certificate { return 1 + certificateMoveShare * (factor - 1) }
        return 1
    }

    /// The shares of notices for 1, 2, 3, … persons of `flow`: one person for every flow but moves and relocations.
    public func personsPerNotice(_ flow: Flow) -> [Double] {
        switch flow {
        case .moveIn, .specialMoveIn, .oneStopMove, .moveOut, .moveInFromAbroad, .oneStopMoveOut: movePersons
        case .relocation: relocationPersons
        case .certificate, .birth, .death, .identitySearch, .jlisQuery, .cardLinkage, .cardIssuance,
            .certificateRenewal, .convenienceStore, .wideAreaCertificate,
            .bulkNumberAssignment, .consistencyCheck, .deliveryRecords, .exOfficio, .numberChange, .residentCodeChange:
            [1]
        }
    }

    /// The mean persons per notice of `flow` (1 when its shares are empty or zero).
    public func meanPersons(_ flow: Flow) -> Double {
        let shares = personsPerNotice(flow)
        let total = shares.reduce(0, +)
        guard total > 0 else { return 1 }
        return shares.enumerated().reduce(0) { $0 + Double($1.offset + 1) * $1.element } / total
    }

    /// Draws a notice's persons for `flow` from its shares (1 for flows of one person).
    public func drawPersons(_ flow: Flow, _ random: inout RandomStream) -> UInt8 {
        let shares = personsPerNotice(flow)
        guard shares.count > 1 else { return 1 }
        var u = random.nextUnit() * shares.reduce(0, +)
        for (i, share) in shares.enumerated() {
            u -= share
            if u < 0 { return UInt8(clamping: i + 1) }
        }
        return UInt8(clamping: shares.count)
    }

    /// Online move-out notices per day: the persons filing online over the persons per notice.
    public var onlineMoveOutNoticesPerDay: Double { onlineMoveOutsPerDay / meanPersons(.moveOut) }

    /// Counter flows whose rate is derived from another's (special move-ins are a share of move-ins).
    public static let derivedRates: Set<Flow> = [.specialMoveIn]

    /// Visits (notices) per business day of a counter flow: its persons over the persons per notice, after
    /// splitting move-ins into ordinary and special.
    public func counterRate(_ flow: Flow) -> Double {
        guard flow.descriptor.atCounter else { return 0 }
        let moveIns = perDay[.moveIn] ?? 0
        let persons: Double
        switch flow {
        case .moveIn: persons = moveIns * (1 - specialMoveInShare)
        case .specialMoveIn: persons = moveIns * specialMoveInShare
        // Counter certificates are the demand the kiosks leave (the observed rate at the observed kiosk share).
        case .certificate: persons = (perDay[flow] ?? 0) * (1 - convenienceStoreShare) / (1 - Self.observedKioskShare)
        default: persons = perDay[flow] ?? 0
        }
        return persons / meanPersons(flow)
    }

    /// The observed kiosk share, kept below 1 so the demand is defined.
    static var observedKioskShare: Double { min(observedConvenienceStoreShare, 0.99) }

    /// Kiosk certificates per calendar day: the kiosks' share of the certificate demand of a business day, spread
    /// over the week (243 business days a year over 365 days).
    public var kioskPerDay: Double {
        (perDay[.certificate] ?? 0) * convenienceStoreShare / (1 - Self.observedKioskShare) * 243 / 365
    }

    /// Moves a share of movers to the one-stop service: they file the move-out online through Myna Portal
    /// instead of at the counter, and come to the counter with a reservation (shorter desk time, served before
    /// walk-ins) when they move in. Totals are kept: counter move-outs plus online filings, and ordinary plus
    /// special plus one-stop move-ins, are the same before and after.
    public mutating func setOneStopShare(_ share: Double) {
        let s = min(max(share, 0), 1)
        let moveOuts = (perDay[.moveOut] ?? 0) + onlineMoveOutsPerDay
        let moveIns = (perDay[.moveIn] ?? 0) + (perDay[.oneStopMove] ?? 0)
        perDay[.moveOut] = moveOuts * (1 - s)
        onlineMoveOutsPerDay = moveOuts * s
        perDay[.moveIn] = moveIns * (1 - s)
        perDay[.oneStopMove] = moveIns * s
    }

    public static let typicalWeekday = Workload(
        perDay: Dictionary(
            uniqueKeysWithValues: Flow.counterFlows.compactMap { f in
                f.descriptor.perDay > 0 ? (f, f.descriptor.perDay) : nil
            }),
        specialMoveInShare: 0.75, cardPresentationShare: 0.3, cardNotBrought: 0.02, pinFailure: 0.03,
        cardExpired: 0.02, cardSuspended: 0.005, cardRevoked: 0.005, certificateDataMissing: 0.02,
        deadlinePassed: 0.03, kanagawaShare: 0.55)

    /// The relative arrival intensity over the office day, by half hour from 08:30 to 17:00: the busiest from 10:30
    /// to 14:00, as the city says ("午前10時半から午後2時の時間帯は窓口が大変込み合います", 藤沢市「電子証明書の更新」,
    /// 2024); the levels are [E].
    public static let officeDayProfile: [Double] = [
        0.7, 0.9, 1.0, 1.1, 1.3, 1.4, 1.4, 1.3, 1.3, 1.4, 1.3, 1.0, 0.9, 0.8, 0.8, 0.6, 0.4,
    ]
}

/// Desk time per flow at a counter, and server workers and service times.
public struct ServiceModel: Sendable, Hashable {
    public var desk: [Flow: ServiceTime]
    public var registerWorkers = 8
    public var csWorkers = 4
    public var prefectureWorkers = 4
    public var nationalWorkers = 16
    public var cardSystemWorkers = 8
    public var otherMunicipalityWorkers = 2
    /// Per request, at each server [E].
    public var registerOperation = ServiceTime.milliseconds(15, plus: 15)
    public var csOperation = ServiceTime.milliseconds(5, plus: 5)
    public var prefectureOperation = ServiceTime.milliseconds(3, plus: 3)
    public var nationalOperation = ServiceTime.milliseconds(3, plus: 4)
    public var cardSystemOperation = ServiceTime.milliseconds(10, plus: 10)
    /// The desk time each further person on a notice adds (a household moving together files one notice) [E,
    /// `docs/calibration-research.md` § 1b: a family's move takes 45–60 min against 15–45 for one person (a private
    /// guide); 転出 +2, 転入 and 特例転入 +5 (a PIN per card to continue), one-stop +3, 転居 +3 min].
    public var perExtraPerson: [Flow: ServiceTime] = [
        .moveOut: .minutes(1, plus: 1), .moveIn: .minutes(3, plus: 2), .specialMoveIn: .minutes(3, plus: 2),
        .oneStopMove: .minutes(2, plus: 1), .relocation: .minutes(2, plus: 1), .moveInFromAbroad: .minutes(3, plus: 2),
    ]
    /// Of card holders whose card face is updated after a change of address, the share who have a new signature
    /// certificate issued at the desk (the old one lapses with the change of the basic facts) [E: it is needed
    /// only for e-Tax and other signed filings; no published share].
    public var newSignatureShare = 0.5
    /// The clerk's time for the filer's card at a relocation or special move-in: the new address written on the
    /// card and the PIN entered (券面記載事項変更) [E: `docs/calibration-research.md` § 1b, 電子証明書更新 / 券面記載事項変更
    /// 5 + 5 min, no figure; 3 + 2 here since the holder is already at the desk].
    public var cardFaceChange = ServiceTime.minutes(3, plus: 2)
    /// The clerk's extra desk time for a certificate other than a 住民票の写し [E: 記載事項証明書 +2 min (the items the
    /// requester names, checked against the form they bring); 除票の写し +3 min (the removed record found and the
    /// requester's interest checked, 住基法第15条の4)].
    public var certificateKindExtra: [CertificateKind: ServiceTime] = [
        .entryCertificate: .minutes(1, plus: 1), .removedRecordCopy: .minutes(2, plus: 1),
    ]
    /// Extra time per item of a batch (bulk updates, number candidates, delivery records), µs.
    public var perBatchItem: Int64 = 20
    /// The unified addressee system's work per record it takes from the register system (付番, ひも付け, the basic
    /// facts updated), µs [E: 2 ms, one keyed update in a server's database; nothing is published].
    public var addresseeRecord: Int64 = 2_000
    /// A department's work per record transferred to it (庁内連携: the record taken into its own system), µs [E: 1 ms,
    /// one keyed update; nothing is published].
    public var departmentRecord: Int64 = 1_000
    /// The second-person check of every entry (入力内容の再確認, III(1)2 リスク1/3): a second clerk reads the notice
    /// against what was entered [E: 2 min + 2 min mean; no time study gives it: one form read again against one
    /// screen]. Off (`secondCheckOn` false) only to see what it costs.
    public var secondCheck = ServiceTime.minutes(2, plus: 2)
    public var secondCheckOn = true
    /// Card continuation (継続利用) must happen within this long of a move-in notice, or the card lapses.
    public var continuationWindow: Int64 = 90 * 86_400_000_000
    /// A deliberately slowed handler, for the load mode's tests and demonstrations: every `slowEvery`-th request
    /// to the register system busy-waits `slowFor` µs of real time (0: never).
    public var slowEvery = 0
    public var slowFor: Int64 = 0
    /// Keep every span besides the per-hop histograms (the load mode does not: it would keep millions).
    public var recordSpans = true
    /// The share of journeys whose spans are kept (the scenario's `traceSample`, the share the trace export
    /// writes), picked by a hash of `spanSeed` and the journey id; 1 keeps every span (the default, for tests).
    public var spanSample = 1.0
    public var spanSeed: UInt64 = 0
    /// Whether counters log every visitor's arrival and wait (``CounterWaitLog``, read by the staffing planner).
    public var keepWaitLogs = true
    /// Shares of counter requests from operators without the rights they need.
    public var security = SecurityConfiguration()
    /// A contractor's desk time against a city employee's for the same work [E: 1, the same trained step; no time
    /// study compares them].
    public var contractorDeskFactor = 1.0
    /// How visitors behave in the queue (reneging, balking; off by default).
    public var visitors = VisitorBehaviour()
    /// The end of a multi-day run's warm-up (µs): counter journeys and waits of visitors who arrived before it are
    /// counted but left out of the latency and wait distributions (`replications.warmUp`).
    public var measureFrom = Int64.min
    /// The counter support system (窓口業務支援システム): on, what it saves and how long its work takes.
    public var counterSupport = CounterSupportService.standard

    /// The model with the clerks' desk work (desk times, further persons, card faces, certificate kinds, the second
    /// check) multiplied by `factor`, the systems' times unchanged: a training desk's.
    public func deskWork(scaledBy factor: Double) -> ServiceModel {
        guard factor != 1 else { return self }
        let f = max(factor, 0)
        var m = self
        m.desk = desk.mapValues { $0.scaled(by: f) }
        m.perExtraPerson = perExtraPerson.mapValues { $0.scaled(by: f) }
        m.cardFaceChange = cardFaceChange.scaled(by: f)
        m.certificateKindExtra = certificateKindExtra.mapValues { $0.scaled(by: f) }
        m.secondCheck = secondCheck.scaled(by: f)
        return m
    }

    /// Every desk, server and batch time multiplied by `factor` (0 skips them), as the load mode asks.
    public mutating func scale(by factor: Double) {
        let f = max(factor, 0)
        desk = desk.mapValues { $0.scaled(by: f) }
        perExtraPerson = perExtraPerson.mapValues { $0.scaled(by: f) }
        cardFaceChange = cardFaceChange.scaled(by: f)
        certificateKindExtra = certificateKindExtra.mapValues { $0.scaled(by: f) }
        secondCheck = secondCheck.scaled(by: f)
        registerOperation = registerOperation.scaled(by: f)
        csOperation = csOperation.scaled(by: f)
        prefectureOperation = prefectureOperation.scaled(by: f)
        nationalOperation = nationalOperation.scaled(by: f)
        cardSystemOperation = cardSystemOperation.scaled(by: f)
        perBatchItem = SimulatedDuration.saturating(Double(perBatchItem) * f)
        addresseeRecord = SimulatedDuration.saturating(Double(addresseeRecord) * f)
        departmentRecord = SimulatedDuration.saturating(Double(departmentRecord) * f)
        counterSupport.scale(by: f)
    }

    public static let standard = ServiceModel(
        desk: Dictionary(uniqueKeysWithValues: Flow.counterFlows.compactMap { f in f.descriptor.desk.map { (f, $0) } }))
}

/// Everything a network run needs.
public struct NetworkConfiguration: Sendable {
    public var seed: UInt64 = 1
    /// The simulated business day (JST).
    public var date = CivilDate(year: 2026, month: 3, day: 2)
    public var municipality = PopulationOptions()
    public var counters = CounterConfiguration.fujisawa
    public var workload = Workload.typicalWeekday
    public var service = ServiceModel.standard
    public var links = LinkTable.standard
    /// Other municipalities modelled as the other ends of moves, with their (light) populations.
    public var otherMunicipalities: [MunicipalityCode] = NetworkConfiguration.defaultOthers
    public var otherResidents = 2_000
    /// The nationwide network: when set, the other municipalities are every municipality of its prefectures, each at
    /// its own population times its scale, with counters, its residents' own moves between them and code blocks by
    /// size (``NationScope``); `otherMunicipalities` and `otherResidents` are then unused.
    public var nation: NationScope?
    /// The departments the register's information is transferred to (庁内連携, 別添5), and their look-ups.
    public var departments = DepartmentSpec.fujisawa
    /// How foreign residents' periods of stay end (the Immigration Services Agency's notices).
    public var immigration = ImmigrationConfiguration()
    /// The 戸籍 side: whose 本籍 is here, births and deaths filed elsewhere, 附票 mismatches.
    public var familyRegister = FamilyRegisterConfiguration()
    /// How long removed records (除票) are kept before the register system's nightly job expunges them: 150 years.
    public var removedRecordRetention = ResidentRegister.removedRecordRetention
    /// When that job runs (µs after midnight), or nil.
    public var removedRecordJobAt: Int64? = 23 * 3_600_000_000 + 30 * 60_000_000
    /// The register system's ex-officio work (職権記載・消除) each business day.
    public var exOfficio = ExOfficioSchedule()
    /// How long the CS keeps provision records (提供記録) before its nightly job expires them: 7 years.
    public var provisionRetention: Int64 = 7 * 36_525 * 864_000_000
    /// Other bodies' requests for residents' information through the information-sharing network, and the
    /// intermediate server's work (I 6).
    public var informationSharing = InformationSharingConfiguration.standard
    /// The certificate system's fees, printing times and the kiosks' hours.
    public var certificates = CertificateService.standard
    /// The load mode drives arrivals from outside: residents then start no journeys of their own.
    public var drivenArrivals = false
    /// Room reserved for this many extra residents in the home register and the identity files, beyond an
    /// eighth of the population, so a long load run never pauses to grow a table.
    public var growthHeadroom = 0
    /// The load mode's engine quantum, µs: every hop between nodes takes at least this long in simulated time,
    /// which sets the window length (larger windows batch more work per actor call).
    public var loadQuantum: Int64 = 10
    /// Windows with fewer active nodes than this run on one thread (the engine's fan-out threshold). 16, as in
    /// the load mode: a window of a few nodes holds microseconds of work, less than waking a second thread costs
    /// (measured on a simulated Fujisawa year: 13.9 s of simulation with 2, 10.6 s with 16 or with no fan-out;
    /// the March peak day 0.40 → 0.31 s). The result is the same with any threshold.
    public var fanOutThreshold = 16

    /// Prepares the wall-clock load mode: arrivals come from the driver, modelled delays are scaled by
    /// `delayScale` (0 skips them), and the nightly batches and other municipalities' own events are off (a run
    /// lasts seconds of real time).
    public mutating func applyLoadMode(delayScale: Double, expectedJourneys: Double = 0) {
        drivenArrivals = true
        service.recordSpans = false
        // Births and move-ins add residents: at most about a tenth of a typical mix.
        growthHeadroom = Int(min(expectedJourneys * 0.1, 50_000_000))
        links = links.scaled(by: delayScale)
        service.scale(by: delayScale)
        certificates.scale(by: delayScale)
        familyRegister.entryTime = SimulatedDuration.saturating(Double(familyRegister.entryTime) * delayScale)
        consistencyCheck = .off
        deliveryBatchAt = nil
        bulkAssignmentAt = nil
        removedRecordJobAt = nil
        exOfficio.at = nil
        informationSharing.requestsOn = false
        otherMunicipalityEvents = false
        // The load mode measures the system: staffing changes, breaks and impatient visitors are the staffing's
        // questions, asked in virtual time.
        lunchBreaks = nil
        service.visitors = VisitorBehaviour()
        for i in counters.indices { counters[i].staffing = StaffSchedule() }
        // With human delays skipped a clerk holds a journey only while its hops are in flight: clerks stop
        // being the bottleneck, so the run measures the system rather than the staffing.
        if delayScale == 0 {
            for i in counters.indices { counters[i].clerks = max(counters[i].clerks, 10_000) }
        }
    }
    /// Days to generate arrivals for (a run longer than a day plays each business day in turn).
    public var days = 1
    /// Staggered lunch breaks at every counter (nil: none, the clerks' counts are the ones at the desks).
    public var lunchBreaks: LunchBreaks?
    /// What counters do with the queue at closing time [E: counters serve everyone who arrived before closing].
    public var closingPolicy = ClosingPolicy.serveQueue
    /// Whether the other municipalities' residents have births, deaths and relocations of their own.
    public var otherMunicipalityEvents = true
    /// When to run bulk number assignment (µs after midnight), if at all.
    public var bulkAssignmentAt: Int64?
    /// When the CS runs the consistency check (整合性確認): once a year and on demand, not nightly.
    public var consistencyCheck = ConsistencyCheckSchedule()
    /// When the CS runs the delivery-record batch (µs after midnight, every night), if at all.
    public var deliveryBatchAt: Int64? = 23 * 3_600_000_000
    /// Resident codes per number-candidate batch.
    public var bulkBatchSize = 10_000
    /// Faults to inject (outages, partitions, latency spikes, loss, slowdowns), absolute simulated times.
    public var faults: [Fault] = []
    /// Mutual authentication between Juki-net nodes, revoked and misconfigured nodes.
    public var mutualAuthentication = AuthenticationConfiguration()
    /// Whether outboxes keep and resend identity updates they could not deliver (see ``FaultPlan/storeAndForward``).
    public var storeAndForward = true

    public init() {}

    /// Kanagawa's other 32 municipalities and, for every other prefecture, its first city by code (usually the capital).
    public static let defaultOthers: [MunicipalityCode] = {
        let all = MunicipalityDirectory.all
        var result = all.filter { $0.prefectureCode == 14 && $0.code != .fujisawa }.map(\.code)
        for pref in 1...47 where pref != 14 {
            if let first = all.first(where: { $0.prefectureCode == pref && $0.kind == "city" }) {
                result.append(first.code)
            }
        }
        return result
    }()
}

/// Which part of the nation a nationwide network models, and at what size.
public struct NationScope: Sendable, Hashable {
    /// Prefecture codes (1–47) whose municipalities are modelled; empty for all 47.
    public var prefectures: Set<Int> = []
    /// Each municipality's residents as a share of its 2026-01-01 population (above 0, at most 1).
    public var scale = 1.0
    /// Fujisawa's counters' clerks on a typical day (本庁 and the 12 branches), the basis of the staffing rule:
    /// every other municipality gets `clerks × its residents / 445,283` clerks at one counter, at least one
    /// [E: the same residents per clerk as Fujisawa; larger cities have more branches, which one pooled counter
    /// serves a little better than separate ones].
    public static let fujisawaClerks = CounterConfiguration.fujisawa.reduce(0) { $0 + $1.clerks }

    public init(prefectures: Set<Int> = [], scale: Double = 1) {
        self.prefectures = prefectures
        self.scale = scale
    }

    /// The clerks of a municipality of `residents` modelled residents.
    public static func clerks(residents: Int) -> Int {
        max(1, Int((Double(fujisawaClerks) * Double(residents) / Double(Workload.baseResidents)).rounded()))
    }
}

/// When the consistency check (整合性確認) runs: "必要に応じて随時(1年に1回程度)" (II(2)5 提供先2 ⑦), so a yearly
/// date and on-demand dates, each at a time of day.
public struct ConsistencyCheckSchedule: Sendable, Hashable {
    /// The yearly run's month and day, or nil for none [E: 1 November: outside the moving season of March and
    /// April, so the year's largest batch does not meet the counters' peak].
    public var yearly: (month: Int, day: Int)? = (11, 1)
    /// Extra runs on these dates (必要に応じて随時), at ``at``.
    public var onDemand: [CivilDate] = []
    /// The time of day of every run, µs after midnight [E: 20:00, after the counters close].
    public var at: Int64 = 20 * 3_600_000_000

    public init() {}

    /// No run at all.
    public static var off: ConsistencyCheckSchedule {
        var s = ConsistencyCheckSchedule()
        s.yearly = nil
        return s
    }

    /// The simulated times (µs) of the runs within `days` days from `date`, in order, each once.
    public func times(from date: CivilDate, days: Int) -> [Int64] {
        var result: [Int64] = []
        for d in 0..<max(days, 1) {
            let day = date.adding(days: d)
            let c = day.components
            let isYearly = yearly.map { $0.month == c.month && $0.day == c.day } ?? false
            if isYearly || onDemand.contains(day) {
                result.append(SimulatedTime(date: day).microseconds + at)
            }
        }
        return result
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.yearly?.month == b.yearly?.month && a.yearly?.day == b.yearly?.day && a.onDemand == b.onDemand
            && a.at == b.at
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(yearly?.month)
        hasher.combine(yearly?.day)
        hasher.combine(onDemand)
        hasher.combine(at)
    }
}
