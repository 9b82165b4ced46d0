import JukiCore
import Testing

@Suite("Variant characters (外字) and their substitutes (代替文字)")
struct VariantCharacterTests {
    @Test(
        "counts variants and substitutes them",
        arguments: [
            ("髙橋", 1, "高橋"), ("山﨑", 1, "山崎"), ("髙﨑", 2, "高崎"), ("𠮷田", 1, "吉田"), ("德永", 1, "徳永"),
            ("濵田", 1, "浜田"), ("桒原", 1, "桑原"), ("栁田", 1, "柳田"), ("瀨戸", 1, "瀬戸"), ("高橋", 0, "高橋"),
            ("タカハシ", 0, "タカハシ"), ("", 0, ""),
        ])
    func countAndSubstitute(text: String, count: Int, substituted: String) {
        #expect(VariantCharacters.count(in: text) == count)
        #expect(VariantCharacters.containsVariant(text) == (count > 0))
        #expect(VariantCharacters.substituted(text) == substituted)
        #expect(VariantCharacters.folded(text) == VariantCharacters.folded(substituted))
    }

    @Test("keeps variants apart from their substitutes under String equality")
    func distinctStrings() {
        for e in VariantCharacters.table {
            #expect(String(Character(e.variant)) != String(Character(e.substitute)))
            #expect(e.variant.value >= 0x4E00 && e.substitute.value >= 0x4E00)
        }
        #expect("髙橋" != "高橋")
    }

    @Test("maps characters both ways, and turns a name into its variant form")
    func reverseMap() {
        #expect(VariantCharacters.variant(of: "高") == "髙")
        #expect(VariantCharacters.substitute(of: "髙") == "高")
        #expect(VariantCharacters.variant(of: "橋") == nil)
        #expect(VariantCharacters.substitute(of: "高") == nil)
        #expect(VariantCharacters.hasVariantForm("高橋"))
        #expect(!VariantCharacters.hasVariantForm("佐藤"))
        #expect(VariantCharacters.variantForm("高橋") == "髙橋")
        #expect(VariantCharacters.variantForm("高崎") == "髙﨑")
        #expect(VariantCharacters.variantForm("佐藤") == "佐藤")
        for e in VariantCharacters.table {
            let s = String(Character(e.substitute))
            #expect(VariantCharacters.substituted(VariantCharacters.variantForm(s)) == s)
        }
    }
}
