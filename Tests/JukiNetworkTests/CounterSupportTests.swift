import JukiCore
import JukiNetwork
import JukiNetworkTesting
import JukiPopulation
import JukiRegister
import JukiSimulation
import Testing

/// The counter support system (窓口業務支援システム): drafting with OCR, the register read, 届出書検索, alone through the
/// harness; and in a run, what it saves the clerks and how they fall back to entry by hand.
@Suite("Counter support (窓口業務支援システム)")
struct CounterSupportTests {
    static let layout = NetworkLayout(counters: 2, others: 1)
    static let tuesday = SimulatedTime(date: CivilDate(year: 2026, month: 3, day: 3)).microseconds
    static let hour: Int64 = 3_600_000_000

    static func system(_ service: CounterSupportService = .standard) -> NodeHarness<CounterSupport> {
        NodeHarness(CounterSupport(layout: layout, links: .standard, service: service), id: layout.counterSupport)
    }

    static func draft(_ d: FormDraft, journey: UInt64 = 1, at t: Int64 = tuesday + 10 * hour) -> Request {
        var r = Request(
            .counterSupport(.draft(d)), ticket: Ticket(journey: journey, slot: 0, flow: d.notice, hop: .formDrafting),
            replyTo: layout.counters[0], sentAt: t)
        r.operatorID = 101
        r.terminal = 10_101
        return r
    }

    static func search(_ journey: UInt64, on date: CivilDate, at t: Int64) -> Request {
        Request(
            .counterSupport(.search(FormSearch(received: date, form: journey))),
            ticket: Ticket(journey: journey, slot: 0, flow: .moveIn, hop: .formSearch), replyTo: layout.counters[0],
            sentAt: t)
    }

    @Test("a newcomer's notice is drafted from the paper certificate by OCR, answered after the work, and found again")
    func draftAndSearch() throws {
        var system = Self.system()
        let t = Self.tuesday + 10 * Self.hour
        let sent = system.deliver(
            .request(Self.draft(FormDraft(row: nil, notice: .moveIn, persons: 2, paperCertificate: true))),
            from: Self.layout.counters[0], at: t)
        let reply = try #require(sent.first { $0.response != nil })
        #expect(reply.destination == Self.layout.counters[0] && reply.response?.failure == FailureReason.none)
        let s = CounterSupportService.standard
        #expect(reply.event.time >= t + s.ocrTime + s.draftTime, "OCR and drafting come first")
        #expect(sent.allSatisfy { $0.request == nil }, "a newcomer has no record to read")
        #expect(system.behavior.drafted[Int(Flow.moveIn.rawValue)] == 1 && system.behavior.ocrReads == 1)
        let date = CivilDate(year: 2026, month: 3, day: 3)
        let found = system.deliver(.request(Self.search(1, on: date, at: t + Self.hour)), from: 1, at: t + Self.hour)
        #expect(found.first?.response?.failure == FailureReason.none)
        let wrongDay = system.deliver(
            .request(Self.search(1, on: date.adding(days: 1), at: t + 2 * Self.hour)), from: 1, at: t + 2 * Self.hour)
        #expect(wrongDay.first?.response?.failure == .formNotFound)
        let never = system.deliver(
            .request(Self.search(99, on: date, at: t + 3 * Self.hour)), from: 1, at: t + 3 * Self.hour)
        #expect(never.first?.response?.failure == .formNotFound)
        #expect(system.behavior.searches == 3 && system.behavior.searchMisses == 2)
        #expect(system.behavior.audit.count == 4, "every draft and search is recorded (III(1)3, L431)")
    }

    @Test("a certificate OCR cannot read is answered ocrUnreadable and not kept as a drafted notice")
    func ocrFailure() throws {
        var service = CounterSupportService.standard
        service.ocrFailureShare = 1
        var system = Self.system(service)
        let sent = system.deliver(
            .request(Self.draft(FormDraft(row: nil, notice: .moveIn, persons: 1, paperCertificate: true))),
            from: Self.layout.counters[0], at: Self.tuesday + 10 * Self.hour)
        #expect(sent.first { $0.response != nil }?.response?.failure == .ocrUnreadable)
        #expect(system.behavior.ocrFailures == 1 && system.behavior.drafted.reduce(0, +) == 0)
        // Without paper there is nothing to read: the same share does not touch a special move-in.
        let special = system.deliver(
            .request(
                Self.draft(FormDraft(row: nil, notice: .specialMoveIn, persons: 1, paperCertificate: false), journey: 2)
            ),
            from: Self.layout.counters[0], at: Self.tuesday + 11 * Self.hour)
        #expect(special.first { $0.response != nil }?.response?.failure == FailureReason.none)
    }

    @Test("a resident's notice reads the record from the register first, as the clerk; a refusal comes back")
    func registerRead() throws {
        var system = Self.system()
        let t = Self.tuesday + 10 * Self.hour
        let sent = system.deliver(
            .request(Self.draft(FormDraft(row: RowID(7), notice: .moveOut, persons: 1, paperCertificate: false))),
            from: Self.layout.counters[0], at: t)
        let read = try #require(sent.first { $0.request != nil })
        #expect(read.destination == Self.layout.registerSystem)
        #expect(read.request?.payload == .register(.readForForm(row: RowID(7))))
        #expect(read.request?.operatorID == 101, "the register records the clerk who looked")
        let answered = system.deliver(
            .response(Response(to: try #require(read.request), failure: .notResident)),
            from: Self.layout.registerSystem, at: t + 2_000)
        #expect(answered.first { $0.response != nil }?.response?.failure == .notResident)
        #expect(system.behavior.registerReads == 1 && system.behavior.drafted.reduce(0, +) == 0)
    }

    @Test("the register reads a record for a form only of a resident on the register")
    func registerRule() throws {
        var node = try registerHarness(layout: Self.layout, removed: [RowID(2)], reason: .death)
        func ask(_ row: UInt32, at t: Int64) -> FailureReason? {
            let r = Request(
                .register(.readForForm(row: RowID(row))),
                ticket: Ticket(journey: UInt64(t), slot: 0, flow: .moveOut, hop: .formDrafting),
                replyTo: Self.layout.counterSupport, sentAt: t)
            return node.deliver(.request(r), from: Self.layout.counterSupport, at: t).compactMap(\.response).first?
                .failure
        }
        #expect(ask(3, at: 10) == FailureReason.none)
        #expect(ask(2, at: 20) == .notResident)
        #expect(ask(100_000, at: 30) == .notResident)
    }

    /// A relocation at a counter with counter support on or off, every request answered (`failDraft`: the draft
    /// is refused as OCR would): the counter's service span, its tally, and the requests it sent.
    static func relocationAtCounter(support: Bool, failDraft: Bool = false) throws -> (
        service: Int64, tally: CounterSupportTally, sent: [Request], completed: Int
    ) {
        var model = ServiceModel.standard
        model.counterSupport.enabled = support
        var counter = NodeHarness(
            BranchCounter(
                name: "test", clerks: 2, layout: layout, service: model, links: .standard,
                date: CivilDate(year: 2026, month: 3, day: 3), chomeCounts: [3]),
            id: layout.counters[0])
        let visit = Visit(
            flow: .relocation, journey: 1, row: RowID(5), code: ResidentCode(body: 1), cardStatus: .none,
            certificateDataMissing: false, origin: nil, plannedMoveOut: CivilDate(year: 2026, month: 3, day: 3),
            movedIn: CivilDate(year: 2026, month: 3, day: 3), cardBrought: false, pinCorrect: true, arrivedAt: 0)
        var pending = counter.deliver(.visit(visit), from: layout.residents, at: 0, until: 1).compactMap(\.request)
        var sent: [Request] = []
        var t: Int64 = 1_000_000
        while true {
            if pending.isEmpty {
                // The desk work runs; a second check's look-up may follow.
                pending += counter.run(until: t + 3_600_000_000).compactMap(\.request)
                t += 3_600_000_000
                if pending.isEmpty { break }
            }
            let request = pending.removeFirst()
            sent.append(request)
            let failure: FailureReason = failDraft && request.ticket.hop == .formDrafting ? .ocrUnreadable : .none
            pending += counter.deliver(.response(Response(to: request, failure: failure)), from: 1, at: t, until: t + 1)
                .compactMap(\.request)
            t += 1_000_000
        }
        _ = counter.run(until: 10 * 3_600_000_000)
        let spans = counter.behavior.report(ReportPeriod(end: 1, runSeconds: 1, openSeconds: 1)).spans
        let service = try #require(spans.first { $0.hop == .counterService })
        return (
            service.end - service.start, counter.behavior.support, sent,
            counter.behavior.stats[Int(Flow.relocation.rawValue)].completed
        )
    }

    @Test("at the counter: the notice is drafted first, its desk time shortened, and the second clerk looks it up")
    func atTheCounter() throws {
        let on = try Self.relocationAtCounter(support: true)
        let off = try Self.relocationAtCounter(support: false)
        #expect(on.completed == 1 && off.completed == 1)
        #expect(
            on.sent.first?.payload
                == .counterSupport(
                    .draft(FormDraft(row: RowID(5), notice: .relocation, persons: 1, paperCertificate: false))))
        #expect(on.sent.dropFirst().first?.ticket.hop == .relocate, "the entry follows the draft")
        let search = try #require(on.sent.last)
        #expect(search.ticket.hop == .formSearch)
        // The harness's clock starts at 0: the notice was received on that day.
        #expect(
            search.payload
                == .counterSupport(.search(FormSearch(received: SimulatedTime(microseconds: 0).date, form: 1))))
        #expect(off.sent.map(\.ticket.hop) == [.relocate], "without it: the entry only")
        #expect(on.tally.drafted == 1 && on.tally.manual == 0 && on.tally.saved > 0)
        // The desk time after the draft's answer (a second in) is what is left after the saving: 30 % of the whole.
        let kept = on.service - 1_000_000
        #expect(
            abs(Double(on.tally.saved) / Double(kept + on.tally.saved) - CounterSupportService.standard.deskSaving)
                < 1e-6)
        let failed = try Self.relocationAtCounter(support: true, failDraft: true)
        #expect(failed.completed == 1 && failed.tally.manual == 1 && failed.tally.saved == 0)
        let relocationMinimum = try #require(ServiceModel.standard.desk[.relocation]).minimum
        #expect(failed.service - 1_000_000 >= relocationMinimum + CounterSupportService.standard.manualFallback)
        #expect(!failed.sent.contains { $0.ticket.hop == .formSearch }, "nothing drafted, nothing to look up")
    }

    /// The small town with a day of moves, with counter support as `adjust` leaves it.
    static func moves(_ adjust: (inout CounterSupportService) -> Void = { _ in }) -> NetworkConfiguration {
        var c = quietConfiguration(seed: 11)
        // At 20,000 residents the rates follow the population: 20× Fujisawa's moves for a busy day.
        c.workload.perDay = [.moveIn: 150, .moveOut: 150, .relocation: 150, .specialMoveIn: 100]
        adjust(&c.service.counterSupport)
        return c
    }

    /// The clerks' serving time, office hours (08:30–17:15) and overtime, in hours.
    static func busyHours(_ r: NetworkReport) -> Double {
        r.counters.reduce(0) { $0 + $1.utilization * Double($1.clerks) * 8.75 + $1.overtimeSeconds / 3600 }
    }

    @Test("in a run: notices are drafted, the clerks save desk time and the moves finish sooner than without it")
    func savesDeskTime() async throws {
        let (_, on) = try await run(Self.moves())
        let (_, off) = try await run(Self.moves { $0.enabled = false })
        let support = try #require(on.counterSupport)
        #expect(off.counterSupport == nil)
        #expect(support.counterDrafted > 50 && support.deskSecondsSaved > 3_600)
        #expect(support.drafted.reduce(0, +) == support.counterDrafted)
        #expect(support.searches > 0 && support.searchMisses == 0, "every second check finds its drafted notice")
        #expect(Self.busyHours(on) < Self.busyHours(off) * 0.9, "clerks are busy for less")
        let meanOn = try #require(on.journeys[.moveIn]).latency.mean
        let meanOff = try #require(off.journeys[.moveIn]).latency.mean
        #expect(meanOn < meanOff)
        #expect(on.invariants.holds && off.invariants.holds)
        #expect(on.nodes.contains { $0.name == "counterSupport" && $0.handled > 0 })
        #expect(on.spans.contains { $0.hop == .formDrafting } && !off.spans.contains { $0.hop == .formDrafting })
        // A saving of nothing saves nothing: the node still drafts.
        let (_, none) = try await run(Self.moves { $0.deskSaving = 0 })
        #expect(none.counterSupport?.deskSecondsSaved == 0 && (none.counterSupport?.counterDrafted ?? 0) > 50)
    }

    @Test(
        "unreadable certificates and an outage of the system make the clerks enter notices by hand, and nothing fails")
    func fallsBackToHand() async throws {
        let (_, unreadable) = try await run(Self.moves { $0.ocrFailureShare = 1 })
        let u = try #require(unreadable.counterSupport)
        let moveIns = try #require(unreadable.journeys[.moveIn])
        #expect(u.ocrFailures == u.ocrReads && u.ocrReads == moveIns.started)
        // Besides the unreadable certificates, a notice whose filer the register no longer has is entered by hand.
        #expect(u.counterManual >= u.ocrFailures && u.drafted[Int(Flow.moveIn.rawValue)] == 0)
        var c = Self.moves()
        let start = SimulatedTime(date: c.date).microseconds
        c.faults = [Fault(kind: .outage, node: .counterSupport, start: start, duration: 86_400_000_000)]
        let (_, out) = try await run(c)
        let o = try #require(out.counterSupport)
        #expect(o.counterDrafted == 0 && o.counterManual > 50 && o.deskSecondsSaved == 0)
        for flow in [Flow.moveIn, .moveOut, .relocation, .specialMoveIn] {
            #expect(out.journeys[flow]?.failed[.serviceUnavailable] == nil, "\(flow) failed for counter support")
        }
        #expect(out.invariants.holds)
    }
}
