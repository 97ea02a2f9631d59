/// The part that ``Q8_0Block`` and ``Q8_1Block`` share: 32 signed bytes at `quantsOffset` with
/// one half scale `d` at offset 0, x = d · q. The quantizer is ggml's reference, bit for bit.
enum Int8BlockCodec {
    /// Decodes the 32 quants at `quantsOffset` of `block`: x = d · q.
    @inline(__always)
    static func dequantize(block: UnsafeRawPointer, quantsOffset: Int, into out: UnsafeMutablePointer<Float>) {
        let d = block.loadHalf(at: 0)
        for j in 0..<32 {
            out[j] = Float(block.load(fromByteOffset: quantsOffset + j, as: Int8.self)) * d
        }
    }

    /// Encodes 32 values: stores d = max|x| / 127 as a half at offset 0 and q = roundf(x / d) at
    /// `quantsOffset`. Returns d (as a float, before half rounding) and Σq.
    @inline(__always)
    static func quantize(
        _ values: UnsafePointer<Float>, block: UnsafeMutableRawPointer, quantsOffset: Int
    ) -> (d: Float, sum: Int32) {
        var amax: Float = 0
        for j in 0..<32 { amax = max(amax, abs(values[j])) }
        let d = amax / 127
        let id: Float = d != 0 ? 1 / d : 0
        block.storeHalf(d, at: 0)
        var sum: Int32 = 0
        for j in 0..<32 {
            let q = QuantMath.int8RoundedAway(values[j] * id)
            sum &+= Int32(q)
            block.storeBytes(of: q, toByteOffset: quantsOffset + j, as: Int8.self)
        }
        return (d, sum)
    }
}
