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
    /// Clerk busy time over clerk time in office hours.
    public var utilization: Double
    public var inProgress: Int
    /// Every wait at this counter, µs.
    public var waits: LatencyHistogram
    /// Queue length per 15 minutes (time-weighted mean and peak), and waits by arrival time.
    public var queueLength: LevelTimeline
    public var waitsByArrival: BinnedDurations
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

    public var journeysBalance: Bool { arrivals == completed + failed + inProgress }

    /// Whether every invariant holds.
    public var holds: Bool {
        duplicateResidentCodes == 0 && duplicateIndividualNumbers == 0 && lostUpdates == 0 && journeysBalance
            && unhandledMessages == 0
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

/// What a network run did.
public struct NetworkReport: Sendable {
    public var start: SimulatedTime
    public var end: SimulatedTime
    public var journeys: [Flow: JourneyStats]
    public var spans: [Span]
    /// Durations of every (flow, hop), merged from the nodes' histograms.
    public var hops: HopLatencies
    public var counters: [CounterReport]
    public var nodes: [NodeReport]
    public var bulk: BulkAssignmentReport?
    public var lettersQueued: Int
    public var cardContinuations: Int
    public var cardRevocations: Int
    public var consistency: ConsistencyReport?
    public var deliveryRecordsSent: Int
    public var deliveryRecordsDeleted: Int
    public var deliveryRecordsHeld: Int
    /// Movers recorded at their destination, and those still expected there (they move in within two weeks).
    public var movedInElsewhere: Int
    public var awaitedElsewhere: Int
    /// Move-in notices (転入通知) the home CS received from destinations.
    public var moveInNoticesReceived: Int
    public var invariants: InvariantReport
    public var engine: EngineReport
    /// Digest of every node's handled events: equal digests mean identical runs.
    public var digest: UInt64
    /// The register system's and the CS's hash-chained audit trails.
    public var registerAudit: AuditTrail
    public var csAudit: AuditTrail
    /// Certificates issued with the individual number masked (operators outside number-use work).
    public var maskedOutputs: Int
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
    /// Gathers the report and checks the invariants.
    public func report() async -> NetworkReport {
        var journeys: [Flow: JourneyStats] = [:]
        var spans: [Span] = []
        var hops = HopLatencies()
        var counterReports: [CounterReport] = []
        var inProgress = 0
        let businessDays = max(
            1,
            (0..<max(configuration.days, 1)).filter {
                BusinessCalendar.standard.isBusinessDay(configuration.date.adding(days: $0))
            }.count)
        let openSeconds =
            Double(BusinessCalendar.standard.closing - BusinessCalendar.standard.opening) / 1e6 * Double(businessDays)
        for (k, node) in counters.enumerated() {
            let c = await node.behavior
            for flow in Flow.allCases {
                journeys[flow, default: JourneyStats()].merge(c.stats[Int(flow.rawValue)])
            }
            spans += c.spans.spans
            hops.merge(c.spans.hops)
            inProgress += c.inProgress
            let waits = c.waits
            counterReports.append(
                CounterReport(
                    name: counterNames[k], clerks: c.clerks, served: c.served,
                    meanWaitSeconds: waits.mean / 1e6, maxWaitSeconds: Double(waits.maximum) / 1e6,
                    maxQueue: c.maxQueue,
                    utilization: Double(c.busyTime) / 1e6 / (openSeconds * Double(c.clerks)), inProgress: c.inProgress,
                    waits: waits, queueLength: c.queueLength.closed(at: engine.report.end),
                    waitsByArrival: c.waitsByArrival))
        }
        let register = await registerSystem.behavior
        spans += register.spans.spans
        hops.merge(register.spans.hops)
        let cs = await municipalCS.behavior
        let nationalServer = await national.behavior
        let card = await cardSystem.behavior
        var prefectureBehaviors: [PrefectureServer] = []
        for p in prefectures { prefectureBehaviors.append(await p.behavior) }
        let prefectureFiles = prefectureBehaviors.map(\.identityFile)
        var otherBehaviors: [OtherMunicipality] = []
        for o in others { otherBehaviors.append(await o.behavior) }

        let manager = await applicationManager.behavior
        journeys[.oneStopMove, default: JourneyStats()].merge(manager.stats)
        spans += manager.spans.spans
        hops.merge(manager.spans.hops)
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
        var codes: [UInt64] = []
        var numbers: [UInt64] = []
        for reg in [register.register] + otherBehaviors.map(\.register) {
            let c = reg.columns
            for r in 0..<reg.count where c.status[r] == 0 {
                codes.append(c.residentCode[r])
                if c.individualNumber[r] != 0 { numbers.append(c.individualNumber[r]) }
            }
        }
        func duplicates(_ values: inout [UInt64]) -> Int {
            values.sort()
            var d = 0
            for i in values.indices.dropFirst() where values[i] == values[i - 1] { d += 1 }
            return d
        }

        // Faults: every node's wire, the outboxes and the inboxes.
        var wires = WireStatistics()
        var counterRetries = 0
        for c in counters {
            let b = await c.behavior
            wires.merge(b.wire.statistics)
            counterRetries += b.retries
        }
        var outboxes: [String: OutboxStatistics] = [
            "registerSystem→municipalCS": register.outbox.finalStatistics,
            "municipalCS→prefectureServer": cs.outbox.finalStatistics,
        ]
        var toNational = OutboxStatistics()
        for p in prefectureBehaviors {
            toNational.merge(p.outbox.finalStatistics)
            wires.merge(p.wire.statistics)
        }
        outboxes["prefectureServers→nationalServer"] = toNational
        var fromOthers = OutboxStatistics()
        for o in otherBehaviors {
            fromOthers.merge(o.outbox.finalStatistics)
            wires.merge(o.wire.statistics)
        }
        outboxes["municipalities→prefectureServers"] = fromOthers
        for w in [register.wire, cs.wire, nationalServer.wire, card.wire] { wires.merge(w.statistics) }
        var authentication = AuthenticationStatistics()
        for w in [cs.wire, nationalServer.wire, card.wire] + prefectureBehaviors.map(\.wire)
            + otherBehaviors.map(\.wire)
        {
            if let a = w.authenticator { authentication.merge(a.statistics) }
        }
        var allOutboxes = OutboxStatistics()
        for o in outboxes.values { allOutboxes.merge(o) }
        var byKind: [String: Int] = [:]
        for f in configuration.faults { byKind[f.kind.description, default: 0] += 1 }
        let faults = FaultReport(
            injected: configuration.faults.count, byKind: byKind, affectedMessages: wires.affected,
            retransmissions: wires.retransmissions, outboxRetries: allOutboxes.retries,
            counterRetries: counterRetries, unavailable: wires.unavailable,
            duplicatesIgnored: cs.inbox.duplicates + nationalServer.inbox.duplicates
                + prefectureBehaviors.reduce(0) { $0 + $1.inbox.duplicates },
            maxBacklog: allOutboxes.maxBacklog, timeToDrain: allOutboxes.longestDrain, waiting: allOutboxes.waiting,
            dropped: allOutboxes.dropped, outboxes: outboxes)

        // Invariant 2: every identity change reached the prefecture and national copies, or is pending.
        var pending = 0
        var lost = 0
        var reasons: [String: Int] = [:]
        let unforwarded = register.register.changeLog.count - Int(register.connector.forwarded)
        if unforwarded > 0 { reasons["not yet handed to the CS (CS connector backlog)", default: 0] += unforwarded }
        let csFiles: [(IdentityFile, Int)] =
            [(cs.identityFile, register.register.municipality.code.prefectureCode)]
            + otherBehaviors.map { ($0.identityFile, $0.register.municipality.code.prefectureCode) }
        // Every hop keeps a batch until the next one acknowledges it, having applied it first: an update that
        // differs upstream is in transit only while some outbox still holds a batch; otherwise it was lost.
        let inFlight = allOutboxes.waiting > 0
        for (file, prefecture) in csFiles {
            let prefectureFile = prefectureFiles[prefecture - 1]
            for (code, entry) in file.entries where entry.version > Int64.min {
                let p = prefectureFile.entry(code)
                let n = nationalServer.identityFile.entry(code)
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
        let runSeconds = Double(max(engine.report.end - dayStart.microseconds, 1)) / 1e6
        func utilization(_ pool: WorkerPool) -> Double {
            Double(pool.busyTime) / 1e6 / (runSeconds * Double(pool.workers))
        }
        func add(_ name: String, _ statistics: NodeStatistics, _ utilization: Double? = nil) {
            var unhandled: [MessageKind: Int] = [:]
            for (kind, count) in statistics.unhandled.enumerated() where count > 0 {
                if let k = MessageKind(rawValue: kind) { unhandled[k] = Int(clamping: count) }
                invariants.unhandledMessages += Int(clamping: count)
            }
            nodes.append(
                NodeReport(name: name, handled: statistics.handled, utilization: utilization, unhandled: unhandled))
            digest = Mixing.combine(digest, statistics.digest)
        }
        add("residents", await residents.statistics)
        for (k, c) in counters.enumerated() {
            add("counter.\(counterNames[k])", await c.statistics, counterReports[k].utilization)
        }
        add("registerSystem", await registerSystem.statistics, utilization(register.serverStatistics))
        add("municipalCS", await municipalCS.statistics, utilization(cs.serverStatistics))
        add("cardManagementSystem", await cardSystem.statistics, utilization(card.serverStatistics))
        add("nationalServer", await national.statistics, utilization(nationalServer.serverStatistics))
        add("mynaPortal", await portal.statistics)
        add("applicationManager", await applicationManager.statistics)
        for (i, p) in prefectures.enumerated() {
            add("prefectureServer.\(i + 1)", await p.statistics, utilization(prefectureBehaviors[i].serverStatistics))
        }
        for (o, b) in zip(others, otherBehaviors) {
            add("municipality.\(b.register.municipality.code)", await o.statistics, utilization(b.serverStatistics))
        }
        return NetworkReport(
            start: dayStart, end: SimulatedTime(microseconds: engine.report.end), journeys: journeys, spans: spans,
            hops: hops,
            counters: counterReports, nodes: nodes, bulk: register.bulk, lettersQueued: card.lettersQueued,
            cardContinuations: card.continuations, cardRevocations: card.revocations, consistency: cs.consistency,
            deliveryRecordsSent: cs.deliveryRecordsSent, deliveryRecordsDeleted: cs.deliveryRecordsDeleted,
            deliveryRecordsHeld: cs.deliveryRecordsHeld, movedInElsewhere: otherBehaviors.reduce(0) { $0 + $1.movedIn },
            awaitedElsewhere: otherBehaviors.reduce(0) { $0 + $1.awaited },
            moveInNoticesReceived: cs.moveInNoticesReceived,
            invariants: invariants,
            engine: engine.report, digest: digest, registerAudit: register.audit, csAudit: cs.audit,
            maskedOutputs: register.maskedOutputs, faults: faults,
            storeAndForward: configuration.storeAndForward, mutualAuthentication: authentication,
            authenticationEnabled: configuration.mutualAuthentication.enabled,
            removedRecordsExpunged: register.register.expungedCount,
            removedRecordsKept: register.register.columns.status.reduce(0) {
                $0 + ($1 == RecordStatus.removed.rawValue ? 1 : 0)
            })
    }
}
