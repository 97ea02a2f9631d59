import MinnowGGUF

/// SIMD building blocks shared by the dot-product kernels.
///
/// Integer vectors are widened with shifts on bit-cast lanes, never with SIMD
/// `truncatingIfNeeded` conversions (which the standard library lowers to slow scalar loops).
/// Int8 × Int8 products are formed in Int16 lanes (`pmullw`), summed in pairs and widened to Int32.
package enum KernelSIMD {
    /// Splits 32 int8 values at `p` into the even-indexed and odd-indexed ones, sign-extended to
    /// Int16: lane k of the first vector is element 2k, of the second element 2k + 1.
    @inline(__always)
    package static func splitInt8(_ p: UnsafeRawPointer) -> (even: SIMD16<Int16>, odd: SIMD16<Int16>) {
        let v = p.loadUnaligned(as: SIMD16<Int16>.self)
        return ((v &<< 8) &>> 8, v &>> 8)
    }

    /// Sums adjacent Int16 lanes into Int32 lanes: lane k is p[2k] + p[2k + 1].
    @inline(__always)
    package static func pairSum(_ p: SIMD16<Int16>) -> SIMD8<Int32> {
        let x = unsafeBitCast(p, to: SIMD8<Int32>.self)
        return ((x &<< 16) &>> 16) &+ (x &>> 16)
    }

    /// Σ over 32 elements of (even · aEven + odd · aOdd), as 8 Int32 partial sums. The products
    /// and their pairwise sums must fit in Int16 (|w| · 127 · 2 ≤ 32767).
    @inline(__always)
    package static func dot32(_ wEven: SIMD16<Int16>, _ wOdd: SIMD16<Int16>, _ a: (even: SIMD16<Int16>, odd: SIMD16<Int16>)) -> SIMD8<Int32> {
        pairSum(wEven &* a.even &+ wOdd &* a.odd)
    }

    /// Int32 lanes to Float, exactly, for |v| < 2^22: adds the bits of 1.5 · 2^23 and subtracts
    /// it back as a float. (The standard library's `SIMD8<Float>(SIMD8<Int32>)` is an outlined
    /// generic call here.)
    @inline(__always)
    package static func smallToFloat(_ v: SIMD8<Int32>) -> SIMD8<Float> {
        unsafeBitCast(v &+ SIMD8<Int32>(repeating: 0x4B40_0000), to: SIMD8<Float>.self) - SIMD8<Float>(repeating: 12_582_912)
    }

    /// The float value of the F16 at `p + offset`.
    @inline(__always)
    package static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        HalfPrecision.float(fromHalf: p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    /// The low nibbles (even, odd bytes) and high nibbles (even, odd bytes) of 32 bytes at `p`,
    /// each as 16 Int16 lanes: lane k of `lowEven` is the low nibble of byte 2k, and so on.
    @inline(__always)
    package static func nibbles32(_ p: UnsafeRawPointer)
        -> (lowEven: SIMD16<Int16>, lowOdd: SIMD16<Int16>, highEven: SIMD16<Int16>, highOdd: SIMD16<Int16>) {
        let w = p.loadUnaligned(as: SIMD16<UInt16>.self)
        let mask = SIMD16<UInt16>(repeating: 0x000f)
        return (unsafeBitCast(w & mask, to: SIMD16<Int16>.self),
                unsafeBitCast((w &>> 8) & mask, to: SIMD16<Int16>.self),
                unsafeBitCast((w &>> 4) & mask, to: SIMD16<Int16>.self),
                unsafeBitCast(w &>> 12, to: SIMD16<Int16>.self))
    }

    /// The 32 nibbles of the 16 bytes at `p` in ggml's 32-element block order (element j is the low
    /// nibble of byte j for j < 16, the high nibble of byte j - 16 otherwise), split into even and
    /// odd elements: lane k of `even` is element 2k, of `odd` element 2k + 1.
    @inline(__always)
    package static func nibbles16(_ p: UnsafeRawPointer) -> (even: SIMD16<Int16>, odd: SIMD16<Int16>) {
        let w = p.loadUnaligned(as: SIMD8<UInt16>.self)
        let mask = SIMD8<UInt16>(repeating: 0x000f)
        let even = SIMD16<UInt16>(lowHalf: w & mask, highHalf: (w &>> 4) & mask)
        let odd = SIMD16<UInt16>(lowHalf: (w &>> 8) & mask, highHalf: w &>> 12)
        return (unsafeBitCast(even, to: SIMD16<Int16>.self), unsafeBitCast(odd, to: SIMD16<Int16>.self))
    }

    /// The fifth bits of a Q5 block (`qh`, bit j for element j) as 16 lanes of 0 or 16 for the
    /// even elements and for the odd ones.
    @inline(__always)
    package static func fifthBits(_ qh: UInt32) -> (even: SIMD16<Int16>, odd: SIMD16<Int16>) {
        let halves = SIMD16<UInt16>(lowHalf: SIMD8(repeating: UInt16(truncatingIfNeeded: qh)),
                                    highHalf: SIMD8(repeating: UInt16(truncatingIfNeeded: qh >> 16)))
        let evenMask = SIMD16<UInt16>(1 << 0, 1 << 2, 1 << 4, 1 << 6, 1 << 8, 1 << 10, 1 << 12, 1 << 14,
                                      1 << 0, 1 << 2, 1 << 4, 1 << 6, 1 << 8, 1 << 10, 1 << 12, 1 << 14)
        let evenMove = SIMD16<UInt16>(1 << 15, 1 << 13, 1 << 11, 1 << 9, 1 << 7, 1 << 5, 1 << 3, 1 << 1,
                                      1 << 15, 1 << 13, 1 << 11, 1 << 9, 1 << 7, 1 << 5, 1 << 3, 1 << 1)
        let oddMask = evenMask &<< 1
        let oddMove = evenMove &>> 1
        // Move bit 2k (even) or 2k + 1 (odd) of each half to bit 15 with a multiply, then down to bit 4.
        let even = ((halves & evenMask) &* evenMove) &>> 11
        let odd = ((halves & oddMask) &* oddMove) &>> 11
        return (unsafeBitCast(even, to: SIMD16<Int16>.self), unsafeBitCast(odd, to: SIMD16<Int16>.self))
    }

}
