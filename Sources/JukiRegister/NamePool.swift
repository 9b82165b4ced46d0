import JukiCore

/// Interned name readings: each distinct (kanji, kana) pair is stored once and referenced by a `UInt32` id.
///
/// The register's name columns hold these ids; each entry also knows the id of its 清音化 reading, which the
/// basic-facts indexes use as their key so that searches match loosely (髙橋 and 高橋 are both タカハシ).
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
    private var idByEntry: [Entry: UInt32] = [:]
    private var idBySeion: [String: UInt32] = [:]
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
        idsByKanji[kanji, default: []].append(id)
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

    /// Every id whose kanji is `kanji` (several readings may share one spelling).
    public func ids(kanji: String) -> [UInt32] { idsByKanji[kanji] ?? [] }

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
        return strings * 3 + seionIDs.capacity * 4 + seionReadings.count * 48
    }
}
