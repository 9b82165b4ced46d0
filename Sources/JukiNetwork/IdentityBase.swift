import JukiCore
import JukiRegister

/// The identity records every copy starts from (本人確認情報 as loaded): one immutable table, shared by reference by
/// the municipal CSs', the prefectures' and the nation's files, each of which keeps only what changed since.
///
/// A full copy per file cost each person a dictionary entry (about 70 bytes) and index pairs (48 bytes) in every
/// file that holds them: three copies of the nation would be 44 GB. Here a person costs 40 bytes (a sorted code and
/// an entry) plus 48 bytes of shared index pairs, once, and a file costs only its changes. The table is sorted by
/// resident code, so a lookup is a binary search and a scan in code order needs no sort.
public final class IdentityBase: Sendable {
    /// Resident codes (raw), ascending.
    let codes: [UInt64]
    /// Each code's entry as loaded.
    let entries: [IdentityFile.Entry]
    /// The loaded numbers and facts keys, sorted (see ``SearchIndex``).
    let loaded: SearchIndex.Loaded

    /// A base of every resident of `registers` as loaded.
    public convenience init(registers: [ResidentRegister]) {
        self.init(parts: registers.map { $0.initialIdentityUpdates() })
    }

    /// A base of every update in `parts` (an update for a code already given replaces it), indexing numbers and
    /// facts keys.
    public convenience init(parts: [[IdentityUpdate]]) {
        let total = parts.reduce(0) { $0 + $1.count }
        var flat: [IdentityUpdate] = []
        flat.reserveCapacity(total)
        for part in parts { flat += part }
        // Sort positions by code: a radix sort of (code, position) packed in one word where they fit.
        var order: [Int]
        if total < 1 << 27, flat.allSatisfy({ $0.residentCode.rawValue < 1 << 37 }) {
            // Codes have 11 digits (under 2^37) and positions 27 bits: 64 bits together.
            var packed = flat.enumerated().map { i, u in u.residentCode.rawValue << 27 | UInt64(i) }
            RadixSort.sort(&packed)
            order = packed.map { Int($0 & (1 << 27 - 1)) }
        } else {
            order = Array(flat.indices)
            order.sort { (flat[$0].residentCode.rawValue, $0) < (flat[$1].residentCode.rawValue, $1) }
        }
        var codes: [UInt64] = []
        var entries: [IdentityFile.Entry] = []
        codes.reserveCapacity(total)
        entries.reserveCapacity(total)
        for i in order {
            let u = flat[i]
            // Equal codes are in load order: the later one replaces the earlier, as a dictionary load did.
            if codes.last == u.residentCode.rawValue {
                entries[entries.count - 1] = IdentityFile.Entry(u)
            } else {
                codes.append(u.residentCode.rawValue)
                entries.append(IdentityFile.Entry(u))
            }
        }
        self.init(codes: codes, entries: entries, loaded: SearchIndex.loaded(parts, numbers: true, facts: true))
    }

    /// A base of `codes` (ascending, unique) with their `entries` and index pairs.
    init(codes: [UInt64], entries: [IdentityFile.Entry], loaded: SearchIndex.Loaded) {
        self.codes = codes
        self.entries = entries
        self.loaded = loaded
        // A directory on the codes' top bits, about eight codes a slot, so a lookup searches a slot, not the table
        // (lookups are on every search and every update a file applies).
        let largest = codes.last ?? 0
        let bits = max(4, min(24, (Int.bitWidth - max(codes.count, 1).leadingZeroBitCount) - 3))
        shift = UInt64(max(0, (UInt64.bitWidth - largest.leadingZeroBitCount) - bits))
        var directory = [UInt32](repeating: 0, count: (1 << bits) + 1)
        for code in codes { directory[Int(code >> shift) + 1] += 1 }
        for k in 1..<directory.count { directory[k] += directory[k - 1] }
        self.directory = directory
        var counts: [MunicipalityCode: Int] = [:]
        for e in entries { counts[e.municipality, default: 0] += 1 }
        municipalityCounts = counts
    }

    /// People of each municipality, so a file's count comes without a pass over the base.
    let municipalityCounts: [MunicipalityCode: Int]

    /// People the base holds in `scope`.
    func count(in scope: IdentityScope) -> Int {
        switch scope {
        case .nation: codes.count
        case .prefecture(let p): municipalityCounts.reduce(0) { $0 + ($1.key.prefectureCode == p ? $1.value : 0) }
        case .municipality(let m): municipalityCounts[m] ?? 0
        }
    }

    /// Where each slot of codes (by their top bits, `code >> shift`) starts in `codes`.
    let directory: [UInt32]
    let shift: UInt64

    /// People in the base.
    public var count: Int { codes.count }

    /// The position of `code`, if the base holds it.
    func position(of code: UInt64) -> Int? {
        let slot = Int(code >> shift)
        guard slot + 1 < directory.count else { return nil }
        let end = Int(directory[slot + 1])
        var low = Int(directory[slot])
        var high = end
        while low < high {
            let mid = low + (high - low) / 2
            if codes[mid] < code { low = mid + 1 } else { high = mid }
        }
        return low < end && codes[low] == code ? low : nil
    }

    /// The loaded entry of `code`, if the base holds it.
    func entry(_ code: UInt64) -> IdentityFile.Entry? { position(of: code).map { entries[$0] } }

    /// Bytes the base holds: its codes, entries and index pairs.
    public var storageBytes: Int {
        codes.capacity * MemoryLayout<UInt64>.stride + entries.capacity * MemoryLayout<IdentityFile.Entry>.stride
            + (loaded.numbers.capacity + loaded.facts.capacity) * MemoryLayout<SearchIndex.Pair>.stride
    }
}

/// Which of a base's people a file holds from the start: everyone (the nation), one prefecture's municipalities, or
/// one municipality's residents.
public enum IdentityScope: Sendable, Hashable {
    case nation
    case prefecture(Int)
    case municipality(MunicipalityCode)

    func contains(_ entry: IdentityFile.Entry) -> Bool {
        switch self {
        case .nation: true
        case .prefecture(let p): entry.municipality.prefectureCode == p
        case .municipality(let m): entry.municipality == m
        }
    }
}
