import CZlib
import Foundation
import Histogram

/// HdrHistogram's standard compressed encoding (V2, DEFLATE) of a ``LatencyHistogram``, base64: the form
/// HdrHistogram's Java, C, Go, Python and Rust libraries read, so `summary.json` keeps the distributions themselves
/// and runs merge without loss (counts add; percentiles come from the merged histogram).
///
/// Layout (big-endian): the compressed form is the cookie 0x1c849314, the length of the zlib stream and the stream;
/// inside it the V2 form: the cookie 0x1c849313, the payload's length, the normalizing index offset (0), the
/// significant digits, the lowest discernible and the highest trackable value, the integer-to-double ratio (1.0),
/// then the counts array up to the highest recorded value as ZigZag LEB128 numbers, a run of zeros as its negated
/// length.
public enum HistogramEncoding {
    static let v2Cookie: UInt32 = 0x1c84_9313
    static let compressedCookie: UInt32 = 0x1c84_9314

    /// Why an encoded histogram was refused.
    public struct DecodingError: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var description: String { "histogram: \(message)" }
    }

    /// The bucket layout of a histogram: HdrHistogram's, computed from its parameters.
    struct Layout {
        let unitMagnitude: Int
        let subBucketHalfCountMagnitude: Int
        let subBucketHalfCount: Int
        let subBucketMask: UInt64
        let leadingZeroCountBase: Int

        init(lowest: UInt64, digits: Int) {
            let largest = 2 * pow(10.0, Double(digits))
            unitMagnitude = Int(log2(Double(max(lowest, 1))))
            let subBucketCountMagnitude = Int(log2(largest).rounded(.up))
            subBucketHalfCountMagnitude = max(subBucketCountMagnitude, 1) - 1
            let subBucketCount = 1 << subBucketCountMagnitude
            subBucketHalfCount = subBucketCount / 2
            subBucketMask = UInt64(subBucketCount - 1) << UInt64(unitMagnitude)
            leadingZeroCountBase = 64 - unitMagnitude - subBucketCountMagnitude
        }

        func index(of value: UInt64) -> Int {
            let bucket = leadingZeroCountBase - (value | subBucketMask).leadingZeroBitCount
            let subBucket = Int(value >> UInt64(bucket + unitMagnitude))
            return ((bucket + 1) << subBucketHalfCountMagnitude) + (subBucket - subBucketHalfCount)
        }

        func value(at index: Int) -> UInt64 {
            var bucket = (index >> subBucketHalfCountMagnitude) - 1
            var subBucket = (index & (subBucketHalfCount - 1)) + subBucketHalfCount
            if bucket < 0 {
                subBucket -= subBucketHalfCount
                bucket = 0
            }
            return UInt64(subBucket) << UInt64(bucket + unitMagnitude)
        }
    }

    /// The compressed V2 encoding of `h`, base64.
    static func encode(_ h: Histogram<UInt32>) -> String {
        let digits = Int(h.numberOfSignificantValueDigits.rawValue)
        let layout = Layout(lowest: h.lowestDiscernibleValue, digits: digits)
        var payload: [UInt8] = []
        var next = 0
        for v in h.recordedValues() where v.count > 0 {
            let i = layout.index(of: v.value)
            let zeros = i - next
            if zeros == 1 { putZigZag(0, &payload) } else if zeros > 1 { putZigZag(-Int64(zeros), &payload) }
            putZigZag(Int64(v.count), &payload)
            next = i + 1
        }
        var plain: [UInt8] = []
        put32(v2Cookie, &plain)
        put32(UInt32(payload.count), &plain)
        put32(0, &plain)
        put32(UInt32(digits), &plain)
        put64(h.lowestDiscernibleValue, &plain)
        put64(h.highestTrackableValue, &plain)
        put64(Double(1).bitPattern, &plain)
        plain += payload
        var bound = compressBound(uLong(plain.count))
        var deflated = [UInt8](repeating: 0, count: Int(bound))
        let status = deflated.withUnsafeMutableBufferPointer { out in
            plain.withUnsafeBufferPointer { src in
                compress2(out.baseAddress, &bound, src.baseAddress, uLong(src.count), Z_DEFAULT_COMPRESSION)
            }
        }
        // compress2 fails only without memory or with a buffer smaller than compressBound: neither happens here.
        guard status == Z_OK else { return "" }
        var out: [UInt8] = []
        put32(compressedCookie, &out)
        put32(UInt32(bound), &out)
        out += deflated.prefix(Int(bound))
        return Data(out).base64EncodedString()
    }

    /// The histogram `text` encodes (compressed V2, base64), with its counts in `record`'s calls.
    static func decode(
        _ text: String, record: (_ value: UInt64, _ count: UInt64) -> Void
    ) throws(DecodingError) -> (lowest: UInt64, highest: UInt64, digits: Int) {
        guard let data = Data(base64Encoded: text) else { throw DecodingError(message: "not base64") }
        let bytes = [UInt8](data)
        guard bytes.count >= 8, get32(bytes, 0) == compressedCookie else {
            throw DecodingError(message: "not a compressed V2 HdrHistogram (cookie 0x1c849314)")
        }
        let length = Int(get32(bytes, 4))
        guard length <= bytes.count - 8 else { throw DecodingError(message: "the compressed length passes the end") }
        let plain = try inflate(Array(bytes[8..<(8 + length)]))
        guard plain.count >= 40, get32(plain, 0) == v2Cookie else {
            throw DecodingError(message: "the contents are not a V2 histogram (cookie 0x1c849313)")
        }
        let payloadLength = Int(get32(plain, 4))
        let digits = Int(get32(plain, 12))
        let lowest = get64(plain, 16)
        let highest = get64(plain, 24)
        guard payloadLength <= plain.count - 40, (0...5).contains(digits), lowest >= 1, highest >= 2 * lowest else {
            throw DecodingError(message: "a header value is out of range")
        }
        let layout = Layout(lowest: lowest, digits: digits)
        var at = 40
        let end = 40 + payloadLength
        var index = 0
        while at < end {
            let n = try getZigZag(plain, &at, end)
            if n < 0 {
                let (sum, overflow) = index.addingReportingOverflow(Int(clamping: -n))
                guard !overflow else { throw DecodingError(message: "a run of zeros overflows") }
                index = sum
            } else {
                if n > 0 {
                    guard index < 1 << 40 else { throw DecodingError(message: "an index passes any histogram") }
                    record(layout.value(at: index), UInt64(n))
                }
                index += 1
            }
        }
        return (lowest, highest, digits)
    }

    static func inflate(_ input: [UInt8]) throws(DecodingError) -> [UInt8] {
        var size = max(1_024, input.count * 8)
        while size <= 1 << 28 {
            var out = [UInt8](repeating: 0, count: size)
            var length = uLong(size)
            let status = out.withUnsafeMutableBufferPointer { o in
                input.withUnsafeBufferPointer { i in uncompress(o.baseAddress, &length, i.baseAddress, uLong(i.count)) }
            }
            if status == Z_OK { return Array(out.prefix(Int(length))) }
            guard status == Z_BUF_ERROR else { throw DecodingError(message: "the zlib stream is damaged") }
            size *= 4
        }
        throw DecodingError(message: "the histogram is larger than 256 MB")
    }

    /// HdrHistogram's ZigZag LEB128: 7 bits a byte, the 9th byte with all 8.
    static func putZigZag(_ value: Int64, _ out: inout [UInt8]) {
        var v = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        for _ in 0..<8 {
            if v >> 7 == 0 {
                out.append(UInt8(v))
                return
            }
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(truncatingIfNeeded: v))
    }

    static func getZigZag(_ bytes: [UInt8], _ at: inout Int, _ end: Int) throws(DecodingError) -> Int64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        for k in 0..<9 {
            guard at < end else { throw DecodingError(message: "a count is cut off") }
            let b = bytes[at]
            at += 1
            if k == 8 {
                v |= UInt64(b) << 56
                break
            }
            v |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
        }
        return Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1)
    }

    static func put32(_ v: UInt32, _ out: inout [UInt8]) {
        for s in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: v >> UInt32(s))) }
    }

    static func put64(_ v: UInt64, _ out: inout [UInt8]) {
        for s in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: v >> UInt64(s))) }
    }

    static func get32(_ b: [UInt8], _ at: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 << 8 | UInt32(b[at + $1]) }
    }

    static func get64(_ b: [UInt8], _ at: Int) -> UInt64 {
        (0..<8).reduce(0) { $0 << 8 | UInt64(b[at + $1]) }
    }
}

extension LatencyHistogram {
    /// The distribution in HdrHistogram's standard compressed encoding, base64 (nil when empty). The exact count,
    /// sum, minimum and maximum are kept beside it (`summary.json`), since the encoding holds bucket counts only.
    public var encoded: String? { histogram.map(HistogramEncoding.encode) }

    /// A histogram from its encoding and the exact figures kept beside it (without `minimum`, the low end of the
    /// lowest bucket). Without `resolution`, the encoding's
    /// lowest discernible value chooses it (1 ms or more: `.milliseconds`); values land in the same buckets either
    /// way, since both layouts are HdrHistogram's.
    public init(
        encoded text: String, resolution: Resolution? = nil, count: Int, sum: Int64, minimum: Int64?, maximum: Int64
    ) throws(HistogramEncoding.DecodingError) {
        var values: [(UInt64, UInt64)] = []
        let header = try HistogramEncoding.decode(text) { value, n in values.append((value, n)) }
        self.init(resolution: resolution ?? (header.lowest >= 1_000 ? .milliseconds : .microseconds))
        var h = makeHistogram()
        var total: UInt64 = 0
        for (value, n) in values {
            guard let bucket = UInt32(exactly: n) else {
                throw HistogramEncoding.DecodingError(message: "a bucket holds \(n) values, more than 2^32 − 1")
            }
            // The top of the bucket, as the original's percentiles (its highest equivalent value, capped at the
            // exact maximum) would give: recording the bottom would cap every percentile there.
            h.record(h.highestEquivalentForValue(value), count: bucket)
            total &+= n
        }
        guard total == UInt64(max(count, 0)) else {
            throw HistogramEncoding.DecodingError(
                message: "the encoding holds \(total) values, the summary says \(count)")
        }
        histogram = count > 0 ? h : nil
        self.count = count
        self.sum = sum
        self.minimum = minimum ?? h.lowestEquivalentForValue(h.min).clampedMicroseconds
        self.maximum = maximum
    }

}

extension UInt64 {
    fileprivate var clampedMicroseconds: Int64 { Int64(clamping: self) }
}
