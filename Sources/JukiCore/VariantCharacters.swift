/// Variant characters (外字): the few characters outside JIS X 0208 that the model writes names with, each with
/// its substitute (代替文字) in the standard set.
///
/// The seed's identity file (本人確認情報, 別添2【2】) records per person the number of 外字 in the name (item 3
/// 外字数(氏名)) and in the address (item 12 外字数(住所)) and a flag (item 34 外字フラグ); delivery records
/// (別添2【3】) carry the substitution's result and the name and address in substitutes (items 53 代替文字変換結果,
/// 55 代替文字氏名, 57 代替文字住所) with the flag and pattern (60 外字フラグ, 61 外字パターン).
///
/// A real system maps characters through the 文字情報基盤 (MJ) tables (about 58,000 glyphs with their
/// 縮退マップ); this table holds eight well-known surname variants only. None of them has a Unicode canonical
/// decomposition, so they survive NFC normalisation and Swift's `String` equality keeps them apart from their
/// substitutes (the compatibility ideographs 隆 U+F9DC and 塚 U+FA10 would not, and are left out).
public enum VariantCharacters {
    /// One variant character and its substitute in JIS X 0208.
    public struct Entry: Sendable, Hashable {
        /// The variant (外字), outside JIS X 0208.
        public let variant: Unicode.Scalar
        /// Its substitute (代替文字), in JIS X 0208.
        public let substitute: Unicode.Scalar

        /// An entry mapping `variant` to `substitute`.
        public init(_ variant: Unicode.Scalar, _ substitute: Unicode.Scalar) {
            self.variant = variant
            self.substitute = substitute
        }
    }

    /// The model's variants, each checked to be outside JIS X 0208 (ISO-2022-JP cannot encode it).
    public static let table: [Entry] = [
        Entry("\u{9AD9}", "\u{9AD8}"),  // 髙 → 高 (はしご高: 髙橋)
        Entry("\u{FA11}", "\u{5D0E}"),  // 﨑 → 崎 (たつさき: 山﨑)
        Entry("\u{5FB7}", "\u{5FB3}"),  // 德 → 徳
        Entry("\u{20BB7}", "\u{5409}"),  // 𠮷 → 吉 (つちよし: 𠮷田)
        Entry("\u{6FF5}", "\u{6D5C}"),  // 濵 → 浜
        Entry("\u{6852}", "\u{6851}"),  // 桒 → 桑
        Entry("\u{6801}", "\u{67F3}"),  // 栁 → 柳
        Entry("\u{7028}", "\u{702C}"),  // 瀨 → 瀬
    ]

    /// The substitute of scalar `s` if it is a variant, else nil.
    @inlinable
    public static func substitute(ofScalar s: Unicode.Scalar) -> Unicode.Scalar? {
        // Every variant is a CJK ideograph (U+4E00 and above): skip the table for kana and ASCII.
        guard s.value >= 0x4E00 else { return nil }
        for e in table where e.variant == s { return e.substitute }
        return nil
    }

    /// The variant of scalar `s` if it is the substitute of one, else nil.
    @inlinable
    public static func variant(ofScalar s: Unicode.Scalar) -> Unicode.Scalar? {
        guard s.value >= 0x4E00 else { return nil }
        for e in table where e.substitute == s { return e.variant }
        return nil
    }

    /// The substitute (代替文字) of `character` if it is a variant (髙 → 高), else nil.
    public static func substitute(of character: Character) -> Character? {
        guard character.unicodeScalars.count == 1, let s = character.unicodeScalars.first else { return nil }
        return substitute(ofScalar: s).map(Character.init)
    }

    /// The variant form of `character` if the table has one (高 → 髙), else nil.
    public static func variant(of character: Character) -> Character? {
        guard character.unicodeScalars.count == 1, let s = character.unicodeScalars.first else { return nil }
        return variant(ofScalar: s).map(Character.init)
    }

    /// The number of variant characters in `text` (外字数, 別添2【2】 items 3 and 12).
    public static func count(in text: String) -> Int {
        var n = 0
        for s in text.unicodeScalars where substitute(ofScalar: s) != nil { n += 1 }
        return n
    }

    /// Whether `text` holds a variant character (外字フラグ, 別添2【2】 item 34, 【3】 item 60).
    public static func containsVariant(_ text: String) -> Bool {
        text.unicodeScalars.contains { substitute(ofScalar: $0) != nil }
    }

    /// `text` with each variant replaced by its substitute (代替文字, 別添2【3】 items 53, 55 and 57): 髙橋 → 高橋.
    public static func substituted(_ text: String) -> String {
        guard containsVariant(text) else { return text }
        var scalars = String.UnicodeScalarView()
        for s in text.unicodeScalars { scalars.append(substitute(ofScalar: s) ?? s) }
        return String(scalars)
    }

    /// The search form of `text`: the same as ``substituted(_:)``, so 髙橋 and 高橋 fold to one key.
    public static func folded(_ text: String) -> String { substituted(text) }

    /// Whether some character of `text` has a variant form (高橋 can be written 髙橋).
    public static func hasVariantForm(_ text: String) -> Bool {
        text.unicodeScalars.contains { variant(ofScalar: $0) != nil }
    }

    /// `text` with every character that has a variant written in it: 高橋 → 髙橋, 高崎 → 髙﨑; the generator's
    /// reverse of ``substituted(_:)``.
    public static func variantForm(_ text: String) -> String {
        guard hasVariantForm(text) else { return text }
        var scalars = String.UnicodeScalarView()
        for s in text.unicodeScalars { scalars.append(variant(ofScalar: s) ?? s) }
        return String(scalars)
    }
}
