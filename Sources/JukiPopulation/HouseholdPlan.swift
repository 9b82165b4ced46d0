import JukiCore

/// The shape of a household in the plan.
enum HouseholdKind: UInt8, Sendable {
    case single, couple, coupleWithChildren, singleParent, threeGenerations, parentAndAdultChild, siblings
}

/// The sequential first pass of generation: who lives with whom, at what age, in which district.
///
/// Cheap (a few draws per person) and independent of the thread count; the parallel second pass then fills in
/// names, dates, addresses and identifiers per household from the household's own random stream.
struct HouseholdPlan: Sendable {
    var age: [UInt8] = []
    var sex: [UInt8] = []
    var relationship: [UInt8] = []
    /// First row of each household; the head is always first.
    var start: [UInt32] = []
    var size: [UInt8] = []
    var kind: [UInt8] = []
    var district: [UInt8] = []
    var foreign: [Bool] = []

    var residents: Int { age.count }
    var households: Int { start.count }

    static func make(calibration: Calibration, seed: UInt64) -> HouseholdPlan {
        var random = RandomStream(seed: seed, stream: 0x504C_414E)  // "PLAN"
        var pool = AgePool(counts: AgePyramid.counts(total: calibration.residents))
        var plan = HouseholdPlan()
        let n = calibration.residents
        plan.age.reserveCapacity(n)
        plan.sex.reserveCapacity(n)
        plan.relationship.reserveCapacity(n)
        let expectedHouseholds = calibration.households + calibration.households / 50
        plan.start.reserveCapacity(expectedHouseholds)
        plan.size.reserveCapacity(expectedHouseholds)
        plan.kind.reserveCapacity(expectedHouseholds)

        plan.formFamilies(&pool, &random)
        plan.formAdultHouseholds(&pool, &random, targetHouseholds: calibration.households)
        plan.assignDistricts(calibration, &random)
        plan.assignForeign(share: calibration.foreignShare, &random)
        return plan
    }

    private mutating func add(_ person: (sex: Int, age: Int), _ relationship: Relationship) {
        age.append(UInt8(person.age))
        sex.append(person.sex == 0 ? Sex.male.rawValue : Sex.female.rawValue)
        self.relationship.append(relationship.rawValue)
    }

    private mutating func close(_ kind: HouseholdKind, from first: Int) {
        start.append(UInt32(first))
        size.append(UInt8(age.count - first))
        self.kind.append(kind.rawValue)
    }

    /// Phase A: every child (0–17) is placed with parents, drawn from the pool at plausible ages.
    private mutating func formFamilies(_ pool: inout AgePool, _ random: inout RandomStream) {
        while pool.count(ages: 0...17) > 0 {
            let first = age.count
            guard let child = pool.take(sex: nil, from: 0, to: 17, &random) else { break }
            var children = [child]
            let extra = Int(random.next(below: 100))
            let wanted = extra < 40 ? 1 : (extra < 85 ? 2 : 3)
            while children.count < wanted,
                let sibling = pool.take(
                    sex: nil, from: child.age - 7, to: child.age + 7, center: child.age, spread: 6,
                    &random)
            {
                children.append(sibling)
            }
            if random.chance(0.25),
                let adult = pool.take(sex: nil, from: 18, to: 29, center: child.age + 6, spread: 8, &random)
            {
                children.append(adult)
            }
            children.sort { $0.age > $1.age }
            let oldest = children.first?.age ?? child.age
            let youngest = children.last?.age ?? child.age
            let parentHighest = max(oldest + 20, youngest + 45)
            let roll = random.next(below: 100)
            let kind: HouseholdKind = roll < 76 ? .coupleWithChildren : (roll < 90 ? .singleParent : .threeGenerations)
            let motherFirst = kind == .singleParent ? random.chance(0.85) : true
            let firstParent = pool.take(
                sex: motherFirst ? 1 : 0, from: oldest + 20, to: parentHighest, center: oldest + 31, spread: 12,
                &random)
            guard let firstParent else {
                // Nobody of parent age left: a grandparent-age guardian heads the household.
                let guardian =
                    pool.take(sex: nil, from: oldest + 36, to: oldest + 80, &random)
                    ?? pool.take(sex: nil, from: 18, to: AgePyramid.maximumAge, &random)
                if let guardian {
                    add(guardian, .head)
                    for c in children { add(c, .grandchild) }
                } else {
                    add(children[0], .head)
                    for c in children.dropFirst() { add(c, .sibling) }
                }
                close(.singleParent, from: first)
                continue
            }
            var partner: (sex: Int, age: Int)?
            if kind != .singleParent {
                let want = 1 - firstParent.sex
                let center = want == 0 ? firstParent.age + 2 : firstParent.age - 2
                partner = pool.take(sex: want, from: center - 8, to: center + 8, center: center, spread: 6, &random)
            }
            var grandparents: [(sex: Int, age: Int)] = []
            if kind == .threeGenerations {
                let middle = max(firstParent.age, partner?.age ?? 0)
                if let gp = pool.take(
                    sex: nil, from: middle + 22, to: middle + 42, center: middle + 30, spread: 10,
                    &random)
                {
                    grandparents.append(gp)
                    if random.chance(0.55),
                        let other = pool.take(
                            sex: 1 - gp.sex, from: gp.age - 8, to: gp.age + 8, center: gp.age,
                            spread: 6, &random)
                    {
                        grandparents.append(other)
                    }
                }
            }
            let headIsGrandparent = !grandparents.isEmpty && random.chance(0.3)
            let parents = [firstParent] + (partner.map { [$0] } ?? [])
            let father = parents.first { $0.sex == 0 }
            let mother = parents.first { $0.sex == 1 }
            if headIsGrandparent {
                let headIndex = grandparents.firstIndex { $0.sex == 0 } ?? 0
                add(grandparents[headIndex], .head)
                for (i, g) in grandparents.enumerated() where i != headIndex { add(g, g.sex == 0 ? .husband : .wife) }
                // The middle generation: the grandparents' child and that child's spouse.
                if let f = father { add(f, .child) }
                if let m = mother { add(m, father == nil ? .child : .childsSpouse) }
                for c in children { add(c, .grandchild) }
            } else {
                let headIndex = parents.firstIndex { $0.sex == 0 } ?? 0
                add(parents[headIndex], .head)
                for (i, p) in parents.enumerated() where i != headIndex { add(p, p.sex == 0 ? .husband : .wife) }
                for c in children { add(c, .child) }
                for g in grandparents { add(g, g.sex == 0 ? .father : .mother) }
            }
            close(kind == .threeGenerations && grandparents.isEmpty ? .coupleWithChildren : kind, from: first)
        }
    }

    /// Phase B: the remaining adults form single, couple and other adult households, steered so the household
    /// count lands on the target.
    private mutating func formAdultHouseholds(
        _ pool: inout AgePool, _ random: inout RandomStream, targetHouseholds: Int
    ) {
        while pool.remaining > 0 {
            let first = age.count
            let r = pool.remaining
            let h = max(targetHouseholds - start.count, 1)
            let mean = Double(r) / Double(h)
            let multi = mean > 1 && random.chance(min(1, mean - 1))
            guard multi, let head = pool.take(sex: nil, from: 18, to: AgePyramid.maximumAge, &random) else {
                if let p = pool.take(sex: nil, from: 0, to: AgePyramid.maximumAge, &random) {
                    add(p, .head)
                    close(.single, from: first)
                }
                continue
            }
            let roll = random.next(below: 100)
            // Preferred shape first; when the pool has no partner for it, fall back to the other adult pairs
            // (widowed sisters, a mother and her daughter), so the household count stays on target.
            let order: [HouseholdKind] =
                roll < 80
                ? [.couple, .siblings, .parentAndAdultChild]
                : roll < 92 ? [.parentAndAdultChild, .couple, .siblings] : [.siblings, .couple, .parentAndAdultChild]
            var formed = false
            for shape in order where !formed {
                switch shape {
                case .couple:
                    let want = 1 - head.sex
                    let center = want == 1 ? head.age - 2 : head.age + 2
                    guard
                        let spouse = pool.take(
                            sex: want, from: center - 10, to: center + 10, center: center,
                            spread: 8, &random)
                    else { continue }
                    let (h1, s1) = head.sex == 0 || random.chance(0.1) ? (head, spouse) : (spouse, head)
                    add(h1, .head)
                    add(s1, s1.sex == 0 ? .husband : .wife)
                    if mean > 2 && random.chance(min(1, mean - 2)),
                        let adult = pool.take(
                            sex: nil, from: 18, to: 40, center: min(h1.age, s1.age) - 29, spread: 8,
                            &random)
                    {
                        add(adult, .child)
                    }
                    close(.couple, from: first)
                    formed = true
                case .parentAndAdultChild:
                    if let parent = pool.take(
                        sex: nil, from: head.age + 20, to: head.age + 42, center: head.age + 30,
                        spread: 10, &random)
                    {
                        add(head, .head)
                        add(parent, parent.sex == 0 ? .father : .mother)
                        close(.parentAndAdultChild, from: first)
                        formed = true
                    } else if let child = pool.take(
                        sex: nil, from: max(18, head.age - 42), to: head.age - 20,
                        center: head.age - 30, spread: 10, &random)
                    {
                        add(head, .head)
                        add(child, .child)
                        close(.parentAndAdultChild, from: first)
                        formed = true
                    }
                default:
                    if let sibling = pool.take(
                        sex: nil, from: head.age - 10, to: head.age + 10, center: head.age,
                        spread: 6, &random)
                    {
                        add(head, .head)
                        add(sibling, .sibling)
                        close(.siblings, from: first)
                        formed = true
                    }
                }
            }
            if formed { continue }
            add(head, .head)
            close(.single, from: first)
        }
    }

    /// Places households in districts, drawing with weights equal to each district's remaining capacity so
    /// district totals land on their targets.
    private mutating func assignDistricts(_ calibration: Calibration, _ random: inout RandomStream) {
        let totalTarget = calibration.districts.reduce(0) { $0 + $1.residents }
        var remaining = calibration.districts.map {
            Int((Double($0.residents) * Double(residents) / Double(max(totalTarget, 1))).rounded())
        }
        district = [UInt8](repeating: 0, count: households)
        for h in 0..<households {
            let k = Int(size[h])
            var total = 0
            for r in remaining where r > 0 { total += r }
            var d = 0
            if total > 0 {
                var u = Int(random.next(below: UInt64(total)))
                for (i, r) in remaining.enumerated() where r > 0 {
                    if u < r {
                        d = i
                        break
                    }
                    u -= r
                }
            } else {
                d = Int(random.next(below: UInt64(remaining.count)))
            }
            remaining[d] -= k
            district[h] = UInt8(d)
        }
    }

    /// Marks foreign households, visiting households in a seeded random order and accepting younger heads more
    /// often, until the foreign share is reached.
    private mutating func assignForeign(share: Double, _ random: inout RandomStream) {
        foreign = [Bool](repeating: false, count: households)
        let target = Int((Double(residents) * share).rounded())
        var order = Array(0..<households)
        // Fisher–Yates with our own stream (never `shuffled()`, whose algorithm is not ours to fix).
        if order.count > 1 {
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                let j = Int(random.next(below: UInt64(i + 1)))
                order.swapAt(i, j)
            }
        }
        var placed = 0
        var pass = 0
        while placed < target && pass < 4 {
            for h in order where !foreign[h] {
                if placed >= target { break }
                let k = Int(size[h])
                if placed + k > target + k / 2 { continue }
                let headAge = Int(age[Int(start[h])])
                let accept = headAge < 20 ? 30 : (headAge < 40 ? 100 : (headAge < 60 ? 45 : 12))
                if pass > 0 || random.next(below: 100) < UInt64(accept) {
                    foreign[h] = true
                    placed += k
                }
            }
            pass += 1
        }
    }
}
