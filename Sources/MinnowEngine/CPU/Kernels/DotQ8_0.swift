/// Q8_0 weights · Q8_0 activations: per block, an Int16-lane integer dot scaled by d_w · d_x.
package enum DotQ8_0: BlockDotKernel {
    package static var blockSize: Int { 32 }
    package static var weightBlockBytes: Int { 34 }
    package static var activationBlockBytes: Int { 34 }

    package static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc = SIMD8<Float>()
        for b in 0..<blocks {
            let wb = w + 34 * b, ab = a + 34 * b
            let q = KernelSIMD.splitInt8(wb + 2)
            let s = KernelSIMD.dot32(q.even, q.odd, KernelSIMD.splitInt8(ab + 2))
            acc += KernelSIMD.smallToFloat(s) * (KernelSIMD.half(wb, 0) * KernelSIMD.half(ab, 0))
        }
        return acc.sum()
    }

    package static func dot4(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, stride: Int, blocks: Int) -> SIMD4<Float> {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>(), acc2 = SIMD8<Float>(), acc3 = SIMD8<Float>()
        for b in 0..<blocks {
            let wb = w + 34 * b, ab = a + 34 * b
            let q = KernelSIMD.splitInt8(wb + 2)
            let d = KernelSIMD.half(wb, 0)
            acc0 += KernelSIMD.smallToFloat(KernelSIMD.dot32(q.even, q.odd, KernelSIMD.splitInt8(ab + 2))) * (d * KernelSIMD.half(ab, 0))
            acc1 += KernelSIMD.smallToFloat(KernelSIMD.dot32(q.even, q.odd, KernelSIMD.splitInt8(ab + stride + 2))) * (d * KernelSIMD.half(ab + stride, 0))
            acc2 += KernelSIMD.smallToFloat(KernelSIMD.dot32(q.even, q.odd, KernelSIMD.splitInt8(ab + 2 * stride + 2))) * (d * KernelSIMD.half(ab + 2 * stride, 0))
            acc3 += KernelSIMD.smallToFloat(KernelSIMD.dot32(q.even, q.odd, KernelSIMD.splitInt8(ab + 3 * stride + 2))) * (d * KernelSIMD.half(ab + 3 * stride, 0))
        }
        return SIMD4(acc0.sum(), acc1.sum(), acc2.sum(), acc3.sum())
    }
}
