#if Jemalloc
    import CJemalloc
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// The process's allocator and its own figures, for reports: jemalloc's statistics (through `mallctl`) when the
/// package is built with the `Jemalloc` trait, the process's resident set otherwise.
public struct AllocatorStatistics: Sendable, Hashable {
    /// `jemalloc 5.3.0-…` or `glibc malloc`.
    public var allocator: String
    /// Bytes the program holds, and bytes the allocator has in resident memory (nil where unknown).
    public var allocatedBytes: Int?
    public var residentBytes: Int?

    /// The process's resident set size, from /proc (Linux), in bytes.
    public static func residentSetBytes() -> Int? {
        #if canImport(Glibc)
            let fd = open("/proc/self/statm", O_RDONLY)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            var buffer = [UInt8](repeating: 0, count: 128)
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 127) }
            guard n > 0 else { return nil }
            // "size resident shared …" in pages: the second field.
            let fields = buffer[0..<n].split(separator: UInt8(ascii: " "))
            guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return nil }
            return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        #else
            return nil
        #endif
    }

    /// The figures now.
    public static func current() -> AllocatorStatistics {
        #if Jemalloc
            // The statistics are a snapshot refreshed by writing the epoch.
            var epoch: UInt64 = 1
            var previous: UInt64 = 0
            var size = MemoryLayout<UInt64>.size
            _ = mallctl("epoch", &previous, &size, &epoch, MemoryLayout<UInt64>.size)
            func read(_ name: String) -> Int? {
                var value = 0
                var length = MemoryLayout<Int>.size
                return mallctl(name, &value, &length, nil, 0) == 0 ? value : nil
            }
            var version: UnsafePointer<CChar>?
            var length = MemoryLayout<UnsafePointer<CChar>?>.size
            let name =
                mallctl("version", &version, &length, nil, 0) == 0
                ? "jemalloc " + (version.map { String(cString: $0) } ?? "?") : "jemalloc"
            return AllocatorStatistics(
                allocator: name, allocatedBytes: read("stats.allocated"), residentBytes: read("stats.resident"))
        #elseif canImport(Glibc)
            // glibc's own counters (mallinfo2) are not in Swift's Glibc module: the process's resident set
            // stands in for what the allocator holds.
            return AllocatorStatistics(
                allocator: "glibc malloc", allocatedBytes: nil, residentBytes: residentSetBytes())
        #else
            return AllocatorStatistics(allocator: "system malloc", allocatedBytes: nil, residentBytes: nil)
        #endif
    }
}
