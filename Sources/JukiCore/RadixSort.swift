/// Least-significant-digit radix sort of unsigned integers: 16 bits a pass, as many passes as the largest value needs
/// (identifiers of 11–12 decimal digits take three), linear where a comparison sort is n log n.
public enum RadixSort {
    /// Sorts `values` ascending.
    public static func sort(_ values: inout [UInt64]) {
        guard values.count > 1, let largest = values.max() else { return }
        var buffer = [UInt64](repeating: 0, count: values.count)
        var counts = [Int](repeating: 0, count: 65_537)
        var shift: UInt64 = 0
        while shift < 64 && (shift == 0 || largest >> shift != 0) {
            for i in counts.indices { counts[i] = 0 }
            for v in values { counts[Int((v >> shift) & 0xFFFF) + 1] += 1 }
            for i in 1..<counts.count { counts[i] += counts[i - 1] }
            for v in values {
                let digit = Int((v >> shift) & 0xFFFF)
                buffer[counts[digit]] = v
                counts[digit] += 1
            }
            swap(&values, &buffer)
            shift += 16
        }
    }
}
