import JukiNetwork
import Testing

@Suite("Estimated inputs")
struct EstimatedInputTests {
    /// The parts of a configuration an estimated input may change, compared as one value.
    static func model(_ c: NetworkConfiguration) -> [AnyHashable] {
        [AnyHashable(c.workload), AnyHashable(c.service), AnyHashable(c.links), AnyHashable(c.counters)]
    }

    @Test("names are unique, dotted and explained")
    func names() {
        let names = EstimatedInput.all.map(\.name)
        #expect(Set(names).count == names.count)
        for input in EstimatedInput.all {
            #expect(input.name.split(separator: ".").count >= 2, "\(input.name)")
            #expect(!input.reason.isEmpty, "\(input.name)")
        }
        #expect(EstimatedInput.named("counters.desk.certificate") != nil)
        #expect(EstimatedInput.named("workload.perDay.certificate") != nil)
        #expect(EstimatedInput.named("counters.clerks") != nil)
    }

    @Test("every input changes the configuration it scales, up and down")
    func everyInputChangesTheConfiguration() {
        let base = NetworkConfiguration()
        for input in EstimatedInput.all {
            // A line whose closure does nothing, or writes another field than it reads, fails here.
            for f in [1.5, 0.5] {
                #expect(Self.model(input.scaled(base, by: f)) != Self.model(base), "\(input.name) × \(f)")
            }
            // At ±20 % only small counts may round back (2 workers × 1.2 is still 2).
            guard input.unit != .count || input.value(in: base) >= 3 else { continue }
            for f in [1.2, 0.8] {
                #expect(Self.model(input.scaled(base, by: f)) != Self.model(base), "\(input.name) × \(f)")
            }
        }
    }

    @Test("up raises the value and down lowers it; scaling by 1 changes nothing")
    func monotone() {
        let base = NetworkConfiguration()
        for input in EstimatedInput.all {
            let v = input.value(in: base)
            #expect(input.value(in: input.scaled(base, by: 1.5)) > v, "\(input.name)")
            #expect(input.value(in: input.scaled(base, by: 0.5)) < v, "\(input.name)")
            #expect(Self.model(input.scaled(base, by: 1)) == Self.model(base), "\(input.name)")
        }
    }

    @Test("more clerks means at least as many at every counter, fewer means at most as many, never below 1")
    func clerks() throws {
        let input = try #require(EstimatedInput.named("counters.clerks"))
        let base = NetworkConfiguration()
        let up = input.scaled(base, by: 1.2)
        let down = input.scaled(base, by: 0.1)
        for (k, c) in base.counters.enumerated() {
            #expect(up.counters[k].clerks >= c.clerks)
            #expect(down.counters[k].clerks <= c.clerks && down.counters[k].clerks >= 1)
        }
        #expect(input.value(in: up) > input.value(in: base))
    }

    @Test("shares stay in [0, 1]; durations scale their minimum and tail; link minimums stay above 0")
    func bounds() throws {
        var base = NetworkConfiguration()
        base.workload.specialMoveInShare = 0.9
        let share = try #require(EstimatedInput.named("workload.specialMoveInShare"))
        #expect(share.scaled(base, by: 1.5).workload.specialMoveInShare == 1)
        let desk = try #require(EstimatedInput.named("counters.desk.certificate"))
        let before = try #require(base.service.desk[.certificate])
        let after = try #require(desk.scaled(base, by: 1.2).service.desk[.certificate])
        #expect(after.minimum == Int64((Double(before.minimum) * 1.2).rounded()))
        #expect(abs(after.meanExtra - before.meanExtra * 1.2) < 1e-6)
        let link = try #require(EstimatedInput.named("network.links.counterLAN"))
        var tiny = base
        tiny.links.latencies[Int(LinkKind.counterLAN.rawValue)] = Latency(minimum: 1, meanExtra: 0)
        #expect(link.scaled(tiny, by: 0.1).links.latency(.counterLAN).minimum == 1)
    }

    @Test("the day profile's peak moves, its total does not")
    func dayProfile() throws {
        let input = try #require(EstimatedInput.named("workload.dayProfile.peak"))
        let base = NetworkConfiguration()
        let up = input.scaled(base, by: 1.2).workload.dayProfile
        #expect(abs(up.reduce(0, +) - base.workload.dayProfile.reduce(0, +)) < 1e-9)
        #expect((up.max() ?? 0) > (base.workload.dayProfile.max() ?? 0))
    }
}
