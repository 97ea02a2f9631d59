/// Q4_K weights · Q8_K activations.
///
/// Per super-block: d_w · d_x · Σ_k sc_k · (Σ q·x over sub-block k) - dmin_w · d_x · Σ_k m_k ·
/// (Σ x over sub-block k), the second sum coming from the activation's 16-element partial sums.
package enum DotQ4_K: BlockDotKernel {
    package static var blockSize: Int { 256 }
    package static var weightBlockBytes: Int { 144 }
    package static var activationBlockBytes: Int { 292 }

    /// The 8 scales and 8 minimums of a super-block, one byte each, little-endian in a UInt64.
    @inline(__always)
    static func scalesAndMins(_ wb: UnsafeRawPointer) -> (scales: UInt64, mins: UInt64) {
        let s0 = wb.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        let s1 = wb.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        let s2 = wb.loadUnaligned(fromByteOffset: 12, as: UInt32.self)
        let low6: UInt32 = 0x3f3f_3f3f, low4: UInt32 = 0x0f0f_0f0f, low2: UInt32 = 0x0303_0303
        let scalesLow = s0 & low6
        let minsLow = s1 & low6
        let scalesHigh = (s2 & low4) | (((s0 >> 6) & low2) << 4)
        let minsHigh = ((s2 >> 4) & low4) | (((s1 >> 6) & low2) << 4)
        return (UInt64(scalesLow) | UInt64(scalesHigh) << 32, UInt64(minsLow) | UInt64(minsHigh) << 32)
    }

    /// Σ_k m_k · (sum of the 32 activation quants of sub-block k).
    @inline(__always)
    static func minimumTerm(_ mins: UInt64, _ ab: UnsafeRawPointer) -> Int32 {
        let sums = KernelSIMD.pairSum(ab.loadUnaligned(fromByteOffset: 260, as: SIMD16<Int16>.self))
        let m = unsafeBitCast(mins, to: SIMD8<UInt8>.self)
        let mw = SIMD8<Int32>(Int32(m[0]), Int32(m[1]), Int32(m[2]), Int32(m[3]),
                              Int32(m[4]), Int32(m[5]), Int32(m[6]), Int32(m[7]))
        return (sums &* mw).wrappedSum()
    }

    @inline(__always)
    static func scale(_ scales: UInt64, _ k: Int) -> Int32 {
        Int32(truncatingIfNeeded: (scales >> UInt64(8 * k)) & 0xff)
    }

    package static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc: Float = 0
        var minimums: Float = 0
        for b in 0..<blocks {
            let wb = w + 144 * b, ab = a + 292 * b
            let dx = ab.loadUnaligned(as: Float.self)
            let (scales, mins) = scalesAndMins(wb)
            var isum = SIMD8<Int32>()
            for j in 0..<4 {
                let n = KernelSIMD.nibbles32(wb + 16 + 32 * j)
                let x = ab + 4 + 64 * j
                let low = KernelSIMD.dot32(n.lowEven, n.lowOdd, KernelSIMD.splitInt8(x))
                let high = KernelSIMD.dot32(n.highEven, n.highOdd, KernelSIMD.splitInt8(x + 32))
                isum &+= low &* scale(scales, 2 * j) &+ high &* scale(scales, 2 * j + 1)
            }
            acc += Float(isum.wrappedSum()) * (KernelSIMD.half(wb, 0) * dx)
            minimums += KernelSIMD.half(wb, 2) * dx * Float(minimumTerm(mins, ab))
        }
        return acc - minimums
    }

    /// ``dot(_:_:blocks:)`` with the activation quants already split (``SplitActivations``); `a`
    /// still supplies the scales and partial sums. Same operations, same result bits.
    @inline(__always)
    package static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, split: UnsafePointer<SIMD16<Int16>>, blocks: Int) -> Float {
        var acc: Float = 0
        var minimums: Float = 0
        for b in 0..<blocks {
            let wb = w + 144 * b, ab = a + 292 * b
            let xs = split + 16 * b
            let dx = ab.loadUnaligned(as: Float.self)
            let (scales, mins) = scalesAndMins(wb)
            var isum = SIMD8<Int32>()
            for j in 0..<4 {
                let n = KernelSIMD.nibbles32(wb + 16 + 32 * j)
                let low = KernelSIMD.dot32(n.lowEven, n.lowOdd, (xs[4 * j], xs[4 * j + 1]))
                let high = KernelSIMD.dot32(n.highEven, n.highOdd, (xs[4 * j + 2], xs[4 * j + 3]))
                isum &+= low &* scale(scales, 2 * j) &+ high &* scale(scales, 2 * j + 1)
            }
            acc += Float(isum.wrappedSum()) * (KernelSIMD.half(wb, 0) * dx)
            minimums += KernelSIMD.half(wb, 2) * dx * Float(minimumTerm(mins, ab))
        }
        return acc - minimums
    }

    package static func dot4(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, stride: Int, blocks: Int) -> SIMD4<Float> {
        var acc = SIMD4<Float>()
        var minimums = SIMD4<Float>()
        for b in 0..<blocks {
            let wb = w + 144 * b, ab = a + 292 * b
            let (scales, mins) = scalesAndMins(wb)
            var i0 = SIMD8<Int32>(), i1 = SIMD8<Int32>(), i2 = SIMD8<Int32>(), i3 = SIMD8<Int32>()
            for j in 0..<4 {
                let n = KernelSIMD.nibbles32(wb + 16 + 32 * j)
                let sLow = scale(scales, 2 * j), sHigh = scale(scales, 2 * j + 1)
                let x = ab + 4 + 64 * j
                i0 &+= KernelSIMD.dot32(n.lowEven, n.lowOdd, KernelSIMD.splitInt8(x)) &* sLow
                    &+ KernelSIMD.dot32(n.highEven, n.highOdd, KernelSIMD.splitInt8(x + 32)) &* sHigh
                i1 &+= KernelSIMD.dot32(n.lowEven, n.lowOdd, KernelSIMD.splitInt8(x + stride)) &* sLow
                    &+ KernelSIMD.dot32(n.highEven, n.highOdd, KernelSIMD.splitInt8(x + stride + 32)) &* sHigh
                i2 &+= KernelSIMD.dot32(n.lowEven, n.lowOdd, KernelSIMD.splitInt8(x + 2 * stride)) &* sLow
                    &+ KernelSIMD.dot32(n.highEven, n.highOdd, KernelSIMD.splitInt8(x + 2 * stride + 32)) &* sHigh
                i3 &+= KernelSIMD.dot32(n.lowEven, n.lowOdd, KernelSIMD.splitInt8(x + 3 * stride)) &* sLow
                    &+ KernelSIMD.dot32(n.highEven, n.highOdd, KernelSIMD.splitInt8(x + 3 * stride + 32)) &* sHigh
            }
            let d = KernelSIMD.half(wb, 0), dmin = KernelSIMD.half(wb, 2)
            let dx = SIMD4<Float>(ab.loadUnaligned(as: Float.self), (ab + stride).loadUnaligned(as: Float.self),
                                  (ab + 2 * stride).loadUnaligned(as: Float.self), (ab + 3 * stride).loadUnaligned(as: Float.self))
            acc[0] += Float(i0.wrappedSum()) * (d * dx[0])
            acc[1] += Float(i1.wrappedSum()) * (d * dx[1])
            acc[2] += Float(i2.wrappedSum()) * (d * dx[2])
            acc[3] += Float(i3.wrappedSum()) * (d * dx[3])
            let m = SIMD4<Float>(Float(minimumTerm(mins, ab)), Float(minimumTerm(mins, ab + stride)),
                                 Float(minimumTerm(mins, ab + 2 * stride)), Float(minimumTerm(mins, ab + 3 * stride)))
            minimums += dmin * dx * m
        }
        return acc - minimums
    }
}
