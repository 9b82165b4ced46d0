/// Bit mixers shared by hashing, random streams and keyed permutations.
public enum Mixing {
    /// MurmurHash3's 64-bit finaliser: a strong, cheap avalanche of all 64 bits.
    @inlinable @inline(__always)
    public static func fmix64(_ value: UInt64) -> UInt64 {
        var k = value
        k ^= k >> 33
        k &*= 0xff51_afd7_ed55_8ccd
        k ^= k >> 33
        k &*= 0xc4ce_b9fe_1a85_ec53
        k ^= k >> 33
        return k
    }

    /// Combines two values into one well-mixed 64-bit value (order matters).
    @inlinable @inline(__always)
    public static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        fmix64(a &* 0x9E37_79B9_7F4A_7C15 ^ (b &+ 0x632B_E59B_D9B4_E019))
    }

    /// A number in [0, 1) from `value`'s hash: a fixed draw that uses no random stream.
    @inlinable @inline(__always)
    public static func unit(_ value: UInt64) -> Double { Double(fmix64(value) >> 11) * 0x1.0p-53 }
}
