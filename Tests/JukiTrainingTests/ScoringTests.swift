import Foundation
import Testing

@testable import JukiTraining

/// The rubric over hand-written session logs: each kind of error found with its rule, privacy as a hard fail, and a
/// recorded session scoring the same after a JSON round trip.
@Suite struct ScoringTests {
    static func sample(_ id: Int, refuse rules: [TrainingRule] = [], planted: [TrainingRule]? = nil) -> TrainingCase {
        let fields = rules.isEmpty ? [ExpectedField(.name, "髙橋　一郎"), ExpectedField(.copies, "2")] : []
        return TrainingCase(
            id: id, request: .certificate, personName: "髙橋　一郎", personCode: "12345678901", filer: .person,
            filerName: "髙橋　一郎", story: "", documents: [], checks: [], planted: planted ?? rules,
            expected: ExpectedDecision(
                verdict: rules.isEmpty ? .accept : .refuse, reasons: rules, fields: fields, followUp: ""),
            related: ["12345678901", "22345678901"], numberNeeded: false, standardSeconds: 300)
    }

    static let cases = [
        sample(1), sample(2, refuse: [.proxyWithoutAuthority, .identityMismatch]), sample(3, refuse: [.notResident]),
        sample(4, planted: [.variantName]),
    ]

    static func log(_ events: [SessionEvent]) -> SessionLog {
        SessionLog(trainee: "t1", drill: "d", seed: 1, events: events)
    }

    @Test func aPerfectSessionScoresFull() {
        let s = Scoring.score(
            Self.log([
                .init(at: 0, .called, caseID: 1),
                .init(at: 200, .decided, caseID: 1, verdict: .accept, fields: ["name": "髙橋 一郎", "copies": "２"]),
                .init(at: 210, .called, caseID: 2),
                .init(at: 300, .decided, caseID: 2, verdict: .refuse, reason: .identityMismatch),
            ]), cases: Self.cases)
        #expect(s.decisions == 2)
        #expect(s.decisionsRight == 2)
        #expect(s.reasonsRight == 1)
        #expect(s.fieldsRight == 2 && s.fieldsTotal == 2)
        #expect(s.errors.isEmpty)
        #expect(!s.hardFail)
        #expect(s.medianHandlingRatio == (200.0 / 300 + 90.0 / 300) / 2)
    }

    @Test func eachWrongDecisionCitesTheRule() {
        let s = Scoring.score(
            Self.log([
                .init(at: 0, .called, caseID: 1),
                .init(at: 10, .decided, caseID: 1, verdict: .refuse, reason: .cardExpired),
                .init(at: 20, .called, caseID: 2),
                .init(at: 30, .decided, caseID: 2, verdict: .accept, fields: [:]),
                .init(at: 40, .called, caseID: 3),
                .init(at: 50, .decided, caseID: 3, verdict: .refuse, reason: .recordNotRemoved),
            ]), cases: Self.cases)
        #expect(s.decisionsRight == 1)
        let kinds = s.errors.map(\.kind)
        #expect(kinds == [.wrongRefusal, .wrongAcceptance, .wrongAcceptance, .wrongReason])
        #expect(s.errors[0].rule == .cardExpired)
        #expect(s.errors[1].rule == .proxyWithoutAuthority)
        #expect(s.errors[1].citation.contains("住基法第27条"))
        #expect(s.errors[2].rule == .identityMismatch)
        #expect(s.errors[3].rule == .notResident)
    }

    @Test func aWrongFieldNamesTheCorrectingRule() {
        let s = Scoring.score(
            Self.log([
                .init(at: 0, .called, caseID: 4),
                .init(at: 100, .decided, caseID: 4, verdict: .accept, fields: ["name": "高橋 一郎", "copies": "2"]),
            ]), cases: Self.cases)
        #expect(s.fieldsRight == 1)
        #expect(s.errors.map(\.kind) == [.wrongField])
        #expect(s.errors.first?.rule == .variantName)
        #expect(s.errors.first?.field == .name)
    }

    @Test func privacyViolationsAreHardFails() {
        let s = Scoring.score(
            Self.log([
                .init(at: 0, .called, caseID: 1),
                .init(at: 5, .opened, residentCode: "12345678901"),
                .init(at: 6, .opened, residentCode: "22345678901"),
                .init(at: 7, .opened, residentCode: "99999999999"),
                .init(at: 8, .revealedNumber, residentCode: "12345678901"),
                .init(at: 100, .decided, caseID: 1, verdict: .accept, fields: ["name": "髙橋　一郎", "copies": "2"]),
            ]), cases: Self.cases)
        #expect(s.decisionsRight == 1)
        #expect(s.privacyViolations == 2)
        #expect(s.hardFail)
        #expect(s.errors.map(\.kind) == [.unrelatedRecord, .numberShown])
        // Opening between cases is unrelated to any case.
        let between = Scoring.score(Self.log([.init(at: 0, .opened, residentCode: "12345678901")]), cases: Self.cases)
        #expect(between.hardFail)
    }

    @Test func refusedSearchesAndUndecidedCasesCount() {
        let s = Scoring.score(
            Self.log([
                .init(at: 0, .called, caseID: 1),
                .init(at: 1, .searched, search: "name+sex", refused: true),
                .init(at: 2, .searched, search: "name+birthDate", refused: false),
                .init(at: 3, .finished),
            ]), cases: Self.cases)
        #expect(s.errors.map(\.kind) == [.refusedSearch, .undecided])
        #expect(s.errors.first?.rule == .tooFewFacts)
        #expect(!s.hardFail)
    }

    @Test func waitingCausedIsTheExcessTimesTheQueue() {
        let s = Scoring.score(
            Self.log([
                .init(at: 0, .arrived, caseID: 1),
                .init(at: 60, .called, caseID: 1),
                .init(at: 60 + 420, .decided, caseID: 1, verdict: .accept, fields: [:], queueLength: 3),
            ]), cases: Self.cases)
        #expect(s.cases.first?.waitSeconds == 60)
        #expect(s.cases.first?.handlingSeconds == 420)
        #expect(s.waitingCaused == 120 * 3)
    }

    @Test func aRecordedSessionScoresTheSameAfterARoundTrip() throws {
        let log = Self.log([
            .init(at: 0, .called, caseID: 2),
            .init(at: 33.5, .decided, caseID: 2, verdict: .refuse, reason: .proxyWithoutAuthority, queueLength: 1),
            .init(at: 40, .called, caseID: 1),
            .init(at: 41, .opened, residentCode: "99999999999"),
            .init(at: 90, .decided, caseID: 1, verdict: .accept, fields: ["name": "x", "copies": "2"]),
        ])
        let data = try JSONEncoder().encode(log)
        let back = try JSONDecoder().decode(SessionLog.self, from: data)
        #expect(back == log)
        #expect(Scoring.score(back, cases: Self.cases) == Scoring.score(log, cases: Self.cases))
        #expect(Scoring.score(log, cases: Self.cases).timeline.count == log.events.count)
    }
}
