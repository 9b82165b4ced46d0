import Foundation
import JukiCore
import Testing

@testable import JukiSimulation

/// HdrHistogram's compressed V2 encoding: round trips, lossless merges of encoded halves, the cookie other
/// implementations look for, and every malformed input refused with a reason.
@Suite struct HistogramEncodingTests {
    static func sample(_ n: Int, seed: UInt64, resolution: LatencyHistogram.Resolution = .milliseconds)
        -> LatencyHistogram
    {
        var random = RandomStream(seed: seed)
        var h = LatencyHistogram(resolution: resolution)
        for _ in 0..<n { h.record(Int64(random.nextExponential(mean: 300_000_000))) }
        return h
    }

    static func decoded(_ h: LatencyHistogram) throws -> LatencyHistogram {
        try LatencyHistogram(
            encoded: try #require(h.encoded), resolution: h.resolution, count: h.count, sum: h.sum,
            minimum: h.minimum, maximum: h.maximum)
    }

    @Test(arguments: [LatencyHistogram.Resolution.milliseconds, .microseconds])
    func roundTripsEveryBucket(resolution: LatencyHistogram.Resolution) throws {
        let h = Self.sample(20_000, seed: 3, resolution: resolution)
        let back = try Self.decoded(h)
        #expect(back == h)
        for p in [50.0, 90, 99, 99.9] { #expect(back.percentile(p) == h.percentile(p)) }
    }

    @Test func theEncodingIsHdrHistogramsCompressedV2() throws {
        let text = try #require(Self.sample(100, seed: 1).encoded)
        // 0x1c849314 in base64 begins "HISTFA", as every HdrHistogram implementation writes it.
        #expect(text.hasPrefix("HISTFA"))
        #expect(LatencyHistogram().encoded == nil)
    }

    @Test func mergingEncodedHalvesGivesTheWhole() throws {
        var random = RandomStream(seed: 9)
        var whole = LatencyHistogram()
        var first = LatencyHistogram()
        var second = LatencyHistogram()
        for i in 0..<50_000 {
            let v = Int64(random.nextExponential(mean: 120_000_000))
            whole.record(v)
            if i % 2 == 0 { first.record(v) } else { second.record(v) }
        }
        var merged = try Self.decoded(first)
        merged.merge(try Self.decoded(second))
        #expect(merged == whole)
        for p in [50.0, 95, 99, 99.99] { #expect(merged.percentile(p) == whole.percentile(p)) }
    }

    @Test func zigZagMatchesTheReference() {
        // HdrHistogram's ZigZag LEB128: 0 → 00, -1 → 01, 1 → 02, 64 → 80 01, -65 → 81 01.
        for (value, bytes) in [(Int64(0), [UInt8(0)]), (-1, [1]), (1, [2]), (64, [0x80, 1]), (-65, [0x81, 1])] {
            var out: [UInt8] = []
            HistogramEncoding.putZigZag(value, &out)
            #expect(out == bytes, "\(value)")
            var at = 0
            #expect((try? HistogramEncoding.getZigZag(out, &at, out.count)) == value)
        }
        var big: [UInt8] = []
        HistogramEncoding.putZigZag(Int64.max, &big)
        #expect(big.count == 9)
        var at = 0
        #expect((try? HistogramEncoding.getZigZag(big, &at, big.count)) == Int64.max)
    }

    @Test(arguments: [
        ("not base64 at all!", "not base64"),
        ("AAAAAAAAAAA=", "not a compressed V2 HdrHistogram"),
        ("HISTFAAAAAh4nA==", "the compressed length passes the end"),
    ])
    func malformedEncodingsAreRefused(text: String, message: String) {
        do {
            _ = try LatencyHistogram(encoded: text, resolution: .milliseconds, count: 1, sum: 0, minimum: 0, maximum: 0)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    @Test func aCountThatDisagreesWithTheEncodingIsRefused() throws {
        let h = Self.sample(10, seed: 2)
        #expect(throws: HistogramEncoding.DecodingError.self) {
            try LatencyHistogram(
                encoded: try #require(h.encoded), resolution: .milliseconds, count: 11, sum: h.sum,
                minimum: h.minimum, maximum: h.maximum)
        }
    }

    @Test func aDamagedStreamIsRefused() throws {
        let text = try #require(Self.sample(1_000, seed: 4).encoded)
        var bytes = [UInt8](try #require(Data(base64Encoded: text)))
        for i in 12..<min(40, bytes.count) { bytes[i] ^= 0x5A }
        #expect(throws: HistogramEncoding.DecodingError.self) {
            try LatencyHistogram(
                encoded: Data(bytes).base64EncodedString(), resolution: .milliseconds, count: 1_000, sum: 0,
                minimum: 0, maximum: 0)
        }
    }

    /// A histogram written by the reference implementation's Python port (hdrhistogram 0.10.8, `HdrHistogram(1000,
    /// 2**33, 3)`, 5,000 exponential values with mean 300 s from `random.seed(7)`), with its own percentiles.
    static let reference = [
        "HISTFAAACJV4nE1YPctlVxWevfba++xzb25eLpdhGMYhDGGQIYQQQgghSCoJEiSFBBGLqcVCRKwsLFQkiIVYWFhYWaQKVv6A/AIr",
        "/4CFpT/B52OdN/N+3HvuOWuvvdaznvWx77d+++fbgwe3/zzwT6+3/+IlePXx/3znny0exnfiixZ/H/FW/Cz+EPF1j4/jg/hLiz/2",
        "+GuPH8ev4vvx+4zftPh1/CQ+iz3iR/G7Frf4FItv+L/Gy/iqxb9aPItfYvktfgq5Z/Hz+LpB9hd8+zf3+mG8B93/aHGON+MJ5M5Y",
        "+6cWHc8a9v+CGno8y0/jeXweP4gt3omP4hIv4jFksaDhw8DvHd73+CTeji9b8nILeLDjyXex4yMYwcV3UH/Ojs0+i5YNz57g7ge4",
        "3+Lb2Ogl1D7C+3vxLjSd40PY8BBrPs8z7sZTCF8g3CFEiy943fDpEkEX3sftHbex5Ba4oh94AT7Qn29EQOaxFAw4sUHdiMcwFj+b",
        "ND7hKqzLR1hGfAYeNPw/pDtdruLveQCFS/S8q01gQ16h4QXvwlGoxZKOz9eQkbcceL2zAZ0gYPOdxmHVFb/PkgaFjMMa6cTTAeto",
        "waBPIaMgk7zMnQG4ZpdAx++Qvq5lUPI0IolKT0gM7EM5mPAoKdn5cIMNXHmmV01qCMNZyiiETXbI4foiILlkw5Y3LYs384YHV0i8",
        "0CLcepuGU8VAyHYEdZfHN1nVvTNZkURhyFo9Htpz042ULUMcPMtlmrvL2eGonvEwN8F9/ErIO3VRjSTWR2iZuwJ01aMNuu5C2wWX",
        "hBFu2eVFiEYj5GXLEEgXGiXLkpKEbCPODoqC1TIV09wkscXcaWMeUaGcwtVFOOyczc9Gxc5RMSwpjHQjodKiZwWLkuOwuIzfrKDZ",
        "nrsIs1ov9Fj7aOkuCZGkTNbmXRzIA+4WQmPkpFB/5UmIEvRc9426L8ZhC6RHJrUPYD57zs3mKQ/kHlwyzYeMlg7CVxwIs9NZYBCE",
        "fMTKPFDrITu8gDF9aENwM0XoxHWWet1ASB7mVns0VQIF63Ls28WOKLTDT7sjPyoBaT4U2W9lX56FPTYzW8Jx2e1hr+DmvFbqXaJu",
        "zt3YX6P4j5fFeKwxu52r0BZLwnfnFMwMTogadJlEKYL6poIIKLJNoD1BuANbqSWhGZFKOT4WeLjMonmPFdIMMZBo4a9NL0GERyo0",
        "k8By0ZTmTMKg8tLlAGAhMtbcZ6Rc4qrsJyHh4HaXPGqi7a8Bik6X8siuGeYxzZ2DlvXJ1JjmGqTmoBTeQ751gt65rnvHScGZsQ4y",
        "yygm+VByzm8yg3456fsyRN2xciqKq+eknLgEe0TCowDvae8dB0IYY0YcTQkw0K4uf1vl8yiQjkpTKUM74pV4hmw5Us7lRAmnunD8",
        "tHQxAEBdkXLgUz0tp3KD22/KUvGfChbR23K4mBDYo+bqo8oHqaLcj3s7VK8qE0e6lMDHonBbSkG6NG0avLJLBetFnmfFxJSg0KhY",
        "M74IIOhTuzTTdKeaHC6aB+aTDMx5ijXJBAhM8nPlTOcL6cirKe1RsV1TNdUVe8kd2av/WAvbLlGLmVLxWRScU9kVioDg6LxRkC1F",
        "Iiuf21TpDFJtOrcqAWuBK/pU7LmXkmrNaUSIPILHDfjmoOqqA50pwhOaU7i6V9kVQ0njE2zd7fciGaaz7bC2p41UaUOlXYhhky1M",
        "HHB1HfSnihVOyT5dgrhPZZ34O+EHYyl72xSMk9YqufjmWt7m9PSRB58JBqM8KzkAf5qF3tn7iZ1GT9WYH8U0PhJK5E07Ctx8zRV8",
        "OTd6erhRwVmqeTBSOWgwmstglbuqQay9zucsJLIKaQ0gCBrpMUnVVeNMFQn7Ip+Jq2e33KsCqahkbcV0ntovq1MEm6hYl3ESDYpg",
        "Y+5HeRB504mqfDF+eEczM7HtDSOWio16gk0UURRqjQRea3PSuS4apZ1mKwgOOMoscM/MVV/PefjbmAjks6BzgNi9xqllsb95vJhC",
        "dKlacJup+UghV9aSLPcBH6dKT3CUsYvTXFEK4e1UjNaJpR6KUQlczpewGcvbhuuB3Ki8m80iXS6km6AyV72VQYDCPj2QcMFkiWhV",
        "ZkwWs5yMZdbSoFOoO8Le03RfEcoCdIozuHNSScg81RCXrg3uoCKUNb8CSZjzNR656CxtKXaqUg0ihNq2qr5WHrVF+1Ssl4jMdJjT",
        "1dBNg+4Tyk2tQq2uqbI2l/S0hWn8Wrq00UQPf2xwqmCycZtxjMuKnABb38AgsrAhhcv8lse0MtPNoyRNtdrVq2YVBU1+8UpWMpAc",
        "mhEBIrFqlKEGtyIwRzyO61JpUbp1zkyCdGSpTE+kaI1qQClnj+gooAS6ucUd7VpNeaspQMFxHchRMYz7+a1VnDVwKd3tggCfqhp5",
        "HJc86ynfUpksPF0qmot9r6EJew7XA1nL9jVe57rXSU5NRN0oanBzxjs3uHMPm+PpnE73oqZrXh28ZMhMEd1c0dEGqkfo/DCnEhWR",
        "W7YfXQrPOEFyK40OQ8oYoWn33Xarw42890hcmXE0Bjl5AFhFRzLdbouIGoxW00GoqeDPcsB5MvJ+8lXDSjW9Ue2sJhvNucHpHXJn",
        "n9QY9VBb1PlWMRLiW1GdNQNDEzlKdR6Zp052fcnq7b5q+Awi2qsGe6zyMa9i48PFrlBXZ6AMbTtSRH6PPMgij1TlR9HPhxYFYuSu",
        "0fM6k9/B+PDCZzhB5q3m2VH5yq2uWTXfcG06TLGR5VbHv16nQjrluTLqdJ/8jgpHHyi5EygOKb8telaB48szWdTq8H2nxbPpG4iD",
        "Dv5+oJqqoLrAkS4YUTjurNv5MnSQuwvP2E+1btO5kzi+ocPXRVae778QGfFCEreKSPN3IS0eQ9HG09o1n6NZvx/v4OZb0vwyPsx4",
        "F0fQj/SNx1NcX+MTvMb38PSrFl/2+NuI/wOiQWvT",
    ].joined()

    @Test func readsTheReferenceImplementationsEncoding() throws {
        let h = try LatencyHistogram(
            encoded: Self.reference, resolution: .milliseconds, count: 5_000, sum: 1480873873293, minimum: 47367,
            maximum: 3039027171)
        #expect(h.percentile(50) == 201981951)
        #expect(h.percentile(99) == 1345323007)
        #expect(h.count == 5_000)
    }
}
