import JukiAudit
import JukiCore
import JukiRegister
import JukiSimulation

/// One counter's day.
public struct CounterReport: Sendable, Hashable {
    public var name: String
    public var clerks: Int
    public var served: Int
    public var meanWaitSeconds: Double
    public var maxWaitSeconds: Double
    public var maxQueue: Int
    /// Clerk time serving inside office hours over clerk time in office hours: 0 to 1.
    public var utilization: Double
    /// Clerk time serving after closing (overtime), in seconds; visitors whose service started after closing;
    /// visitors sent home at closing (`sendHome`).
    public var overtimeSeconds: Double
    public var servedAfterHours: Int
    public var sentHome: Int
    /// Second-person checks of entries (入力内容の再確認) and the clerk time they took, seconds.
    public var secondChecks: Int
    public var secondCheckSeconds: Double
    /// Of the clerks, the contractor's staff (委託); the visitors they served and their serving time, seconds.
    public var contractors = 0
    public var servedByContractors = 0
    public var contractorSeconds = 0.0
    public var inProgress: Int
    /// Every wait at this counter, µs.
    public var waits: LatencyHistogram
    /// Queue length per 15 minutes (time-weighted mean and peak), and waits by arrival time.
    public var queueLength: LevelTimeline
    public var waitsByArrival: BinnedDurations
    /// Clerk-seconds at the desks inside office hours (the utilisation's denominator), and whether a staffing
    /// schedule or lunch breaks set them.
    public var clerkSeconds = 0.0
    public var staffed = false
    /// Visitors who left the queue or did not join it.
    public var visitors = Visitors()
    /// Every visitor's arrival and wait.
    public var waitLog = CounterWaitLog()

    /// Visitors who left the queue when their patience ran out (abandoned), who did not join it (balked), and of
    /// those the ones who went to the main counter or come back another day.
    public struct Visitors: Sendable, Hashable {
        public var abandoned = 0
        public var balked = 0
        public var balkedElsewhere = 0
        public var balkedLater = 0

        public init(abandoned: Int = 0, balked: Int = 0, balkedElsewhere: Int = 0, balkedLater: Int = 0) {
            self.abandoned = abandoned
            self.balked = balked
            self.balkedElsewhere = balkedElsewhere
            self.balkedLater = balkedLater
        }

        public var any: Bool { abandoned + balked > 0 }
    }
}

/// A node's handled events.
public struct NodeReport: Sendable, Hashable {
    public var name: String
    public var handled: UInt64
    /// Worker busy time over worker time for nodes that serve requests with workers (counters: clerks); nil for
    /// nodes that only route or generate.
    public var utilization: Double?
    /// Messages the node had no handler for, by message kind (must be empty).
    public var unhandled: [MessageKind: Int] = [:]
}

/// The end-of-run invariants.
public struct InvariantReport: Sendable, Hashable {
    /// Resident codes / individual numbers active in more than one record anywhere in the nation.
    public var duplicateResidentCodes: Int
    public var duplicateIndividualNumbers: Int
    /// Register changes not yet handed to the CS (the CS connector's backlog).
    public var unforwardedChanges: Int
    /// Identity records whose CS, prefecture and national copies disagree, and why (in transit at the end, or
    /// lost).
    public var pendingUpdates: Int
    public var pendingReasons: [String: Int]
    public var lostUpdates: Int
    /// Journeys: arrivals = completed + failed + in progress.
    public var arrivals: Int
    public var completed: Int
    public var failed: Int
    public var inProgress: Int
    /// Messages a node had no handler for (a request among them was refused with `unhandledRequest`): a model
    /// error, 0 in every shipped scenario. By node, in ``NetworkReport/nodes``.
    public var unhandledMessages = 0
    /// 1 when the unified addressee system holds other persons than the register does with no record in flight
    /// (``AddresseeReport/agreesWithRegister`` false), else 0.
    public var addresseeMismatches = 0
    /// 1 when the intermediate server's copy (副本) differs from the register with nothing in flight, else 0.
    public var copyMismatches = 0
    /// Requests the intermediate server decided without a record of provision (情報提供等記録), and provisions for a
    /// row outside the permission list: both must be 0.
    public var unrecordedProvisions = 0
    public var provisionsOffList = 0
    /// Transfers a department received without a transfer record, and numbers that reached a department outside
    /// number-use work (庁内連携): both must be 0.
    public var unrecordedTransfers = 0
    public var numbersOutsideNumberUse = 0

    public var journeysBalance: Bool { arrivals == completed + failed + inProgress }

    /// Whether every invariant holds.
    public var holds: Bool {
        duplicateResidentCodes == 0 && duplicateIndividualNumbers == 0 && lostUpdates == 0 && journeysBalance
            && unhandledMessages == 0 && addresseeMismatches == 0 && copyMismatches == 0 && unrecordedProvisions == 0
            && provisionsOffList == 0 && unrecordedTransfers == 0 && numbersOutsideNumberUse == 0
    }
}

/// What the unified addressee system (団体内統合宛名システム) did, and whether it agrees with the register.
public struct AddresseeReport: Sendable, Hashable {
    public var system: UnifiedAddresseeSystem.Report
    /// Records the register system sent, and those not yet taken at the end (in flight on the LAN).
    public var recordsSent: Int
    public var pendingRecords: Int
    /// Whether it holds the register's persons with their numbers and facts; nil while records are in flight.
    public var agreesWithRegister: Bool?
}

/// What information sharing did: the network's requests and the intermediate server's answers, its copy and
/// records.
public struct SharingReport: Sendable, Hashable {
    public var server: IntermediateServer.Report
    public var network: InformationSharingNetwork.Report
    /// Records on their way from the register to the copy at the end.
    public var pendingCopies: Int
    /// Whether the copy (副本) holds what the register holds; nil while records are in flight.
    public var copyAgreesWithRegister: Bool?

    /// Requests the server decided whose record of provision is missing from its trail (kept plus expired).
    public var unrecordedProvisions: Int {
        max(0, server.outcomes.reduce(0, +) - (server.recordsKept + server.recordsExpired))
    }
}

/// What injected faults did, and how store-and-forward coped.
public struct FaultReport: Sendable, Hashable {
    /// Faults in the plan, and by kind.
    public var injected: Int
    public var byKind: [String: Int]
    /// Sends that met an active fault.
    public var affectedMessages: Int
    /// Messages sent again: transport retransmissions (lost or held messages) and outbox retries.
    public var retransmissions: Int
    public var outboxRetries: Int
    /// Requests a clerk sent again after a node was unreachable, and requests refused at once as unreachable.
    public var counterRetries: Int
    public var unavailable: Int
    /// Identity-update batches that arrived twice and were applied once.
    public var duplicatesIgnored: Int
    /// The most identity updates waiting in one outbox at once, and the longest drain after a fault ended.
    public var maxBacklog: Int
    public var timeToDrain: Int64
    /// Outbox batches still unacknowledged at the end, and updates dropped with store-and-forward off.
    public var waiting: Int
    public var dropped: Int
    /// Per outbox (sender → receiver).
    public var outboxes: [String: OutboxStatistics]

    /// Everything a scenario's `faults` metrics read: retransmissions and outbox retries together.
    public var retried: Int { retransmissions + outboxRetries }
}

/// Identity searches (本人確認情報検索, 別添1 2.4) and queries to J-LIS (機構への照会, 2.5), by where they were decided,
/// by what they looked for and how they ended.
public struct SearchReport: Sendable, Hashable {
    /// Searches the home CS answered from its own file, and searches at any scope it refused before relaying.
    public var municipalCS: SearchCounts
    /// Searches the prefecture servers answered (people of Kanagawa's other municipalities).
    public var prefectureServers: SearchCounts
    /// Searches the national server answered (people of other prefectures).
    public var nationalServer: SearchCounts
    /// Queries to J-LIS: answered by the national server, or refused at the CS.
    public var queries: SearchCounts
}

/// What a network run did.
public struct NetworkReport: Sendable {
    public var start: SimulatedTime
    public var end: SimulatedTime
    public var journeys: [Flow: JourneyStats]
    /// The spans of the journeys the run samples for traces (every journey's with the default configuration).
    public var spans: [Span]
    /// Durations of every (flow, hop), merged from the nodes' histograms.
    public var hops: HopLatencies
    /// Counter arrivals and completions by hour of the day, from every journey.
    public var hourly: HourlyCounts
    public var counters: [CounterReport]
    public var nodes: [NodeReport]
    public var bulk: BulkAssignmentReport?
    public var lettersQueued: Int
    /// The card management system's figures (the card lifecycle), and the certificate serials the register linked.
    public var cards: CardManagementSystem.Report
    /// One-stop moves (引越しワンストップ): filings in both directions, refusals, withdrawals, and how movers'
    /// reservations found their data.
    public var oneStop = OneStopFigures()
    /// The nationwide network's municipalities, when it is one (``NetworkConfiguration/nation``).
    public var nation: NationReport?
    /// The unified addressee system's figures (nil in a layout without one).
    public var addressee: AddresseeReport?
    /// Information sharing through the network (nil in a layout without it).
    public var sharing: SharingReport?
    /// The certificate system: certificates by channel and kind, fees, refusals, the kiosks' journeys.
    public var certificates: CertificateSystem.Report?
    /// The counter support system: notices drafted, OCR, searches, and the desk time the counters saved (nil when
    /// the counters do not use it).
    public var counterSupport: CounterSupport.Report?
    /// 広域交付 both ways: the light municipalities' figures together, and the home register's notices.
    public var wideArea = WideAreaReport()
    /// Transfers to the departments (庁内連携) and their look-ups in the unified addressee system.
    public var departments = DepartmentsReport()
    /// Foreign residents: the Immigration Services Agency's notices and the register's reports (別添1 ⑤⑥).
    public var foreignResidents: ForeignResidentsReport?
    /// 外字 (別添2【2】【3】): residents whose name holds them, the CS's copies, certificates, letters with 代替文字.
    public var variantCharacters = VariantCharactersReport()
    /// The 戸籍 side (別添1 ⑦⑨⑩): the family-register system's figures and the register's.
    public var familyRegister: FamilyRegisterReport?
    public var certificateSerialsLinked: Int
    /// The register system's ex-officio work (職権記載・消除).
    public var exOfficio: ExOfficioReport
    /// Cards that expired during the run, and the expiry notices J-LIS mailed (the register system's nightly job).
    public var cardExpiry: CardExpiryReport
    public var cardContinuations: Int
    public var cardRevocations: Int
    public var consistency: ConsistencyReport?
    public var deliveryRecordsSent: Int
    public var deliveryRecordsDeleted: Int
    public var deliveryRecordsHeld: Int
    /// Movers recorded at their destination, and those still expected there (they move in within two weeks).
    public var movedInElsewhere: Int
    public var awaitedElsewhere: Int
    /// Movers to the home municipality who filed their move-out at their origin first, and the move-in notices
    /// (転入通知) the origins received back.
    public var moversFiledAtOrigin: Int
    public var moveInNoticesDelivered: Int
    /// Move-in notices (転入通知) the home CS received from destinations.
    public var moveInNoticesReceived: Int
    public var invariants: InvariantReport
    public var engine: EngineReport
    /// Digest of every node's handled events: equal digests mean identical runs.
    public var digest: UInt64
    /// The register system's and the CS's hash-chained audit trails.
    public var registerAudit: AuditTrail
    public var csAudit: AuditTrail
    /// Certificates issued with the individual number (the person asked for it) and without it (omitted, the
    /// default: III(1)2 リスク2).
    public var certificatesWithNumber: Int
    public var numberOmitted: Int
    /// Identity searches and queries to J-LIS by scope, kind and outcome.
    public var searches: SearchReport
    public var faults: FaultReport
    /// Whether the outboxes kept what they could not deliver.
    public var storeAndForward: Bool
    /// Mutual authentication over every Juki-net node: sessions, MACs, refusals.
    public var mutualAuthentication: AuthenticationStatistics
    public var authenticationEnabled: Bool
    /// Removed records (除票) the retention job expunged, and those still kept.
    public var removedRecordsExpunged: Int
    public var removedRecordsKept: Int
}

extension NetworkSimulation {
    /// The part of the run reports cover: from the day's start to the engine's last event.
    func reportPeriod() -> ReportPeriod {
        let businessDays = max(
            1,
            (0..<max(configuration.days, 1)).filter {
                BusinessCalendar.standard.isBusinessDay(configuration.date.adding(days: $0))
            }.count)
        let openSeconds =
            Double(BusinessCalendar.standard.closing - BusinessCalendar.standard.opening) / 1e6 * Double(businessDays)
        let runSeconds = Double(max(engine.report.end - dayStart.microseconds, 1)) / 1e6
        var period = ReportPeriod(end: engine.report.end, runSeconds: runSeconds, openSeconds: openSeconds)
        let saturdays = (0..<max(configuration.days, 1)).filter {
            BusinessCalendar.standard.isSaturdayOpening(configuration.date.adding(days: $0))
        }.count
        period.saturdayOpenSeconds =
            Double(BusinessCalendar.standard.closing - BusinessCalendar.standard.opening) / 1e6 * Double(saturdays)
        return period
    }

    /// The counters' own figures, without the rest of the network's report: what a staffing planner reads of a
    /// run.
    public func counterReports() async -> [CounterReport] {
        let period = reportPeriod()
        var reports: [CounterReport] = []
        for c in counters { reports.append(await c.counterReport(period)) }
        return reports
    }

    /// Every node's own report, one actor call per node.
    public func nodeReports() async -> PerNodeReports {
        let period = reportPeriod()
        var counterReports: [BranchCounter.Report] = []
        for c in counters { counterReports.append(await c.report(period)) }
        var prefectureReports: [PrefectureServer.Report] = []
        for p in prefectures { prefectureReports.append(await p.report(period)) }
        var otherReports: [OtherMunicipality.Report] = []
        for o in others { otherReports.append(await o.report(period)) }
        return PerNodeReports(
            period: period, residents: await residents.report(period), counters: counterReports,
            registerSystem: await registerSystem.report(period), municipalCS: await municipalCS.report(period),
            cardSystem: await cardSystem.report(period), nationalServer: await national.report(period),
            portal: await portal.report(period), applicationManager: await applicationManager.report(period),
            prefectures: prefectureReports, others: otherReports,
            unifiedAddressee: await unifiedAddressee?.report(period),
            intermediateServer: await intermediateServer?.report(period),
            sharingNetwork: await sharingNetwork?.report(period),
            certificateSystem: await certificateSystem.report(period),
            counterSupport: await counterSupport.report(period),
            departments: await {
                var r: [Department.Report] = []
                for d in departments { r.append(await d.report(period)) }
                return r
            }(),
            immigration: await immigration.report(period), familyRegister: await familyRegister.report(period))
    }

    /// One node's engine counters (handled events, digest, unhandled messages), its report name and utilisation.
    struct NodeCounters {
        var name: String
        var statistics: NodeStatistics
        /// Counters: clerks; servers: workers; nil for the nodes that only route or generate.
        var utilization: Double?
    }

    /// Every node's engine counters, in the order the digest combines them.
    func nodeCounters(_ reports: PerNodeReports) async -> [NodeCounters] {
        var result = [NodeCounters(name: "residents", statistics: await residents.statistics)]
        for (k, (c, r)) in zip(counters, reports.counters).enumerated() {
            result.append(
                NodeCounters(
                    name: "counter.\(counterNames[k])", statistics: await c.statistics,
                    utilization: r.counter.utilization))
        }
        result += [
            NodeCounters(
                name: "registerSystem", statistics: await registerSystem.statistics,
                utilization: reports.registerSystem.utilization),
            NodeCounters(
                name: "municipalCS", statistics: await municipalCS.statistics,
                utilization: reports.municipalCS.utilization),
            NodeCounters(
                name: "cardManagementSystem", statistics: await cardSystem.statistics,
                utilization: reports.cardSystem.utilization),
            NodeCounters(
                name: "nationalServer", statistics: await national.statistics,
                utilization: reports.nationalServer.utilization),
            NodeCounters(name: "mynaPortal", statistics: await portal.statistics),
            NodeCounters(name: "applicationManager", statistics: await applicationManager.statistics),
        ]
        for (i, (p, r)) in zip(prefectures, reports.prefectures).enumerated() {
            result.append(
                NodeCounters(
                    name: "prefectureServer.\(i + 1)", statistics: await p.statistics, utilization: r.utilization))
        }
        for (o, r) in zip(others, reports.others) {
            result.append(
                NodeCounters(
                    name: "municipality.\(r.municipality)", statistics: await o.statistics, utilization: r.utilization))
        }
        if let node = unifiedAddressee, let r = reports.unifiedAddressee {
            result.append(
                NodeCounters(
                    name: "unifiedAddresseeSystem", statistics: await node.statistics, utilization: r.utilization))
        }
        if let node = intermediateServer, let r = reports.intermediateServer {
            result.append(
                NodeCounters(
                    name: "intermediateServer", statistics: await node.statistics, utilization: r.utilization))
        }
        if let node = sharingNetwork {
            result.append(
                NodeCounters(name: "informationSharingNetwork", statistics: await node.statistics, utilization: 0))
        }
        result.append(
            NodeCounters(
                name: "certificateSystem", statistics: await certificateSystem.statistics,
                utilization: reports.certificateSystem.utilization))
        result.append(
            NodeCounters(
                name: "counterSupport", statistics: await counterSupport.statistics,
                utilization: reports.counterSupport.utilization))
        result.append(NodeCounters(name: "immigrationServicesAgency", statistics: await immigration.statistics))
        result.append(NodeCounters(name: "familyRegisterSystem", statistics: await familyRegister.statistics))
        for (d, r) in zip(departments, reports.departments) {
            result.append(
                NodeCounters(
                    name: "department.\(r.spec.name)", statistics: await d.statistics, utilization: r.utilization))
        }
        return result
    }

    /// Every copy of identity records: invariant 2 compares them.
    struct IdentityCopies {
        /// Each CS's file (the home CS's first) with its prefecture code.
        var cs: [(file: IdentityFile, prefecture: Int)]
        /// By prefecture code − 1.
        var prefectures: [IdentityFile]
        var national: IdentityFile
    }

    /// Every node's copy of identity records, one actor call per node.
    func identityCopies(_ reports: PerNodeReports) async -> IdentityCopies {
        var cs = [
            (file: await municipalCS.identityFile(), prefecture: reports.registerSystem.municipality.prefectureCode)
        ]
        for (o, r) in zip(others, reports.others) {
            cs.append((await o.identityFile(), r.municipality.prefectureCode))
        }
        var prefectureFiles: [IdentityFile] = []
        for p in prefectures { prefectureFiles.append(await p.identityFile()) }
        return IdentityCopies(cs: cs, prefectures: prefectureFiles, national: await national.identityFile())
    }

    /// Gathers every node's report, assembles the network's and checks the invariants.
    public func report() async -> NetworkReport {
        let reports = await nodeReports()
        return assemble(reports, nodes: await nodeCounters(reports), identityFiles: await identityCopies(reports))
    }

    /// The network's report from the nodes' own: sums, merges, and the invariants that need several nodes' data.
    func assemble(
        _ reports: PerNodeReports, nodes nodeCounters: [NodeCounters],
        identityFiles: IdentityCopies
    ) -> NetworkReport {
        var journeys: [Flow: JourneyStats] = [:]
        var spans: [Span] = []
        var hops = HopLatencies()
        var hourly = HourlyCounts()
        var inProgress = 0
        let register = reports.registerSystem
        let cs = reports.municipalCS
        let manager = reports.applicationManager
        for c in reports.counters {
            for flow in Flow.allCases {
                journeys[flow, default: JourneyStats()].merge(c.journeys[Int(flow.rawValue)])
            }
            spans += c.spans
            hops.merge(c.hops)
            hourly.merge(c.hourly)
            inProgress += c.counter.inProgress
        }
        spans += register.spans
        hops.merge(register.hops)
        hourly.merge(register.hourly)
        journeys[.oneStopMoveOut, default: JourneyStats()].merge(manager.journeys)
        journeys[.convenienceStore, default: JourneyStats()].merge(reports.certificateSystem.kiosk)
        inProgress += reports.certificateSystem.kioskInProgress
        spans += manager.spans
        hops.merge(manager.hops)
        hourly.merge(manager.hourly)
        inProgress += manager.inProgress
        for (flow, stats) in cs.batchStats { journeys[flow, default: JourneyStats()].merge(stats) }
        if let c = cs.consistency, c.end == nil { inProgress += 1 }
        if let bulk = register.bulk {
            var stats = JourneyStats()
            stats.started = 1
            if let end = bulk.end {
                stats.completed = 1
                stats.latency.record(end - bulk.start)
            }
            journeys[.bulkNumberAssignment] = stats
        }

        spans.sort { ($0.start, $0.journey, $0.hop.rawValue) < ($1.start, $1.journey, $1.hop.rawValue) }

        // Invariant 1: no resident code or individual number active twice in the nation.
        // Raw values, radix-sorted: a comparison sort of the nation's 600,000 identifiers was most of the report's time.
        var codes: [UInt64] = []
        var numbers: [UInt64] = []
        for identifiers in [register.identifiers] + reports.others.map(\.identifiers) {
            codes += identifiers.residentCodes.lazy.map(\.rawValue)
            numbers += identifiers.individualNumbers.lazy.map(\.rawValue)
        }
        func duplicates(_ values: inout [UInt64]) -> Int {
            RadixSort.sort(&values)
            var d = 0
            for i in values.indices.dropFirst() where values[i] == values[i - 1] { d += 1 }
            return d
        }

        // Faults: every node's wire, the outboxes and the inboxes.
        var wires = WireStatistics()
        var counterRetries = 0
        for c in reports.counters {
            wires.merge(c.wire)
            counterRetries += c.retries
        }
        var outboxes: [String: OutboxStatistics] = [
            "registerSystem→municipalCS": register.outbox,
            "municipalCS→prefectureServer": cs.outbox,
        ]
        var toNational = OutboxStatistics()
        for p in reports.prefectures {
            toNational.merge(p.outbox)
            wires.merge(p.wire)
        }
        outboxes["prefectureServers→nationalServer"] = toNational
        var fromOthers = OutboxStatistics()
        for o in reports.others {
            fromOthers.merge(o.outbox)
            wires.merge(o.wire)
        }
        outboxes["municipalities→prefectureServers"] = fromOthers
        for w in [register.wire, cs.wire, reports.nationalServer.wire, reports.cardSystem.wire] { wires.merge(w) }
        var authentication = AuthenticationStatistics()
        for a in [cs.authentication, reports.nationalServer.authentication, reports.cardSystem.authentication]
            + reports.prefectures.map(\.authentication) + reports.others.map(\.authentication)
        {
            if let a { authentication.merge(a) }
        }
        var allOutboxes = OutboxStatistics()
        for o in outboxes.values { allOutboxes.merge(o) }
        var byKind: [String: Int] = [:]
        for f in configuration.faults { byKind[f.kind.description, default: 0] += 1 }
        let faults = FaultReport(
            injected: configuration.faults.count, byKind: byKind, affectedMessages: wires.affected,
            retransmissions: wires.retransmissions, outboxRetries: allOutboxes.retries,
            counterRetries: counterRetries, unavailable: wires.unavailable,
            duplicatesIgnored: cs.duplicatesIgnored + reports.nationalServer.duplicatesIgnored
                + reports.prefectures.reduce(0) { $0 + $1.duplicatesIgnored },
            maxBacklog: allOutboxes.maxBacklog, timeToDrain: allOutboxes.longestDrain, waiting: allOutboxes.waiting,
            dropped: allOutboxes.dropped, outboxes: outboxes)

        // Invariant 2: every identity change reached the prefecture and national copies, or is pending.
        var pending = 0
        var lost = 0
        var reasons: [String: Int] = [:]
        let unforwarded = register.unforwardedChanges
        if unforwarded > 0 { reasons["not yet handed to the CS (CS connector backlog)", default: 0] += unforwarded }
        // Every hop keeps a batch until the next one acknowledges it, having applied it first: an update that
        // differs upstream is in transit only while some outbox still holds a batch; otherwise it was lost.
        let inFlight = allOutboxes.waiting > 0
        // An entry no update touched holds its initial load's version, from before the run, as the upstream copies
        // loaded it: only the run's versions need looking up.
        let runStart = SimulatedTime(date: configuration.date).microseconds
        for (file, prefecture) in identityFiles.cs {
            let prefectureFile = identityFiles.prefectures[prefecture - 1]
            for (code, entry) in file.entries where entry.version >= runStart {
                let p = prefectureFile.entry(ResidentCode(uncheckedRawValue: code))
                let n = identityFiles.national.entry(ResidentCode(uncheckedRawValue: code))
                guard p?.version != entry.version || n?.version != entry.version else { continue }
                // A newer version upstream means the person moved on: their new CS holds the latest copy.
                if let nv = n?.version, nv > entry.version, p?.version ?? Int64.max >= entry.version { continue }
                if inFlight {
                    pending += 1
                    reasons["in transit at the end of the run", default: 0] += 1
                } else {
                    lost += 1
                }
            }
        }
        let arrivals = journeys.values.reduce(0) { $0 + $1.started }
        let completed = journeys.values.reduce(0) { $0 + $1.completed }
        let failed = journeys.values.reduce(0) { $0 + $1.failedCount }
        let bulkInProgress = register.bulk.map { $0.end == nil ? 1 : 0 } ?? 0
        var invariants = InvariantReport(
            duplicateResidentCodes: duplicates(&codes), duplicateIndividualNumbers: duplicates(&numbers),
            unforwardedChanges: unforwarded, pendingUpdates: pending + unforwarded, pendingReasons: reasons,
            lostUpdates: lost, arrivals: arrivals, completed: completed, failed: failed,
            inProgress: inProgress + bulkInProgress)

        var nodes: [NodeReport] = []
        var digest: UInt64 = 0
        for node in nodeCounters {
            var unhandled: [MessageKind: Int] = [:]
            for (kind, count) in node.statistics.unhandled.enumerated() where count > 0 {
                if let k = MessageKind(rawValue: kind) { unhandled[k] = Int(clamping: count) }
                invariants.unhandledMessages += Int(clamping: count)
            }
            nodes.append(
                NodeReport(
                    name: node.name, handled: node.statistics.handled, utilization: node.utilization,
                    unhandled: unhandled))
            digest = Mixing.combine(digest, node.statistics.digest)
        }
        let card = reports.cardSystem
        var prefectureSearches = SearchCounts()
        for p in reports.prefectures { prefectureSearches.merge(p.searches) }
        var queries = reports.nationalServer.queries
        queries.merge(cs.queriesRefused)
        let searches = SearchReport(
            municipalCS: cs.searches, prefectureServers: prefectureSearches,
            nationalServer: reports.nationalServer.searches, queries: queries)
        var report = NetworkReport(
            start: dayStart, end: SimulatedTime(microseconds: reports.period.end), journeys: journeys, spans: spans,
            hops: hops, hourly: hourly, counters: reports.counters.map(\.counter), nodes: nodes, bulk: register.bulk,
            lettersQueued: card.lettersQueued, cards: card, certificateSerialsLinked: register.serialsLinked,
            exOfficio: register.exOfficio, cardExpiry: register.cardExpiry,
            cardContinuations: card.continuations, cardRevocations: card.revocations,
            consistency: cs.consistency, deliveryRecordsSent: cs.deliveryRecordsSent,
            deliveryRecordsDeleted: cs.deliveryRecordsDeleted, deliveryRecordsHeld: cs.deliveryRecordsHeld,
            movedInElsewhere: reports.others.reduce(0) { $0 + $1.movedIn },
            awaitedElsewhere: reports.others.reduce(0) { $0 + $1.awaited },
            moversFiledAtOrigin: reports.others.reduce(0) { $0 + $1.moversOut },
            moveInNoticesDelivered: reports.others.reduce(0) { $0 + $1.moveInNotices },
            moveInNoticesReceived: cs.moveInNoticesReceived, invariants: invariants, engine: engine.report,
            digest: digest, registerAudit: register.audit, csAudit: cs.audit,
            certificatesWithNumber: register.certificatesWithNumber,
            numberOmitted: register.numberOmitted, searches: searches,
            faults: faults, storeAndForward: configuration.storeAndForward, mutualAuthentication: authentication,
            authenticationEnabled: configuration.mutualAuthentication.enabled,
            removedRecordsExpunged: register.removedRecordsExpunged, removedRecordsKept: register.removedRecordsKept)
        report.oneStop = manager.oneStop
        if configuration.nation != nil {
            report.nation = NationReport(reports.others, openSeconds: reports.period.openSeconds)
        }
        report.certificates = reports.certificateSystem
        for o in reports.others { report.wideArea.others.merge(o.wideArea) }
        report.wideArea.notified = register.wideAreaNotified
        report.departments = DepartmentsReport(
            departments: reports.departments, transferRecords: register.transferRecords,
            transferredWithNumber: register.transferredWithNumber,
            transferredWithoutNumber: register.transferredWithoutNumber)
        report.foreignResidents = ForeignResidentsReport(agency: reports.immigration, register: register.foreign)
        report.familyRegister = FamilyRegisterReport(system: reports.familyRegister, register: register.familyRegister)
        report.variantCharacters = VariantCharactersReport(
            residents: register.residentsWithVariants, identityEntries: cs.variantEntries,
            certificates: register.certificatesWithVariants,
            lettersWithSubstitutes: reports.cardSystem.lettersWithSubstitutes,
            corrections: register.familyRegister.correctionsApplied)
        report.invariants.unrecordedTransfers = report.departments.unrecordedTransfers
        report.invariants.numbersOutsideNumberUse = report.departments.numbersOutsideNumberUse
        report.wideArea.refused = register.wideAreaRefused
        if configuration.service.counterSupport.enabled {
            var support = reports.counterSupport
            for c in reports.counters {
                support.counterDrafted += c.support.drafted
                support.counterManual += c.support.manual
                support.deskSecondsSaved += Double(c.support.saved) / 1e6
            }
            report.counterSupport = support
        }
        if let system = reports.unifiedAddressee {
            let pending = max(0, register.addresseeRecordsSent - system.records)
            let agrees = pending == 0 ? register.addresseeFingerprint == system.fingerprint : nil
            report.addressee = AddresseeReport(
                system: system, recordsSent: register.addresseeRecordsSent, pendingRecords: pending,
                agreesWithRegister: agrees)
            if agrees == false { report.invariants.addresseeMismatches = 1 }
            if let server = reports.intermediateServer, let network = reports.sharingNetwork {
                // The copy is pending while records are in flight anywhere between the register and the server.
                let pendingCopies = max(0, system.copiesSent - server.copyRecords)
                let copyAgrees =
                    pending == 0 && pendingCopies == 0 ? register.addresseeFingerprint == server.fingerprint : nil
                let sharing = SharingReport(
                    server: server, network: network, pendingCopies: pendingCopies + pending,
                    copyAgreesWithRegister: copyAgrees)
                report.sharing = sharing
                if copyAgrees == false { report.invariants.copyMismatches = 1 }
                report.invariants.unrecordedProvisions = sharing.unrecordedProvisions
                report.invariants.provisionsOffList = server.provisionsOffList
            }
        }
        report.oneStop.processedAtOrigins = reports.others.reduce(0) { $0 + $1.onlineMoveOuts }
        report.oneStop.waitingAtOrigins = reports.others.reduce(0) { $0 + $1.onlineWaiting }
        return report
    }
}

/// 広域交付 (住基法第12条の4) both ways: the other municipalities' figures (their answers to this municipality's
/// counters, and their requests for its residents with what came of them), and the home register's notices of
/// 広域交付住民票情報 to them (別添1 ⑬) and refusals.
public struct WideAreaReport: Sendable, Hashable {
    public var others = WideAreaFigures()
    public var notified = 0
    public var refused = 0

    public init() {}
}

/// Transfers to the city's departments (庁内連携, 別添1 ⑫, 別添5) and their look-ups: each department's figures, the
/// register's transfer records (kept 7 years) and the persons transferred with and without the number.
public struct DepartmentsReport: Sendable, Hashable {
    public var departments: [Department.Report] = []
    public var transferRecords = 0
    public var transferredWithNumber = 0
    public var transferredWithoutNumber = 0

    public init() {}

    public init(
        departments: [Department.Report], transferRecords: Int, transferredWithNumber: Int,
        transferredWithoutNumber: Int
    ) {
        self.departments = departments
        self.transferRecords = transferRecords
        self.transferredWithNumber = transferredWithNumber
        self.transferredWithoutNumber = transferredWithoutNumber
    }

    /// Batches a department received that have no transfer record (must be 0).
    public var unrecordedTransfers: Int { max(0, departments.reduce(0) { $0 + $1.batches } - transferRecords) }

    /// Numbers that reached a department outside number-use work (must be 0).
    public var numbersOutsideNumberUse: Int { departments.reduce(0) { $0 + $1.numbersOutsideNumberUse } }
}

/// Foreign residents (別添1 ⑤⑥): the Immigration Services Agency's figures (extensions and lapses notified, the
/// municipality's reports received) and the register system's (notices applied, reports sent).
public struct ForeignResidentsReport: Sendable, Hashable {
    public var agency: ImmigrationServicesAgency.Report
    public var register: ForeignResidentFigures

    public init(agency: ImmigrationServicesAgency.Report, register: ForeignResidentFigures) {
        self.agency = agency
        self.register = register
    }
}

/// The 戸籍 side (別添1 ⑦⑨⑩): the family-register system's figures (filings, notices from elsewhere, 附票 notices
/// kept and sent on, mismatches answered) and the register's (附票 notices sent, corrections applied).
public struct FamilyRegisterReport: Sendable, Hashable {
    public var system: FamilyRegisterFigures
    public var register: RegisterFamilyFigures

    public init(system: FamilyRegisterFigures, register: RegisterFamilyFigures) {
        self.system = system
        self.register = register
    }
}

/// 外字 (variant characters, 別添2【2】 items 3, 34; 【3】 items 53–61): active residents whose name holds them, the
/// CS's identity entries that carry the count, certificates printed with them, notification letters whose delivery
/// record carried 代替文字, and names the register corrected to the 戸籍's form (別添1 ⑦).
public struct VariantCharactersReport: Sendable, Hashable {
    public var residents = 0
    public var identityEntries = 0
    public var certificates = 0
    public var lettersWithSubstitutes = 0
    public var corrections = 0

    public init() {}

    public init(residents: Int, identityEntries: Int, certificates: Int, lettersWithSubstitutes: Int, corrections: Int)
    {
        self.residents = residents
        self.identityEntries = identityEntries
        self.certificates = certificates
        self.lettersWithSubstitutes = lettersWithSubstitutes
        self.corrections = corrections
    }
}
