import JukiCore
import JukiPopulation
import JukiRegister
import JukiSimulation

/// A municipality of the nationwide network at its counter: its residents' notices (births, deaths, relocations,
/// move-outs) and the movers who arrive from the other municipalities wait for one of its clerks, and its
/// residents move to the others by the published origin–destination structure (``MigrationModel``).
///
/// A move between two municipalities, as the seed describes it for Fujisawa's own (別添1 1.①②③⑧, 2.1-①〜④): the
/// mover files the 転出届 at the counter of the municipality they leave (1.①, 住基法第8条), which removes them and
/// keeps the move-out certificate data (転出証明書情報); they arrive within the 14 days the law gives (住基法第22条;
/// the seed is silent) and file the 転入届 at the new municipality's counter with the paper certificate (1.②,
/// 住基法第24条); the new municipality records them and sends the 転入通知 to the old one through the CSs (1.⑧,
/// 住基法第9条第1項). Both registers' changes go to their prefecture servers and on to the national server as
/// identity updates (1.③ and 2.1-④, 住基法第30条の6).
/// Nationwide movers carry the paper certificate: the special route (特例転入, the data asked from the origin's CS)
/// is modelled only at the home municipality.
extension OtherMunicipality {
    /// The notices a business day of `month` brings to the counter, by ``LocalNotice`` (births, deaths, relocations,
    /// move-outs; move-ins come from the other municipalities): the local rates are per calendar day, the counter
    /// takes them on business days.
    func counterRates(month: Int) -> [Double] {
        guard let local = localEvents else { return [0, 0, 0, 0] }
        let perBusinessDay = Double(register.count) * 365 / NationMoves.businessDaysPerYear
        return [
            local.births * perBusinessDay, local.deaths * perBusinessDay, local.relocations * perBusinessDay,
            moves?.noticesPerBusinessDay(residents: register.count, month: month) ?? 0,
        ]
    }

    /// The next resident at the counter: Poisson over office hours at the month's rates, to the end of the run.
    mutating func scheduleCounterArrival(after time: Int64, _ context: inout NodeContext<NetworkMessage>) {
        guard let local = localEvents else { return }
        let perDay = counterRates(month: SimulatedTime(microseconds: time).date.components.month).reduce(0, +)
        let end = SimulatedTime(date: date).microseconds + Int64(max(local.days, 1)) * SimulatedTime.microsecondsPerDay
        guard let at = OfficeArrivals.next(after: time, perDay: perDay, end: end, &context.random) else { return }
        context.schedule(.timer(.otherMunicipality(.counterArrival)), at: at)
    }

    /// A resident arrives with a notice drawn by the rates, about a row drawn at random (the filer, the parent of a
    /// newborn, the person who died).
    mutating func counterArrival(_ context: inout NodeContext<NetworkMessage>) {
        guard register.count > 0 else { return }
        let rates = counterRates(month: SimulatedTime(microseconds: context.now).date.components.month)
        var u = context.random.nextUnit() * rates.reduce(0, +)
        var notice = LocalNotice.moveOut
        for (k, rate) in rates.enumerated() {
            if u < rate {
                notice = LocalNotice(rawValue: UInt8(k)) ?? .moveOut
                break
            }
            u -= rate
        }
        let row = RowID(UInt32(context.random.next(below: UInt64(register.count))))
        let persons = notice == .moveOut ? moves?.workload.drawPersons(.moveOut, &context.random) ?? 1 : 1
        arriveAtCounter(LocalVisit(notice: notice, arrivedAt: context.now, row: row, persons: persons), &context)
    }

    /// A visitor joins the counter: at a free desk at once, else in the queue.
    mutating func arriveAtCounter(_ visit: LocalVisit, _ context: inout NodeContext<NetworkMessage>) {
        guard let desk = counter?.arrive(visit, now: context.now) ?? nil else { return }
        scheduleDesk(desk, &context)
    }

    /// The clerk at `desk` starts on the visit sitting there.
    mutating func scheduleDesk(_ desk: Int, _ context: inout NodeContext<NetworkMessage>) {
        guard let visit = counter?.visit(at: desk) else { return }
        let time = LocalCounter.deskTime(visit, service: service, &context.random)
        counter?.recordDesk(time)
        context.schedule(.timer(.otherMunicipality(.counterDesk(UInt16(clamping: desk)))), after: time)
    }

    /// The clerk at `desk` finished: the notice is recorded and the next in line sits down.
    mutating func deskDone(_ desk: Int, _ context: inout NodeContext<NetworkMessage>) {
        guard let result = counter?.finish(desk: desk, now: context.now), let done = result.done else { return }
        if result.next { scheduleDesk(desk, &context) }
        switch done.notice {
        case .birth, .death, .relocation:
            // The row drawn may have left since: the nearest active resident files instead.
            guard let row = moverRow(done.row, persons: 1) else {
                nationMoves.notFound += 1
                return
            }
            localChange(done.notice, row, &context)
        case .moveOut:
            moveAway(done, &context)
        case .moveIn:
            settle(done, &context)
        }
    }

    /// A 転出届: the household is removed and its certificate data kept; they move to a municipality drawn from
    /// the origin–destination table and arrive at its counter within 14 days, in office hours.
    mutating func moveAway(_ visit: LocalVisit, _ context: inout NodeContext<NetworkMessage>) {
        guard let moves, let row = moverRow(visit.row, persons: visit.persons),
            let pick = MigrationModel.pick(moves.cumulative, context.random.nextUnit()),
            moves.destinations.indices.contains(pick)
        else {
            nationMoves.notFound += 1
            return
        }
        let plannedMoveOut = SimulatedTime(microseconds: context.now).date
        let household = moveOut(row, persons: visit.persons, plannedMoveOut: plannedMoveOut, &context)
        guard let first = household.first else { return }
        nationMoves.movedOut += household.count
        let calendar = BusinessCalendar.standard
        let landed = SimulatedDuration.adding(
            context.now, Int64(context.random.next(below: 14 * UInt64(SimulatedTime.microsecondsPerDay))))
        let open = calendar.nextOpening(atOrAfter: SimulatedTime(microseconds: landed)).microseconds
        // Landed outside office hours: they come in some time during the next office day.
        let at =
            open == landed
            ? landed : open + Int64(context.random.next(below: UInt64(max(calendar.closing - calendar.opening, 1))))
        var v = Visit(
            flow: .moveIn, journey: first.residentCode.rawValue, row: row, code: first.residentCode, cardStatus: .none,
            certificateDataMissing: false, origin: context.id, plannedMoveOut: plannedMoveOut,
            movedIn: SimulatedTime(microseconds: at).date, cardBrought: false, pinCorrect: true, arrivedAt: at)
        v.household = household
        v.persons = UInt8(clamping: household.count)
        context.send(.visit(v), to: moves.destinations[pick], delay: max(at - context.now, 1))
    }

    /// A 転入届 with the paper certificate: the household is recorded here and the 転入通知 goes to the municipality
    /// they left, through the CSs.
    mutating func settle(_ visit: LocalVisit, _ context: inout NodeContext<NetworkMessage>) {
        guard let first = visit.household.first,
            (try? register.recordHousehold(
                visit.household, reason: .moveIn, context: .unmodelledCounter(context), &context.random)) != nil
        else {
            nationMoves.refused += 1
            return
        }
        nationMoves.movedIn += visit.household.count
        forwardOwnChanges(&context)
        guard let origin = visit.origin else { return }
        let notice = Request(
            .municipality(.moveInNotice(first.residentCode, to: origin)),
            ticket: Ticket(journey: first.residentCode.rawValue, slot: nil, flow: .moveIn, hop: .moveInNotice),
            replyTo: context.id, sentAt: context.now)
        context.sendReliably(.request(notice), to: origin, over: .csToCS, wire: &wire)
        nationMoves.noticesSent += 1
    }
}

/// A nationwide municipality's moves: persons who moved out (to the other municipalities) and in (from them), the
/// 転入通知 it sent, those the previous municipality acknowledged and those it received, notices whose resident could not be found
/// near the row drawn, and households it could not record.
public struct NationMoveFigures: Sendable, Hashable {
    public var movedOut = 0
    public var movedIn = 0
    public var noticesSent = 0
    public var noticesAcknowledged = 0
    /// 転入通知 from the municipalities its residents moved to.
    public var noticesReceived = 0
    public var notFound = 0
    public var refused = 0

    public init() {}

    /// Adds another municipality's figures.
    public mutating func merge(_ other: NationMoveFigures) {
        movedOut += other.movedOut
        movedIn += other.movedIn
        noticesSent += other.noticesSent
        noticesAcknowledged += other.noticesAcknowledged
        noticesReceived += other.noticesReceived
        notFound += other.notFound
        refused += other.refused
    }
}
