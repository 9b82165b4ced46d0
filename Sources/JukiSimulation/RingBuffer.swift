/// A growable FIFO of values in one array: amortised O(1), no allocation once grown.
public struct RingBuffer<Element: Sendable>: Sendable {
    @usableFromInline var storage: ContiguousArray<Element?>
    @usableFromInline var head = 0
    @usableFromInline var _count = 0

    public init(capacity: Int = 16) {
        storage = ContiguousArray(repeating: nil, count: max(capacity, 1))
    }

    public var count: Int { _count }
    public var isEmpty: Bool { _count == 0 }

    @inlinable
    public mutating func append(_ element: Element) {
        if _count == storage.count { grow() }
        var i = head + _count
        if i >= storage.count { i -= storage.count }
        storage[i] = element
        _count += 1
    }

    @inlinable
    public mutating func popFirst() -> Element? {
        guard _count > 0 else { return nil }
        let e = storage[head]
        storage[head] = nil
        head += 1
        if head == storage.count { head = 0 }
        _count -= 1
        return e
    }

    /// The first element, if any.
    @inlinable
    public var first: Element? { _count > 0 ? storage[head] : nil }

    @usableFromInline
    mutating func grow() {
        var bigger = ContiguousArray<Element?>(repeating: nil, count: storage.count * 2)
        for k in 0..<_count {
            var i = head + k
            if i >= storage.count { i -= storage.count }
            bigger[k] = storage[i]
        }
        storage = bigger
        head = 0
    }
}
