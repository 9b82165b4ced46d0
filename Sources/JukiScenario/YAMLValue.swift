import Foundation
import JukiCore
import Yams

/// A YAML node with its key path and file, so every read can report file:line:column and the path. Other modules
/// of the package (drills) read their YAML with it too.
package struct YAMLValue {
    package let node: Node
    package let path: String
    package let file: String

    package init(node: Node, path: String, file: String) {
        self.node = node
        self.path = path
        self.file = file
    }

    /// The text of the YAML file at `path` (at most `limit` bytes), or a `file` error naming it.
    package static func text(path: String, limit: Int) throws(ScenarioError) -> String {
        do {
            return try InputFile.text(path, limit: limit)
        } catch {
            throw ScenarioError(.file, file: path, line: 0, column: 0, path: "", error.description)
        }
    }

    /// The root of YAML `text` read from `file`, refused with the line of a syntax error as scenarios are.
    package static func root(_ text: String, file: String) throws(ScenarioError) -> YAMLValue {
        YAMLValue(node: try Scenario.compose(text, file: file), path: "", file: file)
    }

    package var line: Int { node.mark?.line ?? 0 }
    package var column: Int { node.mark?.column ?? 0 }

    package func error(_ code: ScenarioError.Code, _ message: String) -> ScenarioError {
        ScenarioError(code, file: file, line: line, column: column, path: path, message)
    }

    package func child(_ key: String, _ node: Node) -> YAMLValue {
        YAMLValue(node: node, path: path.isEmpty ? key : path + "." + key, file: file)
    }

    /// The mapping's entries, refusing keys outside `allowed` with a suggestion.
    package func mapping(allowed: [String]) throws(ScenarioError) -> [String: YAMLValue] {
        guard let m = node.mapping else { throw error(.type, "must be a mapping (key: value lines), found \(kind)") }
        var result: [String: YAMLValue] = [:]
        for (k, v) in m {
            guard let key = k.scalar?.string else {
                throw YAMLValue(node: k, path: path, file: file).error(.type, "keys must be plain names")
            }
            let value = child(key, v)
            guard allowed.isEmpty || allowed.contains(key) else {
                let hint = Suggestion.closest(to: key, in: allowed).map { "; did you mean '\($0)'?" } ?? ""
                throw YAMLValue(node: k, path: value.path, file: file).error(
                    .unknownKey, "unknown key '\(key)'\(hint) (allowed: \(allowed.joined(separator: ", ")))")
            }
            result[key] = value
        }
        return result
    }

    /// Entries of a mapping whose keys are free (flow names, counter names).
    package func entries() throws(ScenarioError) -> [(String, YAMLValue)] {
        guard let m = node.mapping else { throw error(.type, "must be a mapping, found \(kind)") }
        var result: [(String, YAMLValue)] = []
        for (k, v) in m {
            guard let key = k.scalar?.string else { throw error(.type, "keys must be plain names") }
            result.append((key, child(key, v)))
        }
        return result
    }

    package func sequence() throws(ScenarioError) -> [YAMLValue] {
        guard let s = node.sequence else { throw error(.type, "must be a list, found \(kind)") }
        return s.enumerated().map { YAMLValue(node: $0.element, path: "\(path)[\($0.offset)]", file: file) }
    }

    package var kind: String {
        switch node {
        case .scalar: "a value"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    package func string() throws(ScenarioError) -> String {
        guard let s = node.scalar?.string else { throw error(.type, "must be a text value, found \(kind)") }
        return s
    }

    package func int(_ range: ClosedRange<Int>) throws(ScenarioError) -> Int {
        let s = try string().replacingOccurrences(of: "_", with: "")
        guard let v = Int(s) else { throw error(.type, "must be a whole number, found '\(s)'") }
        guard range.contains(v) else {
            throw error(.range, "must be \(range.lowerBound) to \(range.upperBound), found \(v)")
        }
        return v
    }

    package func uint64() throws(ScenarioError) -> UInt64 {
        let s = try string().replacingOccurrences(of: "_", with: "")
        guard let v = UInt64(s) else { throw error(.type, "must be a whole number ≥ 0, found '\(s)'") }
        return v
    }

    package func double(_ range: ClosedRange<Double>) throws(ScenarioError) -> Double {
        var s = try string().replacingOccurrences(of: "_", with: "")
        var scale = 1.0
        if s.hasSuffix("%") {
            s.removeLast()
            scale = 0.01
        }
        guard let raw = Double(s), raw.isFinite else { throw error(.type, "must be a number, found '\(s)'") }
        let v = raw * scale
        guard range.contains(v) else {
            throw error(.range, "must be \(range.lowerBound) to \(range.upperBound), found \(v)")
        }
        return v
    }

    package func bool() throws(ScenarioError) -> Bool {
        switch try string().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        case let other: throw error(.type, "must be true or false, found '\(other)'")
        }
    }

    /// A duration with a unit (ms, s, m, h, d), in µs.
    package func duration(_ range: ClosedRange<Int64> = 0...(366 * 86_400_000_000)) throws(ScenarioError) -> Int64 {
        let text = try string()
        do {
            let v = try Durations.parse(text)
            guard range.contains(v) else {
                throw error(
                    .range,
                    "must be between \(Durations.format(range.lowerBound)) and \(Durations.format(range.upperBound))")
            }
            return v
        } catch let e as ScenarioError {
            throw e
        } catch {
            throw self.error(
                .duration, "'\(text)' is not a duration: write a number and a unit (ms, s, m, h, d), e.g. 45m")
        }
    }

    /// A time of day "HH:MM", in µs after midnight.
    package func timeOfDay() throws(ScenarioError) -> Int64 {
        let text = try string()
        guard let t = Self.clockTime(text) else {
            throw error(.value, "'\(text)' is not a time of day: write HH:MM, e.g. 18:00")
        }
        return t
    }

    /// "HH:MM" (00:00 to 24:00) in µs after midnight, or nil.
    static func clockTime(_ text: String) -> Int64? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h),
            (0...59).contains(m),
            h * 60 + m <= 1440
        else { return nil }
        return Int64(h * 60 + m) * 60_000_000
    }

    package func date() throws(ScenarioError) -> CivilDate {
        let text = try string()
        do {
            return try CivilDate(parsing: text, field: path)
        } catch {
            throw self.error(.value, "'\(text)' is not a date: write YYYY-MM-DD (a date that exists)")
        }
    }
}

/// Durations with units: `500ms`, `30s`, `45m`, `2h`, `1d` (decimals allowed).
public enum Durations {
    struct Invalid: Error {}

    /// Parses a duration with its unit (`500us`, `2.5ms`, `30s`, `45m`, `1.5h`, `1d`) into µs.
    public static func parse(_ text: String) throws -> Int64 {
        let t = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [
            ("us", 1), ("µs", 1), ("ms", 1e3), ("s", 1e6), ("m", 6e7), ("h", 3.6e9), ("d", 8.64e10),
        ]
        for (unit, scale) in units where t.hasSuffix(unit) {
            let number = t.dropLast(unit.count)
            if unit == "s" && (number.hasSuffix("m") || number.hasSuffix("u")) { continue }
            // Found by the fuzzer: "1e300s" overflowed Int64. A duration beyond a thousand years is refused.
            guard let v = Double(number), v.isFinite, v >= 0, v * scale <= 3.2e16 else { throw Invalid() }
            return Int64((v * scale).rounded())
        }
        throw Invalid()
    }

    /// "HH:MM" (00:00 to 23:59) as µs after midnight, or nil.
    public static func clockTime(_ text: String) -> Int64? {
        guard let t = YAMLValue.clockTime(text), t < 86_400_000_000 else { return nil }
        return t
    }

    /// µs after midnight as "HH:MM".
    public static func clock(_ us: Int64) -> String {
        let minutes = Int(us / 60_000_000)
        let h = minutes / 60
        let m = minutes % 60
        return (h < 10 ? "0\(h)" : "\(h)") + ":" + (m < 10 ? "0\(m)" : "\(m)")
    }

    /// A readable form of `µs`.
    public static func format(_ us: Int64) -> String {
        if us % 86_400_000_000 == 0 && us > 0 { return "\(us / 86_400_000_000)d" }
        if us % 3_600_000_000 == 0 && us > 0 { return "\(us / 3_600_000_000)h" }
        if us % 60_000_000 == 0 && us > 0 { return "\(us / 60_000_000)m" }
        if us % 1_000_000 == 0 { return "\(us / 1_000_000)s" }
        return "\(Double(us) / 1000)ms"
    }
}
