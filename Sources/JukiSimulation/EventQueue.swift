/// A node's future events: a binary min-heap ordered by (time, source, sequence).
///
/// Hand-written rather than swift-collections' `Heap` (measured ~20 % faster here) and stored in one
/// contiguous array, so pushes and pops allocate nothing once capacity is reached.
public struct EventQueue<Message: Sendable>: Sendable {
    @usableFromInline var heap: ContiguousArray<Event<Message>> = []

    public init() {}

    public var count: Int { heap.count }
    public var isEmpty: Bool { heap.isEmpty }

    /// The time of the earliest event, or `Int64.max` when empty.
    @inlinable
    public var nextTime: Int64 { heap.first?.time ?? Int64.max }

    @inlinable
    public mutating func push(_ event: Event<Message>) {
        heap.append(event)
        heap.withUnsafeMutableBufferPointer { h in
            var i = h.count - 1
            let moving = h[i]
            while i > 0 {
                let parent = (i - 1) >> 1
                if !moving.precedes(h[parent]) { break }
                h[i] = h[parent]
                i = parent
            }
            h[i] = moving
        }
    }

    /// Removes and returns the earliest event.
    @inlinable
    public mutating func pop() -> Event<Message>? {
        guard let last = heap.popLast() else { return nil }
        guard !heap.isEmpty else { return last }
        return heap.withUnsafeMutableBufferPointer { h in
            let top = h[0]
            let n = h.count
            var i = 0
            while true {
                let left = 2 * i + 1
                if left >= n { break }
                var child = left
                let right = left + 1
                if right < n && h[right].precedes(h[left]) { child = right }
                if !h[child].precedes(last) { break }
                h[i] = h[child]
                i = child
            }
            h[i] = last
            return top
        }
    }

    public mutating func reserveCapacity(_ n: Int) { heap.reserveCapacity(n) }
}
