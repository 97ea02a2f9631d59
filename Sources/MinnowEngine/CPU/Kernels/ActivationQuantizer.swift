import MinnowGGUF

/// Quantizes activation rows into ggml's Q8_0 and Q8_K formats, with the same bytes as ggml's
/// reference quantizers (and MinnowGGUF's ``Quantizer``).
package enum ActivationQuantizer {
    /// Q8_0: per 32 values, d = max|x| / 127 (stored F16), q = roundf(x · (1 / d)).
    package static func quantizeQ8_0(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutableRawPointer) {
        for b in 0..<(count / 32) {
            Q8_0Block.quantize(x + 32 * b, block: out + 34 * b)
        }
    }

    /// Q8_K: per 256 values, the value of largest magnitude maps to -127; Float scale; 16 sums.
    package static func quantizeQ8_K(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutableRawPointer) {
        for b in 0..<(count / 256) {
            Q8_KBlock.quantize(x + 256 * b, block: out + 292 * b)
        }
    }
}
