#if canImport(MinnowX86AVX2)
import MinnowX86AVX2
import _Builtin_intrinsics.intel

/// Building blocks of the AVX2 kernels, compiled only when the build targets AVX2, FMA and F16C
/// (the `MinnowX86AVX2` probe module is importable exactly then).
///
/// The integer dot products use `vpmaddubsw` (unsigned × signed bytes, pairs summed to Int16)
/// followed by `vpmaddwd` (Int16 pairs summed to Int32), which the portable Swift SIMD code cannot
/// express: LLVM never forms these instructions from generic vector code.
enum AVX2 {
    /// 32 bytes at `p`, unaligned.
    @inline(__always)
    static func load(_ p: UnsafeRawPointer) -> __m256i {
        _mm256_loadu_si256(p.assumingMemoryBound(to: __m256i_u.self))
    }

    /// 16 bytes at `p`, unaligned.
    @inline(__always)
    static func load128(_ p: UnsafeRawPointer) -> __m128i {
        _mm_loadu_si128(p.assumingMemoryBound(to: __m128i_u.self))
    }

    /// The F16 at `p + offset` as a Float (`vcvtph2ps`).
    @inline(__always)
    static func half(_ p: UnsafeRawPointer, _ offset: Int) -> Float {
        _cvtsh_ss(p.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    /// The sum of the 8 lanes.
    @inline(__always)
    static func sum(_ v: __m256) -> Float {
        v.sum()  // __m256 is SIMD8<Float>
    }

    /// Int16 lanes summed in adjacent pairs to Int32 lanes.
    @inline(__always)
    static func pairs(_ v: __m256i) -> __m256i {
        _mm256_madd_epi16(v, _mm256_set1_epi16(1))
    }

    /// Σ u·s over each group of 4 bytes, as 8 Int32 lanes: `u` unsigned, `s` signed. Pair sums
    /// must stay within Int16 (`vpmaddubsw` saturates): |u| ≤ 127 or |s| small enough.
    @inline(__always)
    static func dotUnsignedSigned(_ u: __m256i, _ s: __m256i) -> __m256i {
        pairs(_mm256_maddubs_epi16(u, s))
    }

    /// Σ a·b over each group of 4 signed bytes (|a| ≤ 127), as 8 Int32 lanes: |a| times b with
    /// a's sign moved onto b.
    @inline(__always)
    static func dotSigned(_ a: __m256i, _ b: __m256i) -> __m256i {
        dotUnsignedSigned(_mm256_sign_epi8(a, a), _mm256_sign_epi8(b, a))
    }

    /// The 32 nibbles of the 16 bytes at `p` in ggml's block order (low nibbles are elements
    /// 0..<16, high nibbles 16..<32), one per byte.
    @inline(__always)
    static func nibbles(_ p: UnsafeRawPointer) -> __m256i {
        let q = load128(p)
        return _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(q, 4), q), _mm256_set1_epi8(0x0F))
    }

    /// Bit i of `bits` as byte i: 0xFF where the bit is set, 0 elsewhere.
    @inline(__always)
    static func bytes(fromBits bits: UInt32) -> __m256i {
        let broadcast = _mm256_set1_epi32(Int32(bitPattern: bits))
        // Byte i takes byte i / 8 of `bits` (each 128-bit lane holds the 4 bytes).
        let spread = _mm256_shuffle_epi8(broadcast, _mm256_setr_epi64x(0, 0x0101_0101_0101_0101,
                                                                          0x0202_0202_0202_0202, 0x0303_0303_0303_0303))
        // Set every bit but bit i % 8; the byte is then all ones exactly when that bit was set.
        let others = _mm256_or_si256(spread, _mm256_set1_epi64x(0x7FBF_DFEF_F7FB_FDFE))
        return _mm256_cmpeq_epi8(others, _mm256_set1_epi64x(-1))
    }

    /// The 16-lane Int16 vector with `low` in lanes 0..<8 and `high` in lanes 8..<16.
    @inline(__always)
    static func splat16(low: Int16, high: Int16) -> __m256i {
        _mm256_set_m128i(_mm_set1_epi16(high), _mm_set1_epi16(low))
    }

    /// `acc + scale · Float(v)`, lane by lane.
    @inline(__always)
    static func accumulate(_ acc: __m256, _ v: __m256i, _ scale: Float) -> __m256 {
        _mm256_fmadd_ps(_mm256_set1_ps(scale), _mm256_cvtepi32_ps(v), acc)
    }
}
#endif
