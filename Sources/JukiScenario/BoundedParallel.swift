/// Runs `work` for every index below `count`, at most `jobs` at a time, and returns the results in index order:
/// each piece of work is deterministic, so the result does not depend on `jobs` or on which finishes first.
/// `finished` hears each completion, on the calling task.
func boundedParallel<Result: Sendable>(
    count: Int, jobs: Int, finished: () -> Void, _ work: @escaping @Sendable (Int) async -> Result
) async -> [Result] {
    let done = await withTaskGroup(of: (Int, Result).self) { group in
        var results: [(Int, Result)] = []
        var next = 0
        while next < min(max(jobs, 1), count) {
            let index = next
            group.addTask { (index, await work(index)) }
            next += 1
        }
        for await r in group {
            results.append(r)
            finished()
            if next < count {
                let index = next
                group.addTask { (index, await work(index)) }
                next += 1
            }
        }
        return results
    }
    return done.sorted { $0.0 < $1.0 }.map(\.1)
}
