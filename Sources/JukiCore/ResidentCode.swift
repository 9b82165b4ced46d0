/// An 11-digit resident code (住民票コード): a 10-digit body and a mod-11 check digit.
///
/// The rule we use (the official notice text is not public here): weights 2, 3, 4, 5, 6, 7, 2, 3, 4, 5 on the
/// body's digits from the right; check = 11 − (Σ mod 11), where 10 and 11 become 0.
public struct ResidentCode: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The whole code, check digit included (0 ..< 10^11).
    public let rawValue: UInt64

    /// The number of distinct bodies (10^10).
    public static let bodySpace: UInt64 = 10_000_000_000

    /// Wraps an 11-digit value without validation; use for values stored after validation.
    @inlinable
    public init(uncheckedRawValue: UInt64) { rawValue = uncheckedRawValue }

    /// The code with body `body` (0 ..< 10^10) and its check digit appended.
    @inlinable
    public init(body: UInt64) {
        rawValue = body &* 10 &+ UInt64(ResidentCode.checkDigit(body: body))
    }

    /// Parses 11 ASCII or full-width digits and verifies the check digit.
    public init(parsing text: String) throws(IdentifierError) {
        let value = try DecimalDigits.parse(text, kind: .residentCode)
        let expected = ResidentCode.checkDigit(body: value / 10)
        let actual = UInt8(value % 10)
        guard expected == actual else {
            throw IdentifierError(
                kind: .residentCode, input: text, rule: .checkDigit(expected: expected, actual: actual))
        }
        rawValue = value
    }

    /// The 10-digit body, without the check digit.
    @inlinable public var body: UInt64 { rawValue / 10 }

    /// The check digit for a 10-digit body.
    @inlinable
    public static func checkDigit(body: UInt64) -> UInt8 {
        var b = body
        var sum: UInt64 = 0
        for i in 0..<10 {
            let weight: UInt64 = i < 6 ? UInt64(i + 2) : UInt64(i - 4)
            sum &+= (b % 10) &* weight
            b /= 10
        }
        let c = 11 - sum % 11
        return c >= 10 ? 0 : UInt8(c)
    }

    public var description: String { DecimalDigits.format(rawValue, width: 11) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
