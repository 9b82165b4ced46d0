/// The engine's index of when each node next has work: an indexed binary min-heap with one entry per node.
///
/// A window used to scan every node that might hold an event, twice (the earliest time, then the active set);
/// over a simulated year, with one event in most windows, those scans were a sixth of the run. A heap with lazy
/// deletion came next, but a node whose next event lay hours ahead gained a stale copy of it each time a message
/// reached it, and popping those cost as much again. Here each node has at most one entry, moved in place when its
/// time changes, so a window costs O(active · log nodes).
@usableFromInline
struct NodeTimes: Sendable {
    /// The nodes in the heap, earliest first at index 0.
    @usableFromInline var heap: [Int32] = []
    /// Each node's time in the heap (`Int64.max` when it has none).
    @usableFromInline var times: [Int64]
    /// Each node's index in `heap`, or -1.
    @usableFromInline var position: [Int32]

    @inlinable
    init(nodes: Int) {
        times = [Int64](repeating: Int64.max, count: nodes)
        position = [Int32](repeating: -1, count: nodes)
        heap.reserveCapacity(nodes)
    }

    /// The earliest time any node has work, or `Int64.max`.
    @inlinable
    var earliest: Int64 { heap.isEmpty ? Int64.max : times[Int(heap[0])] }

    /// Node `i`'s next time is now `time` (`Int64.max`: none).
    @inlinable
    mutating func set(_ i: Int, _ time: Int64) {
        let p = Int(position[i])
        if p < 0 {
            guard time != Int64.max else { return }
            times[i] = time
            heap.append(Int32(truncatingIfNeeded: i))
            position[i] = Int32(truncatingIfNeeded: heap.count - 1)
            siftUp(heap.count - 1)
        } else if time == Int64.max {
            remove(at: p)
        } else {
            let old = times[i]
            times[i] = time
            if time < old { siftUp(p) } else if time > old { siftDown(p) }
        }
    }

    /// Removes and returns the earliest node.
    @inlinable
    mutating func popEarliest() -> Int {
        let i = Int(heap[0])
        remove(at: 0)
        return i
    }

    @inlinable
    mutating func remove(at p: Int) {
        let i = Int(heap[p])
        times[i] = Int64.max
        position[i] = -1
        let last = heap.removeLast()
        guard p < heap.count else { return }
        heap[p] = last
        position[Int(last)] = Int32(truncatingIfNeeded: p)
        siftDown(p)
        siftUp(p)
    }

    @inlinable
    func before(_ a: Int32, _ b: Int32) -> Bool {
        let ta = times[Int(a)]
        let tb = times[Int(b)]
        return ta < tb || (ta == tb && a < b)
    }

    @inlinable
    mutating func siftUp(_ start: Int) {
        var p = start
        let moving = heap[p]
        while p > 0 {
            let parent = (p - 1) >> 1
            guard before(moving, heap[parent]) else { break }
            heap[p] = heap[parent]
            position[Int(heap[p])] = Int32(truncatingIfNeeded: p)
            p = parent
        }
        heap[p] = moving
        position[Int(moving)] = Int32(truncatingIfNeeded: p)
    }

    @inlinable
    mutating func siftDown(_ start: Int) {
        var p = start
        let moving = heap[p]
        let n = heap.count
        while true {
            let left = 2 * p + 1
            guard left < n else { break }
            var child = left
            if left + 1 < n && before(heap[left + 1], heap[left]) { child = left + 1 }
            guard before(heap[child], moving) else { break }
            heap[p] = heap[child]
            position[Int(heap[p])] = Int32(truncatingIfNeeded: p)
            p = child
        }
        heap[p] = moving
        position[Int(moving)] = Int32(truncatingIfNeeded: p)
    }
}
