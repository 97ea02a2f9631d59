#if canImport(MinnowX86AVX2)
import MinnowX86AVX2
import _Builtin_intrinsics.intel

/// Q5_K weights · Q8_K activations with AVX2: Q4_K's scheme with a fifth bit per quant.
enum AVX2DotQ5_K: BlockDotKernel {
    static var blockSize: Int { 256 }
    static var weightBlockBytes: Int { 176 }
    static var activationBlockBytes: Int { 292 }

    @inline(__always)
    static func block(_ wb: UnsafeRawPointer, _ ab: UnsafeRawPointer, _ acc: __m256, _ minimums: __m256) -> (__m256, __m256) {
        let (scales, mins) = DotQ4_K.scalesAndMins(wb)
        let dx = ab.loadUnaligned(as: Float.self)
        let sums = AVX2DotQ4_K.scaledSums(quants: wb + 48, fifthBits: wb + 16, ab, scales: scales)
        return (AVX2.accumulate(acc, sums, AVX2.half(wb, 0) * dx),
                AVX2.accumulate(minimums, AVX2DotQ4_K.minimumSums(ab, mins: mins), AVX2.half(wb, 2) * dx))
    }

    static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        var acc = _mm256_setzero_ps(), minimums = _mm256_setzero_ps()
        for b in 0..<blocks {
            (acc, minimums) = block(w + 176 * b, a + 292 * b, acc, minimums)
        }
        return AVX2.sum(acc) - AVX2.sum(minimums)
    }

    static func dot4(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, stride: Int, blocks: Int) -> SIMD4<Float> {
        var acc = (_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps())
        var minimums = acc
        for b in 0..<blocks {
            let wb = w + 176 * b, ab = a + 292 * b
            (acc.0, minimums.0) = block(wb, ab, acc.0, minimums.0)
            (acc.1, minimums.1) = block(wb, ab + stride, acc.1, minimums.1)
            (acc.2, minimums.2) = block(wb, ab + 2 * stride, acc.2, minimums.2)
            (acc.3, minimums.3) = block(wb, ab + 3 * stride, acc.3, minimums.3)
        }
        return SIMD4(AVX2.sum(acc.0) - AVX2.sum(minimums.0), AVX2.sum(acc.1) - AVX2.sum(minimums.1),
                     AVX2.sum(acc.2) - AVX2.sum(minimums.2), AVX2.sum(acc.3) - AVX2.sum(minimums.3))
    }
}
#endif
