import JukiCore
import JukiNetwork
import JukiNetworkTesting
import JukiPopulation
import JukiRegister
import JukiSimulation
import Testing

/// The 戸籍 side (別添1 ⑦⑨⑩): births and deaths through the family-register system, notices from elsewhere, the
/// register's 附票 notices and the 本籍地's corrections; and 外字 through the network (別添2【2】【3】).
@Suite("The family-register system and variant characters")
struct FamilyRegisterTests {
    static let layout = NetworkLayout(counters: 2, others: 1)
    static let date = CivilDate(year: 2026, month: 3, day: 3)
    static let midnight = SimulatedTime(date: date).microseconds

    static func register() throws -> ResidentRegister {
        try PopulationGenerator.generate(PopulationOptions(residents: 2_000, seed: 9)).register
    }

    static func system(
        _ register: ResidentRegister, days: Int = 1, _ configure: (inout FamilyRegisterConfiguration) -> Void = { _ in }
    ) -> NodeHarness<FamilyRegisterSystem> {
        var c = FamilyRegisterConfiguration()
        configure(&c)
        return NodeHarness(
            FamilyRegisterSystem(
                register: register, registerSystem: layout.registerSystem, links: .standard, date: date, days: days,
                configuration: c),
            id: layout.familyRegister)
    }

    static func name(_ surname: String) -> PersonName {
        PersonName(surname: surname, givenName: "太郎", surnameKana: "タカハシ", givenNameKana: "タロウ")
    }

    @Test("a birth filed at a counter is entered, recorded by the register, and answered back to the counter")
    func birthThroughTheSystem() throws {
        var node = Self.system(try Self.register())
        let counter = Self.layout.counters[0]
        let ticket = Ticket(journey: 77, slot: 3, flow: .birth, hop: .recordBirth)
        let filing = Request(.familyRegister(.birth(parent: RowID(5), sex: .female)), ticket: ticket, replyTo: counter)
        let sent = node.deliver(.request(filing), from: counter, at: Self.midnight + 3_600_000_000)
        let forwarded = try #require(sent.first { $0.request != nil })
        #expect(forwarded.destination == Self.layout.registerSystem)
        #expect(forwarded.request?.payload == .register(.recordBirth(parent: RowID(5), sex: .female)))
        #expect(forwarded.request?.ticket == ticket && forwarded.request?.replyTo == Self.layout.familyRegister)
        #expect(node.behavior.figures.birthsFiled == 1)
        #expect(node.behavior.figures.recordedHere + node.behavior.figures.sentToDomicile == 1)
        // The register's answer goes on to the counter, failure and all.
        let answer = Response(to: try #require(forwarded.request), failure: .notResident)
        let back = node.deliver(.response(answer), from: Self.layout.registerSystem, at: node.now + 1_000)
        let reply = try #require(back.first { $0.response != nil })
        #expect(reply.destination == counter && reply.response?.failure == .notResident)
        #expect(reply.response?.ticket == ticket)
        // A second answer for the same journey is not passed on.
        #expect(node.deliver(.response(answer), from: Self.layout.registerSystem, at: node.now + 1_000).isEmpty)
    }

    @Test("a death filed at a counter becomes the register's removal for death")
    func deathThroughTheSystem() throws {
        var node = Self.system(try Self.register())
        let filing = Request(
            .familyRegister(.death(row: RowID(9))),
            ticket: Ticket(journey: 5, slot: 0, flow: .death, hop: .removeRecord),
            replyTo: Self.layout.counters[1])
        let sent = node.deliver(.request(filing), from: Self.layout.counters[1], at: Self.midnight + 3_600_000_000)
        #expect(
            sent.first { $0.request != nil }?.request?.payload
                == .register(.remove(row: RowID(9), reason: .death, destination: nil)))
        #expect(node.behavior.figures.deathsFiled == 1)
    }

    @Test("births and deaths filed elsewhere arrive each business morning, with nobody waiting for them")
    func noticesFromElsewhere() throws {
        let register = try Self.register()
        var node = Self.system(register, days: 5) {
            $0.birthNoticesPerDay = 400
            $0.deathNoticesPerDay = 400
        }
        let sent = node.run(until: Self.midnight + 5 * SimulatedTime.microsecondsPerDay)
        let requests = sent.compactMap(\.request)
        let f = node.behavior.figures
        #expect(f.birthNotices > 0 && f.deathNotices > 0)
        #expect(requests.count == f.birthNotices + f.deathNotices)
        #expect(requests.allSatisfy { $0.ticket.slot == nil && $0.replyTo == Self.layout.familyRegister })
        for r in requests {
            switch r.payload {
            case .register(.recordBirth(let parent, _)):
                let age = (Self.date.daysSinceEpoch - register.columns.birthDate[parent.index]) / 365
                #expect(age >= 18 && age < 50)
            case .register(.remove(let row, .death, nil, _)):
                #expect((Self.date.daysSinceEpoch - register.columns.birthDate[row.index]) / 365 >= 65)
            default:
                Issue.record("unexpected \(r.payload)")
            }
        }
        // 2026-03-03 is a Tuesday: notices on the four business days to Friday; none on the Saturday.
        let days = Set(sent.map { SimulatedTime(microseconds: $0.event.time).date })
        #expect(days == Set((0..<4).map { Self.date.adding(days: $0) }))
        // An answer that the person is gone is counted, and not sent anywhere.
        let first = try #require(requests.first)
        let after = node.deliver(
            .response(Response(to: first, failure: .notResident)), from: Self.layout.registerSystem, at: node.now)
        #expect(after.isEmpty && node.behavior.figures.noticesUnmatched == 1)
    }

    @Test("附票 notices: kept here or sent on; a name the 戸籍 writes the other way is answered, here the same day")
    func attachmentNotices() throws {
        let register = try Self.register()
        func corrections(here: Double, mismatch: Double, _ notices: [AttachmentNotice], days: Int = 8)
            -> (FamilyRegisterFigures, [(Int64, FamilyRegisterCorrection)])
        {
            var node = Self.system(register, days: days) {
                $0.domicileHereShare = here
                $0.mismatchShare = mismatch
                $0.birthNoticesPerDay = 0
                $0.deathNoticesPerDay = 0
            }
            let sent = node.deliver(
                .familyRegister(.attachmentNotices(notices)), from: Self.layout.registerSystem,
                at: Self.midnight + 10 * 3_600_000_000,
                until: Self.midnight + Int64(days) * SimulatedTime.microsecondsPerDay)
            return (
                node.behavior.figures,
                sent.flatMap { e -> [(Int64, FamilyRegisterCorrection)] in
                    guard case .familyRegister(.corrections(let list)) = e.event.message else { return [] }
                    return list.map { (e.event.time, $0) }
                }
            )
        }
        let notices = [
            AttachmentNotice(
                residentCode: ResidentCode(body: 1), reason: .relocation, sequence: 1, name: Self.name("高橋")),
            AttachmentNotice(residentCode: ResidentCode(body: 2), reason: .moveIn, sequence: 2, name: Self.name("髙橋")),
            AttachmentNotice(
                residentCode: ResidentCode(body: 3), reason: .relocation, sequence: 3, name: Self.name("佐藤")),
            AttachmentNotice(residentCode: ResidentCode(body: 4), reason: .moveOut, sequence: 4, name: Self.name("山崎")),
        ]
        let (here, hereSent) = corrections(here: 1, mismatch: 1, notices)
        #expect(here.attachmentNotices == 4 && here.attachmentsKept == 4 && here.attachmentsSentOn == 0)
        // 佐藤 has no variant form, and the move-out closed its record: two mismatches, answered at 17:00 that day.
        #expect(here.mismatches == 2 && hereSent.count == 2)
        #expect(hereSent.allSatisfy { SimulatedTime(microseconds: $0.0).date == Self.date })
        #expect(hereSent.first { $0.1.residentCode == ResidentCode(body: 1) }?.1.name.surname == "髙橋")
        #expect(hereSent.first { $0.1.residentCode == ResidentCode(body: 2) }?.1.name.surname == "高橋")
        // A 本籍地 elsewhere answers three business days later (Tuesday → Friday).
        let (elsewhere, elsewhereSent) = corrections(here: 0, mismatch: 1, notices)
        #expect(elsewhere.attachmentsSentOn == 4 && elsewhereSent.count == 2)
        #expect(elsewhereSent.allSatisfy { SimulatedTime(microseconds: $0.0).date == Self.date.adding(days: 3) })
        let (none, noneSent) = corrections(here: 1, mismatch: 0, notices)
        #expect(none.mismatches == 0 && noneSent.isEmpty)
    }

    @Test("the register sends 附票 notices for Japanese residents' changes and applies the 本籍地's corrections")
    func registerSide() throws {
        var node = try registerHarness(layout: Self.layout)
        let register = node.behavior.register
        let row = try #require(
            (0..<register.count).map { RowID(UInt32($0)) }.first {
                register.foreignData($0) == nil && VariantCharacters.hasVariantForm(register.name(of: $0).surname)
                    && !register.hasVariantCharacters($0)
            })
        let code = ResidentCode(uncheckedRawValue: register.columns.residentCode[row.index])
        var corrected = register.name(of: row)
        corrected.surname = VariantCharacters.variantForm(corrected.surname)
        let sent = node.deliver(
            .familyRegister(
                .corrections([
                    FamilyRegisterCorrection(residentCode: code, name: corrected),
                    FamilyRegisterCorrection(residentCode: ResidentCode(body: 1), name: corrected),
                ])), from: Self.layout.familyRegister, at: Self.midnight + 3_600_000_000)
        let after = node.behavior.register
        #expect(after.name(of: row).surname == corrected.surname)
        #expect(after.hasVariantCharacters(row) && after.variantCount(of: row) > 0)
        #expect(after.changeReason(of: row) == .exOfficioAmendment)
        #expect(node.behavior.familyRegister.correctionsApplied == 1)
        #expect(node.behavior.familyRegister.correctionsUnmatched == 1)
        // The amendment is itself a change of the name: its 附票 notice goes out (⑩), carrying the new form.
        let notices = sent.flatMap { e -> [AttachmentNotice] in
            guard case .familyRegister(.attachmentNotices(let list)) = e.event.message else { return [] }
            return list
        }
        #expect(notices.count == 1 && notices.first?.residentCode == code)
        #expect(notices.first?.name.surname == corrected.surname && notices.first?.reason == .exOfficioAmendment)
        #expect(sent.contains { $0.destination == Self.layout.familyRegister })
        // A copy of the corrected record prints the 外字; one of a name without them does not count.
        let plain = try #require(
            (0..<after.count).map { RowID(UInt32($0)) }.first {
                after.columns.status[$0.index] == 0 && !after.hasVariantCharacters($0)
            })
        for (k, r) in [row, plain].enumerated() {
            let ask = Request(
                .register(.issueCertificate(row: r, withNumber: false)),
                ticket: Ticket(journey: UInt64(900 + k), slot: 0, flow: .certificate, hop: .issueCertificate),
                replyTo: Self.layout.counters[0])
            _ = node.deliver(.request(ask), from: Self.layout.counters[0], at: node.now + 1_000)
        }
        #expect(node.behavior.certificatesWithNumber + node.behavior.numberOmitted == 2)
        #expect(node.behavior.certificatesWithVariants == 1)
    }

    @Test("外字 in the copies: the identity update and the CS's entry carry the register's count (別添2【2】 3, 34)")
    func identityCopiesCarryTheCount() throws {
        let register = try Self.register()
        var file = IdentityFile()
        var withVariants = 0
        for i in 0..<register.count {
            let row = RowID(UInt32(i))
            let update = register.identityUpdate(row: row, version: 1, reason: nil)
            #expect(Int(update.variantCount) == register.variantCount(of: row))
            let applied = file.apply(update)
            #expect(applied)
            #expect(file.entry(update.residentCode)?.variantCount == update.variantCount)
            if register.hasVariantCharacters(row) { withVariants += 1 }
        }
        #expect(withVariants > 0 && file.variantEntries == withVariants)
    }

    @Test("which changes the 附票 follows")
    func attachmentReasons() {
        for reason in ChangeReason.allCases {
            let follows = [
                ChangeReason.moveIn, .specialMoveIn, .moveOut, .relocation, .birth, .death, .exOfficioEntry,
                .exOfficioAmendment, .exOfficioRemoval, .amendment,
            ].contains(reason)
            #expect(RegisterSystem.changesAttachment(reason) == follows, "\(reason)")
        }
    }

    @Test("in a run: counter filings and notices reach the register, 附票 notices balance, 外字 are counted")
    func inARun() async throws {
        var c = smallConfiguration(seed: 23)
        c.days = 6
        let simulation = try await NetworkSimulation(c)
        await simulation.run(until: .time(SimulatedTime(date: c.date.adding(days: c.days))))
        let report = await simulation.report()
        let f = try #require(report.familyRegister)
        let births = report.journeys[.birth]?.started ?? 0
        let deaths = report.journeys[.death]?.started ?? 0
        #expect(f.system.birthsFiled == births && f.system.deathsFiled == deaths)
        #expect(f.system.recordedHere + f.system.sentToDomicile == births + deaths)
        #expect(f.system.birthNotices + f.system.deathNotices > 0)
        #expect(f.register.attachmentNoticesSent == f.system.attachmentNotices && f.system.attachmentNotices > 0)
        #expect(f.system.attachmentsKept + f.system.attachmentsSentOn == f.system.attachmentNotices)
        #expect(f.register.correctionsApplied + f.register.correctionsUnmatched <= f.system.correctionsSent)
        let v = report.variantCharacters
        #expect(v.residents > 0 && v.identityEntries >= v.residents)
        #expect(v.corrections == f.register.correctionsApplied)
        #expect(report.invariants.holds)
    }
}
