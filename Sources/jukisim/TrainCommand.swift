import ArgumentParser
import Foundation

/// `jukisim train DRILL`: starts the training server, `jukisim-train`, built beside this executable.
///
/// The server is a product of its own (Hummingbird and its dependencies cost minutes of build time that the
/// simulation does not need), so this command hands its arguments to that executable.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Run a training drill in the browser (starts jukisim-train; see jukisim-train --help).",
        discussion: """
            The training server is built as its own product: build it once with
              swift build -c release --product jukisim-train
            and `jukisim train` starts it with the same arguments. docs/training.md explains drills and sessions.

            Exit codes: those of jukisim-train (0 stopped, 2 invalid input, 3 the server could not start); 2 when
            jukisim-train has not been built.

            Examples:
              jukisim train Scenarios/drills/first-week.yaml
              jukisim train Scenarios/drills/first-week.yaml --trainees 10 --port 8081
            """
    )

    @Argument(parsing: .captureForPassthrough, help: "The drill file and jukisim-train's options.")
    var arguments: [String] = []

    func run() throws {
        let own = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0]).resolvingSymlinksInPath()
        let server = own.deletingLastPathComponent().appendingPathComponent("jukisim-train").path
        guard FileManager.default.isExecutableFile(atPath: server) else {
            throw JukisimExit(
                code: .usage,
                message: "jukisim train: the training server is not built beside \(own.path); build it with "
                    + "`swift build -c release --product jukisim-train` (or run `swift run -c release jukisim-train "
                    + "DRILL`)")
        }
        let argv = [server] + arguments
        var cArgs = argv.map { strdup($0) }
        cArgs.append(nil)
        execv(server, &cArgs)
        throw JukisimExit(code: .internalError, message: "jukisim train: cannot start \(server): errno \(errno)")
    }
}
