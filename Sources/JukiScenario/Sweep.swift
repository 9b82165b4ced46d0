import Foundation
import Yams

/// A parameter varied over a list of values: one complete scenario per value, compared in one report.
public struct Sweep: Sendable {
    /// The key path varied, as written in the file (e.g. `workload.oneStopShare`).
    public var parameter: String
    /// The values as written, one per variant.
    public var values: [String]
    /// One scenario per value, in order; each has no sweep of its own.
    public var variants: [Scenario]

    /// Keys a sweep may not vary: they name, describe or judge the run rather than configure it.
    static let fixedKeys = ["name", "description", "sweep", "thresholds", "clock"]

    static func parse(_ v: YAMLValue, root: Node, file: String) throws(ScenarioError) -> Sweep {
        let k = try v.mapping(allowed: ["parameter", "values"])
        guard let p = k["parameter"] else {
            throw v.error(.missingKey, "'sweep' needs 'parameter' (a key path such as workload.oneStopShare)")
        }
        guard let list = k["values"] else { throw v.error(.missingKey, "'sweep' needs 'values' (a list of 2 to 24)") }
        let parameter = try p.string()
        let path = parameter.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !path.contains(where: \.isEmpty), path.count >= 2 || ["seed", "start", "duration"].contains(path[0])
        else {
            throw p.error(
                .value, "'\(parameter)' must be seed, start, duration or a key path such as workload.oneStopShare")
        }
        guard Scenario.topKeys.contains(path[0]) else {
            let hint = Suggestion.closest(to: path[0], in: Scenario.topKeys).map { "; did you mean '\($0)'?" } ?? ""
            throw p.error(.unknownKey, "'\(path[0])' is not a top-level key\(hint)")
        }
        guard !fixedKeys.contains(path[0]) else {
            throw p.error(.value, "'\(path[0])' cannot be swept (only keys that configure the run)")
        }
        let items = try list.sequence()
        guard (2...24).contains(items.count) else {
            throw list.error(.range, "a sweep has 2 to 24 values, found \(items.count)")
        }
        var base = root
        if case .mapping(var m) = base {
            m["sweep"] = nil
            base = .mapping(m)
        }
        var values: [String] = []
        var variants: [Scenario] = []
        for item in items {
            guard case .scalar = item.node else { throw item.error(.type, "sweep values must be single values") }
            let text = try item.string()
            guard let node = setting(path[...], to: item.node, in: base) else {
                throw p.error(.value, "'\(parameter)' goes through a value that is not a mapping")
            }
            do {
                variants.append(try Scenario.parse(root: node, file: file, sweeping: false))
            } catch {
                // Errors at the swept value point at it; errors elsewhere keep their own place.
                var e = error
                if e.line == 0, e.code == .unknownKey {
                    e = ScenarioError(
                        e.code, file: file, line: p.line, column: p.column, path: p.path,
                        "'\(parameter)' is not a key the scenario accepts: \(e.message)")
                } else if e.line == 0 || e.path == parameter {
                    e = ScenarioError(
                        e.code, file: file, line: item.line, column: item.column, path: item.path,
                        "with \(parameter) = \(text): \(e.message)")
                }
                throw e
            }
            values.append(text)
        }
        return Sweep(parameter: parameter, values: values, variants: variants)
    }

    /// `node` with `value` at `path`, creating mappings on the way; nil if the path crosses a non-mapping.
    static func setting(_ path: ArraySlice<String>, to value: Node, in node: Node) -> Node? {
        guard case .mapping(var m) = node, let key = path.first else { return nil }
        if path.count == 1 {
            m[key] = value
        } else {
            let child = m[key] ?? .mapping(Node.Mapping([]))
            guard let updated = setting(path.dropFirst(), to: value, in: child) else { return nil }
            m[key] = updated
        }
        return .mapping(m)
    }
}
