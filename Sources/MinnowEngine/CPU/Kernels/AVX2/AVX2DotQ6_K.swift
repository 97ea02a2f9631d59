#if canImport(MinnowX86AVX2)
import MinnowX86AVX2
import _Builtin_intrinsics.intel

/// Q6_K weights · Q8_K activations with AVX2: the unsigned 6-bit quants (0...63) against the int8
/// activations, each 16-element group weighted by its int8 scale; the offset of 32 is taken off
/// once per block through the activation's 16-element partial sums.
enum AVX2DotQ6_K: BlockDotKernel {
    static var blockSize: Int { 256 }
    static var weightBlockBytes: Int { 210 }
    static var activationBlockBytes: Int { 292 }

    /// The scales of group g (32 elements): sc[2g] for lanes 0..<8, sc[2g + 1] for lanes 8..<16.
    @inline(__always)
    static func groupScales(_ wb: UnsafeRawPointer, _ g: Int) -> __m256i {
        AVX2.splat16(low: Int16(wb.load(fromByteOffset: 192 + 2 * g, as: Int8.self)),
                     high: Int16(wb.load(fromByteOffset: 193 + 2 * g, as: Int8.self)))
    }

    /// Σ_j sc_j · Σ (q - 32)·x over the block, as 8 Int32 partial sums.
    @inline(__always)
    static func scaledSums(_ wb: UnsafeRawPointer, _ ab: UnsafeRawPointer) -> __m256i {
        let low4 = _mm256_set1_epi8(0x0F), bits45 = _mm256_set1_epi8(0x30)
        var sum = _mm256_setzero_si256()
        for h in 0..<2 {
            let qh = AVX2.load(wb + 128 + 32 * h)
            let ql0 = AVX2.load(wb + 64 * h), ql1 = AVX2.load(wb + 64 * h + 32)
            // Group s of this half: elements 128h + 32s ..< +32; bits 2s, 2s+1 of qh are bits 4, 5.
            let q0 = _mm256_or_si256(_mm256_and_si256(ql0, low4), _mm256_and_si256(_mm256_slli_epi16(qh, 4), bits45))
            let q1 = _mm256_or_si256(_mm256_and_si256(ql1, low4), _mm256_and_si256(_mm256_slli_epi16(qh, 2), bits45))
            let q2 = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), low4), _mm256_and_si256(qh, bits45))
            let q3 = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql1, 4), low4),
                                     _mm256_and_si256(_mm256_srli_epi16(qh, 2), bits45))
            let x = ab + 4 + 128 * h
            let p0 = _mm256_madd_epi16(_mm256_maddubs_epi16(q0, AVX2.load(x)), groupScales(wb, 4 * h))
            let p1 = _mm256_madd_epi16(_mm256_maddubs_epi16(q1, AVX2.load(x + 32)), groupScales(wb, 4 * h + 1))
            let p2 = _mm256_madd_epi16(_mm256_maddubs_epi16(q2, AVX2.load(x + 64)), groupScales(wb, 4 * h + 2))
            let p3 = _mm256_madd_epi16(_mm256_maddubs_epi16(q3, AVX2.load(x + 96)), groupScales(wb, 4 * h + 3))
            sum = _mm256_add_epi32(sum, _mm256_add_epi32(_mm256_add_epi32(p0, p1), _mm256_add_epi32(p2, p3)))
        }
        // 32 · Σ_j sc_j · (Σ x over group j), from the 16 partial sums.
        let offset = _mm256_madd_epi16(AVX2.load(ab + 260), _mm256_cvtepi8_epi16(AVX2.load128(wb + 192)))
        return _mm256_sub_epi32(sum, _mm256_slli_epi32(offset, 5))
    }

    static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc = _mm256_setzero_ps()
        for b in 0..<blocks {
            let wb = w + 210 * b, ab = a + 292 * b
            acc = AVX2.accumulate(acc, scaledSums(wb, ab), AVX2.half(wb, 208) * ab.loadUnaligned(as: Float.self))
        }
        return AVX2.sum(acc)
    }

    static func dot4(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, stride: Int, blocks: Int) -> SIMD4<Float> {
        var acc = (_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps())
        for b in 0..<blocks {
            let wb = w + 210 * b, ab = a + 292 * b
            let d = AVX2.half(wb, 208)
            acc.0 = AVX2.accumulate(acc.0, scaledSums(wb, ab), d * ab.loadUnaligned(as: Float.self))
            acc.1 = AVX2.accumulate(acc.1, scaledSums(wb, ab + stride), d * (ab + stride).loadUnaligned(as: Float.self))
            acc.2 = AVX2.accumulate(acc.2, scaledSums(wb, ab + 2 * stride), d * (ab + 2 * stride).loadUnaligned(as: Float.self))
            acc.3 = AVX2.accumulate(acc.3, scaledSums(wb, ab + 3 * stride), d * (ab + 3 * stride).loadUnaligned(as: Float.self))
        }
        return SIMD4(AVX2.sum(acc.0), AVX2.sum(acc.1), AVX2.sum(acc.2), AVX2.sum(acc.3))
    }
}
#endif
