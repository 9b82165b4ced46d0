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
        try Sibling.exec("jukisim-train", arguments, build: "swift build -c release --product jukisim-train")
    }
}

/// The executables built beside `jukisim` that hold a web server (a product each, so the simulation's build never
/// pays for Hummingbird): `jukisim train` and `jukisim run --metrics-listen` hand their work to them.
enum Sibling {
    /// Replaces this process with the executable `name` beside it, with `arguments`; exit 2 naming `build` when it
    /// has not been built.
    static func exec(_ name: String, _ arguments: [String], build: String) throws(JukisimExit) -> Never {
        let own = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments[0]).resolvingSymlinksInPath()
        let path = own.deletingLastPathComponent().appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw JukisimExit(
                code: .usage, message: "\(name) is not built beside \(own.path): build it once with `\(build)`")
        }
        var cArgs = ([path] + arguments).map { strdup($0) }
        cArgs.append(nil)
        execv(path, &cArgs)
        throw JukisimExit(code: .internalError, message: "cannot start \(path): errno \(errno)")
    }
}
