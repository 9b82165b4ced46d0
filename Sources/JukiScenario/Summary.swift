import Foundation
import JukiCore

/// The `summary.json` of a run, a sweep, a canary, a load run or a capacity search: what `jukisim run` writes and
/// `jukisim compare` reads.
///
/// `Scenarios/summary.schema.json` is its JSON Schema; `SummarySchemaTests` checks the two against each other (every
/// key the types write is in the schema and every key in the schema is written), and CI validates every summary it
/// produces against the schema. Durations are seconds. Optional blocks are left out when they do not apply: which
/// blocks each ``Kind`` has is written in the schema.
public struct Summary: Codable, Sendable, Hashable {
    /// The version of this layout; `compare` refuses any other.
    public static let currentSchemaVersion = 5

    /// What produced the summary.
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        /// One scenario in virtual time.
        case run
        /// A sweep: one run per value, each with its own summary in ``Summary/variants``.
        case sweep
        /// The engine canary (M/M/c against Erlang C).
        case canary
        /// A wall-clock load run (`clock: wall`).
        case load
        /// `--find-capacity`: load steps until a latency limit.
        case capacity
        /// A suite: several scenarios, each with its own summary in ``Summary/suite``.
        case suite
    }

    /// Which clock the run's latencies are in.
    public enum Clock: String, Codable, Sendable, Hashable {
        case virtual
        case wall
    }

    public var schemaVersion = Summary.currentSchemaVersion
    public var kind: Kind
    public var scenario: String
    public var seed: UInt64
    public var clock: Clock
    public var simulated: SimulatedSpan?
    /// Machine-dependent figures: the only block that may differ between runs with the same seed.
    public var wall: Wall?
    public var journeys: [String: Journey]?
    public var counters: [String: Counter]?
    public var nodes: [String: Node]?
    public var invariants: Invariants?
    public var thresholds: [ThresholdOutcome]?
    public var engine: Engine?
    public var audit: Audit?
    public var security: Security?
    public var faults: Faults?
    public var retention: Retention?
    /// The consistency check (整合性確認) as a batch of its own, when one ran.
    public var consistency: Consistency?
    /// The My Number card lifecycle of the run, and the letters it mailed.
    public var cards: Cards?
    /// The register system's ex-officio work (職権記載・消除): batch runs, removals, entries, cards revoked.
    public var exOfficio: ExOfficio?
    public var addressee: Addressee?
    /// Information sharing through the network (情報提供ネットワークシステム) and the intermediate server (中間サーバ).
    public var informationSharing: InformationSharing?
    /// The certificate system (証明交付システム): certificates by channel and kind, fees, refusals.
    public var certificates: Certificates?
    /// The counter support system (窓口業務支援システム): notices drafted, OCR, searches, desk time saved (absent when
    /// the counters do not use it).
    public var counterSupport: CounterSupport?
    /// Transfers to the city's departments (庁内連携) and their look-ups in the unified addressee system.
    public var departments: Departments?
    /// Foreign residents: the Minister of Justice's notices and the municipality's reports (別添1 ⑤⑥).
    public var foreignResidents: ForeignResidents?
    public var familyRegister: FamilyRegister?
    public var variantCharacters: VariantCharacters?
    /// A nationwide network's other municipalities (`population.others.prefectures`).
    public var nation: Nation?
    /// A replicated run: every metric's mean and 95 % confidence interval over the replications (the rest of the
    /// summary is the first replication's, the run without replications).
    public var replications: Replicated?
    /// One-stop moves (引越しワンストップ) in both directions, from Myna Portal (runs; absent from summaries written
    /// before it existed).
    public var oneStop: OneStop?
    /// Identity searches and queries to J-LIS by where they were decided, by key and outcome (runs; absent from
    /// summaries written before it existed).
    public var searches: Searches?
    public var load: Load?
    public var canary: Canary?
    public var sweep: Sweep?
    public var variants: [Variant]?
    public var capacity: Capacity?
    /// Written by `jukisim merge`: the summaries combined and the figures that are only bounds.
    public var merged: Merged?
    /// A suite's entries, each with its exit code, times, baseline comparison and summary.
    public var suite: SuiteBlock?

    public init(kind: Kind, scenario: String, seed: UInt64, clock: Clock) {
        self.kind = kind
        self.scenario = scenario
        self.seed = seed
        self.clock = clock
    }
}

extension Summary {
    /// Mean, percentiles and maximum of a latency distribution, in seconds.
    public struct Latency: Codable, Sendable, Hashable {
        public var count: Int
        public var mean: Double
        public var p50: Double
        public var p90: Double
        public var p95: Double
        public var p99: Double
        public var p999: Double
        public var max: Double
        /// The distribution itself, µs, in HdrHistogram's standard compressed encoding (V2, DEFLATE, base64), so
        /// `jukisim merge` adds runs without loss; absent when nothing was recorded and in re-recorded baselines.
        public var histogram: String? = nil

        /// The statistics by name, as `compare` walks them (`count` is not a latency).
        public var statistics: [(String, Double)] {
            [("mean", mean), ("p50", p50), ("p90", p90), ("p95", p95), ("p99", p99), ("p999", p999), ("max", max)]
        }
    }

    /// The simulated clock at the start and end (calendar text; the canary has no calendar and adds seconds).
    public struct SimulatedSpan: Codable, Sendable, Hashable {
        public var start: String
        public var end: String
        public var endSeconds: Double?
    }

    /// Wall-clock figures of this machine: never deterministic.
    public struct Wall: Codable, Sendable, Hashable {
        public var seconds: Double
        public var eventsPerSecond: Double
        public var customersPerSecond: Double?
        public var journeysPerSecond: Double?
        public var allocator: Allocator?
    }

    /// The process allocator and its figures at the end of the run.
    public struct Allocator: Codable, Sendable, Hashable {
        public var name: String
        public var allocatedBytes: Int?
        public var residentBytes: Int?
    }

    /// One flow's journeys: counts, failures by reason, latency and the latency of every hop. A journey is one
    /// notice: `persons` counts the persons the completed ones named (a household moving together files one).
    public struct Journey: Codable, Sendable, Hashable {
        public var started: Int
        public var completed: Int
        public var persons: Int
        public var failed: [String: Int]
        public var latencySeconds: Latency
        public var hops: [String: Latency]
    }

    /// One counter (窓口): clerks, visits served, waits, utilisation inside office hours (0–1), the clerks'
    /// overtime after closing, and the longest queue.
    public struct Counter: Codable, Sendable, Hashable {
        public var clerks: Int
        public var served: Int
        public var waitSeconds: Latency
        public var utilization: Double
        public var overtimeSeconds: Double
        public var servedAfterHours: Int
        public var sentHome: Int
        public var maxQueue: Int
        /// Second-person checks of entries, and the clerk time they took.
        public var secondChecks: Int
        public var secondCheckSeconds: Double
        /// The contractor's staff among the clerks (委託), the visitors they served and their serving time (absent
        /// from summaries written before staff kinds existed).
        public var contractors: Int?
        public var servedByContractors: Int?
        public var contractorSeconds: Double?
        /// With a staffing schedule or lunch breaks: the clerk-hours at the desks inside office hours.
        public var clerkHours: Double?
        /// With impatient visitors: those who left the queue (abandoned) or did not join it (balked), and of those
        /// the ones who went to the main counter or come back another day.
        public var abandoned: Int?
        public var balked: Int?
        public var balkedElsewhere: Int?
        public var balkedLater: Int?
    }

    /// One node: events handled, worker utilisation (servers and counters) and messages it had no handler for.
    public struct Node: Codable, Sendable, Hashable {
        public var handled: UInt64
        public var utilization: Double?
        public var unhandled: [String: Int]
    }

    /// The end-of-run invariants; `hold` is their conjunction.
    public struct Invariants: Codable, Sendable, Hashable {
        public var duplicateResidentCodes: Int
        public var duplicateIndividualNumbers: Int
        public var pendingUpdates: Int
        public var pendingReasons: [String: Int]
        public var lostUpdates: Int
        public var unhandledMessages: Int
        public var arrivals: Int
        public var completed: Int
        public var failed: Int
        public var inProgress: Int
        /// The system-agreement invariants (absent from summaries written before they existed): the unified
        /// addressee system and the intermediate server's copy against the register, records of provision, and
        /// provisions outside the permission list.
        public var addresseeMismatches: Int?
        public var copyMismatches: Int?
        public var unrecordedProvisions: Int?
        public var provisionsOffList: Int?
        /// Transfers to departments without a record, and numbers outside number-use work (absent from summaries
        /// written before the departments existed).
        public var unrecordedTransfers: Int?
        public var numbersOutsideNumberUse: Int?
        public var hold: Bool
    }

    /// One checked threshold; `value` is absent when the metric had no data.
    public struct ThresholdOutcome: Codable, Sendable, Hashable {
        public var metric: String
        public var expression: String
        public var ok: Bool
        public var value: Double?
    }

    /// The engine's counts and the digest of every handled event (equal digests: identical runs).
    public struct Engine: Codable, Sendable, Hashable {
        public var events: UInt64
        public var windows: UInt64
        public var messages: UInt64?
        public var digest: String
    }

    /// The two hash-chained audit trails.
    public struct Audit: Codable, Sendable, Hashable {
        public var registerSystem: AuditTrailFigures
        public var municipalCS: AuditTrailFigures
    }

    /// An audit trail's size, chain head and records by action.
    public struct AuditTrailFigures: Codable, Sendable, Hashable {
        public var records: Int
        public var head: String
        public var view: Int
        public var change: Int
        public var batch: Int
        public var provision: Int
        public var refusal: Int
    }

    /// Refusals by kind, masked outputs and mutual authentication.
    public struct Security: Codable, Sendable, Hashable {
        public var mutualAuthentication: MutualAuthentication
        public var refusals: [String: Int]
        /// Certificates with the individual number (the person asked for it) and without (omitted by default).
        public var certificatesWithNumber: Int
        public var numberOmitted: Int
        public var auditedRefusals: Int
    }

    /// Session keys, MACs and refusals between Juki-net nodes.
    public struct MutualAuthentication: Codable, Sendable, Hashable {
        public var enabled: Bool
        public var sessions: Int
        public var macsSealed: Int
        public var macsVerified: Int
        public var refusedRevoked: Int
        public var refusedBadMAC: Int
    }

    /// What injected faults did, store-and-forward's figures and the consistency check's divergence.
    public struct Faults: Codable, Sendable, Hashable {
        public var injected: Int
        public var byKind: [String: Int]
        public var affectedMessages: Int
        public var retried: Int
        public var retransmissions: Int
        public var outboxRetries: Int
        public var counterRetries: Int
        public var unavailable: Int
        public var duplicatesIgnored: Int
        public var maxBacklog: Int
        public var timeToDrainSeconds: Double
        public var waiting: Int
        public var droppedUpdates: Int
        public var storeAndForward: Bool
        public var lostUpdates: Int
        /// Absent when no consistency check ran.
        public var divergenceFound: Int?
        public var divergenceAfterReconciliation: Int?
        public var outboxes: [String: Outbox]
    }

    /// Ex-officio entries and removals (職権記載・消除) after the city's investigations, run as a daily batch.
    public struct ExOfficio: Codable, Sendable, Hashable {
        public var runs: Int
        public var removals: Int
        public var entries: Int
        public var cardsRevoked: Int
    }

    /// The unified addressee system (団体内統合宛名システム): the register system's records it took, the numbers it
    /// issued, the individual numbers designated and changed under a kept unified number, the returning residents
    /// matched, what it refused, its load, and whether it agrees with the register at the end (absent while
    /// records are in flight).
    public struct Addressee: Codable, Sendable, Hashable {
        public var entries: Int
        public var batches: Int
        public var records: Int
        public var issued: Int
        public var numberDesignations: Int
        public var numberChanges: Int
        public var returnsMatched: Int
        public var refused: Int
        public var utilization: Double
        public var waitP95Seconds: Double
        public var pendingRecords: Int
        public var agreesWithRegister: Bool?
    }

    /// The certificate system (証明交付システム): certificates issued at the counters and at convenience stores' kiosks
    /// (コンビニ交付), by kind (`residentRecordCopy` 住民票の写し, `entryCertificate` 記載事項証明書, `removedRecordCopy`
    /// 除票の写し); those printed with the individual number or the resident code on request; fees in yen by
    /// channel; refusals by reason; its printer's utilisation; its audit trail's records.
    public struct Certificates: Codable, Sendable, Hashable {
        public var counter: [String: Int]
        public var convenienceStore: [String: Int]
        public var withNumber: Int
        public var withCode: Int
        public var feesYen: [String: Int]
        public var refused: [String: Int]
        public var utilization: Double
        public var auditRecords: Int
        /// 広域交付 both ways (absent from summaries written before it existed).
        public var wideArea: WideArea?
    }

    /// 広域交付 (住基法第12条の4): copies issued here for other municipalities' residents (their counter count is
    /// `counter.wideAreaCopy`) with their municipalities' answers (`answeredByOthers`, `refusedByOthers`: not on their
    /// register); and other municipalities' requests for this municipality's residents: made, notified by the register
    /// (別添1 ⑬), refused by it, printed there, still in flight, and the p95 time from request to answer.
    public struct WideArea: Codable, Sendable, Hashable {
        public var answeredByOthers: Int
        public var refusedByOthers: Int
        public var requestsFromOthers: Int
        public var notifiedToOthers: Int
        public var refusedForOthers: Int
        public var printedElsewhere: Int
        public var inFlight: Int
        public var answerP95Seconds: Double
    }

    /// Transfers to the city's departments (庁内連携, 別添1 ⑫, 別添5): the register's transfer records (kept 7 years),
    /// persons transferred with the individual number (特定個人情報, to number-use work) and without it, and per
    /// department (by its report name): its Japanese name, whether its work is number-use work, batches and records
    /// received (with the number), its look-ups in the unified addressee system (answered, not found, numbers
    /// shown and masked, the answer's p95) and its utilisation.
    public struct Departments: Codable, Sendable, Hashable {
        public var transferRecords: Int
        public var transferredWithNumber: Int
        public var transferredWithoutNumber: Int
        public var byDepartment: [String: Department]
    }

    /// Foreign residents (別添1 ⑤⑥): periods of stay the Immigration Services Agency notified as extended or lapsed,
    /// the register's amendments and ex-officio removals from them and notices for nobody on it, the reports of
    /// foreign residents' changes sent to the Minister and received there, and the residents the agency follows.
    public struct ForeignResidents: Codable, Sendable, Hashable {
        public var extensionsNotified: Int
        public var lapsesNotified: Int
        public var amended: Int
        public var removed: Int
        public var unmatched: Int
        public var reportsSent: Int
        public var reportsReceived: Int
        public var followed: Int
    }

    /// The 戸籍 side (別添1 ⑦⑨⑩): births and deaths filed at the counters (their 戸籍 entries made here or sent to the
    /// 本籍地), those filed elsewhere that arrived as notices (and those for nobody on the register), the register's
    /// 附票 notices (kept here, sent on), the mismatches the 本籍地 answered and the register's corrections.
    public struct FamilyRegister: Codable, Sendable, Hashable {
        public var birthsFiled: Int
        public var deathsFiled: Int
        public var recordedHere: Int
        public var sentToDomicile: Int
        public var birthNotices: Int
        public var deathNotices: Int
        public var noticesUnmatched: Int
        public var attachmentNotices: Int
        public var attachmentsKept: Int
        public var attachmentsSentOn: Int
        public var mismatches: Int
        public var correctionsSent: Int
        public var correctionsApplied: Int
        public var correctionsUnmatched: Int
    }

    /// 外字 (別添2【2】【3】): active residents whose name holds them, the CS's identity entries carrying the count,
    /// certificates printed with them, notification letters whose delivery record carried 代替文字, and names
    /// corrected to the 戸籍's form (別添1 ⑦).
    public struct VariantCharacters: Codable, Sendable, Hashable {
        public var residents: Int
        public var identityEntries: Int
        public var certificates: Int
        public var lettersWithSubstitutes: Int
        public var corrections: Int
    }

    /// A nationwide network's municipalities other than the home: how many, their clerks (the staffing rule),
    /// notices served at their counters by kind, waits (minutes, the upper edge of one-minute buckets), the
    /// longest wait and queue, visitors still waiting at the end, utilisation, their residents' moves between them
    /// (persons out and in, 転入通知 sent, acknowledged and received, notices whose resident was not found, households
    /// not recorded) and the five municipalities with the longest p95 waits.
    public struct Nation: Codable, Sendable, Hashable {
        public var municipalities: Int
        public var clerks: Int
        public var served: [String: Int]
        public var waitP50Minutes: Int
        public var waitP95Minutes: Int
        public var waitP99Minutes: Int
        public var longestWaitSeconds: Double
        public var longestQueue: Int
        public var waitingAtEnd: Int
        public var utilization: Double
        public var movedOut: Int
        public var movedIn: Int
        public var moveInNoticesSent: Int
        public var moveInNoticesAcknowledged: Int
        public var moveInNoticesReceived: Int
        public var notFound: Int
        public var refused: Int
        public var busiest: [Busiest]

        /// One municipality with a long p95 wait.
        public struct Busiest: Codable, Sendable, Hashable {
            public var municipality: String
            public var name: String
            public var clerks: Int
            public var served: Int
            public var waitP95Minutes: Int
            public var utilization: Double
        }
    }

    /// Replications: their count and seeds, the estimate of every numeric metric (by its JSON path), the headline
    /// metrics the "enough" rule judges, the widest of them, and the thresholds checked on the means.
    public struct Replicated: Codable, Sendable, Hashable {
        public var count: Int
        public var seeds: [UInt64]
        public var relativeHalfWidthTarget: Double
        public var absoluteHalfWidthSeconds: Double
        public var headline: [String]
        public var widest: String?
        public var widestRelativeHalfWidth: Double?
        public var enough: Bool
        public var replicationsNeeded: Int
        public var metrics: [String: Estimate]
        public var thresholds: [ReplicatedThreshold]
        /// A multi-day run's warm-up left out of the counters' journey times and waits (absent without one).
        public var warmUpSeconds: Double?
    }

    /// A threshold over replications: checked on the mean of its value, and how many replications passed it.
    public struct ReplicatedThreshold: Codable, Sendable, Hashable {
        public var metric: String
        public var expression: String
        public var ok: Bool
        public var passedIn: Int
        public var estimate: Estimate?
    }

    /// One department's figures.
    public struct Department: Codable, Sendable, Hashable {
        public var japanese: String
        public var numberUse: Bool
        public var batches: Int
        public var records: Int
        public var withNumber: Int
        public var lookups: Int
        public var lookupsAnswered: Int
        public var lookupsNotFound: Int
        public var numbersShown: Int
        public var numbersMasked: Int
        public var lookupP95Seconds: Double
        public var utilization: Double
    }

    /// Counter support (窓口業務支援システム): notices drafted for the clerks by flow, those entered by hand after all
    /// (OCR could not read the paper certificate, or the system was out of reach), OCR reads and failures, records
    /// read from the register, 届出書検索 by second clerks and those that found nothing, the p95 of a draft's answer,
    /// the system's utilisation, the clerks' desk hours saved and its audit records.
    public struct CounterSupport: Codable, Sendable, Hashable {
        public var drafted: [String: Int]
        public var enteredByHand: Int
        public var ocrReads: Int
        public var ocrFailures: Int
        public var registerReads: Int
        public var searches: Int
        public var searchMisses: Int
        public var answerP95Seconds: Double
        public var utilization: Double
        public var deskHoursSaved: Double
        public var auditRecords: Int
    }

    /// Information sharing (情報提供ネットワークシステムによる情報連携): other bodies' requests, refused by the network when
    /// not on the permission list, answered by the intermediate server at once or after a clerk's review (自動応答不可
    /// フラグ), or refused there; how long answers took; the copy (副本) kept from the unified addressee system and
    /// whether it agrees with the register (absent while records are in flight); the records of provision
    /// (情報提供等記録) on both sides.
    public struct InformationSharing: Codable, Sendable, Hashable {
        public var requests: Int
        public var refusedByNetwork: Int
        public var forwarded: Int
        public var provided: Int
        public var providedAfterReview: Int
        public var refusedByServer: Int
        public var notFound: Int
        public var inFlight: Int
        public var automaticP95Seconds: Double
        public var reviewedP50Seconds: Double
        public var reviewedP95Seconds: Double
        public var reviewWaitP95Seconds: Double
        public var clerkUtilization: Double
        public var serverUtilization: Double
        public var copyRecords: Int
        public var copiesRefused: Int
        public var codesObtained: Int
        public var pendingCopies: Int
        public var copyAgreesWithRegister: Bool?
        public var networkRecords: Int
        public var serverRecords: Int
        public var recordsExpired: Int
        public var serverRecordsHead: String
        public var provisionsOffList: Int
    }

    /// The card lifecycle (個人番号カード): applications to J-LIS (renewals among them), cards made, letters mailed
    /// (交付通知書 when a card is ready, 個人番号通知書 from delivery records), hand-overs at the counters,
    /// continuations, lapses and revocations, card faces updated after a move with the signature certificates that
    /// lapsed and were issued anew, and user-authentication certificate serials linked to the register.
    public struct Cards: Codable, Sendable, Hashable {
        public var applications: Int
        public var renewals: Int
        public var manufactured: Int
        public var issuanceNotices: Int
        public var numberNotificationLetters: Int
        public var handedOver: Int
        public var continuations: Int
        public var lapsed: Int
        public var revocations: Int
        public var faceChanges: Int
        public var signatureCertificatesLapsed: Int
        public var signatureCertificatesIssued: Int
        /// E-certificates renewed at the counter (電子証明書の更新, 本庁 only).
        public var certificatesRenewed: Int
        /// Cards whose validity ended during the run, and the 有効期限通知書 J-LIS mailed three months before a
        /// card's expiry and before a 10-year card's e-certificates expire.
        public var expired: Int
        public var expiryNotices: Int
        public var certificateExpiryNotices: Int
        public var serialsLinked: Int
    }

    /// One-stop moves: online move-outs of the municipality's residents (filed, refused outside the window of 30
    /// days before to 10 after the move, withdrawn before processing), and movers' reservations to it (the same, then
    /// processed at their origin, data come ahead, served from that data or fetched at the visit, still held).
    public struct OneStop: Codable, Sendable, Hashable {
        public struct Outgoing: Codable, Sendable, Hashable {
            public var filings: Int
            public var refusedOutsideWindow: Int
            public var cancelled: Int
        }
        public struct Incoming: Codable, Sendable, Hashable {
            public var filings: Int
            public var refusedOutsideWindow: Int
            public var cancelled: Int
            public var processedAtOrigins: Int
            public var waitingAtOrigins: Int
            public var dataAhead: Int
            public var servedFromDataAhead: Int
            public var fetchedAtVisit: Int
            public var reservationsHeld: Int
        }
        public var outgoing: Outgoing
        public var incoming: Incoming
    }

    /// The last consistency check of the run: its extract, what the servers found and left, and how long it took.
    public struct Consistency: Codable, Sendable, Hashable {
        /// Checks started in the run (yearly and on demand).
        public var checks: Int
        public var records: Int
        /// The extract's size on the wire (records × the identity update's size).
        public var extractBytes: Int
        public var prefectureDifferences: Int
        public var nationalDifferences: Int
        public var remaining: Int
        /// From sending the extract to the servers' answer; absent while it is still running.
        public var durationSeconds: Double?
    }

    /// Identity searches (本人確認情報検索) by where they were decided, and queries to J-LIS (機構への照会).
    public struct Searches: Codable, Sendable, Hashable {
        /// Answered from the CS's own file, or refused at the CS (at any scope).
        public var municipalCS: SearchKeys
        public var prefectureServers: SearchKeys
        public var nationalServer: SearchKeys
        /// Answered by the national server, or refused at the CS.
        public var jlisQueries: SearchKeys
    }

    /// Searches or queries by the key they gave: resident code, individual number, basic facts (4情報).
    public struct SearchKeys: Codable, Sendable, Hashable {
        public var code: SearchOutcomes
        public var number: SearchOutcomes
        public var basicFacts: SearchOutcomes
    }

    /// How searches or queries ended: found, not found, refused (too few facts, a number without number-use rights).
    public struct SearchOutcomes: Codable, Sendable, Hashable {
        public var found: Int
        public var notFound: Int
        public var refused: Int
    }

    /// One outbox path (sender → receiver).
    public struct Outbox: Codable, Sendable, Hashable {
        public var batches: Int
        public var updates: Int
        public var retries: Int
        public var maxBacklog: Int
        public var drainSeconds: Double
        public var waiting: Int
    }

    /// Retention jobs: provision records, removed records (除票) and delivery records.
    public struct Retention: Codable, Sendable, Hashable {
        public var provisionRetentionYears: Int
        public var provisionRecordsExpired: Int
        public var removedRecordRetentionYears: Int
        public var removedRecordsExpunged: Int
        public var removedRecordsKept: Int
        public var deliveryRecordsSent: Int
        public var deliveryRecordsDeleted: Int
        public var deliveryRecordsHeld: Int
    }

    /// A wall-clock load run: the profile, what was intended and issued, and corrected and uncorrected latency.
    public struct Load: Codable, Sendable, Hashable {
        public var profile: LoadProfileFigures
        public var mix: [String: Double]
        public var intended: Int
        public var issued: Int
        public var late: Int
        public var dropped: Int
        public var finished: Int
        public var inProgress: Int
        public var targetRate: Double
        public var achievedRate: Double
        public var achievedShare: Double
        public var latencySeconds: Latency
        public var uncorrectedLatencySeconds: Latency
        public var generator: Generator
    }

    /// The load profile as the scenario set it.
    public struct LoadProfileFigures: Codable, Sendable, Hashable {
        public var startRate: Double
        public var stages: [Stage]
        public var delayScale: Double
        public var maxLatenessSeconds: Double
    }

    /// One stage of a load profile: ramp to `target` journeys/s over `seconds`.
    public struct Stage: Codable, Sendable, Hashable {
        public var seconds: Double
        public var target: Double
    }

    /// The load generator's own health.
    public struct Generator: Codable, Sendable, Hashable {
        public var schedulerLagSeconds: Latency
        public var idleShare: Double
        public var cpuShare: Double
        public var cores: Int
        public var saturated: Bool
    }

    /// The canary's queueing system, what it measured and Erlang C's answer (times in mean service times).
    public struct Canary: Codable, Sendable, Hashable {
        public var points: Int
        public var servers: Int
        public var utilization: Double
        public var meanServiceSeconds: Double
        public var customers: Int
        public var meanTimeInSystem: Double
        public var meanWait: Double
        public var erlangCMeanTimeInSystem: Double
        public var deviation: Double
        public var maxQueue: Int
    }

    /// The swept key and its values, in order.
    public struct Sweep: Codable, Sendable, Hashable {
        public var parameter: String
        public var values: [String]
    }

    /// One value of a sweep: its folder, its full summary (without `wall`) and the waits over all counters.
    public struct Variant: Codable, Sendable, Hashable {
        public var value: String
        public var folder: String
        public var summary: Summary
        public var counters: PooledCounters
    }

    /// Every counter of a run together.
    public struct PooledCounters: Codable, Sendable, Hashable {
        public var served: Int
        public var waitSeconds: Latency
        public var utilization: Double
        public var maxQueue: Int
    }

    /// A capacity search: the limit, every step and the highest rate that kept it (absent when none did).
    public struct Capacity: Codable, Sendable, Hashable {
        public var percentile: Double
        public var limitSeconds: Double
        public var stepSeconds: Double
        public var highestSustainableRate: Double?
        public var steps: [CapacityStep]
    }

    /// One step of a capacity search.
    public struct CapacityStep: Codable, Sendable, Hashable {
        public var rate: Double
        public var achievedRate: Double
        public var pass: Bool
        public var dropped: Int
        public var late: Int
        public var latencySeconds: Latency
        public var uncorrectedLatencySeconds: Latency
        public var generator: StepGenerator
    }

    /// The generator's health in one capacity step.
    public struct StepGenerator: Codable, Sendable, Hashable {
        public var schedulerLagP99Seconds: Double
        public var cpuShare: Double
        public var saturated: Bool
    }
}

extension Summary {
    /// What `jukisim merge` combined: each input summary, and the paths whose figure is the largest of the inputs'
    /// (a percentile the summaries keep without its histogram, so the union's value is at most this).
    public struct Merged: Codable, Sendable, Hashable {
        public var inputs: [MergedInput]
        public var upperBounds: [String]
    }

    /// A suite run: its name, how many entries ran at once, and each entry.
    public struct SuiteBlock: Codable, Sendable, Hashable {
        public var name: String
        public var jobs: Int
        public var entries: [SuiteEntry]
    }

    /// One entry of a suite run: where its report is, how it ended, and its summary (absent when it could not run).
    public struct SuiteEntry: Codable, Sendable, Hashable {
        public var name: String
        public var file: String
        /// Its report folder, inside the suite's.
        public var folder: String
        public var startAfter: String?
        public var exitCode: Int
        /// Wall seconds from the suite's start to the entry's, and the entry's own.
        public var startSeconds: Double
        public var wallSeconds: Double
        public var error: String?
        public var baseline: String?
        public var baselinePassed: Bool?
        /// The metrics worse than the baseline's (or missing), when it was compared.
        public var baselineFailures: [String]?
        public var summary: Summary?
    }

    /// One summary `jukisim merge` combined.
    public struct MergedInput: Codable, Sendable, Hashable {
        public var scenario: String
        public var seed: UInt64
        public var digest: String?
        public var wallSeconds: Double?
    }
}

extension Summary {
    /// Why a summary could not be read.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// The summary as pretty-printed JSON with sorted keys (stable text for the same run).
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Every field is a plain number, text, Boolean or container of them: encoding cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }

    /// Reads a summary.json, naming what is wrong: unreadable, not JSON, another schema version, or a field
    /// missing or of the wrong type (with its path).
    public static func read(_ path: String) throws(ReadError) -> Summary {
        let data: Data
        do {
            data = try InputFile.read(path, limit: 256_000_000)
        } catch {
            throw ReadError(path: path, reason: error.description)
        }
        return try decode(data, path: path)
    }

    /// Decodes summary.json text; `path` names it in errors.
    public static func decode(_ data: Data, path: String) throws(ReadError) -> Summary {
        struct Version: Decodable { var schemaVersion: Int? }
        guard let version = try? JSONDecoder().decode(Version.self, from: data) else {
            throw ReadError(path: path, reason: "not a JSON object (expected a summary.json)")
        }
        guard version.schemaVersion == currentSchemaVersion else {
            let found = version.schemaVersion.map { "schemaVersion \($0)" } ?? "no schemaVersion"
            throw ReadError(
                path: path,
                reason: "\(found): this jukisim reads schemaVersion \(currentSchemaVersion) "
                    + "(run the scenario again, or re-record the baseline with Scripts/record_baselines.sh)")
        }
        do {
            return try JSONDecoder().decode(Summary.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw ReadError(path: path, reason: "\(codingPathText(context.codingPath + [key])): missing")
        } catch let DecodingError.typeMismatch(type, context) {
            throw ReadError(path: path, reason: "\(codingPathText(context.codingPath)): expected \(type)")
        } catch let DecodingError.valueNotFound(type, context) {
            throw ReadError(path: path, reason: "\(codingPathText(context.codingPath)): expected \(type), found null")
        } catch let DecodingError.dataCorrupted(context) {
            throw ReadError(path: path, reason: "\(codingPathText(context.codingPath)): \(context.debugDescription)")
        } catch {
            throw ReadError(path: path, reason: "not a summary.json (\(error))")
        }
    }

    /// `journeys.certificate.latencySeconds.p95`, `variants[0].summary.kind`.
    static func codingPathText(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text.isEmpty ? "summary" : text
    }
}
