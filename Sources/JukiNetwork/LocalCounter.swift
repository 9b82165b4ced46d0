import JukiCore
import JukiRegister
import JukiSimulation

/// The notices a municipality of the nationwide network takes at its counter (the home municipality's counters
/// have the full flows).
public enum LocalNotice: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case birth, death, relocation, moveOut, moveIn

    /// The counter flow whose desk time the notice takes.
    public var flow: Flow {
        switch self {
        case .birth: .birth
        case .death: .death
        case .relocation: .relocation
        case .moveOut: .moveOut
        case .moveIn: .moveIn
        }
    }

    public var description: String { flow.description }
}

/// A resident at a ``LocalCounter``: the notice, who (the row drawn, or the movers arriving with their paper
/// certificate) and since when.
struct LocalVisit: Sendable {
    var notice: LocalNotice
    var arrivedAt: Int64
    var row: RowID
    var persons: UInt8
    /// For move-ins: the household on the move-out certificate they bring (転出証明書), the filer first.
    var household: [MoveOutCertificate] = []
    /// For move-ins: the municipality they moved out of (where the 転入通知 goes).
    var origin: NodeID?
}

/// The counter of a municipality modelled without branches: `clerks` clerks serve its residents' notices first
/// come, first served, in office hours. Figures are kept lean (counts and minute buckets), as the nation has 1,740
/// of them.
public struct LocalCounter: Sendable {
    public let clerks: Int
    /// Visits waiting, oldest at `head`.
    var queue: [LocalVisit] = []
    var head = 0
    /// The visit at each clerk's desk.
    var desks: [LocalVisit?]
    public private(set) var figures = LocalCounterFigures()

    public init(clerks: Int) {
        self.clerks = max(clerks, 1)
        desks = Array(repeating: nil, count: max(clerks, 1))
    }

    /// Visitors waiting now.
    public var waiting: Int { queue.count - head }

    /// A visitor arrives: the desk they take now, or nil when every clerk is busy (they queue).
    mutating func arrive(_ visit: LocalVisit, now: Int64) -> Int? {
        figures.arrived[Int(visit.notice.rawValue)] += 1
        if let desk = desks.firstIndex(where: { $0 == nil }) {
            start(visit, at: desk, now: now)
            return desk
        }
        queue.append(visit)
        figures.longestQueue = max(figures.longestQueue, waiting)
        return nil
    }

    /// The clerk at `desk` finished: the visit they served, and whether the next in line sat down there.
    mutating func finish(desk: Int, now: Int64) -> (done: LocalVisit?, next: Bool) {
        guard desks.indices.contains(desk), let done = desks[desk] else { return (nil, false) }
        desks[desk] = nil
        figures.record(done.notice, visitTime: now - done.arrivedAt)
        guard head < queue.count else { return (done, false) }
        let next = queue[head]
        head += 1
        // Drop the served prefix now and then, so the array does not grow with the run.
        if head >= 1_024 && head * 2 >= queue.count {
            queue.removeFirst(head)
            head = 0
        }
        start(next, at: desk, now: now)
        return (done, true)
    }

    /// The visit at `desk`.
    func visit(at desk: Int) -> LocalVisit? { desks.indices.contains(desk) ? desks[desk] : nil }

    mutating func start(_ visit: LocalVisit, at desk: Int, now: Int64) {
        desks[desk] = visit
        figures.recordWait(now - visit.arrivedAt)
    }

    /// Counts `time` of a clerk's desk work.
    mutating func recordDesk(_ time: Int64) { figures.deskTime = SimulatedDuration.adding(figures.deskTime, time) }

    /// The desk time of `visit`: the flow's desk time, the further persons', the second-person check.
    static func deskTime(_ visit: LocalVisit, service: ServiceModel, _ random: inout RandomStream) -> Int64 {
        let flow = visit.notice.flow
        var t = service.desk[flow]?.sample(&random) ?? 0
        if visit.persons > 1, let extra = service.perExtraPerson[flow] {
            for _ in 1..<Int(visit.persons) { t = SimulatedDuration.adding(t, extra.sample(&random)) }
        }
        if service.secondCheckOn { t = SimulatedDuration.adding(t, service.secondCheck.sample(&random)) }
        return max(t, 1)
    }
}

/// A ``LocalCounter``'s figures: visits by notice, waits and visit times in one-minute buckets (mergeable over the
/// nation), desk time for utilisation.
public struct LocalCounterFigures: Sendable, Hashable {
    /// Buckets of one minute up to four hours; the last holds everything longer.
    public static let buckets = 241
    public var arrived = [Int](repeating: 0, count: LocalNotice.allCases.count)
    public var served = [Int](repeating: 0, count: LocalNotice.allCases.count)
    public var waits = [UInt32](repeating: 0, count: buckets)
    public var visitTimes = [UInt32](repeating: 0, count: buckets)
    public var longestWait: Int64 = 0
    public var longestQueue = 0
    /// Clerks' time at the desk, µs (for utilisation).
    public var deskTime: Int64 = 0

    public init() {}

    static func bucket(_ duration: Int64) -> Int { min(Int(max(duration, 0) / 60_000_000), buckets - 1) }

    mutating func recordWait(_ wait: Int64) {
        waits[Self.bucket(wait)] &+= 1
        longestWait = max(longestWait, wait)
    }

    mutating func record(_ notice: LocalNotice, visitTime: Int64) {
        served[Int(notice.rawValue)] += 1
        visitTimes[Self.bucket(visitTime)] &+= 1
    }

    /// Adds another counter's figures.
    public mutating func merge(_ other: LocalCounterFigures) {
        for i in arrived.indices {
            arrived[i] += other.arrived[i]
            served[i] += other.served[i]
        }
        for i in waits.indices {
            waits[i] &+= other.waits[i]
            visitTimes[i] &+= other.visitTimes[i]
        }
        longestWait = max(longestWait, other.longestWait)
        longestQueue = max(longestQueue, other.longestQueue)
        deskTime = SimulatedDuration.adding(deskTime, other.deskTime)
    }

    /// The `q` quantile (0–1) of `buckets`, in minutes: the upper edge of the bucket it falls in (nil when empty).
    public static func quantileMinutes(_ buckets: [UInt32], _ q: Double) -> Int? {
        let total = buckets.reduce(0) { $0 + Int($1) }
        guard total > 0 else { return nil }
        let rank = max(1, Int((q * Double(total)).rounded(.up)))
        var seen = 0
        for (i, n) in buckets.enumerated() {
            seen += Int(n)
            if seen >= rank { return i + 1 }
        }
        return buckets.count
    }
}

/// A nationwide network's moves out of one municipality to the others (``MigrationModel``): persons a year per
/// resident, where to (the others' nodes and a cumulative table over them, in the same order) and the workload
/// that draws a notice's persons and the month's factor.
public struct NationMoves: Sendable {
    /// Business days a year, to turn yearly rates into a business day's [E: 365 less weekends and about 16
    /// holidays and the year-end closure ≈ 243].
    public static let businessDaysPerYear = 243.0
    public var perResidentPerYear: Double
    public var destinations: [NodeID]
    public var cumulative: [Double]
    public var workload: Workload

    public init(perResidentPerYear: Double, destinations: [NodeID], cumulative: [Double], workload: Workload) {
        self.perResidentPerYear = perResidentPerYear
        self.destinations = destinations
        self.cumulative = cumulative
        self.workload = workload
    }

    /// Move-out notices a business day of `month` for `residents` residents (persons over persons per notice).
    public func noticesPerBusinessDay(residents: Int, month: Int) -> Double {
        perResidentPerYear * Double(residents) / Self.businessDaysPerYear / workload.meanPersons(.moveOut)
            * workload.seasonalFactor(.moveOut, month: month)
    }
}

/// A nationwide network's municipalities (all but the home) after a run: their counters' figures merged, their
/// residents' moves, and the five whose visitors waited longest.
public struct NationReport: Sendable, Hashable {
    public var municipalities: Int
    public var clerks: Int
    public var counter = LocalCounterFigures()
    /// Visitors still in a queue at the end.
    public var waitingAtEnd = 0
    /// Desk time over the clerks' office hours, all municipalities together.
    public var utilization = 0.0
    public var moves = NationMoveFigures()
    public var busiest: [Busiest] = []

    /// One municipality's counter: its clerks, the visits served, the 95th percentile of waits (minutes, the upper
    /// edge of its one-minute bucket) and utilisation.
    public struct Busiest: Sendable, Hashable {
        public var municipality: MunicipalityCode
        public var clerks: Int
        public var served: Int
        public var waitP95Minutes: Int
        public var utilization: Double
    }

    /// The report over the other municipalities' reports of a run whose office hours were `openSeconds`.
    public init(_ reports: [OtherMunicipality.Report], openSeconds: Double) {
        municipalities = reports.count
        clerks = reports.reduce(0) { $0 + $1.clerks }
        var ranked: [Busiest] = []
        for r in reports {
            moves.merge(r.nationMoves)
            waitingAtEnd += r.waiting
            guard let c = r.counter else { continue }
            counter.merge(c)
            let office = openSeconds * Double(max(r.clerks, 1)) * 1e6
            ranked.append(
                Busiest(
                    municipality: r.municipality, clerks: r.clerks, served: c.served.reduce(0, +),
                    waitP95Minutes: LocalCounterFigures.quantileMinutes(c.waits, 0.95) ?? 0,
                    utilization: office > 0 ? Double(c.deskTime) / office : 0))
        }
        let office = openSeconds * Double(max(clerks, 1)) * 1e6
        utilization = office > 0 ? Double(counter.deskTime) / office : 0
        // Longest p95 wait first, then the busier, then by code: the same order on every run.
        busiest = Array(
            ranked.sorted {
                ($0.waitP95Minutes, $0.utilization, $1.municipality.rawValue)
                    > ($1.waitP95Minutes, $1.utilization, $0.municipality.rawValue)
            }.prefix(5))
    }
}
