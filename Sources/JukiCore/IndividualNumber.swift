/// A 12-digit individual number (個人番号, My Number) whose last digit is the check digit.
///
/// The check digit follows 総務省令第85号 第5条: for the 11-digit body, with P(n) the n-th digit
/// from the right, Q(n) = n + 1 for n ≤ 6 and n − 5 for 7 ≤ n ≤ 11, r = Σ P(n)·Q(n) mod 11, and the
/// check digit is 0 when r ≤ 1, else 11 − r.
public struct IndividualNumber: CheckDigitIdentifier {
    public static let kind = IdentifierKind.individualNumber

    /// The whole number, check digit included (0 ..< 10^12).
    public let rawValue: UInt64

    /// The number of distinct bodies (10^11).
    public static let bodySpace: UInt64 = 100_000_000_000

    /// Wraps a 12-digit value without validation; use for values built by ``init(body:)`` or stored after validation.
    @inlinable
    public init(uncheckedRawValue: UInt64) { rawValue = uncheckedRawValue }

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

    /// The number with all but the last four digits hidden, for output outside number-use work.
    public var masked: String { "********" + String(description.suffix(4)) }

}
