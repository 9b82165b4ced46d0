/// A scenario refused: where (file, line, column, key path), which rule, and what to do.
public struct ScenarioError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of rule broken, stable for scripts and tests.
    public enum Code: String, Sendable, Hashable {
        case syntax
        case unknownKey
        case missingKey
        case type
        case range
        case duration
        case value
        case unsupported
        case file
    }

    public var code: Code
    public var file: String
    public var line: Int
    public var column: Int
    /// The key path, e.g. `workload.flows.certificate.perDay`.
    public var path: String
    public var message: String

    public init(_ code: Code, file: String, line: Int, column: Int, path: String, _ message: String) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    public var description: String {
        // Errors about the file itself (or the run as a whole) have no place in the text to point at.
        if line == 0 && column == 0 && (code == .file || path.isEmpty) { return "\(file): \(message)" }
        return "\(file):\(line):\(column): \(path.isEmpty ? "(top level)" : path): \(message)"
    }
}

/// Edit distance, for "did you mean" suggestions.
enum Suggestion {
    static func closest(to word: String, in candidates: [String]) -> String? {
        let w = Array(word.lowercased())
        var best: (String, Int)?
        for c in candidates {
            let d = distance(w, Array(c.lowercased()))
            if d <= max(2, c.count / 3), d < (best?.1 ?? Int.max) { best = (c, d) }
        }
        return best?.0
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
