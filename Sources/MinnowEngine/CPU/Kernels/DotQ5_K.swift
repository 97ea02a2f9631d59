/// Q5_K weights · Q8_K activations: as ``DotQ4_K`` with a fifth bit per quant from `qh`.
package enum DotQ5_K: BlockDotKernel {
    package static var blockSize: Int { 256 }
    package static var weightBlockBytes: Int { 176 }
    package static var activationBlockBytes: Int { 292 }

    package static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc: Float = 0
        var minimums: Float = 0
        let low4 = SIMD16<UInt16>(repeating: 0x0f), one = SIMD16<UInt16>(repeating: 1)
        for b in 0..<blocks {
            let wb = w + 176 * b, ab = a + 292 * b
            let dx = ab.loadUnaligned(as: Float.self)
            let (scales, mins) = DotQ4_K.scalesAndMins(wb)
            let qh = wb.loadUnaligned(fromByteOffset: 16, as: SIMD16<UInt16>.self)
            var isum = SIMD8<Int32>()
            for j in 0..<4 {
                let q = wb.loadUnaligned(fromByteOffset: 48 + 32 * j, as: SIMD16<UInt16>.self)
                let s0 = UInt16(2 * j), s1 = UInt16(2 * j + 1)
                let lowEven = (q & low4) | (((qh &>> s0) & one) &<< 4)
                let lowOdd = ((q &>> 8) & low4) | (((qh &>> (s0 + 8)) & one) &<< 4)
                let highEven = ((q &>> 4) & low4) | (((qh &>> s1) & one) &<< 4)
                let highOdd = (q &>> 12) | (((qh &>> (s1 + 8)) & one) &<< 4)
                let x = ab + 4 + 64 * j
                let low = KernelSIMD.dot32(unsafeBitCast(lowEven, to: SIMD16<Int16>.self), unsafeBitCast(lowOdd, to: SIMD16<Int16>.self),
                                           KernelSIMD.splitInt8(x))
                let high = KernelSIMD.dot32(unsafeBitCast(highEven, to: SIMD16<Int16>.self), unsafeBitCast(highOdd, to: SIMD16<Int16>.self),
                                            KernelSIMD.splitInt8(x + 32))
                isum &+= low &* DotQ4_K.scale(scales, 2 * j) &+ high &* DotQ4_K.scale(scales, 2 * j + 1)
            }
            acc += Float(isum.wrappedSum()) * (KernelSIMD.half(wb, 0) * dx)
            minimums += KernelSIMD.half(wb, 2) * dx * Float(DotQ4_K.minimumTerm(mins, ab))
        }
        return acc - minimums
    }

    package static func dot4(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, stride: Int, blocks: Int) -> SIMD4<Float> {
        SIMD4(dot(w, a, blocks: blocks), dot(w, a + stride, blocks: blocks),
              dot(w, a + 2 * stride, blocks: blocks), dot(w, a + 3 * stride, blocks: blocks))
    }
}
