import JukiCore
import JukiNetwork
import JukiSimulation
import Testing

@Suite("The wall-clock load mode")
struct LoadModeTests {
    /// A small town in the load mode, with the register system slowed every `slowEvery`-th request.
    static func simulation(slowEvery: Int = 0, slowFor: Int64 = 0) async throws -> NetworkSimulation {
        var c = NetworkConfiguration()
        c.municipality.residents = 4_000
        c.otherResidents = 200
        c.service.slowEvery = slowEvery
        c.service.slowFor = slowFor
        c.applyLoadMode(delayScale: 0)
        return try await NetworkSimulation(c)
    }

    static func run(_ simulation: NetworkSimulation, rate: Double, seconds: Double) async -> LoadResult {
        // Nothing is dropped however busy the machine is (tests share it): the counts are then exact.
        var profile = LoadProfile.constant(rate: rate, seconds: seconds)
        profile.maxLateness = 600_000_000
        let driver = LoadDriver(simulation: simulation, profile: profile, seed: 5)
        return await driver.run(base: simulation.dayStart.microseconds + BusinessCalendar.standard.opening)
    }

    @Test("issues every intended arrival, finishes the journeys, and keeps the invariants")
    func issues() async throws {
        let simulation = try await Self.simulation()
        let result = await Self.run(simulation, rate: 2_000, seconds: 0.5)
        #expect(result.intended == 1_000)
        #expect(result.issued == result.intended && result.dropped == 0)
        #expect(result.inProgress == 0)
        #expect(result.finished == result.issued)
        #expect(result.corrected.count > 0 && result.corrected.count == result.uncorrected.count)
        let report = await simulation.report()
        #expect(report.invariants.duplicateResidentCodes == 0 && report.invariants.lostUpdates == 0)
    }

    @Test("a rate that does not divide a second is offered exactly (gaps are not rounded to whole µs)")
    func fractionalRate() async throws {
        // 3,000/s is a gap of 333.3 µs: rounding each gap to 333 µs offered 1,502 arrivals in half a second.
        let result = await Self.run(try await Self.simulation(), rate: 3_000, seconds: 0.5)
        #expect(result.intended == 1_500)
        #expect(result.issued == result.intended)
    }

    @Test("a stalled handler delays what follows: corrected latency counts from the intended start")
    func stall() async throws {
        // One 30 ms stall early in the run: the arrivals due during it wait, and their corrected latency says so.
        let result = await Self.run(
            try await Self.simulation(slowEvery: 50, slowFor: 30_000), rate: 1_000, seconds: 0.5)
        #expect(result.corrected.maximum >= 20_000, "corrected max \(result.corrected.maximum) µs")
        #expect(result.corrected.maximum >= result.uncorrected.maximum)
        #expect(result.corrected.mean >= result.uncorrected.mean)
    }

    @Test("a ramp's rate and intended journeys follow its stages")
    func ramp() {
        let p = LoadProfile(
            startRate: 100, stages: [.init(seconds: 10, target: 1_100), .init(seconds: 5, target: 1_100)])
        #expect(p.seconds == 15)
        #expect(p.rate(at: 0) == 100 && p.rate(at: 5) == 600 && p.rate(at: 12) == 1_100 && p.rate(at: 99) == 1_100)
        #expect(p.intendedJourneys == 6_000 + 5_500)
    }
}
