public import JukiCore
public import JukiRegister

/// The inputs of the register benchmarks and of `jukisim bench register`: resident codes, basic-facts queries
/// and relocations over a generated register, in random orders drawn from our own streams, so every machine and
/// toolchain measures the same work.
public struct RegisterWorkload: Sendable {
    public var codes: [ResidentCode]
    public var numbers: [IndividualNumber]
    public var queries: [ResolvedQuery]
    public var moves: [Move]
    /// A relocation of row 0 done before measuring relocations, so copy-on-write of the columns, the index and
    /// the change log happens outside the measured region.
    public var warmUp: Move

    /// One relocation (転居): a row and an address in its own town.
    public struct Move: Sendable {
        public var row: RowID
        public var address: RegisterAddress
    }

    /// `total` items of `items`, as successive random permutations (Fisher–Yates over a `RandomStream`).
    public static func visitingOrder<T>(_ items: [T], total: Int, seed: UInt64, stream: UInt64) -> [T] {
        var random = RandomStream(seed: seed, stream: stream)
        var out: [T] = []
        out.reserveCapacity(total)
        while out.count < total, !items.isEmpty {
            var pass = items
            for i in stride(from: pass.count - 1, to: 0, by: -1) {
                pass.swapAt(i, Int(random.next(below: UInt64(i + 1))))
            }
            out.append(contentsOf: pass.prefix(total - out.count))
        }
        return out
    }

    /// Builds `lookups` codes and numbers, `searches` name + birth date queries and `relocations` moves over
    /// `register`. Each resident alternates between two addresses in its own town (番地 9001 and 9002, which
    /// the generator never uses), so no move is a no-change error.
    public init(
        register: ResidentRegister, lookups: Int, searches: Int, relocations: Int, seed: UInt64
    ) throws(RegisterError) {
        let rows = Array(0..<register.count)
        let c = register.columns
        codes = Self.visitingOrder(rows, total: lookups, seed: seed, stream: 1).map {
            ResidentCode(uncheckedRawValue: c.residentCode[$0])
        }
        numbers = Self.visitingOrder(rows.filter { c.individualNumber[$0] != 0 }, total: lookups, seed: seed, stream: 2)
            .map { IndividualNumber(uncheckedRawValue: c.individualNumber[$0]) }
        queries = Self.visitingOrder(rows, total: searches, seed: seed, stream: 3).map {
            register.nameAndBirthDateQuery(of: RowID(UInt32($0)))
        }
        warmUp = Move(
            row: RowID(0), address: RegisterAddress(town: c.town[0], chome: c.chome[0], banchi: 9003, go: 1))
        var pair: [(RegisterAddress, RegisterAddress)] = []
        pair.reserveCapacity(register.count)
        for r in rows {
            let town = c.town[r]
            let chomeCount = register.towns[Int(town)].chomeCount
            let chome = chomeCount == 0 ? 0 : 1 + r % chomeCount
            let go = 1 + r % 99
            pair.append(
                (
                    try register.address(townID: town, chome: chome, banchi: 9001, go: go),
                    try register.address(townID: town, chome: chome, banchi: 9002, go: go)
                ))
        }
        var current = rows.map {
            RegisterAddress(town: c.town[$0], chome: c.chome[$0], banchi: c.banchi[$0], go: c.go[$0])
        }
        if !current.isEmpty { current[0] = warmUp.address }
        moves = Self.visitingOrder(rows, total: relocations, seed: seed, stream: 4).map { r in
            let (a, b) = pair[r]
            let target = current[r] == a ? b : a
            current[r] = target
            return Move(row: RowID(UInt32(r)), address: target)
        }
    }
}
