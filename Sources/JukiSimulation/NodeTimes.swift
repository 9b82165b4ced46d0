/// The engine's index of when each node next has work: a binary min-heap of (time, node) with lazy deletion.
///
/// A window used to scan every node that might hold an event, twice (the earliest time, then the active set);
/// over a simulated year, with one event in most windows, those scans were a sixth of the run. Here a node's
/// entry is pushed whenever its earliest time changes, and an entry whose time is no longer the node's is
/// dropped when it reaches the top, so each window costs O(active · log n).
@usableFromInline
struct NodeTimes: Sendable {
    @usableFromInline
    struct Entry: Sendable {
        @usableFromInline var time: Int64
        @usableFromInline var node: Int32

        @inlinable
        init(time: Int64, node: Int32) {
            self.time = time
            self.node = node
        }

        @inlinable
        static func < (a: Entry, b: Entry) -> Bool { a.time < b.time || (a.time == b.time && a.node < b.node) }
    }

    @usableFromInline var heap: [Entry] = []

    @inlinable
    init(capacity: Int) { heap.reserveCapacity(capacity) }

    @inlinable
    var isEmpty: Bool { heap.isEmpty }

    /// The earliest entry, current or not.
    @inlinable
    var top: Entry? { heap.first }

    @inlinable
    mutating func push(_ time: Int64, _ node: Int) {
        heap.append(Entry(time: time, node: Int32(truncatingIfNeeded: node)))
        var i = heap.count - 1
        let moving = heap[i]
        while i > 0 {
            let parent = (i - 1) >> 1
            if !(moving < heap[parent]) { break }
            heap[i] = heap[parent]
            i = parent
        }
        heap[i] = moving
    }

    @inlinable
    mutating func popTop() {
        guard let last = heap.popLast(), !heap.isEmpty else { return }
        let n = heap.count
        var i = 0
        while true {
            let left = 2 * i + 1
            if left >= n { break }
            var child = left
            if left + 1 < n && heap[left + 1] < heap[left] { child = left + 1 }
            if !(heap[child] < last) { break }
            heap[i] = heap[child]
            i = child
        }
        heap[i] = last
    }
}
