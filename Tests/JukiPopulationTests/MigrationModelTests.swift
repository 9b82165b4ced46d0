import JukiCore
import JukiPopulation
import Testing

@Suite("Moves between municipalities (MigrationModel)")
struct MigrationModelTests {
    @Test("between prefectures the model gives the published table's movers; within them the 2024 total")
    func totals() {
        let model = MigrationModel(members: MunicipalityDirectory.all)
        let n = model.members.count
        var between = 0.0
        var within = 0.0
        var tokyoIn = 0.0
        for i in 0..<n {
            for j in 0..<n where i != j {
                let f = model.movers(from: i, to: j)
                if model.members[i].prefectureCode == model.members[j].prefectureCode {
                    within += f
                } else {
                    between += f
                    if model.members[j].prefectureCode == 13 { tokyoIn += f }
                }
            }
        }
        #expect(abs(between - 2_515_731) < 1)
        #expect(abs(tokyoIn - 451_843) < 1)
        // 鳥取県's and others' municipalities all have neighbours, so every prefecture's share is given out.
        #expect(abs(within - MigrationModel.withinPrefectureMovers2024) < 1)
    }

    @Test("a pick never lands on a weight of 0, and follows the weights")
    func pick() {
        let table = MigrationModel.cumulative([0, 3, 0, 1, 0])
        var counts = [0, 0, 0, 0, 0]
        for k in 0..<1_000 { counts[MigrationModel.pick(table, Double(k) / 1_000) ?? 0] += 1 }
        #expect(counts == [0, 750, 0, 250, 0])
        #expect(MigrationModel.pick(table, 1) == 3)
        #expect(MigrationModel.pick(MigrationModel.cumulative([0, 0]), 0.5) == nil)
        #expect(MigrationModel.pick([], 0.5) == nil)
    }

    @Test("nearer and larger municipalities of the prefecture draw more of its movers")
    func gravity() throws {
        let kanagawa = MunicipalityDirectory.all.filter { $0.prefectureCode == 14 }
        let model = MigrationModel(members: kanagawa)
        let fujisawa = try #require(kanagawa.firstIndex { $0.code == .fujisawa })
        let chigasaki = try #require(kanagawa.firstIndex { $0.name == "茅ヶ崎市" })
        let manazuru = try #require(kanagawa.firstIndex { $0.name == "真鶴町" })
        #expect(model.movers(from: fujisawa, to: chigasaki) > 10 * model.movers(from: fujisawa, to: manazuru))
        #expect(model.movers(from: fujisawa, to: fujisawa) == 0)
    }
}
