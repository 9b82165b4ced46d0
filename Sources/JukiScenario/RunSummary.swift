import Foundation
import JukiAudit
import JukiCore
import JukiNetwork
import JukiPopulation
import JukiSimulation

/// Statistics of a list of µs values.
struct Distribution {
    let histogram: LatencyHistogram

    init(_ histogram: LatencyHistogram) { self.histogram = histogram }

    var count: Int { histogram.count }

    /// The percentile from the HDR histogram (within 0.1 %), µs.
    func percentile(_ p: Double) -> Double { Double(histogram.percentile(p)) }

    var mean: Double { histogram.mean }
    var max: Double { Double(histogram.maximum) }
    var min: Double { Double(histogram.minimum) }

    /// The `{count, mean, p50, p90, p95, p99, p999, max}` block, in seconds.
    var seconds: Summary.Latency {
        Summary.Latency(
            count: count, mean: round6(mean / 1e6), p50: round6(percentile(50) / 1e6),
            p90: round6(percentile(90) / 1e6), p95: round6(percentile(95) / 1e6), p99: round6(percentile(99) / 1e6),
            p999: round6(percentile(99.9) / 1e6), max: round6(max / 1e6), histogram: histogram.encoded)
    }
}

func round6(_ v: Double) -> Double { (v * 1e6).rounded() / 1e6 }

extension Summary.Latency {
    /// The distribution back from `histogram`, with the mean and maximum written beside it (nil when empty or
    /// without a histogram).
    func distribution() throws(HistogramEncoding.DecodingError) -> LatencyHistogram? {
        guard count > 0, let text = histogram else { return nil }
        return try LatencyHistogram(
            encoded: text, count: count, sum: Int64((mean * 1e6 * Double(count)).rounded()), minimum: nil,
            maximum: Int64((max * 1e6).rounded()))
    }
}

/// The checked thresholds of a run.
public struct ThresholdResult: Sendable, Hashable {
    public var threshold: Threshold
    /// The measured value (µs for durations), or nil when the metric had no data.
    public var value: Double?
    public var ok: Bool
    /// Where the value was measured, when the metric covers several places (the counter of `counters.*`).
    public var detail: String? = nil

    /// The measured value as reports print it: a readable duration, a number, or "no data".
    var valueText: String {
        value.map { threshold.boundIsDuration ? Durations.readable($0) : String(format: "%g", $0) } ?? "no data"
    }
}

/// Metric names the thresholds accept, and their values for a report.
public enum ThresholdMetrics {
    static let grammar =
        "journeys.<flow>.latency|completed|failed, counters.<name or *>.wait|utilization, "
        + "invariants.lostUpdates|duplicateResidentCodes|duplicateIndividualNumbers|pendingUpdates|unhandledMessages|"
        + "copyMismatches|unrecordedProvisions|provisionsOffList|unrecordedTransfers|numbersOutsideNumberUse, "
        + "informationSharing.answerTime|reviewedTime|refused|provided, "
        + "counterSupport.answerTime|deskTimeSaved|drafted|enteredByHand, "
        + "consistency.differences|remaining, "
        + "faults.injected|retried|unavailable|maxBacklog|timeToDrain|waiting|lostUpdates|divergence, "
        + "canary.deviation|timeInSystem|wait|customers, "
        + "load.latency|uncorrected|schedulerLag|achievedRate|achievedShare|dropped|late"

    static func isKnown(_ metric: String) -> Bool {
        let parts = metric.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return false }
        switch parts[0] {
        case "journeys":
            let rest = parts[1].split(separator: ".").map(String.init)
            return rest.count == 2 && Flow.allCases.contains { $0.description == rest[0] }
                && ["latency", "completed", "failed"].contains(rest[1])
        case "counters":
            return parts[1].hasSuffix(".wait") || parts[1].hasSuffix(".utilization")
        case "invariants":
            return [
                "lostUpdates", "duplicateResidentCodes", "duplicateIndividualNumbers", "pendingUpdates",
                "unhandledMessages", "copyMismatches", "unrecordedProvisions", "provisionsOffList",
                "unrecordedTransfers", "numbersOutsideNumberUse",
            ].contains(parts[1])
        case "informationSharing":
            return ["answerTime", "reviewedTime", "refused", "provided"].contains(parts[1])
        case "counterSupport":
            return ["answerTime", "deskTimeSaved", "drafted", "enteredByHand"].contains(parts[1])
        case "consistency":
            return parts[1] == "differences" || parts[1] == "remaining"
        case "faults":
            return [
                "injected", "retried", "unavailable", "maxBacklog", "timeToDrain", "waiting", "lostUpdates",
                "divergence",
            ].contains(parts[1])
        case "canary":
            return ["deviation", "timeInSystem", "wait", "customers"].contains(parts[1])
        case "load":
            return ["latency", "uncorrected", "schedulerLag", "achievedRate", "achievedShare", "dropped", "late"]
                .contains(parts[1])
        default:
            return false
        }
    }

    /// The statistics a metric keeps, as threshold expressions write them, with what kind of value it is. A
    /// threshold asking for another (`rate<` on a latency) is refused by the validator, not left to fail at run time.
    static func statistics(of metric: String) -> (kind: String, allowed: [String]) {
        let parts = metric.split(separator: ".").map(String.init)
        let distribution = ["p(N)", "avg", "max", "min", "count"]
        switch (parts.first, parts.last) {
        case ("journeys", "latency"), ("counters", "wait"), ("load", "latency"), ("load", "uncorrected"),
            ("load", "schedulerLag"), ("informationSharing", "answerTime"), ("informationSharing", "reviewedTime"),
            ("counterSupport", "answerTime"):
            return ("a latency distribution", distribution)
        case ("counterSupport", "deskTimeSaved"): return ("a duration", ["value"])
        case ("journeys", "failed"): return ("a count of failed journeys", ["count", "rate", "value"])
        case ("counters", "utilization"): return ("a share from 0 to 1", ["value", "max", "min", "avg"])
        case ("faults", "timeToDrain"): return ("a duration", ["value", "max"])
        case ("canary", "deviation"): return ("a relative deviation", ["value", "max"])
        case ("canary", "timeInSystem"), ("canary", "wait"): return ("a mean time", ["avg"])
        case ("load", "achievedRate"), ("load", "achievedShare"): return ("a rate", ["value"])
        default: return ("a count", ["count", "value"])
        }
    }

    /// Whether `statistic` is one `metric` keeps; the error text otherwise.
    static func check(_ statistic: Threshold.Statistic, on metric: String) -> String? {
        let name: String
        switch statistic {
        case .percentile: name = "p(N)"
        case .average: name = "avg"
        case .maximum: name = "max"
        case .minimum: name = "min"
        case .count: name = "count"
        case .rate: name = "rate"
        case .value: name = "value"
        }
        let (kind, allowed) = statistics(of: metric)
        guard !allowed.contains(name) else { return nil }
        return "\(metric) is \(kind): '\(name)' does not apply (use \(allowed.joined(separator: ", ")))"
    }

    /// Evaluates `threshold` on `report`.
    public static func evaluate(_ t: Threshold, _ report: NetworkReport) -> ThresholdResult {
        let parts = t.metric.split(separator: ".").map(String.init)
        func stat(_ d: Distribution) -> Double? {
            switch t.statistic {
            case .percentile(let p): d.count == 0 ? nil : d.percentile(p)
            case .average: d.count == 0 ? nil : d.mean
            case .maximum: d.count == 0 ? nil : d.max
            case .minimum: d.count == 0 ? nil : d.min
            case .count, .rate, .value: Double(d.count)
            }
        }
        func result(_ v: Double?) -> ThresholdResult {
            ThresholdResult(threshold: t, value: v, ok: v.map(t.passes) ?? true)
        }
        switch parts.first {
        case "journeys" where parts.count == 3:
            let stats =
                report.journeys[Flow.allCases.first { $0.description == parts[1] } ?? .certificate] ?? JourneyStats()
            switch parts[2] {
            case "latency": return result(stat(Distribution(stats.latency)))
            case "completed": return result(Double(stats.completed))
            default:
                let failed = Double(stats.failedCount)
                if case .rate = t.statistic { return result(stats.started == 0 ? 0 : failed / Double(stats.started)) }
                return result(failed)
            }
        case "counters" where parts.count >= 3:
            let name = parts[1..<(parts.count - 1)].joined(separator: ".")
            let counters = name == "*" ? report.counters : report.counters.filter { $0.name == name }
            // Every counter must pass; the value shown is the first failing one, else the largest.
            let results = counters.map { c in
                var r = parts.last == "utilization" ? result(c.utilization) : result(stat(Distribution(c.waits)))
                r.detail = c.name
                return r
            }
            if let failing = results.first(where: { !$0.ok }) { return failing }
            return results.max { ($0.value ?? 0) < ($1.value ?? 0) }
                ?? ThresholdResult(threshold: t, value: nil, ok: false)
        case "invariants" where parts.count == 2:
            let i = report.invariants
            let v: Int
            switch parts[1] {
            case "lostUpdates": v = i.lostUpdates
            case "duplicateResidentCodes": v = i.duplicateResidentCodes
            case "duplicateIndividualNumbers": v = i.duplicateIndividualNumbers
            case "unhandledMessages": v = i.unhandledMessages
            case "copyMismatches": v = i.copyMismatches
            case "unrecordedProvisions": v = i.unrecordedProvisions
            case "provisionsOffList": v = i.provisionsOffList
            case "unrecordedTransfers": v = i.unrecordedTransfers
            case "numbersOutsideNumberUse": v = i.numbersOutsideNumberUse
            default: v = i.pendingUpdates
            }
            return result(Double(v))
        case "informationSharing" where parts.count == 2:
            // A run without the network has measured nothing: the threshold fails rather than passing on no data.
            guard let x = report.sharing else { return ThresholdResult(threshold: t, value: nil, ok: false) }
            switch parts[1] {
            case "answerTime": return result(stat(Distribution(x.network.automaticLatency)))
            case "reviewedTime": return result(stat(Distribution(x.network.reviewedLatency)))
            case "refused":
                let o = x.server.outcomes
                return result(
                    Double(
                        x.network.refused + o[Int(ProvisionOutcome.refusedInvalidPermit.rawValue)]
                            + o[Int(ProvisionOutcome.refusedNotOnServerList.rawValue)]))
            default:
                let o = x.server.outcomes
                return result(
                    Double(
                        o[Int(ProvisionOutcome.provided.rawValue)]
                            + o[Int(ProvisionOutcome.providedAfterReview.rawValue)]))
            }
        case "counterSupport" where parts.count == 2:
            // Counters without counter support have saved nothing and measured nothing: the threshold fails.
            guard let c = report.counterSupport else { return ThresholdResult(threshold: t, value: nil, ok: false) }
            switch parts[1] {
            case "answerTime": return result(stat(Distribution(c.answerTime)))
            case "deskTimeSaved": return result(c.deskSecondsSaved * 1e6)
            case "drafted": return result(Double(c.counterDrafted))
            default: return result(Double(c.counterManual))
            }
        case "consistency":
            let c = report.consistency
            if parts.count == 2 && parts[1] == "remaining" {
                return result(c.map { Double($0.prefectureRemaining + $0.nationalRemaining) })
            }
            return result(c.map { Double($0.prefectureDifferences + $0.nationalDifferences) })
        case "faults" where parts.count == 2:
            let f = report.faults
            let v: Double?
            switch parts[1] {
            case "injected": v = Double(f.injected)
            case "retried": v = Double(f.retried)
            case "unavailable": v = Double(f.unavailable)
            case "maxBacklog": v = Double(f.maxBacklog)
            case "timeToDrain": v = Double(f.timeToDrain)
            case "waiting": v = Double(f.waiting)
            case "lostUpdates": v = Double(report.invariants.lostUpdates)
            default:
                // Divergence after reconciliation; a run without a consistency check has not measured it.
                v = report.consistency.map { Double($0.prefectureRemaining + $0.nationalRemaining) }
                if v == nil { return ThresholdResult(threshold: t, value: nil, ok: false) }
            }
            return result(v)
        default:
            return ThresholdResult(threshold: t, value: nil, ok: false)
        }
    }
}

/// Wall-clock seconds of each phase of a run.
public struct RunPhases: Sendable, Hashable {
    /// Generating the populations (the home municipality and the others).
    public var population = 0.0
    /// The rest of the set-up: identity files, keys, nodes.
    public var setup = 0.0
    public var simulation = 0.0
    /// Building and writing the report folder.
    public var reports = 0.0

    public var total: Double { population + setup + simulation + reports }

    /// `population 0.52 s, network set-up 0.10 s, simulation 0.22 s, reports 0.35 s; total 1.19 s`.
    public var line: String {
        String(
            format: "population %.2f s, network set-up %.2f s, simulation %.2f s, reports %.2f s; total %.2f s",
            population, setup, simulation, reports, total)
    }
}

/// What `jukisim run` wrote and decided.
public struct RunOutcome: Sendable {
    public var directory: String
    public var thresholds: [ThresholdResult]
    public var invariantsHold: Bool
    /// One line: what `--quiet` prints.
    public var summaryLine: String
    /// The terminal summary (journeys, the worst counters, thresholds, invariants, phases), k6-style.
    public var table: [String] = []
    /// A suite's exit code, the worst of its entries' (a single run's follows from its thresholds and invariants).
    public var exitCode: Int32? = nil
}

/// Builds summary.json, report.md and latency.csv from a report.
public enum RunSummary {
    /// The summary block of information sharing.
    static func informationSharing(_ x: SharingReport) -> Summary.InformationSharing {
        let n = x.network
        let v = x.server
        func count(_ o: ProvisionOutcome) -> Int { v.outcomes[Int(o.rawValue)] }
        return Summary.InformationSharing(
            requests: n.requests, refusedByNetwork: n.refused, forwarded: n.forwarded, provided: count(.provided),
            providedAfterReview: count(.providedAfterReview),
            refusedByServer: count(.refusedInvalidPermit) + count(.refusedNotOnServerList), notFound: count(.notFound),
            inFlight: n.inFlight, automaticP95Seconds: Double(n.automaticLatency.percentile(95)) / 1e6,
            reviewedP50Seconds: Double(n.reviewedLatency.percentile(50)) / 1e6,
            reviewedP95Seconds: Double(n.reviewedLatency.percentile(95)) / 1e6,
            reviewWaitP95Seconds: Double(v.reviewWaits.percentile(95)) / 1e6, clerkUtilization: v.clerkUtilization,
            serverUtilization: v.utilization, copyRecords: v.copyRecords, copiesRefused: v.copiesRefused,
            codesObtained: v.codesObtained, pendingCopies: x.pendingCopies,
            copyAgreesWithRegister: x.copyAgreesWithRegister, networkRecords: n.recordsKept,
            serverRecords: v.recordsKept, recordsExpired: n.recordsExpired + v.recordsExpired,
            serverRecordsHead: v.recordsHead, provisionsOffList: v.provisionsOffList)
    }

    /// The summary block of the certificate system.
    static func certificates(_ c: CertificateSystem.Report) -> Summary.Certificates {
        func byKind(_ channel: CertificateChannel) -> [String: Int] {
            Dictionary(
                uniqueKeysWithValues: CertificateKind.allCases.map {
                    ($0.description, c.issued[Int(channel.rawValue)][Int($0.rawValue)])
                })
        }
        return Summary.Certificates(
            counter: byKind(.counter), convenienceStore: byKind(.convenienceStore), withNumber: c.withNumber,
            withCode: c.withCode,
            feesYen: Dictionary(
                uniqueKeysWithValues: CertificateChannel.allCases.map { ($0.description, c.fees[Int($0.rawValue)]) }),
            refused: Dictionary(uniqueKeysWithValues: c.refused.map { ($0.key.description, $0.value) }),
            utilization: c.utilization, auditRecords: c.auditRecords)
    }

    /// The summary block of foreign residents.
    static func foreignResidents(_ f: ForeignResidentsReport) -> Summary.ForeignResidents {
        Summary.ForeignResidents(
            extensionsNotified: f.agency.renewals, lapsesNotified: f.agency.lapses, amended: f.register.extended,
            removed: f.register.removed, unmatched: f.register.unmatched, reportsSent: f.register.reportsSent,
            reportsReceived: f.agency.reportsReceived, followed: f.agency.followed)
    }

    /// The summary block of the 戸籍 side.
    static func familyRegister(_ f: FamilyRegisterReport) -> Summary.FamilyRegister {
        let s = f.system
        return Summary.FamilyRegister(
            birthsFiled: s.birthsFiled, deathsFiled: s.deathsFiled, recordedHere: s.recordedHere,
            sentToDomicile: s.sentToDomicile, birthNotices: s.birthNotices, deathNotices: s.deathNotices,
            noticesUnmatched: s.noticesUnmatched, attachmentNotices: s.attachmentNotices,
            attachmentsKept: s.attachmentsKept, attachmentsSentOn: s.attachmentsSentOn, mismatches: s.mismatches,
            correctionsSent: s.correctionsSent, correctionsApplied: f.register.correctionsApplied,
            correctionsUnmatched: f.register.correctionsUnmatched)
    }

    /// The summary block of the departments.
    static func departments(_ d: DepartmentsReport) -> Summary.Departments {
        Summary.Departments(
            transferRecords: d.transferRecords, transferredWithNumber: d.transferredWithNumber,
            transferredWithoutNumber: d.transferredWithoutNumber,
            byDepartment: Dictionary(
                d.departments.map { r in
                    (
                        r.spec.name,
                        Summary.Department(
                            japanese: r.spec.japanese, numberUse: r.spec.numberUse, batches: r.batches,
                            records: r.records, withNumber: r.withNumber, lookups: r.lookups,
                            lookupsAnswered: r.lookupsAnswered, lookupsNotFound: r.lookupsNotFound,
                            numbersShown: r.numbersShown, numbersMasked: r.numbersMasked,
                            lookupP95Seconds: Double(r.lookupTime.percentile(95)) / 1e6, utilization: r.utilization)
                    )
                }, uniquingKeysWith: { a, _ in a }))
    }

    /// The report.md section of the departments.
    static func departmentLines(_ d: DepartmentsReport) -> [String] {
        var lines = [
            "## Departments (庁内連携)", "",
            "Transfers of every change to the departments (別添1 ⑫; 別添5), with the number to number-use work only: "
                + "\(d.transferRecords) transfer records (kept 7 years); persons transferred with the number "
                + "\(d.transferredWithNumber), without it \(d.transferredWithoutNumber). Look-ups in the unified addressee "
                + "system (他課照会) show the number to number-use work only.", "",
            "| department | | number use | records received | with the number | look-ups | numbers shown | masked "
                + "| utilisation |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for r in d.departments {
            lines.append(
                "| \(r.spec.name) | \(r.spec.japanese) | \(r.spec.numberUse ? "yes" : "no") | \(r.records) | "
                    + "\(r.withNumber) | \(r.lookups) | \(r.numbersShown) | \(r.numbersMasked) | "
                    + String(format: "%.4f %%", r.utilization * 100) + " |")
        }
        lines.append("")
        return lines
    }

    /// The 広域交付 part of the certificates block.
    static func wideArea(_ w: WideAreaReport) -> Summary.WideArea {
        let o = w.others
        return Summary.WideArea(
            answeredByOthers: o.answered, refusedByOthers: o.notResident, requestsFromOthers: o.requested,
            notifiedToOthers: w.notified, refusedForOthers: w.refused, printedElsewhere: o.issued,
            inFlight: o.inFlight, answerP95Seconds: Double(o.latency.percentile(95)) / 1e6)
    }

    /// The report.md section of the certificate system.
    static func certificateLines(_ c: CertificateSystem.Report, wideArea w: WideAreaReport = WideAreaReport())
        -> [String]
    {
        let s = certificates(c)
        func line(_ m: [String: Int]) -> String {
            CertificateKind.allCases.map { "\($0.description) \(m[$0.description] ?? 0)" }.joined(separator: ", ")
        }
        let refused = s.refused.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return [
            "## Certificates (証明交付システム)", "",
            "- at the counters: " + line(s.counter) + "; fees \(s.feesYen["counter"] ?? 0) 円",
            "- at convenience stores' kiosks (コンビニ交付): " + line(s.convenienceStore) + "; fees "
                + "\(s.feesYen["convenienceStore"] ?? 0) 円",
            "- with the individual number on request: \(s.withNumber); with the resident code: \(s.withCode); refused: "
                + (refused.isEmpty ? "none" : refused) + "; audit records \(s.auditRecords)",
            "- 広域交付 here for other municipalities' residents: \(s.counter["wideAreaCopy"] ?? 0) printed; their "
                + "municipalities answered \(w.others.answered), not on their register \(w.others.notResident)",
            "- 広域交付 elsewhere for our residents: \(w.others.requested) asked, notified by the register \(w.notified) "
                + "(別添1 ⑬), refused \(w.refused), printed \(w.others.issued), in flight \(w.others.inFlight); answer p95 "
                + Durations.readable(Double(w.others.latency.percentile(95))),
            "",
        ]
    }

    /// The summary block of counter support.
    static func counterSupport(_ c: CounterSupport.Report) -> Summary.CounterSupport {
        Summary.CounterSupport(
            drafted: Dictionary(
                uniqueKeysWithValues: Flow.allCases.compactMap { f in
                    let n = c.drafted[Int(f.rawValue)]
                    return n > 0 ? (f.description, n) : nil
                }),
            enteredByHand: c.counterManual, ocrReads: c.ocrReads, ocrFailures: c.ocrFailures,
            registerReads: c.registerReads, searches: c.searches, searchMisses: c.searchMisses,
            answerP95Seconds: Double(c.answerTime.percentile(95)) / 1e6, utilization: c.utilization,
            deskHoursSaved: c.deskSecondsSaved / 3600, auditRecords: c.auditRecords)
    }

    /// The report.md section of counter support.
    static func counterSupportLines(_ c: CounterSupport.Report) -> [String] {
        let s = counterSupport(c)
        let drafted = s.drafted.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return [
            "## Counter support (窓口業務支援システム)", "",
            "- notices drafted for the clerks: \(s.drafted.values.reduce(0, +))"
                + (drafted.isEmpty ? "" : " (\(drafted))") + "; entered by hand after all (OCR failed, or the "
                + "system out of reach): \(s.enteredByHand)",
            "- clerks' desk time saved: " + String(format: "%.1f h", s.deskHoursSaved) + "; paper move-out "
                + "certificates read by OCR \(s.ocrReads), unreadable \(s.ocrFailures); records read from the "
                + "register \(s.registerReads)",
            "- 届出書検索 for second checks: \(s.searches) (\(s.searchMisses) found nothing); answer p95 "
                + Durations.readable(s.answerP95Seconds * 1e6) + "; utilisation "
                + String(format: "%.2f %%", s.utilization * 100) + "; audit records \(s.auditRecords)",
            "",
        ]
    }

    /// The report.md section of information sharing.
    static func sharingLines(_ x: SharingReport) -> [String] {
        let s = informationSharing(x)
        let copy =
            s.copyAgreesWithRegister.map { $0 ? "agrees with the register" : "DISAGREES with the register" }
            ?? "\(s.pendingCopies) records in flight at the end"
        return [
            "## Information sharing (情報提供ネットワークシステム)", "",
            "- requests from other bodies: \(s.requests); refused by the network (not on the permission list): "
                + "\(s.refusedByNetwork); answered at once: \(s.provided); after a clerk's review (自動応答不可フラグ): "
                + "\(s.providedAfterReview); refused by the intermediate server: \(s.refusedByServer); not found: "
                + "\(s.notFound); in flight: \(s.inFlight)",
            "- answer time p95: " + Durations.readable(s.automaticP95Seconds * 1e6) + " at once, "
                + Durations.readable(s.reviewedP95Seconds * 1e6) + " reviewed (clerks "
                + String(format: "%.1f %%", s.clerkUtilization * 100) + " busy)",
            "- intermediate server copy (副本): \(s.copyRecords) records registered, \(s.codesObtained) codes (符号) "
                + "obtained, \(s.copiesRefused) refused; " + copy,
            "- records of provision (情報提供等記録, kept 7 years): \(s.serverRecords) at the server, "
                + "\(s.networkRecords) at the network; provisions outside the permission list: \(s.provisionsOffList)",
            "",
        ]
    }

    public static let schemaVersion = Summary.currentSchemaVersion

    /// The terminal summary of a run: journeys with p50/p95/p99, the three counters with the longest p95 wait,
    /// every threshold with its measured value (and the counter, for `counters.*`), the invariants and the phases.
    static func terminal(
        _ scenario: Scenario, _ report: NetworkReport, _ thresholds: [ThresholdResult], phases: RunPhases?,
        directory: String
    ) -> [String] {
        // Terminals draw kanji and kana two columns wide.
        func columns(_ text: String) -> Int {
            text.unicodeScalars.reduce(0) {
                $0 + ((0x1100...0x115F).contains($1.value) || (0x2E80...0xFFDC).contains($1.value) ? 2 : 1)
            }
        }
        func pad(_ text: String, _ width: Int) -> String {
            let w = columns(text)
            return w >= width ? text + " " : text + String(repeating: " ", count: width - w)
        }
        func right(_ text: String, _ width: Int) -> String {
            let w = columns(text)
            return w >= width ? " " + text : String(repeating: " ", count: width - w) + text
        }
        var lines = [
            "\(scenario.name) (seed \(scenario.seed)): \(report.start) → \(report.end), "
                + "\(report.invariants.arrivals) journeys, \(report.engine.handled) events", "",
            "  " + pad("journey", 22) + right("started", 9) + right("completed", 11) + right("persons", 9)
                + right("failed", 8) + right("p50", 11) + right("p95", 11) + right("p99", 11),
        ]
        for flow in Flow.allCases {
            guard let j = report.journeys[flow], j.started > 0 else { continue }
            let d = Distribution(j.latency)
            lines.append(
                "  " + pad(flow.description, 22) + right("\(j.started)", 9) + right("\(j.completed)", 11)
                    + right("\(j.persons)", 9) + right("\(j.failedCount)", 8)
                    + [50.0, 95, 99].map { right(d.count > 0 ? Durations.readable(d.percentile($0)) : "—", 11) }
                    .joined())
        }
        let worst = report.counters.filter { $0.served > 0 }.sorted {
            ($0.waits.percentile(95), $0.name) > ($1.waits.percentile(95), $1.name)
        }.prefix(3)
        if !worst.isEmpty {
            lines += ["", "  counters with the longest waits (p95, utilisation, longest queue):"]
            for c in worst {
                lines.append(
                    "    " + pad(c.name, 24) + right(Durations.readable(Double(c.waits.percentile(95))), 10)
                        + String(format: "  %5.1f %%", c.utilization * 100) + right("\(c.maxQueue)", 6))
            }
        }
        if let n = report.nation.map(nation) {
            lines += [
                "",
                "  the nation's other municipalities: \(n.municipalities), \(n.clerks) clerks, "
                    + "\(n.served.values.reduce(0, +)) notices served; waits p95 \(n.waitP95Minutes) min, utilisation "
                    + String(format: "%.1f %%", n.utilization * 100) + "; \(n.movedOut) persons moved between them",
            ]
        }
        if !thresholds.isEmpty {
            lines += ["", "  thresholds:"]
            for r in thresholds {
                lines.append(
                    "    \(r.ok ? "✓" : "✗") \(r.threshold.metric) \(r.threshold.expression): \(r.valueText)"
                        + (r.detail.map { " at \($0)" } ?? "") + (r.ok ? "" : "  FAILED"))
            }
        }
        let i = report.invariants
        lines += [
            "",
            "  invariants " + (i.holds ? "hold" : "BROKEN") + ": \(i.arrivals) arrivals = \(i.completed) completed + "
                + "\(i.failed) failed + \(i.inProgress) in progress; \(i.lostUpdates) lost updates, "
                + "\(i.unhandledMessages) unhandled messages",
        ]
        if report.faults.injected > 0 {
            lines.append(
                "  faults: \(report.faults.injected) injected, \(report.faults.retried) retried, "
                    + "\(report.faults.unavailable) refused as unreachable")
        }
        if let phases { lines.append("  time: " + phases.line) }
        lines.append("  report: \(directory)")
        return lines
    }

    /// The `journeys` block: every flow that started, with the hops `hops` gives it.
    static func journeys(
        _ stats: [Flow: JourneyStats], hops: (Flow) -> [String: Summary.Latency] = { _ in [:] }
    ) -> [String: Summary.Journey] {
        var journeys: [String: Summary.Journey] = [:]
        for flow in Flow.allCases {
            guard let j = stats[flow], j.started > 0 else { continue }
            var failed: [String: Int] = [:]
            for (reason, n) in j.failed { failed[reason.description] = n }
            journeys[flow.description] = Summary.Journey(
                started: j.started, completed: j.completed, persons: j.persons, failed: failed,
                latencySeconds: Distribution(j.latency).seconds, hops: hops(flow))
        }
        return journeys
    }

    /// The summary of one virtual-time run; only `wall` may differ between runs with the same seed.
    static func summary(
        _ scenario: Scenario, _ report: NetworkReport, thresholds: [ThresholdResult], wallSeconds: Double
    ) -> Summary {
        var s = Summary(kind: .run, scenario: scenario.name, seed: scenario.seed, clock: .virtual)
        let journeys = Self.journeys(report.journeys) { flow in
            var hops: [String: Summary.Latency] = [:]
            for (hop, durations) in report.hops.hops(of: flow) {
                hops[hop.description] = Distribution(durations).seconds
            }
            return hops
        }
        var counters: [String: Summary.Counter] = [:]
        let behaviour = scenario.configuration.service.visitors.isActive
        for c in report.counters {
            var counter = Summary.Counter(
                clerks: c.clerks, served: c.served, waitSeconds: Distribution(c.waits).seconds,
                utilization: round6(c.utilization), overtimeSeconds: round6(c.overtimeSeconds),
                servedAfterHours: c.servedAfterHours, sentHome: c.sentHome, maxQueue: c.maxQueue,
                secondChecks: c.secondChecks, secondCheckSeconds: round6(c.secondCheckSeconds),
                contractors: c.contractors, servedByContractors: c.servedByContractors,
                contractorSeconds: round6(c.contractorSeconds))
            if c.staffed { counter.clerkHours = round6(c.clerkSeconds / 3600) }
            if behaviour {
                counter.abandoned = c.visitors.abandoned
                counter.balked = c.visitors.balked
                counter.balkedElsewhere = c.visitors.balkedElsewhere
                counter.balkedLater = c.visitors.balkedLater
            }
            counters[c.name] = counter
        }
        var nodes: [String: Summary.Node] = [:]
        for n in report.nodes {
            var unhandled: [String: Int] = [:]
            for (kind, count) in n.unhandled { unhandled[kind.description] = count }
            nodes[n.name] = Summary.Node(
                handled: n.handled, utilization: n.utilization.map(round6), unhandled: unhandled)
        }
        let i = report.invariants
        s.simulated = Summary.SimulatedSpan(start: report.start.description, end: report.end.description)
        s.wall = Summary.Wall(
            seconds: round6(wallSeconds),
            eventsPerSecond: wallSeconds > 0 ? (Double(report.engine.handled) / wallSeconds).rounded() : 0,
            allocator: allocator())
        s.journeys = journeys
        s.counters = counters
        s.nodes = nodes
        s.invariants = Summary.Invariants(
            duplicateResidentCodes: i.duplicateResidentCodes, duplicateIndividualNumbers: i.duplicateIndividualNumbers,
            pendingUpdates: i.pendingUpdates, pendingReasons: i.pendingReasons, lostUpdates: i.lostUpdates,
            unhandledMessages: i.unhandledMessages, arrivals: i.arrivals, completed: i.completed, failed: i.failed,
            inProgress: i.inProgress, addresseeMismatches: i.addresseeMismatches, copyMismatches: i.copyMismatches,
            unrecordedProvisions: i.unrecordedProvisions, provisionsOffList: i.provisionsOffList,
            unrecordedTransfers: i.unrecordedTransfers, numbersOutsideNumberUse: i.numbersOutsideNumberUse,
            hold: i.holds)
        s.thresholds = thresholdList(thresholds)
        s.engine = Summary.Engine(
            events: report.engine.handled, windows: report.engine.windows, messages: report.engine.messages,
            digest: String(report.digest, radix: 16))
        s.audit = Summary.Audit(registerSystem: audit(report.registerAudit), municipalCS: audit(report.csAudit))
        s.security = security(report)
        s.faults = faults(report)
        s.retention = Summary.Retention(
            provisionRetentionYears: 7, provisionRecordsExpired: report.csAudit.expired,
            removedRecordRetentionYears: 150, removedRecordsExpunged: report.removedRecordsExpunged,
            removedRecordsKept: report.removedRecordsKept, deliveryRecordsSent: report.deliveryRecordsSent,
            deliveryRecordsDeleted: report.deliveryRecordsDeleted, deliveryRecordsHeld: report.deliveryRecordsHeld)
        let x = report.exOfficio
        s.exOfficio = Summary.ExOfficio(
            runs: x.runs, removals: x.removals, entries: x.entries, cardsRevoked: x.cardsRevoked)
        if let a = report.addressee {
            s.addressee = Summary.Addressee(
                entries: a.system.entries, batches: a.system.batches, records: a.system.records,
                issued: a.system.issued, numberDesignations: a.system.numberDesignations,
                numberChanges: a.system.numberChanges, returnsMatched: a.system.returnsMatched,
                refused: a.system.refusedNumbers + a.system.refusedRecords, utilization: a.system.utilization,
                waitP95Seconds: Double(a.system.waits.percentile(95)) / 1e6, pendingRecords: a.pendingRecords,
                agreesWithRegister: a.agreesWithRegister)
        }
        if let x = report.sharing { s.informationSharing = informationSharing(x) }
        if let c = report.certificates {
            s.certificates = certificates(c)
            s.certificates?.wideArea = wideArea(report.wideArea)
        }
        if let c = report.counterSupport { s.counterSupport = counterSupport(c) }
        if !report.departments.departments.isEmpty { s.departments = departments(report.departments) }
        if let f = report.foreignResidents { s.foreignResidents = foreignResidents(f) }
        if let f = report.familyRegister { s.familyRegister = familyRegister(f) }
        let v = report.variantCharacters
        s.variantCharacters = Summary.VariantCharacters(
            residents: v.residents, identityEntries: v.identityEntries, certificates: v.certificates,
            lettersWithSubstitutes: v.lettersWithSubstitutes, corrections: v.corrections)
        let c = report.cards
        s.cards = Summary.Cards(
            applications: c.applications, renewals: c.renewals, manufactured: c.manufactured,
            issuanceNotices: c.issuanceNotices, numberNotificationLetters: c.lettersQueued, handedOver: c.handedOver,
            continuations: c.continuations, lapsed: c.lapsed, revocations: c.revocations, faceChanges: c.faceChanges,
            signatureCertificatesLapsed: c.signatureLapsed, signatureCertificatesIssued: c.signatureIssued,
            certificatesRenewed: c.certificatesRenewed, expired: report.cardExpiry.expired,
            expiryNotices: report.cardExpiry.cardNotices,
            certificateExpiryNotices: report.cardExpiry.certificateNotices,
            serialsLinked: report.certificateSerialsLinked)
        s.searches = searches(report.searches)
        s.oneStop = oneStop(report.oneStop)
        s.nation = report.nation.map(nation)
        s.consistency = report.consistency.map { c in
            Summary.Consistency(
                checks: report.journeys[.consistencyCheck]?.started ?? 1, records: c.records,
                extractBytes: c.records * MemoryLayout<IdentityUpdate>.stride,
                prefectureDifferences: c.prefectureDifferences, nationalDifferences: c.nationalDifferences,
                remaining: c.prefectureRemaining + c.nationalRemaining,
                durationSeconds: c.end.map { round6(Double($0 - c.start) / 1e6) })
        }
        return s
    }

    static func nation(_ n: NationReport) -> Summary.Nation {
        let c = n.counter
        var served: [String: Int] = [:]
        for notice in LocalNotice.allCases where c.served[Int(notice.rawValue)] > 0 {
            served[notice.description] = c.served[Int(notice.rawValue)]
        }
        let m = n.moves
        return Summary.Nation(
            municipalities: n.municipalities, clerks: n.clerks, served: served,
            waitP50Minutes: LocalCounterFigures.quantileMinutes(c.waits, 0.5) ?? 0,
            waitP95Minutes: LocalCounterFigures.quantileMinutes(c.waits, 0.95) ?? 0,
            waitP99Minutes: LocalCounterFigures.quantileMinutes(c.waits, 0.99) ?? 0,
            longestWaitSeconds: round6(Double(c.longestWait) / 1e6), longestQueue: c.longestQueue,
            waitingAtEnd: n.waitingAtEnd, utilization: round6(n.utilization), movedOut: m.movedOut,
            movedIn: m.movedIn, moveInNoticesSent: m.noticesSent, moveInNoticesAcknowledged: m.noticesAcknowledged,
            moveInNoticesReceived: m.noticesReceived, notFound: m.notFound, refused: m.refused,
            busiest: n.busiest.map { b in
                Summary.Nation.Busiest(
                    municipality: b.municipality.description,
                    name: MunicipalityDirectory.entry(b.municipality)?.name ?? "", clerks: b.clerks, served: b.served,
                    waitP95Minutes: b.waitP95Minutes, utilization: round6(b.utilization))
            })
    }

    static func nationLines(_ s: Summary.Nation) -> [String] {
        let served = LocalNotice.allCases.map { "\($0.description) \(s.served[$0.description] ?? 0)" }
        var lines = [
            "## The nation's other municipalities", "",
            "- \(s.municipalities) municipalities, \(s.clerks) clerks (Fujisawa's residents per clerk); served: "
                + served.joined(separator: ", "),
            "- waits p50 \(s.waitP50Minutes) min, p95 \(s.waitP95Minutes) min, p99 \(s.waitP99Minutes) min; longest "
                + String(format: "%.1f min", s.longestWaitSeconds / 60)
                + ", longest queue \(s.longestQueue); utilisation "
                + String(format: "%.1f %%", s.utilization * 100) + "; \(s.waitingAtEnd) waiting at the end",
            "- moves between them: \(s.movedOut) persons out, \(s.movedIn) in; 転入通知 \(s.moveInNoticesSent) sent, "
                + "\(s.moveInNoticesAcknowledged) acknowledged, \(s.moveInNoticesReceived) received; \(s.notFound) "
                + "notices with nobody near the row drawn, \(s.refused) households not recorded",
        ]
        for b in s.busiest {
            lines.append(
                "  - \(b.municipality) \(b.name): \(b.clerks) clerks, \(b.served) served, p95 wait \(b.waitP95Minutes) "
                    + "min, utilisation " + String(format: "%.1f %%", b.utilization * 100))
        }
        return lines + [""]
    }

    static func oneStop(_ o: OneStopFigures) -> Summary.OneStop {
        Summary.OneStop(
            outgoing: Summary.OneStop.Outgoing(
                filings: o.outgoingFilings, refusedOutsideWindow: o.outgoingRefused, cancelled: o.outgoingCancelled),
            incoming: Summary.OneStop.Incoming(
                filings: o.incomingFilings, refusedOutsideWindow: o.incomingRefused, cancelled: o.incomingCancelled,
                processedAtOrigins: o.processedAtOrigins, waitingAtOrigins: o.waitingAtOrigins, dataAhead: o.dataAhead,
                servedFromDataAhead: o.servedFromDataAhead, fetchedAtVisit: o.fetchedAtVisit, reservationsHeld: o.held))
    }

    static func csv(_ report: NetworkReport) -> String {
        var lines = ["flow,hop,count,meanSeconds,p50,p90,p95,p99,p999,maxSeconds"]
        func row(_ flow: String, _ hop: String, _ d: Distribution) -> String {
            let v = [
                d.mean, d.percentile(50), d.percentile(90), d.percentile(95), d.percentile(99), d.percentile(99.9),
                d.max,
            ]
            return "\(flow),\(hop),\(d.count)," + v.map { String(format: "%.6f", $0 / 1e6) }.joined(separator: ",")
        }
        for flow in Flow.allCases {
            guard let s = report.journeys[flow], s.started > 0 else { continue }
            lines.append(row(flow.description, "journey", Distribution(s.latency)))
            for (hop, d) in report.hops.hops(of: flow) {
                lines.append(row(flow.description, hop.description, Distribution(d)))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func markdown(_ scenario: Scenario, _ report: NetworkReport, _ thresholds: [ThresholdResult]) -> String {
        var md = ["# \(scenario.name)", ""]
        if !scenario.description.isEmpty { md += [scenario.description, ""] }
        md += [
            "Simulated \(report.start) → \(report.end), seed \(scenario.seed). \(report.engine.handled) events.", "",
            "## Journeys", "",
            "A journey is one notice; persons counts the persons the completed notices named.", "",
            "| journey | 日本語 | started | completed | persons | failed | p50 | p95 | p99 | max |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for flow in Flow.allCases {
            guard let s = report.journeys[flow], s.started > 0 else { continue }
            let d = Distribution(s.latency)
            md.append(
                "| \(flow) | \(flow.japanese) | \(s.started) | \(s.completed) | \(s.persons) | \(s.failedCount) | "
                    + [50, 95, 99].map { Durations.readable(d.percentile($0)) }.joined(separator: " | ")
                    + " | \(Durations.readable(d.max)) |")
        }
        md += [
            "", "## Counters (窓口)", "",
            "Utilisation is clerk time serving inside office hours over clerk time in office hours; overtime is "
                + "clerk time serving after closing.", "",
            "| counter | clerks | served | p95 wait | max queue | utilisation | overtime | served after hours | sent home |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for c in report.counters {
            let d = Distribution(c.waits)
            md.append(
                "| \(c.name) | \(c.clerks) | \(c.served) | \(Durations.readable(d.percentile(95))) | \(c.maxQueue) | "
                    + String(format: "%.1f %%", c.utilization * 100) + " | "
                    + Durations.readable(c.overtimeSeconds * 1e6) + " | \(c.servedAfterHours) | \(c.sentHome) |")
        }
        let i = report.invariants
        md += [
            "", "## Invariants", "",
            "- duplicate resident codes: \(i.duplicateResidentCodes); duplicate individual numbers: \(i.duplicateIndividualNumbers)",
            "- pending identity updates: \(i.pendingUpdates); lost updates: \(i.lostUpdates)",
            "- journeys: \(i.arrivals) arrivals = \(i.completed) completed + \(i.failed) failed + \(i.inProgress) in progress",
            "- \(i.holds ? "all hold" : "**BROKEN**")", "",
        ]
        let auth = report.mutualAuthentication
        let refusals = [FailureReason.notAuthorized, .numberUseRequired, .notAuthenticated].map { reason in
            "\(reason) \(report.journeys.values.reduce(0) { $0 + ($1.failed[reason] ?? 0) })"
        }
        md += [
            "## Security and retention", "",
            "- refused journeys by kind: " + refusals.joined(separator: ", ")
                + "; certificates with the individual number (asked for): \(report.certificatesWithNumber), without "
                + "(omitted by default): \(report.numberOmitted)",
            "- audit trails: register system \(report.registerAudit.count) records, CS \(report.csAudit.count) records "
                + "(\(report.registerAudit.count(of: .refusal) + report.csAudit.count(of: .refusal)) refusals)",
            "- mutual authentication: "
                + (report.authenticationEnabled
                    ? "\(auth.sessions) session keys agreed, \(auth.sealed) messages sealed, \(auth.verified) verified, "
                        + "\(auth.refusedRevoked) refused (revoked), \(auth.refusedBadMAC) refused (MAC did not verify)"
                    : "off"),
            "- retention: provision records expired (7 years) \(report.csAudit.expired); removed records expunged "
                + "(150 years) \(report.removedRecordsExpunged), kept \(report.removedRecordsKept); delivery records "
                + "sent \(report.deliveryRecordsSent), deleted \(report.deliveryRecordsDeleted), held "
                + "\(report.deliveryRecordsHeld)",
            "",
        ]
        let cards = report.cards
        md += [
            "## My Number cards (個人番号カード)", "",
            "- applications to J-LIS \(cards.applications) (renewals \(cards.renewals)); cards made \(cards.manufactured) "
                + "and 交付通知書 mailed \(cards.issuanceNotices); 個人番号通知書 queued \(cards.lettersQueued)",
            "- handed over at the counters \(cards.handedOver), certificate serials linked to the register "
                + "\(report.certificateSerialsLinked); continued \(cards.continuations), lapsed \(cards.lapsed), revoked "
                + "\(cards.revocations)",
            "- card faces updated after a move \(cards.faceChanges): signature certificates lapsed "
                + "\(cards.signatureLapsed), issued anew \(cards.signatureIssued); e-certificates renewed "
                + "\(cards.certificatesRenewed)",
            "- cards expired \(report.cardExpiry.expired); 有効期限通知書 mailed by J-LIS: for cards "
                + "\(report.cardExpiry.cardNotices), for e-certificates \(report.cardExpiry.certificateNotices)",
            "- ex-officio work (職権記載・消除): \(report.exOfficio.runs) runs, \(report.exOfficio.removals) removals "
                + "(\(report.exOfficio.cardsRevoked) cards revoked), \(report.exOfficio.entries) entries",
            "",
        ]
        if let c = report.certificates { md += certificateLines(c, wideArea: report.wideArea) }
        if let n = report.nation { md += nationLines(nation(n)) }
        if let c = report.counterSupport { md += counterSupportLines(c) }
        if !report.departments.departments.isEmpty { md += departmentLines(report.departments) }
        if let f = report.foreignResidents {
            let s = foreignResidents(f)
            md += [
                "## Foreign residents (出入国在留管理庁)", "",
                "- the Minister of Justice's notices (別添1 ⑥, 住基法第30条の50): periods of stay extended \(s.extensionsNotified) "
                    + "(amended \(s.amended)), lapsed \(s.lapsesNotified) (removed ex officio \(s.removed)); for nobody on "
                    + "the register \(s.unmatched)",
                "- reports of foreign residents' records to the Minister (別添1 ⑤, 入管法第61条の8の2): sent \(s.reportsSent), "
                    + "received \(s.reportsReceived); residents followed \(s.followed)",
                "",
            ]
        }
        if let f = report.familyRegister {
            let s = familyRegister(f)
            md += [
                "## The 戸籍 side (戸籍情報システム)", "",
                "- filed at the counters: births \(s.birthsFiled), deaths \(s.deathsFiled); 戸籍 entries made here "
                    + "\(s.recordedHere), 届書 sent to the 本籍地 \(s.sentToDomicile)",
                "- filed elsewhere, notified (別添1 ⑨, 住基法第9条第2項): births \(s.birthNotices), deaths "
                    + "\(s.deathNotices); for nobody on the register \(s.noticesUnmatched)",
                "- 附票 notices (別添1 ⑩, 住基法第19条第1項): \(s.attachmentNotices), kept here \(s.attachmentsKept), sent "
                    + "to the 本籍地 \(s.attachmentsSentOn)",
                "- not matching the 戸籍 (別添1 ⑦, 第19条第2項): \(s.mismatches); answers sent \(s.correctionsSent), "
                    + "applied by the register \(s.correctionsApplied) (for nobody on it \(s.correctionsUnmatched))",
                "- 外字 (別添2【2】【3】): \(report.variantCharacters.residents) residents' names, "
                    + "\(report.variantCharacters.identityEntries) entries of the CS's file; certificates printed with "
                    + "them \(report.variantCharacters.certificates), letters with 代替文字 "
                    + "\(report.variantCharacters.lettersWithSubstitutes)",
                "",
            ]
        }
        if let x = report.sharing { md += sharingLines(x) }
        if let a = report.addressee {
            let s = a.system
            let end =
                a.agreesWithRegister.map { $0 ? "agrees with the register" : "DISAGREES with the register" }
                ?? "\(a.pendingRecords) records in flight at the end"
            let counts =
                "\(s.records) records in \(s.batches) batches, \(s.issued) numbers issued, "
                + "\(s.numberDesignations) individual numbers designated and \(s.numberChanges) changed under a kept "
                + "unified number, \(s.returnsMatched) returns matched, \(s.refusedNumbers + s.refusedRecords) refused"
            md += ["- unified addressee system (団体内統合宛名システム): " + counts + "; " + end, ""]
        }
        let o = report.oneStop
        md += [
            "## One-stop moves (引越しワンストップ)", "",
            "- online move-outs: \(o.outgoingFilings) filed, \(o.outgoingRefused) refused outside the window, "
                + "\(o.outgoingCancelled) withdrawn before processing",
            "- movers' reservations (転入予約): \(o.incomingFilings) filed, \(o.incomingRefused) refused outside the "
                + "window, \(o.incomingCancelled) withdrawn; \(o.processedAtOrigins) processed at the origin, "
                + "\(o.waitingAtOrigins) waiting there; data come ahead \(o.dataAhead); at the visit "
                + "\(o.servedFromDataAhead) served from it, \(o.fetchedAtVisit) fetched from the origin; \(o.held) still held",
            "",
        ]
        md += searchMarkdown(report.searches)
        let f = report.faults
        if f.injected > 0 {
            let c = report.consistency
            md += [
                "## Faults", "",
                "- injected: \(f.injected) ("
                    + f.byKind.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + ")",
                "- messages affected: \(f.affectedMessages); retried: \(f.retried) (\(f.retransmissions) retransmissions, "
                    + "\(f.outboxRetries) outbox retries); clerks' retries: \(f.counterRetries); refused as unreachable: "
                    + "\(f.unavailable)",
                "- store-and-forward: largest backlog \(f.maxBacklog) updates; longest drain after a fault "
                    + Durations.readable(Double(f.timeToDrain)) + "; duplicates ignored \(f.duplicatesIgnored); "
                    + "still waiting \(f.waiting)",
                "- lost updates: \(i.lostUpdates); divergence found by the consistency check: "
                    + (c.map { "\($0.prefectureDifferences + $0.nationalDifferences)" } ?? "not run")
                    + ", after reconciliation: "
                    + (c.map { "\($0.prefectureRemaining + $0.nationalRemaining)" } ?? "not run"),
                "",
            ]
        }
        md += thresholdMarkdown(thresholds)
        let a = AllocatorStatistics.current()
        md.append(
            "Allocator: \(a.allocator)"
                + (a.allocatedBytes.map { String(format: "; %.1f MB allocated", Double($0) / 1e6) } ?? "")
                + (a.residentBytes.map { String(format: ", %.1f MB resident", Double($0) / 1e6) } ?? "") + ".")
        md.append("")
        return md.joined(separator: "\n")
    }

    /// What faults did, store-and-forward's figures, and the consistency check's differences before and after
    /// reconciliation.
    static func faults(_ report: NetworkReport) -> Summary.Faults {
        let f = report.faults
        var outboxes: [String: Summary.Outbox] = [:]
        for (name, o) in f.outboxes {
            outboxes[name] = Summary.Outbox(
                batches: o.batchesSent, updates: o.updatesSent, retries: o.retries, maxBacklog: o.maxBacklog,
                drainSeconds: round6(Double(o.longestDrain) / 1e6), waiting: o.waiting)
        }
        let c = report.consistency
        return Summary.Faults(
            injected: f.injected, byKind: f.byKind, affectedMessages: f.affectedMessages, retried: f.retried,
            retransmissions: f.retransmissions, outboxRetries: f.outboxRetries, counterRetries: f.counterRetries,
            unavailable: f.unavailable, duplicatesIgnored: f.duplicatesIgnored, maxBacklog: f.maxBacklog,
            timeToDrainSeconds: round6(Double(f.timeToDrain) / 1e6), waiting: f.waiting, droppedUpdates: f.dropped,
            storeAndForward: report.storeAndForward, lostUpdates: report.invariants.lostUpdates,
            divergenceFound: c.map { $0.prefectureDifferences + $0.nationalDifferences },
            divergenceAfterReconciliation: c.map { $0.prefectureRemaining + $0.nationalRemaining }, outboxes: outboxes)
    }

    /// The searches section of report.md: found / not found / refused by where they were decided and key.
    static func searchMarkdown(_ report: SearchReport) -> [String] {
        var md = [
            "## Searches (本人確認情報検索) and queries to J-LIS (機構への照会)", "",
            "Found / not found / refused (too few facts, or a number without number-use rights).", "",
            "| decided at | code | number | basic facts |", "|---|---|---|---|",
        ]
        let rows = [
            ("municipal CS", report.municipalCS), ("prefecture servers", report.prefectureServers),
            ("national server", report.nationalServer), ("queries to J-LIS", report.queries),
        ]
        for (name, counts) in rows {
            let cells = SearchKind.allCases.map { kind in
                SearchCounts.Outcome.allCases.map { "\(counts.count(kind, $0))" }.joined(separator: " / ")
            }
            md.append("| \(name) | " + cells.joined(separator: " | ") + " |")
        }
        md.append("")
        return md
    }

    /// Searches and queries by where they were decided, key and outcome.
    static func searches(_ report: SearchReport) -> Summary.Searches {
        func keys(_ counts: SearchCounts) -> Summary.SearchKeys {
            func outcomes(_ kind: SearchKind) -> Summary.SearchOutcomes {
                Summary.SearchOutcomes(
                    found: counts.count(kind, .found), notFound: counts.count(kind, .notFound),
                    refused: counts.count(kind, .refused))
            }
            return Summary.SearchKeys(
                code: outcomes(.code), number: outcomes(.number), basicFacts: outcomes(.basicFacts))
        }
        return Summary.Searches(
            municipalCS: keys(report.municipalCS), prefectureServers: keys(report.prefectureServers),
            nationalServer: keys(report.nationalServer), jlisQueries: keys(report.queries))
    }

    /// Refusals by kind (from the journeys that failed on rights) and masked outputs.
    static func security(_ report: NetworkReport) -> Summary.Security {
        var refusals: [String: Int] = [:]
        for reason in [FailureReason.notAuthorized, .numberUseRequired, .notAuthenticated] {
            refusals[reason.description] = report.journeys.values.reduce(0) { $0 + ($1.failed[reason] ?? 0) }
        }
        let a = report.mutualAuthentication
        return Summary.Security(
            mutualAuthentication: Summary.MutualAuthentication(
                enabled: report.authenticationEnabled, sessions: a.sessions, macsSealed: a.sealed,
                macsVerified: a.verified, refusedRevoked: a.refusedRevoked, refusedBadMAC: a.refusedBadMAC),
            refusals: refusals, certificatesWithNumber: report.certificatesWithNumber,
            numberOmitted: report.numberOmitted,
            auditedRefusals: report.registerAudit.count(of: .refusal) + report.csAudit.count(of: .refusal))
    }

    /// An audit trail's size, head and counts by action.
    static func audit(_ trail: AuditTrail) -> Summary.AuditTrailFigures {
        Summary.AuditTrailFigures(
            records: trail.count, head: trail.headHex, view: trail.count(of: .view),
            change: trail.count(of: .change), batch: trail.count(of: .batch),
            provision: trail.count(of: .provision), refusal: trail.count(of: .refusal))
    }

    /// The allocator and its figures at the end of the run (machine-dependent, so under `wall`).
    static func allocator() -> Summary.Allocator {
        let a = AllocatorStatistics.current()
        return Summary.Allocator(name: a.allocator, allocatedBytes: a.allocatedBytes, residentBytes: a.residentBytes)
    }

    /// The `thresholds` list of summary.json: durations in seconds.
    static func thresholdList(_ thresholds: [ThresholdResult]) -> [Summary.ThresholdOutcome] {
        thresholds.map { r in
            Summary.ThresholdOutcome(
                metric: r.threshold.metric, expression: r.threshold.expression, ok: r.ok,
                value: r.value.map { r.threshold.boundIsDuration ? round6($0 / 1e6) : round6($0) })
        }
    }

    /// The thresholds section of report.md (nothing when there are none).
    static func thresholdMarkdown(_ thresholds: [ThresholdResult]) -> [String] {
        guard !thresholds.isEmpty else { return [] }
        var md = ["## Thresholds", "", "| metric | expression | value | result |", "|---|---|---|---|"]
        for r in thresholds {
            md.append(
                "| \(r.threshold.metric) | `\(r.threshold.expression)` | \(r.valueText) | \(r.ok ? "pass" : "**FAIL**") |"
            )
        }
        md.append("")
        return md
    }
}

extension Durations {
    /// µs as a short human reading: 850 ms, 12.3 s, 4.5 m, 1.2 h.
    static func readable(_ us: Double) -> String {
        switch us {
        case ..<10_000: String(format: "%.2f ms", us / 1e3)
        case ..<1_000_000: String(format: "%.0f ms", us / 1e3)
        case ..<60_000_000: String(format: "%.1f s", us / 1e6)
        case ..<3_600_000_000: String(format: "%.1f min", us / 6e7)
        default: String(format: "%.2f h", us / 3.6e9)
        }
    }
}
