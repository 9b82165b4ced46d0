/// An open-addressing hash multimap from a key to register rows that stores only `UInt32` row ids.
///
/// Keys are never stored: callers compare a candidate row's key through the columns. The table size is not a
/// power of two (slots are chosen by a multiply-high reduction), so it can sit at a fixed load factor and stay
/// small: about 6.7 bytes per row at the default 0.6 load.
@usableFromInline
struct RowIndex: Sendable {
    @usableFromInline static let empty = UInt32.max
    @usableFromInline static let maximumLoad = 0.6

    @usableFromInline var slots: [UInt32]
    @usableFromInline var count: Int

    /// An empty stand-in used while an index is moved out of its register; never probed.
    @usableFromInline static let placeholder = RowIndex(slots: [], count: 0)

    @usableFromInline
    init(slots: [UInt32], count: Int) {
        self.slots = slots
        self.count = count
    }

    init(expectedCount: Int) {
        let capacity = max(16, Int((Double(expectedCount) / RowIndex.maximumLoad).rounded(.up)) + 1)
        slots = [UInt32](repeating: RowIndex.empty, count: capacity)
        count = 0
    }

    @inlinable @inline(__always)
    func home(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: hash.multipliedFullWidth(by: UInt64(slots.count)).high)
    }

    /// The first row under `hash` for which `matches` holds.
    @inlinable @inline(__always)
    func first(hash: UInt64, where matches: (UInt32) -> Bool) -> UInt32? {
        slots.withUnsafeBufferPointer { s in
            var i = home(hash)
            let n = s.count
            while true {
                let row = s[i]
                if row == RowIndex.empty { return nil }
                if matches(row) { return row }
                i += 1
                if i == n { i = 0 }
            }
        }
    }

    /// Calls `body` for every row under `hash` for which `matches` holds.
    @inlinable @inline(__always)
    func forEach(hash: UInt64, where matches: (UInt32) -> Bool, _ body: (UInt32) -> Void) {
        slots.withUnsafeBufferPointer { s in
            var i = home(hash)
            let n = s.count
            while true {
                let row = s[i]
                if row == RowIndex.empty { return }
                if matches(row) { body(row) }
                i += 1
                if i == n { i = 0 }
            }
        }
    }

    /// Inserts `row` under `hash`; `rehash` gives the hash of any stored row, for growth.
    @inlinable
    mutating func insert(_ row: UInt32, hash: UInt64, rehash: (UInt32) -> UInt64) {
        if Double(count + 1) > Double(slots.count) * RowIndex.maximumLoad {
            grow(rehash: rehash)
        }
        let h = home(hash)
        slots.withUnsafeMutableBufferPointer { s in
            var i = h
            while s[i] != RowIndex.empty {
                i += 1
                if i == s.count { i = 0 }
            }
            s[i] = row
        }
        count += 1
    }

    /// Removes `row`, stored under `hash`, by backward-shift deletion (no tombstones).
    @inlinable
    mutating func remove(_ row: UInt32, hash: UInt64, rehash: (UInt32) -> UInt64) {
        let h = home(hash)
        let n = slots.count
        let removed: Bool = slots.withUnsafeMutableBufferPointer { s in
            var i = h
            while s[i] != row {
                if s[i] == RowIndex.empty { return false }
                i += 1
                if i == n { i = 0 }
            }
            var j = i
            while true {
                j += 1
                if j == n { j = 0 }
                let r = s[j]
                if r == RowIndex.empty { break }
                let k = Int(truncatingIfNeeded: rehash(r).multipliedFullWidth(by: UInt64(n)).high)
                // Move r back into the hole at i unless its home lies cyclically in (i, j].
                let inRange = i <= j ? (k > i && k <= j) : (k > i || k <= j)
                if !inRange {
                    s[i] = r
                    i = j
                }
            }
            s[i] = RowIndex.empty
            return true
        }
        if removed { count -= 1 }
    }

    /// Grows until `rows` rows fit under the maximum load, so inserts up to then never rehash.
    mutating func reserve(_ rows: Int, rehash: (UInt32) -> UInt64) {
        while Double(rows) > Double(slots.count) * RowIndex.maximumLoad { grow(rehash: rehash) }
    }

    @usableFromInline
    mutating func grow(rehash: (UInt32) -> UInt64) {
        let old = slots
        slots = [UInt32](repeating: RowIndex.empty, count: old.count * 2)
        count = 0
        for row in old where row != RowIndex.empty {
            insert(row, hash: rehash(row), rehash: rehash)
        }
    }

    var memoryBytes: Int { slots.capacity * MemoryLayout<UInt32>.stride }
}
