import JukiCore

/// Interned name readings: each distinct (kanji, kana) pair is stored once and referenced by a `UInt32` id.
///
/// The register's name columns hold these ids; each entry also knows the id of its 清音化 reading, which the
/// basic-facts indexes use as their key so that searches match loosely (髙橋 and 高橋 are both タカハシ). Kanji are
/// looked up folded (``JukiCore/VariantCharacters/folded(_:)``), so a kanji search for 高橋 finds 髙橋 too.
public struct NamePool: Sendable {
    /// One interned reading.
    public struct Entry: Sendable, Hashable {
        public var kanji: String
        public var kana: String
        public init(kanji: String, kana: String) {
            self.kanji = kanji
            self.kana = kana
        }
    }

    public private(set) var entries: [Entry] = []
    /// The id of each entry's 清音化 reading.
    @usableFromInline private(set) var seionIDs: [UInt32] = []
    public private(set) var seionReadings: [String] = []
    /// A stable hash of each 清音化 reading (``readingHash(_:)``): the same in every municipality's pool, so keys
    /// built from it can be compared across nodes.
    @usableFromInline private(set) var seionHashes: [UInt64] = []
    /// The number of variant characters (外字) in each entry's kanji.
    @usableFromInline private(set) var variantCounts: [UInt8] = []
    private var idByEntry: [Entry: UInt32] = [:]
    private var idBySeion: [String: UInt32] = [:]
    /// Ids by folded kanji: 髙橋 and 高橋 share one list.
    private var idsByKanji: [String: [UInt32]] = [:]

    public init() {}

    /// The number of interned entries.
    public var count: Int { entries.count }

    /// The id of (`kanji`, `kana`), interning it if new.
    @discardableResult
    public mutating func intern(kanji: String, kana: String) -> UInt32 {
        let key = Entry(kanji: kanji, kana: Kana.katakana(kana))
        if let id = idByEntry[key] { return id }
        let id = UInt32(entries.count)
        entries.append(key)
        idByEntry[key] = id
        idsByKanji[VariantCharacters.folded(kanji), default: []].append(id)
        variantCounts.append(UInt8(clamping: VariantCharacters.count(in: kanji)))
        let s = Kana.seion(key.kana)
        let sid: UInt32
        if let existing = idBySeion[s] {
            sid = existing
        } else {
            sid = UInt32(seionReadings.count)
            seionReadings.append(s)
            seionHashes.append(Self.readingHash(s))
            idBySeion[s] = sid
        }
        seionIDs.append(sid)
        return id
    }

    /// The id of an already interned pair.
    public func id(kanji: String, kana: String) -> UInt32? { idByEntry[Entry(kanji: kanji, kana: Kana.katakana(kana))] }

    /// Every id whose kanji is `kanji` up to variant characters (several readings may share one spelling, and
    /// 髙橋 and 高橋 are one name to a search), in interning order.
    public func ids(kanji: String) -> [UInt32] { idsByKanji[VariantCharacters.folded(kanji)] ?? [] }

    /// The number of variant characters (外字) in the kanji of entry `id`.
    @inlinable @inline(__always)
    public func variantCount(of id: UInt32) -> Int { Int(variantCounts[Int(id)]) }

    /// The id of a 清音化 reading, if any entry has it.
    public func seionID(reading: String) -> UInt32? { idBySeion[Kana.seion(reading)] }

    /// The 清音化 reading id of entry `id`.
    @inlinable @inline(__always)
    public func seionID(of id: UInt32) -> UInt32 { seionIDs[Int(id)] }

    public subscript(id: UInt32) -> Entry { entries[Int(id)] }

    /// The stable hash of the 清音化 reading of entry `id`.
    @inlinable @inline(__always)
    public func seionHash(of id: UInt32) -> UInt64 { seionHashes[Int(seionIDs[Int(id)])] }

    /// A stable 64-bit hash (FNV-1a, then mixed) of a 清音化 reading: not Swift's per-process `Hasher`, so a key
    /// is the same in every run and on every node.
    public static func readingHash(_ seionReading: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in seionReading.utf8 {
            h = (h ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return Mixing.combine(h, 0x9e37_79b9_7f4a_7c15)
    }

    var memoryBytes: Int {
        // Strings of up to 15 UTF-8 bytes live inline; longer ones take a heap buffer. Dictionaries ≈ 2× payload.
        let strings = entries.reduce(0) { $0 + $1.kanji.utf8.count + $1.kana.utf8.count + 32 }
        return strings * 3 + seionIDs.capacity * 4 + variantCounts.capacity + seionReadings.count * 48
    }
}
