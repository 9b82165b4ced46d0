import JukiCore
import JukiRegister

/// A random dwelling in a municipality, for newcomers and relocations: a town, a 丁目 within its range, 番地 1–40,
/// 号 1–30. One place, so every node draws addresses the same way (and in the same random order).
enum RandomAddress {
    static func draw(townCount: Int, chomeCount: (Int) -> Int, _ random: inout RandomStream) -> RegisterAddress {
        let town = UInt16(random.next(below: UInt64(max(townCount, 1))))
        let chomes = townCount == 0 ? 0 : chomeCount(Int(town))
        return RegisterAddress(
            town: town, chome: chomes > 0 ? UInt8(1 + random.next(below: UInt64(chomes))) : 0,
            banchi: UInt16(1 + random.next(below: 40)), go: UInt16(1 + random.next(below: 30)))
    }

    /// A random address among `register`'s towns.
    static func draw(in register: ResidentRegister, _ random: inout RandomStream) -> RegisterAddress {
        draw(townCount: register.towns.count, chomeCount: { register.towns[$0].chomeCount }, &random)
    }
}
