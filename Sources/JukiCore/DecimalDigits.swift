/// Parsing and formatting of fixed-length decimal identifiers, accepting ASCII and full-width digits.
public enum DecimalDigits {
    /// The value of `scalar` as a digit, for ASCII `0`–`9` and full-width `０`–`９` (U+FF10–U+FF19).
    @inlinable
    public static func digitValue(_ scalar: Unicode.Scalar) -> UInt8? {
        let v = scalar.value
        if v >= 0x30 && v <= 0x39 { return UInt8(v - 0x30) }
        if v >= 0xFF10 && v <= 0xFF19 { return UInt8(v - 0xFF10) }
        return nil
    }

    /// The digits of `text` (surrounding white space ignored), or the rule they break.
    public static func digits(of text: String, kind: IdentifierKind?) throws(IdentifierError) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(12)
        var position = 0
        for scalar in trimmed(text).unicodeScalars {
            position += 1
            guard let d = digitValue(scalar) else {
                throw IdentifierError(
                    kind: kind, input: text, rule: .character(position: position, character: String(scalar)))
            }
            result.append(d)
        }
        return result
    }

    /// Parses exactly `kind.digitCount` digits into an integer, check digit included.
    public static func parse(_ text: String, kind: IdentifierKind) throws(IdentifierError) -> UInt64 {
        let ds = try digits(of: text, kind: kind)
        guard ds.count == kind.digitCount else {
            throw IdentifierError(kind: kind, input: text, rule: .length(expected: kind.digitCount, actual: ds.count))
        }
        var value: UInt64 = 0
        for d in ds { value = value &* 10 &+ UInt64(d) }
        return value
    }

    /// `value` as exactly `width` decimal digits, zero-padded.
    public static func format(_ value: UInt64, width: Int) -> String {
        var bytes = [UInt8](repeating: 0x30, count: width)
        var v = value
        var i = width - 1
        while i >= 0 {
            bytes[i] = 0x30 &+ UInt8(v % 10)
            v /= 10
            i -= 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func trimmed(_ text: String) -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        var s = Substring(text)
        while let f = s.first, isSpace(f) { s.removeFirst() }
        while let l = s.last, isSpace(l) { s.removeLast() }
        return s
    }
}
