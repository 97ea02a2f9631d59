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

    /// The unsigned quants (0...63) of the four groups of half h (elements 128h + 32s ..< + 32).
    @inline(__always)
    static func quants(_ wb: UnsafeRawPointer, half h: Int) -> (__m256i, __m256i, __m256i, __m256i) {
        let low4 = _mm256_set1_epi8(0x0F), bits45 = _mm256_set1_epi8(0x30)
        let qh = AVX2.load(wb + 128 + 32 * h)
        let ql0 = AVX2.load(wb + 64 * h), ql1 = AVX2.load(wb + 64 * h + 32)
        // Bits 2s and 2s + 1 of qh become bits 4 and 5 of group s's quants.
        return (_mm256_or_si256(_mm256_and_si256(ql0, low4), _mm256_and_si256(_mm256_slli_epi16(qh, 4), bits45)),
                _mm256_or_si256(_mm256_and_si256(ql1, low4), _mm256_and_si256(_mm256_slli_epi16(qh, 2), bits45)),
                _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), low4), _mm256_and_si256(qh, bits45)),
                _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql1, 4), low4),
                                _mm256_and_si256(_mm256_srli_epi16(qh, 2), bits45)))
    }

    /// Σ sc·q·x over the four groups of half h for the activation block at `ab`.
    @inline(__always)
    static func halfSums(_ q: (__m256i, __m256i, __m256i, __m256i), _ scales: (__m256i, __m256i, __m256i, __m256i),
                         half h: Int, _ ab: UnsafeRawPointer) -> __m256i {
        let x = ab + 4 + 128 * h
        let p0 = _mm256_madd_epi16(_mm256_maddubs_epi16(q.0, AVX2.load(x)), scales.0)
        let p1 = _mm256_madd_epi16(_mm256_maddubs_epi16(q.1, AVX2.load(x + 32)), scales.1)
        let p2 = _mm256_madd_epi16(_mm256_maddubs_epi16(q.2, AVX2.load(x + 64)), scales.2)
        let p3 = _mm256_madd_epi16(_mm256_maddubs_epi16(q.3, AVX2.load(x + 96)), scales.3)
        return _mm256_add_epi32(_mm256_add_epi32(p0, p1), _mm256_add_epi32(p2, p3))
    }

    /// The Int16 scale splats of the four groups of half h.
    @inline(__always)
    static func halfScales(_ wb: UnsafeRawPointer, half h: Int) -> (__m256i, __m256i, __m256i, __m256i) {
        (groupScales(wb, 4 * h), groupScales(wb, 4 * h + 1), groupScales(wb, 4 * h + 2), groupScales(wb, 4 * h + 3))
    }

    /// 32 · Σ_j sc_j · (Σ x over group j), from the activation's 16 partial sums: the offset of
    /// the quants, taken off the block's sums.
    @inline(__always)
    static func offset(_ wb: UnsafeRawPointer, _ ab: UnsafeRawPointer) -> __m256i {
        _mm256_slli_epi32(_mm256_madd_epi16(AVX2.load(ab + 260), _mm256_cvtepi8_epi16(AVX2.load128(wb + 192))), 5)
    }

    static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc = _mm256_setzero_ps()
        for b in 0..<blocks {
            let wb = w + 210 * b, ab = a + 292 * b
            var sums = _mm256_sub_epi32(_mm256_setzero_si256(), offset(wb, ab))
            for h in 0..<2 {
                sums = _mm256_add_epi32(sums, halfSums(quants(wb, half: h), halfScales(wb, half: h), half: h, ab))
            }
            acc = AVX2.accumulate(acc, sums, AVX2.half(wb, 208) * ab.loadUnaligned(as: Float.self))
        }
        return AVX2.sum(acc)
    }

    static func dot4(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, stride: Int, blocks: Int) -> SIMD4<Float> {
        var acc = (_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps())
        for b in 0..<blocks {
            let wb = w + 210 * b, ab = a + 292 * b
            let zero = _mm256_setzero_si256()
            var sums = (_mm256_sub_epi32(zero, offset(wb, ab)), _mm256_sub_epi32(zero, offset(wb, ab + stride)),
                        _mm256_sub_epi32(zero, offset(wb, ab + 2 * stride)), _mm256_sub_epi32(zero, offset(wb, ab + 3 * stride)))
            for h in 0..<2 {
                let q = quants(wb, half: h), scales = halfScales(wb, half: h)
                sums.0 = _mm256_add_epi32(sums.0, halfSums(q, scales, half: h, ab))
                sums.1 = _mm256_add_epi32(sums.1, halfSums(q, scales, half: h, ab + stride))
                sums.2 = _mm256_add_epi32(sums.2, halfSums(q, scales, half: h, ab + 2 * stride))
                sums.3 = _mm256_add_epi32(sums.3, halfSums(q, scales, half: h, ab + 3 * stride))
            }
            let d = AVX2.half(wb, 208)
            acc.0 = AVX2.accumulate(acc.0, sums.0, d * ab.loadUnaligned(as: Float.self))
            acc.1 = AVX2.accumulate(acc.1, sums.1, d * (ab + stride).loadUnaligned(as: Float.self))
            acc.2 = AVX2.accumulate(acc.2, sums.2, d * (ab + 2 * stride).loadUnaligned(as: Float.self))
            acc.3 = AVX2.accumulate(acc.3, sums.3, d * (ab + 3 * stride).loadUnaligned(as: Float.self))
        }
        return SIMD4(AVX2.sum(acc.0), AVX2.sum(acc.1), AVX2.sum(acc.2), AVX2.sum(acc.3))
    }
}
#endif
