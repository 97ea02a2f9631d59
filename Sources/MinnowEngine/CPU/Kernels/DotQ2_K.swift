import MinnowGGUF

/// Q2_K weights · Q8_K activations: d_w · d_x · Σ_k sc_k · Σ q·x - dmin_w · d_x · Σ_k m_k · Σ x
/// over 16 sub-blocks of 16 (the second sum from the activation's partial sums).
package enum DotQ2_K: BlockDotKernel {
    package static var blockSize: Int { 256 }
    package static var weightBlockBytes: Int { 84 }
    package static var activationBlockBytes: Int { 292 }

    package static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc: Float = 0
        var minimums: Float = 0
        let three = SIMD16<UInt16>(repeating: 3)
        for b in 0..<blocks {
            let wb = w + 84 * b, ab = a + 292 * b
            let dx = ab.loadUnaligned(as: Float.self)
            var isum = SIMD8<Int32>()
            for h in 0..<2 {
                let q = wb.loadUnaligned(fromByteOffset: 16 + 32 * h, as: SIMD16<UInt16>.self)
                for j in 0..<4 {
                    let shift = UInt16(2 * j)
                    let even = unsafeBitCast((q &>> shift) & three, to: SIMD16<Int16>.self)
                    let odd = unsafeBitCast((q &>> (shift + 8)) & three, to: SIMD16<Int16>.self)
                    let p = KernelSIMD.dot32(even, odd, KernelSIMD.splitInt8(ab + 4 + 128 * h + 32 * j))
                    let k = 8 * h + 2 * j
                    let sc = SIMD8<Int32>(lowHalf: SIMD4(repeating: Int32(wb.load(fromByteOffset: k, as: UInt8.self) & 0x0f)),
                                          highHalf: SIMD4(repeating: Int32(wb.load(fromByteOffset: k + 1, as: UInt8.self) & 0x0f)))
                    isum &+= p &* sc
                }
            }
            var minimumSum: Int32 = 0
            for k in 0..<16 {
                let m = Int32(wb.load(fromByteOffset: k, as: UInt8.self) >> 4)
                minimumSum &+= m &* Int32(ab.loadUnaligned(fromByteOffset: 260 + 2 * k, as: Int16.self))
            }
            acc += Float(isum.wrappedSum()) * (KernelSIMD.half(wb, 80) * dx)
            minimums += KernelSIMD.half(wb, 82) * dx * Float(minimumSum)
        }
        return acc - minimums
    }

    package static func dot4(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, stride: Int, blocks: Int) -> SIMD4<Float> {
        SIMD4(dot(w, a, blocks: blocks), dot(w, a + stride, blocks: blocks),
              dot(w, a + 2 * stride, blocks: blocks), dot(w, a + 3 * stride, blocks: blocks))
    }
}

/// Q3_K weights · Q8_K activations: d_w · d_x · Σ_k sc_k · Σ q·x over 16 sub-blocks of 16, with
/// q = low 2 bits - (high bit clear ? 4 : 0).
package enum DotQ3_K: BlockDotKernel {
    package static var blockSize: Int { 256 }
    package static var weightBlockBytes: Int { 110 }
    package static var activationBlockBytes: Int { 292 }

    package static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc: Float = 0
        let three = SIMD16<UInt16>(repeating: 3), one = SIMD16<UInt16>(repeating: 1)
        let four = SIMD16<Int16>(repeating: 4)
        for b in 0..<blocks {
            let wb = w + 110 * b, ab = a + 292 * b
            let hm = wb.loadUnaligned(as: SIMD16<UInt16>.self)
            var isum = SIMD8<Int32>()
            for h in 0..<2 {
                let q = wb.loadUnaligned(fromByteOffset: 32 + 32 * h, as: SIMD16<UInt16>.self)
                for j in 0..<4 {
                    let shift = UInt16(2 * j), bit = UInt16(4 * h + j)
                    let even = ((q &>> shift) & three) | (((hm &>> bit) & one) &<< 2)
                    let odd = ((q &>> (shift + 8)) & three) | (((hm &>> (bit + 8)) & one) &<< 2)
                    let p = KernelSIMD.dot32(unsafeBitCast(even, to: SIMD16<Int16>.self) &- four,
                                             unsafeBitCast(odd, to: SIMD16<Int16>.self) &- four,
                                             KernelSIMD.splitInt8(ab + 4 + 128 * h + 32 * j))
                    let k = 8 * h + 2 * j
                    let sc = SIMD8<Int32>(lowHalf: SIMD4(repeating: KQuantScales.q3Scale(k, wb + 96)),
                                          highHalf: SIMD4(repeating: KQuantScales.q3Scale(k + 1, wb + 96)))
                    isum &+= p &* sc
                }
            }
            acc += Float(isum.wrappedSum()) * (KernelSIMD.half(wb, 108) * ab.loadUnaligned(as: Float.self))
        }
        return acc
    }

    package static func dot4(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, stride: Int, blocks: Int) -> SIMD4<Float> {
        SIMD4(dot(w, a, blocks: blocks), dot(w, a + stride, blocks: blocks),
              dot(w, a + 2 * stride, blocks: blocks), dot(w, a + 3 * stride, blocks: blocks))
    }
}
