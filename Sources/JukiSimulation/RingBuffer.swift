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

    /// The elements in order (a copy: for reports, not hot paths).
    public var elements: [Element] {
        (0..<_count).compactMap { k in
            var i = head + k
            if i >= storage.count { i -= storage.count }
            return storage[i]
        }
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

extension RingBuffer where Element: Equatable {
    /// Removes the first element equal to `element`, keeping the others' order; whether one was there. O(count):
    /// for the rare removal from the middle (a visitor leaving the queue).
    public mutating func remove(first element: Element) -> Bool {
        var found = -1
        for k in 0..<_count {
            var i = head + k
            if i >= storage.count { i -= storage.count }
            if storage[i] == element {
                found = k
                break
            }
        }
        guard found >= 0 else { return false }
        for k in found..<(_count - 1) {
            var i = head + k
            if i >= storage.count { i -= storage.count }
            var j = i + 1
            if j >= storage.count { j -= storage.count }
            storage[i] = storage[j]
        }
        var last = head + _count - 1
        if last >= storage.count { last -= storage.count }
        storage[last] = nil
        _count -= 1
        return true
    }
}
