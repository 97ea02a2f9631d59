#if canImport(MinnowX86AVX2)
import MinnowX86AVX2
import _Builtin_intrinsics.intel

/// Q4_K weights · Q8_K activations with AVX2: the nibbles of each 32-element sub-block against the
/// int8 activations (`vpmaddubsw`), weighted by the sub-block's 6-bit scale (`vpmaddwd`), and the
/// minimums against the activation's 16-element partial sums.
enum AVX2DotQ4_K: BlockDotKernel {
    static var blockSize: Int { 256 }
    static var weightBlockBytes: Int { 144 }
    static var activationBlockBytes: Int { 292 }

    /// Σ_k sc_k · Σ q·x over the 8 sub-blocks, as 8 Int32 partial sums.
    @inline(__always)
    static func scaledSums(_ wb: UnsafeRawPointer, _ ab: UnsafeRawPointer, scales: UInt64) -> __m256i {
        scaledSums(quants: wb + 16, fifthBits: nil, ab, scales: scales)
    }

    /// The sums for quants at `quants` (128 bytes of nibbles), with Q5_K's fifth bits (32 bytes:
    /// bit 2j of byte l for element 64j + l, bit 2j + 1 for element 64j + 32 + l) when given.
    @inline(__always)
    static func scaledSums(quants: UnsafeRawPointer, fifthBits: UnsafeRawPointer?, _ ab: UnsafeRawPointer, scales: UInt64) -> __m256i {
        let mask = _mm256_set1_epi8(0x0F), bit4 = _mm256_set1_epi8(0x10)
        let qh = fifthBits.map { AVX2.load($0) } ?? _mm256_setzero_si256()
        var sum = _mm256_setzero_si256()
        for j in 0..<4 {
            let q = AVX2.load(quants + 32 * j)
            var qLow = _mm256_and_si256(q, mask), qHigh = _mm256_and_si256(_mm256_srli_epi16(q, 4), mask)
            if fifthBits != nil {
                // Bit 2j (2j + 1) of each byte moved to bit 4: shift left by 4 - 2j (3 - 2j) or right.
                let lowBits = j < 2 ? _mm256_slli_epi16(qh, Int32(4 - 2 * j)) : _mm256_srli_epi16(qh, Int32(2 * j - 4))
                let highBits = j < 2 ? _mm256_slli_epi16(qh, Int32(3 - 2 * j)) : _mm256_srli_epi16(qh, Int32(2 * j - 3))
                qLow = _mm256_or_si256(qLow, _mm256_and_si256(lowBits, bit4))
                qHigh = _mm256_or_si256(qHigh, _mm256_and_si256(highBits, bit4))
            }
            let x = ab + 4 + 64 * j
            let low = _mm256_maddubs_epi16(qLow, AVX2.load(x))
            let high = _mm256_maddubs_epi16(qHigh, AVX2.load(x + 32))
            let lowScale = _mm256_set1_epi16(Int16(truncatingIfNeeded: (scales >> UInt64(16 * j)) & 0xFF))
            let highScale = _mm256_set1_epi16(Int16(truncatingIfNeeded: (scales >> UInt64(16 * j + 8)) & 0xFF))
            sum = _mm256_add_epi32(sum, _mm256_add_epi32(_mm256_madd_epi16(low, lowScale), _mm256_madd_epi16(high, highScale)))
        }
        return sum
    }

    /// Σ_k m_k · (Σ x over sub-block k), as 8 Int32 lanes (lane k for sub-block k).
    @inline(__always)
    static func minimumSums(_ ab: UnsafeRawPointer, mins: UInt64) -> __m256i {
        let m = _mm_cvtsi64_si128(Int64(bitPattern: mins))
        return _mm256_madd_epi16(AVX2.load(ab + 260), _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(m, m)))
    }

    static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc = _mm256_setzero_ps(), minimums = _mm256_setzero_ps()
        for b in 0..<blocks {
            let wb = w + 144 * b, ab = a + 292 * b
            let (scales, mins) = DotQ4_K.scalesAndMins(wb)
            let dx = ab.loadUnaligned(as: Float.self)
            acc = AVX2.accumulate(acc, scaledSums(wb, ab, scales: scales), AVX2.half(wb, 0) * dx)
            minimums = AVX2.accumulate(minimums, minimumSums(ab, mins: mins), AVX2.half(wb, 2) * dx)
        }
        return AVX2.sum(acc) - AVX2.sum(minimums)
    }

    static func dot4(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, stride: Int, blocks: Int) -> SIMD4<Float> {
        var acc = (_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps())
        var minimums = acc
        for b in 0..<blocks {
            let wb = w + 144 * b, ab = a + 292 * b
            let (scales, mins) = DotQ4_K.scalesAndMins(wb)
            let d = AVX2.half(wb, 0), dmin = AVX2.half(wb, 2)
            let dx = (ab.loadUnaligned(as: Float.self), (ab + stride).loadUnaligned(as: Float.self),
                      (ab + 2 * stride).loadUnaligned(as: Float.self), (ab + 3 * stride).loadUnaligned(as: Float.self))
            acc.0 = AVX2.accumulate(acc.0, scaledSums(wb, ab, scales: scales), d * dx.0)
            acc.1 = AVX2.accumulate(acc.1, scaledSums(wb, ab + stride, scales: scales), d * dx.1)
            acc.2 = AVX2.accumulate(acc.2, scaledSums(wb, ab + 2 * stride, scales: scales), d * dx.2)
            acc.3 = AVX2.accumulate(acc.3, scaledSums(wb, ab + 3 * stride, scales: scales), d * dx.3)
            minimums.0 = AVX2.accumulate(minimums.0, minimumSums(ab, mins: mins), dmin * dx.0)
            minimums.1 = AVX2.accumulate(minimums.1, minimumSums(ab + stride, mins: mins), dmin * dx.1)
            minimums.2 = AVX2.accumulate(minimums.2, minimumSums(ab + 2 * stride, mins: mins), dmin * dx.2)
            minimums.3 = AVX2.accumulate(minimums.3, minimumSums(ab + 3 * stride, mins: mins), dmin * dx.3)
        }
        return SIMD4(AVX2.sum(acc.0) - AVX2.sum(minimums.0), AVX2.sum(acc.1) - AVX2.sum(minimums.1),
                     AVX2.sum(acc.2) - AVX2.sum(minimums.2), AVX2.sum(acc.3) - AVX2.sum(minimums.3))
    }
}
#endif
