/// A pass/fail rule in k6's grammar: `p(95)<45m`, `avg<=10m`, `max<2h`, `count==0`, `rate<0.05`.
public struct Threshold: Sendable, Hashable, CustomStringConvertible {
    /// What is measured on the metric.
    public enum Statistic: Sendable, Hashable {
        case percentile(Double)
        case average
        case maximum
        case minimum
        case count
        case rate
        /// The metric's single value (k6's gauges).
        case value
    }

    public enum Comparison: String, Sendable, Hashable, CaseIterable {
        case lessOrEqual = "<="
        case greaterOrEqual = ">="
        case equal = "=="
        case notEqual = "!="
        case less = "<"
        case greater = ">"
    }

    /// The metric path, e.g. `journeys.specialMoveIn.latency` or `counters.*.wait`.
    public var metric: String
    public var statistic: Statistic
    public var comparison: Comparison
    /// The bound: µs for durations, a plain number otherwise.
    public var bound: Double
    public var boundIsDuration: Bool
    /// The expression as written.
    public var expression: String

    public var description: String { "\(metric): \(expression)" }

    /// Parses one expression for `metric`; the error text says what the grammar is.
    public static func parse(_ expression: String, metric: String) -> Result<Threshold, ThresholdSyntaxError> {
        let text = expression.filter { !$0.isWhitespace }
        guard let op = Comparison.allCases.first(where: { text.contains($0.rawValue) }),
            let range = text.range(of: op.rawValue)
        else {
            return .failure(
                ThresholdSyntaxError(expression: expression, reason: "no comparison (<, <=, >, >=, ==, !=)"))
        }
        let left = String(text[..<range.lowerBound])
        let right = String(text[range.upperBound...])
        let statistic: Statistic
        switch left {
        case "avg": statistic = .average
        case "max": statistic = .maximum
        case "min": statistic = .minimum
        case "count": statistic = .count
        case "rate": statistic = .rate
        case "value": statistic = .value
        default:
            guard left.hasPrefix("p("), left.hasSuffix(")"), let p = Double(left.dropFirst(2).dropLast()), p > 0,
                p <= 100
            else {
                return .failure(
                    ThresholdSyntaxError(
                        expression: expression,
                        reason:
                            "'\(left)' is not a statistic (p(N) with 0 < N ≤ 100, avg, max, min, count, rate, value)"))
            }
            statistic = .percentile(p)
        }
        if let number = Double(right), number.isFinite {
            return .success(
                Threshold(
                    metric: metric, statistic: statistic, comparison: op, bound: number, boundIsDuration: false,
                    expression: expression))
        }
        if let us = try? Durations.parse(right) {
            return .success(
                Threshold(
                    metric: metric, statistic: statistic, comparison: op, bound: Double(us), boundIsDuration: true,
                    expression: expression))
        }
        return .failure(
            ThresholdSyntaxError(
                expression: expression, reason: "'\(right)' is neither a number nor a duration (45m, 30s, 500ms)"))
    }

    /// Whether `value` passes.
    public func passes(_ value: Double) -> Bool {
        switch comparison {
        case .less: value < bound
        case .lessOrEqual: value <= bound
        case .greater: value > bound
        case .greaterOrEqual: value >= bound
        case .equal: value == bound
        case .notEqual: value != bound
        }
    }
}

/// Why a threshold expression does not parse.
public struct ThresholdSyntaxError: Error, Sendable, Hashable {
    public var expression: String
    public var reason: String
}
