import JukiCore
import JukiRegister

/// What an identity file finds people by beyond their resident code: individual numbers (個人番号) and basic facts
/// (4情報, by their ``BasicFactsKeys``): "住民票コード、個人番号又は4情報の組み合わせ" (別添1 2.4-①, 2.5-①).
///
/// Compact, for the national server's file of every person in the simulated nation: what the initial load holds is
/// two sorted arrays of (key, resident code) pairs, built once at set-up (16 bytes a key, no hashing, no empty
/// buckets). Numbers designated during the run go into runs beside them (an unsorted tail, then sorted runs that
/// grow eightfold level by level, as in a log-structured merge: a bulk assignment designates every resident, and a
/// dictionary of 445,283 numbers in three files cost more than the rest of the run); the loaded array itself is
/// never rewritten, so no insert pauses for a merge the size of the nation's file (the load mode felt each as a
/// stall of milliseconds). Facts changed during the run go into small dictionaries. Nothing is ever removed: a pair is checked when it is found (a number against the person's
/// entry, a facts key against the keys of the people whose facts changed since the load), so a stale pair is never
/// an answer.
struct SearchIndex: Sendable {
    /// A key and the resident code (raw values) it finds.
    struct Pair: Sendable, Hashable {
        var key: UInt64
        var code: UInt64
    }

    /// The initial load's numbers and facts keys (two per person), sorted by key, then code: immutable, so every
    /// file over the same ``IdentityBase`` shares one copy (the nation's pairs are 6 GB).
    final class Loaded: Sendable {
        let numbers: [Pair]
        let facts: [Pair]

        init(numbers: [Pair], facts: [Pair]) {
            self.numbers = numbers
            self.facts = facts
        }

        static let empty = Loaded(numbers: [], facts: [])
    }

    private(set) var loaded = Loaded.empty
    var loadedNumbers: [Pair] { loaded.numbers }
    var loadedFacts: [Pair] { loaded.facts }
    /// Which loaded pairs belong to this file: a file over a shared base sees only its scope's (nil: all).
    var loadedScope: (@Sendable (UInt64) -> Bool)?
    /// Numbers designated or changed since the load (checked against the entry on lookup): the latest, unsorted
    /// (at most ``tailLimit``), and sorted runs of older ones, newest first: run `k` holds at most
    /// `tailLimit · 8^(k+1)` pairs and goes into run `k + 1` when it outgrows that.
    private(set) var numberTail: [Pair] = []
    private(set) var numberRuns: [[Pair]] = []
    /// The unsorted tail's size: a lookup scans it (a few µs), an insert sorts it into the run when full.
    static let tailLimit = 4_096
    /// Facts keys set since the load, and the current keys of each person whose facts changed since the load (the
    /// loaded pairs of such a person count only where they are still the person's keys).
    private(set) var addedFacts: [UInt64: UInt64] = [:]
    private(set) var changedFacts: [UInt64: BasicFactsKeys] = [:]
    let numbers: Bool
    let facts: Bool

    init(numbers: Bool, facts: Bool) {
        self.numbers = numbers
        self.facts = facts
    }

    /// An index over `loaded` pairs shared with other files, of which `scope` says which codes are this file's.
    init(numbers: Bool, facts: Bool, loaded: Loaded, scope: (@Sendable (UInt64) -> Bool)?) {
        self.numbers = numbers
        self.facts = facts
        self.loaded = loaded
        loadedScope = scope
    }

    /// The sorted pairs of `parts`, with `existing` merged in (numbers if `numbers`, facts keys if `facts`).
    static func loaded(_ parts: [[IdentityUpdate]], numbers: Bool, facts: Bool, existing: Loaded = .empty) -> Loaded {
        let total = parts.reduce(0) { $0 + $1.count }
        var numberPairs = existing.numbers
        var factPairs = existing.facts
        if numbers {
            numberPairs.reserveCapacity(numberPairs.count + total)
            for part in parts {
                for u in part {
                    if let n = u.individualNumber {
                        numberPairs.append(Pair(key: n.rawValue, code: u.residentCode.rawValue))
                    }
                }
            }
            Self.sort(&numberPairs)
        }
        if facts {
            factPairs.reserveCapacity(factPairs.count + 2 * total)
            for part in parts {
                for u in part where u.facts.nameAndBirthDate != 0 {
                    factPairs.append(Pair(key: u.facts.nameAndBirthDate, code: u.residentCode.rawValue))
                    factPairs.append(Pair(key: u.facts.nameAndAddress, code: u.residentCode.rawValue))
                }
            }
            Self.sort(&factPairs)
        }
        return Loaded(numbers: numberPairs, facts: factPairs)
    }

    /// Builds the sorted arrays from the updates of an initial load (once, at set-up; a second load rebuilds them
    /// with what the first loaded).
    mutating func load(_ parts: [[IdentityUpdate]]) {
        loaded = Self.loaded(parts, numbers: numbers, facts: facts, existing: loaded)
        loadedScope = nil
    }

    /// Makes room for the facts of `changes` people changing after the load, so their dictionaries do not rehash
    /// mid-run (the load mode's headroom).
    mutating func reserve(changes: Int) {
        guard facts, changes > 0 else { return }
        changedFacts.reserveCapacity(changedFacts.count + changes)
        addedFacts.reserveCapacity(addedFacts.count + 2 * changes)
    }

    /// Keeps the index in step with an update applied after the load; `previousNumber` is the number the person's
    /// entry held before (nil for a person new to the file).
    mutating func index(_ u: IdentityUpdate, previousNumber: IndividualNumber?) {
        let code = u.residentCode.rawValue
        if numbers, let number = u.individualNumber, number != previousNumber {
            addNumber(Pair(key: number.rawValue, code: code))
        }
        // Zero keys: the change cannot have altered name, birth date or address (``IdentityUpdate/facts``).
        guard facts, u.facts.nameAndBirthDate != 0 else { return }
        if let old = changedFacts[code] {
            if old == u.facts { return }
            if addedFacts[old.nameAndBirthDate] == code { addedFacts[old.nameAndBirthDate] = nil }
            if addedFacts[old.nameAndAddress] == code { addedFacts[old.nameAndAddress] = nil }
        }
        changedFacts[code] = u.facts
        addedFacts[u.facts.nameAndBirthDate] = code
        addedFacts[u.facts.nameAndAddress] = code
    }

    /// Adds a number set after the load: to the tail, which goes into the first run when full; a run that outgrows
    /// its level goes into the next (each pair moves O(log n) times, and the largest merge is the size of what the
    /// run added, not of the loaded file).
    mutating func addNumber(_ pair: Pair) {
        numberTail.append(pair)
        guard numberTail.count >= Self.tailLimit else { return }
        // By key alone, stably (equal keys keep their order: only the entry's own number is accepted anyway).
        numberTail.sort { $0.key < $1.key }
        var carry = numberTail
        numberTail.removeAll(keepingCapacity: true)
        var level = 0
        var cap = Self.tailLimit * 8
        while true {
            if level == numberRuns.count {
                numberRuns.append(carry)
                return
            }
            let merged = Self.merge(numberRuns[level], carry)
            if merged.count <= cap {
                numberRuns[level] = merged
                return
            }
            numberRuns[level] = []
            carry = merged
            level += 1
            cap = cap.multipliedReportingOverflow(by: 8).overflow ? Int.max : cap * 8
        }
    }

    /// Two arrays sorted by key merged into one (on equal keys, `a`'s first).
    static func merge(_ a: [Pair], _ b: [Pair]) -> [Pair] {
        if a.isEmpty { return b }
        if b.isEmpty { return a }
        var out: [Pair] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count && j < b.count {
            if b[j].key < a[i].key {
                out.append(b[j])
                j += 1
            } else {
                out.append(a[i])
                i += 1
            }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }

    /// The keys of a person whose facts changed since the load (nil: as loaded).
    func changedKeys(of code: UInt64) -> BasicFactsKeys? { changedFacts[code] }

    /// The first resident code `number` finds that `accept` takes (the caller checks the entry still holds the
    /// number): the latest set since the load first, then the older ones, then the loaded ones, in order.
    func firstCode(ofNumber number: UInt64, where accept: (UInt64) -> Bool) -> UInt64? {
        guard numbers else { return nil }
        for p in numberTail.reversed() where p.key == number && accept(p.code) { return p.code }
        for run in numberRuns {
            if let code = Self.firstCode(number, in: run, where: accept) { return code }
        }
        guard let inScope = loadedScope else { return Self.firstCode(number, in: loadedNumbers, where: accept) }
        return Self.firstCode(number, in: loadedNumbers) { inScope($0) && accept($0) }
    }

    /// The first code of the pairs with `key` in sorted `pairs` that `accept` takes.
    static func firstCode(_ key: UInt64, in pairs: [Pair], where accept: (UInt64) -> Bool) -> UInt64? {
        var i = lowerBound(key, in: pairs)
        while i < pairs.count && pairs[i].key == key {
            if accept(pairs[i].code) { return pairs[i].code }
            i += 1
        }
        return nil
    }

    /// The first resident code the facts key `key` finds that `accept` takes, among the people whose current keys
    /// include it (several people may share a name and a birth date).
    func firstCode(ofFacts key: UInt64, where accept: (UInt64) -> Bool) -> UInt64? {
        guard facts else { return nil }
        if let code = addedFacts[key], accept(code) { return code }
        let inScope = loadedScope
        return Self.firstCode(key, in: loadedFacts) { code in
            guard inScope?(code) ?? true else { return false }
            let current = changedFacts[code].map { $0.nameAndBirthDate == key || $0.nameAndAddress == key } ?? true
            return current && accept(code)
        }
    }

    /// Bytes the index holds (its arrays' capacities, its dictionaries' buckets; shared loaded pairs are the
    /// base's), for the memory figures.
    var storageBytes: Int {
        ((loadedScope == nil ? loadedNumbers.capacity + loadedFacts.capacity : 0)
            + numberRuns.reduce(0) { $0 + $1.capacity } + numberTail.capacity) * MemoryLayout<Pair>.stride
            + Self.buckets(addedFacts.capacity) * 16
            + Self.buckets(changedFacts.capacity) * (8 + MemoryLayout<BasicFactsKeys>.stride)
    }

    /// The buckets behind a dictionary's capacity (at most three quarters of them are used).
    static func buckets(_ capacity: Int) -> Int { capacity == 0 ? 0 : capacity / 3 * 4 + 4 }

    /// The index of the first pair whose key is not below `key`.
    static func lowerBound(_ key: UInt64, in pairs: [Pair]) -> Int {
        var low = 0
        var high = pairs.count
        while low < high {
            let mid = low + (high - low) / 2
            if pairs[mid].key < key { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Sorts `pairs` by key, then code: one counting pass on the keys' top 16 significant bits, then each bucket
    /// (a handful of pairs: facts keys are hashes, numbers spread over their range) sorted on its own. Set-up work
    /// over a national file's 1.8 million pairs: the loops run on buffer pointers (every index is a bucket's or a
    /// pair's, counted first).
    static func sort(_ pairs: inout [Pair]) {
        let n = pairs.count
        guard n > 64 else {
            pairs.sort { ($0.key, $0.code) < ($1.key, $1.code) }
            return
        }
        var largest: UInt64 = 0
        for p in pairs { largest = max(largest, p.key) }
        let shift = UInt64(max(0, (UInt64.bitWidth - largest.leadingZeroBitCount) - 16))
        let buckets = 1 << 16
        var starts = [Int](repeating: 0, count: buckets + 1)
        pairs.withUnsafeBufferPointer { source in
            starts.withUnsafeMutableBufferPointer { s in
                for p in source { s[Int(p.key >> shift) + 1] += 1 }
                for b in 1...buckets { s[b] += s[b - 1] }
            }
        }
        var next = starts
        var sorted = pairs.withUnsafeBufferPointer { source in
            [Pair](unsafeUninitializedCapacity: n) { out, count in
                next.withUnsafeMutableBufferPointer { next in
                    for p in source {
                        let b = Int(p.key >> shift)
                        (out.baseAddress.unsafelyUnwrapped + next[b]).initialize(to: p)
                        next[b] += 1
                    }
                }
                count = n
            }
        }
        sorted.withUnsafeMutableBufferPointer { out in
            for b in 0..<buckets where starts[b + 1] - starts[b] > 1 {
                let range = starts[b]..<starts[b + 1]
                if range.count <= 16 {
                    // Insertion sort: the buckets of hashed keys hold a few pairs each.
                    for i in range.dropFirst() {
                        let p = out[i]
                        var j = i
                        while j > range.lowerBound && (out[j - 1].key, out[j - 1].code) > (p.key, p.code) {
                            out[j] = out[j - 1]
                            j -= 1
                        }
                        out[j] = p
                    }
                } else {
                    out[range].sort { ($0.key, $0.code) < ($1.key, $1.code) }
                }
            }
        }
        pairs = sorted
    }
}
