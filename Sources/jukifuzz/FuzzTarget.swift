import Dispatch
import Foundation
import JukiCore
import JukiScenario
import Synchronization

/// One fuzz input: the first byte picks the parser, or the model, and the rest is its text or its choices. Every
/// parser must answer with a value or a typed error; a trap, a crash or a hang is a bug. The model must run every
/// valid scenario it is given with its invariants holding.
enum FuzzTarget {
    /// `JUKIFUZZ_TARGET=scenario|identifiers|thresholds|dates|model` pins every input to one target (the first
    /// byte is then still dropped), so each can be given its own budget.
    static let pinned: UInt8? = {
        switch ProcessInfo.processInfo.environment["JUKIFUZZ_TARGET"] {
        case "scenario": 0
        case "identifiers": 1
        case "thresholds": 2
        case "dates": 3
        case "model": 4
        default: nil
        }
    }()

    /// What `run` did with one input, for the replay's line.
    enum Result {
        case parsed
        case model(RandomScenario.Outcome)
    }

    @discardableResult
    static func run(_ data: UnsafeRawBufferPointer) -> Result {
        guard let first = data.first else { return .parsed }
        let selector = pinned ?? first
        if selector % 5 == 4 { return .model(Model.run(data.dropFirst())) }
        let text = String(decoding: data.dropFirst(), as: UTF8.self)
        switch selector % 5 {
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
        return .parsed
    }
}

/// The model target: a random valid scenario from the bytes, run to its end in virtual time.
enum Model {
    /// Inputs seen, scenarios the validator accepted, and those that ran (the rest were refused when the network
    /// was built); printed now and then, since a generator that mostly misses fuzzes nothing.
    /// `JUKIFUZZ_SHOW=1` prints each generated scenario (to see what an input becomes).
    static let show = ProcessInfo.processInfo.environment["JUKIFUZZ_SHOW"] == "1"

    static let tally = Mutex((inputs: 0, valid: 0, ran: 0))

    static func run(_ bytes: Slice<UnsafeRawBufferPointer>) -> RandomScenario.Outcome {
        let generated = RandomScenario(bytes: bytes)
        if show { print(generated.yaml) }
        let outcome = wait { await generated.run() }
        let (inputs, valid, ran) = tally.withLock {
            $0.inputs += 1
            switch outcome {
            case .invalid: break
            case .refused: $0.valid += 1
            case .ran: ($0.valid, $0.ran) = ($0.valid + 1, $0.ran + 1)
            }
            return $0
        }
        if inputs.isMultiple(of: 500) {
            FileHandle.standardError.write(
                Data("model: \(inputs) inputs, \(valid) valid (\(100 * valid / inputs) %), \(ran) ran\n".utf8))
        }
        if case .ran(_, _, let broken) = outcome, !broken.isEmpty {
            // A finding must crash, so libFuzzer keeps the input: the one deliberate trap of the model target.
            fatalError("model: broken invariants: \(broken.joined(separator: "; "))\n\(generated.yaml)")
        }
        return outcome
    }

    /// Runs `body` to completion from synchronous code (libFuzzer's callback): a detached task on the global
    /// executor, and this thread, which is none of its threads, waits on a semaphore.
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let done = DispatchSemaphore(value: 0)
        let slot = Slot<T>()
        Task.detached {
            let result = await body()
            slot.value.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        guard let value = slot.value.withLock({ $0 }) else { fatalError("the task signalled without a result") }
        return value
    }

    /// Carries a task's result back to the waiting thread.
    final class Slot<T: Sendable>: Sendable {
        let value = Mutex<T?>(nil)
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
                switch data.withUnsafeBytes({ FuzzTarget.run($0) }) {
                case .parsed: print("\(path): no crash")
                case .model(.invalid(let reason)): print("\(path): not a valid scenario: \(reason)")
                case .model(.refused(let reason)): print("\(path): valid, but the network refused it: \(reason)")
                case .model(.ran(let journeys, let events, _)):
                    print("\(path): ran \(journeys) journeys, \(events) events; invariants hold")
                }
            }
        }
    }
#endif
