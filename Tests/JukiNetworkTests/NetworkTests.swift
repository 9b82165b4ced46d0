import JukiCore
import JukiNetwork
import JukiRegister
import JukiSimulation
import Synchronization
import Testing

/// A small network: 20,000 residents at home, five light municipalities (three in Kanagawa).
func smallConfiguration(seed: UInt64 = 3) -> NetworkConfiguration {
    var c = NetworkConfiguration()
    c.seed = seed
    c.municipality.residents = 20_000
    c.municipality.seed = seed
    c.municipality.jobs = 2
    c.otherMunicipalities =
        Array(NetworkConfiguration.defaultOthers.prefix(3)) + Array(NetworkConfiguration.defaultOthers.suffix(2))
    c.otherResidents = 400
    // The consistency check on demand that evening (it is yearly by default), so the tests see it run.
    c.consistencyCheck.onDemand = [c.date]
    // No ex-officio work unless a test asks for it: its removals and entries would blur the counts of deaths and
    // births the tests check (its rates are per business day, not per resident).
    c.exOfficio.removalsPerDay = 0
    c.exOfficio.entriesPerDay = 0
    return c
}

/// The small town with no residents' flows and no online filings: only the systems' own work runs.
func quietConfiguration(seed: UInt64 = 3) -> NetworkConfiguration {
    var c = smallConfiguration(seed: seed)
    c.workload.perDay = [:]
    c.workload.onlineMoveOutsPerDay = 0
    return c
}

func run(_ configuration: NetworkConfiguration) async throws -> (NetworkSimulation, NetworkReport) {
    let simulation = try await NetworkSimulation(configuration)
    await simulation.run(until: .endOfDay)
    return (simulation, await simulation.report())
}

@Suite("A simulated business day")
struct DayTests {
    @Test("every flow runs, the invariants hold, and every counter journey ends the same day")
    func typicalDay() async throws {
        let (_, report) = try await run(smallConfiguration())
        for flow in [Flow.certificate, .relocation, .moveOut, .moveIn, .death] {
            #expect((report.journeys[flow]?.completed ?? 0) > 0, "\(flow) completed none")
        }
        let inv = report.invariants
        #expect(inv.holds)
        #expect(inv.duplicateResidentCodes == 0 && inv.duplicateIndividualNumbers == 0)
        #expect(inv.pendingUpdates == 0 && inv.lostUpdates == 0)
        #expect(inv.arrivals == inv.completed + inv.failed + inv.inProgress)
        // Only online move-outs filed after closing wait for the next business day.
        #expect(report.counters.allSatisfy { $0.inProgress == 0 })
        #expect(inv.inProgress <= (report.journeys[.oneStopMove]?.started ?? 0))
        #expect(report.counters.count == 13)
        #expect(report.spans.contains { $0.hop == .counterWait })
        for span in report.spans { #expect(span.end >= span.start) }
    }

    @Test("a run that samples spans keeps exactly the traced journeys' spans, and the same histograms and hours")
    func sampledSpans() async throws {
        let (_, all) = try await run(smallConfiguration())
        var c = smallConfiguration()
        c.service.spanSample = 0.2
        c.service.spanSeed = 8
        let (_, sampled) = try await run(c)
        let bound = UInt64(0.2 * 0x1p64)
        let expected = all.spans.filter { Mixing.combine(8, $0.journey) <= bound }
        #expect(!expected.isEmpty && expected.count < all.spans.count / 2)
        #expect(sampled.spans == expected)
        #expect(sampled.hops == all.hops && sampled.hourly == all.hourly && sampled.digest == all.digest)
        #expect(all.hourly.arrivals.reduce(0, +) == all.spans.filter { $0.hop == .counterWait }.count)
        #expect(all.hourly.completions.reduce(0, +) == all.spans.filter { $0.hop == .counterService }.count)
        // Arrivals only in office hours (08:30–17:15 JST, Saturdays' mornings aside).
        #expect(all.hourly.arrivals[..<8].allSatisfy { $0 == 0 } && all.hourly.arrivals[18...].allSatisfy { $0 == 0 })
    }

    @Test("the same seed gives the same day; another seed another")
    func determinism() async throws {
        let (_, a) = try await run(smallConfiguration(seed: 5))
        let (_, b) = try await run(smallConfiguration(seed: 5))
        let (_, c) = try await run(smallConfiguration(seed: 6))
        #expect(a.digest == b.digest)
        #expect(a.engine.handled == b.engine.handled)
        #expect(a.digest != c.digest)
    }

    @Test("movers arrive with their code and number, and leave their previous register")
    func moves() async throws {
        var c = smallConfiguration()
        c.workload.perDay[.oneStopMove] = 0
        c.workload.onlineMoveOutsPerDay = 0
        // A 本籍地's correction (別添1 ⑦) would make a mover's last change an ex-officio amendment.
        c.familyRegister.mismatchShare = 0
        let (simulation, report) = try await run(c)
        let home = await simulation.homeRegister()
        let others = await simulation.otherRegisters()
        let national = await simulation.nationalIdentityFile()
        let movedIn = (0..<home.count).filter {
            let reason = home.changeReason(of: RowID(UInt32($0)))
            return reason == .moveIn || reason == .specialMoveIn
        }.filter { home.columns.residentSince[$0] == CivilDate(year: 2026, month: 3, day: 2).daysSinceEpoch }
        // Everyone the completed notices named (a household moving together files one).
        let completedMoveIns =
            (report.journeys[.moveIn]?.persons ?? 0) + (report.journeys[.specialMoveIn]?.persons ?? 0)
        #expect(movedIn.count == completedMoveIns)
        for r in movedIn {
            let code = ResidentCode(uncheckedRawValue: home.columns.residentCode[r])
            let origins = others.compactMap { register in register.row(residentCode: code).map { (register, $0) } }
            #expect(origins.count == 1)
            if let (origin, row) = origins.first {
                #expect(origin.record(row).status == .removed)
                #expect(
                    origin.record(row).individualNumber?.rawValue == home.columns.individualNumber[r]
                        || home.columns.individualNumber[r] == 0)
            }
            #expect(national.entry(code)?.municipality == .fujisawa)
        }
    }

    @Test("births get a number from the national server and a notification letter")
    func births() async throws {
        var c = smallConfiguration()
        c.workload.perDay = [.birth: 40]
        let (simulation, report) = try await run(c)
        let births = report.journeys[.birth]?.completed ?? 0
        #expect(births > 20)
        #expect(report.lettersQueued == births)
        let home = await simulation.homeRegister()
        let born = (0..<home.count).filter { home.changeReason(of: RowID(UInt32($0))) == .numberDesignation }
        #expect(born.count == births)
        for r in born {
            #expect(home.columns.individualNumber[r] != 0)
            #expect(home.history(of: RowID(UInt32(r))).map(\.reason) == [.birth, .numberDesignation])
        }
        #expect(report.spans.contains { $0.flow == .birth && $0.hop == .numberCandidate })
        #expect(report.spans.contains { $0.flow == .birth && $0.hop == .deliveryRecord })
    }

    @Test("deaths remove the record and revoke the card")
    func deaths() async throws {
        var c = smallConfiguration()
        c.workload.perDay = [.death: 60]
        let (simulation, report) = try await run(c)
        let deaths = report.journeys[.death]?.completed ?? 0
        #expect(deaths > 30)
        let home = await simulation.homeRegister()
        let dead = (0..<home.count).filter { home.changeReason(of: RowID(UInt32($0))) == .death }
        #expect(dead.count == deaths)
        let withCards = dead.filter { home.columns.cardStatus[$0] == CardStatus.issued.rawValue }.count
        #expect(report.cardRevocations == withCards)
        for r in dead { #expect(home.columns.status[r] == RecordStatus.removed.rawValue) }
    }
}

@Suite("Special move-in (特例転入) error paths")
struct SpecialMoveInTests {
    static func only(_ set: (inout Workload) -> Void) -> NetworkConfiguration {
        var c = smallConfiguration()
        c.workload.perDay = [.moveIn: 60]
        c.workload.specialMoveInShare = 1
        c.workload.cardNotBrought = 0
        c.workload.pinFailure = 0
        c.workload.cardExpired = 0
        c.workload.cardSuspended = 0
        c.workload.cardRevoked = 0
        c.workload.certificateDataMissing = 0
        c.workload.deadlinePassed = 0
        set(&c.workload)
        return c
    }

    @Test(
        "each error path fails the journey with its reason",
        arguments: [
            FailureReason.cardNotBrought, .pinFailure, .cardExpired, .cardSuspended, .cardRevoked,
            .certificateDataNotFound, .deadlinePassed,
        ])
    func errorPath(reason: FailureReason) async throws {
        let configuration = Self.only { w in
            switch reason {
            case .cardNotBrought: w.cardNotBrought = 1
            case .pinFailure: w.pinFailure = 1
            case .cardExpired: w.cardExpired = 1
            case .cardSuspended: w.cardSuspended = 1
            case .cardRevoked: w.cardRevoked = 1
            case .certificateDataNotFound: w.certificateDataMissing = 1
            default: w.deadlinePassed = 1
            }
        }
        let (_, report) = try await run(configuration)
        let stats = try #require(report.journeys[.specialMoveIn])
        #expect(stats.started > 20)
        #expect(stats.completed == 0)
        #expect(stats.failed[reason] == stats.started)
        #expect(report.invariants.holds)
    }

    @Test("the happy path verifies the card, fetches the data, records, notifies and continues the card")
    func happyPath() async throws {
        let (_, report) = try await run(Self.only { _ in })
        let stats = try #require(report.journeys[.specialMoveIn])
        #expect(stats.started > 20)
        #expect(stats.completed == stats.started)
        // The filer's card on every notice, and each household member's card on it.
        #expect(report.cardContinuations >= stats.completed && report.cardContinuations <= stats.persons)
        let hops = Set(report.spans.filter { $0.flow == .specialMoveIn }.map(\.hop))
        #expect(hops.isSuperset(of: [.cardVerification, .certificateData, .recordMoveIn, .cardContinuation]))
        // The move-in notice is a system message the clerk does not wait for: no counter hop, but it arrives.
        #expect(!hops.contains(.moveInNotice))
        #expect(report.moveInNoticesDelivered >= stats.completed)
        #expect(report.moversFiledAtOrigin >= stats.started)
    }

    @Test("the deadline is 14 days after moving in and 30 after the planned move-out")
    func deadlineRule() {
        let today = CivilDate(year: 2026, month: 4, day: 17)
        #expect(
            !SpecialMoveInRule.deadlinePassed(
                today: today, movedIn: CivilDate(year: 2026, month: 4, day: 3),
                plannedMoveOut: CivilDate(year: 2026, month: 4, day: 1)))
        #expect(
            SpecialMoveInRule.deadlinePassed(
                today: today.adding(days: 1), movedIn: CivilDate(year: 2026, month: 4, day: 3),
                plannedMoveOut: CivilDate(year: 2026, month: 4, day: 1)))
        #expect(
            SpecialMoveInRule.deadlinePassed(
                today: today, movedIn: CivilDate(year: 2026, month: 4, day: 10),
                plannedMoveOut: CivilDate(year: 2026, month: 3, day: 17)))
    }
}

@Suite("Bulk number assignment (一括付番)")
struct BulkTests {
    @Test("designates every resident through the network in batches; the invariants hold")
    func bulk() async throws {
        var c = smallConfiguration()
        c.municipality.undesignatedShare = 1
        c.workload.perDay = [:]
        c.bulkAssignmentAt = 0
        c.bulkBatchSize = 3_000
        let (simulation, report) = try await run(c)
        let bulk = try #require(report.bulk)
        #expect(bulk.residents == 20_000)
        #expect(bulk.batches == 7)
        #expect(bulk.designated == 20_000)
        #expect(bulk.end != nil)
        #expect(report.lettersQueued == 20_000)
        #expect(report.invariants.holds)
        #expect(report.invariants.pendingUpdates == 0)
        let home = await simulation.homeRegister()
        let national = await simulation.nationalIdentityFile()
        #expect(home.columns.individualNumber.allSatisfy { $0 != 0 })
        for r in stride(from: 0, to: home.count, by: 97) {
            let code = ResidentCode(uncheckedRawValue: home.columns.residentCode[r])
            #expect(national.entry(code)?.individualNumber?.rawValue == home.columns.individualNumber[r])
        }
    }
}

@Suite("Searches, queries, card linkage, one-stop moves and the nightly batches")
struct MoreFlowTests {
    @Test("identity searches are answered locally, by the prefecture and by the nation; too few facts are refused")
    func searches() async throws {
        var c = smallConfiguration()
        c.workload.perDay = [.identitySearch: 300]
        c.workload.insufficientFactsShare = 0.5
        let (_, report) = try await run(c)
        let s = try #require(report.journeys[.identitySearch])
        #expect(s.started > 200)
        #expect((s.failed[.searchRefused] ?? 0) > 10)
        #expect(s.completed > 150)
        #expect(s.completed + s.failedCount == s.started)
    }

    @Test("queries to J-LIS by individual number find the person")
    func queries() async throws {
        var c = smallConfiguration()
        c.workload.perDay = [.jlisQuery: 100]
        let (_, report) = try await run(c)
        let s = try #require(report.journeys[.jlisQuery])
        #expect(s.started > 50)
        #expect(s.completed + (s.failed[.notFound] ?? 0) == s.started)
        #expect(s.completed >= s.started * 9 / 10)
    }

    @Test("card events reach the register and the card management system")
    func cardLinkage() async throws {
        var c = smallConfiguration()
        c.workload.perDay = [.cardLinkage: 100]
        let (simulation, report) = try await run(c)
        let s = try #require(report.journeys[.cardLinkage])
        #expect(s.started > 50)
        #expect(s.completed == s.started)
        let home = await simulation.homeRegister()
        let changed = (0..<home.count).filter { home.changeReason(of: RowID(UInt32($0))) == .cardChange }
        #expect(!changed.isEmpty)
    }

    @Test("one-stop moves: online move-outs leave with data sent ahead; reserved visitors move in")
    func oneStop() async throws {
        var c = smallConfiguration()
        c.workload.perDay = [.oneStopMove: 40]
        c.workload.onlineMoveOutsPerDay = 40
        c.workload.cardNotBrought = 0
        c.workload.pinFailure = 0
        c.workload.cardExpired = 0
        c.workload.cardSuspended = 0
        c.workload.cardRevoked = 0
        c.workload.oneStopCancellationShare = 0
        c.workload.oneStopOutsideWindowShare = 0
        let (simulation, report) = try await run(c)
        // The counter visits and the online move-outs are separate journeys (the second has no counter).
        let s = try #require(report.journeys[.oneStopMove])
        #expect(s.started > 20)
        #expect(s.failedCount == 0)
        let out = try #require(report.journeys[.oneStopMoveOut])
        #expect(out.started > 20)
        #expect(out.failedCount == 0)
        #expect(report.oneStop.outgoingFilings == out.started)
        #expect(report.invariants.holds)
        let home = await simulation.homeRegister()
        let leftOnline = (0..<home.count).filter {
            home.changeReason(of: RowID(UInt32($0))) == .moveOut
                && home.history(of: RowID(UInt32($0))).last?.time.date == c.date
        }
        #expect(!leftOnline.isEmpty)
        let hops = Set(report.spans.filter { $0.flow == .oneStopMove }.map(\.hop))
        #expect(hops.isSuperset(of: [.reservation, .cardVerification, .recordMoveIn, .cardContinuation]))
        let outHops = Set(report.spans.filter { $0.flow == .oneStopMoveOut }.map(\.hop))
        #expect(outHops.isSuperset(of: [.reservation, .removeRecord]))
        #expect(outHops.isDisjoint(with: [.cardVerification, .recordMoveIn]))
    }

    @Test("the consistency check finds no differences after a day, and delivery records are deleted after retention")
    func nightlyBatches() async throws {
        var c = smallConfiguration()
        c.workload.perDay = [.birth: 30, .relocation: 40, .moveIn: 30]
        let (_, report) = try await run(c)
        let consistency = try #require(report.consistency)
        #expect(consistency.records >= 20_000)
        #expect(consistency.prefectureDifferences == 0)
        #expect(consistency.nationalDifferences == 0)
        #expect(consistency.end != nil)
        #expect(report.deliveryRecordsSent == report.journeys[.birth]?.completed)
        #expect(report.deliveryRecordsDeleted == report.deliveryRecordsSent)
        #expect(report.deliveryRecordsHeld == 0)
        #expect(report.journeys[.consistencyCheck]?.completed == 1)
        #expect(report.journeys[.deliveryRecords]?.completed == 1)
    }
}

@Suite("Both ends of every move")
struct TwoEndsTests {
    @Test("over two weeks every resident who moved out is recorded at the destination, which sends a move-in notice")
    func destinationsRecord() async throws {
        var c = smallConfiguration()
        c.workload.perDay = [.moveOut: 60]
        c.workload.onlineMoveOutsPerDay = 10
        let simulation = try await NetworkSimulation(c)
        await simulation.run(
            until: .time(
                SimulatedTime(microseconds: simulation.dayStart.microseconds + 16 * SimulatedTime.microsecondsPerDay)))
        let report = await simulation.report()
        let movedOut = (report.journeys[.moveOut]?.completed ?? 0) + (report.journeys[.oneStopMoveOut]?.completed ?? 0)
        #expect(movedOut > 40)
        #expect(report.awaitedElsewhere == 0)
        #expect(report.movedInElsewhere == movedOut)
        #expect(report.moveInNoticesReceived == movedOut)
        #expect(report.invariants.holds)
        #expect(report.invariants.pendingUpdates == 0)
        let home = await simulation.homeRegister()
        let others = await simulation.otherRegisters()
        let national = await simulation.nationalIdentityFile()
        for r in 0..<home.count
        where home.changeReason(of: RowID(UInt32(r))) == .moveOut
            && home.columns.residentSince[r] < c.date.daysSinceEpoch
        {
            let code = ResidentCode(uncheckedRawValue: home.columns.residentCode[r])
            let active = others.compactMap { o in
                o.row(residentCode: code).map { o.columns.status[$0.index] == 0 ? o : nil } ?? nil
            }
            #expect(active.count == 1)
            #expect(national.entry(code)?.municipality == active.first?.municipality.code)
        }
    }
}

@Suite("Reservations, card continuation deadlines and the other municipalities' own residents")
struct LifecycleTests {
    @Test("reserved relocations fetch the reservation first and take the shorter desk time")
    func relocationReservations() async throws {
        var c = smallConfiguration()
        c.workload.perDay = [.relocation: 80]
        c.workload.relocationReservationShare = 1
        let (_, report) = try await run(c)
        let s = try #require(report.journeys[.relocation])
        // 80 persons are ≈ 49 notices.
        #expect(s.started > 30)
        #expect(s.completed == s.started)
        let reservations = report.spans.filter { $0.flow == .relocation && $0.hop == .reservation }.count
        #expect(reservations == s.started)
    }

    @Test("a card not continued within the window lapses; moving again first lapses it too")
    func continuationLapses() async throws {
        var c = smallConfiguration()
        c.workload.perDay = [.moveIn: 80, .moveOut: 0]
        c.workload.specialMoveInShare = 0
        c.service.continuationWindow = 3_600_000_000  // one hour instead of 90 days, to see it within a day
        let simulation = try await NetworkSimulation(c)
        await simulation.run(until: .endOfDay)
        let card = await simulation.cardManagementSystem()
        #expect(card.lapsed > 10)
        #expect(card.continuationDue.isEmpty)
        #expect(card.changedCards[.lapsed] == card.lapsed)
        #expect(card.changedCards[.returned] == nil)
    }

    @Test("light municipalities record their own births, deaths and relocations; updates reach the nation")
    func localEvents() async throws {
        var c = smallConfiguration()
        c.workload.perDay = [:]
        c.workload.onlineMoveOutsPerDay = 0
        c.otherResidents = 20_000
        let (simulation, report) = try await run(c)
        let others = await simulation.otherRegisters()
        let national = await simulation.nationalIdentityFile()
        let changed = others.reduce(0) { $0 + $1.changeLog.count }
        #expect(changed > 5)
        for register in others {
            register.changeLog.forEachChange(from: 1) { _, row, time, _ in
                let code = ResidentCode(uncheckedRawValue: register.columns.residentCode[row.index])
                #expect((national.entry(code)?.version ?? 0) >= time)
            }
        }
        #expect(report.invariants.holds)
        #expect(report.invariants.pendingUpdates == 0)
    }
}

@Suite("Runs over several days")
struct MultiDayTests {
    func certificates(days: Int, start: CivilDate, march: Double = 1) async throws -> Int {
        var c = smallConfiguration()
        c.workload.perDay = [.certificate: 200]
        c.workload.onlineMoveOutsPerDay = 0
        c.date = start
        c.days = days
        c.workload.seasonal[2] = march
        let simulation = try await NetworkSimulation(c)
        await simulation.run(
            until: .time(
                SimulatedTime(
                    microseconds: simulation.dayStart.microseconds + Int64(days) * SimulatedTime.microsecondsPerDay)))
        return await simulation.report().journeys[.certificate]?.started ?? 0
    }

    @Test("every business day gets its arrivals; weekends none; the season raises certificates by their move share")
    func businessDays() async throws {
        let monday = try await certificates(days: 1, start: CivilDate(year: 2026, month: 3, day: 2))
        let week = try await certificates(days: 3, start: CivilDate(year: 2026, month: 3, day: 2))
        let friday = try await certificates(days: 3, start: CivilDate(year: 2026, month: 3, day: 6))
        let peak = try await certificates(days: 1, start: CivilDate(year: 2026, month: 3, day: 2), march: 2)
        // A Monday is the first day back: 200 × the after-holiday factor (1.2).
        #expect(monday > 190 && monday < 290)
        #expect(week > 2 * monday && week < 4 * monday)
        #expect(friday > 150 && friday < 250)
        // A moving season of 2 raises certificate requests by their move-driven share: 1 + 0.2 × (2 − 1) = 1.2.
        #expect(Double(peak) > 1.05 * Double(monday) && Double(peak) < 1.4 * Double(monday), "\(peak) / \(monday)")
    }
}

@Suite("Set-up phases")
struct SetupPhaseTests {
    @Test("set-up announces its phases in order, key agreement only with mutual authentication, and times them")
    func phases() async throws {
        let seen = PhaseLog()
        var c = smallConfiguration()
        c.mutualAuthentication.enabled = true
        let simulation = try await NetworkSimulation(c) { seen.add($0) }
        #expect(
            seen.phases == [
                .population(residents: 20_000, municipalities: 5), .keyAgreement, .identityFiles, .nodes,
            ])
        #expect(simulation.populationSeconds > 0 && simulation.setupSeconds >= simulation.populationSeconds)
        let plain = PhaseLog()
        c.mutualAuthentication.enabled = false
        _ = try await NetworkSimulation(c) { plain.add($0) }
        #expect(!plain.phases.contains(.keyAgreement) && plain.phases.count == 3)
    }
}

/// Phases heard during set-up (the callback is `@Sendable`).
final class PhaseLog: Sendable {
    let log = Mutex<[NetworkSimulation.SetupPhase]>([])
    func add(_ phase: NetworkSimulation.SetupPhase) { log.withLock { $0.append(phase) } }
    var phases: [NetworkSimulation.SetupPhase] { log.withLock { $0 } }
}
