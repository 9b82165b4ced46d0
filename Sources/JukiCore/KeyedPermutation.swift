/// A keyed bijection of `0 ..< domainSize`: an unbalanced Feistel network on the smallest binary domain
/// covering it, with cycle-walking so every output stays in range.
///
/// Outputs are unique by construction (it is a permutation) and cannot be derived without the key.
public struct KeyedPermutation: Sendable, Hashable {
    /// The size of the domain; inputs and outputs are in `0 ..< domainSize`.
    public let domainSize: UInt64
    @usableFromInline let highBits: UInt64
    @usableFromInline let lowBits: UInt64
    @usableFromInline let roundKeys: [UInt64]

    /// A permutation of `0 ..< domainSize` (≥ 2) keyed by `key`, with `rounds` Feistel rounds.
    public init(domainSize: UInt64, key: UInt64, rounds: Int = 8) {
        precondition(domainSize >= 2 && rounds >= 2, "KeyedPermutation needs a domain ≥ 2 and ≥ 2 rounds")
        self.domainSize = domainSize
        var bits: UInt64 = 1
        while (UInt64(1) << bits) < domainSize { bits += 1 }
        lowBits = bits / 2
        highBits = bits - bits / 2
        var keys: [UInt64] = []
        var state = key
        for _ in 0..<rounds {
            state = Mixing.fmix64(state &+ 0x9E37_79B9_7F4A_7C15)
            keys.append(state)
        }
        roundKeys = keys
    }

    /// The image of `value` (which must be below ``domainSize``).
    @inlinable
    public func apply(_ value: UInt64) -> UInt64 {
        var x = value
        repeat { x = encryptOnce(x) } while x >= domainSize
        return x
    }

    /// The preimage of `value`: `inverse(apply(x)) == x`.
    @inlinable
    public func inverse(_ value: UInt64) -> UInt64 {
        var x = value
        repeat { x = decryptOnce(x) } while x >= domainSize
        return x
    }

    @inlinable @inline(__always)
    func encryptOnce(_ x: UInt64) -> UInt64 {
        let lowMask = (UInt64(1) << lowBits) &- 1
        let highMask = (UInt64(1) << highBits) &- 1
        var high = x >> lowBits
        var low = x & lowMask
        for (i, k) in roundKeys.enumerated() {
            if i & 1 == 0 {
                high = (high ^ Mixing.fmix64(low ^ k)) & highMask
            } else {
                low = (low ^ Mixing.fmix64(high ^ k)) & lowMask
            }
        }
        return high << lowBits | low
    }

    @inlinable @inline(__always)
    func decryptOnce(_ x: UInt64) -> UInt64 {
        let lowMask = (UInt64(1) << lowBits) &- 1
        let highMask = (UInt64(1) << highBits) &- 1
        var high = x >> lowBits
        var low = x & lowMask
        var i = roundKeys.count - 1
        while i >= 0 {
            let k = roundKeys[i]
            if i & 1 == 0 {
                high = (high ^ Mixing.fmix64(low ^ k)) & highMask
            } else {
                low = (low ^ Mixing.fmix64(high ^ k)) & lowMask
            }
            i -= 1
        }
        return high << lowBits | low
    }
}
