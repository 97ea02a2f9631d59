#if canImport(MinnowX86AVX2)
import MinnowX86AVX2
import _Builtin_intrinsics.intel

/// A 32-element weight format for the AVX2 kernels: how to expand one block's quants to 32 bytes.
protocol AVX2Block32Format {
    /// Bytes per weight block.
    static var weightBlockBytes: Int { get }
    /// Bytes per activation block (Q8_0: 34, Q8_1: 36).
    static var activationBlockBytes: Int { get }
    /// Byte offset of the int8 quants in an activation block.
    static var activationQuantsOffset: Int { get }
    /// The block's 32 quants as bytes, with their dot product against 32 int8 activations as 8
    /// Int32 partial sums.
    static func dot(_ wb: UnsafeRawPointer, _ x: __m256i) -> __m256i
    /// The constant term of the block's dot product (the Q4_1/Q5_1 minimum times the Q8_1 sum),
    /// or 0.
    static func offset(_ wb: UnsafeRawPointer, _ ab: UnsafeRawPointer) -> Float
}

extension AVX2Block32Format {
    static var activationQuantsOffset: Int { activationBlockBytes == 36 ? 4 : 2 }
    static func offset(_ wb: UnsafeRawPointer, _ ab: UnsafeRawPointer) -> Float { 0 }
}

/// Runs an ``AVX2Block32Format`` over rows: Σ_b d_w · d_x · (integer dot of block b) + offsets.
enum AVX2DotBlock32<Format: AVX2Block32Format>: BlockDotKernel {
    static var blockSize: Int { 32 }
    static var weightBlockBytes: Int { Format.weightBlockBytes }
    static var activationBlockBytes: Int { Format.activationBlockBytes }

    @inline(__always)
    static func block(_ wb: UnsafeRawPointer, _ ab: UnsafeRawPointer, _ acc: __m256, _ offsets: Float) -> (__m256, Float) {
        let scale = AVX2.half(wb, 0) * AVX2.half(ab, 0)
        let sums = Format.dot(wb, AVX2.load(ab + Format.activationQuantsOffset))
        return (AVX2.accumulate(acc, sums, scale), offsets + Format.offset(wb, ab))
    }

    static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc = _mm256_setzero_ps(), offsets: Float = 0
        for b in 0..<blocks {
            (acc, offsets) = block(w + Format.weightBlockBytes * b, a + Format.activationBlockBytes * b, acc, offsets)
        }
        return AVX2.sum(acc) + offsets
    }

    static func dot4(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, stride: Int, blocks: Int) -> SIMD4<Float> {
        var acc = (_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps())
        var offsets = SIMD4<Float>()
        for b in 0..<blocks {
            let wb = w + Format.weightBlockBytes * b, ab = a + Format.activationBlockBytes * b
            (acc.0, offsets[0]) = block(wb, ab, acc.0, offsets[0])
            (acc.1, offsets[1]) = block(wb, ab + stride, acc.1, offsets[1])
            (acc.2, offsets[2]) = block(wb, ab + 2 * stride, acc.2, offsets[2])
            (acc.3, offsets[3]) = block(wb, ab + 3 * stride, acc.3, offsets[3])
        }
        return SIMD4(AVX2.sum(acc.0), AVX2.sum(acc.1), AVX2.sum(acc.2), AVX2.sum(acc.3)) + offsets
    }
}

/// The 32 unsigned 5-bit quants (0...31) of a Q5_0/Q5_1 block: the 32 fifth bits at
/// `bitsOffset`, then the 16 bytes of nibbles.
@inline(__always)
private func fiveBitQuants(_ wb: UnsafeRawPointer, bitsOffset: Int) -> __m256i {
    let fifth = _mm256_and_si256(AVX2.bytes(fromBits: wb.loadUnaligned(fromByteOffset: bitsOffset, as: UInt32.self)),
                                 _mm256_set1_epi8(0x10))
    return _mm256_or_si256(AVX2.nibbles(wb + bitsOffset + 4), fifth)
}

/// Q8_0: F16 d, 32 int8.
enum AVX2Q8_0: AVX2Block32Format {
    static var weightBlockBytes: Int { 34 }
    static var activationBlockBytes: Int { 34 }
    @inline(__always)
    static func dot(_ wb: UnsafeRawPointer, _ x: __m256i) -> __m256i { AVX2.dotSigned(AVX2.load(wb + 2), x) }
}

/// Q4_0: F16 d, 16 bytes of nibbles; weights are nibble - 8.
enum AVX2Q4_0: AVX2Block32Format {
    static var weightBlockBytes: Int { 18 }
    static var activationBlockBytes: Int { 34 }
    @inline(__always)
    static func dot(_ wb: UnsafeRawPointer, _ x: __m256i) -> __m256i {
        AVX2.dotSigned(_mm256_sub_epi8(AVX2.nibbles(wb + 2), _mm256_set1_epi8(8)), x)
    }
}

/// Q5_0: F16 d, 32 fifth bits, 16 bytes of nibbles; weights are (nibble | fifth bit · 16) - 16.
enum AVX2Q5_0: AVX2Block32Format {
    static var weightBlockBytes: Int { 22 }
    static var activationBlockBytes: Int { 34 }
    @inline(__always)
    static func dot(_ wb: UnsafeRawPointer, _ x: __m256i) -> __m256i {
        AVX2.dotSigned(_mm256_sub_epi8(fiveBitQuants(wb, bitsOffset: 2), _mm256_set1_epi8(16)), x)
    }
}

/// Q4_1 against Q8_1: F16 d, F16 m, 16 bytes of nibbles; weights are d · nibble + m, and the m
/// term is m times the activation block's stored d · Σq.
enum AVX2Q4_1: AVX2Block32Format {
    static var weightBlockBytes: Int { 20 }
    static var activationBlockBytes: Int { 36 }
    @inline(__always)
    static func dot(_ wb: UnsafeRawPointer, _ x: __m256i) -> __m256i { AVX2.dotUnsignedSigned(AVX2.nibbles(wb + 4), x) }
    @inline(__always)
    static func offset(_ wb: UnsafeRawPointer, _ ab: UnsafeRawPointer) -> Float { AVX2.half(wb, 2) * AVX2.half(ab, 2) }
}

/// Q5_1 against Q8_1: F16 d, F16 m, 32 fifth bits, 16 bytes of nibbles.
enum AVX2Q5_1: AVX2Block32Format {
    static var weightBlockBytes: Int { 24 }
    static var activationBlockBytes: Int { 36 }
    @inline(__always)
    static func dot(_ wb: UnsafeRawPointer, _ x: __m256i) -> __m256i {
        AVX2.dotUnsignedSigned(fiveBitQuants(wb, bitsOffset: 4), x)
    }
    @inline(__always)
    static func offset(_ wb: UnsafeRawPointer, _ ab: UnsafeRawPointer) -> Float { AVX2.half(wb, 2) * AVX2.half(ab, 2) }
}
#endif
