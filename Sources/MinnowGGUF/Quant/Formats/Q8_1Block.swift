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
        Int8BlockCodec.dequantize(block: block, quantsOffset: quantsOffset, into: out)
    }

    /// Encodes one block: d = max|x| / 127, q = roundf(x / d), s = d · Σq.
    public static func quantize(_ values: UnsafePointer<Float>, block: UnsafeMutableRawPointer) {
        let (d, sum) = Int8BlockCodec.quantize(values, block: block, quantsOffset: quantsOffset)
        block.storeHalf(Float(sum) * d, at: 2)
    }
}
