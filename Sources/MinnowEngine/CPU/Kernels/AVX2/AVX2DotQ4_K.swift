#if canImport(MinnowX86AVX2)
import MinnowX86AVX2
import _Builtin_intrinsics.intel

/// Q4_K weights · Q8_K activations with AVX2: the nibbles of each 32-element sub-block against the
/// int8 activations (`vpmaddubsw`), weighted by the sub-block's 6-bit scale (`vpmaddwd`), and the
/// minimums against the activation's 16-element partial sums. Q5_K shares the code.
enum AVX2DotQ4_K: BlockDotKernel {
    static var blockSize: Int { 256 }
    static var weightBlockBytes: Int { 144 }
    static var activationBlockBytes: Int { 292 }

    /// The quants of sub-block pair j (elements 64j ..< 64j + 64) as two vectors of 32 bytes, and
    /// their two scales as Int16 splats. With `fifthBits` (Q5_K: 32 bytes, bit 2j of byte l for
    /// element 64j + l, bit 2j + 1 for element 64j + 32 + l) the quants have 5 bits.
    @inline(__always)
    static func pair(_ j: Int, quants: UnsafeRawPointer, fifthBits: UnsafeRawPointer?, scales: UInt64)
        -> (low: __m256i, high: __m256i, lowScale: __m256i, highScale: __m256i) {
        let mask = _mm256_set1_epi8(0x0F)
        let q = AVX2.load(quants + 32 * j)
        var low = _mm256_and_si256(q, mask), high = _mm256_and_si256(_mm256_srli_epi16(q, 4), mask)
        if let fifthBits {
            let qh = AVX2.load(fifthBits), bit4 = _mm256_set1_epi8(0x10)
            // Bit 2j (2j + 1) of each byte moved to bit 4.
            let lowBits = j < 2 ? _mm256_slli_epi16(qh, Int32(4 - 2 * j)) : _mm256_srli_epi16(qh, Int32(2 * j - 4))
            let highBits = j < 2 ? _mm256_slli_epi16(qh, Int32(3 - 2 * j)) : _mm256_srli_epi16(qh, Int32(2 * j - 3))
            low = _mm256_or_si256(low, _mm256_and_si256(lowBits, bit4))
            high = _mm256_or_si256(high, _mm256_and_si256(highBits, bit4))
        }
        return (low, high,
                _mm256_set1_epi16(Int16(truncatingIfNeeded: (scales >> UInt64(16 * j)) & 0xFF)),
                _mm256_set1_epi16(Int16(truncatingIfNeeded: (scales >> UInt64(16 * j + 8)) & 0xFF)))
    }

    /// Σ over sub-block pair j of sc · q·x for the activation block at `ab`, as 8 Int32 lanes.
    @inline(__always)
    static func pairSums(_ p: (low: __m256i, high: __m256i, lowScale: __m256i, highScale: __m256i), _ j: Int,
                         _ ab: UnsafeRawPointer) -> __m256i {
        let x = ab + 4 + 64 * j
        return _mm256_add_epi32(_mm256_madd_epi16(_mm256_maddubs_epi16(p.low, AVX2.load(x)), p.lowScale),
                                _mm256_madd_epi16(_mm256_maddubs_epi16(p.high, AVX2.load(x + 32)), p.highScale))
    }

    /// Σ_k m_k · (Σ x over sub-block k), as 8 Int32 lanes (lane k for sub-block k).
    @inline(__always)
    static func minimumSums(_ ab: UnsafeRawPointer, mins: UInt64) -> __m256i {
        let m = _mm_cvtsi64_si128(Int64(bitPattern: mins))
        return _mm256_madd_epi16(AVX2.load(ab + 260), _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(m, m)))
    }

    /// Adds one block's d · dx · Σ sc·q·x - dmin · dx · Σ m·x to `acc` (the same float operations
    /// in ``dot`` and ``dot4``, so that their results are equal bit for bit).
    @inline(__always)
    static func accumulate(_ acc: __m256, sums: __m256i, mins: __m256i, d: Float, dmin: Float, dx: Float) -> __m256 {
        AVX2.accumulate(AVX2.accumulate(acc, sums, d * dx), mins, -(dmin * dx))
    }

    /// ``dot(_:_:blocks:)`` for Q4_K (`fifthBitsOffset` nil, 144-byte blocks, quants at 16) or
    /// Q5_K (176-byte blocks, fifth bits at 16, quants at 48).
    @inline(__always)
    static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int, blockBytes: Int, quantsOffset: Int,
                    fifthBitsOffset: Int?) -> Float {
        var acc = _mm256_setzero_ps()
        for b in 0..<blocks {
            let wb = w + blockBytes * b, ab = a + 292 * b
            let (scales, mins) = DotQ4_K.scalesAndMins(wb)
            var sums = _mm256_setzero_si256()
            for j in 0..<4 {
                let p = pair(j, quants: wb + quantsOffset, fifthBits: fifthBitsOffset.map { wb + $0 }, scales: scales)
                sums = _mm256_add_epi32(sums, pairSums(p, j, ab))
            }
            acc = accumulate(acc, sums: sums, mins: minimumSums(ab, mins: mins), d: AVX2.half(wb, 0),
                             dmin: AVX2.half(wb, 2), dx: ab.loadUnaligned(as: Float.self))
        }
        return AVX2.sum(acc)
    }

    /// ``dot4(_:_:stride:blocks:)`` for Q4_K or Q5_K: each sub-block pair is decoded once for the
    /// four activation rows.
    @inline(__always)
    static func dot4(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, stride: Int, blocks: Int, blockBytes: Int,
                     quantsOffset: Int, fifthBitsOffset: Int?) -> SIMD4<Float> {
        var acc = (_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps())
        for b in 0..<blocks {
            let wb = w + blockBytes * b, ab = a + 292 * b
            let (scales, mins) = DotQ4_K.scalesAndMins(wb)
            var sums = (_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256())
            for j in 0..<4 {
                let p = pair(j, quants: wb + quantsOffset, fifthBits: fifthBitsOffset.map { wb + $0 }, scales: scales)
                sums.0 = _mm256_add_epi32(sums.0, pairSums(p, j, ab))
                sums.1 = _mm256_add_epi32(sums.1, pairSums(p, j, ab + stride))
                sums.2 = _mm256_add_epi32(sums.2, pairSums(p, j, ab + 2 * stride))
                sums.3 = _mm256_add_epi32(sums.3, pairSums(p, j, ab + 3 * stride))
            }
            let d = AVX2.half(wb, 0), dmin = AVX2.half(wb, 2)
            acc.0 = accumulate(acc.0, sums: sums.0, mins: minimumSums(ab, mins: mins), d: d, dmin: dmin,
                               dx: ab.loadUnaligned(as: Float.self))
            acc.1 = accumulate(acc.1, sums: sums.1, mins: minimumSums(ab + stride, mins: mins), d: d, dmin: dmin,
                               dx: (ab + stride).loadUnaligned(as: Float.self))
            acc.2 = accumulate(acc.2, sums: sums.2, mins: minimumSums(ab + 2 * stride, mins: mins), d: d, dmin: dmin,
                               dx: (ab + 2 * stride).loadUnaligned(as: Float.self))
            acc.3 = accumulate(acc.3, sums: sums.3, mins: minimumSums(ab + 3 * stride, mins: mins), d: d, dmin: dmin,
                               dx: (ab + 3 * stride).loadUnaligned(as: Float.self))
        }
        return SIMD4(AVX2.sum(acc.0), AVX2.sum(acc.1), AVX2.sum(acc.2), AVX2.sum(acc.3))
    }

    static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        dot(w, a, blocks: blocks, blockBytes: 144, quantsOffset: 16, fifthBitsOffset: nil)
    }

    static func dot4(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, stride: Int, blocks: Int) -> SIMD4<Float> {
        dot4(w, a, stride: stride, blocks: blocks, blockBytes: 144, quantsOffset: 16, fifthBitsOffset: nil)
    }
}
#endif
