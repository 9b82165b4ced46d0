import JukiAudit
import JukiCore
import JukiNetwork
import JukiRegister
import JukiSimulation
import Testing

@Suite("Mutual authentication between Juki-net nodes")
struct AuthenticationTests {
    static func request(subject: UInt64) -> NetworkMessage {
        .request(
            Request(
                .municipality(
                    .certificateData(
                        CertificateDataRequest(
                            originRow: RowID(UInt32(subject)), origin: 30, plannedMoveOut: CivilDate(daysSinceEpoch: 0))
                    )),
                ticket: Ticket(journey: 7, slot: 1, flow: .moveIn, hop: .certificateData), replyTo: 2))
    }

    static func payload(subject: UInt64) -> RequestPayload {
        guard case .request(let r) = request(subject: subject) else {
            return .search(.init(target: .code(.init(uncheckedRawValue: 0)), scope: .own))
        }
        return r.payload
    }

    @Test("SipHash-2-4 matches the reference implementation's published vectors (key 00…0f, messages 00…n-1)")
    func sipHashVectors() {
        let expected: [UInt64] = [
            0x726f_db47_dd0e_0e31, 0x74f8_39c5_93dc_67fd, 0x0d6c_8009_d9a9_4f5a, 0x8567_6696_d7fb_7e2d,
            0xcf27_94e0_2771_87b7, 0x1876_5564_cd99_a68d, 0xcbc9_466e_58fe_e3ce, 0xab02_00f5_8b01_d137,
            0x93f5_f579_9a93_2462, 0x9e00_82df_0ba9_e4b0, 0x7a5d_bbc5_94dd_b9f3, 0xf4b3_2f46_226b_ada7,
            0x751e_8fbc_860e_e5fb, 0x14ea_5627_c084_3d90, 0xf723_ca90_8e7a_f2ee, 0xa129_ca61_49be_45e5,
        ]
        let keyBytes = (0..<16).map(UInt8.init)
        let key = keyBytes.withUnsafeBytes { SipHash24(key: $0) }
        for (n, value) in expected.enumerated() {
            let message = (0..<n).map(UInt8.init)
            #expect(message.withUnsafeBytes { key.tag($0) } == value, "\(n) bytes")
        }
    }

    @Test("a sealed message opens at its peer; a changed field, a wrong key or a revoked peer is refused")
    func sealAndOpen() {
        let trust = TrustStore(nodes: [1, 2, 3, 4], seed: 9, revoked: [3], misconfigured: [4])
        var a = Authenticator(node: 1, trust: trust)
        var b = Authenticator(node: 2, trust: trust)
        var message = Self.request(subject: 42)
        let sealed = a.seal(&message, to: 2)
        let opened = b.open(Event(time: 0, source: 1, sequence: 0, message: message))
        #expect(sealed && opened)
        // Tampered on the way: the subject changed.
        guard case .request(var r) = message else { return }
        r.payload = Self.payload(subject: 43)
        let tampered = b.open(Event(time: 0, source: 1, sequence: 1, message: .request(r)))
        #expect(!tampered)
        // The same MAC presented as coming from another node.
        let impostor = b.open(Event(time: 0, source: 4, sequence: 2, message: message))
        #expect(!impostor)
        // A revoked peer gets no session, either way.
        var toRevoked = Self.request(subject: 1)
        let revokedSession = a.seal(&toRevoked, to: 3)
        #expect(!revokedSession)
        var revoked = Authenticator(node: 3, trust: trust)
        var fromRevoked = Self.request(subject: 1)
        _ = revoked.seal(&fromRevoked, to: 2)
        let fromRevokedOpened = b.open(Event(time: 0, source: 3, sequence: 3, message: fromRevoked))
        #expect(!fromRevokedOpened)
        // A node holding the wrong key seals messages nobody can verify.
        var wrong = Authenticator(node: 4, trust: trust)
        var fromWrong = Self.request(subject: 5)
        let wrongSealed = wrong.seal(&fromWrong, to: 2)
        let wrongOpened = b.open(Event(time: 0, source: 4, sequence: 4, message: fromWrong))
        #expect(wrongSealed && !wrongOpened)
        #expect(b.statistics.verified == 1 && b.statistics.refusedBadMAC == 3 && b.statistics.refusedRevoked == 1)
        // Local nodes (not in the trust store) are not authenticated.
        let local = b.open(Event(time: 0, source: 77, sequence: 5, message: Self.request(subject: 1)))
        #expect(local)
    }

    @Test("a normal day: every message between Juki-net nodes is sealed and verified, none refused")
    func normalDay() async throws {
        let report = try await run(smallConfiguration(seed: 31)).1
        let a = report.mutualAuthentication
        #expect(a.sessions > 0 && a.sealed > 100)
        #expect(a.verified == a.sealed)
        #expect(a.refused == 0)
        #expect(report.invariants.lostUpdates == 0)
    }

    @Test("a revoked and a misconfigured municipality are refused, the refusals audited, and journeys say why")
    func refusedNodes() async throws {
        var c = smallConfiguration(seed: 32)
        c.workload.perDay[.moveIn] = 400
        c.workload.specialMoveInShare = 0.5
        c.otherMunicipalities = Array(NetworkConfiguration.defaultOthers.prefix(2))
        c.mutualAuthentication.revoked = ["municipality.\(c.otherMunicipalities[0])"]
        c.mutualAuthentication.misconfigured = ["municipality.\(c.otherMunicipalities[1])"]
        let report = try await run(c).1
        let a = report.mutualAuthentication
        #expect(a.refusedRevoked > 0, "no session with the revoked node was refused")
        #expect(a.refusedBadMAC > 0, "no MAC of the misconfigured node failed")
        let failed = report.journeys.values.reduce(0) { $0 + ($1.failed[.notAuthenticated] ?? 0) }
        #expect(failed > 0)
        // The CS recorded refusals on both counts: relays it refused, and peers' messages it could not verify.
        let refusals = report.csAudit.records.filter {
            $0.action == .refusal && $0.outcome == FailureReason.notAuthenticated.rawValue
        }
        #expect(refusals.count >= failed)
        #expect(AuditTrail.verify(jsonLines: report.csAudit.jsonLines()).intact)
        #expect(report.invariants.duplicateResidentCodes == 0)
    }

    @Test("an unknown node name is refused with the field and the rule")
    func unknownNode() async {
        var c = smallConfiguration(seed: 33)
        c.mutualAuthentication.revoked = ["municipality.999999"]
        let error = await #expect(throws: NetworkError.self) { _ = try await NetworkSimulation(c) }
        #expect(error?.field == "security.revokedNodes")
        #expect(error?.description.contains("no Juki-net node") == true)
    }
}
