import Dispatch

/// Runs independent work items on a fixed number of threads; results must not depend on the thread count.
public enum Parallel {
    /// Calls `body(item)` for every item in `0 ..< count`, on up to `jobs` threads. Items are handed out in
    /// interleaved order; `body` must write only to places owned by its item.
    public static func forEach(_ count: Int, jobs: Int, _ body: @Sendable (Int) -> Void) {
        let workers = max(1, min(jobs, count))
        if workers == 1 {
            for item in 0..<count { body(item) }
            return
        }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var item = worker
            while item < count {
                body(item)
                item += workers
            }
        }
    }
}

/// A mutable buffer that parallel workers may write at disjoint indexes.
///
/// `@unchecked Sendable` because the compiler cannot see that indexes are disjoint: callers guarantee it, and
/// the owner keeps the storage alive until every worker has finished.
public struct SharedBuffer<Element>: @unchecked Sendable {
    public let base: UnsafeMutablePointer<Element>
    public let count: Int

    @inlinable
    public init(_ buffer: UnsafeMutableBufferPointer<Element>) {
        // An empty buffer may have a nil base address; point it at a dangling but never-dereferenced address.
        // (`bitPattern:` is nil only for 0, which an alignment never is; the allocation is a fallback never taken.)
        base =
            buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment)
            ?? UnsafeMutablePointer<Element>.allocate(capacity: 1)
        count = buffer.count
    }

    @inlinable
    public subscript(i: Int) -> Element {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}
