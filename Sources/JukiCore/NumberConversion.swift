/// J-LIS's secret one-way conversion from a resident code to a number candidate (個人番号とすべき番号), simulated.
///
/// In reality J-LIS derives the candidate with an undisclosed conversion. We use a keyed permutation of the
/// 10^11 body space: the input is the resident code's body plus `generation × 10^10` (a re-issued number after a
/// leak is generation 1, 2, …), so candidates are unique nationwide by construction and not derivable without
/// the key.
public struct NumberConversion: Sendable, Hashable {
    @usableFromInline let permutation: KeyedPermutation

    /// The highest generation (re-issue count) the conversion supports.
    public static let maximumGeneration = 9

    /// A conversion keyed by `key` (derive it from the scenario seed).
    public init(key: UInt64) {
        permutation = KeyedPermutation(domainSize: IndividualNumber.bodySpace, key: key ^ 0x4A4C_4953_4E55_4D42)
    }

    /// The number candidate for `code`; `generation` > 0 for a re-issued number.
    @inlinable
    public func candidate(for code: ResidentCode, generation: Int = 0) -> IndividualNumber {
        let g = UInt64(min(max(generation, 0), NumberConversion.maximumGeneration))
        return IndividualNumber(body: permutation.apply(code.body &+ g &* ResidentCode.bodySpace))
    }
}

/// Hands out resident codes nationwide: a keyed permutation of a global sequence, so codes never repeat.
///
/// J-LIS gives each municipality blocks of unused resident codes; here a municipality is given a range of
/// sequence numbers and maps each through the permutation.
public struct ResidentCodeAllocator: Sendable, Hashable {
    @usableFromInline let permutation: KeyedPermutation

    /// An allocator keyed by `key` (derive it from the scenario seed).
    public init(key: UInt64) {
        permutation = KeyedPermutation(domainSize: ResidentCode.bodySpace, key: key ^ 0x5245_5349_4445_4E54)
    }

    /// The resident code for global sequence number `sequence` (0 ..< 10^10).
    @inlinable
    public func code(forSequence sequence: UInt64) -> ResidentCode {
        ResidentCode(body: permutation.apply(sequence % ResidentCode.bodySpace))
    }

    /// The sequence number a code was allocated from.
    @inlinable
    public func sequence(of code: ResidentCode) -> UInt64 { permutation.inverse(code.body) }
}
