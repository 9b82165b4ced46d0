import Foundation
import JukiSimulation
import Testing

@testable import JukiScenario

/// `Scenarios/summary.schema.json` against the `Summary` types: a summary with every block and optional field
/// filled in must use exactly the keys the schema lists, with the types it names, and every key the schema
/// lists must be written by the types. CI also validates real summaries with Python's `jsonschema`.
@Suite("summary.json's schema matches the Summary types")
struct SummarySchemaTests {
    static let schemaURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scenarios/summary.schema.json")

    static func latency(_ base: Double) -> Summary.Latency {
        var h = LatencyHistogram()
        for v in [base, base * 2, base * 3] { h.record(Int64(v * 1e6)) }
        return Summary.Latency(
            count: 3, mean: base, p50: base, p90: base * 2, p95: base * 2, p99: base * 3, p999: base * 3,
            max: base * 3, histogram: h.encoded)
    }

    /// Every optional field set and every map non-empty, so every key the types can write is written.
    static func complete() -> Summary {
        var s = Summary(kind: .load, scenario: "complete", seed: 7, clock: .wall)
        s.merged = Summary.Merged(
            inputs: [
                Summary.MergedInput(scenario: "complete", seed: 7, digest: "ab", wallSeconds: 1),
                Summary.MergedInput(scenario: "complete", seed: 8, digest: "cd", wallSeconds: 2),
            ], upperBounds: ["addressee.waitP95Seconds"])
        s.suite = Summary.SuiteBlock(
            name: "ci", jobs: 1,
            entries: [
                Summary.SuiteEntry(
                    name: "smoke", file: "Scenarios/smoke.yaml", folder: "smoke", startAfter: "first", exitCode: 1,
                    startSeconds: 0.5, wallSeconds: 1.5, error: "a message", baseline: "base.json",
                    baselinePassed: false, baselineFailures: ["journeys.certificate.latencySeconds.p95"],
                    summary: Summary(kind: .run, scenario: "smoke", seed: 7, clock: .virtual))
            ])
        s.simulated = Summary.SimulatedSpan(start: "2026-04-01T00:00", end: "2026-04-02T00:00", endSeconds: 86_400)
        s.wall = Summary.Wall(
            seconds: 1.5, eventsPerSecond: 1000, customersPerSecond: 10, journeysPerSecond: 5,
            allocator: Summary.Allocator(name: "jemalloc 5.3.0", allocatedBytes: 1, residentBytes: 2))
        s.journeys = [
            "certificate": Summary.Journey(
                started: 3, completed: 2, persons: 3, failed: ["notFound": 1], latencySeconds: latency(60),
                hops: ["desk": latency(30)])
        ]
        s.counters = [
            "本庁": Summary.Counter(
                clerks: 4, served: 3, waitSeconds: latency(10), utilization: 0.5, overtimeSeconds: 60,
                servedAfterHours: 1, sentHome: 0, maxQueue: 2, secondChecks: 2, secondCheckSeconds: 240, contractors: 1,
                servedByContractors: 3, contractorSeconds: 600, clerkHours: 30.5, abandoned: 1, balked: 2,
                balkedElsewhere: 1, balkedLater: 1)
        ]
        s.nodes = ["registerSystem": Summary.Node(handled: 9, utilization: 0.1, unhandled: ["timer": 1])]
        s.invariants = Summary.Invariants(
            duplicateResidentCodes: 0, duplicateIndividualNumbers: 0, pendingUpdates: 1,
            pendingReasons: ["in transit at the end of the run": 1], lostUpdates: 0, unhandledMessages: 1, arrivals: 3,
            completed: 2, failed: 1, inProgress: 0, addresseeMismatches: 0, copyMismatches: 0, unrecordedProvisions: 0,
            provisionsOffList: 0, unrecordedTransfers: 0, numbersOutsideNumberUse: 0, hold: false)
        s.thresholds = [Summary.ThresholdOutcome(metric: "m", expression: "p(95)<1m", ok: true, value: 1)]
        s.engine = Summary.Engine(events: 9, windows: 3, messages: 4, digest: "ab12")
        let trail = Summary.AuditTrailFigures(
            records: 5, head: String(repeating: "0", count: 64), view: 1, change: 1, batch: 1, provision: 1, refusal: 1)
        s.audit = Summary.Audit(registerSystem: trail, municipalCS: trail)
        s.security = Summary.Security(
            mutualAuthentication: Summary.MutualAuthentication(
                enabled: true, sessions: 1, macsSealed: 2, macsVerified: 2, refusedRevoked: 0, refusedBadMAC: 0),
            refusals: ["notAuthorized": 1], certificatesWithNumber: 1, numberOmitted: 2, auditedRefusals: 1)
        s.faults = Summary.Faults(
            injected: 1, byKind: ["outage": 1], affectedMessages: 1, retried: 1, retransmissions: 1, outboxRetries: 0,
            counterRetries: 0, unavailable: 0, duplicatesIgnored: 0, maxBacklog: 1, timeToDrainSeconds: 1, waiting: 0,
            droppedUpdates: 0, storeAndForward: true, lostUpdates: 0, divergenceFound: 1,
            divergenceAfterReconciliation: 0,
            outboxes: [
                "registerSystem→municipalCS": Summary.Outbox(
                    batches: 1, updates: 1, retries: 0, maxBacklog: 1, drainSeconds: 0, waiting: 0)
            ])
        s.retention = Summary.Retention(
            provisionRetentionYears: 7, provisionRecordsExpired: 0, removedRecordRetentionYears: 150,
            removedRecordsExpunged: 0, removedRecordsKept: 1, deliveryRecordsSent: 1, deliveryRecordsDeleted: 0,
            deliveryRecordsHeld: 1)
        s.exOfficio = Summary.ExOfficio(runs: 1, removals: 2, entries: 1, cardsRevoked: 1)
        s.addressee = Summary.Addressee(
            entries: 10, batches: 2, records: 3, issued: 1, numberDesignations: 1, numberChanges: 1,
            returnsMatched: 1, refused: 0, utilization: 0.1, waitP95Seconds: 0.002, pendingRecords: 0,
            agreesWithRegister: true)
        s.informationSharing = Summary.InformationSharing(
            requests: 20, refusedByNetwork: 1, forwarded: 19, provided: 16, providedAfterReview: 1, refusedByServer: 0,
            notFound: 0, inFlight: 2, automaticP95Seconds: 0.1, reviewedP50Seconds: 600, reviewedP95Seconds: 900,
            reviewWaitP95Seconds: 500, clerkUtilization: 0.01, serverUtilization: 0.001, copyRecords: 5,
            copiesRefused: 0, codesObtained: 1, pendingCopies: 0, copyAgreesWithRegister: true, networkRecords: 18,
            serverRecords: 17, recordsExpired: 0, serverRecordsHead: "00ff", provisionsOffList: 0)
        s.certificates = Summary.Certificates(
            counter: ["residentRecordCopy": 9], convenienceStore: ["residentRecordCopy": 3], withNumber: 1, withCode: 0,
            feesYen: ["counter": 2700, "convenienceStore": 600], refused: ["recordNotRemoved": 1], utilization: 0.01,
            auditRecords: 13,
            wideArea: Summary.WideArea(
                answeredByOthers: 4, refusedByOthers: 1, requestsFromOthers: 5, notifiedToOthers: 4,
                refusedForOthers: 1,
                printedElsewhere: 4, inFlight: 0, answerP95Seconds: 0.2))
        s.foreignResidents = Summary.ForeignResidents(
            extensionsNotified: 3, lapsesNotified: 1, amended: 3, removed: 1, unmatched: 0, reportsSent: 2,
            reportsReceived: 2, followed: 40)
        s.familyRegister = Summary.FamilyRegister(
            birthsFiled: 11, deathsFiled: 14, recordedHere: 11, sentToDomicile: 14, birthNotices: 2, deathNotices: 4,
            noticesUnmatched: 1, attachmentNotices: 300, attachmentsKept: 135, attachmentsSentOn: 165, mismatches: 3,
            correctionsSent: 1, correctionsApplied: 1, correctionsUnmatched: 0)
        s.variantCharacters = Summary.VariantCharacters(
            residents: 31, identityEntries: 31, certificates: 2, lettersWithSubstitutes: 0, corrections: 1)
        s.nation = Summary.Nation(
            municipalities: 38, clerks: 40, served: ["birth": 3, "moveIn": 5], waitP50Minutes: 1, waitP95Minutes: 7,
            waitP99Minutes: 20, longestWaitSeconds: 1_500.5, longestQueue: 3, waitingAtEnd: 0, utilization: 0.04,
            movedOut: 12, movedIn: 9, moveInNoticesSent: 7, moveInNoticesAcknowledged: 7, moveInNoticesReceived: 7,
            notFound: 0, refused: 0,
            busiest: [
                Summary.Nation.Busiest(
                    municipality: "312011", name: "鳥取市", clerks: 2, served: 30, waitP95Minutes: 12, utilization: 0.2)
            ])
        s.replications = Summary.Replicated(
            count: 3, seeds: [1, 7, 9], relativeHalfWidthTarget: 0.05, absoluteHalfWidthSeconds: 60,
            headline: ["journeys.certificate.latencySeconds.p95"], widest: "journeys.certificate.latencySeconds.p95",
            widestRelativeHalfWidth: 0.04, enough: true, replicationsNeeded: 3,
            metrics: ["journeys.certificate.latencySeconds.p95": Estimate([900, 950, 1_000], keepValues: true)],
            thresholds: [
                Summary.ReplicatedThreshold(
                    metric: "journeys.certificate.latency", expression: "p(95)<60m", ok: true, passedIn: 3,
                    estimate: Estimate([9e8, 9.5e8, 1e9]))
            ], warmUpSeconds: 86_400)
        s.departments = Summary.Departments(
            transferRecords: 16, transferredWithNumber: 30, transferredWithoutNumber: 6,
            byDepartment: [
                "insuranceAndPension": Summary.Department(
                    japanese: "保険年金課", numberUse: true, batches: 2, records: 6, withNumber: 5, lookups: 3,
                    lookupsAnswered: 3, lookupsNotFound: 0, numbersShown: 3, numbersMasked: 0, lookupP95Seconds: 0.01,
                    utilization: 0.0001)
            ])
        s.counterSupport = Summary.CounterSupport(
            drafted: ["moveIn": 4, "moveOut": 3], enteredByHand: 1, ocrReads: 5, ocrFailures: 1, registerReads: 3,
            searches: 7, searchMisses: 0, answerP95Seconds: 5.2, utilization: 0.001, deskHoursSaved: 1.5,
            auditRecords: 15)
        s.cards = Summary.Cards(
            applications: 5, renewals: 4, manufactured: 3, issuanceNotices: 3, numberNotificationLetters: 2,
            handedOver: 2, continuations: 1, lapsed: 1, revocations: 1, faceChanges: 2, signatureCertificatesLapsed: 2,
            signatureCertificatesIssued: 1, certificatesRenewed: 3, expired: 4, expiryNotices: 5,
            certificateExpiryNotices: 6, serialsLinked: 2)
        s.oneStop = Summary.OneStop(
            outgoing: Summary.OneStop.Outgoing(filings: 12, refusedOutsideWindow: 1, cancelled: 1),
            incoming: Summary.OneStop.Incoming(
                filings: 20, refusedOutsideWindow: 1, cancelled: 1, processedAtOrigins: 18, waitingAtOrigins: 0,
                dataAhead: 18, servedFromDataAhead: 11, fetchedAtVisit: 1, reservationsHeld: 6))
        s.consistency = Summary.Consistency(
            checks: 1, records: 3, extractBytes: 168, prefectureDifferences: 0, nationalDifferences: 1, remaining: 0,
            durationSeconds: 26.7)
        let outcomes = Summary.SearchOutcomes(found: 3, notFound: 1, refused: 1)
        let keys = Summary.SearchKeys(code: outcomes, number: outcomes, basicFacts: outcomes)
        s.searches = Summary.Searches(
            municipalCS: keys, prefectureServers: keys, nationalServer: keys, jlisQueries: keys)
        s.load = Summary.Load(
            profile: Summary.LoadProfileFigures(
                startRate: 1, stages: [Summary.Stage(seconds: 1, target: 2)], delayScale: 0, maxLatenessSeconds: 0.1),
            mix: ["certificate": 1], intended: 2, issued: 2, late: 0, dropped: 0, finished: 2, inProgress: 0,
            targetRate: 2, achievedRate: 2, achievedShare: 1, latencySeconds: latency(0.001),
            uncorrectedLatencySeconds: latency(0.001),
            generator: Summary.Generator(
                schedulerLagSeconds: latency(0.0001), idleShare: 0.5, cpuShare: 0.5, cores: 2, saturated: false))
        s.canary = Summary.Canary(
            points: 1, servers: 4, utilization: 0.8, meanServiceSeconds: 300, customers: 10, meanTimeInSystem: 1.5,
            meanWait: 0.5, erlangCMeanTimeInSystem: 1.5, deviation: 0.01, maxQueue: 3)
        var variant = s
        variant.kind = .run
        variant.clock = .virtual
        variant.wall = nil
        s.sweep = Summary.Sweep(parameter: "workload.oneStopShare", values: ["0"])
        s.variants = [
            Summary.Variant(
                value: "0", folder: "01-x", summary: variant,
                counters: Summary.PooledCounters(served: 3, waitSeconds: latency(10), utilization: 0.5, maxQueue: 2))
        ]
        s.capacity = Summary.Capacity(
            percentile: 99, limitSeconds: 0.001, stepSeconds: 2, highestSustainableRate: 1000,
            steps: [
                Summary.CapacityStep(
                    rate: 1000, achievedRate: 1000, pass: true, dropped: 0, late: 0, latencySeconds: latency(0.0001),
                    uncorrectedLatencySeconds: latency(0.0001),
                    generator: Summary.StepGenerator(schedulerLagP99Seconds: 0.0001, cpuShare: 0.5, saturated: false))
            ])
        return s
    }

    /// Walks a JSON value beside its schema: records each schema property it meets and every mismatch.
    struct Walker {
        var defs: [String: Any]
        var root: [String: Any]
        var seen: Set<String> = []
        var problems: [String] = []

        mutating func resolve(_ schema: [String: Any]) -> ([String: Any], String) {
            guard let ref = schema["$ref"] as? String else { return (schema, "") }
            if ref == "#" { return (root, "#") }
            let name = String(ref.dropFirst("#/$defs/".count))
            return ((defs[name] as? [String: Any]) ?? [:], name)
        }

        mutating func walk(_ value: Any, _ schemaIn: [String: Any], at path: String, owner: String) {
            let (schema, name) = resolve(schemaIn)
            let owner = name.isEmpty ? owner : name
            if let type = schema["type"] as? String, !matches(value, type) {
                problems.append("\(path): expected \(type), found \(value)")
            }
            if let options = schema["enum"] as? [String], let text = value as? String, !options.contains(text) {
                problems.append("\(path): \(text) is not one of \(options)")
            }
            if let object = value as? [String: Any] {
                let properties = schema["properties"] as? [String: Any]
                for (key, child) in object {
                    if let properties {
                        guard let childSchema = properties[key] as? [String: Any] else {
                            problems.append("\(path).\(key): written by the types, not in the schema")
                            continue
                        }
                        seen.insert("\(owner).\(key)")
                        walk(child, childSchema, at: "\(path).\(key)", owner: "\(owner).\(key)")
                    } else if let additional = schema["additionalProperties"] as? [String: Any] {
                        walk(child, additional, at: "\(path).\(key)", owner: "\(owner).*")
                    }
                }
                for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                    problems.append("\(path).\(key): required by the schema, not written")
                }
            }
            if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
                for (i, element) in array.enumerated() { walk(element, items, at: "\(path)[\(i)]", owner: owner) }
            }
        }

        func matches(_ value: Any, _ type: String) -> Bool {
            switch type {
            case "object": value is [String: Any]
            case "array": value is [Any]
            case "string": value is String
            case "boolean": value is JSONScalar.Boolean
            case "integer": (value as? JSONScalar.Number)?.isInteger ?? false
            case "number": value is JSONScalar.Number
            default: true
            }
        }

        /// Every `owner.key` the schema declares, for the coverage check.
        func declared() -> Set<String> {
            var keys: Set<String> = []
            func collect(_ schema: [String: Any], owner: String) {
                for (key, child) in schema["properties"] as? [String: Any] ?? [:] {
                    keys.insert("\(owner).\(key)")
                    if let c = child as? [String: Any], c["$ref"] == nil { collect(c, owner: "\(owner).\(key)") }
                    if let items = (child as? [String: Any])?["items"] as? [String: Any], items["$ref"] == nil {
                        collect(items, owner: "\(owner).\(key)")
                    }
                }
            }
            collect(root, owner: "")
            for (name, def) in defs { collect(def as? [String: Any] ?? [:], owner: name) }
            return keys
        }
    }

    func schema() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.schemaURL)) as? [String: Any])
    }

    @Test("a complete summary writes exactly the schema's keys, with its types")
    func keysAndTypes() throws {
        let schema = try schema()
        let json = try #require(
            JSONScalar.plain(try JSONDecoder().decode(JSONTree.self, from: Self.complete().json())) as? [String: Any])
        var walker = Walker(defs: schema["$defs"] as? [String: Any] ?? [:], root: schema)
        walker.walk(json, schema, at: "summary", owner: "")
        #expect(walker.problems.isEmpty, "\(walker.problems.joined(separator: "\n"))")
        let unwritten = walker.declared().subtracting(walker.seen).sorted()
        #expect(unwritten.isEmpty, "in the schema, never written by the types: \(unwritten)")
    }

    @Test("the schema version and kinds in the schema are the types'")
    func versionAndKinds() throws {
        let properties = try #require(try schema()["properties"] as? [String: Any])
        let version = (properties["schemaVersion"] as? [String: Any])?["const"] as? Int
        #expect(version == Summary.currentSchemaVersion)
        let kinds = (properties["kind"] as? [String: Any])?["enum"] as? [String]
        #expect(kinds == Summary.Kind.allCases.map(\.rawValue))
    }

    @Test("a summary survives encoding and decoding unchanged")
    func roundTrip() throws {
        let s = Self.complete()
        #expect(try Summary.decode(s.json(), path: "x") == s)
    }

    @Test("a summary with a field missing or of the wrong type is refused, naming the field")
    func refusals() throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Self.complete().json()) as? [String: Any])
        var engine = try #require(object["engine"] as? [String: Any])
        engine["events"] = "many"
        object["engine"] = engine
        let wrongType = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: Summary.ReadError.self) { try Summary.decode(wrongType, path: "x") }
        do {
            _ = try Summary.decode(wrongType, path: "x")
        } catch {
            #expect(error.reason.contains("engine.events"), "\(error.reason)")
        }
        object["engine"] = nil
        object["kind"] = nil
        let noKind = try JSONSerialization.data(withJSONObject: object)
        do {
            _ = try Summary.decode(noKind, path: "x")
            Issue.record("a summary without kind was accepted")
        } catch {
            #expect(error.reason.contains("kind: missing"), "\(error.reason)")
        }
        object["schemaVersion"] = 1
        let old = try JSONSerialization.data(withJSONObject: object)
        do {
            _ = try Summary.decode(old, path: "old.json")
            Issue.record("an old schema version was accepted")
        } catch {
            #expect(error.reason.contains("schemaVersion 1") && error.reason.contains("record_baselines"))
        }
        #expect(throws: Summary.ReadError.self) { try Summary.decode(Data("[1, 2]".utf8), path: "x") }
    }
}

/// The merge's JSON value (integers apart from fractions) as plain dictionaries and arrays for the walker.
enum JSONScalar {
    /// A JSON Boolean.
    struct Boolean { var value: Bool }
    /// A JSON number, and whether it is written as a whole number.
    struct Number {
        var value: Double
        var isInteger: Bool
    }

    static func plain(_ tree: JSONTree) -> Any {
        switch tree {
        case .object(let o): o.mapValues(plain)
        case .array(let a): a.map(plain)
        case .string(let s): s
        case .bool(let b): Boolean(value: b)
        case .int(let i): Number(value: Double(i), isInteger: true)
        case .double(let d): Number(value: d, isInteger: false)
        case .null: NSNull()
        }
    }
}
