import MinnowGGUF

/// Straightforward scalar dequantization of the weight types the supported models use.
///
/// Used for embedding rows and as the fallback matrix kernel: correct, not fast.
package enum ReferenceDequantizer {
    /// The types ``dequantize(_:from:count:into:)`` handles.
    package static let supportedTypes: Set<GGMLType> = [.f32, .f16, .q4_0, .q4_1, .q5_0, .q8_0, .q4_K, .q6_K]

    @inline(__always)
    private static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        Half.toFloat(p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    /// Dequantizes `count` elements (a whole number of blocks) of `type` at `source`.
    /// Returns false for an unsupported type.
    @discardableResult
    package static func dequantize(_ type: GGMLType, from source: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>) -> Bool {
        let blocks = count / type.blockSize
        switch type {
        case .f32:
            out.update(from: source.assumingMemoryBound(to: Float.self), count: count)
        case .f16:
            for i in 0..<count { out[i] = half(source, 2 * i) }
        case .q4_0:
            for b in 0..<blocks {
                let p = source + b * 18, y = out + b * 32
                let d = half(p, 0)
                for j in 0..<16 {
                    let q = p.load(fromByteOffset: 2 + j, as: UInt8.self)
                    y[j] = Float(Int(q & 0xF) - 8) * d
                    y[j + 16] = Float(Int(q >> 4) - 8) * d
                }
            }
        case .q4_1:
            for b in 0..<blocks {
                let p = source + b * 20, y = out + b * 32
                let d = half(p, 0), m = half(p, 2)
                for j in 0..<16 {
                    let q = p.load(fromByteOffset: 4 + j, as: UInt8.self)
                    y[j] = Float(q & 0xF) * d + m
                    y[j + 16] = Float(q >> 4) * d + m
                }
            }
        case .q5_0:
            for b in 0..<blocks {
                let p = source + b * 22, y = out + b * 32
                let d = half(p, 0)
                let qh = p.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
                for j in 0..<16 {
                    let q = UInt32(p.load(fromByteOffset: 6 + j, as: UInt8.self))
                    let h0 = ((qh >> UInt32(j)) << 4) & 0x10
                    let h1 = (qh >> UInt32(j + 12)) & 0x10
                    y[j] = Float(Int32((q & 0xF) | h0) - 16) * d
                    y[j + 16] = Float(Int32((q >> 4) | h1) - 16) * d
                }
            }
        case .q8_0:
            for b in 0..<blocks {
                let p = source + b * 34, y = out + b * 32
                let d = half(p, 0)
                for j in 0..<32 { y[j] = Float(p.load(fromByteOffset: 2 + j, as: Int8.self)) * d }
            }
        case .q4_K:
            for b in 0..<blocks {
                let p = source + b * 144
                var y = out + b * 256
                let d = half(p, 0), dmin = half(p, 2)
                let scales = p + 4
                var q = p + 16
                for group in 0..<4 {
                    let (sc1, m1) = scaleMinK4(2 * group, scales)
                    let (sc2, m2) = scaleMinK4(2 * group + 1, scales)
                    let d1 = d * Float(sc1), min1 = dmin * Float(m1)
                    let d2 = d * Float(sc2), min2 = dmin * Float(m2)
                    for l in 0..<32 {
                        let v = q.load(fromByteOffset: l, as: UInt8.self)
                        y[l] = d1 * Float(v & 0xF) - min1
                        y[l + 32] = d2 * Float(v >> 4) - min2
                    }
                    y += 64
                    q += 32
                }
            }
        case .q6_K:
            for b in 0..<blocks {
                let p = source + b * 210
                var y = out + b * 256
                var ql = p, qh = p + 128, sc = p + 192
                let d = half(p, 208)
                for _ in 0..<2 {
                    for l in 0..<32 {
                        let s = l / 16
                        let l0 = Int32(ql.load(fromByteOffset: l, as: UInt8.self))
                        let l32 = Int32(ql.load(fromByteOffset: l + 32, as: UInt8.self))
                        let h = Int32(qh.load(fromByteOffset: l, as: UInt8.self))
                        let q1 = ((l0 & 0xF) | ((h & 3) << 4)) - 32
                        let q2 = ((l32 & 0xF) | (((h >> 2) & 3) << 4)) - 32
                        let q3 = ((l0 >> 4) | (((h >> 4) & 3) << 4)) - 32
                        let q4 = ((l32 >> 4) | (((h >> 6) & 3) << 4)) - 32
                        y[l] = d * Float(sc.load(fromByteOffset: s, as: Int8.self)) * Float(q1)
                        y[l + 32] = d * Float(sc.load(fromByteOffset: s + 2, as: Int8.self)) * Float(q2)
                        y[l + 64] = d * Float(sc.load(fromByteOffset: s + 4, as: Int8.self)) * Float(q3)
                        y[l + 96] = d * Float(sc.load(fromByteOffset: s + 6, as: Int8.self)) * Float(q4)
                    }
                    y += 128
                    ql += 64
                    qh += 32
                    sc += 8
                }
            }
        default:
            return false
        }
        return true
    }

    /// The 6-bit scale and min of sub-block `j` of a Q4_K/Q5_K block.
    @inline(__always)
    package static func scaleMinK4(_ j: Int, _ q: UnsafeRawPointer) -> (UInt8, UInt8) {
        func at(_ i: Int) -> UInt8 { q.load(fromByteOffset: i, as: UInt8.self) }
        if j < 4 { return (at(j) & 63, at(j + 4) & 63) }
        return ((at(j + 4) & 0xF) | ((at(j - 4) >> 6) << 4), (at(j + 4) >> 4) | ((at(j) >> 6) << 4))
    }
}
