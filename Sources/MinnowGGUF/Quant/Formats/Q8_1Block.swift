/// `Q8_1`: like ``Q8_0Block`` plus `s` = d · Σq, the activation format ggml pairs with
/// `Q4_1` and `Q5_1` weights (the sum carries their per-block offset).
///
/// Layout (36 bytes): `d` (F16) at 0, `s` (F16) at 2, `qs` (Int8 × 32) at 4.
/// The quantizer is ggml's reference (`quantize_row_q8_1_ref`), bit for bit.
public enum Q8_1Block: BlockFormat {
    /// ``GGMLType/q8_1``.
    public static var type: GGMLType { .q8_1 }
    /// Byte offset of the quants.
    public static let quantsOffset = 4

    /// Decodes one block (x = d · q; `s` is not needed).
    public static func dequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        let d = block.loadHalf(at: 0)
        for j in 0..<32 {
            out[j] = Float(block.load(fromByteOffset: quantsOffset + j, as: Int8.self)) * d
        }
    }

    /// Encodes one block: d = max|x| / 127, q = roundf(x / d), s = d · Σq.
    public static func quantize(_ values: UnsafePointer<Float>, block: UnsafeMutableRawPointer) {
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
        block.storeHalf(Float(sum) * d, at: 2)
    }
}
