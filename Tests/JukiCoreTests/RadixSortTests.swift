import JukiCore
import Testing

/// The radix sort the report's duplicate checks use: the same order as a comparison sort, on any values.
@Suite("Radix sort")
struct RadixSortTests {
    @Test("sorts like sort(), with duplicates, small and full-width values", arguments: [0, 1, 2, 1_000, 70_000])
    func agreesWithSort(count: Int) {
        var random = RandomStream(seed: UInt64(count) + 1)
        var values = (0..<count).map { i -> UInt64 in
            switch i % 4 {
            case 0: random.next() % 1_000
            case 1: random.next() % 100_000_000_000
            case 2: random.next()
            default: 42
            }
        }
        let expected = values.sorted()
        RadixSort.sort(&values)
        #expect(values == expected)
    }
}
