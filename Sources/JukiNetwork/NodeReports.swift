import JukiCore
import JukiRegister
import JukiSimulation

/// A node behaviour that sums up its own figures after a run.
///
/// The figures are computed inside the node's actor (``BehaviorNode/report(_:)``), so only they leave it: the
/// behaviour's working state (registers, identity files, queues) stays where it is.
public protocol ReportingBehavior: NodeBehavior {
    /// The node's figures: small and `Sendable`.
    associatedtype Report: Sendable
    /// The node's figures over `period`.
    func report(_ period: ReportPeriod) -> Report
}

/// The part of a run a report covers: what utilisations divide by, and when open timelines close.
public struct ReportPeriod: Sendable, Hashable {
    /// The end of the run, µs.
    public var end: Int64
    /// Seconds from the day's start to the end of the run: a server's worker time is this times its workers.
    public var runSeconds: Double
    /// Office hours over the run's business days, in seconds: a counter's clerk time is this times its clerks.
    public var openSeconds: Double
    /// Office hours of the Saturday openings in the run (counters that open on Saturdays add them).
    public var saturdayOpenSeconds: Double = 0

    public init(end: Int64, runSeconds: Double, openSeconds: Double) {
        self.end = end
        self.runSeconds = runSeconds
        self.openSeconds = openSeconds
    }
}

extension BehaviorNode where Behavior: ReportingBehavior {
    /// The behaviour's report over `period`, computed inside the actor.
    public func report(_ period: ReportPeriod) -> Behavior.Report { core.behavior.report(period) }
}

/// A server behaviour with a pool of workers (the register system, the CS, the prefecture and national servers,
/// the card management system).
public protocol PoolServing {
    var serverStatistics: WorkerPool { get }
}

extension RegisterSystem: PoolServing {}
extension MunicipalCS: PoolServing {}
extension PrefectureServer: PoolServing {}
extension NationalServer: PoolServing {}
extension CardManagementSystem: PoolServing {}

extension BehaviorNode where Behavior: PoolServing {
    /// The server's workers, queue and waits so far, read inside the actor.
    public func pool() -> WorkerPool { core.behavior.serverStatistics }
}

/// One server's worker pool at the end of a run, named as the scenario's `servers` key names it.
public struct ServerPoolReport: Sendable {
    public var name: String
    public var pool: WorkerPool
}

extension NetworkSimulation {
    /// The five server pools a scenario's `servers` key sets, as the run left them; of the prefecture servers,
    /// the one that served the most (the municipality's own).
    public func serverPools() async -> [ServerPoolReport] {
        var busiest: WorkerPool?
        for p in prefectures {
            let pool = await p.pool()
            if busiest.map({ pool.served > $0.served }) ?? true { busiest = pool }
        }
        var reports = [
            ServerPoolReport(name: "registerSystem", pool: await registerSystem.pool()),
            ServerPoolReport(name: "municipalCS", pool: await municipalCS.pool()),
        ]
        if let busiest { reports.append(ServerPoolReport(name: "prefectureServer", pool: busiest)) }
        reports += [
            ServerPoolReport(name: "nationalServer", pool: await national.pool()),
            ServerPoolReport(name: "cardManagementSystem", pool: await cardSystem.pool()),
        ]
        return reports
    }
}

extension WorkerPool {
    /// Busy time over worker time across `seconds` of run.
    public func utilization(over seconds: Double) -> Double { Double(busyTime) / 1e6 / (seconds * Double(workers)) }
}

/// The resident codes and individual numbers active in one register: the inputs of the nation-wide duplicate
/// check, which needs every register's.
public struct ActiveIdentifiers: Sendable {
    public var residentCodes: [ResidentCode] = []
    public var individualNumbers: [IndividualNumber] = []

    public init() {}
}

extension ResidentRegister {
    /// The identifiers of every active record (a record without a number adds only its code).
    func activeIdentifiers() -> ActiveIdentifiers {
        var result = ActiveIdentifiers()
        result.residentCodes.reserveCapacity(count)
        result.individualNumbers.reserveCapacity(count)
        let c = columns
        for r in 0..<count where c.status[r] == 0 {
            result.residentCodes.append(ResidentCode(uncheckedRawValue: c.residentCode[r]))
            if c.individualNumber[r] != 0 {
                result.individualNumbers.append(IndividualNumber(uncheckedRawValue: c.individualNumber[r]))
            }
        }
        return result
    }
}

/// Every node's own report of a run, gathered one actor call per node; ``NetworkSimulation/report()`` assembles
/// the network's report from them.
public struct PerNodeReports: Sendable {
    public var period: ReportPeriod
    public var residents: Residents.Report
    /// In layout order, as ``NetworkSimulation/counterNames``.
    public var counters: [BranchCounter.Report]
    public var registerSystem: RegisterSystem.Report
    public var municipalCS: MunicipalCS.Report
    public var cardSystem: CardManagementSystem.Report
    public var nationalServer: NationalServer.Report
    public var portal: MynaPortal.Report
    public var applicationManager: ApplicationManager.Report
    /// By prefecture code − 1.
    public var prefectures: [PrefectureServer.Report]
    /// In configuration order.
    public var others: [OtherMunicipality.Report]
    /// Nil in a layout without one.
    public var unifiedAddressee: UnifiedAddresseeSystem.Report?
    public var intermediateServer: IntermediateServer.Report?
    public var sharingNetwork: InformationSharingNetwork.Report?
    public var certificateSystem: CertificateSystem.Report
    public var counterSupport: CounterSupport.Report
    public var departments: [Department.Report]
    public var immigration: ImmigrationServicesAgency.Report
    public var familyRegister: FamilyRegisterFigures
}

/// Identity searches or queries to J-LIS a node decided, by what they looked for (``SearchKind``) and how they
/// ended: found, not found, or refused (too few facts, a number without number-use rights).
public struct SearchCounts: Sendable, Hashable {
    /// By ``SearchKind`` raw value.
    var found = [0, 0, 0]
    var notFound = [0, 0, 0]
    var refused = [0, 0, 0]

    public init() {}

    /// How a search or query that ended with `failure` counts.
    public enum Outcome: Sendable, Hashable, CaseIterable, CustomStringConvertible {
        case found, notFound, refused

        public var description: String {
            switch self {
            case .found: "found"
            case .notFound: "notFound"
            case .refused: "refused"
            }
        }
    }

    /// Counts one search or query for `target` that ended with `failure` (any failure but not found is a refusal).
    mutating func count(_ target: SearchTarget, _ failure: FailureReason) {
        let k = target.kind.rawValue
        switch failure {
        case .none: found[k] += 1
        case .notFound: notFound[k] += 1
        default: refused[k] += 1
        }
    }

    /// The count of `kind` that ended with `outcome`.
    public func count(_ kind: SearchKind, _ outcome: Outcome) -> Int {
        switch outcome {
        case .found: found[kind.rawValue]
        case .notFound: notFound[kind.rawValue]
        case .refused: refused[kind.rawValue]
        }
    }

    /// Every search or query counted.
    public var total: Int { (found + notFound + refused).reduce(0, +) }

    /// Adds `other`'s counts.
    public mutating func merge(_ other: SearchCounts) {
        for k in 0..<3 {
            found[k] += other.found[k]
            notFound[k] += other.notFound[k]
            refused[k] += other.refused[k]
        }
    }
}
