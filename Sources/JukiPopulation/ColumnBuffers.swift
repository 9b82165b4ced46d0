import JukiCore
import JukiRegister

/// Raw column storage that parallel workers fill at disjoint rows, then moved into ``ResidentColumns``.
struct ColumnBuffers: Sendable {
    let count: Int
    let residentCode: SharedBuffer<UInt64>
    let individualNumber: SharedBuffer<UInt64>
    let household: SharedBuffer<UInt32>
    let nextInHousehold: SharedBuffer<UInt32>
    let surname: SharedBuffer<UInt32>
    let givenName: SharedBuffer<UInt32>
    let birthDate: SharedBuffer<Int32>
    let sex: SharedBuffer<UInt8>
    let relationship: SharedBuffer<UInt8>
    let cardStatus: SharedBuffer<UInt8>
    let cardExpiryYear: SharedBuffer<UInt8>
    let flags: SharedBuffer<UInt8>
    let town: SharedBuffer<UInt16>
    let chome: SharedBuffer<UInt8>
    let banchi: SharedBuffer<UInt16>
    let go: SharedBuffer<UInt16>
    let residentSince: SharedBuffer<Int32>

    init(count: Int) {
        self.count = count
        func make<T>(_ value: T) -> SharedBuffer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: max(count, 1))
            b.initialize(repeating: value)
            return SharedBuffer(b)
        }
        residentCode = make(0)
        individualNumber = make(0)
        household = make(0)
        nextInHousehold = make(UInt32.max)
        surname = make(0)
        givenName = make(0)
        birthDate = make(0)
        sex = make(1)
        relationship = make(0)
        cardStatus = make(0)
        cardExpiryYear = make(0)
        flags = make(0)
        town = make(0)
        chome = make(0)
        banchi = make(0)
        go = make(0)
        residentSince = make(0)
    }

    /// Copies the buffers into arrays (one memcpy per column).
    func makeColumns() -> ResidentColumns {
        func array<T>(_ b: SharedBuffer<T>) -> [T] {
            Array(UnsafeBufferPointer(start: b.base, count: count))
        }
        var c = ResidentColumns()
        c.residentCode = array(residentCode)
        c.individualNumber = array(individualNumber)
        c.household = array(household)
        c.nextInHousehold = array(nextInHousehold)
        c.surname = array(surname)
        c.givenName = array(givenName)
        c.birthDate = array(birthDate)
        c.sex = array(sex)
        c.relationship = array(relationship)
        c.status = [UInt8](repeating: RecordStatus.active.rawValue, count: count)
        c.cardStatus = array(cardStatus)
        c.cardExpiryYear = array(cardExpiryYear)
        c.flags = array(flags)
        // Set by the sequential pass that writes variant surnames (``HouseholdFill/finishVariantNames(_:)``).
        c.variantCount = [UInt8](repeating: 0, count: count)
        c.town = array(town)
        c.chome = array(chome)
        c.banchi = array(banchi)
        c.go = array(go)
        c.residentSince = array(residentSince)
        c.lastChange = [UInt32](repeating: 0, count: count)
        return c
    }

    mutating func deallocate() {
        func free<T>(_ b: SharedBuffer<T>) { b.base.deallocate() }
        free(residentCode)
        free(individualNumber)
        free(household)
        free(nextInHousehold)
        free(surname)
        free(givenName)
        free(birthDate)
        free(sex)
        free(relationship)
        free(cardStatus)
        free(cardExpiryYear)
        free(flags)
        free(town)
        free(chome)
        free(banchi)
        free(go)
        free(residentSince)
    }
}
