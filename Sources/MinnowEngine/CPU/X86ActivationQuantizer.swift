import MinnowGGUF

/// Q8_0 and Q8_1 activation quantization rounded the way llama.cpp's x86 SIMD path rounds it.
///
/// ggml's reference quantizer multiplies by 1/d and rounds halves away from zero; its AVX path,
/// which llama.cpp runs on this machine, multiplies by 127/max and rounds halves to even. The
/// int8 values differ in a few elements per block, which on a 135M model moves logits by tenths.
/// Matching the path llama.cpp actually runs keeps the engine comparable with it.
package enum X86ActivationQuantizer {
    /// Max |x| of 32 values, d = max/127 (stored F16), q = roundeven(x · 127/max).
    @inline(__always)
    private static func quantizeBlock(_ x: UnsafePointer<Float>, into q: UnsafeMutableRawPointer) -> (d: Float, sum: Int32) {
        var maximum: Float = 0
        for i in 0..<32 { maximum = max(maximum, abs(x[i])) }
        let d = maximum / 127
        let inverse: Float = maximum != 0 ? 127 / maximum : 0
        var sum: Int32 = 0
        for i in 0..<32 {
            let v = Int32((x[i] * inverse).rounded(.toNearestOrEven))
            q.storeBytes(of: Int8(clamping: v), toByteOffset: i, as: Int8.self)
            sum += v
        }
        return (d, sum)
    }

    /// Q8_0: per 32 values, F16 d then 32 int8.
    package static func quantizeQ8_0(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutableRawPointer) {
        for b in 0..<(count / 32) {
            let block = out + 34 * b
            let (d, _) = quantizeBlock(x + 32 * b, into: block + 2)
            block.storeBytes(of: Half.fromFloat(d), as: UInt16.self)
        }
    }

    /// Q8_1: per 32 values, F16 d, F16 s = d · Σq, then 32 int8.
    package static func quantizeQ8_1(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutableRawPointer) {
        for b in 0..<(count / 32) {
            let block = out + 36 * b
            let (d, sum) = quantizeBlock(x + 32 * b, into: block + 4)
            block.storeBytes(of: Half.fromFloat(d), as: UInt16.self)
            block.storeBytes(of: Half.fromFloat(d * Float(sum)), toByteOffset: 2, as: UInt16.self)
        }
    }
}
