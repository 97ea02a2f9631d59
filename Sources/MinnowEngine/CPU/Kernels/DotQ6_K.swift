/// Q6_K weights · Q8_K activations: d_w · d_x · Σ_k sc_k · Σ (q - 32)·x over 16 sub-blocks of 16.
package enum DotQ6_K: BlockDotKernel {
    package static var blockSize: Int { 256 }
    package static var weightBlockBytes: Int { 210 }
    package static var activationBlockBytes: Int { 292 }

    /// The signed 6-bit quants of group `s` (0..<4) of half `h` (0..<2): 32 elements
    /// 128·h + 32·s + l, split into even and odd elements.
    @inline(__always)
    static func quants(_ wb: UnsafeRawPointer, h: Int, s: Int) -> (SIMD16<Int16>, SIMD16<Int16>) {
        let ql = wb.loadUnaligned(fromByteOffset: 64 * h + 32 * (s & 1), as: SIMD16<UInt16>.self)
        let qh = wb.loadUnaligned(fromByteOffset: 128 + 32 * h, as: SIMD16<UInt16>.self)
        let nibbleShift = UInt16(4 * (s >> 1)), bitShift = UInt16(2 * s)
        let low4 = SIMD16<UInt16>(repeating: 0x0f), low2 = SIMD16<UInt16>(repeating: 0x03)
        let even = ((ql &>> nibbleShift) & low4) | (((qh &>> bitShift) & low2) &<< 4)
        let odd = ((ql &>> (nibbleShift + 8)) & low4) | (((qh &>> (bitShift + 8)) & low2) &<< 4)
        let offset = SIMD16<Int16>(repeating: 32)
        return (unsafeBitCast(even, to: SIMD16<Int16>.self) &- offset, unsafeBitCast(odd, to: SIMD16<Int16>.self) &- offset)
    }

    /// Scales of the two 16-element sub-blocks of a group, repeated over the 4 lanes each covers.
    @inline(__always)
    static func groupScales(_ wb: UnsafeRawPointer, h: Int, s: Int) -> SIMD8<Int32> {
        let first = Int32(wb.load(fromByteOffset: 192 + 8 * h + 2 * s, as: Int8.self))
        let second = Int32(wb.load(fromByteOffset: 193 + 8 * h + 2 * s, as: Int8.self))
        return SIMD8(lowHalf: SIMD4(repeating: first), highHalf: SIMD4(repeating: second))
    }

    package static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc: Float = 0
        for b in 0..<blocks {
            let wb = w + 210 * b, ab = a + 292 * b
            var isum = SIMD8<Int32>()
            for h in 0..<2 {
                for s in 0..<4 {
                    let (e, o) = quants(wb, h: h, s: s)
                    let p = KernelSIMD.dot32(e, o, KernelSIMD.splitInt8(ab + 4 + 128 * h + 32 * s))
                    isum &+= p &* groupScales(wb, h: h, s: s)
                }
            }
            acc += Float(isum.wrappedSum()) * (KernelSIMD.half(wb, 208) * ab.loadUnaligned(as: Float.self))
        }
        return acc
    }

    /// ``dot(_:_:blocks:)`` with the activation quants already split (``SplitActivations``).
    @inline(__always)
    package static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, split: UnsafePointer<SIMD16<Int16>>, blocks: Int) -> Float {
        var acc: Float = 0
        for b in 0..<blocks {
            let wb = w + 210 * b, ab = a + 292 * b
            let xs = split + 16 * b
            var isum = SIMD8<Int32>()
            for h in 0..<2 {
                for s in 0..<4 {
                    let (e, o) = quants(wb, h: h, s: s)
                    let c = 4 * h + s
                    let p = KernelSIMD.dot32(e, o, (xs[2 * c], xs[2 * c + 1]))
                    isum &+= p &* groupScales(wb, h: h, s: s)
                }
            }
            acc += Float(isum.wrappedSum()) * (KernelSIMD.half(wb, 208) * ab.loadUnaligned(as: Float.self))
        }
        return acc
    }

    package static func dot4(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, stride: Int, blocks: Int) -> SIMD4<Float> {
        var acc = SIMD4<Float>()
        for b in 0..<blocks {
            let wb = w + 210 * b, ab = a + 292 * b
            var i0 = SIMD8<Int32>(), i1 = SIMD8<Int32>(), i2 = SIMD8<Int32>(), i3 = SIMD8<Int32>()
            for h in 0..<2 {
                for s in 0..<4 {
                    let (e, o) = quants(wb, h: h, s: s)
                    let sc = groupScales(wb, h: h, s: s)
                    let x = ab + 4 + 128 * h + 32 * s
                    i0 &+= KernelSIMD.dot32(e, o, KernelSIMD.splitInt8(x)) &* sc
                    i1 &+= KernelSIMD.dot32(e, o, KernelSIMD.splitInt8(x + stride)) &* sc
                    i2 &+= KernelSIMD.dot32(e, o, KernelSIMD.splitInt8(x + 2 * stride)) &* sc
                    i3 &+= KernelSIMD.dot32(e, o, KernelSIMD.splitInt8(x + 3 * stride)) &* sc
                }
            }
            let d = KernelSIMD.half(wb, 208)
            acc[0] += Float(i0.wrappedSum()) * (d * ab.loadUnaligned(as: Float.self))
            acc[1] += Float(i1.wrappedSum()) * (d * (ab + stride).loadUnaligned(as: Float.self))
            acc[2] += Float(i2.wrappedSum()) * (d * (ab + 2 * stride).loadUnaligned(as: Float.self))
            acc[3] += Float(i3.wrappedSum()) * (d * (ab + 3 * stride).loadUnaligned(as: Float.self))
        }
        return acc
    }
}
