import JukiCore
import JukiNetwork
import JukiNetworkTesting
import JukiPopulation
import JukiRegister
import JukiSimulation

/// The register system alone through the harness: 300 generated residents (seed 5), with `removed` rows removed
/// (by `reason`) before it starts, on 2026-03-03.
func registerHarness(
    layout: NetworkLayout, removed: [RowID] = [], reason: ChangeReason = .death
) throws -> NodeHarness<RegisterSystem> {
    var register = try PopulationGenerator.generate(PopulationOptions(residents: 300, seed: 5)).register
    let context = ChangeContext(time: SimulatedTime(microseconds: 1_000), operatorID: .batch, terminalID: .server)
    for row in removed { try register.remove(row, reason: reason, context: context) }
    return NodeHarness(
        RegisterSystem(
            register: register, layout: layout, links: .standard, service: .standard,
            date: CivilDate(year: 2026, month: 3, day: 3), allocator: ResidentCodeAllocator(key: 1),
            nextCodeSequence: UInt64(register.count), bulkAt: nil, bulkBatchSize: 100),
        id: layout.registerSystem)
}
