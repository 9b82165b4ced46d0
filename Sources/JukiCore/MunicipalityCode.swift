/// A 6-digit local-government code (全国地方公共団体コード) whose last digit is the check digit.
///
/// Weights 6, 5, 4, 3, 2 on the first five digits from the left; the check digit is the last digit
/// of 11 − (Σ mod 11). Fujisawa is 142051.
public struct MunicipalityCode: CheckDigitIdentifier {
    public static let kind = IdentifierKind.municipalityCode

    /// The whole code, check digit included.
    public let rawValue: UInt32

    /// Fujisawa (藤沢市), the default municipality.
    public static let fujisawa = MunicipalityCode(uncheckedRawValue: 142_051)

    /// Wraps a 6-digit value without validation; use for values stored after validation.
    @inlinable
    public init(uncheckedRawValue: UInt32) { rawValue = uncheckedRawValue }

    /// The 2-digit prefecture code (01 Hokkaido … 47 Okinawa).
    @inlinable public var prefectureCode: Int { Int(rawValue / 10_000) }

    /// The check digit for a 5-digit body.
    @inlinable
    public static func checkDigit(body: UInt32) -> UInt8 {
        var b = body
        var sum: UInt32 = 0
        for weight in UInt32(2)...6 {
            sum &+= (b % 10) &* weight
            b /= 10
        }
        return UInt8((11 - sum % 11) % 10)
    }

}
