import Foundation
import JukiCore
import JukiScenario

/// One fuzz input: the first byte picks the parser, the rest is its text. Every parser must answer with a value
/// or a typed error; a trap, a crash or a hang is a bug.
enum FuzzTarget {
    /// `JUKIFUZZ_TARGET=scenario|identifiers|thresholds|dates` pins every input to one parser (the first byte is
    /// then still dropped), so each parser can be given its own million inputs.
    static let pinned: UInt8? = {
        switch ProcessInfo.processInfo.environment["JUKIFUZZ_TARGET"] {
        case "scenario": 0
        case "identifiers": 1
        case "thresholds": 2
        case "dates": 3
        default: nil
        }
    }()

    static func run(_ data: UnsafeRawBufferPointer) {
        guard let first = data.first else { return }
        let selector = pinned ?? first
        let text = String(decoding: data.dropFirst(), as: UTF8.self)
        switch selector % 4 {
        case 0:
            // Scenario files, as `jukisim validate` reads them (sweeps included).
            _ = try? Scenario.parse(text, file: "fuzz.yaml")
        case 1:
            // Identifiers, as `jukisim id check` reads them.
            _ = try? IndividualNumber(parsing: text)
            _ = try? ResidentCode(parsing: text)
            _ = try? MunicipalityCode(parsing: text)
        case 2:
            // Thresholds and durations.
            _ = Threshold.parse(text, metric: "journeys.certificate.latency")
            _ = try? Durations.parse(text)
        default:
            _ = try? CivilDate(parsing: text)
        }
    }
}

#if FUZZING
    /// libFuzzer's entry point (built with `-sanitize=fuzzer -DFUZZING`; see Fuzz/README.md).
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
        FuzzTarget.run(UnsafeRawBufferPointer(start: start, count: count))
        return 0
    }

    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt
    ) -> CInt

    /// SwiftPM links an executable's entry point as `<product>_main`: hand it to libFuzzer's driver.
    @_cdecl("jukifuzz_main")
    public func fuzzMain(
        _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    ) -> CInt {
        var count = argc
        var arguments = argv
        return runFuzzerDriver(&count, &arguments) { start, size in fuzzOneInput(start, size) }
    }
#else
    /// Without libFuzzer: replays the given input files (a crash libFuzzer found, or the corpus).
    @main
    struct Replay {
        static func main() {
            let paths = CommandLine.arguments.dropFirst()
            guard !paths.isEmpty else {
                print("usage: jukifuzz FILE... (replays fuzz inputs; see Fuzz/README.md to fuzz)")
                return
            }
            for path in paths {
                guard let data = FileManager.default.contents(atPath: path) else {
                    print("\(path): cannot read")
                    continue
                }
                data.withUnsafeBytes { FuzzTarget.run($0) }
                print("\(path): no crash")
            }
        }
    }
#endif
