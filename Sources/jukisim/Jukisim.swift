import ArgumentParser
import Foundation

/// The `jukisim` command: simulate a municipality's resident register and the Juki-net behind it.
@main
struct Jukisim: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jukisim",
        abstract: "Simulate a Japanese municipality's resident register (住民基本台帳) and the Juki-net, in memory.",
        discussion: """
            Exit codes: 0 success; 1 a check failed (an invalid identifier, a threshold); 2 invalid input or usage;
            3 an internal or I/O error.

            Examples:
              jukisim run Scenarios/fujisawa-typical-day.yaml
              jukisim plan Scenarios/march-peak-plan.yaml
              jukisim population stats
              jukisim population generate --residents 10000 --format csv --output people.csv
              jukisim id check 123456789018 142051
            """,
        version: "0.1.0",
        subcommands: [
            RunCommand.self, ValidateCommand.self, CompareCommand.self, PopulationCommand.self, IdCommand.self,
            SimulateCommand.self, BenchCommand.self, AuditCommand.self, SensitivityCommand.self, PlanCommand.self,
            CasesCommand.self, TrainCommand.self, MergeCommand.self,
        ]
    )

    static func main() async {
        do {
            if let check = IdCommand.Check.direct(Array(CommandLine.arguments.dropFirst())) {
                try check.run()
                return
            }
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(with: error)
        }
    }

    /// Maps every error to its documented exit code, in one place.
    static func exit(with error: any Error) -> Never {
        switch error {
        case let e as JukisimExit:
            if let message = e.message { Output.standardError(message) }
            Foundation.exit(e.code.rawValue)
        default:
            let parserCode = exitCode(for: error)
            if parserCode == .success {
                // --help and --version.
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            Output.standardError(fullMessage(for: error))
            Foundation.exit(
                parserCode == .validationFailure ? ExitStatus.usage.rawValue : ExitStatus.internalError.rawValue)
        }
    }
}

/// The documented exit codes.
enum ExitStatus: Int32 {
    case success = 0
    /// A check failed: an identifier is invalid (later: a threshold broke).
    case checkFailed = 1
    /// Invalid input or usage: bad flags, options out of range.
    case usage = 2
    /// An internal or I/O error.
    case internalError = 3
}

/// An error that ends the command with a given exit status and message.
struct JukisimExit: Error {
    var code: ExitStatus
    var message: String?
}
