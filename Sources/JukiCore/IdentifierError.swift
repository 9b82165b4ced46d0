/// The kind of identifier an ``IdentifierError`` is about.
public enum IdentifierKind: String, Sendable, Hashable, CaseIterable {
    case individualNumber
    case residentCode
    case municipalityCode

    /// The number of digits, check digit included.
    public var digitCount: Int {
        switch self {
        case .individualNumber: 12
        case .residentCode: 11
        case .municipalityCode: 6
        }
    }

    /// The Japanese term, for messages a clerk would recognise.
    public var japaneseName: String {
        switch self {
        case .individualNumber: "個人番号"
        case .residentCode: "住民票コード"
        case .municipalityCode: "全国地方公共団体コード"
        }
    }

    /// The kind whose digit count is `count`, if any.
    public static func detect(digitCount count: Int) -> IdentifierKind? {
        allCases.first { $0.digitCount == count }
    }
}

/// Why an identifier was refused: the identifier, the rule broken and what was expected.
public struct IdentifierError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rule an input broke.
    public enum Rule: Sendable, Hashable {
        /// The input has `actual` digits where `expected` are required.
        case length(expected: Int, actual: Int)
        /// The character at 1-based `position` is not an ASCII or full-width digit.
        case character(position: Int, character: String)
        /// The last digit is `actual`; the rule gives `expected`.
        case checkDigit(expected: UInt8, actual: UInt8)
        /// The value is outside the identifier's range (e.g. a body that cannot be converted).
        case range(String)
        /// The digit count matches no identifier kind (used by detection).
        case unknownLength(actual: Int)
    }

    /// The identifier kind, or `nil` when the kind could not be detected.
    public var kind: IdentifierKind?
    /// The input as given.
    public var input: String
    /// The rule broken.
    public var rule: Rule

    public init(kind: IdentifierKind?, input: String, rule: Rule) {
        self.kind = kind
        self.input = input
        self.rule = rule
    }

    /// A stable code for scripts and tests.
    public var code: String {
        switch rule {
        case .length: "identifier.length"
        case .character: "identifier.character"
        case .checkDigit: "identifier.checkDigit"
        case .range: "identifier.range"
        case .unknownLength: "identifier.unknownLength"
        }
    }

    public var description: String {
        let what = kind.map { "\($0.rawValue) (\($0.japaneseName))" } ?? "identifier"
        switch rule {
        case .length(let expected, let actual):
            return "\(what) '\(input)': length rule: expected \(expected) digits, got \(actual)"
        case .character(let position, let character):
            return
                "\(what) '\(input)': character rule: character \(position) '\(character)' is not a digit (ASCII or full-width 0-9)"
        case .checkDigit(let expected, let actual):
            return "\(what) '\(input)': check-digit rule: last digit is \(actual), expected check digit \(expected)"
        case .range(let detail):
            return "\(what) '\(input)': range rule: \(detail)"
        case .unknownLength(let actual):
            return "identifier '\(input)': length rule: \(actual) digits matches no identifier "
                + "(6 municipality code, 11 resident code, 12 individual number)"
        }
    }
}
