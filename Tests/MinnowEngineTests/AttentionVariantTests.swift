import MinnowCPUKernels
import MinnowEngine
import Testing

/// The C attention kernels (AVX2, AVX-512 with F16C) against the portable Swift attention on an
/// F16 cache.
@Suite struct AttentionVariantTests {
    static let variants = CPUKernelVariant.supported().filter {
        $0.cVariant.flatMap { minnow_attention_f16_kernel($0, 64) } != nil
    }

    /// Both read the same F16 keys and values and round the queries to F16; they differ only in
    /// float summation order (SIMD width and the even/odd order of the portable path): outputs
    /// agree within 1e-5 of the output scale (values are within ±1, so outputs are too).
    @Test(arguments: variants)
    func matchesPortableAttention(_ variant: CPUKernelVariant) throws {
        let spec = AttentionSpec(heads: 6, kvHeads: 2, headSize: 64, scale: 0.125)
        let width = spec.kvHeads * spec.headSize, length = 37
        let cache = CPUKVCache(spec: KVCacheSpec(layers: 1, width: width, capacity: 40, type: .f16))
        let keys = KernelDotTests.values(width * length, seed: 11).map { $0 * 0.5 }
        let values = KernelDotTests.values(width * length, seed: 12).map { $0 * 0.3 }
        for position in 0..<length {
            keys.withUnsafeBufferPointer { cache.store($0.baseAddress! + position * width, into: cache.keys, layer: 0, sequence: 0, position: position) }
            values.withUnsafeBufferPointer { cache.store($0.baseAddress! + position * width, into: cache.values, layer: 0, sequence: 0, position: position) }
        }
        let query = KernelDotTests.values(spec.heads * spec.headSize, seed: 13)
        let native = try #require(variant.cVariant.flatMap { minnow_attention_f16_kernel($0, Int64(spec.headSize)) })
        for position in [0, 5, length - 1] {
            var expected = [Float](repeating: 0, count: query.count), got = expected
            for kvHead in 0..<spec.kvHeads {
                query.withUnsafeBufferPointer { q in
                    expected.withUnsafeMutableBufferPointer { out in
                        CPUAttention.attend(query: q.baseAddress!, row: 0, kvHead: kvHead, layer: 0,
                                            target: .init(sequence: 0, position: position), spec: spec, cache: cache, into: out.baseAddress!)
                    }
                    got.withUnsafeMutableBufferPointer { out in
                        CPUAttention.attend(query: q.baseAddress!, row: 0, kvHead: kvHead, layer: 0,
                                            target: .init(sequence: 0, position: position), spec: spec, cache: cache,
                                            native: native, into: out.baseAddress!)
                    }
                }
            }
            let worst = zip(expected, got).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-5, "\(variant.rawValue) at position \(position): max difference \(worst)")
        }
    }
}
