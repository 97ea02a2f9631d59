import MinnowGGUF

/// An independent CPU reference for the ggml block formats the shaders read: it builds
/// random but valid blocks (finite f16 scales) and dequantizes them element by element,
/// following the ggml layouts directly rather than the shader code.
enum ReferenceQuant {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
        /// Uniform in [lo, hi).
        mutating func float(_ lo: Float, _ hi: Float) -> Float {
            lo + (hi - lo) * Float(next() >> 40) / Float(1 << 24)
        }
        mutating func floats(_ n: Int, _ lo: Float = -1, _ hi: Float = 1) -> [Float] {
            (0..<n).map { _ in float(lo, hi) }
        }
    }

    static func putF16(_ bytes: inout [UInt8], _ at: Int, _ value: Float) {
        let bits = Float16(value).bitPattern
        bytes[at] = UInt8(bits & 0xFF)
        bytes[at + 1] = UInt8(bits >> 8)
    }

    static func f16(_ bytes: [UInt8], _ at: Int) -> Float {
        Float(Float16(bitPattern: UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8))
    }

    /// Random rows of `type` with `columns` elements each.
    static func randomRows(_ type: GGMLType, rows: Int, columns: Int, rng: inout Random) -> [UInt8] {
        let blocks = rows * columns / type.blockSize
        var out: [UInt8] = []
        out.reserveCapacity(blocks * type.blockBytes)
        for _ in 0..<blocks {
            var b = (0..<type.blockBytes).map { _ in rng.byte() }
            switch type {
            case .f32:
                let bits = rng.float(-1, 1).bitPattern
                for i in 0..<4 { b[i] = UInt8(truncatingIfNeeded: bits >> (8 * UInt32(i))) }
            case .f16: putF16(&b, 0, rng.float(-1, 1))
            case .q8_0, .q4_0, .q5_0: putF16(&b, 0, rng.float(-0.05, 0.05))
            case .q4_1:
                putF16(&b, 0, rng.float(0.001, 0.05))
                putF16(&b, 2, rng.float(-0.2, 0.2))
            case .q4_K, .q5_K:
                putF16(&b, 0, rng.float(0.0005, 0.01))
                putF16(&b, 2, rng.float(0.0005, 0.01))
            case .q6_K: putF16(&b, 208, rng.float(0.0005, 0.01))
            default: break
            }
            out += b
        }
        return out
    }

    /// Dequantizes one row.
    static func dequantizeRow(_ type: GGMLType, _ data: [UInt8], row: Int, columns: Int) -> [Float] {
        let rowBytes = columns / type.blockSize * type.blockBytes
        let base = row * rowBytes
        var out: [Float] = []
        out.reserveCapacity(columns)
        for blk in 0..<(columns / type.blockSize) {
            let b = Array(data[(base + blk * type.blockBytes)..<(base + (blk + 1) * type.blockBytes)])
            out += dequantizeBlock(type, b)
        }
        return out
    }

    static func dequantizeBlock(_ type: GGMLType, _ b: [UInt8]) -> [Float] {
        switch type {
        case .f32:
            return [Float(bitPattern: UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24)]
        case .f16:
            return [f16(b, 0)]
        case .q8_0:
            let d = f16(b, 0)
            return (0..<32).map { d * Float(Int8(bitPattern: b[2 + $0])) }
        case .q4_0:
            let d = f16(b, 0)
            return (0..<32).map { i in
                let q = i < 16 ? b[2 + i] & 15 : b[2 + i - 16] >> 4
                return d * (Float(q) - 8)
            }
        case .q4_1:
            let d = f16(b, 0), m = f16(b, 2)
            return (0..<32).map { i in
                let q = i < 16 ? b[4 + i] & 15 : b[4 + i - 16] >> 4
                return d * Float(q) + m
            }
        case .q5_0:
            let d = f16(b, 0)
            let qh = UInt32(b[2]) | UInt32(b[3]) << 8 | UInt32(b[4]) << 16 | UInt32(b[5]) << 24
            return (0..<32).map { i in
                let low = i < 16 ? b[6 + i] & 15 : b[6 + i - 16] >> 4
                let high = (qh >> UInt32(i)) & 1
                return d * (Float(UInt32(low) | high << 4) - 16)
            }
        case .q4_K, .q5_K:
            let d = f16(b, 0), dmin = f16(b, 2)
            let scales = Array(b[4..<16])
            func scaleMin(_ j: Int) -> (Float, Float) {
                if j < 4 { return (Float(scales[j] & 63), Float(scales[j + 4] & 63)) }
                return (Float((scales[j + 4] & 15) | ((scales[j - 4] >> 6) << 4)),
                        Float((scales[j + 4] >> 4) | ((scales[j] >> 6) << 4)))
            }
            let five = type == .q5_K
            let qs = five ? 48 : 16
            var out = [Float](repeating: 0, count: 256)
            for i in 0..<256 {
                let sub = i / 32, l = i % 32
                let byte = b[qs + (sub / 2) * 32 + l]
                var q = Int(sub % 2 == 0 ? byte & 15 : byte >> 4)
                if five { q += Int((b[16 + l] >> UInt8(sub)) & 1) * 16 }
                let (sc, mn) = scaleMin(sub)
                out[i] = d * sc * Float(q) - dmin * mn
            }
            return out
        case .q6_K:
            let d = f16(b, 208)
            var out = [Float](repeating: 0, count: 256)
            for half in 0..<2 {
                let ql = 64 * half, qh = 128 + 32 * half, sc = 192 + 8 * half
                for l in 0..<32 {
                    let s = l / 16
                    let h = b[qh + l]
                    let q1 = Int((b[ql + l] & 15) | ((h & 3) << 4)) - 32
                    let q2 = Int((b[ql + l + 32] & 15) | (((h >> 2) & 3) << 4)) - 32
                    let q3 = Int((b[ql + l] >> 4) | (((h >> 4) & 3) << 4)) - 32
                    let q4 = Int((b[ql + l + 32] >> 4) | (((h >> 6) & 3) << 4)) - 32
                    func scale(_ k: Int) -> Float { d * Float(Int8(bitPattern: b[sc + s + k])) }
                    out[128 * half + l] = scale(0) * Float(q1)
                    out[128 * half + l + 32] = scale(2) * Float(q2)
                    out[128 * half + l + 64] = scale(4) * Float(q3)
                    out[128 * half + l + 96] = scale(6) * Float(q4)
                }
            }
            return out
        default:
            return []
        }
    }
}
