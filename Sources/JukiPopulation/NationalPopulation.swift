import Foundation
import JukiCore
import Synchronization

/// Every municipality of the nation (or of some prefectures) generated at once, each at its 2026-01-01 size
/// (``MunicipalityEntry/population``, optionally scaled), with codes and numbers unique across the nation.
///
/// Each municipality's register is generated on its own (its seed mixed from the nation's seed and its code), with the
/// nation's keys (``PopulationOptions/keySeed``) and its own block of the resident-code sequence, which J-LIS hands
/// out: so the result is the same on any number of threads, and no two residents share a code or a number.
public struct NationalPopulation: Sendable {
    /// One municipality's place in the nation: its size and its block of the resident-code sequence.
    public struct Member: Sendable, Hashable {
        public var municipality: MunicipalityEntry
        public var residents: Int
        /// The first sequence number of its block; the block holds ``blockSize`` numbers.
        public var codeSequenceBase: UInt64
        public var blockSize: UInt64

        public init(municipality: MunicipalityEntry, residents: Int, codeSequenceBase: UInt64, blockSize: UInt64) {
            self.municipality = municipality
            self.residents = residents
            self.codeSequenceBase = codeSequenceBase
            self.blockSize = blockSize
        }
    }

    /// The municipalities, in code order.
    public var members: [Member]
    /// Their populations, in the same order.
    public var populations: [Population]
    /// Wall seconds the generation took.
    public var seconds: Double

    /// Residents of every member together.
    public var residents: Int { members.reduce(0) { $0 + $1.residents } }

    /// The block a municipality of `residents` gets: room for a quarter more residents (births, move-ins) and
    /// 10,000 more, so that a simulated year does not run out of codes [E: a municipality's yearly births and
    /// move-ins are below 10 % of its population].
    public static func blockSize(residents: Int) -> UInt64 { UInt64(residents) + UInt64(residents) / 4 + 10_000 }

    /// The members: the municipalities of `prefectures` (every prefecture if nil), each at its population times
    /// `scale` (at least one resident), with consecutive code blocks in code order.
    public static func plan(prefectures: Set<Int>? = nil, scale: Double = 1) throws(PopulationError) -> [Member] {
        guard scale > 0 && scale <= 1 else {
            throw PopulationError(field: "scale", "must be above 0 and at most 1 (100 %), got \(scale)")
        }
        if let prefectures, let bad = prefectures.sorted().first(where: { !(1...47).contains($0) }) {
            throw PopulationError(field: "prefectures", "prefecture codes are 1 to 47, got \(bad)")
        }
        var members: [Member] = []
        var base: UInt64 = 0
        for entry in MunicipalityDirectory.all where prefectures?.contains(entry.prefectureCode) ?? true {
            let residents = max(1, Int((Double(entry.population) * scale).rounded()))
            let size = blockSize(residents: residents)
            members.append(Member(municipality: entry, residents: residents, codeSequenceBase: base, blockSize: size))
            base += size
        }
        // The whole nation's blocks take about 1.6 × 10^8 of the 10^10 codes.
        guard base <= ResidentCode.bodySpace else {
            throw PopulationError(field: "scale", "the code blocks need \(base) codes, more than the 10^10 there are")
        }
        return members
    }

    /// Generates every member's population on up to `jobs` threads, the largest first so the threads finish
    /// together. `progress` gets the share of residents done.
    public static func generate(
        _ members: [Member], seed: UInt64, jobs: Int, progress: (@Sendable (Double) -> Void)? = nil
    ) throws(PopulationError) -> NationalPopulation {
        guard (1...256).contains(jobs) else { throw PopulationError(field: "jobs", "must be 1 to 256, got \(jobs)") }
        let start = DispatchTime.now().uptimeNanoseconds
        let order = members.indices.sorted { (members[$0].residents, $1) > (members[$1].residents, $0) }
        let total = Double(max(members.reduce(0) { $0 + $1.residents }, 1))
        let state = Mutex<(results: [Population?], failure: PopulationError?, done: Int)>(
            (Array(repeating: nil, count: members.count), nil, 0))
        Parallel.forEach(order.count, jobs: jobs) { k in
            let i = order[k]
            let member = members[i]
            var options = PopulationOptions(
                municipality: member.municipality.code, residents: member.residents,
                seed: Mixing.combine(seed, UInt64(member.municipality.code.rawValue)), jobs: 1,
                codeSequenceBase: member.codeSequenceBase)
            options.keySeed = seed
            do throws(PopulationError) {
                let population = try PopulationGenerator.generate(options)
                let done = state.withLock { s in
                    s.results[i] = population
                    s.done += member.residents
                    return s.done
                }
                progress?(Double(done) / total)
            } catch {
                state.withLock { s in if s.failure == nil { s.failure = error } }
            }
        }
        let (results, failure) = state.withLock { ($0.results, $0.failure) }
        if let failure { throw failure }
        return NationalPopulation(
            members: members, populations: results.compactMap { $0 },
            seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}
