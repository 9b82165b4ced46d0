import JukiCore
import JukiSimulation

/// Where a move comes from: another municipality's node and its population.
public struct Origin: Sendable, Hashable {
    public var node: NodeID
    public var residents: Int
    public var inKanagawa: Bool
}

/// The residents of a municipality: who moves, is born, dies or needs a certificate, when, with or without a
/// card; they start journeys by visiting their counter.
///
/// Each flow is one Poisson stream over the office day, thinned by the day's profile; the resident is picked on
/// arrival, so registered residents hold no pending events.
public struct Residents: NodeBehavior {
    let layout: NetworkLayout
    let links: LinkTable
    let workload: Workload
    let date: CivilDate
    let opening: Int64
    let closing: Int64
    /// Per row: the counter serving the resident's town, the resident code and card state (snapshots).
    let counterOfRow: [UInt8]
    let codes: [UInt64]
    let cardStatus: [UInt8]
    let origins: [Origin]
    var gone = Set<UInt32>()
    var nextJourney: UInt64 = 0
    public private(set) var visits: [Int] = Array(repeating: 0, count: Flow.allCases.count)

    static let flows: [Flow] = [.certificate, .relocation, .birth, .death, .moveOut, .moveIn, .specialMoveIn]

    public init(
        layout: NetworkLayout, links: LinkTable, workload: Workload, date: CivilDate, opening: Int64, closing: Int64,
        counterOfRow: [UInt8], codes: [UInt64], cardStatus: [UInt8], origins: [Origin]
    ) {
        self.layout = layout
        self.links = links
        self.workload = workload
        self.date = date
        self.opening = opening
        self.closing = closing
        self.counterOfRow = counterOfRow
        self.codes = codes
        self.cardStatus = cardStatus
        self.origins = origins
    }

    /// Arrivals per day of `flow`, after splitting move-ins into ordinary and special.
    func perDay(_ flow: Flow) -> Double {
        let moveIns = workload.perDay[.moveIn] ?? 0
        switch flow {
        case .moveIn: return moveIns * (1 - workload.specialMoveInShare)
        case .specialMoveIn: return moveIns * workload.specialMoveInShare
        default: return workload.perDay[flow] ?? 0
        }
    }

    var dayStart: Int64 { SimulatedTime(date: date).microseconds }

    /// The peak arrival rate of `flow` per µs (thinning bound).
    func peakRate(_ flow: Flow) -> Double {
        let profile = Workload.officeDayProfile
        let bucket = Double(closing - opening) / Double(profile.count)
        let total = profile.reduce(0, +) * bucket
        return perDay(flow) * (profile.max() ?? 1) / total
    }

    public mutating func start(_ context: inout NodeContext<NetworkMessage>) {
        for flow in Self.flows where perDay(flow) > 0 { scheduleNext(flow, after: dayStart + opening, &context) }
    }

    mutating func scheduleNext(_ flow: Flow, after time: Int64, _ context: inout NodeContext<NetworkMessage>) {
        let gap = context.random.nextExponential(mean: 1 / peakRate(flow))
        let t = time + Int64(gap.rounded())
        guard t < dayStart + closing else { return }
        context.schedule(.tick(kind: flow.rawValue, value: 0), at: t)
    }

    public mutating func handle(_ event: Event<NetworkMessage>, _ context: inout NodeContext<NetworkMessage>) {
        guard case .tick(let kind, _) = event.message, let flow = Flow(rawValue: kind) else { return }
        let profile = Workload.officeDayProfile
        let bucket = Int((context.now - dayStart - opening) * Int64(profile.count) / max(closing - opening, 1))
        let accept = profile[min(max(bucket, 0), profile.count - 1)] / (profile.max() ?? 1)
        if context.random.nextUnit() < accept { visit(flow, &context) }
        scheduleNext(flow, after: context.now, &context)
    }

    /// A random resident still here (the register refuses the few picked twice in a day).
    mutating func pickRow(_ context: inout NodeContext<NetworkMessage>) -> UInt32 {
        var row = UInt32(context.random.next(below: UInt64(max(codes.count, 1))))
        for _ in 0..<4 where gone.contains(row) {
            row = UInt32(context.random.next(below: UInt64(max(codes.count, 1))))
        }
        return row
    }

    mutating func visit(_ flow: Flow, _ context: inout NodeContext<NetworkMessage>) {
        guard !codes.isEmpty else { return }
        visits[Int(flow.rawValue)] += 1
        let row = pickRow(&context)
        let journey = UInt64(context.id) << 40 | nextJourney
        nextJourney += 1
        var v = Visit(
            flow: flow, journey: journey, row: row, code: codes[Int(row)], cardStatus: cardStatus[Int(row)],
            certificateDataMissing: false, origin: NodeID.max, plannedMoveOut: date, movedIn: date,
            cardBrought: false, pinCorrect: true, arrivedAt: 0)
        let counter = layout.counters[min(Int(counterOfRow[Int(row)]), layout.counters.count - 1)]
        switch flow {
        case .death, .moveOut:
            gone.insert(row)
        case .certificate:
            v.cardBrought =
                cardStatus[Int(row)] == CardStatus.issued.rawValue
                && context.random.chance(workload.cardPresentationShare)
            v.pinCorrect = !context.random.chance(workload.pinFailure)
        case .moveIn, .specialMoveIn:
            mover(&v, special: flow == .specialMoveIn, &context)
        default:
            break
        }
        let delay = links.latency(.residentToCounter).sample(&context.random)
        v.arrivedAt = context.now + delay
        context.send(.visit(v), to: counter, delay: delay)
    }

    /// A person moving in: from where, when, and with what card.
    func mover(_ v: inout Visit, special: Bool, _ context: inout NodeContext<NetworkMessage>) {
        let kanagawa = origins.filter(\.inKanagawa)
        let pool = !kanagawa.isEmpty && context.random.chance(workload.kanagawaShare) ? kanagawa : origins
        guard !pool.isEmpty else { return }
        let origin = pool[Int(context.random.next(below: UInt64(pool.count)))]
        v.origin = origin.node
        v.row = UInt32(context.random.next(below: UInt64(max(origin.residents, 1))))
        v.code = 0
        let lateBy = context.random.chance(workload.deadlinePassed) ? 15 + Int(context.random.next(below: 20)) : 0
        v.movedIn = date.adding(days: -(lateBy + Int(context.random.next(below: 10))))
        v.plannedMoveOut = v.movedIn.adding(days: -Int(context.random.next(below: 8)))
        guard special else { return }
        v.cardBrought = !context.random.chance(workload.cardNotBrought)
        v.pinCorrect = !context.random.chance(workload.pinFailure)
        let u = context.random.nextUnit()
        var status = CardStatus.issued
        if u < workload.cardExpired {
            status = .expired
        } else if u < workload.cardExpired + workload.cardSuspended {
            status = .suspended
        } else if u < workload.cardExpired + workload.cardSuspended + workload.cardRevoked {
            status = .revoked
        }
        v.cardStatus = status.rawValue
        v.certificateDataMissing = context.random.chance(workload.certificateDataMissing)
    }
}
