/// A Q8_K activation row with its int8 quants pre-widened to Int16 and split into even and odd
/// elements, once per matrix-vector call, so that the K-quant kernels do not redo the split for
/// every weight row. Chunk c (elements 32c..<32c+32) is `vectors[2c]` (even elements) and
/// `vectors[2c + 1]` (odd elements).
package enum SplitActivations {
    /// Fills `vectors` (count / 16 entries) from the Q8_K row at `a` of `count` elements.
    @inline(__always)
    package static func fill(_ a: UnsafeRawPointer, count: Int, into vectors: UnsafeMutablePointer<SIMD16<Int16>>) {
        for c in 0..<(count / 32) {
            let block = c / 8, chunk = c % 8
            let s = KernelSIMD.splitInt8(a + 292 * block + 4 + 32 * chunk)
            vectors[2 * c] = s.even
            vectors[2 * c + 1] = s.odd
        }
    }

    /// Runs `body` with the split form of the Q8_K row at `a` (stack storage for typical rows).
    @inline(__always)
    package static func with<R>(_ a: UnsafeRawPointer, count: Int, _ body: (UnsafePointer<SIMD16<Int16>>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: SIMD16<Int16>.self, capacity: max(1, count / 16)) { buffer in
            let base = buffer.baseAddress!
            fill(a, count: count, into: base)
            return body(UnsafePointer(base))
        }
    }
}
