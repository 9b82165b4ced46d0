import Crypto
import Foundation

/// Who a request acts for.
public enum Role: Sendable, Hashable {
    case trainer
    case trainee(String)
}

/// The access tokens: one for the trainer, one per trainee. A trainee's token opens their own counter only.
public struct TokenSet: Sendable, Hashable, Codable {
    /// One trainee's name and token.
    public struct Trainee: Sendable, Hashable, Codable {
        public var name: String
        public var token: String

        public init(name: String, token: String) {
            self.name = name
            self.token = token
        }
    }

    public var trainer: String
    public var trainees: [Trainee]

    public init(trainer: String, trainees: [Trainee]) {
        self.trainer = trainer
        self.trainees = trainees
    }

    /// The role `token` grants, if any.
    public func role(of token: String) -> Role? {
        if Self.same(token, trainer) { return .trainer }
        for t in trainees where Self.same(token, t.token) { return .trainee(t.name) }
        return nil
    }

    /// Compares in time independent of where the strings differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }

    /// Fresh random tokens (128 bits each, from the system's cryptographic generator: secrets, never simulated
    /// output) for `names`.
    public static func generate(trainees names: [String]) -> TokenSet {
        TokenSet(trainer: randomToken(), trainees: names.map { Trainee(name: $0, token: randomToken()) })
    }

    static func randomToken() -> String {
        SymmetricKey(size: .bits128).withUnsafeBytes { bytes in
            bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
                .joined()
        }
    }

    /// Checks the set read from a file: tokens of 16–128 letters, digits, '-' or '_', all distinct; trainee names of
    /// 1–40 letters, digits, '-' or '_', distinct.
    public func validated() throws(TrainingError) -> TokenSet {
        let all = [trainer] + trainees.map(\.token)
        for (i, t) in all.enumerated() {
            let field = i == 0 ? "trainer" : "trainees[\(i - 1)].token"
            guard (16...128).contains(t.count), t.allSatisfy(Self.allowed) else {
                throw TrainingError(.badRequest, field: field, "a token is 16–128 letters, digits, '-' or '_'")
            }
        }
        guard Set(all).count == all.count else {
            throw TrainingError(.badRequest, field: "tokens", "every token must differ from the others")
        }
        for (i, t) in trainees.enumerated() {
            guard (1...40).contains(t.name.count), t.name.allSatisfy(Self.allowed) else {
                throw TrainingError(
                    .badRequest, field: "trainees[\(i)].name", "a name is 1–40 letters, digits, '-' or '_'")
            }
        }
        guard Set(trainees.map(\.name)).count == trainees.count else {
            throw TrainingError(.badRequest, field: "trainees", "every trainee needs a name of their own")
        }
        guard !trainees.isEmpty else { throw TrainingError(.badRequest, field: "trainees", "at least one trainee") }
        return self
    }

    static func allowed(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_")
    }
}
