import JukiCore
import JukiScenario
import Testing

@testable import JukiTraining

/// Drill files: every key, and each bad value refused with the key and the rule.
@Suite struct DrillTests {
    @Test func everyKeyIsRead() throws {
        let d = try Drill.parse(
            """
            name: week-1
            description: first drill
            seed: 42
            scenario: ../fujisawa-typical-day.yaml
            residents: 5_000
            otherResidents: 200
            date: 2026-03-04
            counter: 本庁
            cases: 7
            mix: { moveIn: 2, certificate: 1 }
            difficulty: { 0: 50%, 1: 0.5 }
            rules: [deadlinePassed, cardExpired]
            pace: { mode: wall, arrivalsPerHour: 20 }
            rights: { numberUse: yes, inquiryOnly: false }
            """, file: "Scenarios/drills/week-1.yaml")
        #expect(d.name == "week-1")
        #expect(d.seed == 42)
        #expect(d.scenarioPath == "Scenarios/drills/../fujisawa-typical-day.yaml")
        #expect(d.residents == 5000)
        #expect(d.otherResidents == 200)
        #expect(d.date == CivilDate(year: 2026, month: 3, day: 4))
        #expect(d.counter == "本庁")
        #expect(d.cases == 7)
        #expect(d.mix == [.moveIn: 2, .certificate: 1])
        #expect(d.difficulty == [0.5, 0.5, 0, 0])
        #expect(d.rules == [.deadlinePassed, .cardExpired])
        #expect(d.pace.mode == .wall)
        #expect(d.pace.arrivalsPerHour == 20)
        #expect(d.rights.numberUse)
        #expect(!d.rights.inquiryOnly)
    }

    @Test func aWholeNumberDifficultyGivesEveryCaseThatMany() throws {
        #expect(try Drill.parse("name: x\ndifficulty: 2").difficulty == [0, 0, 1, 0])
    }

    @Test(arguments: [
        ("description: no name", "(top level)", "'name' is required"),
        ("name: x\ncases: 0", "cases", "must be 1 to 500"),
        ("name: x\ncase: 3", "case", "unknown key 'case'; did you mean 'cases'?"),
        ("name: x\nmix: { moveOut: 1 }", "mix.moveOut", "unknown request 'moveOut'"),
        ("name: x\nmix: { moveIn: 0 }", "mix", "at least one request needs a weight above 0"),
        ("name: x\ndifficulty: { 0: 50%, 1: 40% }", "difficulty", "must add up to 100%, found 90%"),
        ("name: x\ndifficulty: { 4: 100% }", "difficulty.4", "keys are discrepancies per case, 0 to 3"),
        ("name: x\ndifficulty: 5", "difficulty", "must be 0 to 3"),
        ("name: x\nrules: [cardLost]", "rules[0]", "unknown rule 'cardLost'"),
        ("name: x\nrules: [cardExpired, cardExpired]", "rules[1]", "listed twice"),
        ("name: x\npace: { mode: fast }", "pace.mode", "must be paused or wall"),
        ("name: x\npace: { arrivalsPerHour: 500 }", "pace.arrivalsPerHour", "must be 0.5 to 120"),
        ("name: x\nrights: { numberUse: maybe }", "rights.numberUse", "must be true or false"),
        ("name: x\nresidents: 10", "residents", "must be 1000 to"),
        ("name: x\ndate: 2026-02-30", "date", "is not a date"),
        ("name: [unclosed", "", "YAML syntax"),
    ])
    func badDrillsNameTheKeyAndTheRule(text: String, path: String, message: String) {
        do {
            _ = try Drill.parse(text, file: "d.yaml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
            if !path.isEmpty { #expect(error.description.contains(path), "\(error.description)") }
            #expect(error.description.hasPrefix("d.yaml"))
        }
    }

    @Test func aMissingDrillFileIsAFileError() {
        #expect(throws: ScenarioError.self) { try Drill.load(path: "/nonexistent/drill.yaml") }
    }

    @Test func theShippedDrillIsValid() throws {
        let d = try Drill.load(path: "Scenarios/drills/first-week.yaml")
        #expect(d.cases == 12)
        #expect(d.scenarioPath == "Scenarios/drills/../fujisawa-typical-day.yaml")
    }
}
