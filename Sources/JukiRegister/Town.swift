public import JukiCore

/// A town (町域) of the municipality, with its reading, postal code, district (地区) and number of 丁目.
public struct Town: Sendable, Hashable {
    public var name: String
    public var kana: String
    public var postalCode: String
    public var district: String
    /// The number of 丁目 (0 when addresses have none).
    public var chomeCount: Int

    public init(name: String, kana: String, postalCode: String, district: String, chomeCount: Int) {
        self.name = name
        self.kana = kana
        self.postalCode = postalCode
        self.district = district
        self.chomeCount = chomeCount
    }
}

/// The municipality a register belongs to.
public struct MunicipalityInfo: Sendable, Hashable {
    public var code: MunicipalityCode
    public var name: String
    public var prefecture: String

    public init(code: MunicipalityCode, name: String, prefecture: String) {
        self.code = code
        self.name = name
        self.prefecture = prefecture
    }
}

/// A resolved address inside the register: town id, 丁目, 番地, 号.
public struct RegisterAddress: Sendable, Hashable {
    public var town: UInt16
    public var chome: UInt8
    public var banchi: UInt16
    public var go: UInt16

    @inlinable
    public init(town: UInt16, chome: UInt8, banchi: UInt16, go: UInt16) {
        self.town = town
        self.chome = chome
        self.banchi = banchi
        self.go = go
    }

    /// All four parts in one integer, for hashing and the change log.
    @inlinable
    public var packed: UInt64 {
        UInt64(town) << 40 | UInt64(chome) << 32 | UInt64(banchi) << 16 | UInt64(go)
    }

    @inlinable
    public init(packed: UInt64) {
        town = UInt16(truncatingIfNeeded: packed >> 40)
        chome = UInt8(truncatingIfNeeded: packed >> 32)
        banchi = UInt16(truncatingIfNeeded: packed >> 16)
        go = UInt16(truncatingIfNeeded: packed)
    }
}
