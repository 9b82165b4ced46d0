/// A fixed-length decimal identifier whose last digit is a check digit over its body.
///
/// Conformers supply the kind and the check-digit rule; parsing, validation, formatting and ordering are shared.
public protocol CheckDigitIdentifier: Sendable, Hashable, Comparable, CustomStringConvertible {
    associatedtype RawValue: FixedWidthInteger & UnsignedInteger & Sendable
    /// Which identifier this is (its digit count and names for messages).
    static var kind: IdentifierKind { get }
    /// The check digit for `body` (the digits before the check digit).
    static func checkDigit(body: RawValue) -> UInt8
    /// The whole value, check digit included.
    var rawValue: RawValue { get }
    /// Wraps a value without validation; for values built from a body or stored after validation.
    init(uncheckedRawValue: RawValue)
}

extension CheckDigitIdentifier {
    /// The identifier with body `body` and its check digit appended.
    @inlinable
    public init(body: RawValue) {
        self.init(uncheckedRawValue: body &* 10 &+ RawValue(Self.checkDigit(body: body)))
    }

    /// Parses ASCII or full-width digits of the kind's length and verifies the check digit.
    public init(parsing text: String) throws(IdentifierError) {
        let value = RawValue(try DecimalDigits.parse(text, kind: Self.kind))
        let expected = Self.checkDigit(body: value / 10)
        let actual = UInt8(value % 10)
        guard expected == actual else {
            throw IdentifierError(kind: Self.kind, input: text, rule: .checkDigit(expected: expected, actual: actual))
        }
        self.init(uncheckedRawValue: value)
    }

    /// The body, without the check digit.
    @inlinable public var body: RawValue { rawValue / 10 }

    /// Whether the value fits the kind's digits and its last digit is the check digit of its body: for values
    /// that arrive unchecked (``init(uncheckedRawValue:)``).
    public var hasValidCheckDigit: Bool {
        var limit: UInt64 = 1
        for _ in 0..<Self.kind.digitCount { limit &*= 10 }
        return UInt64(rawValue) < limit && UInt8(rawValue % 10) == Self.checkDigit(body: body)
    }

    public var description: String { DecimalDigits.format(UInt64(rawValue), width: Self.kind.digitCount) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
