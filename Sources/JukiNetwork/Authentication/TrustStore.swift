import Crypto
import Foundation
import JukiCore
import JukiSimulation

/// The Juki-net's registered node keys (Curve25519) and its revocation list, shared read-only by every node.
public struct TrustStore: Sendable {
    /// Registered public keys (X25519, raw 32 bytes) by node: the CSs, the prefecture servers, the national
    /// server, the card system. Raw bytes, as swift-crypto's key types are not `Sendable`.
    let registered: [NodeID: Data]
    let revoked: Set<NodeID>
    /// Nodes whose installed private key does not match their registration.
    let misconfigured: Set<NodeID>
    let seed: UInt64

    /// A trust store for `nodes`, with keys derived from `seed`.
    public init(nodes: [NodeID], seed: UInt64, revoked: Set<NodeID> = [], misconfigured: Set<NodeID> = []) {
        var keys: [NodeID: Data] = [:]
        keys.reserveCapacity(nodes.count)
        for n in nodes { keys[n] = Self.privateKey(node: n, seed: seed, installed: false).publicKey.rawRepresentation }
        registered = keys
        self.revoked = revoked
        self.misconfigured = misconfigured
        self.seed = seed
    }

    /// No node authenticates.
    public static let none = TrustStore(nodes: [], seed: 0)

    public var isEmpty: Bool { registered.isEmpty }

    /// Whether `node` takes part (its messages carry MACs).
    func contains(_ node: NodeID) -> Bool { registered[node] != nil }

    /// A node's private key, derived from the seed: the one matching its registration, or for a misconfigured
    /// node the one installed by mistake.
    static func privateKey(node: NodeID, seed: UInt64, installed: Bool) -> Curve25519.KeyAgreement.PrivateKey {
        var material = SHA256()
        withUnsafeBytes(of: seed.littleEndian) { material.update(bufferPointer: $0) }
        withUnsafeBytes(of: node.littleEndian) { material.update(bufferPointer: $0) }
        material.update(data: Data((installed ? "jukisim misinstalled key" : "jukisim node key").utf8))
        let bytes = Data(material.finalize())
        // 32 bytes always make a valid X25519 scalar (it is clamped), so this cannot fail; fall back to a fresh
        // key rather than trap should the library ever refuse one.
        return (try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: bytes))
            ?? Curve25519.KeyAgreement.PrivateKey()
    }

}

/// A swift-crypto key held by one node: the library's key types are immutable values but not marked `Sendable`;
/// nothing here ever mutates one, so handing it across actors with its node's state is safe.
struct Sealed<Key>: @unchecked Sendable {
    let value: Key

    init(_ value: Key) { self.value = value }
}

/// What authentication did at one node.
public struct AuthenticationStatistics: Sendable, Hashable {
    /// Peers a session key was agreed with (static-static X25519 + HKDF at first contact).
    public var sessions = 0
    public var sealed = 0
    public var verified = 0
    /// Messages refused: the peer is revoked or unknown, or its MAC did not verify (a key not matching its
    /// registration).
    public var refusedRevoked = 0
    public var refusedBadMAC = 0

    public init() {}

    public mutating func merge(_ other: AuthenticationStatistics) {
        sessions += other.sessions
        sealed += other.sealed
        verified += other.verified
        refusedRevoked += other.refusedRevoked
        refusedBadMAC += other.refusedBadMAC
    }

    public var refused: Int { refusedRevoked + refusedBadMAC }
}

/// One node's side of mutual authentication: its installed key, session keys per peer, and the MAC on each
/// message it sends to or receives from another Juki-net node.
public struct Authenticator: Sendable {
    let node: NodeID
    let trust: TrustStore
    let key: Sealed<Curve25519.KeyAgreement.PrivateKey>?
    /// Per peer: the SipHash-2-4 key taken from the session key.
    var sessions: [NodeID: SipHash24] = [:]
    public private(set) var statistics = AuthenticationStatistics()

    public init(node: NodeID, trust: TrustStore) {
        self.node = node
        self.trust = trust
        key =
            trust.contains(node)
            ? Sealed(TrustStore.privateKey(node: node, seed: trust.seed, installed: trust.misconfigured.contains(node)))
            : nil
    }

    /// Whether messages between this node and `peer` carry MACs.
    func covers(_ peer: NodeID) -> Bool { key != nil && peer != node && trust.contains(peer) }

    /// The session key with `peer`, agreed at first contact; nil when the peer is revoked (or this node is).
    mutating func session(with peer: NodeID) -> SipHash24? {
        if let k = sessions[peer] { return k }
        guard let key, !trust.revoked.contains(peer), !trust.revoked.contains(node),
            let registered = trust.registered[peer],
            let publicKey = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: registered),
            let secret = try? key.value.sharedSecretFromKeyAgreement(with: publicKey)
        else { return nil }
        // Both ends derive the same key only if each holds the private key matching its registration.
        let (low, high) = (min(node, peer), max(node, peer))
        var info = Data("jukisim juki-net session".utf8)
        withUnsafeBytes(of: low.littleEndian) { info.append(contentsOf: $0) }
        withUnsafeBytes(of: high.littleEndian) { info.append(contentsOf: $0) }
        let k = secret.hkdfDerivedSymmetricKey(
            using: SHA256.self, salt: Data("jukisim".utf8), sharedInfo: info, outputByteCount: 16
        ).withUnsafeBytes { SipHash24(key: $0) }
        sessions[peer] = k
        statistics.sessions += 1
        return k
    }

    /// The 64-bit MAC (SipHash-2-4 under the session key) of a message's fields between `source` and
    /// `destination`.
    static func tag(_ fields: MessageFields, source: NodeID, destination: NodeID, key: SipHash24) -> UInt64 {
        var block = (UInt64(source) << 32 | UInt64(destination), fields.0, fields.1, fields.2, fields.3)
        return withUnsafeBytes(of: &block) { key.tag($0) }
    }

    /// Puts a MAC on `message` for `destination`; false when no session can be had (a revoked peer).
    public mutating func seal(_ message: inout NetworkMessage, to destination: NodeID) -> Bool {
        guard covers(destination) else { return true }
        guard let k = session(with: destination) else {
            statistics.refusedRevoked += 1
            return false
        }
        message.mac = Self.tag(message.authenticatedFields, source: node, destination: destination, key: k)
        statistics.sealed += 1
        return true
    }

    /// Whether `event` may be handled: local messages pass; a Juki-net peer's must carry a valid MAC.
    public mutating func open(_ event: Event<NetworkMessage>) -> Bool {
        guard covers(event.source) else { return true }
        // A visit is a person at the counter (a mover arriving from another municipality of the nation), not a
        // message on the network: nothing to authenticate.
        if case .visit = event.message { return true }
        // A refusal carries no data and must reach the requester even from a node whose key is wrong.
        if case .response(let r) = event.message, r.failure == .notAuthenticated { return true }
        guard let k = session(with: event.source) else {
            statistics.refusedRevoked += 1
            return false
        }
        guard
            Self.tag(event.message.authenticatedFields, source: event.source, destination: node, key: k)
                == event.message.mac
        else {
            statistics.refusedBadMAC += 1
            return false
        }
        statistics.verified += 1
        return true
    }
}

/// The four words of a message a MAC covers (with the source and destination).
typealias MessageFields = (UInt64, UInt64, UInt64, UInt64)

extension NetworkMessage {
    /// What the MAC covers: the kind, and the fields a tampering peer would change.
    var authenticatedFields: MessageFields {
        switch self {
        case .request(let r):
            let words = r.payload.words
            return (1 << 56 | UInt64(r.operation.rawValue), r.ticket.journey, words.subject, words.argument)
        case .response(let r):
            let words = r.result.words
            return (
                2 << 56 | UInt64(r.operation.rawValue) << 8 | UInt64(r.failure.rawValue), r.ticket.journey,
                words.0, words.1
            )
        case .identityUpdates(let b):
            return (3 << 56, b.sequence, UInt64(b.updates.count), b.updates.first?.residentCode.rawValue ?? 0)
        case .updateAck(let a): return (4 << 56, a.sequence, 0, 0)
        case .numberRequest(let b):
            return (5 << 56, b.ticket.journey, UInt64(b.codes.count), b.codes.first?.rawValue ?? 0)
        case .numberReply(let b):
            return (6 << 56, b.ticket.journey, UInt64(b.candidates.count), b.candidates.first?.rawValue ?? 0)
        case .deliveryRecords(let b):
            return (7 << 56, b.ticket.journey, UInt64(b.codes.count), b.codes.first?.rawValue ?? 0)
        case .deliveryAck(let b): return (8 << 56, b.ticket.journey, UInt64(b.codes.count), 0)
        case .consistency(let b):
            return (9 << 56, UInt64(b.extract.count), UInt64(b.prefectureDifferences), UInt64(b.nationalDifferences))
        case .visit, .deskDone, .served, .timer, .addressees, .sharing, .immigration, .familyRegister:
            // A node's own events, the residents' visits and the municipality's LAN never cross between Juki-net
            // nodes.
            return (0, 0, 0, 0)
        }
    }

    /// The MAC the message carries (0 for messages that carry none).
    var mac: UInt64 {
        get {
            switch self {
            case .request(let r): r.mac
            case .response(let r): r.mac
            case .identityUpdates(let b): b.mac
            case .updateAck(let a): a.mac
            case .numberRequest(let b), .numberReply(let b): b.mac
            case .deliveryRecords(let b), .deliveryAck(let b): b.mac
            case .consistency(let b): b.mac
            case .visit, .deskDone, .served, .timer, .addressees, .sharing, .immigration, .familyRegister: 0
            }
        }
        set {
            switch self {
            case .request(var r):
                r.mac = newValue
                self = .request(r)
            case .response(var r):
                r.mac = newValue
                self = .response(r)
            case .identityUpdates(var b):
                b.mac = newValue
                self = .identityUpdates(b)
            case .updateAck(var a):
                a.mac = newValue
                self = .updateAck(a)
            case .numberRequest(var b):
                b.mac = newValue
                self = .numberRequest(b)
            case .numberReply(var b):
                b.mac = newValue
                self = .numberReply(b)
            case .deliveryRecords(var b):
                b.mac = newValue
                self = .deliveryRecords(b)
            case .deliveryAck(var b):
                b.mac = newValue
                self = .deliveryAck(b)
            case .consistency(var b):
                b.mac = newValue
                self = .consistency(b)
            case .visit, .deskDone, .served, .timer, .addressees, .sharing, .immigration, .familyRegister:
                break
            }
        }
    }
}
