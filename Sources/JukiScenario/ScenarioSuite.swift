import Foundation
import Yams

/// A scenario suite (`jukisim run SUITE.yaml`): several scenarios run as one, into one report folder with one
/// summary, one JUnit file and the worst exit code of its entries.
///
/// ```yaml
/// suite: ci
/// description: What CI runs on every change.
/// jobs: 1                      # entries at once (default 1); a wall-clock entry always runs alone
/// scenarios:
///   - file: smoke.yaml         # relative to the suite file
///   - file: fujisawa-typical-day.yaml
///     baseline: ../Reports/baselines/fujisawa-typical-day.json
///     budget: 0%               # the comparison's latency budget (default 0: deterministic metrics)
///   - name: load
///     file: load-smoke.yaml
///     startAfter: smoke        # start when `smoke` has ended, not after the entry above
/// ```
///
/// An entry starts when the entry above it has ended, or with `startAfter` when the named entry above it has; with
/// `jobs` above 1, entries whose turn has come run at the same time. Every file is read and checked before anything
/// runs, so a bad entry stops the suite at once (exit 2) naming its file, line and key.
public struct ScenarioSuite: Sendable {
    /// One scenario of the suite.
    public struct Entry: Sendable {
        /// Its name in the suite, its report subfolder and its JUnit test suite (default: the scenario's name).
        public var name: String
        /// The scenario file, as the suite resolved it.
        public var file: String
        public var scenario: Scenario
        /// The entry whose end this one waits for; nil for the first entry.
        public var startAfter: String?
        /// A summary.json to compare the entry's with, and the latency budget (a fraction).
        public var baseline: String?
        public var budget: Double
    }

    public var name: String
    public var description: String
    public var file: String
    public var jobs: Int
    public var entries: [Entry]

    static let topKeys = ["suite", "description", "jobs", "scenarios"]
    static let entryKeys = ["name", "file", "startAfter", "baseline", "budget"]

    /// Whether the YAML file at `path` is a suite (its top level has `suite`), without reading it as a scenario.
    public static func isSuite(path: String) -> Bool {
        guard let text = try? YAMLValue.text(path: path, limit: 4_000_000),
            let root = try? Yams.compose(yaml: text), let mapping = root.mapping
        else { return false }
        return mapping.keys.contains { $0.scalar?.string == "suite" }
    }

    /// Reads a suite and every scenario it names.
    public static func load(path: String) throws(ScenarioError) -> ScenarioSuite {
        let top = try YAMLValue.root(try YAMLValue.text(path: path, limit: 4_000_000), file: path)
        let keys = try top.mapping(allowed: topKeys)
        guard let nameValue = keys["suite"] else { throw top.error(.missingKey, "a suite needs 'suite' (its name)") }
        let name = try nameValue.string()
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw nameValue.error(.value, "'\(name)' is not a name: letters, digits, '-', '_' and '.' only")
        }
        let jobs = try keys["jobs"]?.int(1...64) ?? 1
        guard let list = keys["scenarios"] else {
            throw top.error(.missingKey, "a suite needs 'scenarios', the list of scenario files it runs")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        var entries: [Entry] = []
        for item in try list.sequence() {
            let e = try item.mapping(allowed: entryKeys)
            guard let fileValue = e["file"] else { throw item.error(.missingKey, "an entry needs 'file'") }
            let relative = try fileValue.string()
            let file = relative.hasPrefix("/") ? relative : folder.appendingPathComponent(relative).path
            if isSuite(path: file) {
                throw fileValue.error(.value, "\(relative) is a suite: a suite runs scenarios, not other suites")
            }
            let scenario = try Scenario.load(path: file)
            let entryName = try e["name"]?.string() ?? scenario.name
            guard entryName.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }), !entryName.isEmpty
            else {
                throw (e["name"] ?? fileValue).error(
                    .value, "'\(entryName)' is not an entry name: letters, digits, '-', '_' and '.' only")
            }
            guard !entries.contains(where: { $0.name == entryName }) else {
                throw (e["name"] ?? fileValue).error(
                    .value, "two entries are named '\(entryName)': give one a 'name' of its own")
            }
            var after = entries.last?.name
            if let v = e["startAfter"] {
                let target = try v.string()
                guard entries.contains(where: { $0.name == target }) else {
                    let above = entries.map(\.name).joined(separator: ", ")
                    throw v.error(
                        .value, "'\(target)' is not an entry above this one (above: \(above.isEmpty ? "none" : above))")
                }
                after = target
            }
            var baseline: String?
            if let v = e["baseline"] {
                let b = try v.string()
                let resolved = b.hasPrefix("/") ? b : folder.appendingPathComponent(b).path
                do {
                    _ = try Summary.read(resolved)
                } catch {
                    throw v.error(.file, "the baseline \(b) cannot be read: \(error.reason)")
                }
                baseline = resolved
            }
            let budget = try e["budget"]?.double(0...10) ?? 0
            entries.append(
                Entry(
                    name: entryName, file: file, scenario: scenario, startAfter: after, baseline: baseline,
                    budget: budget))
        }
        guard !entries.isEmpty else { throw list.error(.value, "a suite needs at least one scenario") }
        return ScenarioSuite(
            name: name, description: try keys["description"]?.string() ?? "", file: path, jobs: jobs, entries: entries)
    }

    /// Replaces every entry's seed (`jukisim run SUITE --seed S`).
    public mutating func setSeed(_ seed: UInt64) {
        for i in entries.indices { entries[i].scenario.setSeed(seed) }
    }
}
