import JukiCore
import JukiSimulation
import Testing

/// A test behaviour: every message is forwarded to a pseudo-random node after a random delay ≥ the lookahead.
struct Gossip: NodeBehavior {
    enum Message: Sendable {
        case token(hops: Int)
    }

    let nodes: Int
    let lookahead: Int64
    var received: [Int64] = []

    mutating func start(_ context: inout NodeContext<Message>) {
        context.schedule(.token(hops: 0), at: Int64(context.id) * 7)
    }

    mutating func handle(_ event: Event<Message>, _ context: inout NodeContext<Message>) {
        received.append(event.time)
        guard case .token(let hops) = event.message, hops < 200 else { return }
        // Exactly one successor per token (a send or a local event), so the token count stays constant.
        if hops % 3 == 0 {
            context.schedule(.token(hops: hops + 1), after: Int64(context.random.next(below: 900)))
        } else {
            let to = NodeID(context.random.next(below: UInt64(nodes)))
            let delay = lookahead + Int64(context.random.next(below: 5_000))
            context.send(.token(hops: hops + 1), to: to, delay: delay)
        }
    }
}

func runGossip(fanOutThreshold: Int, seed: UInt64 = 9) async throws -> (UInt64, EngineReport, [[Int64]]) {
    let lookahead: Int64 = 1_000
    let nodes = (0..<8).map {
        Node(
            id: NodeID($0), behavior: Gossip(nodes: 8, lookahead: lookahead), seed: seed, lookahead: lookahead, start: 0
        )
    }
    let engine = try Engine<Gossip.Message>(nodes: nodes, lookahead: lookahead, fanOutThreshold: fanOutThreshold)
    await engine.run(until: 2_000_000)
    var digest: UInt64 = 0
    var times: [[Int64]] = []
    for node in nodes {
        digest = Mixing.combine(digest, await node.statistics.digest)
        times.append(await node.behavior.received)
        #expect(await node.statistics.lookaheadViolations == 0)
    }
    return (digest, engine.report, times)
}

@Suite("The windowed engine")
struct EngineTests {
    @Test("fanning windows out to parallel tasks gives the same history as running nodes one by one")
    func parallelEqualsSequential() async throws {
        let (parallel, reportP, timesP) = try await runGossip(fanOutThreshold: 2)
        let (sequential, reportS, timesS) = try await runGossip(fanOutThreshold: Int.max)
        #expect(parallel == sequential)
        #expect(timesP == timesS)
        #expect(reportP.handled == reportS.handled)
        #expect(reportP.messages > 800)
        #expect(reportP.parallelWindows > 0)
        #expect(reportS.parallelWindows == 0)
        for times in timesP { #expect(times == times.sorted()) }
    }

    @Test("another seed gives another history")
    func seeds() async throws {
        let (a, _, _) = try await runGossip(fanOutThreshold: 2, seed: 1)
        let (b, _, _) = try await runGossip(fanOutThreshold: 2, seed: 2)
        #expect(a != b)
    }

    @Test("refuses a lookahead of zero and ids that are not dense")
    func refusals() {
        let node = Node(id: 0, behavior: Gossip(nodes: 1, lookahead: 1), seed: 1, lookahead: 1, start: 0)
        let zero = #expect(throws: EngineError.self) { try Engine<Gossip.Message>(nodes: [node], lookahead: 0) }
        #expect(zero?.field == "lookahead")
        let other = Node(id: 5, behavior: Gossip(nodes: 1, lookahead: 1), seed: 1, lookahead: 1, start: 0)
        let ids = #expect(throws: EngineError.self) { try Engine<Gossip.Message>(nodes: [other], lookahead: 1) }
        #expect(ids?.field == "nodes")
        #expect(throws: EngineError.self) { try Engine<Gossip.Message>.lookahead(linkMinimums: [5, 0, 9]) }
        #expect(throws: EngineError.self) { try Engine<Gossip.Message>.lookahead(linkMinimums: []) }
        #expect((try? Engine<Gossip.Message>.lookahead(linkMinimums: [500, 300, 900])) == 300)
    }

    @Test("nodes idle for a long time wake for a message or an injected event, and the engine then goes idle")
    func idleNodesWake() async throws {
        /// Passes a counter on to the node 17 places on, until it reaches 5.
        struct Relay: NodeBehavior {
            var got: [Int64] = []
            mutating func handle(_ event: Event<Int>, _ context: inout NodeContext<Int>) {
                got.append(event.time)
                if event.message < 5 { context.send(event.message + 1, to: (context.id + 17) % 40, delay: 100) }
            }
        }
        let nodes = (0..<40).map { Node(id: NodeID($0), behavior: Relay(), seed: 1, lookahead: 100, start: 0) }
        let engine = try Engine<Int>(nodes: nodes, lookahead: 100)
        engine.inject([Envelope(destination: 3, event: Event(time: 0, source: NodeID.max, sequence: 0, message: 0))])
        await engine.run(until: 10_000)
        #expect(engine.isIdle)
        // Node 3's chain is over; node 30 has had nothing to do since the start.
        engine.inject([
            Envelope(destination: 30, event: Event(time: 50_000, source: NodeID.max, sequence: 0, message: 3))
        ])
        await engine.run(until: 100_000)
        #expect(engine.isIdle)
        #expect(await nodes[3].behavior.got == [0])
        #expect(await nodes[20].behavior.got == [100])
        #expect(await nodes[30].behavior.got == [50_000])
        #expect(await nodes[7].behavior.got == [50_100])
        #expect(await nodes[24].behavior.got == [50_200])
        #expect(engine.report.handled == 6 + 3)
    }

    @Test("a send shorter than the lookahead is stretched and counted, never delivered early")
    func lookaheadViolation() async throws {
        struct Hasty: NodeBehavior {
            var got: [Int64] = []
            mutating func start(_ context: inout NodeContext<Int>) {
                if context.id == 0 { context.send(1, to: 1, delay: 10) }
            }
            mutating func handle(_ event: Event<Int>, _ context: inout NodeContext<Int>) { got.append(event.time) }
        }
        let nodes = (0..<2).map { Node(id: NodeID($0), behavior: Hasty(), seed: 1, lookahead: 100, start: 0) }
        let engine = try Engine<Int>(nodes: nodes, lookahead: 100)
        await engine.run(until: 1_000)
        #expect(await nodes[1].behavior.got == [100])
        #expect(await nodes[0].statistics.lookaheadViolations == 1)
    }
}

@Suite("Event queue and ring buffer")
struct QueueTests {
    @Test("pops events in (time, source, sequence) order")
    func heapOrder() {
        var queue = EventQueue<Int>()
        var random = RandomStream(seed: 4)
        var all: [Event<Int>] = []
        for i in 0..<5_000 {
            let e = Event(
                time: Int64(random.next(below: 300)), source: NodeID(random.next(below: 4)), sequence: UInt64(i),
                message: i)
            all.append(e)
            queue.push(e)
        }
        var popped: [Event<Int>] = []
        while let e = queue.pop() { popped.append(e) }
        let expected = all.sorted { $0.precedes($1) }
        #expect(popped.map(\.message) == expected.map(\.message))
        #expect(queue.nextTime == Int64.max)
    }

    @Test("ring buffer is FIFO across growth")
    func ring() {
        var ring = RingBuffer<Int>(capacity: 2)
        var expected: [Int] = []
        var next = 0
        for round in 0..<50 {
            for _ in 0..<(round % 7 + 1) {
                ring.append(next)
                expected.append(next)
                next += 1
            }
            for _ in 0..<(round % 5) where !expected.isEmpty {
                #expect(ring.popFirst() == expected.removeFirst())
            }
        }
        #expect(ring.count == expected.count)
    }
}

@Suite("The M/M/c canary against Erlang C")
struct CanaryTests {
    @Test("Erlang C gives 1.746 service times for M/M/4 at ρ = 0.8")
    func erlangC() {
        #expect(abs(ErlangC.meanTimeInSystem(servers: 4, utilization: 0.8) - 1.7455) < 0.0005)
        #expect(abs(ErlangC.waitProbability(servers: 1, offeredLoad: 0.5) - 0.5) < 1e-12)  // M/M/1: P(wait) = ρ
        #expect(abs(ErlangC.meanTimeInSystem(servers: 1, utilization: 0.5) - 2) < 1e-12)  // 1 / (1 − ρ)
    }

    @Test("mean time in system is within 2 % of Erlang C over more than a million customers")
    func canary() async throws {
        var run = CanaryRun()
        run.customersPerPoint = 80_000  // 13 × 80,000 = 1,040,000 customers
        let result = try await run.run()
        #expect(result.customers == 1_040_000)
        #expect(abs(result.meanTimeInSystem - result.erlangC) / result.erlangC < 0.02)
        #expect(abs(result.meanWait - (result.erlangC - 1)) / (result.erlangC - 1) < 0.05)
    }
}
