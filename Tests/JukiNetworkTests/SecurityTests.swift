import JukiAudit
import JukiCore
import JukiNetwork
import Testing

@Suite("Operators, rights and the audit trail")
struct SecurityTests {
    @Test("operator IDs carry their rights")
    func rights() {
        #expect(OperatorRights.of(101) == OperatorRights(update: true, numberUse: true))
        #expect(OperatorRights.of(0) == OperatorRights(update: true, numberUse: true))
        #expect(OperatorRights.of(8_003) == OperatorRights(update: true, numberUse: false))
        #expect(OperatorRights.of(9_013) == OperatorRights(update: false, numberUse: false))
    }

    static func run(inquiryOnly: Double, nonNumberUse: Double) async throws -> NetworkReport {
        var c = smallConfiguration(seed: 11)
        c.workload.perDay = c.workload.perDay.mapValues { $0 * 3 }
        c.service.security.inquiryOnlyShare = inquiryOnly
        c.service.security.nonNumberUseShare = nonNumberUse
        let simulation = try await NetworkSimulation(c)
        await simulation.run(until: .endOfDay)
        return await simulation.report()
    }

    @Test("unauthorised operators are refused, each refusal is audited, and certificates omit the number by default")
    func refusals() async throws {
        let report = try await Self.run(inquiryOnly: 0.2, nonNumberUse: 0.3)
        func failed(_ reason: FailureReason) -> Int {
            report.journeys.values.reduce(0) { $0 + ($1.failed[reason] ?? 0) }
        }
        #expect(failed(.notAuthorized) > 0, "no change was refused")
        #expect(failed(.numberUseRequired) > 0, "no J-LIS query was refused")
        let rightsRefusals = (report.registerAudit.records + report.csAudit.records).filter {
            $0.action == .refusal
                && [FailureReason.notAuthorized.rawValue, FailureReason.numberUseRequired.rawValue].contains($0.outcome)
        }
        // Every refused journey has its refusal in a trail (a few more refusals end in a fallback, not a failure).
        #expect(rightsRefusals.count >= failed(.notAuthorized) + failed(.numberUseRequired))
        #expect(rightsRefusals.count <= failed(.notAuthorized) + failed(.numberUseRequired) + 10)
        // Inquiry-only staff never changed a record.
        #expect(!report.registerAudit.records.contains { $0.action == .change && $0.operatorID >= 9_000 })
        // Certificates omit the number unless the person asks; a clerk without number-use rights who is asked is
        // refused (counted above), never silently masked.
        #expect(report.numberOmitted > 0)
        #expect(report.invariants.holds)
        for trail in [report.registerAudit, report.csAudit] {
            #expect(AuditTrail.verify(jsonLines: trail.jsonLines()).intact)
        }
    }

    @Test("the register system's nightly job expunges removed records past their retention, and reports it")
    func removedRecordRetention() async throws {
        var c = smallConfiguration(seed: 13)
        // The default 150 years expunges nothing in a simulated day (and is reported as such).
        let plain = try await JukiNetworkTests.run(c).1
        #expect(plain.removedRecordsExpunged == 0 && plain.removedRecordsKept > 0)
        c.removedRecordRetention = 3_600_000_000  // an hour, so the day's move-outs and deaths expire by 23:30
        let (simulation, report) = try await JukiNetworkTests.run(c)
        #expect(report.removedRecordsExpunged > 0)
        #expect(report.removedRecordsExpunged + report.removedRecordsKept == plain.removedRecordsKept)
        let register = await simulation.homeRegister()
        let expunged = (0..<register.count).filter { register.columns.status[$0] == RecordStatus.expunged.rawValue }
        #expect(expunged.count == report.removedRecordsExpunged)
        #expect(expunged.allSatisfy { register.columns.surname[$0] == 0 && register.columns.birthDate[$0] == 0 })
        // One audited batch line per night, with the count.
        let batches = report.registerAudit.records.filter { $0.action == .batch && $0.operation == 105 }
        #expect(batches.count == 1 && Int(batches[0].count) == report.removedRecordsExpunged)
    }

    @Test("the nightly job expires provision records past retention; the rest still verifies from its anchor")
    func retention() async throws {
        var c = smallConfiguration(seed: 12)
        c.provisionRetention = 3_600_000_000  // an hour, so a day's run has records to expire
        let simulation = try await NetworkSimulation(c)
        await simulation.run(until: .endOfDay)
        let report = await simulation.report()
        #expect(report.csAudit.expired > 0)
        // Audit times are UTC epoch µs; the simulated clock is JST.
        let twoHoursBeforeEnd = SimulatedTime(microseconds: report.end.microseconds - 2 * 3_600_000_000)
        #expect(report.csAudit.records.allSatisfy { $0.time >= twoHoursBeforeEnd.utcEpochMicroseconds })
        let verification = AuditTrail.verify(jsonLines: report.csAudit.jsonLines())
        #expect(verification.intact && verification.verified == report.csAudit.records.count)
    }

    @Test("with every operator authorised nothing is refused, and every change names its operator")
    func authorised() async throws {
        let report = try await Self.run(inquiryOnly: 0, nonNumberUse: 0)
        // No refusal on rights (a search with too few facts is refused on the two-facts rule, whoever asks).
        let rights = [FailureReason.notAuthorized.rawValue, FailureReason.numberUseRequired.rawValue]
        #expect(
            !(report.registerAudit.records + report.csAudit.records).contains {
                $0.action == .refusal && rights.contains($0.outcome)
            })
        #expect(report.certificatesWithNumber > 0 && report.numberOmitted > 10 * report.certificatesWithNumber)
        let changes = report.registerAudit.records.filter { $0.action == .change }
        // Clerks' changes name their operator and the terminal of their desk (10000 + the desk's number: the
        // operator's, less 2000 for the contractor's staff); the systems' own (operator 0, terminal 0) are the rest.
        #expect(changes.contains { $0.operatorID >= 100 && $0.operatorID < 2_000 })
        #expect(changes.contains { $0.operatorID >= 2_000 }, "本庁's contractors enter notices too")
        #expect(
            changes.allSatisfy {
                ($0.operatorID == 0 && $0.terminal == 0)
                    || ($0.operatorID >= 100 && $0.terminal == 10_000 + $0.operatorID % 2_000)
            })
        #expect(report.csAudit.count(of: .provision) > 0)
    }
}
