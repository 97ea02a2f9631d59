import MinnowGGUF

/// The weight element of a float format, widened to Float eight lanes at a time.
package protocol FloatWeightFormat {
    /// Bytes per element.
    static var elementBytes: Int { get }
    /// Elements `i..<i+8` of the row at `p` as Float.
    static func load8(_ p: UnsafeRawPointer, _ i: Int) -> SIMD8<Float>
    /// Element `i` of the row at `p` as Float.
    static func load1(_ p: UnsafeRawPointer, _ i: Int) -> Float
}

/// F32 weights.
package enum F32Weights: FloatWeightFormat {
    package static var elementBytes: Int { 4 }
    @inline(__always) package static func load8(_ p: UnsafeRawPointer, _ i: Int) -> SIMD8<Float> {
        p.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
    }
    @inline(__always) package static func load1(_ p: UnsafeRawPointer, _ i: Int) -> Float {
        p.loadUnaligned(fromByteOffset: 4 * i, as: Float.self)
    }
}

/// F16 weights, converted with integer bit operations (no library call on baseline x86-64).
package enum F16Weights: FloatWeightFormat {
    package static var elementBytes: Int { 2 }
    @inline(__always) package static func load8(_ p: UnsafeRawPointer, _ i: Int) -> SIMD8<Float> {
        let h = p.loadUnaligned(fromByteOffset: 2 * i, as: SIMD8<UInt16>.self)
        let bits = SIMD8<UInt32>(UInt32(h[0]), UInt32(h[1]), UInt32(h[2]), UInt32(h[3]),
                                 UInt32(h[4]), UInt32(h[5]), UInt32(h[6]), UInt32(h[7]))
        let magnitude = bits & 0x7fff
        let sign = (bits & 0x8000) &<< 16
        // Normal and subnormal halves: place the bits in a float and rescale by 2^112 (exact).
        let scaled = unsafeBitCast(magnitude &<< 13, to: SIMD8<Float>.self) * Float(bitPattern: 0x7780_0000)
        // Infinities and NaNs (magnitude ≥ 0x7c00) keep an all-ones exponent; selected with bit
        // operations, since SIMD mask operations compile to slow generic code here.
        let special = SIMD8<UInt32>.zero &- ((magnitude &+ 0x0400) &>> 15)
        let infinite = (magnitude &<< 13) | 0x7f80_0000
        let out = (unsafeBitCast(scaled, to: SIMD8<UInt32>.self) & ~special) | (infinite & special)
        return unsafeBitCast(out | sign, to: SIMD8<Float>.self)
    }
    @inline(__always) package static func load1(_ p: UnsafeRawPointer, _ i: Int) -> Float {
        HalfPrecision.float(fromHalf: p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
    }
}

/// BF16 weights (the top half of a float).
package enum BF16Weights: FloatWeightFormat {
    package static var elementBytes: Int { 2 }
    @inline(__always) package static func load8(_ p: UnsafeRawPointer, _ i: Int) -> SIMD8<Float> {
        let h = p.loadUnaligned(fromByteOffset: 2 * i, as: SIMD8<UInt16>.self)
        let bits = SIMD8<UInt32>(UInt32(h[0]), UInt32(h[1]), UInt32(h[2]), UInt32(h[3]),
                                 UInt32(h[4]), UInt32(h[5]), UInt32(h[6]), UInt32(h[7]))
        return unsafeBitCast(bits &<< 16, to: SIMD8<Float>.self)
    }
    @inline(__always) package static func load1(_ p: UnsafeRawPointer, _ i: Int) -> Float {
        HalfPrecision.float(fromBFloat16: p.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
    }
}

/// Float weights of format `F` · F32 activations.
package enum DotFloat<F: FloatWeightFormat>: BlockDotKernel {
    package static var blockSize: Int { 1 }
    package static var weightBlockBytes: Int { F.elementBytes }
    package static var activationBlockBytes: Int { 4 }

    @inline(__always)
    static func x8(_ a: UnsafeRawPointer, _ i: Int) -> SIMD8<Float> {
        a.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
    }

    /// One accumulator, eight lanes, then the scalar tail: exactly the operations ``dot4(_:_:stride:blocks:)``
    /// does per activation row, so a row's result does not depend on the batch it is in.
    package static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks count: Int) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            acc += F.load8(w, i) * x8(a, i)
            i += 8
        }
        var tail: Float = 0
        while i < count {
            tail += F.load1(w, i) * a.loadUnaligned(fromByteOffset: 4 * i, as: Float.self)
            i += 1
        }
        return acc.sum() + tail
    }

    package static func dot4(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, stride: Int, blocks count: Int) -> SIMD4<Float> {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>(), acc2 = SIMD8<Float>(), acc3 = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            let v = F.load8(w, i)
            acc0 += v * x8(a, i)
            acc1 += v * x8(a + stride, i)
            acc2 += v * x8(a + 2 * stride, i)
            acc3 += v * x8(a + 3 * stride, i)
            i += 8
        }
        var tail = SIMD4<Float>()
        while i < count {
            let v = F.load1(w, i)
            tail += v * SIMD4((a).loadUnaligned(fromByteOffset: 4 * i, as: Float.self),
                              (a + stride).loadUnaligned(fromByteOffset: 4 * i, as: Float.self),
                              (a + 2 * stride).loadUnaligned(fromByteOffset: 4 * i, as: Float.self),
                              (a + 3 * stride).loadUnaligned(fromByteOffset: 4 * i, as: Float.self))
            i += 1
        }
        return SIMD4(acc0.sum(), acc1.sum(), acc2.sum(), acc3.sum()) + tail
    }
}
