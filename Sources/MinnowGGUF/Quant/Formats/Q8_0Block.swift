/// `Q8_0`: 32 elements as a half scale `d` and 32 signed bytes; x = d · q.
///
/// Layout (34 bytes): `d` (F16) at 0, `qs` (Int8 × 32) at 2.
/// The quantizer is ggml's reference (`quantize_row_q8_0_ref`), bit for bit.
public enum Q8_0Block: BlockFormat {
    /// ``GGMLType/q8_0``.
    public static var type: GGMLType { .q8_0 }
    /// Byte offset of the quants.
    public static let quantsOffset = 2

    /// Decodes one block.
    public static func dequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        Int8BlockCodec.dequantize(block: block, quantsOffset: quantsOffset, into: out)
    }

    /// Encodes one block: d = max|x| / 127, q = roundf(x / d).
    public static func quantize(_ values: UnsafePointer<Float>, block: UnsafeMutableRawPointer) {
        _ = Int8BlockCodec.quantize(values, block: block, quantsOffset: quantsOffset)
    }
}
