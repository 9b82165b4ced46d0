/// A 12-digit individual number (個人番号, My Number) whose last digit is the check digit.
///
/// The check digit follows 総務省令第85号 第5条: for the 11-digit body, with P(n) the n-th digit
/// from the right, Q(n) = n + 1 for n ≤ 6 and n − 5 for 7 ≤ n ≤ 11, r = Σ P(n)·Q(n) mod 11, and the
/// check digit is 0 when r ≤ 1, else 11 − r.
public struct IndividualNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The whole number, check digit included (0 ..< 10^12).
    public let rawValue: UInt64

    /// The number of distinct bodies (10^11).
    public static let bodySpace: UInt64 = 100_000_000_000

    /// Wraps a 12-digit value without validation; use for values built by ``init(body:)`` or stored after validation.
    @inlinable
    public init(uncheckedRawValue: UInt64) { rawValue = uncheckedRawValue }

    /// The number with body `body` (0 ..< 10^11) and its check digit appended.
    @inlinable
    public init(body: UInt64) {
        rawValue = body &* 10 &+ UInt64(IndividualNumber.checkDigit(body: body))
    }

    /// Parses 12 ASCII or full-width digits and verifies the check digit.
    public init(parsing text: String) throws(IdentifierError) {
        let value = try DecimalDigits.parse(text, kind: .individualNumber)
        let expected = IndividualNumber.checkDigit(body: value / 10)
        let actual = UInt8(value % 10)
        guard expected == actual else {
            throw IdentifierError(
                kind: .individualNumber, input: text, rule: .checkDigit(expected: expected, actual: actual))
        }
        rawValue = value
    }

    /// The 11-digit body, without the check digit.
    @inlinable public var body: UInt64 { rawValue / 10 }

    /// The check digit for an 11-digit body.
    @inlinable
    public static func checkDigit(body: UInt64) -> UInt8 {
        var b = body
        var sum: UInt64 = 0
        for n in UInt64(1)...11 {
            let p = b % 10
            b /= 10
            let q: UInt64 = n <= 6 ? n + 1 : n - 5
            sum &+= p &* q
        }
        let r = sum % 11
        return r <= 1 ? 0 : UInt8(11 - r)
    }

    public var description: String { DecimalDigits.format(rawValue, width: 12) }

    /// The number with all but the last four digits hidden, for output outside number-use work.
    public var masked: String { "********" + String(description.suffix(4)) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
