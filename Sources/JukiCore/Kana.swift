/// Kana normalisation for name matching: katakana folding and 清音化 (seion kana).
public enum Kana {
    /// `text` with hiragana turned into katakana and white space (ASCII and ideographic) removed.
    public static func katakana(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            let v = s.value
            if v == 0x20 || v == 0x3000 || v == 0x09 { continue }
            if v >= 0x3041 && v <= 0x3096, let k = Unicode.Scalar(v + 0x60) {
                scalars.append(k)
            } else {
                scalars.append(s)
            }
        }
        return String(scalars)
    }

    /// The 清音化 form of a kana reading: voicing marks removed and small kana enlarged
    /// (ガ→カ, パ→ハ, ッ→ツ, ャ→ヤ, ヴ→ウ), after ``katakana(_:)``.
    public static func seion(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for s in katakana(text).unicodeScalars {
            let v = s.value
            if v == 0x3099 || v == 0x309A || v == 0x309B || v == 0x309C { continue }
            scalars.append(Unicode.Scalar(seionValue(v)) ?? s)
        }
        return String(scalars)
    }

    static func seionValue(_ v: UInt32) -> UInt32 {
        switch v {
        // ガ…ヂ: voiced katakana sit one above their clear form, alternating.
        case 0x30AC, 0x30AE, 0x30B0, 0x30B2, 0x30B4, 0x30B6, 0x30B8, 0x30BA, 0x30BC, 0x30BE, 0x30C0, 0x30C2:
            return v - 1
        case 0x30C5, 0x30C7, 0x30C9: return v - 1  // ヅ デ ド
        case 0x30D0, 0x30D3, 0x30D6, 0x30D9, 0x30DC: return v - 1  // バ ビ ブ ベ ボ
        case 0x30D1, 0x30D4, 0x30D7, 0x30DA, 0x30DD: return v - 2  // パ ピ プ ペ ポ
        case 0x30F4: return 0x30A6  // ヴ
        case 0x30F7: return 0x30EF  // ヷ
        case 0x30F8: return 0x30F0  // ヸ
        case 0x30F9: return 0x30F1  // ヹ
        case 0x30FA: return 0x30F2  // ヺ
        case 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9: return v + 1  // ァ ィ ゥ ェ ォ
        case 0x30C3: return 0x30C4  // ッ
        case 0x30E3, 0x30E5, 0x30E7: return v + 1  // ャ ュ ョ
        case 0x30EE: return 0x30EF  // ヮ
        case 0x30F5: return 0x30AB  // ヵ
        case 0x30F6: return 0x30B1  // ヶ
        default: return v
        }
    }

    /// Whether `text` is katakana only (with ー, ・ and spaces allowed).
    public static func isKatakana(_ text: String) -> Bool {
        !text.isEmpty
            && text.unicodeScalars.allSatisfy { s in
                (0x30A1...0x30FC).contains(s.value) || s.value == 0x20 || s.value == 0x3000
            }
    }
}
