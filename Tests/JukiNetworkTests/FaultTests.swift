import JukiCore
import JukiNetwork
import JukiSimulation
import Testing

@Suite("Faults, store-and-forward and reconciliation")
struct FaultTests {
    /// 10:00 on the small configuration's day, µs.
    static func at(_ hour: Int, _ minute: Int = 0, _ c: NetworkConfiguration) -> Int64 {
        SimulatedTime(date: c.date).microseconds + Int64(hour * 60 + minute) * 60_000_000
    }

    /// A small town with Fujisawa's daily workload and `faults`.
    static func configuration(_ faults: (NetworkConfiguration) -> [Fault], seed: UInt64 = 21) -> NetworkConfiguration {
        var c = smallConfiguration(seed: seed)
        c.faults = faults(c)
        return c
    }

    /// The same day without faults.
    static let plain = Task { try await run(configuration { _ in [] }).1 }

    static let kindNames = ["outage", "partition", "latencySpike", "loss", "slowdown"]

    /// One fault of each kind on the CS's way to the prefecture (or on the CS itself).
    static func fault(_ name: String, _ c: NetworkConfiguration) -> [Fault] {
        let hour: Int64 = 3_600_000_000
        switch name {
        case "outage":
            return [Fault(kind: .outage, node: .prefectureServer(nil), start: at(10, 0, c), duration: hour / 2)]
        case "partition":
            return [Fault(kind: .partition, link: .csToPrefecture, start: at(10, 0, c), duration: hour / 2)]
        case "latencySpike":
            return [
                Fault(
                    kind: .latencySpike, link: .csToPrefecture, start: at(9, 0, c), duration: 2 * hour, extra: 2_000_000
                )
            ]
        case "loss":
            return [Fault(kind: .loss, link: .csToPrefecture, start: at(9, 0, c), duration: 2 * hour, rate: 0.5)]
        default: return [Fault(kind: .slowdown, node: .municipalCS, start: at(9, 0, c), duration: 2 * hour, factor: 20)]
        }
    }

    @Test("every fault kind takes effect, and no identity update is lost or left divergent", arguments: kindNames)
    func everyKind(_ name: String) async throws {
        let (_, report) = try await run(Self.configuration { Self.fault(name, $0) })
        let f = report.faults
        #expect(f.injected == 1 && f.byKind[name] == 1)
        #expect(f.affectedMessages > 0, "\(name) touched no message")
        switch name {
        case "outage", "partition":
            // Clerks waited and retried; identity updates waited in outboxes and drained.
            #expect(f.counterRetries > 0 && f.unavailable > 0)
            #expect(f.outboxRetries > 0 && f.maxBacklog > 0)
            #expect(f.timeToDrain > 0 && f.timeToDrain <= 61_000_000)
        case "loss":
            #expect(f.retransmissions > 0)
        default:
            break
        }
        #expect(f.waiting == 0)
        // Nothing is stuck: as many journeys run past midnight as without the fault.
        let plain = try await Self.plain.value
        #expect(report.invariants.inProgress == plain.invariants.inProgress, "\(report.invariants)")
        #expect(report.invariants.lostUpdates == 0)
        #expect(report.invariants.holds)
        let c = try #require(report.consistency)
        #expect(c.prefectureRemaining + c.nationalRemaining == 0)
        #expect(c.prefectureDifferences + c.nationalDifferences == 0)
    }

    @Test("a latency spike shows in the hop it delays")
    func spikeShows() async throws {
        let plain = try await Self.plain.value
        let spiked = try await run(Self.configuration { Self.fault("latencySpike", $0) }).1
        let hop = { (r: NetworkReport) in
            r.hops.hops(of: .specialMoveIn).first { $0.0 == .cardVerification }?.1.mean ?? 0
        }
        #expect(hop(spiked) > hop(plain) + 300_000, "card verification did not slow with the 2 s spike")
    }

    @Test("a node out longer than a clerk's patience fails journeys with serviceUnavailable")
    func patienceRunsOut() async throws {
        let (_, report) = try await run(
            Self.configuration {
                [Fault(kind: .outage, node: .nationalServer, start: Self.at(9, 0, $0), duration: 4 * 3_600_000_000)]
            })
        let unavailable = report.journeys.values.reduce(0) { $0 + ($1.failed[.serviceUnavailable] ?? 0) }
        #expect(unavailable > 0)
        #expect(report.invariants.holds && report.invariants.lostUpdates == 0)
    }

    @Test("without store-and-forward updates are lost; the consistency check finds and reconciles them")
    func storeAndForwardMatters() async throws {
        let outage: (NetworkConfiguration) -> [Fault] = {
            [Fault(kind: .outage, node: .prefectureServer(nil), start: Self.at(10, 0, $0), duration: 3_600_000_000)]
        }
        // No check: the loss stays, and the end-of-run invariant reports it.
        var unchecked = Self.configuration(outage)
        unchecked.storeAndForward = false
        unchecked.consistencyCheck = .off
        let lost = try await run(unchecked).1
        #expect(lost.faults.dropped > 0)
        #expect(lost.invariants.lostUpdates > 0, "\(lost.invariants)")
        // The evening check finds the divergence and reconciles it: nothing remains, nothing is lost at the end.
        // (Only the home CS runs the check here: the other municipalities in the prefecture are left out.)
        var checked = Self.configuration(outage)
        checked.storeAndForward = false
        checked.otherMunicipalities = checked.otherMunicipalities.filter { $0.prefectureCode != 14 }
        let repaired = try await run(checked).1
        let c = try #require(repaired.consistency)
        #expect(c.prefectureDifferences > 0 && c.nationalDifferences > 0)
        #expect(c.prefectureRemaining == 0 && c.nationalRemaining == 0)
        #expect(repaired.invariants.lostUpdates == 0)
    }

    @Test("a fault storm is deterministic and the same on one thread as on many")
    func stormDeterminism() async throws {
        var storm = RandomFaults(count: 60, from: 0, until: 0)
        var c = Self.configuration { _ in [] }
        storm.from = Self.at(8, 30, c)
        storm.until = Self.at(18, 0, c)
        storm.seed = 5
        c.faults = storm.faults()
        #expect(c.faults == storm.faults())
        #expect(Set(c.faults.map(\.kind)).count == FaultKind.allCases.count)
        // Every window of two or more active nodes fans out, against none.
        c.fanOutThreshold = 2
        let a = try await run(c).1
        var serial = c
        serial.fanOutThreshold = Int.max
        let b = try await run(serial).1
        #expect(a.digest == b.digest)
        #expect(a.faults == b.faults)
        #expect(a.invariants.lostUpdates == 0 && a.faults.waiting == 0)
    }

    @Test("an inbox applies each batch once, in any arrival order")
    func inbox() {
        var inbox = Inbox()
        let arrivals: [(UInt64, NodeID)] = [(1, 7), (3, 7), (1, 7), (2, 7), (3, 7), (1, 8)]
        let fresh = arrivals.map { inbox.accept($0.0, from: $0.1) }
        #expect(fresh == [true, true, false, true, false, true])
        #expect(inbox.duplicates == 2)
    }

    @Test("reconciliation applies the municipality's newer lines and never an older one")
    func reconcile() {
        func line(_ code: UInt64, _ version: Int64, _ fingerprint: UInt64) -> IdentityUpdate {
            IdentityUpdate(
                residentCode: ResidentCode(uncheckedRawValue: code), individualNumber: nil,
                municipality: MunicipalityCode(uncheckedRawValue: 14205), status: .active, version: version,
                fingerprint: fingerprint, reason: nil)
        }
        func entry(_ code: UInt64) -> IdentityFile.Entry? { file.entry(ResidentCode(uncheckedRawValue: code)) }
        var file = IdentityFile()
        file.load([line(1, 10, 1), line(2, 10, 2), line(3, 30, 3)])
        // 1 is older upstream, 2 has other facts at the same version, 4 is missing, 3 is newer upstream.
        let extract = [line(1, 20, 1), line(2, 10, 99), line(3, 20, 3), line(4, 5, 4)]
        let result = file.reconcile(with: extract)
        #expect(result.found == 4)
        #expect(result.remaining == 1)  // the upstream copy of 3 is newer than the extract: kept, and reported
        #expect(entry(1)?.version == 20 && entry(2)?.fingerprint == 99 && entry(4) != nil)
        #expect(entry(3)?.version == 30)
    }
}

@Suite("No trap on valid fault plans")
struct FaultBoundsTests {
    @Test("six overlapping slowdowns of factor 1,000 on the register system run to the end of the day")
    func overlappingSlowdowns() async throws {
        var c = smallConfiguration(seed: 4)
        let nine = SimulatedTime(date: c.date).microseconds + 9 * 3_600_000_000
        c.faults = (0..<6).map { k in
            Fault(
                kind: .slowdown, node: .registerSystem, start: nine + Int64(k) * 60_000_000, duration: 3_600_000_000,
                factor: 1_000)
        }
        let (_, report) = try await run(c)
        #expect(report.invariants.unhandledMessages == 0)
        #expect(report.invariants.journeysBalance)
    }
}

/// Found by CI's model fuzzer: a misconfigured prefecture server never acknowledges, and its municipalities'
/// outboxes resent every 30 s over the days of one-stop filings made before the run (half a million events).
@Suite("Outboxes facing a peer that never answers")
struct OutboxBackoffTests {
    @Test("batches a misconfigured receiver never acknowledges are resent with a doubling wait, up to 10 minutes")
    func unacknowledged() async throws {
        var c = quietConfiguration(seed: 41)
        c.otherResidents = 20_000
        c.otherMunicipalities = Array(NetworkConfiguration.defaultOthers.prefix(3))  // all in Kanagawa (14)
        c.mutualAuthentication.misconfigured = ["prefectureServer.14"]
        let (_, report) = try await run(c)
        let outbox = try #require(report.faults.outboxes["municipalities→prefectureServers"])
        #expect(outbox.waiting > 0, "no batch waited for the misconfigured server")
        #expect(outbox.acknowledged == 0)
        // Waits of 30 s, 1, 2, 4, 8 min, then 10 min: under 150 sends a batch a day (every 30 s: 2,880).
        #expect(outbox.retries > 0)
        #expect(outbox.retries <= 150 * outbox.batchesSent, "\(outbox.retries) resends of \(outbox.batchesSent)")
        #expect(report.invariants.unhandledMessages == 0)
    }

    @Test("one-stop filings made before the run are sent at its start: nothing happens before it")
    func nothingBeforeTheRun() async throws {
        var c = smallConfiguration(seed: 42)
        c.workload.perDay = [.oneStopMove: 40]
        c.workload.oneStopLeadDays = 20
        let simulation = try await NetworkSimulation(c)
        await simulation.run(until: .endOfDay)
        let report = await simulation.report()
        let start = SimulatedTime(date: c.date).microseconds
        #expect(report.oneStop.incomingFilings > 40)
        #expect(!report.spans.isEmpty)
        #expect(report.spans.allSatisfy { $0.end >= start }, "a span ended before the run began")
        let processed = await simulation.otherRegisters().flatMap { register in
            var times: [Int64] = []
            register.changeLog.forEachChange(from: 1) { _, _, time, reason in
                if reason == .moveOut { times.append(time) }
            }
            return times
        }
        #expect(!processed.isEmpty)
        #expect(processed.allSatisfy { $0 >= start }, "another municipality recorded a move-out before the run")
    }
}
