/// An 11-digit resident code (住民票コード): a 10-digit body and a mod-11 check digit.
///
/// The rule we use (the official notice text is not public here): weights 2, 3, 4, 5, 6, 7, 2, 3, 4, 5 on the
/// body's digits from the right; check = 11 − (Σ mod 11), where 10 and 11 become 0.
public struct ResidentCode: CheckDigitIdentifier {
    public static let kind = IdentifierKind.residentCode

    /// The whole code, check digit included (0 ..< 10^11).
    public let rawValue: UInt64

    /// The number of distinct bodies (10^10).
    public static let bodySpace: UInt64 = 10_000_000_000

    /// Wraps an 11-digit value without validation; use for values stored after validation.
    @inlinable
    public init(uncheckedRawValue: UInt64) { rawValue = uncheckedRawValue }

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

}
