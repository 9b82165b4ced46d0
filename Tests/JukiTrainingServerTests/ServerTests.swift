import Foundation
import Hummingbird
import HummingbirdTesting
import JukiCore
import JukiNetwork
import JukiRegister
import JukiScenario
import JukiTraining
import Testing

@testable import JukiTrainingServer

/// The training server through Hummingbird's test client: every route, bad input, and roles (a trainee reaches
/// neither the trainer's pages nor another trainee's session).
@Suite struct ServerTests {
    static let tokens = TokenSet(
        trainer: "trainer-token-0123456789",
        trainees: [
            .init(name: "aoki", token: "aoki-token-0123456789"), .init(name: "baba", token: "baba-token-0123456789"),
        ])

    /// A small population, drawn once.
    static let world: (Scenario, NetworkPopulations)? = {
        guard var s = try? Scenario.parse("name: drill") else { return nil }
        s.configuration.municipality.residents = 3_000
        s.configuration.otherResidents = 300
        return (try? NetworkPopulations(s.configuration)).map { (s, $0) }
    }()

    static func office(_ text: String = "") throws -> TrainingOffice {
        let w = try #require(world)
        let drill = try Drill.parse("name: server-test\nseed: 11\ncases: 6\n" + text)
        let book = CaseGenerator.book(drill, scenario: w.0, populations: w.1)
        return TrainingOffice(book: book, register: w.1.home.register, tokens: tokens)
    }

    static func app(_ office: TrainingOffice, _ clock: OfficeClock = OfficeClock()) -> some ApplicationProtocol {
        Application(router: TrainingServer.router(office: office, clock: clock))
    }

    static let aoki = "jukisim_token=aoki-token-0123456789"
    static let baba = "jukisim_token=baba-token-0123456789"
    static let trainer = "jukisim_token=trainer-token-0123456789"

    static func get(
        _ client: some TestClientProtocol, _ uri: String, _ cookie: String? = nil
    ) async throws -> (HTTPResponse.Status, String, HTTPFields) {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = cookie }
        return try await client.execute(uri: uri, method: .get, headers: headers) { r in
            (r.status, String(decoding: r.body.readableBytesView, as: UTF8.self), r.headers)
        }
    }

    static func post(
        _ client: some TestClientProtocol, _ uri: String, _ cookie: String?, _ form: String = ""
    ) async throws -> (HTTPResponse.Status, String, HTTPFields) {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: form)) {
            r in
            (r.status, String(decoding: r.body.readableBytesView, as: UTF8.self), r.headers)
        }
    }

    static func encoded(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s
    }

    @Test func loginSetsTheCookieAndSendsEachRoleToItsPage() async throws {
        try await Self.app(try Self.office()).test(.router) { client in
            let (s0, body0, _) = try await Self.get(client, "/")
            #expect(s0 == .ok)
            #expect(body0.contains("id=\"token\""))
            #expect(body0.contains("SYNTHETIC DATA"))
            let (s1, body1, _) = try await Self.post(client, "/login", nil, "token=wrong")
            #expect(s1 == .unauthorized)
            #expect(body1.contains("token: not a token of this training session"))
            let (s2, _, h2) = try await Self.post(client, "/login", nil, "token=aoki-token-0123456789")
            #expect(s2 == .seeOther)
            #expect(h2[.location] == "/counter")
            #expect(h2[.setCookie]?.contains("jukisim_token=aoki-token-0123456789") == true)
            #expect(h2[.setCookie]?.contains("HttpOnly") == true)
            let (s3, _, h3) = try await Self.get(client, "/login?token=trainer-token-0123456789")
            #expect(s3 == .seeOther)
            #expect(h3[.location] == "/trainer")
        }
    }

    @Test func rolesKeepTraineesAndTrainersApart() async throws {
        try await Self.app(try Self.office()).test(.router) { client in
            #expect(try await Self.get(client, "/counter").0 == .unauthorized)
            #expect(try await Self.get(client, "/trainer").0 == .unauthorized)
            #expect(try await Self.get(client, "/trainer", Self.aoki).0 == .forbidden)
            #expect(try await Self.get(client, "/trainer/session/baba", Self.aoki).0 == .forbidden)
            #expect(try await Self.get(client, "/trainer/results.csv", Self.aoki).0 == .forbidden)
            #expect(try await Self.get(client, "/trainer/answer-key", Self.aoki).0 == .forbidden)
            #expect(try await Self.get(client, "/counter", Self.trainer).0 == .forbidden)
            #expect(try await Self.post(client, "/counter/call", Self.trainer).0 == .forbidden)
            #expect(try await Self.get(client, "/counter", "jukisim_token=forged-token-0000000000").0 == .unauthorized)
            // A bearer token works for scripts.
            let (s, _, _) = try await client.execute(
                uri: "/trainer/results.json", method: .get, headers: [.authorization: "Bearer trainer-token-0123456789"]
            ) { r in (r.status, 0, 0) }
            #expect(s == .ok)
        }
    }

    @Test("/metrics: the cohort in Prometheus' text format, for the trainer's token only")
    func metrics() async throws {
        try await Self.app(try Self.office()).test(.router) { client in
            #expect(try await Self.get(client, "/metrics").0 == .unauthorized)
            #expect(try await Self.get(client, "/metrics", Self.aoki).0 == .forbidden)
            let (s, body, h) = try await Self.get(client, "/metrics", Self.trainer)
            #expect(s == .ok && h[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(body.contains("\njukisim_training_trainees 2.0\n"), "\(body)")
            #expect(body.contains(#"jukisim_training_decisions_total{trainee="aoki"} 0"#))
            #expect(body.contains("# TYPE jukisim_training_decisions_right_total counter"))
        }
    }

    @Test func aCaseIsCalledSearchedOpenedAndDecided() async throws {
        let office = try Self.office()
        let first = try #require(office.book.cases.first)
        try await Self.app(office).test(.router) { client in
            #expect(try await Self.post(client, "/counter/call", Self.aoki).0 == .seeOther)
            let (s, page, h) = try await Self.get(client, "/counter", Self.aoki)
            #expect(s == .ok)
            #expect(page.contains("Case 1:"))
            #expect(page.contains("SYNTHETIC DATA"))
            #expect(h[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
            // A second call with a case at the desk is refused.
            let (s2, page2, _) = try await Self.post(client, "/counter/call", Self.aoki)
            #expect(s2 == .conflict)
            #expect(page2.contains("call: decide the case at the desk"))
            // Open the person's own record: the number is masked.
            if let code = first.personCode, first.request != .moveIn, first.request != .specialMoveIn,
                first.request != .oneStopMove, !first.planted.contains(.notResident)
            {
                let (s3, record, _) = try await Self.get(client, "/counter/record/\(code)", Self.aoki)
                #expect(s3 == .ok)
                #expect(record.contains("●●●●"))
                #expect(!record.contains("id=\"reveal\""))
                #expect(try await Self.post(client, "/counter/record/\(code)/number", Self.aoki).0 == .forbidden)
            }
            // Decide as the answer key says.
            var form = "verdict=\(first.expected.verdict.rawValue)"
            if let r = first.expected.reasons.first { form += "&reason=\(r.rawValue)" }
            for f in first.expected.fields { form += "&\(f.field.rawValue)=\(Self.encoded(f.value))" }
            #expect(try await Self.post(client, "/counter/decide", Self.aoki, form).0 == .seeOther)
            let (_, score, _) = try await Self.get(client, "/counter/score", Self.aoki)
            #expect(score.contains("1 of 1"))
            // The trainer sees it; the other trainee has not started.
            let (_, csv, _) = try await Self.get(client, "/trainer/results.csv", Self.trainer)
            #expect(csv.hasPrefix("# SYNTHETIC DATA"))
            #expect(csv.contains("\naoki,1,1,"))
            #expect(csv.contains("\nbaba,0,0,"))
            let (s4, replay, _) = try await Self.get(client, "/trainer/session/aoki", Self.trainer)
            #expect(s4 == .ok)
            #expect(replay.contains("called case 1"))
            let (_, log, _) = try await Self.get(client, "/trainer/session/aoki/log.json", Self.trainer)
            struct LogExport: Decodable {
                var synthetic: String
                var seed: UInt64
                var log: SessionLog
            }
            let export = try JSONDecoder().decode(LogExport.self, from: Data(log.utf8))
            #expect(export.synthetic.hasPrefix("SYNTHETIC DATA"))
            #expect(export.seed == 11)
            let kinds = export.log.events.map(\.kind)
            #expect(Array(kinds.prefix(2)) == [.arrived, .called])
            #expect(kinds.last == .decided)
            #expect(Scoring.score(export.log, cases: office.book.cases).decisionsRight == 1)
            #expect(try await Self.get(client, "/trainer/session/nobody", Self.trainer).0 == .notFound)
        }
    }

    @Test(arguments: [
        ("verdict=maybe", "verdict: must be accept or refuse"),
        ("verdict=refuse", "reason: name the rule the case breaks"),
        ("verdict=refuse&reason=tooLate", "reason: unknown rule 'tooLate'"),
        ("verdict=accept", "required to accept"),
    ])
    func badDecisionsNameTheField(form: String, message: String) async throws {
        try await Self.app(try Self.office()).test(.router) { client in
            _ = try await Self.post(client, "/counter/call", Self.aoki)
            let (s, page, _) = try await Self.post(client, "/counter/decide", Self.aoki, form)
            #expect(s == .badRequest)
            #expect(page.contains(message.replacingOccurrences(of: "'", with: "&#39;")), "\(page.prefix(2000))")
        }
    }

    @Test func malformedFieldsAreRefusedWithTheRule() throws {
        #expect(throws: TrainingError.self) {
            try DecisionForm(verdict: "accept", fields: [.name: "x", .copies: "11", .includeNumber: "no"])
                .validated(for: .certificate)
        }
        do {
            _ = try DecisionForm(verdict: "accept", fields: [.name: "x", .copies: "2", .includeNumber: "maybe"])
                .validated(for: .certificate)
            Issue.record("accepted includeNumber=maybe")
        } catch {
            #expect(error.description == "includeNumber: must be yes or no, got 'maybe'")
        }
        do {
            _ = try DecisionForm(verdict: "accept", fields: [.residentCode: "12345678901"]).validated(
                for: .identitySearch)
            Issue.record("accepted a resident code with a wrong check digit")
        } catch {
            #expect(error.field == "residentCode")
        }
        let ok = try DecisionForm(verdict: "accept", fields: [.name: "x", .copies: "２", .includeNumber: "なし"])
            .validated(for: .certificate)
        #expect(ok.fields["copies"] == "２")
    }

    @Test func searchesFollowTheRegistersRules() async throws {
        let office = try Self.office()
        try await Self.app(office).test(.router) { client in
            _ = try await Self.post(client, "/counter/call", Self.aoki)
            _ = try await Self.post(
                client, "/counter/search", Self.aoki,
                "surname=\(Self.encoded("高橋"))&givenName=\(Self.encoded("一郎"))&sex=\(Self.encoded("男"))")
            let (_, page, _) = try await Self.get(client, "/counter", Self.aoki)
            #expect(page.contains("refused: a basic-facts search needs the name and the birth date or the address"))
            _ = try await Self.post(client, "/counter/search", Self.aoki, "individualNumber=123456789018")
            let (_, page2, _) = try await Self.get(client, "/counter", Self.aoki)
            #expect(page2.contains("number-use rights"))
            let (s3, page3, _) = try await Self.post(
                client, "/counter/search", Self.aoki, "surname=x&givenName=y&birthDate=2026-02-30")
            #expect(s3 == .badRequest)
            #expect(page3.contains("birthDate: write YYYY-MM-DD"))
            let (s4, page4, _) = try await Self.post(client, "/counter/search", Self.aoki, "residentCode=12345678901")
            #expect(s4 == .badRequest)
            #expect(page4.contains("residentCode:"))
            let (s5, _, _) = try await Self.post(
                client, "/counter/search", Self.aoki, "surname=x&givenName=y&town=t&banchi=abc")
            #expect(s5 == .badRequest)
        }
        let score = try await office.score("aoki")
        #expect(score.errors.filter { $0.kind == .refusedSearch }.map(\.rule) == [.tooFewFacts, .numberUseRequired])
    }

    @Test func openingAnUnrelatedRecordFailsTheSession() async throws {
        let office = try Self.office()
        let w = try #require(Self.world)
        try await Self.app(office).test(.router) { client in
            _ = try await Self.post(client, "/counter/call", Self.aoki)
            let first = try #require(office.book.cases.first)
            // A resident of the register who is none of the case's people.
            let register = w.1.home.register
            var stranger: String?
            for i in 0..<register.columns.count {
                let code = register.record(RowID(UInt32(i))).residentCode.description
                if !first.related.contains(code) {
                    stranger = code
                    break
                }
            }
            let code = try #require(stranger)
            let (s0, record, _) = try await Self.get(client, "/counter/record/\(code)", Self.aoki)
            #expect(s0 == .ok)
            #expect(record.contains("id=\"history\""))
            #expect(try await Self.get(client, "/counter/record/123", Self.aoki).0 == .badRequest)
            let (_, score, _) = try await Self.get(client, "/counter/score", Self.aoki)
            #expect(score.contains("id=\"hard-fail\""))
            #expect(score.contains("住基法第35条"))
        }
    }

    @Test func twoTraineesMeetTheSameCasesInTheSameOrder() async throws {
        let office = try Self.office()
        try await Self.app(office).test(.router) { client in
            var titles: [[String]] = [[], []]
            for (k, who) in [Self.aoki, Self.baba].enumerated() {
                for _ in 0..<3 {
                    _ = try await Self.post(client, "/counter/call", who)
                    let (_, page, _) = try await Self.get(client, "/counter", who)
                    let title =
                        page.components(separatedBy: "id=\"case-title\">").dropFirst().first?
                        .components(separatedBy: "<").first ?? ""
                    titles[k].append(
                        title + (page.components(separatedBy: "id=\"story\">").dropFirst().first?.prefix(60) ?? ""))
                    _ = try await Self.post(client, "/counter/decide", who, "verdict=refuse&reason=cardExpired")
                }
            }
            #expect(titles[0] == titles[1])
            #expect(titles[0].count == 3)
        }
    }

    @Test func wallPaceFillsTheQueueWithTime() async throws {
        let office = try Self.office("pace: { mode: wall, arrivalsPerHour: 60 }")
        let start = try await office.counter("aoki", now: 100)
        #expect(start.queue == 1)
        let later = try await office.counter("aoki", now: 100 + 3 * 3600)
        #expect(later.queue == 6)
        let other = try await office.counter("baba", now: 5000)
        #expect(other.queue == 1)
        try await office.call("aoki", now: 100 + 3 * 3600)
        let log = try await office.log("aoki")
        #expect(log.events.filter { $0.kind == .arrived }.count == 6)
    }

    @Test func inquiryOnlyOperatorsCannotAccept() async throws {
        let office = try Self.office("rights: { inquiryOnly: true }")
        try await office.call("aoki", now: 0)
        do {
            try await office.decide("aoki", DecisionForm(verdict: "accept", fields: [.name: "x"]), now: 1)
            Issue.record("accepted")
        } catch {
            #expect(error.status == .forbidden)
            #expect(error.message.contains("notAuthorized"))
        }
    }

    @Test func everyTemplateParsesAndEveryExportIsMarkedSynthetic() async throws {
        for name in Pages.templates.keys { #expect(Pages.library.getTemplate(named: name) != nil, "\(name)") }
        try await Self.app(try Self.office()).test(.router) { client in
            for uri in ["/trainer", "/trainer/cases", "/trainer/answer-key", "/trainer/results.csv"] {
                let (s, body, _) = try await Self.get(client, uri, Self.trainer)
                #expect(s == .ok, "\(uri)")
                #expect(body.contains("SYNTHETIC DATA"), "\(uri)")
            }
            let (_, json, _) = try await Self.get(client, "/trainer/results.json", Self.trainer)
            struct ScoresExport: Decodable {
                var synthetic: String
                var drill: String
                var scores: [SessionScore]
            }
            let export = try JSONDecoder().decode(ScoresExport.self, from: Data(json.utf8))
            #expect(export.synthetic.hasPrefix("SYNTHETIC DATA"))
            #expect(export.drill == "server-test")
            #expect(export.scores.count == 2)
            let (s, css, _) = try await Self.get(client, "/assets/style.css")
            #expect(s == .ok && css.contains(".synthetic"))
        }
    }

    @Test func theQueueScriptStatusFinishAndIconRoutes() async throws {
        try await Self.app(try Self.office()).test(.router) { client in
            let (s0, status0, h0) = try await Self.get(client, "/counter/status.json", Self.aoki)
            #expect(s0 == .ok)
            #expect(h0[.contentType] == "application/json")
            #expect(status0.contains("\"atDesk\":null"))
            _ = try await Self.post(client, "/counter/call", Self.aoki)
            let (_, status1, _) = try await Self.get(client, "/counter/status.json", Self.aoki)
            #expect(status1.contains("\"atDesk\":1"))
            #expect(try await Self.get(client, "/counter/status.json").0 == .unauthorized)
            #expect(try await Self.post(client, "/counter/finish", Self.aoki).0 == .seeOther)
            let (_, page, _) = try await Self.get(client, "/counter", Self.aoki)
            #expect(page.contains("id=\"finished\""))
            // A finished session calls nobody more.
            _ = try await Self.post(client, "/counter/decide", Self.aoki, "verdict=refuse&reason=cardExpired")
            let (s2, page2, _) = try await Self.post(client, "/counter/call", Self.aoki)
            #expect(s2 == .conflict)
            #expect(page2.contains("call: the session is finished"))
            let (s3, script, h3) = try await Self.get(client, "/assets/counter.js")
            #expect(s3 == .ok && script.contains("/counter/status.json"))
            #expect(h3[.contentType]?.hasPrefix("text/javascript") == true)
            let (s4, icon, _) = try await Self.get(client, "/favicon.ico")
            #expect(s4 == .ok && icon.hasPrefix("<svg"))
        }
    }

    @Test func tokensFilesAreChecked() {
        #expect(throws: TrainingError.self) {
            try TokenSet(trainer: "short", trainees: [.init(name: "a", token: "x")]).validated()
        }
        #expect(throws: TrainingError.self) {
            try TokenSet(trainer: "aaaaaaaaaaaaaaaaaaaa", trainees: [.init(name: "a", token: "aaaaaaaaaaaaaaaaaaaa")])
                .validated()
        }
        #expect(throws: TrainingError.self) {
            try TokenSet(trainer: "aaaaaaaaaaaaaaaaaaaa", trainees: [.init(name: "a b", token: "bbbbbbbbbbbbbbbbbbbb")])
                .validated()
        }
        let generated = TokenSet.generate(trainees: ["a", "b"])
        #expect(generated.trainer.count == 32)
        #expect(generated.trainees[0].token != generated.trainees[1].token)
        #expect((try? generated.validated()) != nil)
    }
}
