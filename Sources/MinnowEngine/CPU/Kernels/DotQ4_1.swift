/// Q4_1 / Q5_1 weights · Q8_1 activations: d_w · d_x · Σ q·x + m_w · s_x per block, where
/// s_x = d_x · Σx is stored in the Q8_1 block (as ggml does).
package enum DotQ4_1: BlockDotKernel {
    package static var blockSize: Int { 32 }
    package static var weightBlockBytes: Int { 20 }
    package static var activationBlockBytes: Int { 36 }

    package static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc = SIMD8<Float>()
        var offsets: Float = 0
        for b in 0..<blocks {
            let wb = w + 20 * b, ab = a + 36 * b
            let n = KernelSIMD.nibbles16(wb + 4)
            let s = KernelSIMD.dot32(n.even, n.odd, KernelSIMD.splitInt8(ab + 4))
            acc += KernelSIMD.smallToFloat(s) * (KernelSIMD.half(wb, 0) * KernelSIMD.half(ab, 0))
            offsets += KernelSIMD.half(wb, 2) * KernelSIMD.half(ab, 2)
        }
        return acc.sum() + offsets
    }

    package static func dot4(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, stride: Int, blocks: Int) -> SIMD4<Float> {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>(), acc2 = SIMD8<Float>(), acc3 = SIMD8<Float>()
        var offsets = SIMD4<Float>()
        for b in 0..<blocks {
            let wb = w + 20 * b, ab = a + 36 * b
            let n = KernelSIMD.nibbles16(wb + 4)
            let d = KernelSIMD.half(wb, 0), m = KernelSIMD.half(wb, 2)
            acc0 += KernelSIMD.smallToFloat(KernelSIMD.dot32(n.even, n.odd, KernelSIMD.splitInt8(ab + 4))) * (d * KernelSIMD.half(ab, 0))
            acc1 += KernelSIMD.smallToFloat(KernelSIMD.dot32(n.even, n.odd, KernelSIMD.splitInt8(ab + stride + 4))) * (d * KernelSIMD.half(ab + stride, 0))
            acc2 += KernelSIMD.smallToFloat(KernelSIMD.dot32(n.even, n.odd, KernelSIMD.splitInt8(ab + 2 * stride + 4))) * (d * KernelSIMD.half(ab + 2 * stride, 0))
            acc3 += KernelSIMD.smallToFloat(KernelSIMD.dot32(n.even, n.odd, KernelSIMD.splitInt8(ab + 3 * stride + 4))) * (d * KernelSIMD.half(ab + 3 * stride, 0))
            offsets += m * SIMD4(KernelSIMD.half(ab, 2), KernelSIMD.half(ab + stride, 2),
                                 KernelSIMD.half(ab + 2 * stride, 2), KernelSIMD.half(ab + 3 * stride, 2))
        }
        return SIMD4(acc0.sum(), acc1.sum(), acc2.sum(), acc3.sum()) + offsets
    }
}

/// Q5_1 weights · Q8_1 activations (see ``DotQ4_1``), with the fifth bit from `qh`.
package enum DotQ5_1: BlockDotKernel {
    package static var blockSize: Int { 32 }
    package static var weightBlockBytes: Int { 24 }
    package static var activationBlockBytes: Int { 36 }

    @inline(__always)
    static func weights(_ wb: UnsafeRawPointer) -> (SIMD16<Int16>, SIMD16<Int16>) {
        let n = KernelSIMD.nibbles16(wb + 8)
        let h = KernelSIMD.fifthBits(wb.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        return (n.even | h.even, n.odd | h.odd)
    }

    package static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc = SIMD8<Float>()
        var offsets: Float = 0
        for b in 0..<blocks {
            let wb = w + 24 * b, ab = a + 36 * b
            let (e, o) = weights(wb)
            let s = KernelSIMD.dot32(e, o, KernelSIMD.splitInt8(ab + 4))
            acc += KernelSIMD.smallToFloat(s) * (KernelSIMD.half(wb, 0) * KernelSIMD.half(ab, 0))
            offsets += KernelSIMD.half(wb, 2) * KernelSIMD.half(ab, 2)
        }
        return acc.sum() + offsets
    }

    package static func dot4(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, stride: Int, blocks: Int) -> SIMD4<Float> {
        SIMD4(dot(w, a, blocks: blocks), dot(w, a + stride, blocks: blocks),
              dot(w, a + 2 * stride, blocks: blocks), dot(w, a + 3 * stride, blocks: blocks))
    }
}
