import ArgumentParser
import Foundation
import JukiScenario
import JukiTraining
import JukiTrainingServer

/// `jukisim-train DRILL`: the training server (also started as `jukisim train DRILL`).
@main
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jukisim-train",
        abstract: "Run a training drill in the browser: trainees at simulated counters, the trainer's view, scores.",
        discussion: """
            Draws the drill's cases from its scenario's synthetic population, starts a web server on 127.0.0.1 and
            prints one login link per trainee and one for the trainer. Every page is marked as synthetic data.
            docs/training.md explains drills, the counter and the scoring.

            Exit codes: 0 stopped normally; 2 invalid drill, tokens file or option; 3 the server could not start
            (the port is taken) or another I/O error.

            Examples:
              jukisim train Scenarios/drills/first-week.yaml
              jukisim train Scenarios/drills/first-week.yaml --trainees 10 --port 8081
              jukisim train Scenarios/drills/first-week.yaml --trainee aoki --trainee baba --tokens tokens.json
            """
    )

    @Argument(help: "The drill file (YAML).")
    var drill: String

    @Option(help: "The port (1–65535).")
    var port = 8080

    @Option(help: "The address to listen on. The default keeps the server on this machine.")
    var host = "127.0.0.1"

    @Option(help: "How many trainees (named trainee-1, trainee-2, …), 1–100, when no --trainee is given.")
    var trainees = 1

    @Option(name: .customLong("trainee"), help: "A trainee's name (repeat for each trainee).")
    var names: [String] = []

    @Option(help: "A JSON file with the tokens to use ({\"trainer\": …, \"trainees\": [{\"name\": …, \"token\": …}]}).")
    var tokens: String?

    @Option(help: "Override the drill's seed.")
    var seed: UInt64?

    @Flag(help: "Do not run the rest of the office and the Juki-net as a simulation beside the trainees' desks.")
    var noOffice = false

    @Option(help: "The office's simulated time of day when the server starts (HH:MM; 10:00 is when counters fill).")
    var officeStart = "10:00"

    @Option(help: "Simulated seconds of the office per wall second (0.1 to 60).")
    var officeSpeed = 1.0

    func run() async throws {
        guard (1...65535).contains(port) else { throw Self.fail(2, "--port: must be 1 to 65535, got \(port)") }
        guard (1...100).contains(trainees) else { throw Self.fail(2, "--trainees: must be 1 to 100, got \(trainees)") }
        guard let start = Durations.clockTime(officeStart) else {
            throw Self.fail(2, "--office-start: write HH:MM (00:00 to 23:59), got '\(officeStart)'")
        }
        guard (0.1...60).contains(officeSpeed) else {
            throw Self.fail(2, "--office-speed: must be 0.1 to 60, got \(officeSpeed)")
        }
        var d: Drill
        do {
            d = try Drill.load(path: drill)
        } catch {
            throw Self.fail(2, error.description)
        }
        if let seed { d.seed = seed }
        let tokenSet = try loadTokens()
        let office: TrainingOffice
        let simulation: OfficeSimulation?
        do {
            let scenario = try CaseGenerator.scenario(for: d)
            let populations = try CaseGenerator.populations(for: scenario)
            let book = CaseGenerator.book(d, scenario: scenario, populations: populations)
            office = TrainingOffice(book: book, register: populations.home.register, tokens: tokenSet)
            simulation =
                noOffice
                ? nil
                : try await OfficeSimulation(
                    scenario: scenario, populations: populations, trainees: tokenSet.trainees.map(\.name),
                    start: start, speed: officeSpeed)
        } catch let e as ScenarioError {
            throw Self.fail(2, e.description)
        } catch let e as TrainingError {
            throw Self.fail(2, e.description)
        }
        let clock = OfficeClock()
        if let simulation {
            // The night and the morning up to --office-start run before the first page, not during it.
            await simulation.advance(to: clock.now)
            // The office runs on between page views too, so a page never waits for a long stretch of it.
            Task.detached {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    await simulation.advance(to: clock.now)
                }
            }
        }
        let book = office.book
        let base = "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)"
        Self.say("\(CaseSheets.syntheticNotice)")
        Self.say("\(book.cases.count) cases of '\(d.name)' from \(book.municipality) (seed \(d.seed)).")
        Self.say("trainer: \(base)/login?token=\(tokenSet.trainer)")
        for t in tokenSet.trainees { Self.say("\(t.name): \(base)/login?token=\(t.token)") }
        if host != "127.0.0.1" && host != "localhost" && host != "::1" {
            Self.say("warning: listening on \(host): anyone who can reach this address and has a token can log in")
        }
        let app = TrainingServer.application(
            office: office, clock: clock, simulation: simulation, host: host, port: port)
        do {
            try await app.runService()
        } catch {
            throw Self.fail(3, "the server stopped: \(error) (is port \(port) taken?)")
        }
    }

    func loadTokens() throws -> TokenSet {
        guard let tokens else {
            let list = names.isEmpty ? (1...trainees).map { "trainee-\($0)" } : names
            do {
                return try TokenSet.generate(trainees: list).validated()
            } catch {
                throw Self.fail(2, "--trainee: \(error.message)")
            }
        }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: tokens))
            return try JSONDecoder().decode(TokenSet.self, from: data).validated()
        } catch let e as TrainingError {
            throw Self.fail(2, "\(tokens): \(e.description)")
        } catch {
            throw Self.fail(2, "\(tokens): not a tokens file (\(error.localizedDescription))")
        }
    }

    /// Writes a line to standard output at once (the login links must reach a log file before the server runs).
    static func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    static func fail(_ code: Int32, _ message: String) -> ExitCode {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        return ExitCode(code)
    }
}
